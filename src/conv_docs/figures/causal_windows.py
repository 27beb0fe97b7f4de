"""Causal figures: "same" against causal padding, and a dilated causal stack in the style of WaveNet.

Which cell feeds which comes from ``trace_causal_conv1d`` and ``trace_conv1d``.

>>> cone = stack_cone(dilations=(1, 2), kernel_size=2, length=8)
>>> sorted(cone[0])  # the inputs the last output of the top layer depends on
[4, 5, 6, 7]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conv_docs.causal import trace_causal_conv1d
from conv_docs.trace import Trace, fmt, trace_conv1d

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot


def layer_links(kernel_size: int, dilation: int, length: int) -> dict[int, tuple[int, ...]]:
    """For one causal layer: output position -> the input positions it reads (padding zeros left out)."""
    trace = trace_causal_conv1d([0.0] * length, [1.0] * kernel_size, dilation=dilation)
    return {step.position: tuple(t.source for t in step.terms if t.source is not None) for step in trace.steps}


def stack_cone(dilations: Sequence[int], kernel_size: int, length: int) -> list[set[int]]:
    """The positions, layer by layer (0 is the input), that the last output of the top layer depends on."""
    cone = [{length - 1}]
    for dilation in reversed(dilations):
        links = layer_links(kernel_size, dilation, length)
        cone.append({i for position in cone[-1] for i in links[position]})
    return cone[::-1]


def stack(dilations: Sequence[int] = (1, 2, 4, 8), kernel_size: int = 2, length: int = 16) -> Plot:
    """Every layer's positions as dots, and the links that feed the last output of the top layer."""
    from conv_docs.figures.kit import blank_figure, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND, HIGHLIGHT, MUTED, OUTPUT

    cone = stack_cone(dilations, kernel_size, length)
    layers = len(dilations) + 1
    pitch = 2.2  # the height between layers, in time steps
    figure, ax = blank_figure(0.25 * (length + 3), 0.25 * pitch * (layers + 0.6))
    for layer in range(1, layers):
        links = layer_links(kernel_size, dilations[layer - 1], length)
        for position in sorted(cone[layer]):
            for source in links[position]:
                ax.plot([source, position], [(layer - 1) * pitch, layer * pitch], color=HIGHLIGHT, linewidth=1.2)
    for layer in range(layers):
        y = layer * pitch
        inside = sorted(cone[layer])
        outside = [p for p in range(length) if p not in cone[layer]]
        ax.plot(outside, [y] * len(outside), "o", markersize=5, markerfacecolor="none", markeredgecolor=MUTED)
        colour = OUTPUT if layer == layers - 1 else HIGHLIGHT
        ax.plot(inside, [y] * len(inside), "o", markersize=6, color=colour, markeredgecolor=FOREGROUND)
        name = "input" if layer == 0 else f"d={dilations[layer - 1]}"
        ax.text(-0.8, y, name, ha="right", va="center", fontsize=10, color=FOREGROUND)
    ax.annotate("", xy=(length - 0.5, -1.0), xytext=(-0.5, -1.0),
                arrowprops={"arrowstyle": "->", "color": MUTED})  # fmt: skip
    ax.text(length / 2 - 0.5, -1.4, "time", ha="center", va="top", fontsize=10, color=MUTED)
    fit(figure, ax, (-3.4, length), (-2.6, (layers - 1) * pitch + 0.7), scale=0.25)
    field = len(cone[0])
    description = (
        f"{len(dilations)} causal layers with kernel size {kernel_size} and dilations "
        f"{', '.join(map(str, dilations))} over {length} time steps. The last output of the top layer depends on "
        f"{field} input positions, from {min(cone[0])} to {max(cone[0])}, and on none after it."
    )
    return make_plot(figure, f"A dilated causal stack: the last output sees {field} inputs", description)


def comparison_traces(input: Sequence[float], weight: Sequence[float]) -> tuple[Trace, Trace]:
    """The ``padding="same"`` trace and the causal trace of the same input and kernel."""
    return trace_conv1d(input, weight, padding="same"), trace_causal_conv1d(input, weight)


def same_against_causal(
    input: Sequence[float] = (1, 2, 3, 4, 5), weight: Sequence[float] = (1, 1, 1), position: int = 2
) -> Plot:
    """The window of one output under ``padding="same"`` and under causal padding."""
    from conv_docs.figures.kit import blank_figure, draw_trace_row, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND

    traces = comparison_traces(input, weight)
    shift = max(t.padding[0] for t in traces)
    width = shift + max(len(t.cells[0]) - t.padding[0] for t in traces)
    pitch = 2.9
    figure, ax = blank_figure(0.5 * (width + 2), 0.5 * 2 * pitch)
    sentences = []
    # "now": the right edge of input `position`, the last cell a causal output may read
    now = shift + position + 1
    for k in range(2):  # through each row of cells, clear of the windows' labels under them
        y = -k * pitch
        ax.plot([now, now], [y - 0.1, y + 2.25], color=FOREGROUND, linewidth=1.1, linestyle=(0, (3, 2)))
    ax.text(now + 0.1, 2.15, f"now (t = {position})", va="top", fontsize=9, color=FOREGROUND)
    for k, (name, trace) in enumerate(zip(('"same"', "causal"), traces, strict=True)):
        y = -k * pitch
        ax.text(0, y + 1.75, f"{name} padding", va="center", fontsize=10, color=FOREGROUND)
        x0 = shift - trace.padding[0]  # line the inputs up, one above the other
        draw_trace_row(ax, trace, y, x0=x0, steps=[position])
        step = trace.steps[position]
        read = [term.source for term in step.terms if term.source is not None]
        sentences.append(
            f"with {name} padding ({trace.padding[0]} left, {trace.padding[1]} right) output {position} reads "
            f"inputs {', '.join(fmt(trace.input[0][i]) for i in read)} (positions {', '.join(map(str, read))})"
        )
    fit(figure, ax, (-0.2, width + 0.4), (-pitch - 0.8, 2.3), scale=0.5)
    description = (
        "; ".join(sentences) + f". A dashed line marks now, the end of input {position}: only the causal window "
        f"stays left of it, leaving out every input after position {position}."
    )
    return make_plot(figure, f'Output {position} under "same" and under causal padding', description)


def steps(input: Sequence[float] = (2, 3, 4), weight: Sequence[float] = (1, 1), dilation: int = 1) -> Plot:
    """The step-by-step diagram of a causal convolution (padding on the left only)."""
    from conv_docs.figures.steps import trace_plot
    from conv_docs.figures.svg import Plot

    plot = trace_plot(trace_causal_conv1d(input, weight, dilation=dilation))
    return Plot(plot.figure, "Causal " + plot.title, plot.description)
