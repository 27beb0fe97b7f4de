"""Docstrings for the API page: doctest blocks become fenced code, roles become code spans."""

from __future__ import annotations

import doctest
import re

import griffe

import conv_docs
from conv_docs.site.doctest_blocks import DoctestBlocks, markdown_docstring

TEXT = """Sum two numbers, see :func:`operator.add` and :class:`~numbers.Number`.

>>> 1 + 1
2

More words.

    >>> [5.0]
    [5.0]
"""


def test_blocks_are_fenced_and_roles_are_code() -> None:
    lines = markdown_docstring(TEXT).splitlines()
    assert lines[0] == "Sum two numbers, see `operator.add` and `numbers.Number`."
    assert lines[2:6] == ["```pycon", ">>> 1 + 1", "2", "```"]
    assert lines[-4:] == ["    ```pycon", "    >>> [5.0]", "    [5.0]", "    ```"]  # indentation is kept


def test_the_examples_inside_are_the_doctests_python_collects() -> None:
    # doctest's own parser finds the same examples in the fenced text as in the original
    parser = doctest.DocTestParser()
    original = [(e.source, e.want) for e in parser.get_examples(TEXT)]
    fenced = [(e.source, e.want) for e in parser.get_examples(markdown_docstring(TEXT).replace("```", ""))]
    assert original == fenced and len(original) == 2


def test_every_public_docstring_has_no_bare_prompt() -> None:
    package = griffe.load("conv_docs", extensions=griffe.load_extensions(DoctestBlocks))
    for name in conv_docs.__all__:
        value = package[name].docstring.value if package[name].docstring else ""
        outside = re.sub(r"```pycon\n.*?```", "", value, flags=re.S)
        assert ">>>" not in outside, name
    assert "```pycon\n>>> conv1d(" in package["conv1d"].docstring.value
