"""The overlap count of transposed convolutions, one row per (kernel_size, stride), and resize-then-convolve.

The counts come from :func:`conv_docs.overlap.overlap_count` and :func:`conv_docs.overlap.resize_count`.

>>> rows = count_rows(4, settings=[(3, 2)], resize=(3, 2))
>>> [(name, counts, even) for name, counts, even in rows]  # doctest: +NORMALIZE_WHITESPACE
[('kernel 3, stride 2', [1, 1, 2, 1, 2, 1, 2, 1, 1], False),
 ('nearest x2, then kernel 3', [2, 3, 3, 3, 3, 3, 3, 2], True)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conv_docs.overlap import overlap_count, overlap_pattern, resize_count

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot


def count_rows(
    length: int, settings: Sequence[Sequence[int]], resize: Sequence[int] | None = None
) -> list[tuple[str, list[int], bool]]:
    """A name, the counts, and whether the counts are even away from the ends, for each row: ``conv_transpose1d``
    with each ``(kernel_size, stride)`` on ``length`` inputs, then, if ``resize`` is ``(kernel_size, scale)``,
    nearest-neighbour upsampling and ``conv1d`` (which reads a whole window away from the ends: even)."""
    rows = []
    for kernel_size, stride in settings:
        even = len(set(overlap_pattern(kernel_size, stride))) == 1
        rows.append((f"kernel {kernel_size}, stride {stride}", overlap_count(length, kernel_size, stride), even))
    if resize is not None:
        kernel_size, scale = resize
        rows.append((f"nearest x{scale}, then kernel {kernel_size}", resize_count(length, kernel_size, scale), True))
    return rows


def counts(
    length: int = 4,
    settings: Sequence[Sequence[int]] = ((2, 2), (3, 2), (4, 2), (5, 3), (6, 3)),
    resize: Sequence[int] | None = (3, 2),
) -> Plot:
    """One row of cells per setting, each cell an output with the number of terms added into it; in every row
    the outputs with the most terms are filled, the others left grey, so that uneven rows show as stripes."""
    from conv_docs.figures.kit import blank_figure, draw_cells, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND

    rows = count_rows(length, settings, resize)
    width = max(len(values) for _, values, _ in rows)
    pitch = 2.0  # a row of cells and its name above it
    scale = 0.25  # inches per cell: 15 cells and their names fit a phone's column
    figure, ax = blank_figure(scale * width, scale * pitch * len(rows))
    sentences = []
    for number, (name, values, even) in enumerate(rows):
        y = -number * pitch
        most = max(values)
        ax.text(0, y + 1.45, name, va="center", fontsize=10, color=FOREGROUND)
        draw_cells(ax, values, ["output" if v == most else "zeros" for v in values], y)
        evenness = "even" if even else "uneven"
        sentences.append(f"{name}: {', '.join(map(str, values))} ({evenness} away from the ends)")
    fit(figure, ax, (-0.1, width + 0.1), (-(len(rows) - 1) * pitch - 0.15, 2.0), scale=scale)
    description = (
        f"Terms added into each output, for an input of {length} cells. "
        + "; ".join(sentences)
        + ". In each row the outputs with the most terms are filled."
    )
    return make_plot(figure, "How many terms land on each output", description)
