"""Test set-up for every path, the docs' fences included: their printed output is checked against the ``#>`` lines
under the call, a failing ``assert`` in a fence shows its values, and ruff checks the fences of every page.

pytest rewrites the ``assert`` statements of test modules so that a failure says ``assert [[5.0, 7.0]] ==
[[5.0, 8.0]]``; pytest-markdown-docs 0.9 runs a fence with a plain ``compile``, so a failing fence said only
``AssertionError``. The runner below compiles each fence through pytest's own assertion rewriter and is
registered as pytest-markdown-docs' default runner (``register_runner(default=True)``), so every fence gets it.
It lives at the root because ``pytest docs/guide/padding.md`` does not read ``tests/conftest.py``.

The same runner runs a fence one group of statements per ``#>`` block (:mod:`conv_docs.site.examples`) and fails,
naming the page and the line, where a block shows something else than the code printed. ``pytest --update-examples``
(``make examples``) rewrites the blocks from the run instead and formats the fences. Each Markdown page also gets a
``ruff`` item: ``ruff check`` and ``ruff format --check`` over its Python fences.
"""

from __future__ import annotations

import ast
import inspect
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from _pytest.assertion.rewrite import rewrite_asserts
from pytest_markdown_docs._runners import DefaultRunner, register_runner

from conv_docs.site.examples import (
    Result,
    describe_mismatch,
    lint_page,
    own_results,
    python_fences,
    rewrite_page,
    run_example,
)

ROOT = Path(__file__).resolve().parent
PYPROJECT = ROOT / "pyproject.toml"

# Keras 3 picks its back end once, at its first import (TensorFlow unless told), and JAX computes in float32 unless
# x64 is on: set both before any test or docs fence imports them, here at the root so that a page run alone
# (make test-page PAGE=docs/guide/other-libraries/keras.md) gets them too. The section's first page tells the reader
# to do the same.
os.environ["KERAS_BACKEND"] = "jax"
os.environ["JAX_ENABLE_X64"] = "1"


class ExampleOutputError(AssertionError):
    """A ``#>`` block that shows something else than what the code above it printed."""


def _rewrite_asserts(module: ast.Module, source: str) -> ast.Module:
    rewrite_asserts(module, source.encode(), "fence")
    return module


def _page(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# --update-examples: what each page's fences printed, by page, and the pages a fence of which failed
_RUNS: dict[Path, list[Result]] = defaultdict(list)
_FAILED: set[Path] = set()


@register_runner(default=True)
class RewritingRunner(DefaultRunner):
    """pytest-markdown-docs' default runner, with the fence's ``assert`` statements rewritten as in a test module and
    its printed output compared with the ``#>`` blocks under the calls."""

    update = False  # set by --update-examples

    def runtest(self, test: Any, args: dict[str, Any], *, asyncio_runner: Any = None) -> None:
        tree = ast.parse(test.source, filename=str(test.source_path))
        if inspect.CO_COROUTINE & compile(tree, "fence", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT).co_flags:
            super().runtest(test, args, asyncio_runner=asyncio_runner)  # top-level await: as the default runner
            return
        path = Path(test.source_path)
        fences = {fence.first_line: fence for fence in python_fences(path.read_text(encoding="utf-8"))}
        fence = fences[test.start_line + 1]
        try:
            results = run_example(test.source, str(path), args, _rewrite_asserts, tuple(fences))
        except BaseException:
            _FAILED.add(path)
            raise
        own = own_results(results, fence)
        if self.update:
            _RUNS[path].extend(own)
            return
        wrong = [r for r in own if not r.ok]
        if wrong:
            raise ExampleOutputError("\n".join(describe_mismatch(r, _page(path)) for r in wrong))

    def repr_failure(self, test: Any, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if excinfo.errisinstance(ExampleOutputError):
            return str(excinfo.value)
        return super().repr_failure(test, excinfo, style)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-examples",
        action="store_true",
        help="rewrite the #> blocks of the docs' examples from a real run, and format their fences (make examples)",
    )


def pytest_configure(config: pytest.Config) -> None:
    RewritingRunner.update = config.getoption("--update-examples")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Under --update-examples, write each page whose examples all ran with the output they printed."""
    if not RewritingRunner.update:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    for path in sorted(set(_RUNS) | _FAILED):
        if path in _FAILED:
            lines = [f"{_page(path)}: left as it was, since an example failed"]
        else:
            before = path.read_text(encoding="utf-8")
            after = rewrite_page(before, _RUNS[path], PYPROJECT)
            path.write_text(after, encoding="utf-8")
            lines = [f"{_page(path)}: {'rewritten' if after != before else 'unchanged'}"]
            problems = lint_page(after, _page(path), PYPROJECT)  # what formatting could not mend
            lines += problems
            if problems:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if reporter is not None:
            reporter.write("\n")
            for line in lines:
                reporter.write_line(line)


class FenceLint(pytest.Item):
    """``ruff check`` and ``ruff format --check`` over the Python fences of one Markdown page."""

    def runtest(self) -> None:
        problems = lint_page(self.path.read_text(encoding="utf-8"), _page(self.path), PYPROJECT)
        if problems:
            raise ExampleOutputError("\n".join(problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if excinfo.errisinstance(ExampleOutputError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"ruff over the fences of {_page(self.path)}"


class FenceLintFile(pytest.File):
    def collect(self):
        yield FenceLint.from_parent(self, name="ruff")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if parent.config.getoption("--update-examples"):
        return None  # the rewrite formats the fences, then lints them (pytest_sessionfinish)
    if file_path.suffix == ".md" and python_fences(file_path.read_text(encoding="utf-8")):
        return FenceLintFile.from_parent(parent, path=file_path)
    return None
