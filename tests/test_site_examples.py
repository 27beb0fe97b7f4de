"""The docs' examples show what they print: ``#>`` blocks checked, rewritten by ``make examples``, fences linted."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conv_docs.site.examples import lint_page, output_blocks, own_results, python_fences, rewrite_page, run_example

ROOT = Path(__file__).resolve().parent.parent
TICK = "`" * 3

PAGE = f"""# A page

{TICK}{{.python}}
from conv_docs import conv1d

print(conv1d([[2, 3, 4]], [[[1, 1]]]))
#> [[5. 7.]]
{TICK}

Then the same layer with a stride:

{TICK}{{.python continuation}}
y = conv1d([[2, 3, 4]], [[[1, 1]]], stride=2)
print(y.shape)
#> (1, 1)
{TICK}
"""


def test_a_block_shows_what_the_statements_above_it_printed() -> None:
    source = "print('a')\nprint('b')\n#> a\n#> b\nx = 1\nfor i in range(2):\n    print(i * x)\n#> 0\n#> 1\n"
    results = run_example(source, "page.md", {})
    assert [(r.block.first, r.expected, r.actual) for r in results] == [
        (3, ["a", "b"], ["a", "b"]),
        (8, ["0", "1"], ["0", "1"]),
    ]
    assert all(r.ok for r in results)


def test_a_changed_digit_and_unshown_output_are_found() -> None:
    wrong, unshown = run_example("print(12)\n#> 13\nprint('more')\n", "page.md", {})
    assert (wrong.ok, wrong.expected, wrong.actual) == (False, ["13"], ["12"])
    assert (unshown.block, unshown.actual, unshown.after_line) == (None, ["more"], 3)


def test_an_empty_line_and_trailing_spaces() -> None:
    (result,) = run_example("print('a  ')\nprint()\nprint('b')\n#> a\n#>\n#> b\n", "page.md", {})
    assert result.ok and result.expected == ["a", "", "b"]


def test_a_block_inside_a_statement_is_refused() -> None:
    with pytest.raises(ValueError, match="line 3: a #> block must start at the left margin"):
        output_blocks("if True:\n    print(1)\n    #> 1\n")


def test_an_error_in_the_code_keeps_its_line() -> None:
    with pytest.raises(ZeroDivisionError) as caught:
        run_example("\n\nx = 1\nprint(x)\n#> 1\ny = x / 0\n", "page.md", {})
    assert caught.traceback[-1].lineno + 1 == 6  # pytest counts from 0


def test_fences_and_their_lines_are_those_pytest_markdown_docs_runs() -> None:
    first, second = python_fences(PAGE)
    assert (first.first_line, first.continues, second.first_line, second.continues) == (4, False, 13, True)
    lines = PAGE.split("\n")
    assert lines[first.first_line - 1] == "from conv_docs import conv1d"
    assert second.source.split("\n")[12] == lines[12] == "y = conv1d([[2, 3, 4]], [[[1, 1]]], stride=2)"


def test_the_rewrite_fills_blocks_and_adds_missing_ones() -> None:
    page = PAGE.replace("#> (1, 1)", "#> (9, 9)").replace("#> [[5. 7.]]\n", "")
    fences = python_fences(page)
    starts = tuple(fence.first_line for fence in fences)
    results = [
        r for fence in fences for r in own_results(run_example(fence.source, "page.md", {}, None, starts), fence)
    ]
    fixed = rewrite_page(page, results, ROOT / "pyproject.toml")
    assert fixed == PAGE


def test_lint_names_the_page_and_line_of_an_unused_import() -> None:
    assert lint_page(PAGE, "docs/page.md", ROOT / "pyproject.toml") == []
    page = PAGE.replace("y = conv1d(", "import os\n\ny = conv1d(")
    assert lint_page(page, "docs/page.md", ROOT / "pyproject.toml") == [
        "docs/page.md:13: F401 `os` imported but unused"
    ]
    wide = 'print("x" * 10 + "y" * 90)\n#> ' + "x" * 10 + "y" * 90  # a printed line is held to no length
    assert lint_page(PAGE.replace("#> (1, 1)", "#> (1, 1)\n" + wide), "docs/page.md", ROOT / "pyproject.toml") == []
    assert lint_page(
        PAGE.replace("#> (1, 1)", "#> (1, 1)\n# " + "z" * 90), "docs/page.md", ROOT / "pyproject.toml"
    ) == [
        "docs/page.md:16: E501 Line too long (92 > 79)"  # a comment is
    ]
    unformatted = PAGE.replace("[[[1, 1]]], stride=2)", "[[[1,1]]], stride = 2)")
    assert lint_page(unformatted, "docs/page.md", ROOT / "pyproject.toml") == [
        "docs/page.md:13: not formatted as `ruff format` would (make examples)"
    ]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with the root conftest and pyproject of this project, where pytest runs a page as the docs run."""
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    return tmp_path


def pytest_on(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n0", "-p", "no:cacheprovider", *args, "page.md"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_changed_digit_fails_with_the_page_line_and_both_texts(project: Path) -> None:
    assert pytest_on(project).returncode == 0
    page = project / "page.md"
    page.write_text(PAGE.replace("#> [[5. 7.]]", "#> [[5. 8.]]"), encoding="utf-8")
    run = pytest_on(project)
    assert run.returncode == 1
    assert "page.md:7: the #> block differs from what the code above it prints" in run.stdout
    assert "shown:\n    #> [[5. 8.]]\n  printed:\n    #> [[5. 7.]]" in run.stdout
    assert "Traceback" not in run.stdout


def test_an_unused_import_fails_the_pages_ruff_item(project: Path) -> None:
    (project / "page.md").write_text(PAGE.replace("from conv_docs", "import math\n\nfrom conv_docs"), encoding="utf-8")
    run = pytest_on(project)
    assert run.returncode == 1
    assert "page.md:4: F401 `math` imported but unused" in run.stdout


def test_update_examples_rewrites_the_page_from_a_real_run(project: Path) -> None:
    page = project / "page.md"
    page.write_text(PAGE.replace("#> (1, 1)", "#>").replace("[[[1, 1]]], stride=2)", "[[[1,1]]],stride=2)"))
    run = pytest_on(project, "--update-examples")
    assert run.returncode == 0, run.stdout
    assert page.read_text(encoding="utf-8") == PAGE
    assert "page.md: rewritten" in run.stdout


def test_update_examples_leaves_a_failing_page_as_it_was(project: Path) -> None:
    page = project / "page.md"
    broken = PAGE.replace("#> (1, 1)", "#> (2, 2)").replace("stride=2)", "stride=0)")
    page.write_text(broken, encoding="utf-8")
    run = pytest_on(project, "--update-examples")
    assert run.returncode == 1
    assert page.read_text(encoding="utf-8") == broken
    assert "page.md: left as it was, since an example failed" in run.stdout
