"""`mkdocs serve`: how many rebuilds one edit triggers, and how long one takes, against the bare baseline.

    .venv/bin/python -m bench.serve_rebuild [--edits 3]

Each server runs on a copy of the sources (so the benchmark never edits docs/), with a warm figure cache.
An edit appends a blank line to one case page; the script then counts the builds in the next few seconds
(the target is exactly one) and times edit-to-"Reloading browsers" (the target is at most 2x the baseline).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.common import copy_project, fresh_dir, machine, median

PAGE = "cases/kernel-2-stride-2-padding-1.md"
SETTLE = 8.0  # seconds to watch for further, unwanted rebuilds after one finished


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`mkdocs serve` on a copy, with its log lines collected with their arrival times."""

    def __init__(self, config: Path, cache: Path) -> None:
        env = {**os.environ, "CONV_DOCS_CACHE": str(cache), "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{free_port()}"]
        self.process = subprocess.Popen(command, env=env, stderr=subprocess.STDOUT, stdout=subprocess.PIPE, text=True)
        self.lines: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:  # type: ignore[union-attr]
            self.lines.append((time.perf_counter(), line.rstrip()))

    def wait_for(self, pattern: str, after: float, timeout: float = 300) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            for when, line in list(self.lines):
                if when >= after and re.search(pattern, line):
                    return when
            if self.process.poll() is not None:
                sys.exit("mkdocs serve stopped:\n" + "\n".join(line for _, line in self.lines))
            time.sleep(0.05)
        sys.exit(f"no {pattern!r} from mkdocs serve within {timeout} s")

    def builds_since(self, after: float) -> int:
        return sum(1 for when, line in self.lines if when >= after and "Building documentation" in line)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(config: Path, cache: Path, edits: int) -> tuple[list[float], list[int]]:
    server = Server(config, cache)
    try:
        server.wait_for(r"Serving on", after=0)
        times, builds = [], []
        page = config.parent / "docs" / PAGE
        for _ in range(edits):
            edited = time.perf_counter()
            with page.open("a") as f:
                f.write("\n")
            done = server.wait_for(r"Reloading browsers", after=edited)
            times.append(done - edited)
            time.sleep(SETTLE)
            builds.append(server.builds_since(edited))
        return times, builds
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=3, help="edits to time; the median is reported")
    edits = parser.parse_args().edits
    work = fresh_dir("serve")
    print(f"# mkdocs serve ({machine()}; median of {edits} edits)")
    results = {}
    for name, baseline in (("site", False), ("baseline", True)):
        results[name] = measure(copy_project(work / name, baseline=baseline), work / f"cache-{name}", edits)
        times, builds = results[name]
        print(f"{name:9s} rebuild {median(times):6.2f} s   builds per edit: {builds}")
    ratio = median(results["site"][0]) / median(results["baseline"][0])
    once = all(b == 1 for b in results["site"][1])
    print(f"ratio     {ratio:6.2f} x  (target <= 2)  {'ok' if ratio <= 2 else 'OVER'}")
    print(f"one build per edit: {'yes' if once else 'NO'}")


if __name__ == "__main__":
    main()
