"""The built site: the four case pages and their diagrams, MathML formulas, and no request to another host."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
import torch

from tests.support.site import ROOT, built_pages, nav_pages, sitemap_pages

CASES = {
    "cases/kernel-1-stride-1": {"kernel_size": 1, "stride": 1, "padding": 0},
    "cases/kernel-2-stride-1": {"kernel_size": 2, "stride": 1, "padding": 0},
    "cases/kernel-2-stride-2": {"kernel_size": 2, "stride": 2, "padding": 0},
    "cases/kernel-2-stride-2-padding-1": {"kernel_size": 2, "stride": 2, "padding": 1},
}

# Elements and attributes through which a page makes the browser fetch something.
LOADS = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("image", "href"),
    ("use", "href"),
}
LINK_LOADS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon", "font"}


class Page(HTMLParser):
    """What the tests need from one HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[str] = []
        self.ids: Counter[str] = Counter()
        self.svgs: list[dict[str, str]] = []
        self.meta: dict[str, str] = {}
        self.elements: Counter[str] = Counter()
        self._text_of: str | None = None
        self.texts: dict[str, str] = {}
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements[tag] += 1
        if "id" in values:
            self.ids[values["id"]] += 1
            if tag in ("title", "desc"):
                self._text_of = values["id"]
        for name, value in values.items():
            if (tag, name) in LOADS or (name == "xlink:href" and tag in ("image", "use")):
                self.loads.append(value)
        if tag == "link" and set(values.get("rel", "").split()) & LINK_LOADS:
            self.loads.append(values.get("href", ""))
        if tag == "svg" and "conv-svg" in values.get("class", ""):
            self.svgs.append(values)
        if tag == "meta" and "name" in values:
            self.meta[values["name"]] = values.get("content", "")

    def handle_data(self, data: str) -> None:
        if self._text_of is not None:
            self.texts[self._text_of] = self.texts.get(self._text_of, "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "desc"):
            self._text_of = None


def _page(site: Path, address: str) -> Page:
    return Page((site / address / "index.html").read_text(encoding="utf-8"))


def _is_remote(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or urlparse(url).scheme in ("http", "https", "ftp", "ws", "wss")


@pytest.mark.parametrize("address", CASES)
def test_each_case_page_has_its_accessible_diagram(built_site, address):
    page = _page(built_site, address)
    assert page.svgs, f"{address} has no diagram"
    for svg in page.svgs:
        assert svg.get("role") == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert page.texts[title_id].startswith("conv1d of [2, 3, 4]: kernel")
        assert page.texts[desc_id].startswith("Step 1: ")


@pytest.mark.parametrize(("address", "case"), CASES.items())
def test_each_diagram_describes_as_many_steps_as_torch_has_outputs(built_site, address, case):
    page = _page(built_site, address)
    x = torch.tensor([[[2.0, 3.0, 4.0]]])
    outputs = torch.nn.functional.conv1d(x, torch.ones(1, 1, case["kernel_size"]), **{
        "stride": case["stride"], "padding": case["padding"]
    })[0, 0].tolist()  # fmt: skip
    svg = page.svgs[0]  # the diagram with weights of 1; "With real numbers" draws others after it
    description = page.texts[svg["aria-labelledby"].split()[1]]
    steps = re.findall(r"Step \d+: .*?= (-?[\d.]+)\.", description)
    # exact on purpose: sums of small integers are exact in float32 in any order, so on any CPU
    assert [float(value) for value in steps] == outputs


def test_the_unread_input_is_marked_on_the_stride_2_page(built_site):
    page = _page(built_site, "cases/kernel-2-stride-2")
    description = page.texts[page.svgs[0]["aria-labelledby"].split()[1]]
    assert "Input 4 (position 2) is never read." in description
    html = (built_site / "cases/kernel-2-stride-2/index.html").read_text(encoding="utf-8")
    assert re.search(r"<text [^>]*>unread</text>", html)


# The weights and bias of the "With real numbers" diagram of each case page, and of the home page's tour.
REAL_NUMBERS = {
    "cases/kernel-1-stride-1": ([2.0], -1.0),
    "cases/kernel-2-stride-1": ([2.0, -1.0], 1.0),
    "cases/kernel-2-stride-2": ([2.0, -1.0], 1.0),
    "cases/kernel-2-stride-2-padding-1": ([2.0, -1.0], 1.0),
}


@pytest.mark.parametrize(("address", "case"), CASES.items())
def test_the_diagrams_with_real_numbers_describe_torchs_outputs(built_site, address, case):
    weight, bias = REAL_NUMBERS[address]
    x = torch.tensor([[[2.0, 3.0, 4.0]]], dtype=torch.float64)
    w, b = torch.tensor([[weight]], dtype=torch.float64), torch.tensor([bias], dtype=torch.float64)
    outputs = torch.nn.functional.conv1d(x, w, b, stride=case["stride"], padding=case["padding"])[0, 0].tolist()
    home = _page(built_site, "")
    tour = home.svgs[list(CASES).index(address)]  # the tour shows the cases in order
    for page, svg in ((_page(built_site, address), None), (home, tour)):
        svg = svg or page.svgs[1]  # the second diagram of a case page
        description = page.texts[svg["aria-labelledby"].split()[1]]
        steps = re.findall(r"Step \d+: .*?= (-?[\d.]+)\.", description)
        assert [float(value) for value in steps] == outputs


def test_the_home_page_tours_the_four_cases(built_site):
    page = _page(built_site, "")
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert len(page.svgs) == 4
    for address in CASES:
        assert f'href="{address}/"' in html
    assert page.meta.get("description"), "site_description is missing"


def test_formulas_are_mathml_made_at_build_time(built_site):
    for address in CASES:
        html = (built_site / address / "index.html").read_text(encoding="utf-8")
        assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html
        assert "arithmatex" not in html and "\\frac" not in html  # nothing left for a script to typeset


def _html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_page_loads_anything_from_another_host(built_site):
    remote = {}
    for path in _html_pages(built_site):
        page = Page(path.read_text(encoding="utf-8"))
        found = [url for url in page.loads if _is_remote(url)]
        if found:
            remote[str(path.relative_to(built_site))] = found
    assert remote == {}


def test_no_stylesheet_imports_from_another_host(built_site):
    remote = {}
    for path in sorted(built_site.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text)
        found = [url for url in urls if _is_remote(url)]
        if found:
            remote[str(path.relative_to(built_site))] = found
    assert remote == {}


def test_ids_are_unique_on_pages_with_several_figures(built_site):
    for address in ["", *CASES]:
        page = _page(built_site, address)
        repeated = [name for name, count in page.ids.items() if count > 1]
        assert repeated == [], address


def test_site_basics(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "Made with" not in html  # no generator footer
    assert (built_site / "search" / "search_index.json").exists()
    assert 'data-md-color-scheme="slate"' in html and 'data-md-color-scheme="default"' in html  # light and dark
    assert "content.code.copy" in html  # copy buttons on code
    bundle = re.search(r'<link rel="stylesheet" href="(assets/stylesheets/site\.[0-9a-f]{8}\.min\.css)">', html)
    assert bundle, "no stylesheet of the site's own (src/conv_docs/site/stylesheets.py bundles diagrams.css)"
    assert ".conv-figure" in (built_site / bundle.group(1)).read_text(encoding="utf-8")  # the diagrams' styles


def test_the_remote_check_can_fail():
    page = Page(
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//fonts.example/a.css">'
        '<link rel="canonical" href="https://conv-docs.example.org/"><img src="assets/a.png">'
    )
    assert [url for url in page.loads if _is_remote(url)] == ["https://cdn.example/x.js", "//fonts.example/a.css"]


def _luminance(css_colour: str) -> float:
    """Relative luminance of an ``rgb(...)``/``rgba(...)`` colour (alpha ignored), 0 for black to 1 for white."""
    red, green, blue = (int(value) / 255 for value in re.findall(r"[\d.]+", css_colour)[:3])

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


@pytest.mark.parametrize(("scheme", "dark_text"), [("light", True), ("dark", False)])
def test_diagrams_follow_the_palette_in_a_browser(browser, site_url, scheme, dark_text):
    page = browser.new_page(color_scheme=scheme)
    try:
        page.goto(site_url + "cases/kernel-2-stride-2-padding-1/")
        colours = page.evaluate(
            """() => {
                const svg = document.querySelector("svg.conv-svg");
                const value = [...svg.querySelectorAll("text")].find((t) => t.textContent === "3");
                return {
                    text: getComputedStyle(value).fill,
                    background: getComputedStyle(document.body).backgroundColor,
                };
            }"""
        )
    finally:
        page.close()
    text, background = _luminance(colours["text"]), _luminance(colours["background"])
    assert (text < background) == dark_text, colours
    contrast = (max(text, background) + 0.05) / (min(text, background) + 0.05)
    assert contrast > 4.5, colours


PYTORCH_DOCS = "https://pytorch.org/docs/stable/generated/"


@pytest.mark.parametrize(
    ("address", "names"),
    [
        ("run-it-yourself", ["torch.nn.Conv1d", "torch.nn.ConvTranspose1d", "torch.nn.functional.pad"]),
        ("guide/transposed", ["torch.nn.ConvTranspose1d"]),
        ("guide/padding", ["torch.nn.Conv1d", "torch.nn.functional.pad"]),
        *[(address, ["torch.nn.Conv1d"]) for address in CASES],
    ],
)
def test_pages_link_to_pytorchs_documentation_of_what_they_describe(built_site, address, names):
    html = (built_site / address / "index.html").read_text(encoding="utf-8")
    for name in names:  # a plain link: the browser fetches nothing until the reader follows it
        assert re.search(rf'<a href="{re.escape(PYTORCH_DOCS + name)}\.html"[^>]*>', html), (
            f"{address}: no link to {name}"
        )


def test_the_porting_page_shows_same_padding_from_the_trace(built_site):
    page = _page(built_site, "guide/other-libraries/keras")
    titles = [page.texts[svg["aria-labelledby"].split()[0]] for svg in page.svgs]
    assert titles == [
        '"SAME" with stride 2 against nn.Conv1d padding=1',
        '"SAME" conv1d of [1, 2, 3, 4, 5, 6]: kernel 3, stride 2, padding (0, 1)',
    ]
    x = torch.arange(1.0, 7.0)[None, None]
    same = torch.nn.functional.conv1d(torch.nn.functional.pad(x, (0, 1)), torch.ones(1, 1, 3), stride=2)[0, 0]
    steps = page.texts[page.svgs[1]["aria-labelledby"].split()[1]]
    assert [float(v) for v in re.findall(r"Step \d+: .*?= (-?[\d.]+)\.", steps)] == same.tolist()  # 6, 12, 11
    api = (built_site / "reference/api/porting/index.html").read_text(encoding="utf-8")
    assert 'id="conv_docs.porting.same_padding"' in api and 'href="../../reference/api/porting/"' in (
        built_site / "guide/other-libraries/index.html"
    ).read_text(encoding="utf-8")


class _PreText(HTMLParser):
    """The text of each ``<pre>`` of a page, as the browser shows it."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.pres: list[str] = []
        self._depth = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self._depth += 1
            if self._depth == 1:
                self.pres.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.pres[-1] += data


def test_pages_are_minified_after_the_hooks_and_code_keeps_its_lines(built_site):
    """mkdocs-minify-plugin (mkdocs.yml) gets the finished page: the figures the hooks put back are minified too,
    while every code block keeps its line breaks and indentation, character for character."""
    source = (ROOT / "docs" / "guide" / "padding.md").read_text(encoding="utf-8")
    fences = re.findall(r"^```\{\.python\}\n(.*?)^```$", source, re.S | re.M)
    html = (built_site / "guide" / "padding" / "index.html").read_text(encoding="utf-8")
    pres = _PreText(html).pres
    assert len(fences) >= 5 and all(any(pre.strip("\n") == fence.strip("\n") for pre in pres) for fence in fences)
    assert "\n    " in "".join(pres)  # an indented line, kept
    svgs = re.findall(r'<svg\b[^>]*class="conv-svg".*?</svg>', html, re.S)
    assert svgs and not [svg for svg in svgs if "\n" in svg]  # minified after unindexed.py put them back
    assert not re.search(r">\s*\n\s*<(?:p|h2|div)\b", html)  # no indentation between the blocks of the page


# --- the site's address comes from configuration ---------------------------------------------------------------------

PUBLISHED = "https://owner.github.io/conv-docs/"  # what .github/workflows/site.yml sets for a repository "conv-docs"
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)"')


def test_a_local_build_names_no_address_of_its_own(built_site):
    """Without SITE_URL the pages carry no canonical link (and no placeholder domain); with it, they point there."""
    site_url = os.environ.get("SITE_URL", "")
    found = []
    for path in sorted(built_site.rglob("*")):
        readable = path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt")
        if readable and "example.org" in path.read_text(encoding="utf-8", errors="replace"):
            found.append(str(path.relative_to(built_site)))
    assert not found, f"a placeholder address in {found}"
    for page in built_pages(built_site):
        links = CANONICAL.findall((built_site / page / "index.html").read_text(encoding="utf-8"))
        assert links == ([site_url + page] if site_url else []), page


def test_a_published_build_points_at_its_address(tmp_path):
    """Built as the Pages workflow builds it: canonical links and the sitemap name the published address, and the
    error page (served for any missing address, at any depth) loads its assets from the site's sub-path."""
    site = tmp_path / "site"
    result = subprocess.run(  # never --quiet: it drops the warnings before --strict counts them
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SITE_URL": PUBLISHED, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    in_nav = sorted(page.url for page in nav_pages())
    assert sorted(sitemap_pages(site, PUBLISHED)) == in_nav
    locations = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert locations and all(loc.startswith(PUBLISHED) for loc in locations)
    for url in in_nav:
        assert CANONICAL.findall((site / url / "index.html").read_text(encoding="utf-8")) == [PUBLISHED + url]
    error_page = Page((site / "404.html").read_text(encoding="utf-8"))
    local = [url for url in error_page.loads if not _is_remote(url) and not url.startswith("data:")]
    assert local and all(url.startswith("/conv-docs/") for url in local), local
