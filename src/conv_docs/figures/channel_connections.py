"""Which input channels each output channel reads, for a given ``groups``: drawn from ``trace_conv1d``.

>>> sorted(connections_of(in_channels=4, out_channels=2, groups=2))
[(0, 0), (1, 0), (2, 1), (3, 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conv_docs.trace import Trace, trace_conv1d

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot


def channel_trace(in_channels: int, out_channels: int, groups: int = 1, kernel_size: int = 1) -> Trace:
    """The trace of one window of a layer with these channels: inputs and weights all 1, input as long as the kernel."""
    weight = [[[1.0] * kernel_size] * (in_channels // groups)] * out_channels
    return trace_conv1d([[1.0] * kernel_size] * in_channels, weight, groups=groups)


def connections_of(in_channels: int, out_channels: int, groups: int = 1) -> set[tuple[int, int]]:
    """The (input channel, output channel) pairs joined by at least one weight."""
    trace = channel_trace(in_channels, out_channels, groups)
    return {(term.channel, step.channel) for step in trace.steps for term in step.terms}


def weight_count(in_channels: int, out_channels: int, groups: int, kernel_size: int) -> int:
    """How many distinct weights the steps of the layer use (biases left out).

    >>> weight_count(4, 4, groups=2, kernel_size=3)
    24
    """
    trace = channel_trace(in_channels, out_channels, groups, kernel_size)
    return len({term.weight_index for step in trace.steps for term in step.terms})


def connections(
    in_channels: int = 4, out_channels: int = 4, groups: Sequence[int] = (1, 2, 4), kernel_size: int = 3
) -> Plot:
    """One panel per ``groups`` value: input channels on the left, output channels on the right."""
    from conv_docs.figures.kit import blank_figure, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND, INPUT, OUTPUT, SERIES

    panels = [(g, connections_of(in_channels, out_channels, g)) for g in groups]
    size = 10  # pt: three panels across a phone's column are drawn at about 0.8 of their size, their text at 10 px+
    height = max(in_channels, out_channels)
    figure, ax = blank_figure(2.3 * len(panels), 0.42 * (height + 2.2))
    sentences = []
    for k, (g, pairs) in enumerate(panels):
        x0 = 4.6 * k

        def y_of(index: int, count: int) -> float:
            return -(index - (count - 1) / 2)

        for ci, co in sorted(pairs):
            group = co // (out_channels // g)
            ax.plot([x0 + 0.3, x0 + 2.7], [y_of(ci, in_channels), y_of(co, out_channels)],
                    color=SERIES[group % len(SERIES)], linewidth=1.2)  # fmt: skip
        for ci in range(in_channels):
            ax.plot(x0, y_of(ci, in_channels), "o", markersize=17, markerfacecolor=INPUT, markeredgecolor=FOREGROUND)
            ax.text(x0, y_of(ci, in_channels), f"x{ci}", ha="center", va="center", fontsize=size, color=FOREGROUND)
        for co in range(out_channels):
            ax.plot(
                x0 + 3, y_of(co, out_channels), "o", markersize=17, markerfacecolor=OUTPUT, markeredgecolor=FOREGROUND
            )
            ax.text(x0 + 3, y_of(co, out_channels), f"y{co}", ha="center", va="center", fontsize=size, color=FOREGROUND)
        weights = weight_count(in_channels, out_channels, g, kernel_size)
        ax.text(x0 + 1.5, height / 2 + 0.5, f"groups={g}", ha="center", fontsize=size, color=FOREGROUND)
        ax.text(x0 + 1.5, -height / 2 - 0.6, f"{weights} weights", ha="center", fontsize=size, color=FOREGROUND)
        sentences.append(
            f"groups={g}: each output channel reads {in_channels // g} of the {in_channels} input channels, "
            f"{len(pairs)} connections, {weights} weights with kernel size {kernel_size}"
        )
    span = 4.6 * (len(panels) - 1) + 4.2
    scale = min(0.5, 4.6 / span)  # inches per unit: every panel fits a phone's column
    fit(figure, ax, (-0.6, span - 0.6), (-height / 2 - 1.0, height / 2 + 1.0), scale=scale)
    description = (
        f"{in_channels} input channels (x0, x1, ...) joined to {out_channels} output channels (y0, y1, ...); "
        f"each line stands for {kernel_size} weights. " + "; ".join(sentences)
    )
    title = f"{in_channels} input channels to {out_channels} output channels"
    title += f", groups={groups[0]}" if len(groups) == 1 else ", by groups"
    return make_plot(figure, title, description + ".")
