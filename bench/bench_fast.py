"""Time the ways of computing conv1d on this machine and print a table.

    .venv/bin/python -m bench.bench_fast            # a few signal and kernel lengths
    .venv/bin/python -m bench.bench_fast --quick    # smaller sizes, fewer repeats

Each row is one (signal length, kernel size) on one channel pair, batch 1; each cell the best of
several runs, in milliseconds, and in brackets the ratio to im2col. The plain loops of
``conv_docs.conv1d`` are timed only on the smallest size: they are written to be read, not run.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from conv_docs import conv1d
from conv_docs.fast import conv1d_fft, conv1d_im2col


def best_of(function: Callable[[], object], repeats: int) -> float:
    """The shortest of ``repeats`` runs, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    args = parser.parse_args()
    sizes = [(256, 3), (4096, 3), (4096, 65), (4096, 1025)] if not args.quick else [(256, 3), (2048, 257)]
    repeats = 3 if args.quick else 7

    import torch

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    print(f"{'L':>6} {'K':>5} {'loops':>16} {'im2col':>16} {'fft':>16} {'torch':>16}")
    for length, kernel in sizes:
        x, w = rng.normal(size=(1, 1, length)), rng.normal(size=(1, 1, kernel))
        tx, tw = torch.from_numpy(x), torch.from_numpy(w)
        timings = {
            "loops": best_of(lambda: conv1d(x, w), 1) if length <= 256 else None,  # noqa: B023
            "im2col": best_of(lambda: conv1d_im2col(x, w), repeats),  # noqa: B023
            "fft": best_of(lambda: conv1d_fft(x, w), repeats),  # noqa: B023
            "torch": best_of(lambda: torch.nn.functional.conv1d(tx, tw), repeats),  # noqa: B023
        }
        base = timings["im2col"]
        cells = [
            "-" if value is None else f"{value:8.3f} ({value / base:5.2f}x)".rjust(16) for value in timings.values()
        ]
        print(f"{length:>6} {kernel:>5} " + " ".join(cell.rjust(16) for cell in cells))


if __name__ == "__main__":
    main()
