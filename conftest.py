"""Test set-up for every path, the docs' fences included: a failing ``assert`` in a Markdown fence shows its values.

pytest rewrites the ``assert`` statements of test modules so that a failure says ``assert [[5.0, 7.0]] ==
[[5.0, 8.0]]``; pytest-markdown-docs 0.9 runs a fence with a plain ``compile``, so a failing fence said only
``AssertionError``. The runner below compiles each fence through pytest's own assertion rewriter and is
registered as pytest-markdown-docs' default runner (``register_runner(default=True)``), so every fence gets it.
It lives at the root because ``pytest docs/guide/padding.md`` does not read ``tests/conftest.py``.
"""

from __future__ import annotations

import ast
import inspect
import os
from typing import Any

from _pytest.assertion.rewrite import rewrite_asserts
from pytest_markdown_docs._runners import DefaultRunner, register_runner

# Keras 3 picks its back end once, at its first import (TensorFlow unless told), and JAX computes in float32 unless
# x64 is on: set both before any test or docs fence imports them, here at the root so that a page run alone
# (make test-page PAGE=docs/guide/other-libraries/keras.md) gets them too. The section's first page tells the reader
# to do the same.
os.environ["KERAS_BACKEND"] = "jax"
os.environ["JAX_ENABLE_X64"] = "1"


@register_runner(default=True)
class RewritingRunner(DefaultRunner):
    """pytest-markdown-docs' default runner, with the fence's ``assert`` statements rewritten as in a test module."""

    def runtest(self, test: Any, args: dict[str, Any], *, asyncio_runner: Any = None) -> None:
        tree = ast.parse(test.source, filename=str(test.source_path))
        rewrite_asserts(tree, test.source.encode(), str(test.source_path))
        compiled = compile(tree, filename=str(test.source_path), mode="exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        if compiled.co_flags & inspect.CO_COROUTINE:  # top-level await: as the default runner does
            super().runtest(test, args, asyncio_runner=asyncio_runner)
        else:
            exec(compiled, args)
