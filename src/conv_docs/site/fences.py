"""The formatters that ``mkdocs.yml`` names: the ``conv1d``, ``conv_transpose1d``, ``plot`` and ``math`` fences,
and inline math.

They are pymdownx.superfences custom fences and a pymdownx.inlinehilite custom inline (see ``mkdocs.yml``). The
figures are drawn by :mod:`conv_docs.site.figure_fences` (their options: :mod:`conv_docs.site.fence_options`), the
formulas made by :mod:`conv_docs.site.mathml`.

A formatter never stops the build: a fence with a bad option, or a formula that cannot be read, is shown in its
place as an error (:func:`conv_docs.site.fence_errors.error_html`), and the hook :mod:`conv_docs.site.build_errors`
finds it in the page's HTML and logs one line that names the page, the line of the fence and the problem, which
fails a strict build. To get the error raised instead, call what the formatters call:
:func:`~conv_docs.site.figure_fences.draw` for a figure, :func:`typeset` for a formula.

>>> "<figure" in format_fence("input: [2, 3, 4]\\nkernel_size: 2", "conv1d", "conv1d", {}, None)
True
>>> from conv_docs.site.fence_errors import errors_in_html
>>> shown = format_fence("input: [2, 3, 4]", "conv1d", "conv1d", {}, None)
>>> "cannot draw this figure" in shown and [error.problem for error in errors_in_html(shown)]
["give 'weight: [w0, w1, ...]' or 'kernel_size: N' with an int N >= 1"]
"""

from __future__ import annotations

from typing import Any

from conv_docs.site.fence_errors import FenceError, error_html, reason
from conv_docs.site.figure_fences import FIGURE_FENCE, draw
from conv_docs.site.mathml import math_block, to_mathml

# FenceError and FIGURE_FENCE are imported from here too (by tests and bench/common.py)
__all__ = ["FIGURE_FENCE", "FenceError", "format_fence", "format_inline_math", "format_math", "typeset"]


def format_fence(source: str, language: str, class_name: str, options: Any, md: Any, **kwargs: Any) -> str:
    """The superfences formatter of the ``conv1d``, ``conv_transpose1d`` and ``plot`` fences: the figure
    :func:`~conv_docs.site.figure_fences.draw` gives, or the error in its place."""
    try:
        return draw(language, source)
    except FenceError as error:
        return error_html(error)


def typeset(source: str, inline: bool = False) -> str:
    r"""The MathML of a ``math`` fence (a displayed formula) or, ``inline``, of `` `#!math ...` ``.

    A formula that would not show as written raises :class:`FenceError`.

    >>> typeset("s + 1", inline=True).startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    True
    >>> try:
    ...     typeset(r"\frac{a")
    ... except FenceError as error:
    ...     print(error)
    ```math fence (first line '\\frac{a'): 1 unclosed '{'
    """
    try:
        mathml = to_mathml(source, display=not inline)
    except Exception as error:  # a formula that cannot be shown, whatever raised it, is a problem of the fence
        raise FenceError("inline math" if inline else "math", source, str(error) or reason(error)) from error
    return mathml if inline else math_block(mathml)


def format_math(source: str, language: str, class_name: str, options: Any, md: Any, **kwargs: Any) -> str:
    """The superfences formatter of the ``math`` fence: a displayed formula, as MathML, or the error in its place."""
    try:
        return typeset(source)
    except FenceError as error:
        return error_html(error)


def format_inline_math(src: str, language: str, class_name: str, md: Any) -> str:
    """The inlinehilite formatter of `` `#!math ...` ``: a formula inside a sentence, or the error in its place."""
    try:
        return typeset(src, inline=True)
    except FenceError as error:
        return error_html(error)
