"""The code blocks lose only spans that look like the code around them (src/conv_docs/site/code_spans.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conv_docs.site.code_spans import UNSTYLED, plain_code

PAGE = "cases/kernel-2-stride-1/"
# How an element inside a code block looks: everything the theme could set per token class.
LOOK_JS = """(classes) => {
  const code = document.querySelector("article .highlight pre > code");
  const look = (el) => {
    const s = getComputedStyle(el);
    return [s.color, s.backgroundColor, s.fontWeight, s.fontStyle, s.textDecorationLine, s.fontFamily,
            s.fontSize, s.letterSpacing, s.padding, s.margin, s.border].join(" | ");
  };
  const seen = {};
  for (const name of ["", ...classes]) {  // "": a span of no class looks as the bare text inside the code does
    const span = document.createElement("span");
    span.className = name;
    span.textContent = "x";
    code.append(span);
    seen[name || "plain"] = look(span);
    span.remove();
  }
  return seen;
}"""


def test_plain_code_keeps_every_character():
    names = '<span class="n">conv</span><span class="p">(</span><span class="n">x</span><span class="p">,</span>'
    block = f'<pre><code>{names}<span class="w"> </span><span class="mi">2</span>)\n</code></pre>'
    text = re.sub(r"<[^>]+>", "", block)
    plain = plain_code(block)
    assert re.sub(r"<[^>]+>", "", plain) == text
    assert plain.count("<span") == block.count("<span") - 3


def test_the_built_code_blocks_keep_their_other_spans(built_site: Path):
    html = (built_site / PAGE / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r"<pre\b.*?</pre>", html, re.S)
    assert blocks, f"{PAGE} has no code block"
    assert not any(re.search(r'<span class="(n|w)">', block) for block in blocks)
    assert any('<span class="k">' in block for block in blocks)  # still highlighted: keywords keep their colour


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_dropped_span_looks_like_the_code_around_it(browser: Any, site_url: str, scheme: str):
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site_url + PAGE)
        seen = page.evaluate(LOOK_JS, [*UNSTYLED, "k"])
    finally:
        context.close()
    for name in UNSTYLED:
        assert seen[name] == seen["plain"], f"span.{name} looks other than the code in the {scheme} palette"
    assert seen["k"] != seen["plain"], "a keyword looks like plain code: the comparison sees nothing"
