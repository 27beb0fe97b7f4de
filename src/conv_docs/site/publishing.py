"""Publishing: each page describes itself, the clone command names the repository, and an offline copy works.

An MkDocs hook (``hooks:`` in ``mkdocs.yml``).

- :func:`on_page_content` gives every page its own description (``page.meta.description``): the page's front
  matter ``description:`` if it has one, else its first paragraph, cut at a word near 160 characters (escaped for
  an attribute). The theme
  writes it as the page's ``<meta name="description">``, and ``overrides/main.html`` as its OpenGraph and Twitter
  description, beside the page's own title.
- Without ``REPO_URL`` (a local build), :func:`on_config` drops ``edit_uri``: the pages then carry no repository
  link at all.
- :func:`on_page_markdown` writes the repository's address (``repo_url``, from ``REPO_URL``) into the command
  ``git clone <the address of this repository>``; without ``REPO_URL`` the placeholder stays, which is true.
- For the offline copy (``make offline``: the theme's offline plugin, ``OFFLINE=true``), :func:`on_config` serves
  the Web Worker shim that lets search run from ``file://`` from the site itself (the plugin would load it from a
  CDN), and :func:`on_files` adds it to the site.

>>> description("<h1>Padding</h1><p>Zeros, <em>copies</em> &amp; more: how <code>nn.Conv1d</code> pads.</p><p>x</p>")
'Zeros, copies & more: how nn.Conv1d pads.'
>>> description("<p>" + "word " * 100 + "</p>")[-10:]
'word word…'

"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

PLACEHOLDER = "<the address of this repository>"
SHIM = "assets/iframe-worker-shim.js"
SHIM_SOURCE = Path(__file__).with_name("vendor") / "iframe-worker-shim.js"
LONGEST = 160  # what a search result or a link preview shows of a description

_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


def description(page_html: str) -> str:
    """The text of the first paragraph of a page's HTML, in one line, cut at a word to at most 160 characters."""
    match = _PARAGRAPH.search(page_html)
    text = " ".join(html.unescape(_TAG.sub("", match.group(1))).split()) if match else ""
    if len(text) <= LONGEST:
        return text
    cut = text[: LONGEST - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if config.repo_url:
        return markdown.replace(PLACEHOLDER, config.repo_url.rstrip("/"))
    return markdown


def on_page_content(page_html: str, page: Any, config: Any, files: Any) -> str:
    # escaped here: the theme writes page.meta.description into an attribute as it is
    text = page.meta.get("description") or description(page_html) or config.site_description
    page.meta["description"] = html.escape(" ".join(str(text).split()), quote=True)
    return page_html


def _offline(config: Any) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled)


@event_priority(-100)  # after the offline plugin has named its shim
def on_config(config: Any) -> Any:
    if not config.repo_url:
        config.edit_uri = None  # no repository, no edit or view links (MkDocs would warn of each)
    elif config.repo_name in (None, "GitHub", "GitLab", "Bitbucket"):  # MkDocs names the host: name the repository
        config.repo_name = urlsplit(config.repo_url).path.strip("/") or config.repo_name
    polyfills = config.extra.get("polyfills", [])
    config.extra["polyfills"] = [SHIM if "iframe-worker" in str(script) else script for script in polyfills]
    return config


def on_files(files: Files, config: Any) -> Files:
    if _offline(config):
        files.append(File.generated(config, SHIM, abs_src_path=str(SHIM_SOURCE)))
    return files
