"""Published like a real project: repository and source links, a description per page, an offline copy."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conv_docs.site.publishing import PLACEHOLDER, description
from tests.support.site import ROOT, nav_pages

REPO_URL = os.environ["REPO_URL"]  # tests/conftest.py gives the test build a repository address, as the workflow does


def _meta(page_html: str, attribute: str, name: str) -> list[str]:
    found = re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', page_html)
    return [html.unescape(value) for value in found]


def _built(site: Path, url: str) -> str:
    path = site / url / "index.html" if url == "" or url.endswith("/") else site / url
    return path.read_text(encoding="utf-8")


def test_a_description_is_the_first_paragraph_in_one_line() -> None:
    assert description("<h1>T</h1>\n<p>One\n  <code>two</code>,\nthree.</p>\n<p>Four.</p>") == "One two, three."
    long = description("<p>" + " ".join(f"w{i}" for i in range(200)) + "</p>")
    assert len(long) <= 160 and long.endswith("…") and " w" in long
    assert description("<div>no paragraph</div>") == ""


def test_every_page_links_the_repository_and_its_own_source(built_site: Path) -> None:
    for page in nav_pages():
        text = _built(built_site, page.url)
        assert f'href="{REPO_URL}" title="Go to repository" class="md-source"' in text, page.src
        assert "example/conv-docs </div>" in text or "example/conv-docs</div>" in text  # named, not "GitHub"
        assert f'href="{REPO_URL}/edit/main/docs/{page.src}"' in text, page.src  # its own file, .ipynb included
        assert 'data-md-component="source"' not in text  # the theme would ask the host's API for stars


def test_every_page_describes_itself(built_site: Path) -> None:
    seen: dict[str, str] = {}
    for page in nav_pages():
        text = _built(built_site, page.url)
        (meta,) = _meta(text, "name", "description")
        assert 40 <= len(meta) <= 160, (page.src, meta)
        assert meta not in seen, f"{page.src} and {seen.get(meta)} share a description"
        seen[meta] = page.src
        assert _meta(text, "property", "og:description") == _meta(text, "name", "twitter:description") == [meta]
        (title,) = _meta(text, "property", "og:title")
        assert f"<title>{html.escape(title, quote=False)}</title>" in text, page.src  # the title the tab shows
        assert title == "conv-docs" or title.endswith(" - conv-docs"), page.src
        assert _meta(text, "name", "twitter:title") == [title]


def test_run_it_yourself_shows_the_real_clone_command(built_site: Path) -> None:
    text = _built(built_site, "run-it-yourself/")
    assert f"git clone {REPO_URL} conv-docs" in text
    assert html.escape(PLACEHOLDER) not in text
    source = (ROOT / "docs" / "run-it-yourself.md").read_text(encoding="utf-8")
    assert f"git clone {PLACEHOLDER} conv-docs" in source  # what a build without REPO_URL shows: true, if vague


# --- the offline copy ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built as ``make offline`` builds it (OFFLINE=true), without a repository address."""
    out = tmp_path_factory.mktemp("offline") / "site"
    env = {**os.environ, "OFFLINE": "true", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("REPO_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_the_offline_copy_works_from_disk(browser, offline_site: Path) -> None:
    """Opened from file:// in Chromium: a navigation link opens a page (not a folder listing), search finds pages,
    the playground draws its cells, and nothing is loaded from anywhere but the disk."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((offline_site / "index.html").as_uri())
        page.locator('a.md-nav__link[href="guide/padding.html"]').first.click()
        page.wait_for_load_state()
        assert page.url == (offline_site / "guide" / "padding.html").as_uri()
        assert page.title() == "Padding - conv-docs"

        page.click("input.md-search__input")
        page.keyboard.type("dilation", delay=20)
        first = page.locator(".md-search-result__item").first
        first.wait_for(timeout=15000)
        assert "Dilation" in first.inner_text()

        page.goto((offline_site / "playground.html").as_uri())
        page.locator("[data-testid=output-0]").wait_for(timeout=15000)  # the playground drew its first step
        assert page.locator("[data-testid^=input-]").count() >= 3
    finally:
        page.close()
    assert [url for url in requests if not url.startswith(("file:", "data:", "blob:", "about:"))] == []
    assert errors == []
    assert not list(offline_site.rglob("*unpkg*"))
    assert "unpkg.com" not in (offline_site / "index.html").read_text(encoding="utf-8")
