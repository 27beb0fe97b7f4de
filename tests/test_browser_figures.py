"""Every figure of every page in the navigation, measured in a real browser (Debian's Chromium via Playwright).

At 375 px (a phone; the content column is about 343 px): each figure fits its box, with nothing to scroll
sideways inside it, and every text of the drawing is at least 10 px tall as rendered. At 1280 px: the same
size of text, and no figure is drawn narrower than it needs to be (it shows at its natural size, or as wide as
the column when the column is narrower). One browser and one built site serve the whole module (the session
fixtures of conftest.py); one tab per width, reused from page to page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_pages import NavPage, nav_pages

PAGES = nav_pages()
PHONE, DESKTOP = 375, 1280
MIN_TEXT_PX = 10  # the height of a label's box as rendered, in CSS pixels

# For every figure of the article: its box, the drawing's rendered and natural widths, and its smallest texts.
FIGURES_JS = """() => {
  const article = document.querySelector("article") || document.body;
  const found = [];
  for (const svg of article.querySelectorAll("svg[role=img]")) {
    if (svg.closest("a, button, .twemoji")) continue;
    const figure = svg.closest("figure") || svg.parentElement;
    const box = svg.parentElement;
    const rect = svg.getBoundingClientRect();
    const natural = svg.width.baseVal.value;  // the width attribute (in pt) as CSS px
    const texts = [...svg.querySelectorAll("text")]
      .filter((t) => t.textContent.trim())
      .map((t) => ({text: t.textContent.trim(), height: t.getBoundingClientRect().height}));
    texts.sort((a, b) => a.height - b.height);
    const title = svg.querySelector(":scope > title");
    found.push({
      name: (title ? title.textContent : svg.id).slice(0, 70),
      boxWidth: box.clientWidth,
      boxScroll: box.scrollWidth,
      figureWidth: figure.clientWidth,
      figureScroll: figure.scrollWidth,
      width: rect.width,
      right: rect.right,
      window: document.documentElement.clientWidth,
      natural,
      texts: texts.length,
      smallest: texts.slice(0, 3),
    });
  }
  return found;
}"""


def _problems(figures: list[dict[str, Any]], width: int) -> list[str]:
    problems = []
    for figure in figures:
        name = figure["name"]
        if figure["boxScroll"] > figure["boxWidth"] or figure["figureScroll"] > figure["figureWidth"]:
            problems.append(
                f"{name!r} scrolls sideways: {figure['boxScroll']} px of drawing in a {figure['boxWidth']} px box"
            )
        if figure["width"] > figure["boxWidth"] + 0.5 or figure["right"] > figure["window"] + 0.5:
            problems.append(f"{name!r} is {figure['width']:.0f} px wide in a {figure['boxWidth']} px box")
        small = [text for text in figure["smallest"] if text["height"] < MIN_TEXT_PX]
        if small:
            shown = ", ".join(f"{text['text']!r} {text['height']:.1f} px" for text in small)
            problems.append(f"{name!r} has text under {MIN_TEXT_PX} px tall at {width} px: {shown}")
        if width == DESKTOP and figure["width"] < min(figure["natural"], figure["boxWidth"]) - 1:
            problems.append(
                f"{name!r} is drawn {figure['width']:.0f} px wide, narrower than its natural "
                f"{figure['natural']:.0f} px in a {figure['boxWidth']} px box"
            )
    return problems


@pytest.fixture(scope="module")
def tabs(browser: Any) -> Iterator[dict[int, Any]]:
    contexts = {width: browser.new_context(viewport={"width": width, "height": 900}) for width in (PHONE, DESKTOP)}
    yield {width: context.new_page() for width, context in contexts.items()}
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize("page", PAGES, ids=[page.url or "home" for page in PAGES])
def test_figures_fit_and_read_on_a_phone_and_a_desktop(page: NavPage, site_url: str, tabs: dict[int, Any]) -> None:
    problems = []
    counts = {}
    for width, tab in tabs.items():
        tab.goto(site_url + page.url, wait_until="load")
        figures = tab.evaluate(FIGURES_JS)
        counts[width] = len(figures)
        problems += [f"[{width} px] {problem}" for problem in _problems(figures, width)]
    assert counts[PHONE] == counts[DESKTOP]
    assert not problems, f"{page.src}:\n" + "\n".join(problems)


def test_the_figure_pages_have_figures_to_measure(site_url: str, tabs: dict[int, Any]) -> None:
    """The checks above would pass on a page whose figures went missing: count them on a few pages."""
    for url, least in (("cases/kernel-2-stride-2-padding-1/", 1), ("guide/padding/", 3), ("guide/transposed/", 4)):
        tabs[PHONE].goto(site_url + url, wait_until="load")
        figures = tabs[PHONE].evaluate(FIGURES_JS)
        assert len(figures) >= least, url
        assert all(figure["texts"] > 0 for figure in figures), url


BROKEN = """<!doctype html><html><body><article style="width: 343px">
<figure><div><svg role="img" width="600" height="40" viewBox="0 0 600 40" style="max-width: none">
<title>too wide</title><text x="0" y="20" font-size="12">wide</text></svg></div></figure>
<figure><div><svg role="img" width="300" height="40" viewBox="0 0 600 80" style="max-width: 100%">
<title>tiny text</title><text x="0" y="20" font-size="12">tiny</text></svg></div></figure>
<figure><div style="overflow-x: auto"><svg role="img" width="600" height="40" viewBox="0 0 600 40"
style="min-width: 600px"><title>scrolls</title><text x="0" y="20" font-size="14">scrolls</text></svg></div></figure>
<figure><div><svg role="img" width="600" height="60" viewBox="0 0 100 10" style="width: 100px">
<title>shrunk</title><text x="0" y="8" font-size="8">shrunk</text></svg></div></figure>
</article></body></html>"""


def test_the_checks_catch_a_figure_that_overflows_scrolls_or_shrinks_its_text(tabs: dict[int, Any]) -> None:
    tab = tabs[PHONE]
    tab.set_content(BROKEN, wait_until="load")
    problems = _problems(tab.evaluate(FIGURES_JS), DESKTOP)
    assert any("'too wide' is 600 px wide" in problem for problem in problems), problems
    assert any("'tiny text' has text under 10 px" in problem for problem in problems), problems
    assert any("'shrunk' is drawn 100 px wide, narrower than its natural 600 px" in problem for problem in problems)
    assert not any("'tiny text' is drawn" in problem for problem in problems)  # at its natural width: fine
    assert any("'scrolls' scrolls sideways" in problem for problem in problems), problems
