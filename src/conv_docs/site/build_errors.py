"""Errors an author can act on: one line per bad fence, naming the page and the line; a server that never hangs.

An MkDocs hook (``hooks:`` in ``mkdocs.yml``).

- :func:`on_page_markdown` refuses a fence whose name is close to a figure fence's (```` ```conv_1d ````,
  ```` ```Conv1d ````, ```` ```plots ````), which would otherwise show as a plain code block.
- A bad fence does not stop the build: its formatter shows the error in the fence's place
  (:mod:`conv_docs.site.fence_errors`). :func:`on_page_content` finds those errors in the page's HTML and logs
  each as one error line, ``guide/padding.md:12: ```conv1d fence: ...``, with the line of the fence in the page;
  a strict build then fails (exit code 1) with no traceback, and a page served by ``make serve`` shows the error
  where the figure would be.
- A warning of MkDocs about a link (a page, anchor or image that is not there, an absolute link) gets the line of
  the page where the link is written in front of it (:class:`LinkLines`).
- While ``mkdocs serve`` runs: :func:`on_config` says in one line that the port is taken, rather than a
  traceback; :func:`on_serve` makes every rebuild answer the browser even when it fails (MkDocs 1.6 leaves the
  requests waiting until a build succeeds), shows the build's warnings on top of every page, and imports the
  library afresh when its source under ``src/`` changed, so the figures are drawn by the new code.

>>> page = "Text\\n\\n```conv_1d\\ninput: [1]\\n```\\n\\n```python\\nx = 1\\n```\\n"
>>> misnamed_fences(page)
[(3, '```conv_1d is not a fence this site knows; did you mean ```conv1d```?')]
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import html
import logging
import re
import socket
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort

from conv_docs.site.fence_errors import FenceError, errors_in_html
from conv_docs.site.fence_options import FENCE_KINDS

log = logging.getLogger("mkdocs.conv_docs")  # under "mkdocs": a strict build counts these errors

_command: str | None = None  # "serve" from on_startup until the first build's on_config, then "serving"
_kept: Any = None  # the warnings of the first build while serving, kept until on_serve shows them


@dataclass(frozen=True)
class Fence:
    """A fenced block of a Markdown page: the line of its opening (from 1), its language and its body."""

    line: int
    language: str
    body: str
    end: int = field(default=0, compare=False, repr=False)  # the line of its closing fence


_OPEN = re.compile(r"^(?P<indent>[ \t>]*)(?P<ticks>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*?)[ \t]*$")


def _language(info: str) -> str:
    """The language of a fence's info string: ``python`` of ``python title="x"`` and of ``{.python continuation}``."""
    if info.startswith("{"):
        classes = [word[1:] for word in info.strip("{} ").split() if word.startswith(".")]
        return classes[0] if classes else ""
    return info.split()[0] if info.split() else ""


def fences_in(markdown: str) -> list[Fence]:
    """Every fenced block of a page, at any indentation (in an admonition, a list, a quote), in page order.

    >>> fences_in("# T\\n\\n!!! note\\n\\n    ```{.python continuation}\\n    x = 1\\n    ```\\n")
    [Fence(line=5, language='python', body='x = 1')]
    """
    found: list[Fence] = []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opening = _OPEN.match(lines[index])
        if not opening:
            index += 1
            continue
        ticks, indent = opening.group("ticks"), len(opening.group("indent"))
        close = re.compile(rf"^[ \t>]*{re.escape(ticks[0])}{{{len(ticks)},}}[ \t]*$")
        end = index + 1
        while end < len(lines) and not close.match(lines[end]):
            end += 1
        body = "\n".join(line[indent:] if len(line) >= indent else line.lstrip() for line in lines[index + 1 : end])
        found.append(Fence(index + 1, _language(opening.group("info")), textwrap.dedent(body).strip(), end + 1))
        index = end + 1
    return found


def _squashed(name: str) -> str:
    return re.sub(r"[\W_]", "", name.lower())


def close_fence_name(language: str) -> str | None:
    """The site's fence this name is a slip for (``conv_1d``, ``conv1D``, ``plots``), or ``None``.

    Names of other languages (``python``, ``text``, ``console``, any Pygments lexer) are not slips.

    >>> [close_fence_name(name) for name in ("conv-transpose1d", "Conv1d", "plots", "python", "text", "conv1d")]
    ['conv_transpose1d', 'conv1d', 'plot', None, None, None]
    """
    if not language or language in FENCE_KINDS:
        return None
    for kind in FENCE_KINDS:
        if _squashed(language) == _squashed(kind):
            return kind
    from pygments.lexers import find_lexer_class_by_name
    from pygments.util import ClassNotFound

    try:
        find_lexer_class_by_name(language)
        return None  # a language Pygments highlights: meant as code
    except ClassNotFound:
        pass
    close = difflib.get_close_matches(language.lower(), FENCE_KINDS, n=1, cutoff=0.75)
    return close[0] if close else None


_INLINE = re.compile(r"`#!([A-Za-z][\w-]*)[ \t]")


def misnamed_fences(markdown: str) -> list[tuple[int, str]]:
    """``(line, problem)`` for each fence (or inline `` `#!math` ``) whose name is a slip for one of the site's.

    >>> misnamed_fences("The length `#!maths L + 1`.\\n")
    [(1, 'inline `#!maths` is not known here; did you mean `#!math`?')]
    """
    slips = []
    blocks = fences_in(markdown)
    for fence in blocks:
        kind = close_fence_name(fence.language)
        if kind:
            slips.append(
                (fence.line, f"```{fence.language} is not a fence this site knows; did you mean ```{kind}```?")
            )
    code = {number for fence in blocks for number in range(fence.line, fence.end + 1)}
    for number, text in enumerate(markdown.splitlines(), 1):
        for name in [] if number in code else _INLINE.findall(text):
            if name != "math" and close_fence_name(name) == "math":
                slips.append((number, f"inline `#!{name}` is not known here; did you mean `#!math`?"))
    return sorted(slips)


def locate(errors: list[FenceError], markdown: str) -> list[tuple[int | None, str]]:
    """``(line, problem)`` for the fence errors of a page: the line of the fence (or formula) each comes from.

    Identical fences are matched in page order; an error whose fence cannot be found has no line.

    >>> error = FenceError("conv1d", "input: [1]\\nstrid: 2\\n", "unknown option 'strid'")
    >>> locate([error], "# T\\n\\n```conv1d\\ninput: [1]\\nstrid: 2\\n```\\n")
    [(3, "```conv1d fence: unknown option 'strid'")]
    """
    blocks = fences_in(markdown)
    lines = markdown.splitlines()
    used: set[int] = set()
    located: list[tuple[int | None, str]] = []
    for error in errors:
        if error.kind == "inline math":
            needle = f"#!math {error.source}`"
            where = [number for number, text in enumerate(lines, 1) if needle in text]
            problem = f"inline formula `#!math {error.source}`: {error.problem}"
        else:
            body = textwrap.dedent(error.source).strip()
            where = [block.line for block in blocks if block.language == error.kind and block.body == body]
            problem = f"```{error.kind} fence: {error.problem}"
        free = [number for number in where if number not in used]
        line = (free or where or [None])[0]
        if line is not None:
            used.add(line)
        if (line, problem) not in located:  # a fence rendered twice is reported once
            located.append((line, problem))
    return located


def _say(page: Any, line: int | None, problem: str) -> None:
    log.error(f"{page.file.src_uri}:{line}: {problem}" if line else f"{page.file.src_uri}: {problem}")


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """MkDocs hook: refuse misnamed fences (logged with the page's other fence errors, by :func:`on_page_content`)."""
    # the file as written, so that line numbers count any front matter
    page.conv_fence_slips = misnamed_fences(page.file.content_string) if page.file.src_uri.endswith(".md") else []
    return markdown


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    """MkDocs hook: the page is rendered; log each error its fences show as one line naming page and line."""
    found = getattr(page, "conv_fence_slips", []) + locate(errors_in_html(html), page.file.content_string)
    for line, problem in sorted(found, key=lambda item: item[0] or 0):
        _say(page, line, problem)
    return html


# --- serving ---------------------------------------------------------------------------------------------------------


class _Keep(logging.Handler):
    """Keeps the messages of the warnings and errors logged while it is attached to MkDocs' logger."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        logging.getLogger("mkdocs").addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def stop(self) -> list[str]:
        logging.getLogger("mkdocs").removeHandler(self)
        return self.messages


def on_startup(command: str, **kwargs: Any) -> None:
    """MkDocs hook: remember whether this is ``mkdocs serve``."""
    global _command
    _command = command


def port_problem(host: str, port: int) -> str | None:
    """Why a server cannot listen on (host, port), in one sentence, or ``None`` if it can.

    >>> with socket.socket() as taken:
    ...     taken.bind(("127.0.0.1", 0)); taken.listen()
    ...     print(port_problem("127.0.0.1", taken.getsockname()[1]).split(":")[0])
    Cannot serve on 127.0.0.1
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            probe.bind((host, port))
        except OSError as error:
            reason = error.strerror or str(error)
            advice = f"stop what uses it, or choose another port: make serve PORT={port + 1}"
            return f"Cannot serve on {host}:{port}: {reason}; {advice}"
    return None


_LINK = re.compile(r"^Doc file '(?P<page>[^']+)' contains (?:an? (?:[a-z]+ )*)?link (?:to )?'(?P<link>[^']*)'")


def link_line(markdown: str, link: str) -> int | None:
    """The line (from 1) of the first place a page's Markdown writes this link, outside its fenced blocks.

    >>> link_line("# T\\n\\n```md\\n[a](x.md)\\n```\\n\\nSee [the page](x.md#part) and [b](y.md).\\n", "x.md#part")
    7
    """
    fenced = {number for fence in fences_in(markdown) for number in range(fence.line, fence.end + 1)}
    needles = [f"({link})", f"({link} ", f"]({link}", f'"{link}"', f"<{link}>", f": {link}"]
    for number, text in enumerate(markdown.splitlines(), 1):
        if number not in fenced and any(needle in text for needle in needles):
            return number
    return None


class LinkLines(logging.Filter):
    """Puts the page's line in front of MkDocs' warnings about a link (a missing page, anchor or image, an absolute
    link): ``guide/padding.md:42: Doc file 'guide/padding.md' contains a link ...``."""

    def __init__(self, docs_dir: str) -> None:
        super().__init__()
        self.docs_dir = Path(docs_dir)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        found = _LINK.match(message)
        source = self.docs_dir / found.group("page") if found else None
        if found and source is not None and source.is_file():
            line = link_line(source.read_text(encoding="utf-8"), found.group("link"))
            if line is not None:
                record.msg, record.args = f"{found.group('page')}:{line}: {message}", ()
        return True


def _name_link_lines(docs_dir: str) -> None:
    logger = logging.getLogger("mkdocs.structure.pages")
    for old in [f for f in logger.filters if isinstance(f, LinkLines)]:
        logger.removeFilter(old)
    logger.addFilter(LinkLines(docs_dir))


def on_config(config: Any, **kwargs: Any) -> Any:
    """MkDocs hook: before serving, check the port (one line instead of a traceback), and keep the warnings; name
    the line of every link MkDocs warns about."""
    global _command, _kept
    _name_link_lines(config.docs_dir)
    if _command == "serve":  # the first build of mkdocs serve; its rebuilds go through on_serve's safe_rebuild
        _command = "serving"
        host, port = config.dev_addr
        problem = port_problem(host, port)
        if problem:
            raise Abort(problem)
        _kept = _Keep()
    return config


def show_on_pages(site_dir: str, messages: list[str]) -> None:
    """Put a box listing the build's warnings and errors on top of every page of a served site."""
    if not messages:
        return
    items = "".join(f"<li>{html.escape(message)}</li>" for message in messages)
    box = (
        '<div class="conv-build-warnings" role="alert" style="margin: 0; padding: 0.5rem 1rem; background: #fff3cd;'
        ' color: #3d2c00; border-bottom: 2px solid #b54708; font: 0.8rem/1.4 monospace; overflow-wrap: anywhere">'
        f"<strong>The build said ({len(messages)}):</strong><ul style='margin: 0.25rem 0 0'>{items}</ul></div>"
    )
    for path in Path(site_dir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        body = re.search(r"<body\b[^>]*>", text)
        if body and "conv-build-warnings" not in text:
            path.write_text(text[: body.end()] + box + text[body.end() :], encoding="utf-8")


def _library_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.parent.rglob("*.py")):
        digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


def _forget_library() -> None:
    """Drop the imported library, so that the next build's configuration imports the changed source."""
    for name in [name for name in sys.modules if name == "conv_docs" or name.startswith("conv_docs.")]:
        del sys.modules[name]


def on_serve(server: Any, config: Any, builder: Any, **kwargs: Any) -> Any:
    """MkDocs hook: every rebuild answers the browser, shows its warnings, and uses the library as it is now."""
    global _kept
    if _kept is not None:
        show_on_pages(server.root, _kept.stop())
        _kept = None
    rebuild = server.builder
    seen = [_library_digest()]

    def safe_rebuild() -> None:
        digest = _library_digest()
        if digest != seen[0]:
            seen[0] = digest
            _forget_library()
        keep = _Keep()
        try:
            rebuild()
        except Exception as error:  # also MkDocs' Abort of a strict build: the pages were written all the same
            log.error(
                f"The build stopped: {str(error).rstrip('.!')}. The pages show what was built; fix it and save again."
            )
        finally:
            with contextlib.suppress(OSError):
                show_on_pages(server.root, keep.stop())

    server.builder = safe_rebuild
    return server
