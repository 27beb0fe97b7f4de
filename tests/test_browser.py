"""Every page of the navigation, opened in a real browser (Debian's Chromium driven by Playwright).

For each page, in the light and the dark palette, at 1280 px and at 375 px: the page loads, with no console error, no
uncaught exception and no request to any host but 127.0.0.1; every figure has an accessible name, fits its box, has
text at least 11 px tall, lets no text lie over another and is no thumbnail at 1280 px (tests/figure_fit.py), and
each view shows as many figures; nothing makes the page scroll sideways; axe-core finds no violation with every
one of its rules that is on by default, none turned off, on the whole page (after the palette toggle, which changes
the colours and nothing else of the page, the rules that read colours). What a reader sees is measured too: no
formula shows TeX (a backslash), no displayed formula is wider than the column (at either width) nor starts its lines at
different places, no code block scrolls sideways at 1280 px, no table is wider than the column at 375 px, and a
formula wider than its box on a phone scrolls in a box that takes the keyboard focus and is a named region; no copy
button covers a character of code; no name in a table
breaks inside a word. A second test opens every page with JavaScript turned off and checks that its text and
figures are all there. A failing check saves a screenshot under test-results/ and its message names the page, the
palette and the width.

Speed: one browser for the session, and one tab per width, reused from page to page. Each tab loads a page once
and checks it in both palettes: in the palette it opened in, then, after a click on the theme's palette toggle (as a
reader switches), in the other. The palette is stored, so the next page opens in the second palette: each tab opens
the pages in light and dark in turn, and the two tabs start in different palettes, so every page is opened in each
palette at one of the widths. The two tabs load each page, and run axe-core on it, at the same time (each tab is a
renderer process of its own). Requests are watched, not intercepted (intercepting them turns off the browser's
cache); the browser resolves no host but 127.0.0.1 (tests/conftest.py), so a request elsewhere fails there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from figure_fit import FIGURES_JS, figure_problems

from tests.support.browser import COLOUR_RULES, Tab, axe_findings, open_tab, start_axe
from tests.support.site import ROOT, NavPage, built_pages, nav_pages, slug

NAV_PAGES = nav_pages()
# The page a reader meets at a broken address is not in the navigation, but is checked like every other.
PAGES = [*NAV_PAGES, NavPage("Page not found", "404.html", "404.html")]
RESULTS = ROOT / "test-results"
DESKTOP, PHONE = 1280, 375
HEIGHT = 900
# mkdocs.yml gives each palette a prefers-color-scheme media query, so emulating the reader's preference picks
# the palette exactly as it does for a first-time reader; the test checks that the page really switched.
PALETTES = {"light": "default", "dark": "slate"}


@dataclass(frozen=True)
class View:
    palette: str
    width: int

    @property
    def name(self) -> str:
        return f"{self.palette}, {self.width} px"


WIDTHS = (DESKTOP, PHONE)
VIEWS = [View(palette, width) for width in WIDTHS for palette in PALETTES]
READING_VIEW = View("light", DESKTOP)
SCHEMES = {scheme: palette for palette, scheme in PALETTES.items()}  # "default" -> "light", "slate" -> "dark"
# the theme's palette toggle in the header: the label of the palette that is not the current one
PALETTE_TOGGLE = "form[data-md-component=palette] label:not([hidden])"
SEEN_WITH_JS: dict[str, Any] = {}  # page address -> what ARTICLE_JS found with JavaScript on


@pytest.fixture(scope="session")
def tabs(browser: Any) -> Iterator[dict[int, Tab]]:
    """One tab per width. The desktop tab's reader prefers light, the phone tab's dark: the first page opens in
    those palettes (mkdocs.yml gives each palette a prefers-color-scheme media query)."""
    opened = {
        width: open_tab(browser, color_scheme=palette, viewport={"width": width, "height": HEIGHT})
        for width, palette in zip(WIDTHS, PALETTES, strict=True)
    }
    yield opened
    for tab in opened.values():
        tab.page.context.close()


@pytest.fixture(scope="session")
def no_script_tab(browser: Any) -> Iterator[Tab]:
    tab = open_tab(browser, java_script_enabled=False, viewport={"width": DESKTOP, "height": HEIGHT})
    yield tab
    tab.page.context.close()


# --- what a page is checked for, in the page itself ------------------------------------------------------------------

# Figures without an accessible name: images, anything with role="img", and any drawing in the article that is
# neither hidden from assistive technology nor exposed as an image.
UNNAMED_FIGURES_JS = """() => {
  const text = (el) => (el ? el.textContent : "").trim();
  const name = (el) => {
    const label = (el.getAttribute("aria-label") || "").trim();
    if (label) return label;
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    const labelled = ids.map((id) => text(document.getElementById(id))).join(" ").trim();
    if (labelled) return labelled;
    if (el.localName === "img") return (el.getAttribute("alt") || "").trim();
    const title = el.localName === "svg" ? el.querySelector(":scope > title") : null;
    if (text(title)) return text(title);
    return (el.getAttribute("title") || "").trim();
  };
  const describe = (el) => el.outerHTML.slice(0, 160).replace(/\\s+/g, " ");
  const bad = [];
  for (const el of document.querySelectorAll("img, svg[role=img], [role=img]")) {
    if (el.closest("[aria-hidden=true]")) continue;
    if (!name(el)) bad.push("no accessible name: " + describe(el));
  }
  const article = document.querySelector("article") || document.body;
  for (const svg of article.querySelectorAll("svg")) {
    if (svg.closest("[aria-hidden=true], a, button, label, .twemoji") || svg.parentElement.closest("svg")) continue;
    if (svg.getAttribute("role") !== "img") bad.push("drawing neither role=img nor aria-hidden: " + describe(svg));
  }
  return bad;
}"""

# Sideways scrolling: the document wider than the window, or an element sticking out past its right edge
# without a scrolling or clipping box around it (code blocks and tables that scroll inside themselves are fine).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.documentElement; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || clipped(el)) continue;
    if (getComputedStyle(el).position === "fixed" && box.left >= width) continue;  // parked off-screen on purpose
    const id = el.id ? "#" + el.id : "";
    const cls = el.classList.length ? "." + [...el.classList].slice(0, 2).join(".") : "";
    culprits.push(`${el.localName}${id}${cls} (right edge at ${Math.round(box.right)} px)`);
    if (culprits.length === 5) break;
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, culprits};
}"""

# Formulas as a reader sees them: TeX that reached the page (any backslash in a formula's text), displayed formulas
# wider than the column, and displayed formulas wider than their box whose scrolling box a keyboard cannot reach
# (no tabindex) or a screen reader cannot name (no role, no aria-label).
FORMULAS_JS = r"""() => {
  const article = document.querySelector("article");
  const found = {tex: [], wider: [], unreachable: [], misaligned: []};
  if (!article) return found;
  const style = getComputedStyle(article);
  const column = article.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  for (const math of article.querySelectorAll("math")) {
    const text = math.textContent.replace(/\s+/g, " ").trim();
    const label = text.slice(0, 50);
    if (text.includes("\\")) found.tex.push(label);
    if (math.getAttribute("display") !== "block") continue;
    // a formula over several lines (an mtable) starts each line at one place
    const starts = [...math.querySelectorAll("mtable > mtr > mtd:last-child > :first-child")]
      .map((start) => Math.round(start.getBoundingClientRect().left));
    if (new Set(starts).size > 1) found.misaligned.push(`${label} (lines start at ${starts.join(", ")} px)`);
    const range = document.createRange();
    range.selectNodeContents(math);
    const width = range.getBoundingClientRect().width;
    if (width > column + 1) found.wider.push(`${label} (${Math.round(width)} px in a ${Math.round(column)} px column)`);
    let box = math.parentElement;
    while (box !== article && getComputedStyle(box).overflowX === "visible") box = box.parentElement;
    if (box === article || width <= box.clientWidth + 1) continue;  // it fits, or sticks out (OVERFLOW_JS says so)
    const named = (box.getAttribute("aria-label") || "").trim() && box.getAttribute("role");
    if (box.tabIndex < 0 || !named) found.unreachable.push(label);
  }
  return found;
}"""

# Copy buttons that cover a character of code (the code's own text, where it is visible inside its box).
COVERED_CODE_JS = """() => {
  const covered = [];
  for (const nav of document.querySelectorAll("pre > .md-code__nav")) {
    const code = nav.parentElement.querySelector(":scope > code");
    if (!code) continue;
    const button = nav.getBoundingClientRect(), shown = code.getBoundingClientRect();
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    let hit = null;
    for (let node = walker.nextNode(); node && !hit; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        const left = Math.max(r.left, shown.left), right = Math.min(r.right, shown.right);
        const across = right > left && left < button.right && right > button.left;
        if (across && r.top < button.bottom && r.bottom > button.top) {
          hit = node.textContent.trim();
          break;
        }
      }
    }
    if (hit) covered.push(`${code.parentElement.id || "a code block"}: "${hit.slice(0, 30)}"`);
  }
  return covered;
}"""

# Names in tables broken inside a word ("in_channe ls"): code with no space in it that takes more than one line.
# Code blocks whose lines run past their box at 1280 px (the reader would scroll sideways to read them): the
# start of their longest line. Printed output (#> lines) wraps instead (src/conv_docs/site/code_spans.py).
SCROLLING_CODE_JS = """() => [...document.querySelectorAll("article pre > code, article pre")]
  .filter((code) => code.scrollWidth > code.clientWidth + 1)
  .map((code) => code.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a), "").slice(0, 60))"""

# Tables wider than the article's column (on a phone, a table of two columns or more stacks its rows:
# src/conv_docs/site/tables.py): the text of their first row.
WIDE_TABLES_JS = """() => {
  const column = document.querySelector("article").getBoundingClientRect().width;
  return [...document.querySelectorAll("article table")]
    .filter((table) => table.getBoundingClientRect().width > column + 1)
    .map((table) => table.rows[0].textContent.trim().replace(/\\s+/g, " ").slice(0, 60));
}"""

BROKEN_NAMES_JS = r"""() => [...document.querySelectorAll("article table code")]
  .filter((code) => !/\s/.test(code.textContent) && code.getClientRects().length > 1)
  .map((code) => code.textContent)"""

ARTICLE_JS = """() => {
  const article = document.querySelector("article");
  if (!article) return null;
  const controls = [...article.querySelectorAll("input, select, textarea, canvas")]
    .filter((el) => !el.closest(".tabbed-set"));
  return {
    text: article.innerText.trim().length,
    headings: [...article.querySelectorAll("h1, h2, h3, h4")].map((h) => h.textContent.replace("¶", "").trim()),
    figures: article.querySelectorAll("svg[role=img], img, figure").length,
    scripts: article.querySelectorAll("script").length,
    controls: controls.length,
    noscript: [...document.querySelectorAll("noscript")].map((n) => n.textContent).join(" ").trim().length,
  };
}"""


def _screenshot_path(page: NavPage, label: str) -> Path:
    return RESULTS / f"{slug(page.url)}--{label.replace(', ', '-').replace(' ', '')}.png"


def _screenshot(tab: Tab, page: NavPage, label: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = _screenshot_path(page, label)
    try:
        tab.page.screenshot(path=str(path), full_page=True)
    except Exception as error:  # the screenshot helps; its failure must not hide the real one
        return Path(f"(no screenshot: {error})")
    return path


def _reading_problems(tab: Tab, view: View) -> list[str]:
    """What a reader sees: formulas, copy buttons over code, names in tables (FORMULAS_JS and the others)."""
    formulas = tab.page.evaluate(FORMULAS_JS)
    problems = [f"TeX in a formula: {text}" for text in formulas["tex"]]
    problems += [f"formula wider than the column: {text}" for text in formulas["wider"]]
    if view.width == DESKTOP:
        problems += [f"formula with lines that start at different places: {text}" for text in formulas["misaligned"]]
        problems += [f"a code block scrolls sideways: {line!r}" for line in tab.page.evaluate(SCROLLING_CODE_JS)]
    problems += [
        f"formula scrolls in a box without the keyboard focus, a role or a name: {text}"
        for text in formulas["unreachable"]
    ]
    problems += [f"the copy button covers code: {where}" for where in tab.page.evaluate(COVERED_CODE_JS)]
    if view.width == PHONE:
        problems += [f"a table is wider than the column: {row}" for row in tab.page.evaluate(WIDE_TABLES_JS)]
    problems += [f"a name in a table breaks inside a word: {name}" for name in tab.page.evaluate(BROKEN_NAMES_JS)]
    return problems


def _start_loading(tab: Tab, url: str) -> list[str]:
    """Open ``url`` and return once the server has answered: the tab goes on loading while others start."""
    tab.clear()
    response = tab.page.goto(url, wait_until="commit")
    if response is None or not response.ok:
        return [f"HTTP {response.status if response else 'no response'} for {url}"]
    return []


def _load(tab: Tab, url: str) -> list[str]:
    problems = _start_loading(tab, url)
    tab.page.wait_for_load_state("load")
    return problems


def _traffic_problems(tab: Tab) -> list[str]:
    return (
        [f"console error: {text}" for text in tab.console_errors]
        + [f"uncaught exception: {text}" for text in tab.page_errors]
        + [f"request outside 127.0.0.1 (refused): {url}" for url in tab.outside_requests]
        + [f"request failed: {text}" for text in tab.failed_requests]
    )


class _ResourceFinder(HTMLParser):
    """Collects the addresses a page loads by itself (scripts, styles, images, frames, media), links aside."""

    LOADING_LINKS = frozenset(
        {"stylesheet", "preload", "modulepreload", "preconnect", "dns-prefetch", "icon", "manifest"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "link" and set(found.get("rel", "").split()) & self.LOADING_LINKS:
            self.addresses.append(found.get("href", ""))
        elif tag in ("script", "img", "iframe", "source", "video", "audio", "embed", "input"):
            self.addresses.append(found.get("src", ""))
            self.addresses += [part.split()[0] for part in found.get("srcset", "").split(",") if part.strip()]
        elif tag == "object":
            self.addresses.append(found.get("data", ""))


REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)
CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", re.IGNORECASE)


# --- the tests -----------------------------------------------------------------------------------------------------


def test_no_file_of_the_site_loads_from_another_host(built_site: Path) -> None:
    """Also what the browser runs never fetch: a script behind a media query, a lazy image, a font in CSS."""
    found = []
    for path in sorted(built_site.rglob("*.html")):
        finder = _ResourceFinder()
        finder.feed(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(built_site)}: {url}" for url in finder.addresses if REMOTE.match(url)]
    for path in sorted(built_site.rglob("*.css")):
        remote = CSS_REMOTE.findall(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(built_site)}: {url}" for url in remote]
    assert not found, "resources from another host:\n" + "\n".join(found[:20])


def test_navigation_has_pages() -> None:
    assert any(page.url == "" for page in NAV_PAGES), "mkdocs.yml's nav: has no home page (index.md)"
    assert len({page.url for page in NAV_PAGES}) == len(NAV_PAGES), "a page appears twice in mkdocs.yml's nav:"


def test_every_built_page_is_in_the_navigation(built_site: Path) -> None:
    """The browser tests open the pages of the navigation: a page built but missing from it would go unchecked."""
    built = set(built_pages(built_site))
    in_nav = {page.url for page in NAV_PAGES}
    assert built - in_nav == set(), "pages built but not in mkdocs.yml's nav: (so not checked in the browser)"
    assert in_nav - built == set(), "pages in mkdocs.yml's nav: missing from the built site"


SCHEME_JS = "document.body.dataset.mdColorScheme"  # the palette the theme shows: "default" or "slate"
# what the page says: the article (the sidebars move as the page scrolls; a screenshot scrolls it)
MAIN_HTML_JS = "(document.querySelector('article') || document.body).outerHTML"


def _scheme(tab: Tab) -> str:
    return tab.page.evaluate(SCHEME_JS)


def _view_problems(tab: Tab, page: NavPage, view: View, figure_counts: dict[View, int]) -> list[str]:
    """Every check of one view taken in the page itself (axe-core aside): figures, sideways scrolling, reading."""
    problems = tab.page.evaluate(UNNAMED_FIGURES_JS)
    figures = tab.page.evaluate(FIGURES_JS)
    figure_counts[view] = len(figures)
    problems += figure_problems(figures, view.width)
    if view == READING_VIEW:  # kept for the test without JavaScript, which then need not load it again
        SEEN_WITH_JS[page.url] = tab.page.evaluate(ARTICLE_JS)
    overflow = tab.page.evaluate(OVERFLOW_JS)
    if overflow["scrollWidth"] > overflow["width"] or overflow["culprits"]:
        problems.append(
            f"scrolls sideways: document {overflow['scrollWidth']} px wide in a {overflow['width']} px "
            f"window; sticking out: {', '.join(overflow['culprits']) or 'nothing found'}"
        )
    return problems + _reading_problems(tab, view)


@pytest.mark.parametrize("page", PAGES, ids=[page.url or "home" for page in PAGES])
def test_page_in_browser(page: NavPage, site_url: str, tabs: dict[int, Tab]) -> None:
    # Two rounds, one per palette: in each, both tabs are checked and run axe-core at the same time (each tab has
    # its own renderer process, so the work spreads over the cores); between them, each tab switches its palette.
    in_view: dict[View, list[str]] = {}  # what each view's checks found
    in_tab = {width: [] for width in WIDTHS}  # what a tab found whatever its palette: the load, the toggle, traffic
    figure_counts: dict[View, int] = {}
    for width in WIDTHS:
        _screenshot_path(page, f"{width} px").unlink(missing_ok=True)
        for palette in PALETTES:
            _screenshot_path(page, View(palette, width).name).unlink(missing_ok=True)
        in_tab[width] += _start_loading(tabs[width], site_url + page.url)
    for width in WIDTHS:
        tabs[width].page.wait_for_load_state("load")
    checking = [width for width in WIDTHS if not in_tab[width]]
    opened_as: dict[int, str] = {}  # each tab's page as opened: the toggle must change its colours alone
    for turn in ("as opened", "after the palette toggle"):
        shown: dict[int, View] = {}  # the view each tab shows in this round
        for width in checking:
            scheme = _scheme(tabs[width])
            if scheme not in SCHEMES:
                in_tab[width].append(f"unknown color scheme {scheme!r} ({turn})")
                continue
            view = shown[width] = View(SCHEMES[scheme], width)
            in_view[view] = _view_problems(tabs[width], page, view, figure_counts)
            if turn == "as opened":
                opened_as[width] = tabs[width].page.evaluate(MAIN_HTML_JS)
                start_axe(tabs[width].page)  # every rule
            else:  # the same page in other colours: only the rules that read colours can find something new
                if tabs[width].page.evaluate(MAIN_HTML_JS) != opened_as[width]:
                    in_view[view].append("the palette toggle changed the page, not only its colours")
                start_axe(tabs[width].page, COLOUR_RULES)
        checking = []
        for width, view in shown.items():
            tab = tabs[width]
            in_view[view] += axe_findings(tab.page)
            if in_view[view]:  # the picture of this palette, before the toggle changes it
                in_view[view].append(f"screenshot: {_screenshot(tab, page, view.name)}")
            if turn == "as opened":
                tab.page.click(PALETTE_TOGGLE)
                other = PALETTES["dark" if view.palette == "light" else "light"]
                try:
                    tab.page.wait_for_function(f"{SCHEME_JS} === {other!r}", timeout=5000)
                    checking.append(width)
                except Exception:
                    in_tab[width].append(f"the palette toggle did not switch to {other!r}")
    for width in WIDTHS:  # read last: late errors (from scripts run after load) count too
        in_tab[width] += _traffic_problems(tabs[width])
        if in_tab[width]:
            in_tab[width].append(f"screenshot: {_screenshot(tabs[width], page, f'{width} px')}")
    failures = []
    if set(figure_counts) != set(VIEWS):
        failures.append(f"{page.src}: not checked in every view: {sorted(view.name for view in figure_counts)}")
    if len(set(figure_counts.values())) > 1:
        failures.append(f"{page.src}: not as many figures in every view: {figure_counts}")
    found = [(view.name, problems) for view, problems in in_view.items()]
    found += [(f"{width} px", problems) for width, problems in in_tab.items()]
    for name, problems in found:
        failures += [f"{page.src} ({page.url or 'home'}) [{name}]: {problem}" for problem in problems]
    assert not failures, "\n".join(failures)


def test_a_first_time_reader_gets_the_palette_of_their_system(browser: Any, site_url: str) -> None:
    """mkdocs.yml gives each palette a prefers-color-scheme media query; with nothing stored, that picks it."""
    for palette, scheme in PALETTES.items():
        tab = open_tab(browser, color_scheme=palette, viewport={"width": PHONE, "height": HEIGHT})
        try:
            assert not _load(tab, site_url)
            assert _scheme(tab) == scheme, f"a reader who prefers {palette} got {_scheme(tab)!r}"
        finally:
            tab.page.context.close()


@pytest.mark.parametrize("page", PAGES, ids=[page.url or "home" for page in PAGES])
def test_page_reads_without_javascript(page: NavPage, site_url: str, tabs: dict[int, Tab], no_script_tab: Tab) -> None:
    """Text, headings and figures are in the page as served; only a page with interactive parts needs JavaScript,
    and such a page says so to a reader without it."""
    _screenshot_path(page, "no JavaScript").unlink(missing_ok=True)
    problems = _load(no_script_tab, site_url + page.url)
    with_js = SEEN_WITH_JS.get(page.url)
    if with_js is None:  # this test ran first (or alone): open the page with JavaScript here
        scripted = tabs[DESKTOP]
        problems += _load(scripted, site_url + page.url)
        with_js = scripted.page.evaluate(ARTICLE_JS)
    without_js = no_script_tab.page.evaluate(ARTICLE_JS)
    if with_js is None or without_js is None:
        problems.append("no <article> element in the page")
    else:
        needs_js = with_js["scripts"] or with_js["controls"]
        if without_js["text"] == 0:
            problems.append("no text in the article without JavaScript")
        if not without_js["headings"]:
            problems.append("no heading in the article without JavaScript")
        missing = [heading for heading in with_js["headings"] if heading not in without_js["headings"]]
        if missing and not needs_js:
            problems.append(f"headings that only JavaScript adds: {missing}")
        if without_js["figures"] < with_js["figures"] and not needs_js:
            problems.append(f"{with_js['figures'] - without_js['figures']} figure(s) appear only with JavaScript")
        if needs_js and not without_js["noscript"]:
            problems.append("the page needs JavaScript (a script or form controls) but has no <noscript> note")
    problems += _traffic_problems(no_script_tab)
    if problems:
        shot = _screenshot(no_script_tab, page, "no JavaScript")
        lines = [f"{page.src} [no JavaScript]: {problem}" for problem in problems]
        pytest.fail("\n".join([*lines, f"  screenshot: {shot}"]))


# --- the checks themselves catch what they look for ----------------------------------------------------------------

BROKEN_PAGE = """<!doctype html><html lang="en"><head><title>broken</title></head><body>
<article>
  <h1>Broken on purpose</h1>
  <svg width="10" height="10"><rect width="10" height="10"/></svg>
  <svg role="img" width="10" height="10"><rect width="10" height="10"/></svg>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <svg role="img" aria-label="a named drawing" width="10" height="10"></svg>
  <img alt="a named image" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <div style="width: 2000px">too wide</div>
  <div style="overflow-x: auto"><div style="width: 2000px">wide, but scrolls inside its box</div></div>
  <img alt="from another host" src="https://example.org/pixel.png">
  <img alt="missing" src="{missing}">
  <script>console.error("on purpose"); undefinedFunction();</script>
  <p>TeX left in: <math><mtext>kernel\\_size</mtext></math></p>
  <div style="overflow-x: auto"><math display="block"><mtext>WIDE,&nbsp;UNREACHABLE:&nbsp;{filler}</mtext></math></div>
  <div style="overflow-x: auto" tabindex="0" role="region" aria-label="Formula 2"><math display="block"><mtext
    >WIDE,&nbsp;REACHABLE:&nbsp;{filler}</mtext></math></div>
  <math display="block"><mtable><mtr><mtd><mi>y</mi></mtd><mtd><mi>misaligned</mi></mtd></mtr>
    <mtr><mtd></mtd><mtd><mi>x</mi></mtd></mtr></mtable></math>
  <table><tr><td style="width: 3em"><code style="word-break: break-all">in_channels_and_more</code></td></tr></table>
  <pre id="__code_9" style="position: relative"><nav class="md-code__nav"
    style="position: absolute; top: 0; right: 0; width: 40px; height: 30px"></nav><code
    style="display: block; overflow-x: auto">code = "a line long enough to run under the copy button"</code></pre>
</article></body></html>"""


def test_the_checks_catch_a_broken_page(browser: Any, site_url: str) -> None:
    tab = open_tab(browser, viewport={"width": PHONE, "height": HEIGHT})
    try:
        tab.page.goto(site_url + "404.html")  # same origin as the site: a missing file answers 404
        tab.clear()
        filler = "&nbsp;".join(["far", "too", "wide", "for", "a", "phone's", "column"] * 4)  # one line: no break
        broken = BROKEN_PAGE.replace("{missing}", site_url + "no-such-file.png").replace("{filler}", filler)
        tab.page.set_content(broken, wait_until="load")
        unnamed = tab.page.evaluate(UNNAMED_FIGURES_JS)
        overflow = tab.page.evaluate(OVERFLOW_JS)
        traffic = _traffic_problems(tab)
        formulas = tab.page.evaluate(FORMULAS_JS)
        covered = tab.page.evaluate(COVERED_CODE_JS)
        broken_names = tab.page.evaluate(BROKEN_NAMES_JS)
    finally:
        tab.page.context.close()
    assert len(unnamed) == 3, unnamed  # the bare drawing, the unnamed role=img drawing, the image without alt
    assert overflow["scrollWidth"] > overflow["width"] == PHONE
    assert [culprit.split(" ")[0] for culprit in overflow["culprits"]] == ["div"], overflow
    assert any("example.org" in problem for problem in traffic), traffic
    assert any("console error: on purpose" in problem for problem in traffic), traffic
    assert any("undefinedFunction" in problem for problem in traffic), traffic
    assert any("no-such-file.png (HTTP 404)" in problem for problem in traffic), traffic
    assert formulas["tex"] == ["kernel\\_size"], formulas
    assert [text.split(":")[0] for text in formulas["wider"]] == ["WIDE, UNREACHABLE", "WIDE, REACHABLE"], formulas
    assert [text.split(":")[0] for text in formulas["unreachable"]] == ["WIDE, UNREACHABLE"], formulas
    assert [text.split(" (")[0] for text in formulas["misaligned"]] == ["ymisaligned x"], formulas
    assert len(covered) == 1 and covered[0].startswith('__code_9: "code = "a line long'), covered
    assert broken_names == ["in_channels_and_more"], broken_names


def test_the_static_check_finds_remote_resources() -> None:
    finder = _ResourceFinder()
    finder.feed(
        '<link rel="stylesheet" href="https://cdn.example.org/a.css"><link rel="canonical" href="https://x.org/">'
        '<script src="//cdn.example.org/b.js"></script><img alt="" srcset="c.png 1x, https://x.org/d.png 2x">'
        '<a href="https://pytorch.org/">a link is fine</a><script src="assets/local.js"></script>'
    )
    remote = [url for url in finder.addresses if REMOTE.match(url)]
    assert remote == ["https://cdn.example.org/a.css", "//cdn.example.org/b.js", "https://x.org/d.png"]
    css = "@import 'https://fonts.example.org/f.css'; a{background:url(\"https://x.org/e.png\")} b{src:url(f.woff)}"
    assert CSS_REMOTE.findall(css) == ["https://fonts.example.org/f.css", "https://x.org/e.png"]


# --- exercises: the answer stays folded until the reader opens it, with or without JavaScript ----------------------

EXERCISE_PAGES = ["cases/kernel-2-stride-2-padding-1/", "guide/transposed/"]
EXERCISES_JS = """() => [...document.querySelectorAll(".conv-exercise")].map((ex) => {
  const details = ex.querySelector("details"), answer = details.querySelector(":scope > :not(summary)");
  const box = ex.getBoundingClientRect();
  return {open: details.open, shown: answer.getBoundingClientRect().height > 0 && answer.checkVisibility(),
          right: box.right, width: document.documentElement.clientWidth, text: answer.innerText.trim()};
})"""


@pytest.mark.parametrize("address", EXERCISE_PAGES)
@pytest.mark.parametrize("view", [View("light", PHONE), View("dark", PHONE), View("dark", DESKTOP)], ids=str)
def test_an_exercise_answer_opens_on_a_click_and_fits(browser: Any, site_url: str, address, view) -> None:
    tab = open_tab(browser, color_scheme=view.palette, viewport={"width": view.width, "height": HEIGHT})
    try:
        problems = _load(tab, site_url + address)
        before = tab.page.evaluate(EXERCISES_JS)
        assert len(before) >= 2, f"{address} has {len(before)} exercises"
        assert not any(ex["open"] or ex["shown"] for ex in before), "an answer is shown before the reader asks"
        for summary in tab.page.locator(".conv-exercise summary").all():
            summary.click()
        after = tab.page.evaluate(EXERCISES_JS)
        assert all(ex["open"] and ex["shown"] and ex["text"] for ex in after), "a click did not show an answer"
        assert all(ex["right"] <= ex["width"] + 1 for ex in after), "an exercise sticks out of the page"
        overflow = tab.page.evaluate(OVERFLOW_JS)
        assert overflow["scrollWidth"] <= overflow["width"], f"scrolls sideways: {overflow['culprits']}"
        if view.width == DESKTOP:  # the open answers in the dark palette: every axe rule, contrast included
            start_axe(tab.page)
            problems += axe_findings(tab.page)
        assert not problems + _traffic_problems(tab)
    finally:
        tab.page.context.close()


def test_an_exercise_answer_opens_without_javascript(browser: Any, site_url: str) -> None:
    tab = open_tab(browser, java_script_enabled=False, viewport={"width": PHONE, "height": HEIGHT})
    try:
        assert not _load(tab, site_url + EXERCISE_PAGES[0])
        summary = tab.page.locator(".conv-exercise summary").first
        assert not tab.page.evaluate(EXERCISES_JS)[0]["shown"]
        summary.click()
        assert tab.page.evaluate(EXERCISES_JS)[0]["shown"]  # <details> is HTML: no script needed
    finally:
        tab.page.context.close()
