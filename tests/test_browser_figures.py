"""The figure measures of tests/figure_fit.py, which tests/test_browser.py takes on every page in each of its
views: they find figures where the pages have them, and they catch a figure that overflows, scrolls or shrinks
its text. One browser and one built site serve the whole module (the session fixtures of conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from figure_fit import DESKTOP, FIGURES_JS, figure_problems

PHONE = 375


@pytest.fixture(scope="module")
def tabs(browser: Any) -> Iterator[dict[int, Any]]:
    contexts = {width: browser.new_context(viewport={"width": width, "height": 900}) for width in (PHONE, DESKTOP)}
    yield {width: context.new_page() for width, context in contexts.items()}
    for context in contexts.values():
        context.close()


def test_the_figure_pages_have_figures_to_measure(site_url: str, tabs: dict[int, Any]) -> None:
    """The page checks would pass on a page whose figures went missing: count them on a few pages."""
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
<figure><div><svg role="img" width="300" height="60" viewBox="0 0 300 60"><title>overlap</title>
<text x="10" y="20" font-size="14">x[1][1]</text><text x="30" y="26" font-size="14">y[0] = 2*w</text>
<text x="10" y="45" font-size="14">below</text><text x="10" y="60" font-size="14">under</text></svg></div></figure>
<figure style="margin: 0"><div><svg role="img" width="200" height="40" viewBox="0 0 200 40"
style="width: 270px; height: auto">
<title>grown</title><text x="0" y="20" font-size="14">grown</text></svg></div></figure>
</article></body></html>"""


def test_the_checks_catch_a_figure_that_overflows_scrolls_shrinks_or_overlaps_its_text(tabs: dict[int, Any]) -> None:
    tab = tabs[PHONE]
    tab.set_content(BROKEN, wait_until="load")
    problems = figure_problems(tab.evaluate(FIGURES_JS), DESKTOP)
    assert any("'too wide' is 600 px wide" in problem for problem in problems), problems
    assert any("'tiny text' has text under 11 px" in problem for problem in problems), problems
    shrunk = "'shrunk' is drawn 100 px wide, narrower than 1.35 times its natural 600 px or the 343 px column"
    assert shrunk in problems, problems
    assert not any("'grown'" in problem for problem in problems)  # 1.35 times its drawn size: as a desktop shows it
    assert any("'scrolls' scrolls sideways" in problem for problem in problems), problems
    overlaps = [problem for problem in problems if "draws text over text" in problem]
    assert overlaps == ["'overlap' draws text over text at 1280 px: 'x[1][1]' over 'y[0] = 2*w'"]  # lines apart: fine
