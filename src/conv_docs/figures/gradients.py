"""The backward pass of ``conv1d`` drawn: the gradient ``g[t] = ∂L/∂y[t]`` that arrives at each output, and
what it becomes, ``∂L/∂x[i]`` for each input cell and ``∂L/∂w[j]`` for each weight.

Both come from traces: the input gradient is the trace of ``conv_transpose1d`` of ``g`` (each step is one
input cell and lists the ``g[t]*w[j]`` that reach it); the weight gradient gathers, for each tap ``j``, the
cells that tap read in the forward trace, each times the gradient of the output it fed.

>>> [step.output for step in input_gradient_trace([2, 3, 4], [1, 1], grad=[1], stride=2).steps]
[1.0, 1.0, 0.0]
>>> [total for _, total in weight_gradient_terms([2, 3, 4], [0.5, -1], grad=[1, 2])]
[8.0, 11.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conv_docs.params import output_length
from conv_docs.trace import Term, Trace, fmt, product, signed_sum, trace_conv1d, trace_conv_transpose1d

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot


def _check_grad(input: Sequence[float], weight: Sequence[float], grad: Sequence[float], **params: int) -> Trace:
    """The forward trace, after checking that ``grad`` has one value per output."""
    forward = trace_conv1d(input, weight, **params)
    if len(grad) != forward.output_length:
        raise ValueError(
            f"grad must have one value per output of the forward conv1d ({forward.output_length}), got {len(grad)}"
        )
    return forward


def input_gradient_trace(
    input: Sequence[float],
    weight: Sequence[float],
    grad: Sequence[float],
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
) -> Trace:
    """``∂L/∂x`` as the trace of ``conv_transpose1d(grad, weight)``, cut to the input's length by ``output_padding``.

    Step ``i`` is input cell ``i``; its terms are the ``g[t] * w[j]`` with ``t*stride + j*dilation - padding == i``.
    """
    _check_grad(input, weight, grad, stride=stride, padding=padding, dilation=dilation)
    back = output_length(len(grad), len(weight), stride, padding, dilation, transposed=True)
    return trace_conv_transpose1d(
        grad, weight, stride=stride, padding=padding, output_padding=len(input) - back, dilation=dilation
    )


def weight_gradient_terms(
    input: Sequence[float],
    weight: Sequence[float],
    grad: Sequence[float],
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
) -> list[tuple[list[tuple[int, Term]], float]]:
    """For each tap ``j``: the ``(t, term)`` of every forward step ``t`` that used ``w[j]``, and
    ``∂L/∂w[j] = sum of grad[t] * term.value``."""
    forward = _check_grad(input, weight, grad, stride=stride, padding=padding, dilation=dilation)
    taps: list[list[tuple[int, Term]]] = [[] for _ in weight]
    for step in forward.steps:
        for term in step.terms:
            taps[term.tap].append((step.position, term))
    return [(uses, sum(float(grad[t]) * term.value for t, term in uses)) for uses in taps]


def _cell_name(term: Term) -> str:
    return "0" if term.source is None else f"x[{term.source}]"


def _lines(text: str, width: int = 30) -> list[str]:
    from conv_docs.figures.steps import _wrapped

    return _wrapped(text, width)


def _width(blocks: list[list[str]], cells: float) -> float:
    """The figure's width in cells: the cells, or the widest line of text if it is wider."""
    from conv_docs.figures.steps import _text_cells

    widest = max(_text_cells(text, 10 if n == 0 else 9) for block in blocks for n, text in enumerate(block))
    return max(cells, widest) + 0.4


def _params(stride: int, padding: int, dilation: int) -> str:
    words = [f"stride {stride}"]
    if padding:
        words.append(f"padding {padding}")
    if dilation != 1:
        words.append(f"dilation {dilation}")
    return ", ".join(words)


def _values(values: Sequence[float]) -> str:
    return "[" + ", ".join(fmt(float(v)) for v in values) + "]"


def input_gradient(
    input: Sequence[float] = (2, 3, 4),
    weight: Sequence[float] = (1, 1),
    grad: Sequence[float] = (1,),
    stride: int = 2,
    padding: int = 0,
    dilation: int = 1,
) -> Plot:
    """``g = ∂L/∂y`` on top, each ``g[t]`` above the window of output ``t``; lines carry ``g[t]*w[j]`` down to
    the input cells, where ``∂L/∂x[i]`` adds them up; one formula per input cell below."""
    from matplotlib.patches import Rectangle

    from conv_docs.figures.kit import blank_figure, draw_cells, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND, HIGHLIGHT, MUTED

    back = input_gradient_trace(input, weight, grad, stride, padding, dilation)
    k, length = len(weight), len(input)
    x0 = padding  # input cell i sits at x0 + i; the padding cells (whose gradient is dropped) on either side
    span = length + 2 * padding
    formulas = []
    for step in back.steps:
        symbols = [product(f"g[{term.source}]", f"w{term.tap}") for term in step.terms]
        numbers = [product(fmt(term.value), fmt(term.weight)) for term in step.terms]
        head = f"∂L/∂x[{step.position}] = "
        if step.terms:
            formulas.append(
                _lines(head + signed_sum(symbols)) + _lines(f"= {signed_sum(numbers)} = {fmt(step.output)}")
            )
        else:
            formulas.append([head + "0", "(no window reads it)"])
    headers = [["g[t] = ∂L/∂y[t]", "∂L/∂x[i]: what input i receives"]]
    width = _width(formulas + headers, span)
    lines = sum(len(f) for f in formulas)
    line = 0.42
    figure, ax = blank_figure(0.5 * width, 0.5 * (6.4 + lines * line))
    ax.text(0, 1.95, headers[0][0], fontsize=10, color=FOREGROUND, va="center")
    for t, value in enumerate(grad):
        centre = t * stride + dilation * (k - 1) / 2 + 0.5  # above the middle of output t's window
        draw_cells(ax, [float(value)], ["output"], y=0, x0=centre - 0.5)
        ax.text(centre, 1.12, f"t={t}", ha="center", fontsize=9, color=MUTED, va="bottom")
        for j in range(k):
            target = t * stride + j * dilation + 0.5  # in padded coordinates
            ax.plot([centre, target], [0, -2], color=HIGHLIGHT, linewidth=1.1)
            ax.text((2 * target + centre) / 3, -1.35, f"w{j}", ha="center", fontsize=9, color=HIGHLIGHT, va="center")
    y = -3
    draw_cells(ax, [step.output for step in back.steps], ["input"] * length, y=y, x0=x0)
    for q in range(span):
        if not x0 <= q < x0 + length:  # a padding cell: its gradient is dropped
            ax.add_artist(Rectangle((q, y), 1, 1, facecolor="none", edgecolor=MUTED, linewidth=0.8, linestyle="--"))
            ax.text(q + 0.5, y + 0.5, "pad", ha="center", va="center", fontsize=9, color=MUTED)
    for i in range(length):
        ax.text(x0 + i + 0.5, y - 0.15, f"i={i}", ha="center", va="top", fontsize=9, color=MUTED)
    ax.text(0, y - 0.95, headers[0][1], fontsize=9, color=FOREGROUND, va="center")
    row = y - 1.6
    for block in formulas:
        for n, text in enumerate(block):
            ax.text(0, row, text, fontsize=10 if n == 0 else 9, color=FOREGROUND if n == 0 else MUTED, va="center")
            row -= line
    fit(figure, ax, (-0.2, width - 0.2), (row + 0.1, 2.3), scale=0.5)
    sentences = []
    for step in back.steps:
        parts = [f"g[{term.source}]*w{term.tap}" for term in step.terms]
        how = " + ".join(parts) if parts else "nothing (no window reads it)"
        sentences.append(f"∂L/∂x[{step.position}] = {how} = {fmt(step.output)}")
    title = (
        f"Backward pass of conv1d on {_values(input)}, kernel {k}, {_params(stride, padding, dilation)}: "
        f"∂L/∂x from g = ∂L/∂y = {_values(grad)}"
    )
    description = (
        f"The gradient g = {_values(grad)} arrives at the {len(grad)} output(s); each g[t] is sent back through "
        f"every weight w[j] (weights {_values(weight)}) to the input cell that tap read. " + "; ".join(sentences) + "."
    )
    return make_plot(figure, title, description)


def weight_gradient(
    input: Sequence[float] = (2, 3, 4),
    weight: Sequence[float] = (0.5, -1),
    grad: Sequence[float] = (1, 2),
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
) -> Plot:
    """One panel per weight ``w[j]``: the input cells it multiplied in the forward pass, each with the
    ``g[t]`` of the output it fed, and ``∂L/∂w[j]``, their sum of products."""
    from matplotlib.patches import Rectangle

    from conv_docs.figures.kit import blank_figure, draw_cells, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND, HIGHLIGHT, MUTED

    forward = trace_conv1d(input, weight, stride=stride, padding=padding, dilation=dilation)
    taps = weight_gradient_terms(input, weight, grad, stride, padding, dilation)
    cells = forward.cells[0]
    blocks = []
    for j, (uses, total) in enumerate(taps):
        symbols = [product(f"g[{t}]", _cell_name(term)) for t, term in uses]
        numbers = [product(fmt(float(grad[t])), fmt(term.value)) for t, term in uses]
        blocks.append(_lines(f"∂L/∂w{j} = {signed_sum(symbols)}") + _lines(f"= {signed_sum(numbers)} = {fmt(total)}"))
    line = 0.42
    panels = [3.4 + len(block) * line for block in blocks]
    width = _width([*blocks, [f"w{len(weight) - 1}: the cells it multiplied"]], len(cells))
    figure, ax = blank_figure(0.5 * width, 0.5 * (sum(panels) + 0.3))
    top = 0.0
    for j, ((uses, _), block, panel) in enumerate(zip(taps, blocks, panels, strict=True)):
        if j:
            ax.plot([0, width - 0.4], [top + 0.15, top + 0.15], color=MUTED, linewidth=0.5, linestyle=":")
        ax.text(0, top - 0.35, f"w{j}: the cells it multiplied", fontsize=10, color=FOREGROUND, va="center")
        y = top - 2.2
        draw_cells(ax, [c.value for c in cells], [c.kind for c in cells], y=y)
        for c in cells:
            name = f"x[{c.source}]" if c.kind == "input" else "pad 0"
            ax.text(c.position + 0.5, y - 0.15, name, ha="center", va="top", fontsize=9, color=MUTED)
        for t, term in uses:
            ax.add_artist(
                Rectangle((term.cell + 0.03, y + 0.03), 0.94, 0.94, facecolor="none", edgecolor=HIGHLIGHT, linewidth=2)
            )
            ax.text(term.cell + 0.5, y + 1.12, f"g[{t}]", ha="center", va="bottom", fontsize=9, color=HIGHLIGHT)
        row = y - 0.95
        for n, text in enumerate(block):
            ax.text(0, row, text, fontsize=10 if n == 0 else 9, color=FOREGROUND if n == 0 else MUTED, va="center")
            row -= line
        top -= panel
    fit(figure, ax, (-0.2, width - 0.2), (top - 0.1, 0.2), scale=0.5)
    sentences = [
        f"∂L/∂w{j} = " + " + ".join(f"g[{t}]*{_cell_name(term)}" for t, term in uses) + f" = {fmt(total)}"
        for j, (uses, total) in enumerate(taps)
    ]
    title = (
        f"Backward pass of conv1d on {_values(input)}, kernel {len(weight)}, {_params(stride, padding, dilation)}: "
        f"∂L/∂w from g = ∂L/∂y = {_values(grad)}"
    )
    description = (
        f"The gradient g = {_values(grad)} arrives at the outputs. Each weight w[j] multiplied one input cell per "
        "output in the forward pass; its gradient adds those cells up, each times the g[t] of its output. "
        + "; ".join(sentences)
        + ". The weights themselves do not appear."
    )
    return make_plot(figure, title, description)
