"""The site's search, as a reader uses it: a term typed into the search box leads first to the page that teaches it,
and a result's preview is a few lines of text, not a code block."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

# what a reader types, and the page that teaches it
QUERIES = {
    "same": "guide/padding/",
    "padding_mode": "guide/padding/",
    "output_padding": "guide/transposed/",
    "output length": "guide/output-length/",
    "in_channels": "guide/channels/",
    "keras": "guide/other-libraries/",  # a section: any of its pages
    "dilation": "guide/dilation/",
    "causal": "guide/causal/",
    "groups": "guide/groups/",
    "receptive field": "guide/receptive-field/",
    "im2col": "guide/fast/",
    "toeplitz": "guide/as-matrix/",
}
# a term taught by a section of pages rather than by one page: any page of the section may come first
SECTIONS = {"keras": "guide/other-libraries/"}
TALLEST_PREVIEW = 200  # px: a result on a phone shows a few lines of text, never a page of it


@pytest.fixture(scope="module")
def search_page(browser: Any, site_url: str) -> Iterator[Any]:
    """A phone-sized tab on the home page, where the search dialog is opened as a reader opens it."""
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(site_url, wait_until="load")
    page.wait_for_load_state("networkidle")  # the search index is fetched and read by the theme's worker
    yield page
    page.close()


def _results(page: Any, query: str) -> list[dict[str, str]]:
    if not page.is_checked("#__search"):  # the dialog is open from the query before
        page.click("label.md-header__button[for=__search]")
    field = page.locator("input.md-search__input")
    field.fill("")
    field.type(query, delay=10)
    page.wait_for_function(
        "(query) => document.querySelector('.md-search-result__meta').textContent.trim() !== ''"
        " && !/Type to start/.test(document.querySelector('.md-search-result__meta').textContent)",
        arg=query,
        timeout=15000,
    )
    page.wait_for_selector(".md-search-result__item > .md-search-result__link")  # the list is drawn after the count
    return page.evaluate(
        """() => [...document.querySelectorAll('.md-search-result__item > .md-search-result__link')].map((a) => ({
             href: a.getAttribute('href'),
             height: a.getBoundingClientRect().height,
             preview: a.textContent.trim(),
           }))"""
    )


@pytest.mark.parametrize(("query", "page_url"), list(QUERIES.items()))
def test_a_term_leads_first_to_the_page_that_teaches_it(search_page: Any, site_url: str, query: str, page_url: str):
    results = _results(search_page, query)
    assert results, f"no result for {query!r}"
    first = results[0]["href"].split("#")[0].split("?")[0].removeprefix(site_url)
    found = first.startswith(page_url) if query in SECTIONS else first == page_url
    assert found, f"{query!r} leads first to {first}, not {page_url}: {[r['href'] for r in results][:5]}"
    for result in results[:3]:
        assert result["height"] <= TALLEST_PREVIEW, f"{query!r}: a result {result['height']:.0f} px tall"
        assert "import " not in result["preview"], f"{query!r}: a preview shows code: {result['preview'][:80]}"
