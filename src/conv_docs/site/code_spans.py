"""Code blocks as they are read: an MkDocs hook that drops the highlighter's spans that change nothing on the
screen, and marks the printed output of an example.

Pygments wraps every token of a code block in a ``<span>`` with a class, and the theme colours the classes.
Two of them it does not colour at all: names (``n``) are drawn in the code's own colour, and whitespace
(``w``) has no colour to show. On a page of Python examples they are about a third of all the spans, so a
third of the elements that the reader's browser lays out and that an accessibility checker visits, one by one,
for nothing. :func:`plain_code` keeps their text and drops the span around it, in code blocks (``<pre>``) only;
``tests/test_site_code_spans.py`` checks in a browser, in both palettes, that such a span looks exactly like
the code around it.

An example shows what it prints under the call as ``#>`` comment lines (CONTRIBUTING.md). Code lines are kept
short enough for the column (the fences are linted), but a printed line is as long as the program made it:
:func:`plain_code` gives those comments the class ``conv-output``, and the stylesheet lets them wrap instead of
making the block scroll sideways.

>>> plain_code('<pre><code>f()\\n<span class="c1">#&gt; [[2. 7.]]</span></code></pre>')
'<pre><code>f()\\n<span class="c1 conv-output">#&gt; [[2. 7.]]</span></code></pre>'
>>> plain_code('<pre><code><span class="n">x</span><span class="w"> </span><span class="o">=</span></code></pre>')
'<pre><code>x <span class="o">=</span></code></pre>'
>>> plain_code('<p><span class="n">not code</span></p>')  # outside a code block: as it was
'<p><span class="n">not code</span></p>'
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.plugins import event_priority

UNSTYLED = ("n", "w")  # the token classes the theme gives no look of their own
_PRE = re.compile(r"<pre\b[^>]*>.*?</pre>", re.S)
_UNSTYLED_SPAN = re.compile(rf'<span class="(?:{"|".join(UNSTYLED)})">([^<]*)</span>')
_OUTPUT_SPAN = re.compile(r'<span class="c1">(?=#&gt;)')


def _block(block: re.Match[str]) -> str:
    return _OUTPUT_SPAN.sub('<span class="c1 conv-output">', _UNSTYLED_SPAN.sub(r"\1", block.group(0)))


def plain_code(html: str) -> str:
    """``html`` with the spans of :data:`UNSTYLED` classes inside ``<pre>`` replaced by their text, and the
    ``#>`` comments (printed output) marked ``conv-output``."""
    return _PRE.sub(_block, html)


@event_priority(50)  # before the minify plugin's on_post_page (priority 0), which gets the finished page
def on_post_page(output: str, page: Any, config: Any, **kwargs: Any) -> str:
    """MkDocs hook: every page, notebooks and the API reference included, as it is written."""
    return plain_code(output)
