"""Docstrings as the API pages show them: a Griffe extension used by mkdocstrings (see ``mkdocs.yml``).

The library's docstrings are written for ``help()`` and doctest: examples are ``>>>`` blocks and names are
written ``:func:`name``` or in double backticks. Read as Markdown, a ``>>>`` line would become a nested quote
and ``[5.0]`` a link. :func:`markdown_docstring` turns every doctest block into a fenced ``pycon`` code block
and every role into plain code, so the examples that run as tests are shown as code.

>>> markdown_docstring("Add.\\n\\n>>> 1 + 1\\n2").splitlines()
['Add.', '', '```pycon', '>>> 1 + 1', '2', '```']
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:func|class|data|meth|mod|attr|obj):`~?([^`]+)`")


def markdown_docstring(text: str) -> str:
    """Fence the doctest blocks of ``text`` (each runs to the next blank line) and turn roles into code spans.

    >>> markdown_docstring("See :func:`conv_docs.conv1d`.")
    'See `conv_docs.conv1d`.'
    """
    out: list[str] = []
    block: list[str] = []

    def close() -> None:
        if block:
            indent = block[0][: len(block[0]) - len(block[0].lstrip())]
            if out and out[-1].strip():
                out.append("")
            out.extend([f"{indent}```pycon", *block, f"{indent}```"])
            block.clear()

    for line in text.splitlines():
        if (block and line.strip()) or line.lstrip().startswith(">>>"):  # a block runs to the next blank line
            block.append(line)
        else:
            close()
            out.append(_ROLE.sub(r"`\1`", line))
    close()
    return "\n".join(out)


class DoctestBlocks(griffe.Extension):
    """Griffe extension: rewrite every docstring with :func:`markdown_docstring` once the tree is loaded."""

    def on_object(self, *, obj: Any, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown_docstring(obj.docstring.value)
