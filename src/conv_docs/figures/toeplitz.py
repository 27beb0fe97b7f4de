"""Convolution as a matrix: the grid of kernel taps of ``conv1d`` next to its transpose, read off the trace.

>>> tap_grid(3, kernel_size=2, stride=2, padding=1)
[['w1', '', ''], ['', 'w0', 'w1']]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from conv_docs.trace import trace_conv1d


def tap_grid(length: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> list[list[str]]:
    """Row ``t``, column ``i``: the name of the tap with which output ``t`` reads input ``i`` ('' for none)."""
    trace = trace_conv1d(np.zeros(length), np.zeros(kernel_size), stride=stride, padding=padding, dilation=dilation)
    grid = [[""] * length for _ in range(trace.output_length)]
    for step in trace.steps:
        for term in step.terms:
            if term.source is not None:
                grid[step.position][term.source] = step.weight_name(term)
    return grid


def _draw_grid(ax: Any, grid: list[list[str]], x0: float, title: str) -> None:
    from conv_docs.figures.kit import draw_cells
    from conv_docs.figures.svg import FOREGROUND

    for r, row in enumerate(grid):
        draw_cells(ax, [0.0] * len(row), ["input" if name else "zeros" for name in row], y=-r, x0=x0, labels=row)
    ax.text(x0 + len(grid[0]) / 2, 1.2, title, ha="center", va="bottom", fontsize=10, color=FOREGROUND)


def toeplitz(length: int = 5, kernel_size: int = 2, stride: int = 1, padding: int = 0, dilation: int = 1) -> Any:
    """The matrix ``M`` of ``conv1d`` (one row per output, one column per input) and ``M.T``, the matrix of
    ``conv_transpose1d``. Returns a ``Plot``."""
    from conv_docs.figures.kit import blank_figure, fit, make_plot

    grid = tap_grid(length, kernel_size, stride, padding, dilation)
    transposed = [list(column) for column in zip(*grid, strict=True)]
    rows, columns = len(grid), len(grid[0])
    gap = 1.5
    scale = min(0.45, 4.4 / (columns + gap + rows + 1.2))  # inches per cell: both fit a phone's column
    figure, ax = blank_figure(scale * (columns + rows + gap + 1.2), scale * (max(rows, columns) + 2.6))
    _draw_grid(ax, grid, 0, f"M, {rows} x {columns}: conv1d")
    _draw_grid(ax, transposed, columns + gap, f"M.T, {columns} x {rows}:\nconv_transpose1d")
    fit(figure, ax, (-0.6, columns + gap + rows + 0.6), (-max(rows, columns) + 0.8, 2.8), scale=scale)
    row_text = "; ".join(
        f"row {r}: " + ", ".join(f"{name} at column {i}" for i, name in enumerate(row) if name)
        for r, row in enumerate(grid)
    )
    description = (
        f"The {rows} by {columns} matrix of conv1d with kernel size {kernel_size}, stride {stride}, padding "
        f"{padding} and dilation {dilation} on an input of length {length}. Each row is one output and holds the "
        f"kernel taps where that output reads the input ({row_text}); empty cells are zeros. Next to it, its "
        f"{columns} by {rows} transpose, the matrix of conv_transpose1d: each row is now one input cell of conv1d, "
        "listing the outputs it fed."
    )
    return make_plot(figure, f"conv1d as a {rows} x {columns} matrix, and its transpose", description)
