"""The notebooks under docs/notebooks: stored with the outputs a fresh run gives (every cell runs, its asserts
included), and the hook in conv_docs.site.notebooks slims the pages mkdocs-jupyter makes of them."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from conv_docs.site.notebooks import NOTEBOOK_CSS, on_post_page, outputs, run, slim

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "docs" / "notebooks").glob("*.ipynb"))


def test_there_is_a_notebook() -> None:
    assert [path.name for path in NOTEBOOKS] == ["conv1d-deep-dive.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_stored_outputs_are_those_of_a_fresh_run(path: Path) -> None:
    stored = nbformat.read(path, as_version=4)
    nbformat.validate(stored)
    code = [cell for cell in stored.cells if cell.cell_type == "code"]
    assert code, "a notebook without code has nothing to run"
    assert all(cell.execution_count for cell in code), f"{path.name} is stored unrun: run 'make notebooks'"
    fresh = run(path)  # raises CellExecutionError, with the failing cell and its traceback, if any cell fails
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
