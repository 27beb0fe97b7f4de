"""Wall time of `make test` once the set-up is done (the target is 120 s on this 2-core machine).

.venv/bin/python bench/test_time.py
"""

from __future__ import annotations

import subprocess

from common import ROOT, machine, timed

TARGET = 120.0


def main() -> None:
    subprocess.run(["make", "setup"], cwd=ROOT, check=True, capture_output=True)  # set-up is not timed
    seconds = timed(["make", "test"])
    print(f"# make test ({machine()})")
    print(f"make test      {seconds:6.1f} s  (target <= {TARGET:.0f} s)  {'ok' if seconds <= TARGET else 'OVER'}")


if __name__ == "__main__":
    main()
