"""The set-up: ``make site`` installs only what building the site needs (the ``docs`` extra: no torch, no test
tools), ``make test`` adds the ``test`` extra, and each is installed once (its own stamp file in .venv)."""

from __future__ import annotations

import re
import subprocess
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
# ruff is in both extras: the site build formats the API pages' signatures with it (mkdocstrings)
TEST_ONLY = {"torch", "pytest", "pytest-xdist", "pytest-markdown-docs", "hypothesis", "playwright"}


def _dry_run(target: str, venv: Path) -> list[str]:
    """The commands ``make TARGET`` would run with its virtualenv at ``venv`` (``make -n``: nothing is run)."""
    result = subprocess.run(
        ["make", "-n", target, f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


def _installs(lines: list[str]) -> list[str]:
    return [line for line in lines if "pip install" in line]


def test_make_site_on_a_fresh_clone_installs_the_docs_extra_only(tmp_path: Path) -> None:
    lines = _dry_run("site", tmp_path / "venv")
    installs = _installs(lines)
    assert any('-e ".[docs]"' in line for line in installs), installs
    assert not [line for line in installs if "[test]" in line or "torch" in line], installs
    # it says what it is doing while pip works
    assert any("Installing the packages to build the site" in line for line in lines), lines
    assert any("mkdocs build --strict" in line for line in lines)


def test_make_test_on_a_fresh_clone_installs_the_docs_then_the_test_extra(tmp_path: Path) -> None:
    installs = _installs(_dry_run("test", tmp_path / "venv"))
    docs = next(i for i, line in enumerate(installs) if '-e ".[docs]"' in line)
    test = next(i for i, line in enumerate(installs) if '-e ".[test]"' in line)
    assert docs < test


def test_after_make_site_make_test_installs_only_what_is_missing(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".installed-site").touch()  # newer than pyproject.toml and constraints.txt: the site's set-up is done
    installs = _installs(_dry_run("test", venv))
    assert len(installs) == 1 and '-e ".[test]"' in installs[0], installs
    assert not _installs(_dry_run("site", venv))
    (venv / ".installed").touch()
    assert not _installs(_dry_run("test", venv))


def _closure(name: str, extras: frozenset[str] = frozenset()) -> set[str]:
    """Every distribution that installing ``name[extras]`` brings, read from the installed metadata."""
    seen: set[str] = set()
    todo = [(name, extras)]
    while todo:
        current, wanted = todo.pop()
        try:
            requires = distribution(current).requires or []
        except PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is not None and not any(marker.evaluate({"extra": extra}) for extra in (wanted or {""})):
                continue
            key = canonicalize_name(requirement.name)
            if key not in seen or requirement.extras:
                seen.add(key)
                todo.append((key, frozenset(requirement.extras)))
    return seen


def test_the_docs_extra_brings_no_torch_and_no_test_tool() -> None:
    docs = _closure("conv-docs", frozenset({"docs"}))
    assert {"mkdocs", "mkdocs-material", "mkdocs-jupyter", "numpy", "matplotlib"} <= docs
    assert not docs & TEST_ONLY, sorted(docs & TEST_ONLY)
    assert _closure("conv-docs", frozenset({"test"})) >= TEST_ONLY  # the check sees them where they are


def test_pyproject_bounds_mkdocs_below_2() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"mkdocs>=1\.6,<2"', text), "MkDocs 2 drops plugins: keep mkdocs>=1.6,<2"
    pins = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().split() if "==" in line)
    assert pins["mkdocs"].startswith("1.") and pins["mkdocs-material"].startswith("9.8.")
