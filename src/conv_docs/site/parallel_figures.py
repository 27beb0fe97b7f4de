"""The second core: draw a build's missing figures and convert its notebooks in a worker process.

An MkDocs hook (``hooks:`` in ``mkdocs.yml``). When a build finds figures missing from the cache (the first
build, or the first after a change to the library), :func:`on_files` forks one worker process. The worker
converts the notebooks, then draws the missing figures starting from the last page, while the build draws
them from the first page on as it renders the pages. Each side finds in the cache what the other has drawn
(a cache file appears whole or not at all), so neither waits for the other, and a figure is drawn twice at
most where the two meet.

The worker only fills caches. What it fails at, or has not reached, the build does itself in the usual way,
and reports any error there. :func:`on_post_build` (or :func:`on_build_error`) stops it. Where processes
cannot be forked, nothing is started and the build draws everything itself.

>>> class File:
...     def __init__(self, name, text):
...         self.src_uri, self.text = name, text
...     def is_documentation_page(self):
...         return True
...     @property
...     def content_string(self):
...         return self.text
>>> pages = [File("a.md", "```conv1d\\ninput: [1, 2]\\nweight: [1]\\n```\\n"), File("nb.ipynb", "{}")]
>>> [(page, kind) for page, kind, body in missing_figures(pages)] in ([("a.md", "conv1d")], [])
True
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
from functools import partial
from types import SimpleNamespace
from typing import Any

from conv_docs.site.figure_fences import draw
from conv_docs.site.figure_fences import missing_figures as missing_in_page

_worker: Any = None  # the running worker process and its stop signal, if any
_stop: Any = None


def missing_figures(pages: Any) -> list[tuple[str, str, str]]:
    """``(page, kind, body)`` for each figure fence of these Markdown pages not drawn yet, in page order."""
    missing = []
    for file in pages:
        if file.is_documentation_page() and file.src_uri.endswith(".md"):
            missing += [(file.src_uri, kind, body) for kind, body in missing_in_page(file.content_string)]
    return missing


def _convert_notebook(plugin: Any, file: Any, config: Any, files: Any) -> None:
    """Convert a notebook as mkdocs-jupyter will for its page, so that the page finds it in the plugin's cache.

    The plugin's ``on_pre_page`` gives a stand-in page the plugin's own render function, which reads the
    cache or converts the notebook and writes the cache.
    """
    stand_in = SimpleNamespace(file=file, abs_url=None, title=None)
    plugin.on_pre_page(stand_in, config=config, files=files)
    stand_in.render(config, files)


def _work(notebooks: list[Any], figures: list[tuple[str, str, str]], config: Any, files: Any, stop: Any) -> None:
    """Convert the notebooks, then draw the figures from the last one back, until done or told to stop."""
    plugin = config.plugins.get("mkdocs-jupyter")
    jobs = [partial(_convert_notebook, plugin, file, config, files) for file in notebooks]
    jobs += [partial(draw, kind, body) for _page, kind, body in reversed(figures)]
    for job in jobs:
        if stop.is_set():
            return
        with contextlib.suppress(Exception):  # the build does this again itself, and reports the error
            job()


def _worker_main(*args: Any) -> None:
    logging.disable(logging.CRITICAL)  # the build logs what it does; the worker only prepares
    _work(*args)


def on_files(files: Any, config: Any, **kwargs: Any) -> Any:
    """MkDocs hook: start the worker when figures are missing from the cache."""
    global _worker, _stop
    stop_worker()
    if "fork" not in multiprocessing.get_all_start_methods():
        return files
    figures = missing_figures(files.documentation_pages())
    if not figures:
        return files
    plugin = config.plugins.get("mkdocs-jupyter")
    notebooks = [file for file in files.documentation_pages() if plugin and plugin.should_include(file)]
    context = multiprocessing.get_context("fork")
    _stop = context.Event()
    _worker = context.Process(
        target=_worker_main, args=(notebooks, figures, config, files, _stop), name="conv-docs-worker", daemon=True
    )
    _worker.start()
    return files


def stop_worker() -> None:
    """Stop the worker, if one is running: it finishes the figure it is drawing, so no cache file is cut short."""
    global _worker, _stop
    if _worker is not None:
        _stop.set()
        _worker.join(timeout=30)
        if _worker.is_alive():
            _worker.terminate()
            _worker.join()
    _worker = _stop = None


def on_post_build(config: Any, **kwargs: Any) -> None:
    """MkDocs hook: the pages are built, so the worker has nothing left to do that anyone needs."""
    stop_worker()


def on_build_error(error: Exception, **kwargs: Any) -> None:
    """MkDocs hook: a failed build stops the worker too."""
    stop_worker()
