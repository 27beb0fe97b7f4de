"""Inline, themable SVG for every figure of the site, and the colours figures are drawn with.

Every figure function of the site returns a :class:`Plot`: a matplotlib figure with the title and the
description that become its accessible name and description. :func:`to_svg` turns a ``Plot`` into SVG that
can sit inline in a page: deterministic byte for byte, text kept as text, and colours swapped for CSS
variables so that the figure follows the site's light and dark palettes.

Importing this module imports matplotlib (with the Agg back end); ``import conv_docs`` does not.

>>> from conv_docs import trace_conv1d
>>> from conv_docs.figures.steps import trace_plot
>>> svg = to_svg(trace_plot(trace_conv1d([2, 3, 4], [1, 1], bias=0, stride=2, padding=1)))
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


def _raw_svg(figure: Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context(RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    return buffer.getvalue()


FONT = "font-family: var(--md-text-font-family, sans-serif)"


def to_svg(plot: Plot) -> str:
    """The figure as inline SVG: ``role="img"``, a ``<title>`` and a ``<desc>``, colours as CSS variables.

    The same plot gives the same bytes every time, and on every machine: coordinates are rounded to
    hundredths of a point, matplotlib's ids (hashed from unrounded floats, whose last bits depend on the SIMD
    path NumPy or torch took) are numbered in the order they appear, and the figure's own id is a hash of what
    is drawn, after that rounding. Raises ``ValueError`` if the SVG is over 30 KB.

    >>> from conv_docs import trace_conv1d
    >>> from conv_docs.figures.steps import trace_plot
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
    svg = round_coordinates(svg)
    svg = _merge_duplicate_definitions(svg)
    svg = number_ids(svg)
    # Every id gets the figure's prefix, to stay unique on a page that holds several figures. The prefix is a
    # hash of the finished figure, so it is written as a placeholder (a NUL, which no SVG text may hold) first.
    svg = re.sub(r'id="([^"]+)"', rf'id="{_PREFIX}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{_PREFIX}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{_PREFIX}-\1"', svg)
    # one class per distinct style, scoped to this figure (a <style> in inline SVG applies to the whole page)
    styles: dict[str, str] = {}

    def classed(match: re.Match[str]) -> str:
        name = styles.setdefault(match.group(1), f"s{len(styles)}")
        return f'class="{name}"'

    svg = re.sub(r'style="([^"]*)"', classed, svg)
    rules = "".join(f"#{_PREFIX} .{name}{{{style}}}" for style, name in styles.items())
    svg = re.sub(
        r"<style type=\"text/css\">\*\{([^}]*)\}</style>",
        lambda m: f"<style>#{_PREFIX}{{fill: var(--conv-fg, #000000)}}#{_PREFIX} *{{{m.group(1)}}}{rules}</style>",
        svg,
        count=1,
    )
    for _ in range(2):  # unwrap groups that hold a single element
        svg = re.sub(r"<g>\s*(<(path|text|use)\b[^<]*(?:/>|</\2>))\s*</g>", r"\1", svg)
    svg = re.sub(r"<g>\s*</g>", "", svg)
    svg = re.sub(r"\n\s*", "\n", svg)
    title, desc = html.escape(plot.title), html.escape(plot.description)
    head = f'<svg id="{_PREFIX}" class="conv-svg" role="img" aria-labelledby="{_PREFIX}-title {_PREFIX}-desc" '
    svg = svg.replace("<svg ", head, 1)
    end = svg.index(">", svg.index("<svg")) + 1
    labels = f'\n<title id="{_PREFIX}-title">{title}</title>\n<desc id="{_PREFIX}-desc">{desc}</desc>'
    svg = svg[:end] + labels + svg[end:]
    prefix = "f" + hashlib.sha256(svg.encode()).hexdigest()[:8]
    svg = svg.replace(_PREFIX, prefix)
    size = len(svg.encode())
    if size > MAX_SVG_BYTES:
        raise ValueError(
            f"the figure {plot.title!r} is {size} bytes of SVG, over the limit of {MAX_SVG_BYTES}: "
            "draw a smaller example (fewer steps or channels)"
        )
    return svg


_PREFIX = "\0"  # stands for the figure's id until the figure is finished

# Attributes that hold coordinates (the <svg> element's own size is left as it is: it comes from the figure size).
_COORDINATES = re.compile(r'\b(d|x|y|x1|y1|x2|y2|cx|cy|r|width|height|points|transform)="([^"]*)"')
_NUMBER = re.compile(r"-?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?|-?\d+[eE][-+]?\d+")


def round_coordinates(svg: str) -> str:
    """Round every coordinate after the ``<svg>`` tag to hundredths of a point (far below what anyone sees).

    Rounding, not cutting: a coordinate computed as 215.99999999999997 on one machine and 216.00000000000003
    on another is ``216`` on both.

    >>> round_coordinates('<svg width="356.1625pt"><path d="M 3.6 215.99999999999997 L 1e-05 -0.001 "/></svg>')
    '<svg width="356.1625pt"><path d="M 3.6 216 L 0 0 "/></svg>'
    >>> round_coordinates('<svg><text x="212.404" y="80.4549" transform="rotate(-90 14.4 69.60000001)">a</text></svg>')
    '<svg><text x="212.4" y="80.45" transform="rotate(-90 14.4 69.6)">a</text></svg>'
    """
    end = svg.index(">", svg.index("<svg")) + 1 if "<svg" in svg else 0

    def number(match: re.Match[str]) -> str:
        text = f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text

    def attribute(match: re.Match[str]) -> str:
        return f'{match.group(1)}="{_NUMBER.sub(number, match.group(2))}"'

    return svg[:end] + _COORDINATES.sub(attribute, svg[end:])


# matplotlib's ids: a type letter (p: clip path, m: marker, h: hatch) or a path collection's C<n>_<n>_, then ten
# hex digits of a hash of the element's unrounded geometry.
_HASHED_ID = re.compile(r"\b(?:[phm]|C[0-9a-f]+_[0-9a-f]+_)[0-9a-f]{10}\b")
_ID_NAMES = {"p": "clip", "m": "marker", "h": "hatch"}


def number_ids(svg: str) -> str:
    """Replace matplotlib's hashed ids by names numbered in the order they first appear.

    >>> number_ids('<use xlink:href="#m0a1b2c3d4e"/><g clip-path="url(#p9f8e7d6c5b)"/><path id="m0a1b2c3d4e"/>')
    '<use xlink:href="#marker1"/><g clip-path="url(#clip1)"/><path id="marker1"/>'
    """
    names: dict[str, str] = {}
    counts: dict[str, int] = {}

    def named(match: re.Match[str]) -> str:
        old = match.group(0)
        if old not in names:
            kind = _ID_NAMES.get(old[0], "path")
            counts[kind] = counts.get(kind, 0) + 1
            names[old] = f"{kind}{counts[kind]}"
        return names[old]

    return _HASHED_ID.sub(named, svg)


_CLIP_DEFINITION = re.compile(r'\s*<clipPath id="([^"]+)">(.*?)</clipPath>', re.S)
_PATH_DEFINITION = re.compile(r'\s*<path id="([^"]+)"([^>]*)/>')


def _merge_duplicate_definitions(svg: str) -> str:
    """Keep one clip path or marker of each shape, once rounded: matplotlib keeps two if their unrounded
    floats differ in the last bits on this machine, where another machine would have kept one."""
    for pattern in (_CLIP_DEFINITION, _PATH_DEFINITION):
        first: dict[str, str] = {}
        renamed: dict[str, str] = {}
        for match in pattern.finditer(svg):
            name, body = match.groups()
            kept = first.setdefault(body, name)
            if kept != name:
                renamed[name] = kept
        for name, kept in renamed.items():
            svg = re.sub(rf'\s*<(clipPath|path) id="{re.escape(name)}"(?:[^>]*/>|>.*?</clipPath>)', "", svg, flags=re.S)
            svg = svg.replace(f"#{name})", f"#{kept})").replace(f'"#{name}"', f'"#{kept}"')
    return svg


def legible_width(svg: str, smallest_px: float = MIN_TEXT_PX) -> int:
    """The width in CSS pixels below which the figure's smallest text would be under ``smallest_px``.

    The figures of the site are drawn so that this stays within a phone's column (about 343 px), where they
    shrink with the column and never scroll; tests/test_browser_figures.py measures them in a browser.

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


def _themed(match: re.Match[str]) -> str:
    colour = match.group(0)
    variable = THEME.get(colour)
    return f"var({variable}, {colour})" if variable else colour


def save(plot: Plot, path: str | Path) -> None:
    """Write the figure to ``path``: ``.svg`` (exactly :func:`to_svg`) or ``.png``.

    >>> import tempfile
    >>> from conv_docs import trace_conv1d
    >>> from conv_docs.figures.steps import trace_plot
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
