"""Padding figures: the four padding modes side by side, and where ``"same"`` puts its zeros.

Every cell, window and output drawn comes from ``trace_conv1d``.

>>> [trace.output for trace in mode_traces([2, 3, 4], [1, 1], stride=2, padding=1)]
[((2.0, 7.0),), ((5.0, 7.0),), ((4.0, 7.0),), ((6.0, 7.0),)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conv_docs.params import PADDING_MODES
from conv_docs.trace import Trace, describe_cell, fmt, trace_conv1d

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot


def mode_traces(input: Sequence[float], weight: Sequence[float], stride: int = 1, padding: int = 1) -> list[Trace]:
    """One trace per padding mode, in the order of ``PADDING_MODES``."""
    return [trace_conv1d(input, weight, stride=stride, padding=padding, padding_mode=mode) for mode in PADDING_MODES]


def _padding_words(trace: Trace) -> str:
    cells = [cell for cell in trace.cells[0] if cell.kind != "input"]
    return ", ".join(f"{describe_cell(cell)} at position {cell.position}" for cell in cells)


def modes(
    input: Sequence[float] = (2, 3, 4), weight: Sequence[float] = (1, 1, 1), stride: int = 1, padding: int = 1
) -> Plot:
    """The padded input and the windows of every step, one row per padding mode, its name and output above it."""
    from conv_docs.figures.kit import blank_figure, draw_trace_row, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND

    traces = mode_traces(input, weight, stride, padding)
    width = len(traces[0].cells[0])
    steps = len(traces[0].steps)
    row_height = 2.5 + 0.36 * steps
    figure, ax = blank_figure(0.5 * (width + 2), 0.5 * row_height * len(traces))
    for k, trace in enumerate(traces):
        y = -k * row_height
        output = ", ".join(fmt(v) for v in trace.output[0])
        ax.text(0, y + 1.75, f"{trace.padding_mode}: output [{output}]", va="center", fontsize=10, color=FOREGROUND)
        draw_trace_row(ax, trace, y, x0=0)
    bottom = -(len(traces) - 1) * row_height - 0.36 * steps - 0.3
    fit(figure, ax, (-0.2, max(width + 1.6, 7.4)), (bottom, 2.1), scale=0.5)
    sentences = [
        f"{trace.padding_mode}: the padding holds {_padding_words(trace)}; the output is "
        f"{', '.join(fmt(v) for v in trace.output[0])}"
        for trace in traces
    ]
    title = f"The four padding modes on {list(traces[0].input[0])}"
    description = (
        f"Input {', '.join(fmt(v) for v in traces[0].input[0])} with padding {padding} on each side, "
        f"kernel {len(weight)}, stride {stride}, one row per mode. " + ". ".join(sentences) + "."
    )
    return make_plot(figure, title.replace(".0", ""), description)


def same_traces(input: Sequence[float], kernel_sizes: Sequence[int], dilation: int = 1) -> list[Trace]:
    """One ``padding="same"`` trace per kernel size, with all weights 1."""
    return [trace_conv1d(input, [1] * k, padding="same", dilation=dilation) for k in kernel_sizes]


def same(input: Sequence[float] = (1, 2, 3, 4), kernel_sizes: Sequence[int] = (3, 4), dilation: int = 1) -> Plot:
    """Where ``padding="same"`` puts its zeros for each kernel size, with every window."""
    from conv_docs.figures.kit import blank_figure, draw_trace_row, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND

    traces = same_traces(input, kernel_sizes, dilation)
    width = max(len(trace.cells[0]) for trace in traces)
    heights = [2.6 + 0.36 * len(trace.steps) for trace in traces]
    figure, ax = blank_figure(0.5 * (width + 2), 0.5 * sum(heights))
    y, sentences = 0.0, []
    for trace, height in zip(traces, heights, strict=True):
        left, right = trace.padding
        words = f"kernel {trace.kernel_size}: {left} left, {right} right"
        ax.text(0, y + 1.75, words, va="center", fontsize=10, color=FOREGROUND)
        draw_trace_row(ax, trace, y, x0=0)
        sentences.append(
            f"kernel {trace.kernel_size}: {left} zero(s) on the left and {right} on the right, "
            f"{trace.output_length} outputs"
        )
        y -= height
    fit(figure, ax, (-0.2, width + 1.6), (y + 1.9, 2.1), scale=0.5)
    description = (
        f'padding="same" on an input of length {len(input)}: ' + "; ".join(sentences) + ". "
        "When the total is odd, the extra zero goes on the right."
    )
    return make_plot(figure, 'Where padding="same" puts its zeros', description)
