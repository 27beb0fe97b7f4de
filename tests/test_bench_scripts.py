"""Every script in bench/ imports, as `python bench/<script>.py` runs it (from its folder): what it takes from
bench/common.py and tests/browser_pages.py is there. The scripts themselves take minutes and are not run here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_every_bench_script_imports() -> None:
    names = sorted(path.stem for path in BENCH.glob("*.py"))
    assert {"common", "test_time", "screenshots", "lighthouse", "browser_cost"} <= set(names)
    result = subprocess.run(
        [sys.executable, "-c", f"import {', '.join(names)}"], cwd=BENCH, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
