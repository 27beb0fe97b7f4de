"""Lighthouse mobile scores for one page of every kind, with Debian's Chromium.

    (cd bench && npm ci)             # once: installs the pinned lighthouse
    .venv/bin/python -m bench.lighthouse [--runs 3] [SITE_DIR]

Serves the built site on 127.0.0.1 with gzip and runs `lighthouse` (mobile form factor, simulated throttling) on
each page, three times by default; prints the median of each category, and the performance of each run.
Without SITE_DIR the site is built first into a temporary folder.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import subprocess
from pathlib import Path

from bench.common import ROOT, median, site_for
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS  # the browser and server of the tests
from tests.support.serving import QuietHandler, serve

PAGES = {
    "home": "",
    "case": "cases/kernel-2-stride-2-padding-1/",
    "guide": "guide/padding/",
    "playground": "playground/",
    "notebook": "notebooks/conv1d-deep-dive/",
    "api": "reference/api/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 0.97, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
FLAGS = " ".join(CHROMIUM_ARGS)


class _Host(QuietHandler):
    """A static host as the site is published on: text compressed with gzip when the browser asks for it."""

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the base class redirects /page to /page/
            path = path / "index.html"
        if path.suffix not in TEXT or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


TEXT = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt"}


def audit(url: str) -> dict[str, float]:
    binary = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
    result = subprocess.run(
        [str(binary), url, "--output=json", "--quiet", f"--chrome-flags={FLAGS}",
         f"--only-categories={','.join(CATEGORIES)}"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True,
    )  # fmt: skip
    report = json.loads(result.stdout)
    return {name: report["categories"][name]["score"] for name in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is printed (default 3)")
    args = parser.parse_args()
    site = site_for(args.site, "lighthouse")
    print(f"# Lighthouse (mobile), median of {args.runs} runs: " + " ".join(f"{c}>={t}" for c, t in TARGETS.items()))
    print(f"{'kind':11s} " + " ".join(f"{c[:13]:>13s}" for c in CATEGORIES) + "  performance runs  page")
    missed = 0
    with serve(site, handler=_Host) as base:
        for kind, path in PAGES.items():
            if not (site / path / "index.html").exists():
                print(f"{kind:11s} (no page at {path})")
                missed += 1
                continue
            runs = [audit(base + path) for _ in range(args.runs)]
            scores = {c: median([run[c] for run in runs]) for c in CATEGORIES}
            missed += sum(scores[c] < TARGETS[c] for c in CATEGORIES)
            marks = " ".join(f"{scores[c]:>12.2f}{' ' if scores[c] >= TARGETS[c] else '!'}" for c in CATEGORIES)
            each = ", ".join(f"{run['performance']:.2f}" for run in runs)
            print(f"{kind:11s} {marks}  {each:16s}  {path or '/'}", flush=True)
    print("all targets met" if not missed else f"{missed} score(s) below target (marked !)")


if __name__ == "__main__":
    main()
