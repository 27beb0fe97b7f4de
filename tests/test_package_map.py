"""Each package's docstring names what it holds, and the library's modules import only those its list puts above."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("src/conv_docs", "src/conv_docs/figures", "src/conv_docs/site", "tests/support", "bench")
NAMED = re.compile(r"``(\w+)/?``|:mod:`[\w.]*?(\w+)`")


def _docstring(folder: Path) -> str:
    return ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8"))) or ""


def _named(text: str) -> list[str]:
    """The names a docstring sets in double backquotes (or as :mod:), in the order they first appear."""
    names: list[str] = []
    for found in NAMED.finditer(text):
        name = found.group(1) or found.group(2)
        if name not in names:
            names.append(name)
    return names


def _holds(folder: Path) -> set[str]:
    """The modules and subfolders of a package: ``__init__``, caches and npm's ``node_modules`` aside."""
    modules = {path.stem for path in folder.glob("*.py") if path.stem != "__init__"}
    folders = {path.name for path in folder.iterdir() if path.is_dir() and not path.name.startswith((".", "_"))}
    return modules | folders - {"node_modules"}


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_docstring_names_every_module_it_holds(package: str) -> None:
    folder = ROOT / package
    missing = sorted(_holds(folder) - set(_named(_docstring(folder))))
    assert missing == [], f"{package}/__init__.py's docstring leaves out {missing}"


def _imported(path: Path) -> set[str]:
    """The first name after ``conv_docs.`` of every import of the library in one file (``""`` for the root)."""
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.append(node.module)
        elif isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
    return {[*module.split("."), ""][1] for module in modules if module.split(".")[0] == "conv_docs"}


def test_no_module_of_the_library_imports_one_its_docstring_lists_below_it() -> None:
    library = ROOT / "src/conv_docs"
    order = [name for name in _named(_docstring(library)) if name in _holds(library)]
    rank = {name: index for index, name in enumerate(order)}
    rank[""] = max(rank[name] for name in _imported(library / "__init__.py"))  # the root re-exports these
    for name in order:
        files = [library / f"{name}.py"] if (library / f"{name}.py").exists() else sorted((library / name).glob("*.py"))
        for path in files:
            above = {imported for imported in _imported(path) if imported != name and rank[imported] > rank[name]}
            where = path.relative_to(ROOT)
            assert above == set(), f"{where} imports {sorted(above)}, which conv_docs's docstring lists after {name}"
