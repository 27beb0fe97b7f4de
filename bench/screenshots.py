"""A PNG of every page in the navigation, at 375 px and 1280 px wide, in the light and the dark palette.

    make screenshots                                   # builds the site, writes screenshots/*.png
    .venv/bin/python -m bench.screenshots [--site-dir SITE] [--out FOLDER] [--page guide/padding/ ...]

Builds the site with ``mkdocs build --strict`` (or takes an already built ``--site-dir``), serves it on
127.0.0.1, opens every page of mkdocs.yml's navigation (and the 404 page) in Debian's Chromium and saves a
full-page screenshot per width and palette, named ``<page>--<palette>-<width>.png``, so that an author can look
at the whole site in a minute. Nothing is checked here: tests/test_browser.py checks what can be measured.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS  # as the browser tests
from tests.support.serving import serve
from tests.support.site import ROOT, NavPage, build_site, nav_pages, slug

WIDTHS = (375, 1280)
PALETTES = ("light", "dark")
HEIGHT = 900


def build(site: Path) -> None:
    result = build_site(site)
    if result.returncode:
        sys.exit(f"mkdocs build --strict failed:\n{result.stdout}{result.stderr}")


def shoot(base: str, pages: list[NavPage], out: Path) -> list[Path]:
    """One tab per width and palette; each page is loaded in all four tabs at once, then photographed."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tabs = {
            (palette, width): browser.new_context(
                color_scheme=palette, viewport={"width": width, "height": HEIGHT}
            ).new_page()
            for width in WIDTHS
            for palette in PALETTES
        }
        for page in pages:
            for tab in tabs.values():
                tab.goto(base + page.url, wait_until="commit")
            for (palette, width), tab in tabs.items():
                tab.wait_for_load_state("load")
                path = out / f"{slug(page.url)}--{palette}-{width}.png"
                tab.screenshot(path=str(path), full_page=True)
                written.append(path)
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", type=Path, help="a site already built (default: build one now)")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="folder for the PNGs")
    parser.add_argument("--page", action="append", help="only this page address (repeatable), e.g. guide/padding/")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is missing: apt-get install -y chromium")
    pages = [*nav_pages(), NavPage("Page not found", "404.html", "404.html")]
    if args.page:
        known = {page.url for page in pages} | {"home"}
        unknown = [url for url in args.page if url not in known]
        if unknown:
            parser.error(f"--page must be a page of the navigation, got {', '.join(unknown)}")
        pages = [page for page in pages if page.url in args.page or ("home" in args.page and page.url == "")]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="conv-docs-screenshots-") as scratch:
        site = args.site_dir or Path(scratch) / "site"
        if args.site_dir is None:
            build(site)
        with serve(site, args.port) as base:
            written = shoot(base, pages, args.out)
    print(f"{len(written)} screenshots of {len(pages)} pages in {args.out} ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
