"""Transposed convolution drawn as what it is: every input cell scatters a weighted copy of the kernel, and
the same result as an ordinary convolution of a spread-out, padded input with the flipped kernel.

The copies come from :func:`conv_docs.trace_conv_transpose1d` (each of its terms is one ``x[i]*w[j]`` landing
on one output); the ordinary convolution is :func:`conv_docs.trace_conv1d` of :func:`spread_input`.

>>> [(q, kind) for q, kind in enumerate(grid_kinds(3, 2, stride=2, padding=1, output_padding=1))]
[(0, 'cropped'), (1, 'output'), (2, 'output'), (3, 'output'), (4, 'output'), (5, 'output_padding')]
>>> spread_input([2, 3, 4], kernel_size=2, stride=2, padding=1, output_padding=1)
([2.0, 0.0, 3.0, 0.0, 4.0, 0.0], ['input', 'inserted', 'input', 'inserted', 'input', 'padding'])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conv_docs.params import output_length
from conv_docs.trace import Trace, fmt, trace_conv1d, trace_conv_transpose1d

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot


def grid_kinds(
    input_length: int, kernel_size: int, stride: int = 1, padding: int = 0, output_padding: int = 0, dilation: int = 1
) -> list[str]:
    """What each position ``q`` of the uncropped output grid is: ``"output"``, ``"cropped"`` (cut off by
    ``padding``) or ``"output_padding"`` (a cell ``output_padding`` adds at the right end). Output ``o`` is
    grid position ``o + padding``; copies land at ``q = i*stride + j*dilation``."""
    out = output_length(
        input_length, kernel_size, stride, padding, dilation, transposed=True, output_padding=output_padding
    )
    last_copy = (input_length - 1) * stride + dilation * (kernel_size - 1)
    kinds = []
    for q in range(max(last_copy, padding + out - 1) + 1):
        o = q - padding
        if o < 0 or o >= out:
            kinds.append("cropped")
        elif o >= out - output_padding:
            kinds.append("output_padding")
        else:
            kinds.append("output")
    return kinds


def spread_input(
    input: Sequence[float], kernel_size: int, stride: int = 1, padding: int = 0, output_padding: int = 0,
    dilation: int = 1,
) -> tuple[list[float], list[str]]:  # fmt: skip
    """The input of the ordinary convolution that equals ``conv_transpose1d``: ``stride - 1`` zeros inserted
    between the cells, ``dilation*(kernel_size - 1) - padding`` zeros on each side and ``output_padding`` more on
    the right (a negative amount cuts cells off instead). Returns the values and each cell's kind."""
    values: list[float] = []
    kinds: list[str] = []
    for i, value in enumerate(input):
        if i:
            values += [0.0] * (stride - 1)
            kinds += ["inserted"] * (stride - 1)
        values.append(float(value))
        kinds.append("input")
    pad = dilation * (kernel_size - 1) - padding
    left, right = pad, pad + output_padding
    if left >= 0:
        values, kinds = [0.0] * left + values, ["padding"] * left + kinds
    else:
        values, kinds = values[-left:], kinds[-left:]
    if right >= 0:
        values, kinds = values + [0.0] * right, kinds + ["padding"] * right
    else:
        values, kinds = values[:right], kinds[:right]
    return values, kinds


def equivalent_trace(
    input: Sequence[float], weight: Sequence[float], stride: int = 1, padding: int = 0, output_padding: int = 0,
    dilation: int = 1,
) -> Trace:  # fmt: skip
    """The ordinary ``conv1d`` (stride 1) of :func:`spread_input` with the flipped kernel."""
    values, _ = spread_input(input, len(weight), stride, padding, output_padding, dilation)
    return trace_conv1d(values, list(weight)[::-1], dilation=dilation)


def _title(input: Sequence[float], weight: Sequence[float], stride: int, padding: int, op: int, d: int) -> str:
    words = [f"kernel {list(map(fmt, map(float, weight)))}".replace("'", ""), f"stride {stride}"]
    if padding:
        words.append(f"padding {padding}")
    if op:
        words.append(f"output_padding {op}")
    if d != 1:
        words.append(f"dilation {d}")
    return f"conv_transpose1d of [{', '.join(fmt(float(v)) for v in input)}], " + ", ".join(words)


def scatter(
    input: Sequence[float] = (2, 3, 4),
    weight: Sequence[float] = (1, 1),
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> Plot:
    """The input on top, each cell above the place its copy starts; one row per input cell with its copy
    ``x[i]*w[j]`` at ``i*stride + j*dilation``; the sum below, aligned with the copies, with the cells that
    ``padding`` crops and those ``output_padding`` adds marked."""
    from matplotlib.patches import Rectangle

    from conv_docs.figures.kit import blank_figure, draw_cells, fit, make_plot
    from conv_docs.figures.svg import BACKGROUND, FOREGROUND, HIGHLIGHT, MUTED, OUTPUT

    trace = trace_conv_transpose1d(
        input, weight, stride=stride, padding=padding, output_padding=output_padding, dilation=dilation
    )
    k = len(weight)
    kinds = grid_kinds(len(input), k, stride, padding, output_padding, dilation)
    width = len(kinds)
    # every copy, before padding crops any: the trace without padding has one step per grid position q
    full = trace_conv_transpose1d(input, weight, stride=stride, dilation=dilation)
    sums = [0.0] * width
    copies: dict[int, list] = {}
    for step in full.steps:
        for term in step.terms:  # one copy x[i]*w[j], landing on q = i*stride + j*dilation
            sums[step.position] += term.product
            copies.setdefault(term.source, []).append((step.position, term))
    pitch = 1.35
    rows = len(input)
    figure, ax = blank_figure(0.5 * (width + 2.4), 0.5 * (pitch * rows + 7))
    ax.text(0, 1.55, f"input x, weights w = [{', '.join(fmt(float(v)) for v in weight)}]", fontsize=10,
            color=FOREGROUND, va="center")  # fmt: skip
    for i, value in enumerate(input):
        draw_cells(ax, [float(value)], ["input"], y=0, x0=i * stride)
        ax.text(i * stride + 0.5, -0.12, f"x[{i}]", ha="center", va="top", fontsize=9, color=MUTED)
    for i in range(rows):
        y = -0.95 - pitch * (i + 1)
        cells = sorted(copies.get(i, []), key=lambda item: item[0])
        start = i * stride
        for q, term in cells:
            ax.add_artist(Rectangle((q, y), 1, 1, facecolor=BACKGROUND, edgecolor=HIGHLIGHT, linewidth=1.0))
            ax.text(q + 0.5, y + 0.5, fmt(term.product), ha="center", va="center", fontsize=10, color=FOREGROUND)
        last = max((q for q, _ in cells), default=start)
        ax.text(last + 1.15, y + 0.5, f"x[{i}]*w", va="center", fontsize=9, color=HIGHLIGHT)
    y = -0.95 - pitch * (rows + 1) - 0.3
    ax.plot([-0.1, width + 0.1], [y + 1.2, y + 1.2], color=FOREGROUND, linewidth=0.8)
    ax.text(width + 0.25, y + 1.2, "+", va="center", fontsize=10, color=FOREGROUND)
    outputs = []
    for q, kind in enumerate(kinds):
        if kind == "cropped":
            ax.add_artist(Rectangle((q, y), 1, 1, facecolor="none", edgecolor=MUTED, linewidth=0.8, linestyle="--"))
            ax.text(q + 0.5, y + 0.5, fmt(sums[q]), ha="center", va="center", fontsize=10, color=MUTED)
            ax.text(q + 0.5, y - 0.12, "cut", ha="center", va="top", fontsize=9, color=MUTED)
            continue
        outputs.append(sums[q])
        ax.add_artist(Rectangle((q, y), 1, 1, facecolor=OUTPUT, edgecolor=FOREGROUND, linewidth=0.8))
        if kind == "output_padding":
            ax.add_artist(Rectangle((q + 0.06, y + 0.06), 0.88, 0.88, facecolor="none", edgecolor=HIGHLIGHT,
                                    linewidth=1.6, linestyle=(0, (2, 1.5))))  # fmt: skip
        ax.text(q + 0.5, y + 0.5, fmt(sums[q]), ha="center", va="center", fontsize=10, color=FOREGROUND)
        ax.text(q + 0.5, y - 0.12, f"y[{q - padding}]", ha="center", va="top", fontsize=9, color=MUTED)
    legend = []
    if "cropped" in kinds:
        legend.append(f"cut: cropped by padding {padding}")
    if output_padding:
        legend.append(f"inner dashes: added by output_padding {output_padding}")
    for n, text in enumerate(legend):
        ax.text(0, y - 0.85 - 0.45 * n, text, va="center", fontsize=9, color=FOREGROUND)
    bottom = y - 0.85 - 0.45 * max(len(legend) - 1, 0) - 0.35 if legend else y - 0.6
    fit(figure, ax, (-0.2, max(width + 2.2, 7.2)), (bottom, 2.0), scale=0.5)
    expected = [step.output for step in trace.steps]
    if outputs != expected:  # the sums of the copies and the trace must agree, or the figure would lie
        raise ValueError(f"the copies add up to {outputs} but the trace gives {expected}")
    sentences = [
        f"x[{i}] = {fmt(float(input[i]))} writes "
        + ", ".join(f"{fmt(term.product)} at position {q - padding}" for q, term in copies.get(i, []))
        for i in range(rows)
    ]
    cut = [q - padding for q, kind in enumerate(kinds) if kind == "cropped"]
    extra = [q - padding for q, kind in enumerate(kinds) if kind == "output_padding"]
    notes = ""
    if cut:
        notes += f" Padding {padding} crops the copies at positions {', '.join(map(str, cut))}."
    if extra:
        notes += f" output_padding {output_padding} adds output position {', '.join(map(str, extra))} at the right."
    description = (
        "Each input cell scatters a copy of the kernel, times its value, starting at its position times the stride: "
        + "; ".join(sentences)
        + f". Added up, position by position, they give the output {', '.join(map(fmt, outputs))}."
        + notes
    )
    return make_plot(
        figure, "Scatter: " + _title(input, weight, stride, padding, output_padding, dilation), description
    )


def equivalent(
    input: Sequence[float] = (2, 3, 4),
    weight: Sequence[float] = (1, 2),
    stride: int = 2,
    padding: int = 1,
    output_padding: int = 1,
    dilation: int = 1,
) -> Plot:
    """The spread-out, padded input with the flipped kernel, and the window of every step of that ordinary
    convolution: its outputs are those of ``conv_transpose1d``."""
    from conv_docs.figures.kit import blank_figure, draw_cells, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND, HIGHLIGHT, MUTED

    values, kinds = spread_input(input, len(weight), stride, padding, output_padding, dilation)
    trace = equivalent_trace(input, weight, stride, padding, output_padding, dilation)
    direct = trace_conv_transpose1d(
        input, weight, stride=stride, padding=padding, output_padding=output_padding, dilation=dilation
    )
    if trace.output != direct.output:  # the figure claims they are equal: make sure
        raise ValueError(f"the ordinary convolution gives {trace.output}, conv_transpose1d {direct.output}")
    flipped = list(weight)[::-1]
    width = len(values)
    gap = 0.4
    steps = len(trace.steps)
    figure, ax = blank_figure(0.5 * (width + 1.6), 0.5 * (4.4 + gap * steps))
    names = ", ".join(f"w{j}" for j in reversed(range(len(weight))))
    ax.text(0, 2.1, f"kernel flipped: [{names}] = [{', '.join(fmt(float(v)) for v in flipped)}]", fontsize=10,
            color=FOREGROUND, va="center")  # fmt: skip
    kind_of = {"input": "input", "inserted": "zeros", "padding": "zeros"}
    draw_cells(ax, values, [kind_of[kind] for kind in kinds], y=0)
    index = 0
    for q, kind in enumerate(kinds):
        if kind == "input":
            label = f"x[{index}]"
            index += 1
        else:
            label = "ins" if kind == "inserted" else "pad"
        ax.text(q + 0.5, 1.12, label, ha="center", va="bottom", fontsize=9, color=MUTED)
    for row, step in enumerate(trace.steps):
        taps = sorted(term.cell + 0.5 for term in step.terms)
        level = -gap * (row + 1)
        ax.plot([taps[0], taps[-1]], [level, level], color=HIGHLIGHT, linewidth=1.6, solid_capstyle="round")
        ax.plot(taps, [level] * len(taps), "|", color=HIGHLIGHT, markersize=7, markeredgewidth=1.6)
        ax.text(taps[-1] + 0.25, level, f"→ y[{step.position}] = {fmt(step.output)}", va="center", fontsize=9,
                color=FOREGROUND)  # fmt: skip
    low = -gap * steps
    fit(figure, ax, (-0.2, max(width + 1.4, 8.0)), (low - 0.4, 2.5), scale=0.5)
    pad = dilation * (len(weight) - 1) - padding
    title = "The same as conv1d: " + _title(input, weight, stride, padding, output_padding, dilation)
    description = (
        f"conv_transpose1d as an ordinary convolution: {stride - 1} zero(s) inserted between the input cells, "
        f"{pad} zero(s) of padding on each side (dilation*(kernel_size - 1) - padding)"
        + (f" and {output_padding} more on the right for output_padding" if output_padding else "")
        + f", giving {', '.join(map(fmt, values))}; the kernel flipped to {', '.join(fmt(float(v)) for v in flipped)}; "
        f"stride 1. Its outputs {', '.join(fmt(v) for v in trace.output[0])} are those of conv_transpose1d."
    )
    return make_plot(figure, title, description)
