"""Search finds the words: an MkDocs hook that sets figures and code blocks aside while a page is indexed.

The search plugin reads every page's HTML with Python's HTML parser, tag by tag, and inline SVG is most of
the tags of this site's pages. The index never wanted it: a figure box is marked ``data-search-exclude``, and
its caption, which is indexed, names it. Nor does it want the code blocks: a term that a page teaches is in its
words (``padding_mode`` in a sentence, not in the fifth line of an example), and a code block indexed with its
section made that section's preview a whole block of code. So :func:`on_page_content` swaps each figure's
``<svg>`` (class ``conv-svg``, as :func:`conv_docs.figures.svg.to_svg` makes it), each highlighted code block and
what a notebook's cells printed for a short comment before the search plugin reads the page, and
:func:`on_post_page` puts them back in the finished page. Nothing else changes: the page written is byte for byte
the page it would have been.

>>> page = type("Page", (), {})()
>>> html = '<p>Before</p><svg id="f1" class="conv-svg" role="img"><text>x[0]</text></svg><p>After</p>'
>>> indexed = on_page_content(html, page)
>>> indexed
'<p>Before</p><!--conv-unindexed 0--><p>After</p>'
>>> on_post_page(f"<main>{indexed}</main>", page) == f"<main>{html}</main>"
True
>>> on_page_content('<div class="language-python highlight"><pre><code>x = 1</code></pre></div><p>y</p>', page)
'<!--conv-unindexed 0--><p>y</p>'
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.plugins import event_priority

_UNINDEXED = re.compile(
    r'<svg\b[^>]*\bclass="conv-svg"[^>]*>.*?</svg>'  # a figure's drawing
    r'|<div class="[^"]*\bhighlight\b[^"]*">\s*<pre\b.*?</pre>\s*</div>'  # a highlighted code block
    # a notebook's cell prompts ("In [1]:") and the copies of its code that its copy buttons carry (notebooks.py
    # removes those from the finished page)
    r'|<div class="jp-(?:In|Out)putPrompt[^"]*"[^>]*>[^<]*</div>'
    r'|<div class="[^"]*\bjp-RenderedText\b[^"]*"[^>]*>\s*<pre\b.*?</pre>\s*</div>'  # what a notebook cell printed
    r'|<clipboard-copy\b.*?</clipboard-copy>|<div class="clipboard-copy-txt"[^>]*>.*?</div>',
    re.S,
)
_PLACE = re.compile(r"<!--conv-unindexed (\d+)-->")


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    """MkDocs hook: keep the page's figures and code blocks aside (on the page), a numbered comment in their place."""
    kept: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"<!--conv-unindexed {len(kept) - 1}-->"

    html = _UNINDEXED.sub(set_aside, html)
    page.conv_unindexed = kept
    return html


# before notebooks.py's on_post_page (50), which removes the copy buttons' text from the notebook page it finds,
# and before the minify plugin's (0), which gets the finished page
@event_priority(60)
def on_post_page(output: str, page: Any, **kwargs: Any) -> str:
    """MkDocs hook: put each figure and code block back where its comment stands in the finished page."""
    kept = getattr(page, "conv_unindexed", None)
    if not kept:
        return output
    page.conv_unindexed = []
    return _PLACE.sub(lambda match: kept[int(match.group(1))], output)
