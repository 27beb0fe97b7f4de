"""The hook that keeps figures' SVG and code blocks away from the search plugin: the page is unchanged, the index
holds the words."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conv_docs.site.unindexed import on_page_content, on_post_page


class Page:
    pass


FIGURE = '<svg id="f{n}" class="conv-svg" role="img" viewBox="0 0 10 10"><title>t{n}</title><text>x[{n}]</text></svg>'
OTHER_SVG = '<svg class="md-icon" viewBox="0 0 24 24"><path d="M0 0h24"/></svg>'  # the theme's icons stay
CODE = '<div class="language-python highlight"><pre><span></span><code>x = {n}  # same</code></pre></div>'


@given(st.lists(st.sampled_from(["<p>text</p>", "figure", "code", OTHER_SVG, "<pre>&lt;svg&gt;</pre>"]), max_size=12))
def test_a_page_comes_back_byte_for_byte(parts: list[str]) -> None:
    made = {"figure": FIGURE, "code": CODE}
    html = "".join(made[part].format(n=n) if part in made else part for n, part in enumerate(parts))
    page = Page()
    indexed = on_page_content(html, page)
    assert 'class="conv-svg"' not in indexed and "highlight" not in indexed
    assert indexed.count(OTHER_SVG) == html.count(OTHER_SVG)
    assert on_post_page(f"<html><main>{indexed}</main></html>", page) == f"<html><main>{html}</main></html>"


def test_pages_without_figures_are_left_alone() -> None:
    page = Page()
    assert on_page_content("<p>x</p>", page) == "<p>x</p>"
    assert on_post_page("<html><p>x</p></html>", page) == "<html><p>x</p></html>"


def test_the_built_index_has_captions_and_words_but_no_figure_labels_nor_code(built_site: Path) -> None:
    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    text = " ".join(doc["text"] for doc in docs)
    assert "conv1d of [2, 3, 4]: kernel 2, stride 2, padding 1" in text  # a caption, searchable
    assert "padding_mode" in text  # a name the prose teaches
    assert "<svg" not in text and "conv-svg" not in text
    assert "<pre" not in text  # no example's code, nor what a notebook cell printed
    assert "#&gt; tensor(" not in text and "#> tensor(" not in text  # nor what it printed
    home = (built_site / "index.html").read_text()
    assert home.count('class="conv-svg"') >= 4 and not re.search(r"<!--conv-unindexed \d+-->", home)
    assert home.count('<div class="highlight"><pre>') >= 1  # the code blocks are on the page
