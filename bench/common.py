"""Shared pieces of the benchmark scripts: where things are, building the site, the bare baseline."""

from __future__ import annotations

import contextlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from conv_docs.site.figure_fences import FIGURE_FENCE

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    """One line on the machine the figures come from."""
    cores = os.cpu_count()
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 2**20:.0f} GiB"
    except (OSError, AttributeError):
        pass
    model = ""
    with contextlib.suppress(OSError, AttributeError):  # machines of one kind differ: say which processor it was
        cpuinfo = Path("/proc/cpuinfo").read_text()
        simd = "AVX-512" if re.search(r"^flags\s*:.*\bavx512f\b", cpuinfo, re.MULTILINE) else "no AVX-512"
        name = re.search(r"model name\s*:\s*(.+)", cpuinfo).group(1).strip()
        model = f", {name} ({simd})"
    return f"{platform.machine()}{model}, {cores} cores{memory}, Python {platform.python_version()}"


def median(values: list[float]) -> float:
    return statistics.median(values)


def busy_seconds() -> float:
    """CPU-seconds the whole machine has spent busy since it started (user, nice, system, irq, softirq): what a run
    costs, its child processes and Chromium's included, which escape ``time``'s count."""
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq, *_ = map(int, stat.readline().split()[1:])
    return (user + nice + system + irq + softirq) / 100  # USER_HZ is 100 on Linux


def timed(command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> float:
    """Run ``command`` to completion; return its wall time in seconds (fails loudly)."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - start


class _Tagged:
    """A tagged YAML node (``!!python/name:...``, ``!ENV [...]``), kept as it is so that it is written back."""

    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: _Tagged(node))
_Dumper.add_representer(_Tagged, lambda dumper, value: value.node)


def _without_notebooks(nav: list) -> list:
    kept = []
    for entry in nav:
        if isinstance(entry, dict):
            ((title, value),) = entry.items()
            if isinstance(value, list):
                kept.append({title: _without_notebooks(value)})
            elif not str(value).endswith(".ipynb"):
                kept.append(entry)
        elif not str(entry).endswith(".ipynb"):
            kept.append(entry)
    return kept


def copy_project(folder: Path, baseline: bool = False) -> Path:
    """Copy the site's sources into ``folder``; return the copied ``mkdocs.yml``.

    With ``baseline=True`` every figure fence and notebook is taken out (and the notebook plugin with them);
    everything else (theme, Markdown extensions, other plugins, the text) stays, so building it measures
    what the site costs without its figures and notebooks. Links to the notebook then dangle, so the
    baseline is built without ``strict``.
    """
    docs = folder / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("*.ipynb") if baseline else None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    if (ROOT / "overrides").is_dir():
        shutil.copytree(ROOT / "overrides", folder / "overrides")
    config["hooks"] = [str(ROOT / hook) for hook in config.get("hooks", [])]  # hooks stay where they are
    config["watch"] = [str(ROOT / path) for path in config.get("watch", [])]  # so does the library
    if baseline:
        for page in docs.rglob("*.md"):
            page.write_text(FIGURE_FENCE.sub("", page.read_text()))
        config["plugins"] = [p for p in config.get("plugins", []) if "mkdocs-jupyter" not in p]  # name or 1-key dict
        config["nav"] = _without_notebooks(config["nav"])
        config["strict"] = False
        config["validation"] = {"links": {"not_found": "info", "anchors": "info"}}
    path = folder / "mkdocs.yml"
    path.write_text(yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True))
    return path


def build_command(config: Path, site_dir: Path) -> list[str]:
    """``mkdocs build`` of ``config`` into ``site_dir``."""
    return [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--quiet",
        "--config-file",
        str(config),
        "--site-dir",
        str(site_dir),
    ]


def fresh_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"conv-docs-{prefix}-"))


def site_for(site: Path | None, prefix: str) -> Path:
    """``site``, a built site; without one, the site built now into a fresh folder."""
    if site is None:
        site = fresh_dir(prefix) / "site"
        timed(build_command(ROOT / "mkdocs.yml", site))
    return site
