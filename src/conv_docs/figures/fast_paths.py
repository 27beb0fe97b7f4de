"""im2col drawn: the padded input, the matrix of its windows (one column per output) and the product
with the kernel that gives the output. Cells come from the trace, columns from :func:`conv_docs.fast.im2col`.

>>> columns_of([2, 3, 4], kernel_size=2, stride=2, padding=1).tolist()
[[0.0, 3.0], [2.0, 4.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from conv_docs.fast import conv1d_im2col, im2col, multiplications
from conv_docs.trace import fmt, trace_conv1d


def columns_of(input: Sequence[float], kernel_size: int, stride: int = 1, padding: int = 0) -> np.ndarray:
    """The ``(kernel_size, L_out)`` im2col matrix of one channel, from the padded cells of its trace."""
    trace = trace_conv1d(input, np.ones(kernel_size), stride=stride, padding=padding)
    padded = np.array([[cell.value for cell in trace.cells[0]]])
    return im2col(padded, kernel_size, stride)


def im2col_picture(
    input: Sequence[float] = (2, 3, 4, 5, 6), weight: Sequence[float] = (1, 0, -1), stride: int = 1, padding: int = 1
) -> Any:
    """The padded input on top; below, the kernel as a row times the im2col matrix gives the output row.
    Returns a ``Plot``."""
    from matplotlib.patches import Rectangle

    from conv_docs.figures.kit import blank_figure, draw_cells, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND, HIGHLIGHT

    kernel_size = len(weight)
    trace = trace_conv1d(input, weight, stride=stride, padding=padding)
    columns = columns_of(input, kernel_size, stride, padding)
    output = conv1d_im2col([list(input)], [[list(weight)]], stride=stride, padding=padding)[0]
    cells = trace.cells[0]
    x_matrix = kernel_size + 1.5  # where the im2col matrix starts
    top = 1.8  # the padded input sits above the matrix
    width = max(len(cells), x_matrix + columns.shape[1] + 0.5)
    scale = min(0.45, 4.5 / (width + 3.4))  # inches per cell: the figure fits a phone's column
    figure, ax = blank_figure(scale * (width + 3.5), scale * (kernel_size + 5.2))
    draw_cells(ax, [c.value for c in cells], [c.kind for c in cells], y=top, x0=x_matrix)
    ax.text(x_matrix - 0.3, top + 0.5, "padded input", ha="right", va="center", fontsize=9, color=FOREGROUND)
    for j in range(kernel_size):  # row j of the matrix: what tap j reads at every output
        draw_cells(ax, list(columns[j]), ["input"] * columns.shape[1], y=-j, x0=x_matrix)
    first = trace.steps[0]
    ax.add_patch(Rectangle((x_matrix, -kernel_size + 1), 1, kernel_size, fill=False, edgecolor=HIGHLIGHT, linewidth=2))
    for term in first.terms:  # the first window, joined to the first column
        ax.plot([x_matrix + term.cell + 0.5, x_matrix + 0.5], [top, 1.0], color=HIGHLIGHT, linewidth=0.8)
    draw_cells(ax, list(weight), ["output"] * kernel_size, y=-kernel_size / 2 + 0.5, x0=0)
    ax.text(kernel_size + 0.75, -kernel_size / 2 + 1, "@", ha="center", va="center", fontsize=12, color=FOREGROUND)
    y_out = -kernel_size - 0.6
    draw_cells(ax, list(output), ["output"] * len(output), y=y_out, x0=x_matrix)
    ax.text(x_matrix - 0.3, y_out + 0.5, "output =", ha="right", va="center", fontsize=9, color=FOREGROUND)
    ax.text(kernel_size / 2, -kernel_size / 2 + 1.8, "kernel", ha="center", fontsize=9, color=FOREGROUND)
    fit(figure, ax, (-0.4, width + 3), (y_out - 0.3, top + 1.4), scale=scale)
    column_text = "; ".join(
        f"column {t} holds {', '.join(fmt(v) for v in columns[:, t])}" for t in range(columns.shape[1])
    )
    description = (
        f"im2col on the input {', '.join(fmt(v) for v in input)} with padding {padding}, kernel size {kernel_size} "
        f"and stride {stride}: every window of the padded input is copied into one column of a {kernel_size} by "
        f"{columns.shape[1]} matrix ({column_text}). The kernel {', '.join(fmt(v) for v in weight)}, written as a "
        f"row, times that matrix gives the output {', '.join(fmt(v) for v in output)} in one matrix product."
    )
    return make_plot(figure, "im2col: one column per window, then one matrix product", description)


def crossover(input_length: int, kernel_sizes: Sequence[int]) -> int | None:
    """The smallest kernel size in ``kernel_sizes`` for which the FFT needs fewer multiplications than the loops.

    >>> crossover(4096, [3, 33, 65, 129])
    65
    """
    for kernel_size in kernel_sizes:
        out = input_length - kernel_size + 1
        if multiplications(input_length, kernel_size, out, "fft") < multiplications(
            input_length, kernel_size, out, "direct"
        ):
            return kernel_size
    return None


def costs(input_length: int = 4096, kernel_sizes: Sequence[int] = tuple(2**k + 1 for k in range(1, 11))) -> Any:
    """Multiplications per channel pair against kernel size, for the sliding window and for the FFT, on a log
    scale; computed by :func:`conv_docs.fast.multiplications`, not timed. Returns a ``Plot``."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from conv_docs.figures.kit import make_plot, style_chart
    from conv_docs.figures.svg import FOREGROUND, SERIES

    figure = Figure(figsize=(4.5, 3.6))
    ax = figure.add_subplot()
    curves = {}
    for k, (method, label) in enumerate((("direct", "loops or im2col: K per output"), ("fft", "FFT"))):
        counts = [multiplications(input_length, K, input_length - K + 1, method) for K in kernel_sizes]
        curves[method] = counts
        ax.plot(kernel_sizes, counts, color=SERIES[k], marker="o", markersize=3, label=label)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=10)
    ax.set_xticks(list(kernel_sizes), [str(K) if k % 2 == 0 else "" for k, K in enumerate(kernel_sizes)])
    ax.minorticks_off()
    # powers of ten in plain text at the tick size (mathtext would set the exponent smaller than a phone can read)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0e}".replace("e+0", "e")))
    ax.set_xlabel("kernel size K", color=FOREGROUND)
    ax.set_ylabel("multiplications", color=FOREGROUND)
    style_chart(ax)
    figure.tight_layout()
    cross = crossover(input_length, kernel_sizes)
    where = (
        f"the FFT needs fewer from kernel size {cross} on"
        if cross is not None
        else "the loops need fewer for every kernel size shown"
    )
    description = (
        f"Multiplications to convolve a signal of length {input_length} with kernels of size "
        f"{kernel_sizes[0]} to {kernel_sizes[-1]}, without padding. The loops grow with the kernel size, from "
        f"{curves['direct'][0]} to {curves['direct'][-1]}; the FFT stays between {min(curves['fft'])} and "
        f"{max(curves['fft'])}; {where}."
    )
    return make_plot(figure, f"Multiplications against kernel size, signal length {input_length}", description)
