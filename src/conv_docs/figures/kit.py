"""What the guide's figures share: a blank figure, rows of cells, and wrapping into a ``Plot``.

Colours are those of ``conv_docs.figures.svg``, so that ``to_svg`` themes them for the light and dark palettes.

Importing this module imports matplotlib (with the Agg back end); ``import conv_docs`` does not.

>>> figure, ax = blank_figure(4, 1)
>>> len(draw_cells(ax, [2.0, 3.0], ["input", "zeros"], y=0))
2
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from conv_docs.figures.svg import FOREGROUND, HIGHLIGHT, INPUT, MUTED, OUTPUT, PADDING, Plot
from conv_docs.trace import Trace, fmt


def blank_figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure of ``width`` x ``height`` inches with one frameless axes, one data unit per cell."""
    figure = Figure(figsize=(width, height))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_aspect("equal")
    return figure, ax


def draw_cells(
    ax: Axes,
    values: Sequence[float],
    kinds: Sequence[str],
    y: float,
    x0: float = 0.0,
    labels: Sequence[str] | None = None,
) -> list[Rectangle]:
    """Draw one row of unit cells from ``x0`` at height ``y``, filled by kind, each with its value written in it."""
    cells = []
    for k, (value, kind) in enumerate(zip(values, kinds, strict=True)):
        fill = INPUT if kind == "input" else PADDING.get(kind, OUTPUT if kind == "output" else PADDING["zeros"])
        dashed = kind in PADDING
        cell = Rectangle(
            (x0 + k, y), 1, 1, facecolor=fill, edgecolor=FOREGROUND, linewidth=0.8, linestyle="--" if dashed else "-"
        )
        ax.add_patch(cell)
        text = labels[k] if labels is not None else fmt(value)
        ax.text(x0 + k + 0.5, y + 0.5, text, ha="center", va="center", fontsize=10, color=FOREGROUND)
        cells.append(cell)
    return cells


def make_plot(figure: Figure, title: str, description: str) -> Plot:
    """Wrap a figure as a ``conv_docs.figures.svg.Plot``."""
    return Plot(figure=figure, title=title, description=description)


def draw_trace_row(
    ax: Axes,
    trace: Trace,
    y: float,
    x0: float = 0.0,
    steps: Sequence[int] | None = None,
    channel: int = 0,
    gap: float = 0.36,
) -> float:
    """Draw the cells of ``trace`` (one channel) at height ``y`` and, below them, the window of each step.

    A window is a line under the cells its taps read, with a tick at each tap, labelled with the step's
    output; windows of successive steps are stacked ``gap`` apart. ``steps`` picks step indices (all by
    default). Returns the lowest height used.
    """
    cells = trace.cells[channel]
    draw_cells(ax, [cell.value for cell in cells], [cell.kind for cell in cells], y, x0)
    for cell in cells:
        if not cell.read and cell.kind == "input":
            ax.text(x0 + cell.position + 0.5, y + 1.15, "never read", ha="center", fontsize=9, color=MUTED)
        elif cell.kind != "input":
            copied = "zero" if cell.source is None else f"x[{cell.source}]"
            ax.text(x0 + cell.position + 0.5, y + 1.15, copied, ha="center", fontsize=9, color=MUTED)
    chosen = range(len(trace.steps)) if steps is None else steps
    low = y
    for row, k in enumerate(chosen):
        step = trace.steps[k]
        taps = sorted(x0 + term.cell + 0.5 for term in step.terms if term.channel == channel)
        level = y - gap * (row + 1)
        ax.plot([taps[0], taps[-1]], [level, level], color=HIGHLIGHT, linewidth=1.6, solid_capstyle="round")
        ax.plot(taps, [level] * len(taps), "|", color=HIGHLIGHT, markersize=7, markeredgewidth=1.6)
        ax.text(taps[-1] + 0.25, level, f"→ {fmt(step.output)}", va="center", fontsize=9, color=FOREGROUND)
        low = level
    return low


def fit(figure: Figure, ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float], scale: float = 0.5) -> None:
    """Show ``xlim`` x ``ylim`` at ``scale`` inches per cell, with the figure cut to exactly that size."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    figure.set_size_inches(scale * (xlim[1] - xlim[0]), scale * (ylim[1] - ylim[0]))


def style_chart(ax: Axes, columns: int = 1) -> None:
    """A line chart's axes in the diagram colours: a faint grid, ticks and frame in the text colour, and the
    legend under the axes in ``columns`` columns, so that it never hides a curve in a figure narrow enough
    for a phone."""
    ax.grid(True, axis="y", color=MUTED, linewidth=0.3)
    ax.tick_params(colors=FOREGROUND, labelsize=9)
    for spine in ax.spines.values():
        spine.set_color(FOREGROUND)
    ax.legend(
        frameon=False, fontsize=9, labelcolor=FOREGROUND, loc="upper left", bbox_to_anchor=(0, -0.22), ncols=columns
    )
