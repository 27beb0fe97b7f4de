"""Gridding: the input cells one output of a dilated stack depends on, one row per dilation schedule, with the
holes that dilations sharing a factor leave. Computed by :func:`conv_docs.receptive_field.holes`.

>>> [["#" if seen else "." for seen in row] for row in depends_on(2, [[2, 4], [1, 2]])]
[['#', '.', '#', '.', '#', '.', '#'], ['#', '#', '#', '#']]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conv_docs.receptive_field import Layer, holes, receptive_field

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot


def _stacks(kernel_size: int, dilations: Sequence[Sequence[int]]) -> list[list[Layer]]:
    schedules = [list(schedule) for schedule in dilations]
    if not schedules or not all(schedules):
        raise ValueError(f"dilations must be a non-empty list of non-empty lists of dilations, got {dilations!r}")
    return [[Layer(kernel_size, dilation=d) for d in schedule] for schedule in schedules]


def depends_on(kernel_size: int, dilations: Sequence[Sequence[int]]) -> list[list[bool]]:
    """For each schedule of dilations, one entry per cell of the receptive field of output 0: whether the output
    depends on that cell (False: a hole)."""
    rows = []
    for layers in _stacks(kernel_size, dilations):
        gaps = set(holes(layers))
        rows.append([cell not in gaps for cell in range(receptive_field(layers))])
    return rows


def gridding(kernel_size: int = 3, dilations: Sequence[Sequence[int]] = ((2, 2, 2), (1, 2, 4))) -> Plot:
    """One row per schedule: the cells of the receptive field of one output, those it depends on numbered and
    filled, the holes left blank and grey."""
    from conv_docs.figures.kit import blank_figure, draw_cells, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND

    stacks = _stacks(kernel_size, dilations)
    rows = depends_on(kernel_size, dilations)
    width = max(len(row) for row in rows)
    row_height = 2.4  # a row of cells and its caption above
    scale = min(0.42, 4.4 / (width + 0.8))  # inches per cell: the widest row fits a phone's column
    figure, ax = blank_figure(scale * (width + 0.8), scale * row_height * len(rows))
    sentences = []
    for k, (layers, row) in enumerate(zip(stacks, rows, strict=True)):
        y = -k * row_height
        schedule = ", ".join(str(layer.dilation) for layer in layers)
        gaps = [cell for cell, seen in enumerate(row) if not seen]
        count = f"{len(gaps)} hole{'s' if len(gaps) != 1 else ''}" if gaps else "no holes"
        words = f"dilations {schedule}: {len(row)} cells, {count}"
        ax.text(0, y + 1.25, words, va="bottom", fontsize=10, color=FOREGROUND)
        labels = [str(cell) if seen else "" for cell, seen in enumerate(row)]
        draw_cells(ax, [0.0] * len(row), ["input" if seen else "idle" for seen in row], y, labels=labels)
        sentence = f"dilations {schedule}: a receptive field of {len(row)} cells, "
        if gaps:
            sentence += f"of which the output depends on {len(row) - len(gaps)}; holes at {', '.join(map(str, gaps))}"
        else:
            sentence += "every one of which the output depends on"
        sentences.append(sentence)
    fit(figure, ax, (-0.4, width + 0.4), (-(len(rows) - 1) * row_height - 0.3, 2.1), scale=scale)
    description = (
        f"Stacks of convolutions with kernel size {kernel_size}, one per row; in each, the cells of the input that "
        "one output depends on are numbered, and the cells inside its receptive field that it skips (holes) are "
        "left blank. " + "; ".join(sentences) + "."
    )
    title = f"Holes in the receptive field: kernel size {kernel_size}, " + " against ".join(
        f"dilations {', '.join(str(layer.dilation) for layer in layers)}" for layers in stacks
    )
    return make_plot(figure, title, description)
