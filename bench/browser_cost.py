"""What the browser checks of `make test` cost at the least: CPU-seconds to load each page and to run axe-core on it.

    .venv/bin/python -m bench.browser_cost [--runs 3] [SITE_DIR]

Every page of the navigation is opened in one tab at a time (so that the machine's busy time belongs to it), at
1280 and 375 px, in the light and the dark palette, as tests/test_browser.py checks it, and axe-core is run on it
with every rule that is on by default, as the tests run it. CPU time is the machine's busy time (all processes:
the browser's, and the Python and Node ones that drive it), read from /proc/stat; the median of the runs is taken
per page and view. Run it on an idle machine. The last line is the floor this puts under `make test` on a 2-core
machine: these loads and axe-core runs alone, spread perfectly over both cores, against the 120 s target of the
whole run. Without SITE_DIR the site is built first into a temporary folder.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.common import busy_seconds, machine, median, site_for
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, axe_findings, start_axe  # as the tests run them
from tests.support.serving import serve
from tests.support.site import nav_pages

WIDTHS = (1280, 375)
PALETTES = ("light", "dark")
CORES = 2
TARGET = 120.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page and view; the median is kept (default 3)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    site = site_for(args.site, "browser-cost")
    pages = [page.url for page in nav_pages()] + ["404.html"]

    from playwright.sync_api import sync_playwright

    loads: list[float] = []
    axes: list[float] = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in WIDTHS:
            for palette in PALETTES:
                context = browser.new_context(color_scheme=palette, viewport={"width": width, "height": 900})
                tab = context.new_page()
                for url in pages:
                    load_runs, axe_runs = [], []
                    for _ in range(args.runs):
                        start = busy_seconds()
                        tab.goto(base + url, wait_until="load")
                        time.sleep(0.3)  # what the page starts after its load event (the search index) counts too
                        load_runs.append(busy_seconds() - start)
                        start = busy_seconds()
                        start_axe(tab)
                        axe_findings(tab)
                        axe_runs.append(busy_seconds() - start)
                    loads.append(median(load_runs))
                    axes.append(median(axe_runs))
                context.close()
        browser.close()
    views = len(loads)
    print(f"# browser work per page and view, CPU-seconds ({machine()}), median of {args.runs} runs")
    print(f"# {len(pages)} pages x {len(WIDTHS) * len(PALETTES)} views = {views} views")
    print(f"load + what it starts  median {median(loads):.3f}   total {sum(loads):6.1f}")
    print(f"axe-core, every rule   median {median(axes):.3f}   total {sum(axes):6.1f}")
    print(f"one load per width (the palette toggle serves the other palette): loads total {sum(loads) / 2:6.1f}")
    floor = (sum(loads) / 2 + sum(axes)) / CORES
    print(f"floor under make test: {floor:.1f} s on {CORES} cores for these alone (target {TARGET:.0f} s for the run)")


if __name__ == "__main__":
    main()
