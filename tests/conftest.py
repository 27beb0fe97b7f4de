"""Shared test set-up: hypothesis profiles and a count of the property-test examples that ran."""

from __future__ import annotations

import fcntl
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, ONLY_THIS_HOST
from tests.support.serving import serve
from tests.support.site import build_site

# The example counter is a function-scoped fixture shared by all examples of a test, on purpose.
SUPPRESS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
# "full" and "quick" draw the same examples on every run and machine (derandomize), so that a test run's result
# never rests on luck; "explore" draws new ones each run, ten times as many, to hunt for what they miss.
settings.register_profile("full", max_examples=300, deadline=None, suppress_health_check=SUPPRESS, derandomize=True)
settings.register_profile("quick", max_examples=40, deadline=None, suppress_health_check=SUPPRESS, derandomize=True)
settings.register_profile("explore", max_examples=3000, deadline=None, suppress_health_check=SUPPRESS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "full"))

# The tests compute on tensors of a few dozen numbers, where torch's pool of threads costs far more than it saves
# (on two busy cores, a small conv1d took 55 times longer with two threads than with one); the results are the same.
# Set before torch is imported, here and in every process the tests start (builds, notebook kernels).
os.environ.setdefault("OMP_NUM_THREADS", "1")
# The test build is built as the workflow publishes it, with the address of a repository (REPO_URL), so that the
# tests see the repository and source links every page then carries; no request goes there.
os.environ.setdefault("REPO_URL", "https://github.com/example/conv-docs")

EXAMPLES: Counter[str] = Counter()


@pytest.fixture
def count_example(request: pytest.FixtureRequest):
    """Call once per hypothesis example; the terminal summary reports the totals."""
    name = request.node.name

    def count() -> None:
        EXAMPLES[name] += 1

    return count


def pytest_configure(config: pytest.Config) -> None:
    config._conv_docs_examples = Counter()  # type: ignore[attr-defined]


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: without xdist (-p no:xdist) it is never called
def pytest_testnodedown(node, error) -> None:  # a worker reports its counts
    counts = getattr(node, "workeroutput", {}).get("hypothesis_examples", {})
    node.config._conv_docs_examples.update(counts)


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # inside an xdist worker
        workeroutput["hypothesis_examples"] = dict(EXAMPLES)
    else:
        session.config._conv_docs_examples.update(EXAMPLES)  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    counts = config._conv_docs_examples  # type: ignore[attr-defined]
    if counts:
        total = sum(counts.values())
        terminalreporter.write_line(
            f"hypothesis: {total} generated examples ran across {len(counts)} property tests "
            f"(profile {os.environ.get('HYPOTHESIS_PROFILE', 'full')})"
        )


# --- the built site, shared by every test that reads or serves it ---------------------------------------------------


def _run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run: under pytest-xdist, shared by the workers (each has its own folder inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per test run with ``mkdocs build --strict`` into a temporary folder; read it, never
    write into it (copy it first). Under pytest-xdist the workers share the one build: the first worker to need
    it builds it while the others wait on a lock, then all read the same folder."""
    run = _run_dir(tmp_path_factory)
    out, outcome = run / "built-site", run / "built-site.outcome"
    with (run / "built-site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not outcome.exists():
            result = build_site(out)
            outcome.write_text(f"{result.returncode}\n{result.stdout}\n{result.stderr}", encoding="utf-8")
    code, _, output = outcome.read_text(encoding="utf-8").partition("\n")
    assert code == "0", f"mkdocs build --strict failed:\n{output}"
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1 (a free port) for the session; yields its base URL."""
    with serve(built_site) as url:
        yield url


# --- a real browser: Debian's Chromium driven by Playwright ---------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session. Skipped where Chromium is missing, except under CI=true,
    where a missing browser fails the run (.ci/run installs it)."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, ONLY_THIS_HOST])
        try:
            yield chromium
        finally:
            chromium.close()
