"""Figures drawn from a trace: the step-by-step diagram, and inline, themable SVG for any figure.

Every figure function of the site returns a :class:`Plot`: a matplotlib figure with the title and the
description that become its accessible name and description. :func:`to_svg` turns a ``Plot`` into SVG that
can sit inline in a page: deterministic byte for byte, text kept as text, and colours swapped for CSS
variables so that the figure follows the site's light and dark palettes.

Importing this module imports matplotlib (with the Agg back end); ``import conv_docs`` does not.

>>> from conv_docs import trace_conv1d
>>> plot = trace_plot(trace_conv1d([2, 3, 4], [1, 1], bias=0, stride=2, padding=1))
>>> plot.title
'conv1d of [2, 3, 4]: kernel 2, stride 2, padding 1'
>>> svg = to_svg(plot)
>>> svg.startswith("<svg") and 'role="img"' in svg and "Step 1: w0 and w1 read the padding zero and 2" in svg
True
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.textpath import TextToPath

from conv_docs.trace import Cell, Step, Trace, describe, fmt

MAX_SVG_BYTES = 30_000
MIN_TEXT_PX = 10  # on a page, no text of a figure is shown smaller than this (CSS pixels)
SAVE_SUFFIXES = (".svg", ".png")

# Draw with these colours; to_svg swaps each for a CSS variable (keeping the colour as the fallback), and the
# site's stylesheet gives every variable a value for the light and for the dark palette.
FOREGROUND = "#000000"
MUTED = "#808080"
BACKGROUND = "#ffffff"
INPUT = "#c5cae9"
PADDING = {"zeros": "#eeeeee", "reflect": "#ffe0b2", "replicate": "#c8e6c9", "circular": "#f8bbd0"}
HIGHLIGHT = "#3f51b5"
OUTPUT = "#ffcc80"
SERIES = ("#3f51b5", "#e65100", "#2e7d32", "#ad1457", "#00838f")

THEME = {
    FOREGROUND: "--conv-fg",
    MUTED: "--conv-muted",
    BACKGROUND: "--conv-bg",
    INPUT: "--conv-input",
    PADDING["zeros"]: "--conv-pad-zeros",
    PADDING["reflect"]: "--conv-pad-reflect",
    PADDING["replicate"]: "--conv-pad-replicate",
    PADDING["circular"]: "--conv-pad-circular",
    HIGHLIGHT: "--conv-accent",
    OUTPUT: "--conv-output",
    SERIES[1]: "--conv-series-2",
    SERIES[2]: "--conv-series-3",
    SERIES[3]: "--conv-series-4",
    SERIES[4]: "--conv-series-5",
}

RC = {
    "svg.fonttype": "none",  # text stays text: selectable, searchable, and small
    "svg.hashsalt": "conv-docs",  # clip-path ids do not change from one build to the next
    "svg.id": None,
    "font.size": 10,
}


@dataclass(frozen=True)
class Plot:
    """A figure with its accessible name (``title``, also the visible caption) and ``description``."""

    figure: Figure
    title: str
    description: str


# --- the step-by-step diagram -----------------------------------------------------------------------------------

CELL_INCHES = 0.5
LINE = 0.42  # the height of one line of the formula, in cells
WRAP = 30  # characters in one line of the formula at most, when it can be broken
LABEL = 8  # points: the smallest text of the diagram (cell and row names)


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
    channels = len(trace.cells)
    n_cells = len(trace.cells[0])
    name = "y" if len(trace.output) == 1 else "y[{channel}]"
    formulas = [_output_text(step, name) for step in trace.steps]
    text_width = max((_text_cells(line, 10) for lines in formulas for line in lines), default=2.0)
    tallest = max((len(lines) for lines in formulas), default=1) * LINE
    left = 0.3 if channels == 1 else 1.45  # room for the channel names; "Step 1" stands above the taps
    width = left + n_cells + 1.2 + 1 + 0.3 + text_width + 0.3
    row = 2.2  # one channel: the cell row, the taps above it, the labels below it
    panel = max(channels * row, tallest + 0.6) + 0.95
    height = len(trace.steps) * panel + 0.1
    figure = Figure(figsize=(width * CELL_INCHES, height * CELL_INCHES), facecolor="none")
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(-height, 0)
    ax.set_aspect("equal")
    for k, step in enumerate(trace.steps):
        top = -k * panel - 0.15
        _draw_step(ax, trace, k, step, top, left, row, formulas[k])
        if k:
            ax.plot([0.1, width - 0.1], [top + 0.1, top + 0.1], color=MUTED, linewidth=0.5, linestyle=":")
    return Plot(figure=figure, title=trace_title(trace), description=describe(trace))


def trace_title(trace: Trace) -> str:
    """A short name for a trace's configuration, used as a figure's title and caption.

    >>> from conv_docs import trace_conv_transpose1d
    >>> trace_title(trace_conv_transpose1d([1, 2], [1, 1], stride=2))
    'conv_transpose1d of [1, 2]: kernel 2, stride 2'
    """
    values = "; ".join("[" + ", ".join(fmt(v) for v in channel) + "]" for channel in trace.input)
    parts = [f"kernel {trace.kernel_size}", f"stride {trace.stride}"]
    left, right = trace.padding
    if left or right:
        parts.append(f"padding {left}" if left == right else f"padding ({left}, {right})")
    if trace.padding_mode != "zeros":
        parts.append(f"{trace.padding_mode} padding")
    if trace.dilation != 1:
        parts.append(f"dilation {trace.dilation}")
    if trace.output_padding:
        parts.append(f"output_padding {trace.output_padding}")
    if trace.groups != 1:
        parts.append(f"groups {trace.groups}")
    return f"{trace.op} of {values}: {', '.join(parts)}"


def _output_text(step: Step, name: str) -> list[str]:
    """The formula, then the arithmetic after a line that starts with "=", each wrapped at a " + "."""
    label = name.format(channel=step.channel) + f"[{step.position}]"
    lines = _wrapped(f"{label} = {step.formula()}")
    if step.terms or step.has_bias:
        lines += _wrapped(f"= {step.arithmetic()}")
    return lines


def _text_cells(text: str, size: float) -> float:
    """How many cells a line of text takes, measured in matplotlib's font (wider than most sans-serif fonts).

    The width is the sum of the glyphs' advances, which the font gives directly: measuring the outlines of
    the glyphs instead would be a hundred times slower and as good.
    """
    width, _, _ = _MEASURE.get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
    return width / (CELL_INCHES * 72)


_MEASURE = TextToPath()


def _wrapped(text: str, width: int = WRAP) -> list[str]:
    """Break a long sum before a " + ", so that a figure stays narrow enough to read on a small screen.

    >>> _wrapped("y = 1*w0 + 2*w1 + 3*w2", width=12)
    ['y = 1*w0', '+ 2*w1', '+ 3*w2']
    """
    lines: list[str] = []
    for term in text.split(" + "):
        if lines and len(lines[-1]) + 3 + len(term) <= width:
            lines[-1] += " + " + term
        else:
            lines.append(term if not lines else "+ " + term)
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


def _draw_step(ax, trace: Trace, k: int, step: Step, top: float, left: float, row: float, lines: list[str]) -> None:
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
    # the output cell and its formula
    n_cells = len(trace.cells[0])
    middle = top - head - (channels * row - row) / 2 - 0.5
    x = left + n_cells + 0.3
    ax.annotate(
        "",
        xy=(x + 0.85, middle),
        xytext=(x, middle),
        arrowprops={"arrowstyle": "-|>", "color": HIGHLIGHT, "linewidth": 1.2, "shrinkA": 0, "shrinkB": 0},
    )
    x += 1.0
    ax.add_artist(Rectangle((x, middle - 0.5), 1, 1, facecolor=OUTPUT, edgecolor=FOREGROUND, linewidth=0.8))
    ax.text(x + 0.5, middle, fmt(step.output), ha="center", va="center", fontsize=11, color=FOREGROUND)
    name = f"y[{step.position}]" if len(trace.output) == 1 else f"y[{step.channel}][{step.position}]"
    ax.text(x + 0.5, middle - 0.68, name, ha="center", va="top", fontsize=LABEL, color=MUTED)
    arithmetic = next((n for n, line in enumerate(lines) if line.startswith("= ")), len(lines))
    first = middle + (len(lines) - 1) * LINE / 2
    for n, line in enumerate(lines):
        size, colour = (10, FOREGROUND) if n < arithmetic else (9, MUTED)
        ax.text(x + 1.3, first - n * LINE, line, va="center", fontsize=size, color=colour)


# --- SVG and files -------------------------------------------------------------------------------------------------


def _raw_svg(figure: Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context(RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    return buffer.getvalue()


FONT = "font-family: var(--md-text-font-family, sans-serif)"


def to_svg(plot: Plot) -> str:
    """The figure as inline SVG: ``role="img"``, a ``<title>`` and a ``<desc>``, colours as CSS variables.

    The same plot gives the same bytes every time. Raises ``ValueError`` if the SVG is over 30 KB.

    >>> from conv_docs import trace_conv1d
    >>> plot = trace_plot(trace_conv1d([2, 3, 4], [1, 1], stride=2))
    >>> to_svg(plot) == to_svg(plot)
    True
    """
    svg = _raw_svg(plot.figure)
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r' id="(figure|axes|patch|line2d|text|matplotlib\.axis|legend|PathCollection|Line2D)_?[^"]*"', "", svg)
    svg = re.sub(r' transform="rotate\(-?0 [^)]*\)"', "", svg)
    svg = re.sub(r"font-family: [^;\"]*", FONT, svg)
    svg = re.sub(r"\s*\n\s*(?=[LMCzQ\"])", " ", svg)  # path data on one line
    svg = re.sub(r'\s*<path d="[^"]*" style="fill: none"/>', "", svg, count=1)  # the transparent background
    svg = re.sub(r"#[0-9a-f]{6}\b", _themed, svg)
    svg = _drop_full_clips(svg)
    # keep ids unique on a page that holds several figures
    prefix = "f" + hashlib.sha256(f"{plot.title}\n{plot.description}\n{svg}".encode()).hexdigest()[:8]
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', svg)
    # one class per distinct style, scoped to this figure (a <style> in inline SVG applies to the whole page)
    styles: dict[str, str] = {}

    def classed(match: re.Match[str]) -> str:
        name = styles.setdefault(match.group(1), f"s{len(styles)}")
        return f'class="{name}"'

    svg = re.sub(r'style="([^"]*)"', classed, svg)
    rules = "".join(f"#{prefix} .{name}{{{style}}}" for style, name in styles.items())
    svg = re.sub(
        r"<style type=\"text/css\">\*\{([^}]*)\}</style>",
        lambda m: f"<style>#{prefix}{{fill: var(--conv-fg, #000000)}}#{prefix} *{{{m.group(1)}}}{rules}</style>",
        svg,
        count=1,
    )
    for _ in range(2):  # unwrap groups that hold a single element
        svg = re.sub(r"<g>\s*(<(path|text|use)\b[^<]*(?:/>|</\2>))\s*</g>", r"\1", svg)
    svg = re.sub(r"<g>\s*</g>", "", svg)
    svg = re.sub(r'\b(d|x|y)="([^"]*)"', _rounded, svg)
    svg = re.sub(r"\n\s*", "\n", svg)
    title, desc = html.escape(plot.title), html.escape(plot.description)
    head = f'<svg id="{prefix}" class="conv-svg" role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
    svg = svg.replace("<svg ", head, 1)
    end = svg.index(">", svg.index("<svg")) + 1
    labels = f'\n<title id="{prefix}-title">{title}</title>\n<desc id="{prefix}-desc">{desc}</desc>'
    svg = svg[:end] + labels + svg[end:]
    size = len(svg.encode())
    if size > MAX_SVG_BYTES:
        raise ValueError(
            f"the figure {plot.title!r} is {size} bytes of SVG, over the limit of {MAX_SVG_BYTES}: "
            "draw a smaller example (fewer steps or channels)"
        )
    return svg


def legible_width(svg: str, smallest_px: float = MIN_TEXT_PX) -> int:
    """The width in CSS pixels below which the figure's smallest text would be under ``smallest_px``.

    A page shows the figure at least this wide and lets it scroll sideways on a narrower screen.

    >>> legible_width('<svg viewBox="0 0 300 100"><style>.a{font-size: 7.5px}</style></svg>')
    400
    """
    box = re.search(r'viewBox="0 0 ([\d.]+) ', svg)
    sizes = [float(size) for size in re.findall(r"font-size: ?([\d.]+)px", svg)]
    if box is None or not sizes:
        return 0
    return round(float(box.group(1)) * smallest_px / min(sizes))


def _drop_full_clips(svg: str) -> str:
    """Remove clip paths that cover the whole figure: they clip nothing and cost bytes on every element."""
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if box is None:
        return svg
    width, height = box.groups()
    rect = f'<rect x="0" y="0" width="{re.escape(width)}" height="{re.escape(height)}"/>'
    full = rf'\s*<clipPath id="([^"]+)">\s*{rect}\s*</clipPath>'
    for name in re.findall(full, svg):
        svg = svg.replace(f' clip-path="url(#{name})"', "")
    svg = re.sub(full, "", svg)
    return re.sub(r"\s*<defs>\s*</defs>", "", svg)


def _rounded(match: re.Match[str]) -> str:
    """Coordinates to two decimals (a hundredth of a point is far below what anyone sees)."""
    short = re.sub(r"(\d\.\d\d)\d+", r"\1", match.group(2))
    return f'{match.group(1)}="{short}"'


def _themed(match: re.Match[str]) -> str:
    colour = match.group(0)
    variable = THEME.get(colour)
    return f"var({variable}, {colour})" if variable else colour


def save(plot: Plot, path: str | Path) -> None:
    """Write the figure to ``path``: ``.svg`` (exactly :func:`to_svg`) or ``.png``.

    >>> import tempfile
    >>> from conv_docs import trace_conv1d
    >>> folder = Path(tempfile.mkdtemp())
    >>> save(trace_plot(trace_conv1d([2, 3, 4], [1])), folder / "k1.svg")
    >>> (folder / "k1.svg").read_text().startswith("<svg")
    True
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        path.write_text(to_svg(plot), encoding="utf-8")
    elif suffix == ".png":
        with matplotlib.rc_context(RC):
            plot.figure.savefig(path, format="png", dpi=150, metadata={"Software": None}, facecolor="white")
    else:
        allowed = ", ".join(repr(s) for s in SAVE_SUFFIXES)
        raise ValueError(f"path must end with one of {allowed}, got {str(path)!r}")
