"""Every script in bench/ imports, as `python -m bench.<script>` runs it from the repository's root: what it takes
from bench/common.py and the test-support package tests/support/ is there. The scripts themselves take minutes and
are not run here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_bench_script_imports() -> None:
    names = sorted(path.stem for path in (ROOT / "bench").glob("*.py") if path.stem != "__init__")
    assert {"common", "test_time", "screenshots", "lighthouse", "browser_cost"} <= set(names)
    modules = ", ".join(f"bench.{name}" for name in names)
    result = subprocess.run(
        [sys.executable, "-c", f"import {modules}"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_no_script_edits_the_import_path() -> None:
    """bench/ and tests/ import each other by package name (bench.common, tests.support), never through sys.path."""
    edits = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("bench", "tests")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\bsys\.path\.(insert|append)\(", line)
    ]
    assert edits == []
