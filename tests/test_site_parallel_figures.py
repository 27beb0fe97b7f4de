"""The worker that draws a build's missing figures on the second core: it fills the cache, and only that."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from conv_docs.site import figure_cache, figure_fences, parallel_figures
from conv_docs.site.fence_errors import FenceError


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(figure_cache.CACHE_ENV, str(tmp_path / "cache"))
    yield tmp_path / "cache"
    parallel_figures.stop_worker()


class File:
    def __init__(self, src_uri: str, text: str) -> None:
        self.src_uri, self.content_string = src_uri, text

    def is_documentation_page(self) -> bool:
        return True


class Files(list):
    def documentation_pages(self) -> list[File]:
        return list(self)


PAGES = Files(
    [
        File("a.md", "```conv1d\ninput: [2, 3, 4]\nkernel_size: 2\n```\n"),
        File("b.md", "Text.\n\n```conv_transpose1d\ninput: [1, 2]\nweight: [1, 1]\nstride: 2\n```\n"),
        File("broken.md", "```conv1d\ninput: [2, 3, 4]\nstride: 0\nkernel_size: 1\n```\n"),
        File("notebook.ipynb", "```conv1d\ninput: [9]\nkernel_size: 1\n```\n"),  # not Markdown: not read
    ]
)
CONFIG = SimpleNamespace(plugins={})  # no notebook plugin


def test_missing_figures_in_page_order() -> None:
    assert [(page, kind) for page, kind, body in parallel_figures.missing_figures(PAGES)] == [
        ("a.md", "conv1d"),
        ("b.md", "conv_transpose1d"),
        ("broken.md", "conv1d"),
    ]


def test_the_worker_draws_what_is_missing_and_skips_what_fails() -> None:
    assert parallel_figures.on_files(PAGES, CONFIG) is PAGES
    assert parallel_figures._worker is not None, "figures were missing: a worker should have started"
    parallel_figures._worker.join(timeout=120)
    assert parallel_figures._worker.exitcode == 0  # the broken fence did not stop it
    # what it drew is exactly what the build would draw, found in the cache
    assert [page for page, kind, body in parallel_figures.missing_figures(PAGES)] == ["broken.md"]
    with pytest.raises(FenceError, match="stride"):  # the build itself reports the broken fence
        figure_fences.draw("conv1d", PAGES[2].content_string.split("\n", 1)[1].rsplit("```", 1)[0])


def test_no_worker_when_nothing_is_missing() -> None:
    drawn = Files(PAGES[:2])
    for _page, kind, body in parallel_figures.missing_figures(drawn):
        figure_fences.draw(kind, body)
    parallel_figures.on_files(drawn, CONFIG)
    assert parallel_figures._worker is None


def test_a_stopped_worker_draws_nothing_more() -> None:
    stop = SimpleNamespace(is_set=lambda: True)
    parallel_figures._work([], parallel_figures.missing_figures(PAGES), CONFIG, PAGES, stop)
    assert len(parallel_figures.missing_figures(PAGES)) == 3
