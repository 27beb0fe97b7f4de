"""What the browser tests and the bench scripts share: which pages the site has, how a built site is served, how
Chromium is started and how axe-core is run.

The pages are read from mkdocs.yml's navigation and from the built site's files or its sitemap, so a page added to
the navigation is checked as soon as it lands, with no list of pages to keep up to date by hand.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
MKDOCS_YML = ROOT / "mkdocs.yml"
PAGE_SUFFIXES = (".md", ".ipynb", ".py")  # .py: jupytext notebooks rendered by mkdocs-jupyter


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site's files, as the browser tests and the bench scripts serve it, and logs nothing."""

    def log_message(self, format: str, *args: object) -> None:  # keep the output of tests and scripts clean
        pass

    def handle(self) -> None:
        """A browser that closes a tab while a file is on its way is no error of the site: nothing is said."""
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def finish(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().finish()


@contextlib.contextmanager
def serve(site: Path | str, port: int = 0, handler: type = QuietHandler) -> Iterator[str]:
    """Serve the folder ``site`` on 127.0.0.1 (a free port unless ``port`` is given) from a thread, for as long as
    the ``with`` block runs; yields the base address, ``http://127.0.0.1:<port>/``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@functools.cache
def axe_script() -> str:
    """axe-core's script, as axe-playwright-python bundles it: nothing is fetched from a CDN."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


# The rules of axe-core's default set whose verdict depends on the colours: all a palette toggle can change, since
# the toggle changes the colours alone (tests/test_browser.py checks that it leaves the article's HTML as it was)
COLOUR_RULES = ("color-contrast", "link-in-text-block")


def start_axe(page: Any, rules: tuple[str, ...] | None = None) -> None:
    """Start axe-core on the whole of a Playwright page without waiting for it, so that several tabs (renderer
    processes) can run it at once; :func:`axe_findings` waits for it. Every rule axe-core turns on by default runs
    (or only ``rules``), none is turned off, and nothing is left out of the page."""
    page.evaluate(axe_script())
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules is not None:
        options["runOnly"] = {"type": "rule", "values": list(rules)}
    # axe.run does most of its work before its promise settles; starting it from a timer lets evaluate() return
    page.evaluate(
        "(options) => { window.__axeRun = new Promise((go) => setTimeout(go, 0))"
        ".then(() => axe.run(document, options)); }",
        options,
    )


def axe_findings(page: Any) -> list[str]:
    """Wait for the run :func:`start_axe` started, and describe each violation in a line: its rule, its impact, what
    it asks for and where (at most five places)."""
    found = []
    for violation in page.evaluate("() => window.__axeRun.then((results) => results.violations)"):
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]]
        found.append(f"axe {violation['id']} ({violation['impact']}): {violation['help']} at {'; '.join(targets[:5])}")
    return found


# Debian's Chromium, as the browser tests, the screenshots and Lighthouse start it
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _TolerantLoader(yaml.SafeLoader):
    """A safe YAML loader that reads mkdocs.yml's custom tags (``!!python/name:``, ``!ENV``) as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("", _any_tag)


def load_config(path: Path = MKDOCS_YML) -> dict[str, Any]:
    """mkdocs.yml as a dict, without importing any of the Python objects its tags name."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)


@dataclass(frozen=True)
class NavPage:
    """One page of the navigation: its title, its source file under docs/ and its address relative to the site."""

    title: str
    src: str
    url: str


def page_url(src: str, use_directory_urls: bool = True) -> str:
    """The address mkdocs gives a source file, relative to the site root.

    >>> page_url("index.md"), page_url("guide/padding.md"), page_url("notebooks/index.ipynb")
    ('', 'guide/padding/', 'notebooks/')
    >>> page_url("guide/padding.md", use_directory_urls=False)
    'guide/padding.html'
    """
    path = PurePosixPath(src)
    parent = "" if str(path.parent) == "." else f"{path.parent}/"
    if path.stem in ("index", "README"):
        return parent if use_directory_urls else f"{parent}index.html"
    return f"{parent}{path.stem}/" if use_directory_urls else f"{parent}{path.stem}.html"


def _walk(items: Any, title: str = "") -> list[tuple[str, str]]:
    if isinstance(items, str):
        return [(title or items, items)]
    if isinstance(items, list):
        return [entry for item in items for entry in _walk(item, title)]
    if isinstance(items, dict):
        return [entry for key, value in items.items() for entry in _walk(value, str(key))]
    return []


def nav_pages(config: dict[str, Any] | None = None) -> list[NavPage]:
    """Every page of mkdocs.yml's ``nav:`` in order (links to other sites left out).

    >>> nav_pages({"nav": [{"Home": "index.md"}, {"Guide": [{"Pad": "guide/pad.md"}, {"Ext": "https://x.org/"}]}]})
    [NavPage(title='Home', src='index.md', url=''), NavPage(title='Pad', src='guide/pad.md', url='guide/pad/')]
    """
    config = load_config() if config is None else config
    directory_urls = bool(config.get("use_directory_urls", True))
    return [
        NavPage(title, src, page_url(src, directory_urls))
        for title, src in _walk(config.get("nav") or [])
        if "://" not in src and src.endswith(PAGE_SUFFIXES)
    ]


def built_pages(site_dir: Path) -> list[str]:
    """The addresses (relative to the site root) of every page a built site holds, from its HTML files.

    The sitemap lists pages only when the build knows the site's address (``site_url``); the files are always
    there. The error page (``404.html``) is no page of the navigation and is left out.
    """
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        if relative == "404.html":
            continue
        pages.append(relative[: -len("index.html")] if relative.endswith("index.html") else relative)
    return pages


def sitemap_pages(site_dir: Path, site_url: str) -> list[str]:
    """The addresses (relative to the site root) of every page in a built site's sitemap.xml."""
    root = ET.parse(site_dir / "sitemap.xml").getroot()
    base = urlsplit(site_url).path
    pages = []
    for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        path = urlsplit((loc.text or "").strip()).path
        pages.append(path[len(base) :] if path.startswith(base) else path.lstrip("/"))
    return pages


def slug(url: str) -> str:
    """A file-name-safe name for a page address: ``guide/padding/`` -> ``guide-padding``, the home page -> ``home``.

    >>> slug(""), slug("guide/padding/")
    ('home', 'guide-padding')
    """
    return url.strip("/").replace("/", "-").replace(".", "-") or "home"
