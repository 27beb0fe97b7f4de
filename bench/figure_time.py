"""Median time to draw one figure (trace, matplotlib, SVG), for the four seed cases and a few more.

.venv/bin/python -m bench.figure_time [--repeat 5]
"""

from __future__ import annotations

import argparse
import time

from bench.common import machine, median
from conv_docs import trace_conv1d, trace_conv_transpose1d
from conv_docs.figures.steps import trace_plot
from conv_docs.figures.svg import to_svg

CONFIGS = {
    "k1 s1": lambda: trace_conv1d([2, 3, 4], [1], bias=0),
    "k2 s1": lambda: trace_conv1d([2, 3, 4], [1, 1], bias=0),
    "k2 s2": lambda: trace_conv1d([2, 3, 4], [1, 1], bias=0, stride=2),
    "k2 s2 p1": lambda: trace_conv1d([2, 3, 4], [1, 1], bias=0, stride=2, padding=1),
    "k3 d2 reflect": lambda: trace_conv1d(
        [1, 2, 3, 4, 5, 6], [1, 0, -1], padding=2, dilation=2, padding_mode="reflect"
    ),
    "transposed s2": lambda: trace_conv_transpose1d([1, 2, 3], [1, 1], stride=2),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="draws of each figure; the median is reported")
    repeat = parser.parse_args().repeat
    to_svg(trace_plot(CONFIGS["k1 s1"]()))  # imports and font set-up are paid once, not per figure
    print(f"# figure drawing ({machine()}; median of {repeat} draws each)")
    everything = []
    for name, make in CONFIGS.items():
        times, size = [], 0
        for _ in range(repeat):
            start = time.perf_counter()
            size = len(to_svg(trace_plot(make())).encode())
            times.append(time.perf_counter() - start)
        everything += times
        print(f"{name:15s} {median(times) * 1000:7.1f} ms  {size / 1024:5.1f} KB")
    print(f"{'all figures':15s} {median(everything) * 1000:7.1f} ms median per figure")


if __name__ == "__main__":
    main()
