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

>>> page = '<div class="jupyter-wrapper"><style type="text/css">.jupyter-wrapper{--x: 1}</style><p>hi</p></div>'
>>> slim(page).startswith('<div class="jupyter-wrapper"><style>')
True
>>> "--x" in slim(page)
False
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

WRAPPER = '<div class="jupyter-wrapper">'

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


@event_priority(50)  # before the minify plugin's on_post_page (priority 0), which gets the finished page
def on_post_page(output: str, page: Any, config: Any, **kwargs: Any) -> str:
    """MkDocs hook: slim the pages made from notebooks, leave every other page as it is."""
    if str(page.file.src_uri).endswith(".ipynb"):
        return slim(output)
    return output


# --- running notebooks and storing their outputs ----------------------------------------------------------------


def run(path: str | Path, timeout: int = 600, env: dict[str, str] | None = None) -> Any:
    """Run the notebook at ``path`` in a new ``python3`` kernel, in the notebook's folder; return it, run.

    The file is not changed. A failing cell raises nbclient's ``CellExecutionError``, which names the cell and
    shows its traceback. No timing is recorded in the cells, and what a cell prints to one stream is one
    output however the kernel happened to split it (:func:`merge_streams`), so that two runs give the same
    notebook. ``env``: the kernel's environment variables, if not this process's (``ATEN_CPU_CAPABILITY``, say).
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False, resources=resources)
    client.execute(**({"env": env} if env is not None else {}))
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


def main(argv: list[str] | None = None) -> int:
    """``python -m conv_docs.site.notebooks PATH...``: run each notebook afresh and store its outputs in it."""
    import nbformat

    parser = argparse.ArgumentParser(
        prog="python -m conv_docs.site.notebooks", description="Run each notebook afresh and store its outputs in it."
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a notebook (.ipynb) to run and store")
    for path in parser.parse_args(argv).paths:
        nbformat.write(run(path), path)
        print(f"stored the outputs of {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
