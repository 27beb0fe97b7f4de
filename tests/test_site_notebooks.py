"""The notebooks under docs/notebooks: stored with the outputs a fresh run gives (every cell runs, its asserts
included), and the hook in conv_docs.site.notebooks slims the pages mkdocs-jupyter makes of them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conv_docs.site.notebooks import NOTEBOOK_CSS, CellFailed, on_page_content, on_post_page, outputs, run, slim

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))


def test_there_is_a_notebook() -> None:
    assert [path.name for path in NOTEBOOKS] == ["conv1d-deep-dive.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_stored_outputs_are_those_of_a_fresh_run(path: Path) -> None:
    stored = nbformat.read(path, as_version=4)
    nbformat.validate(stored)
    code = [cell for cell in stored.cells if cell.cell_type == "code"]
    assert code, "a notebook without code has nothing to run"
    assert all(cell.execution_count for cell in code), f"{path.name} is stored unrun: run 'make notebooks'"
    fresh = run(path)  # raises CellFailed, naming the failing cell (nbclient's traceback as its cause), if any fails
    for cell, was, now in zip(code, outputs(stored), outputs(fresh), strict=True):
        first_line = cell.source.splitlines()[0]
        assert was == now, f"stale outputs in the cell that starts {first_line!r}: run 'make notebooks' and commit"


def test_a_stream_split_into_chunks_compares_equal_to_one_output() -> None:
    # a kernel may send "weights: ..." in one message or in two: the comparison must not care
    def notebook(*chunks: str, then: str = "display") -> nbformat.NotebookNode:
        cell = nbformat.v4.new_code_cell("explore(...)")
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=chunk) for chunk in chunks]
        cell.outputs.append(nbformat.v4.new_output("display_data", data={"text/plain": then}))
        return nbformat.v4.new_notebook(cells=[cell])

    whole = outputs(notebook("weights: [0.94]  bias: 0.42\nnn.Conv1d gives: [2.3]\n"))
    assert outputs(notebook("weights: [0.94]  bias: 0.42\n", "nn.Conv1d gives: [2.3]\n")) == whole
    assert outputs(notebook("weights: [0.9", "4]  bias: 0.42\nnn.Conv1d gives: [2.3]\n")) == whole
    assert outputs(notebook("weights: [0.95]  bias: 0.42\n", "nn.Conv1d gives: [2.3]\n")) != whole  # text counts
    assert outputs(notebook("weights: [0.94]  bias: 0.42\nnn.Conv1d gives: [2.3]\n", then="other")) != whole
    # what is printed before and after a figure stays two outputs, in their places
    cell = nbformat.v4.new_code_cell("show(plot)")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="before\n"),
        nbformat.v4.new_output("display_data", data={"text/plain": "figure"}),
        nbformat.v4.new_output("stream", name="stdout", text="after\n"),
    ]
    assert [output.get("text") for output in outputs(nbformat.v4.new_notebook(cells=[cell]))[0]] == [
        "before\n",
        None,
        "after\n",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_stored_outputs_are_light_and_named(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    stored = [output for cell in outputs(notebook) for output in cell]
    assert not [output for output in stored if output["output_type"] == "error"]
    # figures are inline SVG in HTML outputs (so that they follow the page's palette), each with its description
    figures = [
        output["data"]["text/html"] for output in stored if "<svg" in output.get("data", {}).get("text/html", "")
    ]
    assert len(figures) >= 6  # the four cases, your turn, and the learnt detector
    assert all('role="img"' in svg and "<desc" in svg and len(svg.encode()) <= 30_000 for svg in figures)
    assert not [output for output in stored if "image/png" in output.get("data", {})]  # no pixels, no base64


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> str:
    """What mkdocs-jupyter makes of a two-cell notebook (not executed), with this site's options."""
    from mkdocs_jupyter.convert import nb2html

    path = tmp_path_factory.mktemp("nb") / "tiny.ipynb"
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("## A heading"), nbformat.v4.new_code_cell("answer = 6 * 7")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(notebook, path)
    return nb2html(str(path), highlight_extra_classes="highlight", custom_mathjax_url="")  # as the plugin calls it


def test_slim_drops_the_inlined_css_and_outside_scripts(converted: str) -> None:
    assert len(converted) > 500_000  # what mkdocs-jupyter inlines on its own: JupyterLab's stylesheet
    assert "cdnjs.cloudflare.com" in converted  # Mermaid's loader
    assert '<script src="">' in converted  # MathJax's loader, with no address
    page = slim(converted)
    assert len(page) < 10_000
    assert "cdnjs" not in page and '<script src="">' not in page and "x-mathjax-config" not in page
    assert "clipboard-copy" not in page
    assert page.count(NOTEBOOK_CSS) == 1
    assert '<span class="n">answer</span>' in page and "A heading" in page  # the content stays
    assert '<pre tabindex="0">' in page  # code that scrolls sideways can be reached with the keyboard


def test_hook_only_touches_notebook_pages(converted: str) -> None:
    class Page:
        def __init__(self, src_uri: str) -> None:
            self.file = type("File", (), {"src_uri": src_uri})()

    assert on_post_page(converted, Page("guide/fast.md"), config={}) == converted
    assert on_post_page(converted, Page("notebooks/tiny.ipynb"), config={}) == slim(converted)


def test_built_notebook_page_is_slim_and_self_contained(built_site: Path) -> None:
    page = (built_site / "notebooks" / "conv1d-deep-dive" / "index.html").read_text()
    assert len(page.encode()) < 150_000  # mkdocs-jupyter alone makes it over 700 KB
    assert "cdnjs" not in page and "data:image" not in page
    assert "clipboard-copy" not in page  # the copy buttons' hidden second copy of every cell's code
    figures = re.findall(r"<svg\b[^>]*>", page)
    assert sum('class="conv-svg"' in tag and 'role="img"' in tag for tag in figures) >= 6  # attributes get reordered
    # the notebook's own links (to the download and to guide pages) are not checked by mkdocs: check them here
    notebook = page[page.index('<div class="jupyter-wrapper">') :]
    links = [href for href in re.findall(r'<a[^>]* href="([^"#]+)"', notebook) if "://" not in href]
    assert "conv1d-deep-dive.ipynb" in links
    here = built_site / "notebooks" / "conv1d-deep-dive"
    for href in links:
        target = (here / href).resolve()
        assert (target / "index.html" if target.is_dir() else target).exists(), href


# --- errors: one line naming the notebook and the cell ----------------------------------------------------------------


def _notebook_with(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(
        cells=list(cells),
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


def _failed_cell() -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("ratio = 1 / 0", execution_count=1)
    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="ZeroDivisionError",
            evalue="division by zero",
            traceback=["\x1b[0;31mZeroDivisionError\x1b[0m Traceback (most recent call last)", "  ratio = 1 / 0"],
        )
    ]
    return cell


STORED_ERROR = (
    'notebooks/broken.ipynb: cell 3 ("ratio = 1 / 0"): stored with an error output, ZeroDivisionError: division by'
    " zero; fix the cell and run 'make notebooks'"
)


def test_a_stored_error_output_is_one_error_line_naming_the_notebook_and_the_cell(caplog) -> None:
    notebook = _notebook_with(
        nbformat.v4.new_markdown_cell("# Broken"), nbformat.v4.new_code_cell("x = 1", execution_count=1), _failed_cell()
    )

    class Page:
        file = type("File", (), {"src_uri": "notebooks/broken.ipynb", "content_string": nbformat.writes(notebook)})()

    with caplog.at_level("ERROR", logger="mkdocs"):
        assert on_page_content("<p>page</p>", Page()) == "<p>page</p>"
    assert [(record.name, record.levelname, record.getMessage()) for record in caplog.records] == [
        ("mkdocs.conv_docs", "ERROR", STORED_ERROR)
    ]
    caplog.clear()
    notebook.cells[2].outputs = []  # the same notebook without the error: nothing to say
    Page.file.content_string = nbformat.writes(notebook)
    on_page_content("<p>page</p>", Page())
    assert caplog.records == []


def test_a_strict_build_fails_on_a_notebook_stored_with_an_error_output(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "notebooks").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    notebook = _notebook_with(
        nbformat.v4.new_markdown_cell("# Broken"), nbformat.v4.new_code_cell("x = 1", execution_count=1), _failed_cell()
    )
    nbformat.write(notebook, docs / "notebooks" / "broken.ipynb")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: notebooks\nplugins:\n  - mkdocs-jupyter:\n      execute: false\n"
        f"hooks:\n  - {ROOT / 'src' / 'conv_docs' / 'site' / 'notebooks.py'}\n"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert [line for line in said.splitlines() if "ERROR" in line] == [f"ERROR   -  {STORED_ERROR}"]
    assert "Traceback" not in said


def _store(tmp_path: Path, name: str, *sources: str) -> Path:
    path = tmp_path / name
    nbformat.write(_notebook_with(*(nbformat.v4.new_code_cell(source) for source in sources)), path)
    return path


def test_a_failing_cell_is_one_line_and_the_notebook_is_left_as_it_was(tmp_path: Path) -> None:
    good = _store(tmp_path, "good.ipynb", "print(6 * 7)")
    bad = _store(tmp_path, "bad.ipynb", "x = 1", "# the ratio\nratio = x / 0", "print('never')")
    before = bad.read_bytes()
    command = [sys.executable, "-m", "conv_docs.site.notebooks", str(bad), str(good)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f'{bad}: cell 2 ("# the ratio"): ZeroDivisionError: division by zero; {bad} is left as it was'
    ]
    assert bad.read_bytes() == before
    assert result.stdout.splitlines() == [f"stored the outputs of {good}"]  # the other notebook is run and stored
    assert outputs(nbformat.read(good, as_version=4)) == [[{"output_type": "stream", "name": "stdout", "text": "42\n"}]]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.ipynb", "good.ipynb"]  # no temporary file left


def test_run_raises_one_line_with_nbclients_error_as_its_cause(tmp_path: Path) -> None:
    from nbclient.exceptions import CellExecutionError

    path = _store(tmp_path, "raises.ipynb", "raise ValueError('kernel_size must be an int >= 1, got 0')")
    with pytest.raises(CellFailed) as caught:
        run(path)
    assert str(caught.value) == (
        f"{path}: cell 1 (\"raise ValueError('kernel_size must be an int >= 1, got 0')\"): "
        "ValueError: kernel_size must be an int >= 1, got 0"
    )
    assert isinstance(caught.value.__cause__, CellExecutionError)  # with the traceback, for a test's report


@pytest.mark.parametrize("name", ["missing.ipynb", "not-json.ipynb"])
def test_a_notebook_that_cannot_be_read_is_one_line_and_exit_2(tmp_path: Path, name: str) -> None:
    (tmp_path / "not-json.ipynb").write_text("{ not json")
    command = [sys.executable, "-m", "conv_docs.site.notebooks", name]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{name}: cannot read this notebook: ")
    assert "Traceback" not in result.stderr


def test_a_failed_write_leaves_the_notebook_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conv_docs.site import notebooks

    path = _store(tmp_path, "kept.ipynb", "print(1)")
    before = path.read_bytes()

    def full_disk(notebook: nbformat.NotebookNode, file: object) -> None:
        file.write('{"cells": [')  # half a notebook, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nbformat, "write", full_disk)
    with pytest.raises(OSError, match="No space left"):
        notebooks.write(_notebook_with(nbformat.v4.new_code_cell("print(2)")), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["kept.ipynb"]
