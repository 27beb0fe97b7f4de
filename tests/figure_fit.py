"""How every figure of a page fits and reads, measured in the page: shared by the browser tests.

At 375 px (a phone; the content column is about 343 px): each figure fits its box, with nothing to scroll
sideways inside it, and every text of the drawing is at least 11 px tall as rendered. At 1280 px: no figure is a
thumbnail: each is shown 1.35 times as large as it is drawn, or as wide as the column when that is narrower. At
both, no text of a drawing lies over another. ``tests/test_browser.py`` measures every page in each of its views;
``tests/test_browser_figures.py`` shows that the measures catch what they look for.
"""

from __future__ import annotations

from typing import Any

DESKTOP = 1280
MIN_TEXT_PX = 11  # the height of a label's box as rendered, in CSS pixels
DESKTOP_SCALE = 1.35  # at 1280 px a drawing is shown this much larger than drawn, up to the column (diagrams.css)

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
      .map((t) => ({text: t.textContent.trim(), height: t.getBoundingClientRect().height,
                    box: t.getBoundingClientRect()}));
    // two texts overlap when their boxes share more than a pixel across and two pixels down (a box is a little taller
    // than its letters: lines of a label set one under the other share no pixel)
    const overlaps = [];
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].box, b = texts[j].box;
        const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (across > 1 && down > 2) overlaps.push([texts[i].text, texts[j].text]);
      }
    }
    for (const text of texts) delete text.box;
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
      column: article.clientWidth,
      natural,
      texts: texts.length,
      smallest: texts.slice(0, 3),
      overlaps: overlaps.slice(0, 5),
    });
  }
  return found;
}"""


def figure_problems(figures: list[dict[str, Any]], width: int) -> list[str]:
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
        if figure["overlaps"]:
            shown = "; ".join(f"{a!r} over {b!r}" for a, b in figure["overlaps"])
            problems.append(f"{name!r} draws text over text at {width} px: {shown}")
        shown = min(figure["natural"] * DESKTOP_SCALE, figure["column"])
        if width == DESKTOP and figure["width"] < shown - 1:
            problems.append(
                f"{name!r} is drawn {figure['width']:.0f} px wide, narrower than {DESKTOP_SCALE} times its natural "
                f"{figure['natural']:.0f} px or the {figure['column']} px column"
            )
    return problems
