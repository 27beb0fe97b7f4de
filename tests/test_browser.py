"""Every page of the navigation, opened in a real browser (Debian's Chromium driven by Playwright).

For each page, in the light and the dark palette at 1280 px, and in the light palette at 375 px (the palettes change
colours, never the layout, so what depends on the width is checked once): the page loads, with no console error, no
uncaught exception and no request to any host but 127.0.0.1; every figure has an accessible name; nothing makes the
page scroll sideways. axe-core is the slow part, so it runs at 1280 px only (its rules do not depend on the width):
every rule in the light palette, and in the dark palette the rules that depend on colour; on the whole home page,
and on the content of every other page (header, navigation and footer are the same on every page). A second
test opens every page with JavaScript turned off and checks that its text and figures are all there. A failing
check saves a screenshot under test-results/ and its message names the page, the palette and the width.

Speed: one browser for the session and one context (and one tab) per palette and width, reused from page to page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_pages import ROOT, NavPage, built_pages, nav_pages, slug

NAV_PAGES = nav_pages()
# The page a reader meets at a broken address is not in the navigation, but is checked like every other.
PAGES = [*NAV_PAGES, NavPage("Page not found", "404.html", "404.html")]
RESULTS = ROOT / "test-results"
DESKTOP, PHONE = 1280, 375
HEIGHT = 900
# mkdocs.yml gives each palette a prefers-color-scheme media query, so emulating the reader's preference picks
# the palette exactly as it does for a first-time reader; the test checks that the page really switched.
PALETTES = {"light": "default", "dark": "slate"}

# The axe-core rules whose outcome depends on the palette: the only ones run again in the dark palette.
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]

# Known problems in markup that mkdocs-material itself writes, not in our pages: (rule, end of the element's CSS
# selector as axe reports it). Remove an entry as soon as the theme (or an override in this project) fixes it.
AXE_THEME_EXCEPTIONS = {
    # the copy button of every code block sits in an unnamed <nav>, added by the theme's script
    ("landmark-unique", ".md-code__nav"),
}


@dataclass(frozen=True)
class View:
    palette: str
    width: int

    @property
    def name(self) -> str:
        return f"{self.palette}, {self.width} px"


VIEWS = [View("light", DESKTOP), View("dark", DESKTOP), View("light", PHONE)]  # the palettes only change colours
READING_VIEW = View("light", DESKTOP)
SEEN_WITH_JS: dict[str, Any] = {}  # page address -> what ARTICLE_JS found with JavaScript on


@dataclass
class Tab:
    """One browser tab, kept open across pages, with what it saw since the last page was opened."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def clear(self) -> None:
        for seen in (self.console_errors, self.page_errors, self.outside_requests, self.failed_requests):
            seen.clear()


def _open_tab(browser: Any, **context_options: Any) -> Tab:
    context = browser.new_context(**context_options)
    tab = Tab(context.new_page())

    def route(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:  # the site must not need anything from another host: record the request and refuse it
            tab.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    tab.page.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    tab.page.on("pageerror", lambda error: tab.page_errors.append(str(error)))

    def failed(request: Any) -> None:
        # ERR_ABORTED: a request cut short by leaving the page (the search index, say), not a fault of the page
        if urlsplit(request.url).hostname == "127.0.0.1" and "ERR_ABORTED" not in str(request.failure):
            tab.failed_requests.append(f"{request.url} ({request.failure})")

    def answered(response: Any) -> None:
        if response.status >= 400:
            tab.failed_requests.append(f"{response.url} (HTTP {response.status})")

    tab.page.on("requestfailed", failed)
    tab.page.on("response", answered)
    return tab


@pytest.fixture(scope="session")
def tabs(browser: Any) -> Iterator[dict[View, Tab]]:
    opened = {
        view: _open_tab(browser, color_scheme=view.palette, viewport={"width": view.width, "height": HEIGHT})
        for view in VIEWS
    }
    yield opened
    for tab in opened.values():
        tab.page.context.close()


@pytest.fixture(scope="session")
def no_script_tab(browser: Any) -> Iterator[Tab]:
    tab = _open_tab(browser, java_script_enabled=False, viewport={"width": DESKTOP, "height": HEIGHT})
    yield tab
    tab.page.context.close()


@pytest.fixture(scope="session")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()  # bundles axe-core: nothing is fetched from a CDN


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


def _start_axe(axe: Any, tab: Tab, rules: list[str] | None, whole_page: bool) -> None:
    """Start axe-core in the tab without waiting for it, so that two tabs (two renderer processes) run it at once."""
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    context = None if whole_page else {"include": [".md-content"]}
    tab.page.evaluate(axe.axe_script)
    # axe.run does most of its work before its promise settles; starting it from a timer lets evaluate() return
    start = """([context, options]) => {
      window.__axeRun = new Promise((go) => setTimeout(go, 0)).then(() => axe.run(context || document, options));
    }"""
    tab.page.evaluate(start, [context, options])


def _axe_problems(tab: Tab) -> list[str]:
    """Wait for the run started by _start_axe and describe its violations."""
    problems = []
    for violation in tab.page.evaluate("() => window.__axeRun.then((results) => results.violations)"):
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]]
        targets = [
            target
            for target in targets
            if not any(violation["id"] == rule and target.endswith(end) for rule, end in AXE_THEME_EXCEPTIONS)
        ]
        if targets:
            problems.append(
                f"axe {violation['id']} ({violation['impact']}): {violation['help']} at {'; '.join(targets[:5])}"
            )
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


@pytest.mark.parametrize("page", PAGES, ids=[page.url or "home" for page in PAGES])
def test_page_in_browser(page: NavPage, site_url: str, tabs: dict[View, Tab], axe: Any) -> None:
    # The tabs load the page at the same time, and axe-core runs in the two desktop tabs at the same time:
    # each tab has its own renderer process, so the work spreads over the cores.
    problems: dict[View, list[str]] = {}
    axe_running: set[View] = set()
    for view in VIEWS:
        _screenshot_path(page, view.name).unlink(missing_ok=True)  # no stale picture from an earlier failure
        problems[view] = _start_loading(tabs[view], site_url + page.url)
    for view in VIEWS:
        tab = tabs[view]
        tab.page.wait_for_load_state("load")
        if problems[view]:
            continue
        scheme = tab.page.evaluate("document.body.dataset.mdColorScheme")
        if scheme != PALETTES[view.palette]:
            expected = PALETTES[view.palette]
            problems[view].append(f"palette did not switch: color scheme {scheme!r}, expected {expected!r}")
        problems[view] += tab.page.evaluate(UNNAMED_FIGURES_JS)
        if view == READING_VIEW:  # kept for the test without JavaScript, which then need not load it again
            SEEN_WITH_JS[page.url] = tab.page.evaluate(ARTICLE_JS)
        overflow = tab.page.evaluate(OVERFLOW_JS)
        if overflow["scrollWidth"] > overflow["width"] or overflow["culprits"]:
            problems[view].append(
                f"scrolls sideways: document {overflow['scrollWidth']} px wide in a {overflow['width']} px "
                f"window; sticking out: {', '.join(overflow['culprits']) or 'nothing found'}"
            )
        if view.width == DESKTOP:
            rules = None if view.palette == "light" else AXE_COLOUR_RULES
            _start_axe(axe, tab, rules, whole_page=page.url == "")
            axe_running.add(view)
    failures = []
    for view in VIEWS:
        tab = tabs[view]
        if view in axe_running:
            problems[view] += _axe_problems(tab)
        problems[view] += _traffic_problems(tab)  # read last: late errors (from scripts run after load) count too
        if problems[view]:
            shot = _screenshot(tab, page, view.name)
            failures += [f"{page.src} ({page.url or 'home'}) [{view.name}]: {problem}" for problem in problems[view]]
            failures.append(f"  screenshot: {shot}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("page", PAGES, ids=[page.url or "home" for page in PAGES])
def test_page_reads_without_javascript(page: NavPage, site_url: str, tabs: dict[View, Tab], no_script_tab: Tab) -> None:
    """Text, headings and figures are in the page as served; only a page with interactive parts needs JavaScript,
    and such a page says so to a reader without it."""
    _screenshot_path(page, "no JavaScript").unlink(missing_ok=True)
    problems = _load(no_script_tab, site_url + page.url)
    with_js = SEEN_WITH_JS.get(page.url)
    if with_js is None:  # this test ran first (or alone): open the page with JavaScript here
        scripted = tabs[READING_VIEW]
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
</article></body></html>"""


def test_the_checks_catch_a_broken_page(browser: Any, site_url: str) -> None:
    tab = _open_tab(browser, viewport={"width": PHONE, "height": HEIGHT})
    try:
        tab.page.goto(site_url + "404.html")  # same origin as the site: a missing file answers 404
        tab.clear()
        tab.page.set_content(BROKEN_PAGE.replace("{missing}", site_url + "no-such-file.png"), wait_until="load")
        unnamed = tab.page.evaluate(UNNAMED_FIGURES_JS)
        overflow = tab.page.evaluate(OVERFLOW_JS)
        traffic = _traffic_problems(tab)
    finally:
        tab.page.context.close()
    assert len(unnamed) == 3, unnamed  # the bare drawing, the unnamed role=img drawing, the image without alt
    assert overflow["scrollWidth"] > overflow["width"] == PHONE
    assert [culprit.split(" ")[0] for culprit in overflow["culprits"]] == ["div"], overflow
    assert any("example.org" in problem for problem in traffic), traffic
    assert any("console error: on purpose" in problem for problem in traffic), traffic
    assert any("undefinedFunction" in problem for problem in traffic), traffic
    assert any("no-such-file.png (HTTP 404)" in problem for problem in traffic), traffic


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
