"""One stylesheet of the site's own per page: an MkDocs hook that bundles ``extra_css`` while the site builds.

Each file of ``extra_css`` in ``mkdocs.yml`` (and ``assets/_mkdocstrings.css``, which mkdocstrings adds to the
list) would be a ``<link rel="stylesheet">`` on every page, and each one blocks the page's first paint until it
has arrived. This hook concatenates, in the order of ``extra_css``, the stylesheets a page needs into one file,
``assets/stylesheets/site.<hash>.min.css`` (comments and spare whitespace stripped by :func:`minify`; the hash,
of the content, changes whenever a source does), and each page links that one file instead of the list.

Styles a page does not use are not loaded: a page names the stylesheets and scripts that are its own in its
front matter, and every file so named is loaded only on the pages that name it (the rest of ``extra_css`` and
``extra_javascript`` is loaded everywhere)::

    ---
    page_assets: [assets/playground.css, assets/playground.js]
    ---

A page's own script is written at the end of its content rather than of the body, so that mkdocs-material's
instant navigation, which runs the scripts of the content it swaps in, runs it too when a reader arrives from
another page. Every file named must be listed in ``extra_css`` or ``extra_javascript`` (the cascade follows
that order); anything else stops the build with a message naming the page.

The bundles are made from the sources each time the site is built, so ``mkdocs serve`` picks up an edited
stylesheet at once, and nothing is written into ``docs/``. The source files are still copied into the site.

>>> minify('''/* a note */
... .md-typeset :is(p, li) a  {
...   content: "/* kept */  as is";
...   margin: 0 ; }''')
'.md-typeset :is(p,li) a{content:"/* kept */  as is";margin:0}'
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import normalize_url, write_file

META_KEY = "page_assets"
BUNDLE_DIR = "assets/stylesheets"

# A CSS string (kept as it is), a comment, a run of whitespace, or anything else, one character at a time.
_CSS_TOKEN = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(/\*.*?\*/)|(\s+)|(.)""", re.S)
# Whitespace next to these never changes what CSS means; after a colon neither (but before one it can:
# `a :hover` is not `a:hover`).
_TIGHT = frozenset("{};,")
_TIGHT_AFTER = _TIGHT | {":"}
_UNSAFE = re.compile(r"@import\b|url\(\s*+['\"]?+(?![a-z][a-z0-9+.-]*:|/|#)", re.I)  # relative to the source

_plans: dict[str, tuple[str, list[str]]] = {}  # page source -> (its bundle, the paths of its own scripts)
_own_scripts: dict[str, Any] = {}  # path -> the extra_javascript entry (its defer, async and type)
_bundles: dict[str, str] = {}  # bundle path in the site -> its content


def minify(css: str) -> str:
    """``css`` without comments and without the whitespace that means nothing; strings are left as they are.

    >>> minify("a  >  b ,\\n c :hover { color : red ; }\\n")
    'a > b,c :hover{color :red}'
    """
    out: list[str] = []
    space = False
    for string, comment, blank, char in _CSS_TOKEN.findall(css):
        if comment or blank:
            space = True
            continue
        token = string or char
        if space and out and out[-1][-1] not in _TIGHT_AFTER and token not in _TIGHT:
            out.append(" ")
        space = False
        if token == "}" and out and out[-1] == ";":
            out.pop()  # the last declaration of a block needs no semicolon
        out.append(token)
    return "".join(out)


def bundle_name(css: str) -> str:
    """Where a bundle with this content is written in the site: named by a hash of the content.

    >>> bundle_name("a{color:red}").startswith("assets/stylesheets/site.")
    True
    >>> bundle_name("a{color:red}") == bundle_name("a{color:red}") != bundle_name("a{color:blue}")
    True
    """
    return f"{BUNDLE_DIR}/site.{hashlib.sha256(css.encode()).hexdigest()[:8]}.min.css"


def _source(path: str, files: Any, config: Any) -> str:
    """The text of one stylesheet of ``extra_css``: a file of the site, or one a plugin has written already."""
    if re.match(r"^([a-z]+:)?//", path, re.I):
        raise PluginError(f"stylesheets: extra_css lists {path}, on another host: only the site's own files bundle")
    file = files.get_file_from_path(path)
    if file is not None:
        text = file.content_string
    else:  # mkdocstrings writes its stylesheet into the site in on_env, before this hook's on_env runs
        written = Path(config.site_dir, path)
        if not written.is_file():
            raise PluginError(f"stylesheets: extra_css lists {path}, which is neither in docs/ nor made by a plugin")
        text = written.read_text(encoding="utf-8")
    if _UNSAFE.search(text):
        raise PluginError(f"stylesheets: {path} has an @import or a relative url(), which would break in a bundle")
    return text


def _own_assets(page: Any, stylesheets: list[str], scripts: list[str]) -> list[str]:
    """The files a page's front matter names as its own, checked against extra_css and extra_javascript."""
    named = page.meta.get(META_KEY, [])
    where = f"stylesheets: {page.file.src_uri}: front matter {META_KEY}"
    if not isinstance(named, list) or not all(isinstance(item, str) for item in named):
        raise PluginError(f"{where} must be a list of paths, got {named!r}")
    for path in named:
        if path not in stylesheets and path not in scripts:
            listed = ", ".join(stylesheets + scripts)
            raise PluginError(f"{where} names {path}, which is not in extra_css or extra_javascript ({listed})")
    return named


@event_priority(-50)  # after mkdocstrings (priority -20) has written its stylesheet into the site
def on_env(env: Any, config: Any, files: Any, **kwargs: Any) -> Any:
    """MkDocs hook: decide each page's stylesheet bundle and its own scripts, and make the bundles."""
    _plans.clear()
    _bundles.clear()
    stylesheets = [str(path) for path in config.extra_css]
    scripts = [str(script) for script in config.extra_javascript]
    pages = [file.page for file in files.documentation_pages() if file.page is not None]
    own = {page.file.src_uri: _own_assets(page, stylesheets, scripts) for page in pages}
    page_only = {path for named in own.values() for path in named}
    sources = {path: _source(path, files, config) for path in stylesheets}

    def bundle(named: list[str]) -> str:
        chosen = [path for path in stylesheets if path not in page_only or path in named]
        css = "\n".join(minify(sources[path]) for path in chosen) + "\n"
        name = bundle_name(css)
        _bundles[name] = css
        return name

    for src, named in own.items():
        _plans[src] = (bundle(named), [path for path in scripts if path in named])
    # The template writes config.extra_css and config.extra_javascript into every page: from here on they hold
    # the bundle for pages without their own stylesheets (the theme's 404 page too) and the scripts of every
    # page; on_page_context puts each page's own bundle in.
    _own_scripts.clear()
    _own_scripts.update({str(script): script for script in config.extra_javascript if str(script) in page_only})
    config.extra_css[:] = [bundle([])]
    config.extra_javascript[:] = [script for script in config.extra_javascript if str(script) not in page_only]
    return env


def script_tag(script: Any, page: Any) -> str:
    """The ``<script>`` element for an ``extra_javascript`` entry, as mkdocs writes it, addressed from ``page``."""
    tag = f'<script src="{normalize_url(str(script), page)}"'
    if getattr(script, "type", ""):
        tag += f' type="{script.type}"'
    tag += " defer" if getattr(script, "defer", False) else ""
    tag += " async" if getattr(script, "async_", False) else ""
    return tag + "></script>"


def on_page_context(context: dict[str, Any], page: Any, config: Any, **kwargs: Any) -> dict[str, Any]:
    """MkDocs hook: this page's bundle in config.extra_css, its own scripts at the end of its content."""
    bundle, own = _plans[page.file.src_uri]
    config.extra_css[:] = [bundle]
    if own:
        page.content = (page.content or "") + "".join(script_tag(_own_scripts[path], page) for path in own)
    return context


def on_post_build(config: Any, **kwargs: Any) -> None:
    """MkDocs hook: write the bundles into the site."""
    for name, css in sorted(_bundles.items()):
        write_file(css.encode("utf-8"), posixpath.join(config.site_dir, name))
