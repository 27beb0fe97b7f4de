"""Wall time of a full `make test` once the set-up is done: the median of three runs (the target is 120 s on
this 2-core machine). Measure it on an idle machine: other work on the cores makes every figure larger.

.venv/bin/python bench/test_time.py            # three runs, then their median
.venv/bin/python bench/test_time.py --runs 5
PYTEST_FLAGS="-n 0" .venv/bin/python bench/test_time.py    # the same in one process (make test runs two workers)
"""

from __future__ import annotations

import argparse
import os

from common import ROOT, machine, median, timed

TARGET = 120.0


def load() -> str:
    """The load averages over 1, 5 and 15 minutes, to show whether the machine was idle."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time full `make test` runs and print their median.")
    parser.add_argument("--runs", type=int, default=3, help="how many runs (default 3)")
    runs = parser.parse_args(argv).runs
    if runs < 1:
        parser.error(f"--runs must be at least 1, got {runs}")
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
