"""The site as the tests and bench/ see it: building it, and which pages it has.

The pages are read from mkdocs.yml's navigation and from the built site's files or its sitemap, so a page added to
the navigation is checked as soon as it lands, with no list of pages to keep up to date by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
MKDOCS_YML = ROOT / "mkdocs.yml"
PAGE_SUFFIXES = (".md", ".ipynb", ".py")  # .py: jupytext notebooks rendered by mkdocs-jupyter


def commit_epoch() -> str:
    """The last commit's time, as the Makefile sets SOURCE_DATE_EPOCH for a build (0 outside a git checkout)."""
    result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() or "0"


def build_site(site_dir: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Build the site as ``make site`` does (``mkdocs build --strict``, dated by the last commit) into ``site_dir``,
    with ``env`` added to the environment; returns the finished process, its output captured, for the caller to
    judge. Never ``--quiet``: under mkdocs 1.6 it drops the warnings before ``--strict`` counts them."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": commit_epoch(), "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


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
