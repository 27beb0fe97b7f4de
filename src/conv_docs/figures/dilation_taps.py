"""Dilation: the same kernel with its taps spread apart, one row per dilation, drawn from ``trace_conv1d``.

>>> [tap_cells(kernel_size=3, dilation=d) for d in (1, 2, 3)]
[(0, 1, 2), (0, 2, 4), (0, 3, 6)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conv_docs.trace import Trace, trace_conv1d

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot


def dilation_trace(kernel_size: int, dilation: int, input_length: int) -> Trace:
    """The trace of a kernel of ones with ``dilation`` on the input ``1, 2, ..., input_length``."""
    return trace_conv1d(list(range(1, input_length + 1)), [1] * kernel_size, dilation=dilation)


def tap_cells(kernel_size: int, dilation: int, input_length: int = 9) -> tuple[int, ...]:
    """The input positions the first output reads."""
    first = dilation_trace(kernel_size, dilation, input_length).steps[0]
    return tuple(term.cell for term in first.terms)


def taps(kernel_size: int = 3, dilations: Sequence[int] = (1, 2, 3), input_length: int = 9) -> Plot:
    """One row per dilation: the input and the windows of the first two steps."""
    from conv_docs.figures.kit import blank_figure, draw_trace_row, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND

    traces = [dilation_trace(kernel_size, d, input_length) for d in dilations]
    row_height = 3.0
    scale = min(0.5, 4.4 / (input_length + 0.8))  # inches per cell: the row fits a phone's column
    figure, ax = blank_figure(scale * (input_length + 0.8), scale * row_height * len(traces))
    sentences = []
    for k, trace in enumerate(traces):
        y = -k * row_height
        cells = tuple(term.cell for term in trace.steps[0].terms)
        span = cells[-1] - cells[0] + 1
        words = f"dilation {trace.dilation}: spans {span} cells"
        ax.text(0, y + 1.6, words, va="center", fontsize=10, color=FOREGROUND)
        draw_trace_row(ax, trace, y, steps=range(min(2, len(trace.steps))))
        sentences.append(
            f"dilation {trace.dilation}: the first output reads positions {', '.join(map(str, cells))}, "
            f"a window {span} cells wide, and there are {trace.output_length} outputs"
        )
    fit(figure, ax, (-0.2, input_length + 0.6), (-(len(traces) - 1) * row_height - 1.0, 2.0), scale=scale)
    description = (
        f"A kernel of {kernel_size} taps on an input of length {input_length}, with the windows of the first "
        "two steps. " + "; ".join(sentences) + "."
    )
    return make_plot(figure, f"Kernel size {kernel_size} at dilations {', '.join(map(str, dilations))}", description)
