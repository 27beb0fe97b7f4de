"""Transposed convolution: which input lengths share one ``conv1d`` output length, and how ``output_padding``
picks one of them again. Every length comes from :func:`conv_docs.output_length`.

>>> [(row.input_length, row.output_length, row.output_padding) for row in length_round_trip(2, 2, lengths=[4, 5])]
[(4, 2, 0), (5, 2, 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from conv_docs.params import output_length


@dataclass(frozen=True)
class RoundTrip:
    """One input length through ``conv1d`` and back through ``conv_transpose1d``."""

    input_length: int
    output_length: int  # what conv1d gives
    output_padding: int  # what conv_transpose1d needs to give input_length back
    allowed: bool  # whether torch accepts that output_padding (it must be below stride or dilation)


def length_round_trip(
    kernel_size: int, stride: int, padding: int = 0, dilation: int = 1, lengths: Sequence[int] = range(6, 12)
) -> list[RoundTrip]:
    """For each input length: the ``conv1d`` output length and the ``output_padding`` that undoes it."""
    rows = []
    for length in lengths:
        out = output_length(length, kernel_size, stride, padding, dilation)
        back = output_length(out, kernel_size, stride, padding, dilation, transposed=True)
        extra = length - back
        rows.append(RoundTrip(length, out, extra, 0 <= extra < max(stride, dilation)))
    return rows


def round_trip(kernel_size: int = 3, stride: int = 3, padding: int = 0, lengths: Sequence[int] = range(6, 12)) -> Any:
    """Input lengths on the left, ``conv1d`` output lengths on the right; each arrow is labelled with the
    ``output_padding`` that brings ``conv_transpose1d`` back to its input length. Returns a ``Plot``."""
    from conv_docs.figures.kit import blank_figure, draw_cells, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND, HIGHLIGHT

    rows = length_round_trip(kernel_size, stride, padding, lengths=lengths)
    outs = sorted({row.output_length for row in rows})
    figure, ax = blank_figure(7.0, 0.42 * (len(rows) + 2))
    ax.text(0.5, 1.4, "L_in", ha="center", fontsize=9, color=FOREGROUND)
    ax.text(7.5, 1.4, "L_out of conv1d", ha="right", fontsize=9, color=FOREGROUND)
    for k, row in enumerate(rows):
        draw_cells(ax, [row.input_length], ["input"], y=-k)
    centre = {}  # the height of each output length: the middle of the input lengths that reach it
    for out in outs:
        members = [k for k, row in enumerate(rows) if row.output_length == out]
        centre[out] = -sum(members) / len(members)
        draw_cells(ax, [out], ["output"], y=centre[out], x0=6)
    for k, row in enumerate(rows):
        ax.annotate(
            "",
            xy=(6, centre[row.output_length] + 0.5),
            xytext=(1, -k + 0.5),
            arrowprops=dict(arrowstyle="-|>", color=HIGHLIGHT, linewidth=1.1),
        )
        label = f"output_padding={row.output_padding}"
        ax.text(-0.2, -k + 0.5, label, ha="right", va="center", fontsize=9, color=FOREGROUND)
    fit(figure, ax, (-3.6, 7.6), (-len(rows) + 0.6, 1.9), scale=0.4)
    groups = "; ".join(
        f"input lengths {', '.join(str(r.input_length) for r in rows if r.output_length == out)} all give {out}"
        for out in outs
    )
    description = (
        f"conv1d with kernel size {kernel_size}, stride {stride} and padding {padding} maps several input lengths "
        f"to one output length: {groups}. conv_transpose1d with the same arguments returns the shortest of each "
        "group; output_padding 0, 1, ... picks the longer ones."
    )
    title = f"Input lengths that share one output length (kernel {kernel_size}, stride {stride})"
    return make_plot(figure, title, description)
