"""A fence that cannot be rendered: its error, the element that shows it in the page, and reading that back.

A formatter that meets a bad fence (or inline formula) does not stop the build: it puts :func:`error_html` in the
fence's place, an element of class ``conv-fence-error`` that shows the problem to a reader and carries the fence's
kind, body and problem as data attributes. The hook :mod:`conv_docs.site.build_errors` finds those elements in the
page's HTML (:func:`errors_in_html`) and logs one line per error naming the page and the fence's line, which fails
a strict build. Nothing is kept between the formatter and the hook but the page itself.

>>> error = FenceError("conv1d", "input: [2, 3, 4]\\nstrid: 2", "unknown option 'strid'")
>>> str(error)
"```conv1d fence (first line 'input: [2, 3, 4]'): unknown option 'strid'"
>>> page = f"<p>Before</p>{error_html(error)}<p>After</p>"
>>> [(found.kind, found.source, found.problem) for found in errors_in_html(page)]
[('conv1d', 'input: [2, 3, 4]\\nstrid: 2', "unknown option 'strid'")]
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable

from pymdownx.inlinehilite import InlineHiliteException
from pymdownx.superfences import SuperFencesException

ERROR_CLASS = "conv-fence-error"  # the class of the element a bad fence is shown as; a built page has none


class FenceError(SuperFencesException, InlineHiliteException):
    """A fence (or inline formula) that cannot be rendered.

    ``kind`` is the fence's name (``"inline math"`` for `` `#!math ...` ``), ``source`` its body, ``problem`` what
    is wrong. The formatters show it in the page (:func:`error_html`); should one escape a formatter all the same,
    superfences and inlinehilite let this kind of error through (they would show the fence as plain code after
    any other), so the build stops rather than hide it.

    >>> str(FenceError("inline math", "{L + 1", "1 unclosed '{'"))
    "inline `#!math {L + 1`: 1 unclosed '{'"
    """

    def __init__(self, kind: str, source: str, problem: str) -> None:
        self.kind, self.source, self.problem = kind, source, problem
        if kind == "inline math":
            where = f"inline `#!math {source}`"
        else:
            first = next((line.strip() for line in source.splitlines() if line.strip()), "")
            where = f"```{kind} fence (first line {first!r})"
        super().__init__(f"{where}: {problem}")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the choice closest to a misspelled word, or ``""`` if none is close.

    >>> did_you_mean("kernel_sise", ("input", "kernel_size", "stride"))
    "; did you mean 'kernel_size'?"
    >>> did_you_mean("colour", ("input", "stride"))
    ''
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def reason(error: BaseException) -> str:
    """An exception in words: its kind, and its message if it has one (latex2mathml's often have none).

    >>> reason(ZeroDivisionError("division by zero")), reason(KeyError())
    ('ZeroDivisionError: division by zero', 'KeyError')
    """
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def error_html(error: FenceError) -> str:
    """What the page shows in place of a bad fence: a box saying what is wrong (inline math: the formula as code,
    the problem as its tooltip), carrying the error's kind, body and problem for :func:`errors_in_html`.

    >>> shown = error_html(FenceError("inline math", "{L", "1 unclosed '{'"))
    >>> shown.startswith('<code class="conv-fence-error" data-kind="inline math" data-source="{L" data-problem=')
    True
    >>> shown.endswith('title="1 unclosed &#x27;{&#x27;">{L</code>')
    True
    """
    problem = html.escape(error.problem)
    data = f'data-kind="{html.escape(error.kind)}" data-source="{html.escape(error.source)}" data-problem="{problem}"'
    if error.kind == "inline math":
        return f'<code class="{ERROR_CLASS}" {data} title="{problem}">{html.escape(error.source)}</code>'
    shown = {"math": "formula", "exercise": "exercise"}.get(error.kind, "figure")
    return (
        f'<div class="admonition failure {ERROR_CLASS}" {data}><p class="admonition-title">The build cannot draw this'
        f" {shown}</p><p>{html.escape(str(error))}</p></div>"
    )


_SHOWN = re.compile(
    rf'<(?:div|code) class="[^"]*\b{ERROR_CLASS}\b[^"]*"'
    r' data-kind="(?P<kind>[^"]*)" data-source="(?P<source>[^"]*)" data-problem="(?P<problem>[^"]*)"'
)


def errors_in_html(page_html: str) -> list[FenceError]:
    """The errors that :func:`error_html` shows in a page's HTML, in page order.

    >>> errors_in_html("<p>A page whose fences all rendered.</p>")
    []
    """
    if ERROR_CLASS not in page_html:  # most pages: no need to search them
        return []
    return [
        FenceError(*(html.unescape(found.group(name)) for name in ("kind", "source", "problem")))
        for found in _SHOWN.finditer(page_html)
    ]
