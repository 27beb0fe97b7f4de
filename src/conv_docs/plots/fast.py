"""im2col drawn: the padded input, the matrix of its windows (one column per output) and the product
with the kernel that gives the output. Cells come from the trace, columns from :func:`conv_docs.fast.im2col`.

>>> columns_of([2, 3, 4], kernel_size=2, stride=2, padding=1).tolist()
[[0.0, 3.0], [2.0, 4.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from conv_docs.fast import conv1d_im2col, im2col
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

    from conv_docs.plots.figure_kit import FOREGROUND, HIGHLIGHT, blank_figure, draw_cells, make_plot

    kernel_size = len(weight)
    trace = trace_conv1d(input, weight, stride=stride, padding=padding)
    columns = columns_of(input, kernel_size, stride, padding)
    output = conv1d_im2col([list(input)], [[list(weight)]], stride=stride, padding=padding)[0]
    cells = trace.cells[0]
    x_matrix = kernel_size + 1.5  # where the im2col matrix starts
    top = 1.8  # the padded input sits above the matrix
    width = max(len(cells), x_matrix + columns.shape[1] + 0.5)
    figure, ax = blank_figure(0.45 * (width + 3.5), 0.45 * (kernel_size + 5.2))
    draw_cells(ax, [c.value for c in cells], [c.kind for c in cells], y=top, x0=x_matrix)
    ax.text(x_matrix - 0.3, top + 0.5, "padded input", ha="right", va="center", fontsize=8, color=FOREGROUND)
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
    ax.text(x_matrix - 0.3, y_out + 0.5, "output =", ha="right", va="center", fontsize=8, color=FOREGROUND)
    ax.text(kernel_size / 2, -kernel_size / 2 + 1.8, "kernel", ha="center", fontsize=8, color=FOREGROUND)
    ax.set_xlim(-0.4, width + 3)
    ax.set_ylim(y_out - 0.3, top + 1.4)
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
