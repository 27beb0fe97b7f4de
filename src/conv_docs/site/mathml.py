r"""Formulas as MathML, made while the site builds so that no script is needed to show them.

:func:`to_mathml` turns LaTeX into MathML and refuses (``ValueError``) what would not show as written;
:func:`math_block` makes it a displayed formula; :func:`length_latex` writes the output-length formula of a
trace with its numbers put in. The fences that use them are in :mod:`conv_docs.site.fences`,
:mod:`conv_docs.site.figure_fences` (``view: length``) and :mod:`conv_docs.site.exercises`.

>>> print(math_block(to_mathml("s + 1", display=True))[:60])
<div class="conv-math" tabindex="0"><math xmlns="http://www.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any


def to_mathml(latex: str, display: bool = False) -> str:
    r"""LaTeX to MathML.

    latex2mathml turns some mistakes into a formula silently (an unknown ``\frca`` is printed as its name, an
    unclosed ``{`` is closed, ``\text{kernel\_size}`` keeps its backslash), so the LaTeX and the MathML are
    checked: anything that would not show as written raises ``ValueError`` saying what.

    >>> to_mathml("s + 1").startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    True
    >>> to_mathml(r"\text{kernel_size} - 1").count("<mtext>kernel_size</mtext>")
    1
    >>> to_mathml(r"\frca{a}{b}")
    Traceback (most recent call last):
    ...
    ValueError: unknown command '\frca'
    """
    from latex2mathml.converter import convert

    latex = latex.strip()
    _check_latex(latex)
    try:
        mathml = convert(latex, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises several kinds of errors for bad LaTeX, often with no message
        named = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise ValueError(f"cannot read the LaTeX ({named})") from error
    _check_mathml(mathml)
    return mathml


def math_block(mathml: str) -> str:
    """A displayed formula; it scrolls sideways on a narrow screen, so it can take the keyboard focus.

    >>> math_block("<math></math>")
    '<div class="conv-math" tabindex="0"><math></math></div>'
    """
    return f'<div class="conv-math" tabindex="0">{mathml}</div>'


_TEXT = re.compile(r"\\(?:text|textrm|textit|textbf|texttt|textsf|mbox)\s*\{([^{}]*)\}")


def _check_latex(latex: str) -> None:
    """Refuse what latex2mathml would turn into a wrong formula without a word: braces, text, environments."""
    from latex2mathml.commands import MATRICES

    depth, index = 0, 0
    while index < len(latex):
        char = latex[index]
        if char == "\\":
            index += 2  # an escaped character (\{, \}, \\) or the first letter of a command
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise ValueError(f"the '}}' at character {index + 1} closes no '{{'")
        index += 1
    if depth:
        raise ValueError(f"{depth} unclosed '{{'")
    for text in _TEXT.finditer(latex):
        if "\\" in text.group(1):
            plain = re.sub(r"\\([_%&#$ ])", r"\1", text.group(1))
            raise ValueError(
                f"'{text.group(0)}' would show its backslash: latex2mathml keeps the text of \\text as written,"
                f" so write \\text{{{plain}}}"
            )
    for environment in re.findall(r"\\begin\s*\{([^{}]*)\}", latex):
        if "\\" + environment not in MATRICES:
            known = ", ".join(sorted(name[1:] for name in MATRICES))
            raise ValueError(f"unknown environment {environment!r} (latex2mathml reads: {known})")


# MathML elements and the number of children they need: latex2mathml writes \frac{a} as a fraction of one.
_ARITY = {"mfrac": 2, "msub": 2, "msup": 2, "msubsup": 3, "mroot": 2, "munder": 2, "mover": 2, "munderover": 3}


def _check_mathml(mathml: str) -> None:
    """Refuse MathML that shows a TeX command (an unknown one is kept as text) or lacks a part of a fraction."""
    for element in ET.fromstring(mathml).iter():
        tag = element.tag.rpartition("}")[2]
        text = element.text or ""
        if "\\" in text:
            command = re.search(r"\\[A-Za-z]+|\\.?", text)
            raise ValueError(f"unknown command '{command.group(0) if command else text}'")
        if tag in _ARITY and len(element) != _ARITY[tag]:
            raise ValueError(f"a {tag} with {len(element)} parts instead of {_ARITY[tag]} (is an argument missing?)")


def length_latex(trace: Any) -> str:
    r"""The output-length formula of a trace with its numbers put in, as LaTeX, ending with the length.

    >>> from conv_docs import trace_conv1d
    >>> print(length_latex(trace_conv1d([2, 3, 4], [1, 1], stride=2, padding=1)))
    L_\text{out} = \left\lfloor \frac{3 + 2 \cdot 1 - 1 \cdot (2 - 1) - 1}{2} \right\rfloor + 1 = 2
    """
    length, k, s, d = trace.input_length, trace.kernel_size, trace.stride, trace.dilation
    left, right = trace.padding
    if trace.op == "conv1d":
        padded = f"2 \\cdot {left}" if left == right else f"{left} + {right}"
        value = (length + left + right - d * (k - 1) - 1) // s + 1
        latex = (
            f"L_\\text{{out}} = \\left\\lfloor \\frac{{{length} + {padded} - {d} \\cdot ({k} - 1) - 1}}{{{s}}}"
            f" \\right\\rfloor + 1 = {value}"
        )
    else:
        crop = trace.cropped  # output cells cropped each end (Trace.padding, cells added, is (0, 0))
        value = (length - 1) * s - 2 * crop + d * (k - 1) + trace.output_padding + 1
        latex = (
            f"L_\\text{{out}} = ({length} - 1) \\cdot {s} - 2 \\cdot {crop} + {d} \\cdot ({k} - 1)"
            f" + {trace.output_padding} + 1 = {value}"
        )
    if value != trace.output_length:  # the formula and the computation must agree, or the page would lie
        raise ValueError(f"the length formula gives {value} but the trace has {trace.output_length} outputs")
    return latex
