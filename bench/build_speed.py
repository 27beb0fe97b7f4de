"""Cold build and warm rebuild of the site, against the bare baseline (no figures, no notebooks).

    .venv/bin/python -m bench.build_speed [--runs 3]

Three figures for the site and for the baseline, each a ratio to the baseline measured in the same run:

- cold build: `mkdocs build` in a new process with empty figure and notebook caches;
- warm build: the same command again, caches filled (start-up and imports included);
- warm rebuild: a second build inside one process, as `mkdocs serve` does after an edit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

from bench.common import build_command, copy_project, fresh_dir, machine, median, timed

TARGET_COLD, TARGET_WARM = 2.5, 1.2  # issue 17: cold build at most 2.5x the bare baseline, warm at most 1.2x

# Build twice in one process and print the second build's time: what a live preview pays after an edit.
REBUILD = """
import sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
build(load_config(sys.argv[1], site_dir=sys.argv[2]))
start = time.perf_counter()
build(load_config(sys.argv[1], site_dir=sys.argv[2]))
print(time.perf_counter() - start)
"""


def rebuild(config, site, env) -> float:
    result = subprocess.run(
        [sys.executable, "-c", REBUILD, str(config), str(site)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout.strip().splitlines()[-1])


def measure(runs: int) -> dict[str, float]:
    work = fresh_dir("build")
    configs = {"site": copy_project(work / "site"), "baseline": copy_project(work / "baseline", baseline=True)}
    results: dict[str, list[float]] = {}
    for run in range(runs):
        for name, config in configs.items():
            cache = work / f"cache-{name}-{run}"  # fresh, empty figure and notebook caches for the cold build
            env = {
                "CONV_DOCS_CACHE": str(cache / "figures"),
                "CONV_DOCS_NOTEBOOK_CACHE": str(cache / "notebooks"),
                "SOURCE_DATE_EPOCH": "0",
                "NO_MKDOCS_2_WARNING": "1",
            }
            command = build_command(config, work / f"out-{name}")
            results.setdefault(f"{name} cold build", []).append(timed(command, env))
            results.setdefault(f"{name} warm build", []).append(timed(command, env))
            results.setdefault(f"{name} warm rebuild", []).append(rebuild(config, work / f"out-{name}", env))
    shutil.rmtree(work)
    return {name: median(values) for name, values in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind; the median is reported")
    runs = parser.parse_args().runs
    m = measure(runs)
    print(f"# build speed ({machine()}; median of {runs})")
    for name, seconds in m.items():
        print(f"{name:22s} {seconds:6.2f} s")
    for kind, target in (("cold build", TARGET_COLD), ("warm build", TARGET_WARM), ("warm rebuild", TARGET_WARM)):
        ratio = m[f"site {kind}"] / m[f"baseline {kind}"]
        print(f"{kind + ' ratio':22s} {ratio:6.2f} x  (target <= {target})  {'ok' if ratio <= target else 'OVER'}")


if __name__ == "__main__":
    main()
