"""The README's map ("What is where") names every module a newcomer may look for, and nothing that is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAP = re.compile(r"^## What is where\n(.*?)^## ", re.S | re.M)


def _map() -> str:
    found = MAP.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert found, "README.md has no section 'What is where'"
    return found.group(1)


def _modules(folder: str) -> set[str]:
    return {path.name for path in (ROOT / folder).glob("*.py") if path.stem not in ("__init__", "__main__")}


def test_the_map_names_every_module_of_the_library_the_site_build_and_the_test_support() -> None:
    text = _map()
    named = set(re.findall(r"`(?:[\w/]+/)?(\w+\.py)`", text))
    for folder in ("src/conv_docs", "src/conv_docs/site", "tests/support"):
        missing = sorted(_modules(folder) - named)
        assert missing == [], f"README.md's map leaves out {folder}/: {missing}"


def test_every_path_and_module_the_map_names_is_there() -> None:
    text = _map()
    for path in re.findall(r"^\| `([\w./-]+)`", text, re.M):
        assert (ROOT / path).exists(), f"README.md's map names {path}, which is not in the tree"
    modules = {path.name for path in ROOT.glob("**/*.py") if ".venv" not in path.parts and ".cache" not in path.parts}
    for name in re.findall(r"`(?:[\w/]+/)?(\w+\.py)`", text):
        assert name in modules, f"README.md's map names {name}, which no folder holds"
