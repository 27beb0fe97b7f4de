"""Figures stay out of the search plugin's way: an MkDocs hook that sets their SVG aside while a page is indexed.

The search plugin reads every page's HTML with Python's HTML parser, tag by tag, and inline SVG is most of
the tags of this site's pages. The index never wanted it: a figure box is marked ``data-search-exclude``, and
its caption, which is indexed, names it. So :func:`on_page_content` swaps each figure's ``<svg>`` (class
``conv-svg``, as :func:`conv_docs.figures.svg.to_svg` makes it) for a short comment before the search plugin
reads the page, and :func:`on_post_page` puts it back in the finished page. Nothing else changes: the page
written is byte for byte the page it would have been.

>>> page = type("Page", (), {})()
>>> html = '<p>Before</p><svg id="f1" class="conv-svg" role="img"><text>x[0]</text></svg><p>After</p>'
>>> indexed = on_page_content(html, page)
>>> indexed
'<p>Before</p><!--conv-svg 0--><p>After</p>'
>>> on_post_page(f"<main>{indexed}</main>", page) == f"<main>{html}</main>"
True
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.plugins import event_priority

_FIGURE_SVG = re.compile(r'<svg\b[^>]*\bclass="conv-svg"[^>]*>.*?</svg>', re.S)
_PLACE = re.compile(r"<!--conv-svg (\d+)-->")


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    """MkDocs hook: keep the page's figures aside (on the page) and leave a numbered comment in their place."""
    kept: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"<!--conv-svg {len(kept) - 1}-->"

    html = _FIGURE_SVG.sub(set_aside, html)
    page.conv_svgs = kept
    return html


@event_priority(50)  # before the minify plugin's on_post_page (priority 0), which gets the finished page
def on_post_page(output: str, page: Any, **kwargs: Any) -> str:
    """MkDocs hook: put each figure back where its comment stands in the finished page."""
    kept = getattr(page, "conv_svgs", None)
    if not kept:
        return output
    page.conv_svgs = []
    return _PLACE.sub(lambda match: kept[int(match.group(1))], output)
