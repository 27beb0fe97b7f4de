"""Wall time of a full `make test` once the set-up is done: the median of three runs (the target is 120 s on
this 2-core machine); or, with --against, the CPU it costs beside an earlier commit's. Measure it on an idle
machine: other work on the cores makes every figure larger.

.venv/bin/python -m bench.test_time            # three runs, then their median
.venv/bin/python -m bench.test_time --runs 5
PYTEST_FLAGS="-n 0" .venv/bin/python -m bench.test_time  # the same in one process (make test runs two workers)
.venv/bin/python -m bench.test_time --against c9e249e       # CPU-seconds of make test here and at c9e249e, in turn

With --against, the earlier commit is checked out (a git worktree in .cache/bench/, with its own .venv, set up once)
and the two `make test` runs take turns, so that a slow spell of the machine falls on both; each run's cost is read
from /proc/stat (every process, Chromium's included), and the medians and their ratio are printed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.common import ROOT, busy_seconds, machine, median, timed

TARGET = 120.0
CPU_RATIO = 0.70  # make test may cost at most this share of the CPU the commit given to --against costs


def load() -> str:
    """The load averages over 1, 5 and 15 minutes, to show whether the machine was idle."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def checkout(revision: str) -> Path:
    """A worktree of ``revision`` in .cache/bench/, set up (its own .venv) the first time it is asked for."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{revision}^{{commit}}"], cwd=ROOT, capture_output=True, text=True
    )
    if commit.returncode:
        sys.exit(f"test_time.py: --against: no commit {revision!r} in this repository")
    folder = ROOT / ".cache" / "bench" / f"test-time-{commit.stdout.strip()[:12]}"
    if not folder.exists():
        timed(["git", "worktree", "add", "--detach", str(folder), commit.stdout.strip()])
    timed(["make", "setup"], cwd=folder)
    return folder


def cpu_of_make_test(cwd: Path) -> tuple[float, float]:
    """CPU-seconds the machine spent and wall seconds, over one full `make test` in ``cwd`` (fails loudly)."""
    cpu, wall = busy_seconds(), time.perf_counter()
    timed(["make", "test"], cwd=cwd)
    return busy_seconds() - cpu, time.perf_counter() - wall


def against(revision: str, runs: int) -> None:
    base = checkout(revision)
    timed(["make", "setup"])
    print(f"# make test here and at {revision} ({machine()}), {runs} runs each, in turn; before: {load()}")
    costs: dict[str, list[float]] = {revision: [], "here": []}
    for run in range(1, runs + 1):
        for name, folder in ((revision, base), ("here", ROOT)):
            cpu, wall = cpu_of_make_test(folder)
            costs[name].append(cpu)
            print(f"run {run} {name:>12}  {cpu:7.1f} CPU-s  {wall:6.1f} s  ({load()})", flush=True)
    before, now = median(costs[revision]), median(costs["here"])
    verdict = "ok" if now <= CPU_RATIO * before else "OVER"
    print(f"make test at {revision}: {before:.1f} CPU-s, here: {now:.1f} CPU-s (medians of {runs})")
    print(f"ratio          {now / before:6.2f}  (target <= {CPU_RATIO:.2f})  {verdict}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time full `make test` runs and print their median.")
    parser.add_argument("--runs", type=int, default=3, help="how many runs (default 3)")
    parser.add_argument("--against", metavar="REV", help="compare the CPU it costs with make test at commit REV")
    args = parser.parse_args(argv)
    runs = args.runs
    if runs < 1:
        parser.error(f"--runs must be at least 1, got {runs}")
    if args.against:
        against(args.against, runs)
        return
    timed(["make", "setup"])  # set-up is not timed
    print(f"# make test ({machine()}), {runs} runs; before: {load()}")
    seconds = []
    for run in range(1, runs + 1):
        seconds.append(timed(["make", "test"], cwd=ROOT))
        print(f"run {run}         {seconds[-1]:6.1f} s  ({load()})", flush=True)
    middle = median(seconds)
    verdict = "ok" if middle <= TARGET else "OVER"
    print(f"make test      {middle:6.1f} s  median of {runs} (target <= {TARGET:.0f} s)  {verdict}")


if __name__ == "__main__":
    main()
