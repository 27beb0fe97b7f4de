"""The build itself: reproducible to the byte on any machine, strict about links, and run the same way by the
published workflow.

- A clean build of the same sources (a copy of the checkout, its own empty figure and notebook caches) gives the
  same files as the session's build (``SOURCE_DATE_EPOCH`` is the commit's date, as ``make site`` sets it), even
  with NumPy on its baseline SIMD path while the session's build took the best one this CPU has. torch's SIMD
  path (``ATEN_CPU_CAPABILITY``) cannot matter to a build: the build is run with torch made unimportable.
- The docs' examples, run with torch and NumPy on their baseline paths, print exactly the ``#>`` blocks they show.
- The notebook, run afresh with torch on each of its SIMD paths (``ATEN_CPU_CAPABILITY=default|avx2|avx512``)
  and with NumPy's AVX paths off (``NPY_DISABLE_CPU_FEATURES``), gives exactly its stored outputs, which the
  site shows. (The figures of a page are drawn while it builds: they go through ``to_svg``, which rounds what it
  draws; tests/test_figures_svg.py checks that last-bit differences leave the bytes alone.)
- The ``validation:`` block of mkdocs.yml turns a broken link, a missing anchor, an absolute link or a page left
  out of the navigation into a failed ``mkdocs build --strict``: proved on a tiny project that uses that block.
- The GitHub Actions workflow is valid YAML, tests, builds and publishes to GitHub Pages from main only.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.site import ROOT, commit_epoch, load_config, nav_pages

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


# mkdocs, with torch made unimportable (in the build and in the worker it forks) and NumPy's SIMD paths checked.
_BUILD = """
import importlib.abc, os, runpy, sys

class NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "torch":
            raise ImportError(f"the site build imported {name}: its output could depend on torch's SIMD path")

sys.meta_path.insert(0, NoTorch())
from numpy._core._multiarray_umath import __cpu_features__
still_on = [name for name in os.environ.get("NPY_DISABLE_CPU_FEATURES", "").split() if __cpu_features__.get(name)]
if still_on:
    sys.exit(f"NumPy still uses {still_on} despite NPY_DISABLE_CPU_FEATURES")
sys.argv = ["mkdocs", *sys.argv[1:]]
runpy.run_module("mkdocs", run_name="__main__", alter_sys=True)
"""


def numpy_simd_paths() -> list[str]:
    """The SIMD paths this NumPy dispatches to that this CPU has: NPY_DISABLE_CPU_FEATURES takes these names
    (the names change between NumPy versions, and it refuses a name it does not dispatch to)."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]


# Each way torch or NumPy may compute on a machine that runs the tests, as the variables that force it.
SIMD_PATHS = {
    "torch-default": {"ATEN_CPU_CAPABILITY": "default"},
    "torch-avx2": {"ATEN_CPU_CAPABILITY": "avx2"},
    "torch-avx512": {"ATEN_CPU_CAPABILITY": "avx512"},
    "numpy-baseline": {"NPY_DISABLE_CPU_FEATURES": " ".join(numpy_simd_paths())},
}
TORCH_PATHS = ["DEFAULT", "AVX2", "AVX512"]  # each one runs on a CPU that runs the one after it


@functools.cache
def torch_best_path() -> str:
    """The best SIMD path torch finds on this CPU, asked of a process with ATEN_CPU_CAPABILITY unset (forcing a
    path the CPU lacks does not fall back: torch then dies of an illegal instruction)."""
    env = {name: value for name, value in os.environ.items() if name != "ATEN_CPU_CAPABILITY"}
    probe = "import torch; print(torch.backends.cpu.get_cpu_capability())"
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def _build(
    config: Path, site_dir: Path, cache_dir: Path, epoch: str, simd: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **(simd or {}),
        "PYTHONPATH": os.pathsep.join([str(config.parent / "src"), os.environ.get("PYTHONPATH", "")]),
        "SOURCE_DATE_EPOCH": epoch,
        "CONV_DOCS_CACHE": str(cache_dir / "figures"),  # figures drawn afresh (src/conv_docs/markdown.py)
        "CONV_DOCS_NOTEBOOK_CACHE": str(cache_dir / "notebooks"),  # notebooks converted afresh (mkdocs.yml)
        "NO_MKDOCS_2_WARNING": "1",
    }
    return subprocess.run(
        # never --quiet: mkdocs 1.6 then drops the warnings before --strict counts them, and the build passes
        [sys.executable, "-c", _BUILD, "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env=env,
    )


def _snapshot(dest: Path) -> Path:
    """Copy the checkout as git sees it (tracked files and new ones, nothing ignored) into ``dest``: both builds
    read the same sources even while someone edits the working tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _difference(name: str, first: bytes, second: bytes) -> str:
    try:
        a, b = first.decode("utf-8").splitlines(), second.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        pairs = enumerate(zip(first, second, strict=False))
        at = next((i for i, (x, y) in pairs if x != y), min(len(first), len(second)))
        return f"{name}: binary, {len(first)} and {len(second)} bytes, first difference at byte {at}"
    diff = list(difflib.unified_diff(a, b, "session build", "clean build", n=0, lineterm=""))
    excerpt = "\n".join(line[:200] for line in diff[2:14])
    return f"{name}:\n{excerpt}"


# --- reproducible builds -------------------------------------------------------------------------------------------


def test_a_clean_build_on_other_simd_paths_is_identical_to_the_session_build(tmp_path: Path, built_site: Path) -> None:
    """Build once more from a snapshot of the checkout with empty figure and notebook caches, NumPy on its
    baseline SIMD path and torch unimportable, and compare it with the session's build (made with whatever the
    caches held, on this CPU's best paths): every figure and notebook made afresh must give the very same
    bytes, so neither the build machine's clock, its CPU nor the caches can change the site. One build proves
    both (a figure is drawn afresh on the other path); a difference shows the files and lines."""
    epoch = commit_epoch()
    checkout = _snapshot(tmp_path / "checkout")
    site, cache = tmp_path / "site", tmp_path / "cache"
    simd = {**SIMD_PATHS["numpy-baseline"], **SIMD_PATHS["torch-default"]}
    result = _build(checkout / "mkdocs.yml", site, cache, epoch, simd)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    # the build drew its figures and converted its notebooks itself, into its own empty caches
    if (site / "index.html").read_text(encoding="utf-8").count("<svg") > 1:
        assert any((cache / "figures").glob("*")), "the figures were not drawn into the build's own cache"
    if any(page.src.endswith(".ipynb") for page in nav_pages()):
        assert any((cache / "notebooks").rglob("*")), "the notebooks were not converted into the build's own cache"
    first, second = _files(built_site), _files(site)
    assert "index.html" in first, "the build wrote no home page"
    # the sitemap's dates are the commit's, not the day the site happened to be built (a build that knows the
    # site's address lists its pages there; a local one, without SITE_URL, lists none)
    day = datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%d")
    sitemap = first["sitemap.xml"].decode("utf-8")
    listed = len(nav_pages()) if os.environ.get("SITE_URL") else 0
    assert sitemap.count(f"<lastmod>{day}</lastmod>") == sitemap.count("<loc>") == listed, f"sitemap: {sitemap}"
    only = sorted(set(first) ^ set(second))
    assert not only, f"files written by only one of the two builds: {only}"
    differing = [name for name in first if first[name] != second[name]]
    report = "\n\n".join(_difference(name, first[name], second[name]) for name in differing[:5])
    assert not differing, (
        f"{len(differing)} file(s) differ between the session build and a clean build on NumPy's baseline SIMD path: "
        f"{differing}\n\n{report}"
    )


@pytest.mark.parametrize("name", list(SIMD_PATHS))
def test_the_notebook_gives_its_stored_outputs_on_every_simd_path(tmp_path: Path, name: str) -> None:
    """Run the notebook afresh with torch or NumPy forced onto another SIMD path and compare every output with
    the stored one, byte for byte (tests/test_site_notebooks.py does so on the session's own path)."""
    import nbformat
    import torch

    from conv_docs.site.notebooks import outputs, run

    simd = SIMD_PATHS[name]
    asked = simd.get("ATEN_CPU_CAPABILITY", "").upper()
    if name == "numpy-baseline" and not simd["NPY_DISABLE_CPU_FEATURES"]:
        pytest.skip("NumPy takes its baseline path on this CPU anyway")
    if asked and TORCH_PATHS.index(asked) > TORCH_PATHS.index(torch_best_path()):
        pytest.skip(f"this CPU cannot run torch's {asked} path (its best is {torch_best_path()})")
    if asked == torch.backends.cpu.get_cpu_capability() and "NPY_DISABLE_CPU_FEATURES" not in os.environ:
        pytest.skip(f"the session runs on {asked} already: tests/test_site_notebooks.py checks it")
    (path,) = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
    stored = nbformat.read(path, as_version=4)
    probe = (
        "import json, torch\n"
        "from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__\n"
        "numpy_paths = [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]\n"
        "print(json.dumps([torch.backends.cpu.get_cpu_capability(), numpy_paths]))"
    )
    copy = tmp_path / path.name
    nbformat.write(nbformat.v4.new_notebook(cells=[*stored.cells, nbformat.v4.new_code_cell(probe)]), copy)
    fresh = run(copy, env={**os.environ, **simd})
    *cells, last = outputs(fresh)
    code = [cell for cell in stored.cells if cell.cell_type == "code"]
    for cell, was, now in zip(code, outputs(stored), cells, strict=True):
        first_line = cell.source.splitlines()[0]
        assert was == now, f"{name}: the cell that starts {first_line!r} gives other outputs than those stored"
    torch_path, numpy_paths = json.loads(last[0]["text"])
    if "NPY_DISABLE_CPU_FEATURES" in simd:
        assert numpy_paths == [], f"NumPy still took {numpy_paths}"
    elif torch_path != asked:
        pytest.skip(f"this CPU has no {asked}: torch took {torch_path} (the outputs matched on it)")


def test_the_docs_examples_print_what_they_show_on_the_baseline_paths() -> None:
    """Every Python example of the docs, run with torch and NumPy both on their baseline paths (no AVX), prints
    exactly its #> blocks, which were written on the session's own path: what a page shows cannot depend on the
    CPU (one run covers both libraries; the notebook test above covers each path alone)."""
    baseline = {**SIMD_PATHS["torch-default"], **SIMD_PATHS["numpy-baseline"]}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n0", "-p", "no:cacheprovider", "-k", "not ruff", "docs", "README.md"],
        cwd=ROOT,
        env={**os.environ, **baseline, "HYPOTHESIS_PROFILE": "quick"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"the docs' examples on the baseline paths:\n{result.stdout[-6000:]}"


def test_a_difference_is_shown_with_its_lines() -> None:
    text = _difference("page.html", b"<p>same</p>\n<p>built at 10:00</p>\n", b"<p>same</p>\n<p>built at 10:01</p>\n")
    assert text.splitlines() == ["page.html:", "@@ -2 +2 @@", "-<p>built at 10:00</p>", "+<p>built at 10:01</p>"]
    binary = _difference("a.gz", b"\x1f\x8b\x00\xff", b"\x1f\x8b\x01\xff")
    assert binary == "a.gz: binary, 4 and 4 bytes, first difference at byte 2"


def test_makefile_builds_with_the_commit_date() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "export SOURCE_DATE_EPOCH" in makefile


# --- links: mkdocs' strict validation ------------------------------------------------------------------------------


def _tiny_project(
    tmp_path: Path, *, link: str = "other.md#a-real-section", image: str = "dot.svg", extra_page: bool = False
) -> Path:
    """A two-page project whose validation settings are exactly those of the real mkdocs.yml."""
    real = load_config()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(f"# Home\n\nSee [the other page]({link}).\n\n![a dot]({image})\n", encoding="utf-8")
    (docs / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (docs / "other.md").write_text("# Other\n\n## A real section\n\nText.\n", encoding="utf-8")
    if extra_page:
        (docs / "forgotten.md").write_text("# Forgotten\n", encoding="utf-8")
    config = {
        "site_name": "links",
        "docs_dir": "docs",
        "strict": real.get("strict"),
        "validation": real.get("validation"),
        "markdown_extensions": [{"toc": {"permalink": True}}],
        "hooks": [str(ROOT / "src" / "conv_docs" / "site" / "build_errors.py")],  # names the line of a bad link
        "nav": [{"Home": "index.md"}, {"Other": "other.md"}],
    }
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def test_the_site_validates_links_strictly() -> None:
    real = load_config()
    assert real.get("strict") is True
    validation = real.get("validation") or {}
    for setting in ("omitted_files", "absolute_links", "unrecognized_links", "anchors"):
        assert validation.get(setting) == "warn", f"mkdocs.yml validation: {setting} should be warn (strict fails)"


def test_good_links_build(tmp_path: Path) -> None:
    result = _build(_tiny_project(tmp_path), tmp_path / "site", tmp_path / "cache", "0")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"link": "other.md#no-such-section"},
            "index.md:3: Doc file 'index.md' contains a link 'other.md#no-such-section'",
        ),
        ({"link": "missing.md"}, "index.md:3: Doc file 'index.md' contains a link 'missing.md'"),
        ({"link": "/other/"}, "index.md:3: Doc file 'index.md' contains an absolute link '/other/'"),
        ({"link": "dot.svg", "image": "gone.svg"}, "index.md:5: Doc file 'index.md' contains a link 'gone.svg'"),
        ({"extra_page": True}, "forgotten.md"),
    ],
    ids=["broken anchor", "missing page", "absolute link", "missing image", "page not in nav"],
)
def test_a_bad_link_fails_the_build(tmp_path: Path, change: dict[str, Any], expected: str) -> None:
    result = _build(_tiny_project(tmp_path, **change), tmp_path / "site", tmp_path / "cache", "0")
    assert result.returncode != 0, f"mkdocs build --strict passed with {change}"
    assert expected in result.stderr + result.stdout, f"the build's message does not name {expected!r}"


# --- the published workflow -----------------------------------------------------------------------------------------


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps = job.get("steps")
    assert isinstance(steps, list) and steps, "a job without steps"
    return steps


def _uses(steps: list[dict[str, Any]]) -> list[str]:
    return [str(step.get("uses", "")).split("@")[0] for step in steps]


def _runs(steps: list[dict[str, Any]]) -> str:
    return "\n".join(str(step.get("run", "")) for step in steps)


def test_workflow_tests_builds_and_publishes() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert "main" in triggers["push"]["branches"]
    assert "pull_request" in triggers
    jobs = workflow["jobs"]
    build, deploy = jobs["build"], jobs["deploy"]

    build_steps = _steps(build)
    assert _uses(build_steps)[0] == "actions/checkout"
    assert "actions/upload-pages-artifact" in _uses(build_steps)
    upload = next(step for step in build_steps if str(step.get("uses", "")).startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    commands = _runs(build_steps)
    assert "python:3.11" in str(build.get("container", "")) or "3.11" in str(build_steps)
    assert "chromium" in commands
    assert commands.index("make test") < commands.index("make site"), "the site is published only after the tests"
    assert build.get("env", {}).get("CI") == "true", "with CI=true a missing browser fails the run"
    assert "REPO_URL=$GITHUB_SERVER_URL/$GITHUB_REPOSITORY" in commands, "the pages link their repository"
    assert "SITE_URL=" in commands
    cache = next(step for step in build_steps if str(step.get("uses", "")).startswith("actions/cache"))
    assert cache["with"]["path"] == "~/.cache/pip" and "constraints.txt" in cache["with"]["key"]
    assert commands.index("make site") < commands.index("make offline")

    assert deploy["needs"] == "build"
    assert "refs/heads/main" in deploy["if"]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert _uses(_steps(deploy)) == ["actions/deploy-pages"]
