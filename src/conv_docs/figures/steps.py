"""The step-by-step diagram of a convolution: one panel per output, drawn from its trace.

Each panel shows the (padded) input with the cells the step reads, the weight taps under them, the output
cell and the step's formula with its arithmetic. Importing this module imports matplotlib; ``import
conv_docs`` does not.

>>> from conv_docs import trace_conv1d
>>> plot = trace_plot(trace_conv1d([2, 3, 4], [1, 1], bias=0, stride=2, padding=1))
>>> plot.title
'conv1d of [2, 3, 4]: kernel 2, stride 2, padding 1'
"""

from __future__ import annotations

import re

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.textpath import TextToPath

from conv_docs.figures.svg import BACKGROUND, FOREGROUND, HIGHLIGHT, INPUT, MUTED, OUTPUT, PADDING, Plot
from conv_docs.params import shown
from conv_docs.trace import Cell, Step, Trace, describe, fmt

CELL_INCHES = 0.5
LINE = 0.42  # the height of one line of the formula, in cells
WRAP = 30  # characters in one line of the formula at most, when it can be broken
LABEL = 9  # points: the smallest text of the diagram (cell and row names)
FIT = 9.3  # cells: the widest a diagram may be and still show its smallest text at 9 px in a phone's 343 px column
MAX_DRAWN_CELLS = 200
"""The most cells one diagram draws, all panels together (steps times cells per panel). Every drawn cell costs
over 200 bytes of SVG, so a larger diagram would be refused anyway for passing ``MAX_SVG_BYTES``; it is refused
before it is drawn, which would take minutes for a long trace."""


def trace_plot(trace: Trace) -> Plot:
    """Draw a ``conv1d`` or ``conv_transpose1d`` trace, one panel per output step.

    Each panel shows the cells the convolution reads (padding cells dashed and labelled with what they hold),
    the kernel's taps ``w0``, ``w1``, ... over the cells this step reads, and the output cell it writes with
    its formula. Inputs that no step reads are marked "unread".

    >>> from conv_docs import trace_conv1d
    >>> plot = trace_plot(trace_conv1d([2, 3, 4], [1, 1], stride=2))
    >>> print(plot.description)
    Step 1: w0 and w1 read 2 and 3, giving 2*w0 + 3*w1 = 5. Input 4 (position 2) is never read.
    """
    if not isinstance(trace, Trace):
        raise TypeError(f"trace must be a Trace, got {shown(trace)} of type {type(trace).__name__}")
    drawn = len(trace.steps) * sum(len(cells) for cells in trace.cells)
    if drawn > MAX_DRAWN_CELLS:
        raise ValueError(
            f"the diagram would draw {len(trace.steps)} steps of {drawn // len(trace.steps)} cells = {drawn} cells, "
            f"more than MAX_DRAWN_CELLS = {MAX_DRAWN_CELLS}: draw a smaller example (fewer steps or channels)"
        )
    channels = len(trace.cells)
    n_cells = len(trace.cells[0])
    name = "y" if len(trace.output) == 1 else "y[{channel}]"
    left = 0.3 if channels == 1 else 1.45  # room for the channel names; "Step 1" stands above the taps
    cells_width = left + n_cells + 0.3
    # Beside: the output cell and the formula to the right of the cells, when all of it fits in FIT cells.
    # Otherwise the panel reflows: the output cell and its formula go under the cells, wrapped to fit.
    formulas = [_output_text(step, name) for step in trace.steps]
    text_width = _widest(formulas)
    beside = cells_width + 2.2 + text_width + 0.3 <= FIT
    if not beside:
        room = max(cells_width, FIT) - (left + 1.3 + 0.3)
        wrap = WRAP
        while text_width > room and wrap > 12:
            wrap -= 2
            formulas = [_output_text(step, name, wrap) for step in trace.steps]
            text_width = _widest(formulas)
    tallest = max((len(lines) for lines in formulas), default=1) * LINE
    row = 2.2  # one channel: the cell row, the taps above it, the labels below it
    labels = max(len(_cell_label(cell)) for cells in trace.cells for cell in cells)
    if beside:
        width = cells_width + 2.2 + text_width + 0.3
        panel = max(channels * row, tallest + 0.6) + 0.95
    else:
        width = max(cells_width, left + 1.3 + text_width + 0.3)
        under = 0.25 + 0.3 * labels  # the labels under the last cell row
        panel = 1.1 + channels * row - row + 1 + under + 0.3 + max(1.7, tallest + 0.2) + 0.2
    height = len(trace.steps) * panel + 0.1
    figure = Figure(figsize=(width * CELL_INCHES, height * CELL_INCHES), facecolor="none")
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(-height, 0)
    ax.set_aspect("equal")
    for k, step in enumerate(trace.steps):
        top = -k * panel - 0.15
        _draw_step(ax, trace, k, step, top, left, row, formulas[k], beside, labels)
        if k:
            ax.plot([0.1, width - 0.1], [top + 0.1, top + 0.1], color=MUTED, linewidth=0.5, linestyle=":")
    return Plot(figure=figure, title=trace_title(trace), description=describe(trace))


def trace_title(trace: Trace) -> str:
    """A short name for a trace's configuration, used as a figure's title and caption.

    >>> from conv_docs import trace_conv_transpose1d
    >>> trace_title(trace_conv_transpose1d([1, 2], [1, 1], stride=2))
    'conv_transpose1d of [1, 2]: kernel 2, stride 2'
    >>> trace_title(trace_conv_transpose1d([1, 2], [1, 1, 1], stride=2, padding=1))
    'conv_transpose1d of [1, 2]: kernel 3, stride 2, padding 1'
    """
    values = "; ".join("[" + ", ".join(fmt(v) for v in channel) + "]" for channel in trace.input)
    parts = [f"kernel {trace.kernel_size}", f"stride {trace.stride}"]
    left, right = trace.padding  # cells added around the input (conv1d)
    if left or right:
        parts.append(f"padding {left}" if left == right else f"padding ({left}, {right})")
    if trace.cropped:  # output cells conv_transpose1d's padding crops each end
        parts.append(f"padding {trace.cropped}")
    if trace.padding_mode != "zeros":
        parts.append(f"{trace.padding_mode} padding")
    if trace.dilation != 1:
        parts.append(f"dilation {trace.dilation}")
    if trace.output_padding:
        parts.append(f"output_padding {trace.output_padding}")
    if trace.groups != 1:
        parts.append(f"groups {trace.groups}")
    return f"{trace.op} of {values}: {', '.join(parts)}"


def _output_text(step: Step, name: str, wrap: int = WRAP) -> list[str]:
    """The formula, then the arithmetic after a line that starts with "=", each wrapped before a sign."""
    label = name.format(channel=step.channel) + f"[{step.position}]"
    lines = _wrapped(f"{label} = {step.formula()}", wrap)
    if step.terms or step.has_bias:
        lines += _wrapped(f"= {step.arithmetic()}", wrap)
    return lines


def _widest(formulas: list[list[str]]) -> float:
    """How many cells the widest line of the formulas takes."""
    return max((_text_cells(line, 10) for lines in formulas for line in lines), default=2.0)


def _text_cells(text: str, size: float) -> float:
    """How many cells a line of text takes, measured in matplotlib's font (wider than most sans-serif fonts).

    The width is the sum of the glyphs' advances, which the font gives directly: measuring the outlines of
    the glyphs instead would be a hundred times slower and as good.
    """
    width, _, _ = _MEASURE.get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
    return width / (CELL_INCHES * 72)


_MEASURE = TextToPath()


def _wrapped(text: str, width: int = WRAP) -> list[str]:
    """Break a long sum before a " + " or a " - ", so that a figure stays narrow enough to read on a small screen.

    >>> _wrapped("y = 1*w0 + 2*w1 - 3*w2", width=12)
    ['y = 1*w0', '+ 2*w1', '- 3*w2']
    """
    lines: list[str] = []
    pieces = re.split(r" (?=[+-] )", text)  # each piece after the first starts with its sign: "+ 2*w1"
    for piece in pieces:
        if lines and len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
    return lines


def _cell_label(cell: Cell, channel: str = "") -> list[str]:
    """What the small text under a cell says: its input index, or what the padding cell holds."""
    if cell.kind == "input":
        lines = [f"x{channel}[{cell.source}]"]
    elif cell.kind == "zeros":
        lines = ["pad 0"]
    else:
        verb = {"reflect": "reflects", "replicate": "copies", "circular": "wraps"}[cell.kind]
        lines = [verb, f"x{channel}[{cell.source}]"]
    return [*lines, "unread"] if not cell.read else lines


def _draw_step(
    ax,
    trace: Trace,
    k: int,
    step: Step,
    top: float,
    left: float,
    row: float,
    lines: list[str],
    beside: bool,
    labels: int,
) -> None:
    channels = len(trace.cells)
    head = 1.1  # room above the first row for the step's name and the taps
    ax.text(0.1, top - 0.35, f"Step {k + 1}", fontsize=10, fontweight="bold", color=FOREGROUND, va="center")
    # one channel: taps are named w0, w1, ...; several: the row says w[o][c][j] and each tap says j=0, j=1, ...
    read = {
        (term.channel, term.cell): step.weight_name(term) if step.single else f"j={term.tap}" for term in step.terms
    }
    rows = {term.channel: term.weight_index[:2] for term in step.terms}
    for c, cells in enumerate(trace.cells):
        y = top - head - c * row - 1  # bottom of the cell row
        if channels > 1:
            ax.text(0.1, y + 0.5, f"channel {c}", fontsize=LABEL, color=MUTED, va="center")
            if c in rows:
                out, inside = rows[c]
                ax.text(0.1, y + 1.2, f"w[{out}][{inside}][j]", fontsize=LABEL, color=HIGHLIGHT, va="bottom")
        for cell in cells:
            x = left + cell.position
            padding = cell.kind != "input"
            fill = PADDING.get(cell.kind, INPUT) if padding else INPUT
            unread = not cell.read
            # add_artist, not add_patch: the axes' limits are set already, they need not grow to fit each patch
            ax.add_artist(
                Rectangle(
                    (x + 0.04, y),
                    0.92,
                    1,
                    facecolor=BACKGROUND if unread else fill,
                    edgecolor=MUTED if unread else FOREGROUND,
                    linewidth=0.8,
                    linestyle="--" if padding or unread else "-",
                )
            )
            ax.text(x + 0.5, y + 0.5, fmt(cell.value), ha="center", va="center", fontsize=11, color=FOREGROUND)
            for n, line in enumerate(_cell_label(cell, f"[{c}]" if channels > 1 else "")):
                colour = FOREGROUND if line == "unread" else MUTED
                ax.text(x + 0.5, y - 0.16 - 0.3 * n, line, ha="center", va="top", fontsize=LABEL, color=colour)
            tap = read.get((c, cell.position))
            if tap is not None:
                ax.add_artist(
                    Rectangle(
                        (x + 0.01, y - 0.03),
                        0.98,
                        1.06,
                        facecolor="none",
                        edgecolor=HIGHLIGHT,
                        linewidth=2.2,
                    )
                )
                ax.text(x + 0.5, y + 1.2, tap, ha="center", va="bottom", fontsize=9, color=HIGHLIGHT)
        taps = sorted(left + position + 0.5 for (channel, position) in read if channel == c)
        if len(taps) > 1:  # the window: one bracket over every cell it spans, a tick on each cell it reads
            level = y + 1.12
            ax.plot([taps[0], taps[-1]], [level, level], color=HIGHLIGHT, linewidth=1.2)
            ax.plot(taps, [level] * len(taps), "|", color=HIGHLIGHT, markersize=4, markeredgewidth=1.2)
    # the output cell and its formula: beside the cells, or under them
    n_cells = len(trace.cells[0])
    if beside:
        middle = top - head - (channels * row - row) / 2 - 0.5
        x = left + n_cells + 0.3
        ax.annotate(
            "",
            xy=(x + 0.85, middle),
            xytext=(x, middle),
            arrowprops={"arrowstyle": "-|>", "color": HIGHLIGHT, "linewidth": 1.2, "shrinkA": 0, "shrinkB": 0},
        )
        x += 1.0
    else:
        bottom = top - head - (channels - 1) * row - 1 - (0.25 + 0.3 * labels)
        middle = bottom - 0.3 - 0.5
        x = left
    ax.add_artist(Rectangle((x, middle - 0.5), 1, 1, facecolor=OUTPUT, edgecolor=FOREGROUND, linewidth=0.8))
    ax.text(x + 0.5, middle, fmt(step.output), ha="center", va="center", fontsize=11, color=FOREGROUND)
    name = f"y[{step.position}]" if len(trace.output) == 1 else f"y[{step.channel}][{step.position}]"
    ax.text(x + 0.5, middle - 0.68, name, ha="center", va="top", fontsize=LABEL, color=MUTED)
    arithmetic = next((n for n, line in enumerate(lines) if line.startswith("= ")), len(lines))
    first = middle + (len(lines) - 1) * LINE / 2
    if not beside:
        first = max(first, middle + 0.3) if len(lines) > 2 else first
        # ...but never above the output cell's top: the labels of the cells above end there
        first = min(first, middle + 0.5 - LINE / 2)
    for n, line in enumerate(lines):
        size, colour = (10, FOREGROUND) if n < arithmetic else (9, MUTED)
        ax.text(x + 1.3, first - n * LINE, line, va="center", fontsize=size, color=colour)
