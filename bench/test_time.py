"""Wall time of `make test` once the set-up is done: the median of three runs (the target is 120 s on this 2-core
machine).

.venv/bin/python bench/test_time.py [--runs 3]
PYTEST_FLAGS="-n 2 --dist loadfile" .venv/bin/python bench/test_time.py    # the same with two pytest-xdist workers
"""

from __future__ import annotations

import argparse
import subprocess

from common import ROOT, machine, median, timed

TARGET = 120.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="full runs of make test; the median counts (default 3)")
    args = parser.parse_args()
    subprocess.run(["make", "setup"], cwd=ROOT, check=True, capture_output=True)  # set-up is not timed
    runs = [timed(["make", "test"]) for _ in range(args.runs)]
    seconds = median(runs)
    print(f"# make test ({machine()}; median of {args.runs})")
    print(f"runs           {', '.join(f'{run:.1f}' for run in runs)} s")
    print(f"make test      {seconds:6.1f} s  (target <= {TARGET:.0f} s)  {'ok' if seconds <= TARGET else 'OVER'}")


if __name__ == "__main__":
    main()
