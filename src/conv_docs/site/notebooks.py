"""Slim notebook pages: an MkDocs hook that trims what mkdocs-jupyter adds to every notebook page.

mkdocs-jupyter inlines JupyterLab's whole stylesheet (over half a megabyte) into each notebook page, plus a
MathJax loader with an empty address, a Mermaid loader pointing at a CDN, a second copy of the code
highlighting styles, and a copy button per cell that carries a hidden second copy of the code; it has no
option to leave them out. The notebooks of this site need none of it: code is highlighted with the theme's
own colours (``highlight_extra_classes: highlight``), figures are inline SVG, there is no math or Mermaid, and
the whole notebook can be downloaded from the top of the page. :func:`slim` removes those blocks and adds
:data:`NOTEBOOK_CSS`, a few rules that lay out cells with the theme's variables, so that the page follows the
light and dark palettes like every other.

The hook is registered in ``mkdocs.yml`` (``hooks:``) and only touches pages made from ``.ipynb`` files.

Notebooks are stored with their outputs, and the site shows those: building the site runs no kernel.
:func:`run` runs a notebook afresh; ``python -m conv_docs.site.notebooks PATH...`` (``make notebooks``) stores the
outputs of a fresh run, and the tests check that the stored outputs are exactly what a fresh run gives
(:func:`outputs`), so that a page cannot show what the code no longer does.

A notebook stored with an error output fails a strict build: :func:`on_page_content` logs one line per such cell,
``notebooks/x.ipynb: cell 7 ("1 / 0"): stored with an error output, ZeroDivisionError: division by zero; ...``.
A cell that fails in ``make notebooks`` is reported in one line of the same form, and the notebook is left as it
was. Cells are counted from 1, Markdown cells included, in the order the notebook shows them.

>>> page = '<div class="jupyter-wrapper"><style type="text/css">.jupyter-wrapper{--x: 1}</style><p>hi</p></div>'
>>> slim(page).startswith('<div class="jupyter-wrapper"><style>')
True
>>> "--x" in slim(page)
False
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

WRAPPER = '<div class="jupyter-wrapper">'

log = logging.getLogger("mkdocs.conv_docs")  # under "mkdocs": a strict build counts these errors

# Cells laid out with the theme's variables: no prompts, code in the theme's code box, outputs below it.
NOTEBOOK_CSS = (
    ".jupyter-wrapper .jp-InputPrompt,.jupyter-wrapper .jp-OutputPrompt,.jupyter-wrapper .jp-Collapser{display:none}"
    ".jupyter-wrapper .jp-Cell{margin:0 0 .8em}"
    ".jupyter-wrapper .highlight-ipynb pre{margin:0;padding:.77em 1.18em;overflow:auto;"
    "background:var(--md-code-bg-color);color:var(--md-code-fg-color);font-size:.85em;white-space:pre}"
    ".jupyter-wrapper .jp-OutputArea-output pre{margin:0;padding:.5em 1.18em;overflow:auto;"
    "font-size:.85em;white-space:pre-wrap;border-left:.2em solid var(--md-code-bg-color)}"
    ".jupyter-wrapper .jp-OutputArea-output svg{max-width:100%;height:auto}"
    ".jupyter-wrapper .jp-RenderedImage{text-align:center}"
    ".jupyter-wrapper .anchor-link{margin-left:.2em;opacity:0;text-decoration:none}"
    ".jupyter-wrapper :hover>.anchor-link,.jupyter-wrapper .anchor-link:focus{opacity:1}"
)

_DROPPED_STYLES = (
    re.compile(r"\.jupyter-wrapper\s*\{"),  # JupyterLab's stylesheet and its light/dark theme variables
    re.compile(r"\.jp-Mermaid"),  # styles for Mermaid diagrams
    re.compile(r"pre\s*\{\s*line-height:\s*125%"),  # pygments' own colours: the theme's are used instead
)
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)
_DROPPED_SCRIPTS = re.compile(
    r"<!-- Load mathjax -->\s*|<script src=\"\">\s*</script>\s*|<!-- MathJax configuration -->\s*"
    r"|<script type=\"text/x-mathjax-config\">.*?</script>\s*|<!-- End of mathjax configuration -->\s*"
    r"|<script type=\"module\">(?:(?!</script>).)*?mermaid.*?</script>\s*"
    # the copy button of each cell: a script, an icon and a hidden second copy of the code, per cell
    r"|<script>(?:(?!</script>).)*?clipboard-copy.*?</script>\s*"
    r"|<div class=\"zeroclipboard-container\">.*?</clipboard-copy>\s*</div>\s*"
    r"|<div class=\"clipboard-copy-txt\" id=\"[^\"]*\">[^<]*</div>\s*",
    re.S,
)
# Blocks NOTEBOOK_CSS hides anyway: the "In [3]:" prompts, the empty collapsers, and a comment left by Mermaid's.
_HIDDEN = re.compile(
    r"<div class=\"jp-(?:InputPrompt|OutputPrompt|Collapser)[^\"]*\">[^<]*</div>\s*"
    r"|<!-- End of mermaid configuration -->"
)


def slim(html: str) -> str:
    """Remove the notebook CSS, MathJax, Mermaid and copy-button blocks mkdocs-jupyter adds; add :data:`NOTEBOOK_CSS`.

    >>> slim('<script src=""> </script><p>kept</p>')
    '<p>kept</p>'
    >>> slim('<div class="jp-InputPrompt jp-InputArea-prompt">In [1]:</div><pre>x = 1</pre>')
    '<pre>x = 1</pre>'
    """

    def keep_or_drop(match: re.Match[str]) -> str:
        body = match.group(1)
        return "" if any(pattern.search(body) for pattern in _DROPPED_STYLES) else match.group(0)

    html = _STYLE.sub(keep_or_drop, html)
    html = _DROPPED_SCRIPTS.sub("", html)
    html = _HIDDEN.sub("", html)
    # a code cell wider than the page scrolls sideways: let the keyboard reach it, as the theme does for its code
    html = re.sub(r'(<div class="highlight-ipynb[^"]*"><pre)>', r'\1 tabindex="0">', html)
    return html.replace(WRAPPER, f"{WRAPPER}<style>{NOTEBOOK_CSS}</style>", 1)


# --- errors: one line naming the notebook and the cell ------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def cell_name(notebook: Any, index: int) -> str:
    """How a line names a cell: its number from 1 (Markdown cells counted) and its first line of source.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("1 / 0")])
    >>> cell_name(nb, 1)
    'cell 2 ("1 / 0")'
    """
    source = notebook.cells[index].source
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    if len(first) > 60:
        first = first[:57] + "..."
    return f'cell {index + 1} ("{first}")' if first else f"cell {index + 1}"


def error_text(ename: str, evalue: str) -> str:
    """An error as one line: ``ZeroDivisionError: division by zero`` (colour codes and line breaks removed).

    >>> error_text("ValueError", "\\x1b[0;31mbad\\x1b[0m\\n  value")
    'ValueError: bad value'
    """
    value = " ".join(_ANSI.sub("", evalue).split())
    return f"{ename}: {value}" if value else ename


def stored_errors(notebook: Any) -> list[tuple[int, str]]:
    """``(cell index, error as one line)`` for each error output stored in the notebook's code cells.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("1 / 0")
    >>> cell.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero")]
    >>> stored_errors(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), cell]))
    [(1, 'ZeroDivisionError: division by zero')]
    """
    return [
        (index, error_text(output.get("ename", "error"), output.get("evalue", "")))
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]


def stored_error_lines(name: str, text: str) -> list[str]:
    """The build's error lines for a notebook (its name in the site, its JSON): one per stored error output."""
    import nbformat

    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises several kinds for a file that is not a notebook
        return [f"{name}: not a notebook nbformat can read ({error_text(type(error).__name__, str(error))})"]
    return [
        f"{name}: {cell_name(notebook, index)}: stored with an error output, {error}; "
        "fix the cell and run 'make notebooks'"
        for index, error in stored_errors(notebook)
    ]


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    """MkDocs hook: a notebook page whose notebook holds an error output logs one error line per such cell."""
    if str(page.file.src_uri).endswith(".ipynb"):
        for line in stored_error_lines(page.file.src_uri, page.file.content_string):
            log.error(line)
    return html


@event_priority(50)  # before the minify plugin's on_post_page (priority 0), which gets the finished page
def on_post_page(output: str, page: Any, config: Any, **kwargs: Any) -> str:
    """MkDocs hook: slim the pages made from notebooks, leave every other page as it is."""
    if str(page.file.src_uri).endswith(".ipynb"):
        return slim(output)
    return output


# --- running notebooks and storing their outputs ----------------------------------------------------------------


class CellFailed(RuntimeError):
    """A cell of a notebook failed (raised, timed out, or killed its kernel); ``str()`` is one line naming the
    notebook and the cell. nbclient's own error, with the traceback, is its ``__cause__``."""

    def __init__(self, path: str | Path, cell: str, error: str) -> None:
        super().__init__(f"{path}: {cell}: {error}")
        self.path, self.cell, self.error = str(path), cell, error


def run(path: str | Path, timeout: int = 600, env: dict[str, str] | None = None) -> Any:
    """Run the notebook at ``path`` in a new ``python3`` kernel, in the notebook's folder; return it, run.

    The file is not changed. A failing cell raises :class:`CellFailed`, one line naming the notebook, the cell
    and the error (nbclient's error, with the traceback, is its ``__cause__``). No timing is recorded in the
    cells, and what a cell prints to one stream is one output however the kernel happened to split it
    (:func:`merge_streams`), so that two runs give the same notebook. ``env``: the kernel's environment
    variables, if not this process's (``ATEN_CPU_CAPABILITY``, say).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellControlSignal, CellExecutionError, CellTimeoutError, DeadKernelError

    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False, resources=resources)
    current = [0]

    def started(cell: Any, cell_index: int) -> None:
        current[0] = cell_index

    client.on_cell_start = started
    # the kernel process's own stderr (a warning about its transport) is not the cells' output, which comes over
    # the kernel's messages: it would only break the one line a failing cell gets
    try:
        client.execute(stderr=subprocess.DEVNULL, **({"env": env} if env is not None else {}))
    except (CellControlSignal, DeadKernelError) as error:
        if isinstance(error, CellExecutionError):
            problem = error_text(error.ename, error.evalue)
        elif isinstance(error, CellTimeoutError):
            problem = f"did not finish within {timeout} s"
        elif isinstance(error, DeadKernelError):
            problem = "the kernel died while it ran (os._exit, a crash, or out of memory)"
        else:
            problem = error_text(type(error).__name__, str(error))
        raise CellFailed(path, cell_name(notebook, current[0]), problem) from error
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    return notebook


def merge_streams(cell_outputs: list[Any]) -> list[Any]:
    """The outputs of a cell with each run of consecutive outputs to the same stream joined into one.

    A kernel sends what a cell prints in chunks, and where it cuts depends on timing; the text does not.

    >>> import nbformat
    >>> chunks = [nbformat.v4.new_output("stream", name="stdout", text=text) for text in ("weights: [0.9", "4]\\n")]
    >>> [output["text"] for output in merge_streams(chunks)]
    ['weights: [0.94]\\n']
    >>> error = nbformat.v4.new_output("stream", name="stderr", text="careful\\n")
    >>> [output["name"] for output in merge_streams([*chunks, error, *chunks])]
    ['stdout', 'stderr', 'stdout']
    """
    merged: list[Any] = []
    for output in cell_outputs:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and output.get("output_type") == previous.get("output_type") == "stream"
            and output.get("name") == previous.get("name")
        ):
            previous = merged[-1] = type(previous)(previous)  # a copy: the caller's outputs stay as they were
            previous["text"] = _text(previous["text"]) + _text(output["text"])
        else:
            merged.append(output)
    return merged


def _text(text: str | list[str]) -> str:
    return text if isinstance(text, str) else "".join(text)


def outputs(notebook: Any) -> list[list[dict[str, Any]]]:
    """The outputs of each code cell, as plain data, streams merged: what a fresh run must give again.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("print(6 * 7)")
    >>> cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\\n")]
    >>> outputs(nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell("text")]))
    [[{'output_type': 'stream', 'name': 'stdout', 'text': '42\\n'}]]
    """
    return [
        [dict(output) for output in merge_streams(cell.outputs)] for cell in notebook.cells if cell.cell_type == "code"
    ]


def write(notebook: Any, path: Path) -> None:
    """Write the notebook to a temporary file beside ``path``, then rename it: a failed write leaves ``path`` as it
    was."""
    import nbformat

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            nbformat.write(notebook, file)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """``python -m conv_docs.site.notebooks PATH...``: run each notebook afresh and store its outputs in it.

    A notebook that cannot be read is one line on stderr and exit 2; a cell that fails is one line naming the
    notebook, the cell and the error, and exit 1; a notebook that cannot be written is one line and exit 1. A
    notebook whose run fails is left as it was; the others are run and stored all the same.
    """
    import nbformat

    parser = argparse.ArgumentParser(
        prog="python -m conv_docs.site.notebooks", description="Run each notebook afresh and store its outputs in it."
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a notebook (.ipynb) to run and store")
    paths = parser.parse_args(argv).paths
    for path in paths:
        try:
            nbformat.read(path, as_version=4)
        except Exception as error:  # a missing file, a folder, or a file that is not a notebook
            reason = (
                error.strerror
                if isinstance(error, OSError) and error.strerror
                else error_text(type(error).__name__, str(error))
            )
            print(f"{path}: cannot read this notebook: {reason}", file=sys.stderr)
            return 2
    status = 0
    for path in paths:
        try:
            notebook = run(path)
        except CellFailed as error:
            print(f"{error}; {path} is left as it was", file=sys.stderr)
            status = 1
            continue
        try:
            write(notebook, path)
        except OSError as error:
            print(f"{path}: cannot write the outputs: {error.strerror or error}", file=sys.stderr)
            status = 1
            continue
        print(f"stored the outputs of {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
