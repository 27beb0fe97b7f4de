"""Cold build and warm rebuild of the site, against the bare baseline (no figures, no notebooks).

    .venv/bin/python bench/build_speed.py [--runs 3]

Cold: an empty figure cache. Warm: the same build again with the cache filled. Every figure is a ratio
to the baseline measured in the same run, so a slower or faster machine does not move it much.
"""

from __future__ import annotations

import argparse
import shutil

from common import build_command, copy_project, fresh_dir, machine, median, timed

TARGET_COLD, TARGET_WARM = 3.0, 1.2


def measure(runs: int) -> dict[str, float]:
    work = fresh_dir("build")
    configs = {"site": copy_project(work / "site"), "baseline": copy_project(work / "baseline", baseline=True)}
    results: dict[str, list[float]] = {"site cold": [], "site warm": [], "baseline cold": [], "baseline warm": []}
    for run in range(runs):
        for name, config in configs.items():
            cache = work / f"cache-{name}-{run}"  # a fresh, empty figure cache for the cold build
            env = {"CONV_DOCS_CACHE": str(cache), "SOURCE_DATE_EPOCH": "0"}
            command = build_command(config, work / f"out-{name}")
            results[f"{name} cold"].append(timed(command, env))
            results[f"{name} warm"].append(timed(command, env))
    shutil.rmtree(work)
    return {name: median(values) for name, values in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind; the median is reported")
    runs = parser.parse_args().runs
    m = measure(runs)
    cold, warm = m["site cold"] / m["baseline cold"], m["site warm"] / m["baseline warm"]
    print(f"# build speed ({machine()}; median of {runs})")
    for name, seconds in m.items():
        print(f"{name:14s} {seconds:6.2f} s")
    print(f"cold ratio     {cold:6.2f} x  (target <= {TARGET_COLD})  {'ok' if cold <= TARGET_COLD else 'OVER'}")
    print(f"warm ratio     {warm:6.2f} x  (target <= {TARGET_WARM})  {'ok' if warm <= TARGET_WARM else 'OVER'}")


if __name__ == "__main__":
    main()
