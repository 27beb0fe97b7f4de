"""Page weight: every page's HTML (figures are inline SVG, so they count), and the whole site.

    .venv/bin/python -m bench.page_weight [SITE_DIR]

Without SITE_DIR the site is built first into a temporary folder.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from bench.common import ROOT, build_command, fresh_dir, median, timed

TARGET_KB = 120  # the heaviest page
MEDIAN_TARGET_KB = 60


def weigh(site: Path) -> None:
    pages = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html") if p.name != "404.html"}
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    heavy = sorted(pages.items(), key=lambda item: -item[1])
    print(f"# page weight ({len(pages)} pages; HTML with inline SVG)")
    for name, size in heavy[:5]:
        print(f"{size / 1024:8.1f} KB  {name}")
    over = [name for name, size in pages.items() if size > TARGET_KB * 1024]
    print(f"heaviest {heavy[0][1] / 1024:.1f} KB, median {median(list(pages.values())) / 1024:.1f} KB, "
          f"site total {total / 2**20:.2f} MiB")  # fmt: skip
    print(f"pages over {TARGET_KB} KB: {len(over)}" + (f" ({', '.join(sorted(over))})" if over else ""))
    middle = median(list(pages.values())) / 1024
    print(f"heaviest page  {heavy[0][1] / 1024:6.1f} KB  (target <= {TARGET_KB} KB)  {'ok' if not over else 'OVER'}")
    verdict = "ok" if middle <= MEDIAN_TARGET_KB else "OVER"
    print(f"median page    {middle:6.1f} KB  (target <= {MEDIAN_TARGET_KB} KB)  {verdict}")


def main() -> None:
    if len(sys.argv) > 1:
        weigh(Path(sys.argv[1]))
        return
    work = fresh_dir("weight")
    timed(build_command(ROOT / "mkdocs.yml", work / "site"))
    weigh(work / "site")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
