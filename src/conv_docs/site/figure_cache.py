"""The figure cache: each figure is drawn once and kept, keyed by its fence and the library's source.

The HTML of a figure is kept under ``.cache/figures/`` in the working folder (or ``$CONV_DOCS_CACHE``), one file
per (kind, options, library source), so an unchanged figure is not drawn twice, by this build or the next, and a
change to the library draws every figure anew. A file appears whole or not at all, so two processes drawing into
one cache (:mod:`conv_docs.site.parallel_figures`) never read half of one.

>>> cached("example", {"n": 1}, lambda: "<p>drawn</p>")
'<p>drawn</p>'
>>> cached("example", {"n": 1}, lambda: "<p>drawn again</p>")  # from the cache: not drawn again
'<p>drawn</p>'
>>> cache_path("example", {"n": 1}).unlink()
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import conv_docs

CACHE_ENV = "CONV_DOCS_CACHE"


@lru_cache(maxsize=1)
def library_fingerprint() -> str:
    """A hash of the library's version and every source file of the package: any change draws figures anew.

    >>> len(library_fingerprint())
    64
    """
    digest = hashlib.sha256(conv_docs.__version__.encode())
    package = Path(conv_docs.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_dir() -> Path:
    """Where rendered figures are kept: ``$CONV_DOCS_CACHE``, or ``.cache/figures`` in the working folder.

    >>> cache_dir() == Path(os.environ.get(CACHE_ENV) or Path.cwd() / ".cache" / "figures")
    True
    """
    return Path(os.environ.get(CACHE_ENV) or Path.cwd() / ".cache" / "figures")


def cache_path(kind: str, options: dict[str, Any]) -> Path:
    """The file that keeps the figure of a fence of this kind with these options (whether or not it is there).

    >>> cache_path("conv1d", {"input": [1], "stride": 1}) == cache_path("conv1d", {"stride": 1, "input": [1]})
    True
    """
    key = json.dumps([kind, options, library_fingerprint()], sort_keys=True, default=repr)
    return cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.html"


def cached(kind: str, options: dict[str, Any], render: Callable[[], str]) -> str:
    """Return the HTML for (kind, options) from the cache, or ``render()`` it and keep it."""
    path = cache_path(kind, options)
    if path.exists():
        return path.read_text(encoding="utf-8")
    text = render()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)  # atomic: parallel builds never read half a file
    return text
