"""One stylesheet of the site's own per page, with every rule of its sources, and each page's own assets on it alone.

The built site is read as a browser would fetch it: the ``<link rel="stylesheet">`` elements of each page's head,
resolved to files of the site. The rules are compared with tinycss2 (a CSS parser that the hook does not use),
so a rule lost or changed by the bundling or by the minifier shows as a difference of parsed rules.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import material
import pytest
import tinycss2
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.exceptions import PluginError

from conv_docs.site import stylesheets
from tests.support.site import ROOT, load_config

# The theme's own stylesheets, by file name, as the installed mkdocs-material ships them.
THEME_CSS = {path.name for path in (Path(material.__file__).parent / "templates/assets/stylesheets").glob("*.css")}
MKDOCSTRINGS_CSS = "assets/_mkdocstrings.css"  # written by mkdocstrings, first in the cascade (it inserts it first)

# What uses which page-only file: a page with a playground needs its styles and script, a page of generated API
# documentation the styles of mkdocstrings. Every other stylesheet of extra_css is for every page.
USED_BY = {
    "assets/playground.css": "data-conv-playground",
    "assets/playground-core.js": "data-conv-playground",
    "assets/playground.js": "data-conv-playground",
    MKDOCSTRINGS_CSS: 'class="doc doc-',
}


class _Head(HTMLParser):
    """The stylesheets that block the first paint, and every script, with whether it sits inside the article."""

    def __init__(self) -> None:
        super().__init__()
        self.blocking: list[str] = []
        self.scripts: list[tuple[str, bool]] = []
        self.in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        rels = set(found.get("rel", "").lower().split())
        if tag == "article":
            self.in_article += 1
        elif tag == "link" and "stylesheet" in rels and "alternate" not in rels and "disabled" not in found:
            if found.get("media", "all").strip().lower() in ("", "all", "screen"):
                self.blocking.append(found["href"])
        elif tag == "script" and found.get("src"):
            self.scripts.append((found["src"], self.in_article > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article -= 1


def _read(site: Path, page: Path) -> tuple[_Head, str]:
    html = page.read_text(encoding="utf-8")
    head = _Head()
    head.feed(html)
    return head, html


def _in_site(site: Path, page: Path, href: str) -> str:
    """The path, relative to the site root, of an address written in ``page``."""
    href = href.split("#")[0].split("?")[0]
    if href.startswith("/"):
        return href.lstrip("/")
    return posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), href))


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- comparing stylesheets by their parsed rules --------------------------------------------------------------------


def _tokens(tokens: list[Any]) -> str:
    """Component values as text, with the whitespace that means nothing in CSS taken out: runs of it become one
    space, and none is kept at the ends, after a colon or around a comma, semicolon or brace."""
    kept: list[Any] = []
    for token in tokens:
        if token.type == "comment":
            continue
        if token.type == "whitespace":
            if kept and not (kept[-1].type == "literal" and kept[-1].value in ",:;"):
                kept.append(token)
            continue
        if token.type == "literal" and token.value in ",;" and kept and kept[-1].type == "whitespace":
            kept.pop()
        kept.append(token)
    while kept and kept[-1].type == "whitespace":
        kept.pop()
    parts = []
    for token in kept:
        if token.type == "whitespace":
            parts.append(" ")
        elif token.type == "function":
            parts.append(f"{token.name}({_tokens(token.arguments)})")
        elif token.type in ("() block", "[] block", "{} block"):
            parts.append(f"{token.type[0]}{_tokens(token.content)}{token.type[1]}")
        else:
            parts.append(tinycss2.serialize([token]))
    return "".join(parts)


def rules(css: str | list[Any], top: bool = True) -> list[Any]:
    """Every rule and declaration of a stylesheet, parsed, in order, nested blocks included."""
    nodes = (
        tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
        if top
        else tinycss2.parse_blocks_contents(css, skip_comments=True, skip_whitespace=True)
    )
    parsed: list[Any] = []
    for node in nodes:
        if node.type == "error":
            raise AssertionError(f"CSS that does not parse: {node.message}")
        if node.type == "declaration":
            parsed.append((node.lower_name, _tokens(node.value), node.important))
        elif node.type == "qualified-rule":
            parsed.append((_tokens(node.prelude), rules(node.content, top=False)))
        elif node.type == "at-rule":
            content = None if node.content is None else rules(node.content, top=False)
            parsed.append((f"@{node.lower_at_keyword}", _tokens(node.prelude), content))
    return parsed


def test_the_comparison_sees_a_lost_or_changed_rule() -> None:
    source = "a :hover { color: red; margin: 0 }\n@media (max-width: 600px) { b { color: blue } }"
    assert rules(source) == rules("a :hover{color:red;margin:0}@media (max-width:600px){b{color:blue}}")
    assert rules(source) != rules("a:hover{color:red;margin:0}@media (max-width:600px){b{color:blue}}")
    assert rules(source) != rules("a :hover{color:red}@media (max-width:600px){b{color:blue}}")
    assert rules(source) != rules("a :hover{color:red;margin:0}")
    assert rules('a{content:"x  y"}') != rules('a{content:"x y"}')


# --- the built site -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def expected_sources(built_site: Path) -> dict[str, str]:
    """Each stylesheet the site has, by its path in extra_css (the order of the cascade), with its text."""
    listed = [str(path) for path in load_config()["extra_css"]]
    # mkdocstrings puts its stylesheet first in extra_css and writes it into the site
    paths = [MKDOCSTRINGS_CSS, *listed] if (built_site / MKDOCSTRINGS_CSS).is_file() else listed
    texts = {path: (ROOT / "docs" / path) for path in listed}
    sources = {}
    for path in paths:
        source = texts.get(path, built_site / path)
        sources[path] = source.read_text(encoding="utf-8")
    return sources


def test_every_page_blocks_on_one_stylesheet_of_the_site_at_most(built_site: Path) -> None:
    too_many = {}
    for page in _pages(built_site):
        head, _ = _read(built_site, page)
        own = [href for href in head.blocking if posixpath.basename(_in_site(built_site, page, href)) not in THEME_CSS]
        if len(own) != 1:
            too_many[page.relative_to(built_site).as_posix()] = own
    assert not too_many, f"pages without exactly one render-blocking stylesheet of the site's own: {too_many}"


def test_each_page_has_the_rules_it_uses_and_no_other(built_site: Path, expected_sources: dict[str, str]) -> None:
    """The bundle a page links holds every rule of the site-wide sources and of the page-only sources the page
    uses, in the order of extra_css; a page-only source the page does not use is left out."""
    problems = []
    seen_bundles = set()
    for page in _pages(built_site):
        head, html = _read(built_site, page)
        name = page.relative_to(built_site).as_posix()
        own = [_in_site(built_site, page, href) for href in head.blocking]
        own = [path for path in own if posixpath.basename(path) not in THEME_CSS]
        if len(own) != 1:
            continue  # reported by the test above
        wanted = [path for path in expected_sources if path not in USED_BY or USED_BY[path] in html]
        expected = [rule for path in wanted for rule in rules(expected_sources[path])]
        seen_bundles.add(own[0])
        if rules((built_site / own[0]).read_text(encoding="utf-8")) != expected:
            problems.append(f"{name}: {own[0]} does not hold exactly the rules of {wanted}")
    assert not problems, "\n".join(problems)
    assert len(seen_bundles) >= 3, seen_bundles  # every page, the playground, the API page: three different sets


@pytest.mark.parametrize("script", ["assets/playground-core.js", "assets/playground.js"])
def test_the_playground_script_is_on_the_playground_page_alone(built_site: Path, script: str) -> None:
    """...inside the article, where mkdocs-material's instant navigation runs the scripts it swaps in."""
    with_playground, with_script = set(), {}
    for page in _pages(built_site):
        head, html = _read(built_site, page)
        name = page.relative_to(built_site).as_posix()
        if USED_BY[script] in html:
            with_playground.add(name)
        for src, in_article in head.scripts:
            if _in_site(built_site, page, src) == script:
                with_script[name] = in_article
    assert with_playground == {"playground/index.html"}
    assert with_script == {"playground/index.html": True}


def test_the_bundle_is_smaller_than_its_sources(built_site: Path, expected_sources: dict[str, str]) -> None:
    bundles = list((built_site / "assets" / "stylesheets").glob("site.*.min.css"))
    largest = max(bundles, key=lambda path: path.stat().st_size)
    assert largest.stat().st_size < sum(len(text.encode()) for text in expected_sources.values())


# --- the hook on its own --------------------------------------------------------------------------------------------

CSS_PARTS = [
    "a :hover { color : red ; }",
    ".x>.y , .z{margin:0 auto;padding: 1px  2px}",
    '/* a comment, with "quotes" */',
    'p::before { content: "a  /* not a comment */  b"; }',
    "@media (max-width: 600px) { .w { grid-template-columns: repeat(auto-fill, minmax(7.5rem, 1fr)); } }",
    "b { width: calc(100% - 2 * 1em) !important }",
    ":root{--conv-x: #fff;--y:  var(--conv-x)}",
    "\n\t  \n",
]


@given(st.lists(st.sampled_from(CSS_PARTS), max_size=10))
def test_minify_keeps_every_rule(parts: list[str]) -> None:
    css = "\n".join(parts)
    small = stylesheets.minify(css)
    assert rules(small) == rules(css)
    assert len(small) <= len(css)
    assert stylesheets.minify(small) == small


class _File:
    def __init__(self, src_uri: str, meta: dict[str, Any]) -> None:
        self.src_uri = src_uri
        self.page = type("Page", (), {"meta": meta, "file": self})()


class _Files:
    def __init__(self, pages: list[_File]) -> None:
        self.pages = pages

    def documentation_pages(self) -> list[_File]:
        return self.pages

    def get_file_from_path(self, path: str) -> Any:
        return type("Source", (), {"content_string": "a { color: red }"})()


def _config(tmp_path: Path) -> Any:
    return type("Config", (), {"extra_css": ["a.css", "b.css"], "extra_javascript": ["b.js"], "site_dir": tmp_path})()


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"page_assets": ["c.css"]}, "guide.md: front matter page_assets names c.css, which is not in extra_css"),
        ({"page_assets": "b.css"}, "guide.md: front matter page_assets must be a list of paths"),
    ],
)
def test_a_wrong_page_asset_stops_the_build_naming_the_page(tmp_path: Path, meta: dict[str, Any], message: str):
    with pytest.raises(PluginError, match=re.escape(message)):
        stylesheets.on_env(None, _config(tmp_path), _Files([_File("guide.md", meta)]))


def test_page_only_files_leave_the_other_pages(tmp_path: Path) -> None:
    config = _config(tmp_path)
    files = _Files([_File("index.md", {}), _File("b.md", {"page_assets": ["b.css", "b.js"]})])
    stylesheets.on_env(None, config, files)
    assert config.extra_javascript == []
    (everywhere,) = config.extra_css
    assert stylesheets._plans["index.md"] == (everywhere, [])
    bundle, scripts = stylesheets._plans["b.md"]
    assert bundle != everywhere and scripts == ["b.js"]
