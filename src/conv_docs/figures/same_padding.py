"""TF / Keras / JAX ``"SAME"`` with a stride: where its zeros go, against ``nn.Conv1d``'s symmetric padding.

Every cell, window and output drawn comes from ``conv_docs.porting.trace_padded_conv1d`` and ``trace_conv1d``.

>>> [t.padding for t in comparison_traces([1, 2, 3, 4, 5, 6], [1, 1, 1], stride=2)]
[(0, 1), (1, 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conv_docs.porting import same_padding, trace_padded_conv1d
from conv_docs.trace import Trace, fmt, trace_conv1d

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot


def comparison_traces(input: Sequence[float], weight: Sequence[float], stride: int = 2) -> list[Trace]:
    """The ``"SAME"`` trace, and the ``nn.Conv1d`` trace with ``padding = (K-1)//2`` on both sides."""
    padding = same_padding(len(input), len(weight), stride)
    return [
        trace_padded_conv1d(input, weight, padding, stride=stride),
        trace_conv1d(input, weight, stride=stride, padding=(len(weight) - 1) // 2),
    ]


def _windows(trace: Trace) -> str:
    parts = []
    for step in trace.steps:
        read = [term.source for term in step.terms]
        cells = ", ".join("0" if i is None else fmt(trace.input[0][i]) for i in read)
        parts.append(f"output {step.position} reads {cells} and gives {fmt(step.output)}")
    return "; ".join(parts)


def same_against_symmetric(
    input: Sequence[float] = (1, 2, 3, 4, 5, 6), weight: Sequence[float] = (1, 1, 1), stride: int = 2
) -> Plot:
    """Two rows: ``"SAME"`` (its padding from the length and the stride) and ``nn.Conv1d(padding=(K-1)//2)``."""
    from conv_docs.figures.kit import blank_figure, draw_trace_row, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND

    traces = comparison_traces(input, weight, stride)
    shift = max(t.padding[0] for t in traces)
    width = shift + max(len(t.cells[0]) - t.padding[0] for t in traces)
    steps = max(len(t.steps) for t in traces)
    row = 2.5 + 0.36 * steps  # the row's name and output above it, its windows and outputs under it
    figure, ax = blank_figure(0.4 * (width + 2), 0.4 * 2 * row)
    names = ['"SAME"', f"padding={traces[1].padding[0]}"]
    sentences = []
    for k, (name, trace) in enumerate(zip(names, traces, strict=True)):
        y = -k * row
        left, right = trace.padding
        outputs = ", ".join(fmt(v) for v in trace.output[0])
        label = f"{name}: pads {left} left, {right} right → [{outputs}]"
        ax.text(0, y + 1.75, label, va="center", fontsize=10, color=FOREGROUND)
        draw_trace_row(ax, trace, y, x0=shift - left)
        sentences.append(f"{name} pads {left} on the left and {right} on the right: {_windows(trace)}")
    # 0.4 inch a cell: narrow enough for a phone's column with every label at 10 px or more
    fit(figure, ax, (-0.2, max(width + 1.6, 9.4)), (-row - 0.36 * steps - 0.3, 2.1), scale=0.4)
    values = ", ".join(fmt(v) for v in input)
    description = (
        f"Input {values}, kernel {len(weight)} (every weight 1), stride {stride}. " + ". ".join(sentences) + "."
    )
    title = f'"SAME" with stride {stride} against nn.Conv1d padding={traces[1].padding[0]}'
    return make_plot(figure, title, description)


def steps(input: Sequence[float] = (1, 2, 3, 4, 5, 6), weight: Sequence[float] = (1, 1, 1), stride: int = 2) -> Plot:
    """The step-by-step diagram of ``"SAME"`` with a stride: ``F.pad(x, (left, right))``, then ``conv1d``."""
    from conv_docs.figures.steps import trace_plot
    from conv_docs.figures.svg import Plot

    plot = trace_plot(trace_padded_conv1d(input, weight, same_padding(len(input), len(weight), stride), stride=stride))
    return Plot(plot.figure, '"SAME" ' + plot.title, plot.description)
