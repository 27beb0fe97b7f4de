"""Printed output shown under the call: the ``#>`` blocks of the docs' Python examples, run, checked and rewritten.

An example on a page shows what it prints right under the call, as ``#>`` comment lines (the convention of
pydantic's documentation and pytest-examples)::

    print(conv1d([[2, 3, 4]], [[[1, 1]]], stride=2, padding=1))
    #> [[2. 7.]]

A block is one or more lines that start with ``#>`` at the left margin. :func:`run_example` runs a fence one
top-level statement group at a time and captures what each group prints: the text printed since the previous
block (or since the fence began) is what the next block must show, line by line, and text printed after the last
block must not exist. The tests (the runner in the root ``conftest.py``) fail on any difference, naming the page
and the line; ``python -m conv_docs.site.examples PAGE...`` (``make examples``) rewrites the blocks from a real
run instead (:func:`rewrite_page`), so that an author writes an empty ``#>`` under a call and lets it fill in; it
also formats the fences with ruff, and leaves a page whose examples fail as it was.

:func:`python_fences` finds a page's Python fences as pytest-markdown-docs does (the same fences, the same
``continuation`` chains), and :func:`lint_page` runs ruff over them: ``ruff check`` over each chain of fences as
one file (an import used by no fence of its chain is unused) and ``ruff format --check`` over each fence.

>>> [(b.first, b.last, b.expected) for b in output_blocks("print(1)\\n#> 1\\nx = 2\\nprint(x, x)\\n#> 2 2\\n")]
[(2, 2, ['1']), (5, 5, ['2 2'])]
>>> results = run_example("print(1 + 1)\\n#> 3\\n", "page.md", {})
>>> results[0].expected, results[0].actual
(['3'], ['2'])
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PREFIX = "#>"
# What ruff checks in a fence, beyond the project's own configuration (pyproject.toml): shorter lines, since a
# code block is narrower than an editor (80 characters of 13.6 px DejaVu Sans Mono fill it; the browser tests check
# that no code block scrolls sideways at 1280 px), and an import at the top of any fence of a chain (each fence is read alone).
# A #> line is held to no length: it shows what the code printed (and wraps on the page: code_spans.py).
LINE_LENGTH = 79  # the characters of code that fit a code block of the 688 px column at 1280 px
FENCE_RUFF_OPTIONS = ["--config", f"line-length={LINE_LENGTH}", "--config", "lint.extend-ignore=['E402']"]

Transform = Callable[[ast.Module, str], ast.Module]


@dataclass(frozen=True)
class Block:
    """A ``#>`` block: its first and last line (1-based, in the fence's source) and the lines it shows."""

    first: int
    last: int
    expected: list[str]


@dataclass(frozen=True)
class Result:
    """What one block shows and what the code printed before it. ``block`` is None for text printed after the
    last block of the fence, which no block shows."""

    block: Block | None
    expected: list[str]
    actual: list[str]
    after_line: int  # the last line of the statements that printed it

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


def output_blocks(source: str) -> list[Block]:
    """The ``#>`` blocks of a fence's source, in order. A ``#>`` line that is indented is refused: a block shows
    what the statements above it printed, so it sits after a whole statement, at the left margin.

    >>> output_blocks("for i in range(2):\\n    print(i)\\n    #> 0\\n")
    Traceback (most recent call last):
    ...
    ValueError: line 3: a #> block must start at the left margin, after the whole statement (not inside it)
    """
    blocks: list[Block] = []
    lines: list[str] = []
    first = 0
    for number, line in enumerate([*source.splitlines(), ""], start=1):
        stripped = line.lstrip()
        if stripped.startswith(PREFIX) and line != stripped:
            raise ValueError(
                f"line {number}: a {PREFIX} block must start at the left margin, after the whole statement "
                "(not inside it)"
            )
        if line.startswith(PREFIX):
            if not lines:
                first = number
            text = line[len(PREFIX) :]
            lines.append(text[1:] if text.startswith(" ") else text)
        elif lines:
            blocks.append(Block(first, number - 1, lines))
            lines = []
    return blocks


def printed_lines(text: str) -> list[str]:
    """Printed text as a block shows it: one entry per line, trailing spaces and the final newline dropped."""
    return [line.rstrip() for line in text.rstrip("\n").split("\n")] if text.strip("\n") else []


def run_example(
    source: str, filename: str, namespace: dict, transform: Transform | None = None, fence_starts: tuple[int, ...] = ()
) -> list[Result]:
    """Run a fence's source in ``namespace``, one group of top-level statements per ``#>`` block, and return what
    each block shows against what its group printed. Text printed after the last block, or before the start of
    the next fence of a chain (``fence_starts``: the first lines of the page's fences), with no block under it, is
    a result with ``block=None``. ``transform`` may rewrite each group's tree before it is compiled (the tests
    rewrite ``assert`` statements as pytest does). An exception in the code propagates as it is."""
    tree = ast.parse(source, filename=filename)
    blocks = output_blocks(source)
    cuts: list[tuple[int, Block | None]] = sorted(
        [(block.first, block) for block in blocks] + [(start, None) for start in fence_starts if start > 1],
        key=lambda cut: cut[0],
    )
    cuts.append((sys.maxsize, None))
    groups: list[list[ast.stmt]] = [[] for _ in cuts]
    for statement in tree.body:
        end = statement.end_lineno or statement.lineno
        groups[next(i for i, (line, _) in enumerate(cuts) if end < line)].append(statement)
    results: list[Result] = []
    last_line = 0
    for (_, block), statements in zip(cuts, groups, strict=True):
        printed = io.StringIO()
        if statements:
            module = ast.Module(body=statements, type_ignores=[])
            if transform is not None:
                module = transform(module, source)
            code = compile(module, filename=filename, mode="exec", dont_inherit=True)
            with contextlib.redirect_stdout(printed):
                exec(code, namespace)
            last_line = statements[-1].end_lineno or statements[-1].lineno
        actual = printed_lines(printed.getvalue())
        if block is not None:
            results.append(Result(block, block.expected, actual, last_line))
        elif actual:
            results.append(Result(None, [], actual, last_line))
    return results


def own_results(results: list[Result], fence: Fence) -> list[Result]:
    """The results of a fence's own lines, among those of the chain of fences that its run repeats."""
    return [r for r in results if (r.block.first if r.block else r.after_line) >= fence.first_line]


def describe_mismatch(result: Result, page: str) -> str:
    """The message of a block that shows something else than the code printed, naming the page and the line."""
    if result.block is None:
        where = f"{page}:{result.after_line}"
        head = f"{where}: the example prints text that no {PREFIX} block shows; put it under the call:"
    else:
        where = f"{page}:{result.block.first}"
        head = f"{where}: the {PREFIX} block differs from what the code above it prints"
    shown = "\n".join(f"    {PREFIX} {line}".rstrip() for line in result.expected) or "    (nothing)"
    printed = "\n".join(f"    {PREFIX} {line}".rstrip() for line in result.actual) or "    (nothing)"
    fix = "run `make examples PAGE=" + page + "` to rewrite the shown output from a real run"
    return f"{head}\n  shown:\n{shown}\n  printed:\n{printed}\n  ({fix})"


# --- the fences of a page, as pytest-markdown-docs finds them ------------------------------------------------------


@dataclass(frozen=True)
class Fence:
    """A Python fence that runs as a test: its own code, the page line of its first code line, whether it continues
    the fence before it, and ``source``, the code pytest-markdown-docs runs for it (the fences it continues, then its
    own), padded with blank lines so that a line number in ``source`` is the line number in the page."""

    code: str
    first_line: int
    continues: bool
    source: str


def python_fences(markdown: str) -> list[Fence]:
    """The page's Python fences that run as tests, found and chained as pytest-markdown-docs does.

    >>> tick = "`" * 3
    >>> page = f"{tick}{{.python}}\\nx = 1\\n{tick}\\n\\n{tick}{{.python continuation}}\\nx\\n{tick}\\n"
    >>> [(fence.first_line, fence.continues) for fence in python_fences(page)]
    [(2, False), (6, True)]
    """
    from markdown_it import MarkdownIt
    from pytest_markdown_docs.plugin import parse_superfences_block_info

    fences: list[Fence] = []
    previous = ""
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type != "fence" or not token.map:
            continue
        language, *options = parse_superfences_block_info(token.info) or [""]
        if language not in ("py", "python", "python3") or "notest" in options:
            continue
        first_line = token.map[0] + 2  # the line after the opening one, counted from 1
        continues = "continuation" in options
        if not continues:
            previous = ""
        source = previous + "\n" * (first_line - 1 - previous.count("\n")) + token.content
        fences.append(Fence(token.content, first_line, continues, source))
        previous = source
    return fences


# --- ruff over the fences ------------------------------------------------------------------------------------------


def _ruff(*args: str, text: str | None = None) -> subprocess.CompletedProcess[str]:
    ruff = Path(sys.executable).with_name("ruff")
    command = [str(ruff)] if ruff.exists() else [sys.executable, "-m", "ruff"]
    return subprocess.run([*command, *args], input=text, capture_output=True, text=True, check=False)


def _ruff_options(config: Path) -> list[str]:
    return ["--config", str(config), *FENCE_RUFF_OPTIONS, "--no-cache"]


def lint_page(markdown: str, page: str, config: Path) -> list[str]:
    """Problems ruff finds in a page's Python fences, one line each (``page:line: CODE message``): ``ruff check``
    over each chain of fences as one file (so an import that no fence of the chain uses is unused), and ``ruff
    format --check`` over each fence alone. ``config`` is the project's pyproject.toml: the fences follow its rules,
    with :data:`FENCE_RUFF_OPTIONS` on top."""
    fences = python_fences(markdown)
    problems: list[tuple[int, str]] = []
    with tempfile.TemporaryDirectory(prefix="fences-") as folder:
        for number, fence in enumerate(fences):
            ends_chain = number + 1 == len(fences) or not fences[number + 1].continues
            if ends_chain:  # the whole chain, as the last fence of it runs it
                Path(folder, f"chain{number}.py").write_text(fence.source, encoding="utf-8")
        if fences:
            checked = _ruff("check", *_ruff_options(config), "--output-format", "json", folder)
            page_lines = markdown.split("\n")
            for finding in json.loads(checked.stdout or "[]"):
                line = finding["location"]["row"]
                if finding["code"] == "E501" and page_lines[line - 1].startswith(PREFIX):
                    continue  # a #> line shows what the code printed, as long as it is
                problems.append((line, f"{finding['code']} {finding['message']}"))
    for fence in fences:
        formatted = format_fence(fence.code, config)
        if formatted is None:
            problems.append((fence.first_line, "ruff format cannot read the fence"))
        elif formatted != fence.code:
            mine, theirs = fence.code.split("\n"), formatted.split("\n")
            offset = next((i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b), len(mine) - 1)
            problems.append((fence.first_line + offset, "not formatted as `ruff format` would (make examples)"))
    return [f"{page}:{line}: {message}" for line, message in sorted(set(problems))]


# ruff format writes a space after the ``#`` of a comment, except after ``#:``: the blocks are kept so while it runs.
_KEPT = "#:conv-docs-output:"


def format_fence(code: str, config: Path) -> str | None:
    """The fence's code as ``ruff format`` writes it, ``#>`` blocks kept as they are; None where ruff cannot read it."""
    kept = "\n".join(_KEPT + line[len(PREFIX) :] if line.startswith(PREFIX) else line for line in code.split("\n"))
    formatted = _ruff("format", *_ruff_options(config), "--stdin-filename", "fence.py", "-", text=kept)
    if formatted.returncode != 0:
        return None
    lines = formatted.stdout.split("\n")
    return "\n".join(PREFIX + line[len(_KEPT) :] if line.startswith(_KEPT) else line for line in lines)


# --- rewriting the shown output from a real run ----------------------------------------------------------------------


def rewrite_page(markdown: str, results: list[Result], config: Path | None = None) -> str:
    """The page with each ``#>`` block replaced by what its code printed, a new block under the statements whose
    printed text no block showed, and (given ruff's ``config``) every Python fence formatted.

    >>> tick = "`" * 3
    >>> page = tick + "{.python}\\nprint(2)\\n#> 3\\nprint(4)\\n" + tick + "\\n"
    >>> fence = python_fences(page)[0]
    >>> rewrite_page(page, run_example(fence.source, "page.md", {})).split("\\n")[1:5]
    ['print(2)', '#> 2', 'print(4)', '#> 4']
    """
    lines = markdown.split("\n")
    edits = []  # (first line, last line, new lines), lines counted from 1; an insertion replaces no line
    for result in results:
        shown = [f"{PREFIX} {line}".rstrip() for line in result.actual]
        if result.block is not None:
            edits.append((result.block.first, result.block.last, shown))
        else:
            edits.append((result.after_line + 1, result.after_line, shown))
    for first, last, shown in sorted(edits, reverse=True):
        lines[first - 1 : last] = shown
    page = "\n".join(lines)
    if config is None:
        return page
    for fence in reversed(python_fences(page)):
        start = fence.first_line - 1
        own = page.split("\n")
        formatted = format_fence(fence.code, config) or fence.code
        own[start : start + fence.code.count("\n")] = formatted.rstrip("\n").split("\n")
        page = "\n".join(own)
    return page
