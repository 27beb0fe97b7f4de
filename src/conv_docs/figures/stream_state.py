"""A streaming causal layer across chunks: the state it starts each chunk with, the chunk, and what it writes.

Every row comes from running :class:`conv_docs.streaming.StreamingConv1d` chunk by chunk.

>>> [(state, chunk, out) for state, chunk, out in stream_rows([2, 3, 4, 5], [1, 1, 1], chunks=[3, 1])]
[([0.0, 0.0], [2.0, 3.0, 4.0], [2.0, 5.0, 9.0]), ([3.0, 4.0], [5.0], [12.0])]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conv_docs.causal import causal_conv1d
from conv_docs.streaming import StreamingConv1d
from conv_docs.trace import fmt

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot


def stream_rows(
    input: Sequence[float], weight: Sequence[float], chunks: Sequence[int], dilation: int = 1
) -> list[tuple[list[float], list[float], list[float]]]:
    """For each chunk: the layer's state before it, the chunk, and the outputs the layer returns for it."""
    if sum(chunks) != len(input) or min(chunks, default=0) < 1:
        raise ValueError(f"chunks must be sizes >= 1 that add up to the input length {len(input)}, got {list(chunks)}")
    layer = StreamingConv1d([[list(weight)]], dilation=dilation)
    rows, start = [], 0
    for size in chunks:
        before = [0.0] * layer.padding if layer.state is None else layer.state[0].tolist()
        chunk = [float(v) for v in input[start : start + size]]
        rows.append((before, chunk, layer([chunk])[0].tolist()))
        start += size
    return rows


def state_buffer(
    input: Sequence[float] = (2, 3, 4, 5, 1, 6, 2, 3, 1),
    weight: Sequence[float] = (1, 1, 1),
    chunks: Sequence[int] = (3, 2, 4),
    dilation: int = 1,
) -> Plot:
    """One block per chunk, along a time axis: the state (the last ``dilation*(kernel_size-1)`` inputs, zeros
    before the signal) framed, the chunk after it, and under the chunk the outputs the layer writes for it."""
    from matplotlib.patches import Rectangle

    from conv_docs.figures.kit import blank_figure, draw_cells, fit, make_plot
    from conv_docs.figures.svg import FOREGROUND, HIGHLIGHT, MUTED

    rows = stream_rows(input, weight, chunks, dilation)
    whole = causal_conv1d([list(input)], [[list(weight)]], dilation=dilation)[0].tolist()
    if [v for _, _, out in rows for v in out] != whole:  # the figure claims they are equal: make sure
        raise ValueError(f"the chunks give {[out for _, _, out in rows]}, the whole signal {whole}")
    keep = len(rows[0][0])
    label = 3.4  # cells left of the time axis for the row names
    pitch = 3.3  # a block: the state and chunk, the outputs, and room for the labels above
    scale = 0.27
    width = label + keep + len(input)
    figure, ax = blank_figure(scale * width, scale * pitch * len(rows))
    sentences, start = [], 0
    for number, (state, chunk, out) in enumerate(rows):
        y = -number * pitch
        x = label + keep + start  # where the chunk starts: time `start`
        kinds = ["zeros" if start - keep + i < 0 else "input" for i in range(keep)]
        draw_cells(ax, state, kinds, y, x0=x - keep)
        draw_cells(ax, chunk, ["input"] * len(chunk), y, x0=x)
        draw_cells(ax, out, ["output"] * len(out), y - 1.15, x0=x)
        if keep:
            ax.add_patch(Rectangle((x - keep, y), keep, 1, facecolor="none", edgecolor=HIGHLIGHT, linewidth=2.2))
            ax.text(x - 0.1, y + 1.12, "state", ha="right", va="bottom", fontsize=9, color=HIGHLIGHT)
        ax.text(x + 0.1, y + 1.12, f"chunk {number + 1}", ha="left", va="bottom", fontsize=9, color=FOREGROUND)
        ax.text(label - 0.3, y + 0.5, "in", ha="right", va="center", fontsize=10, color=MUTED)
        ax.text(label - 0.3, y - 0.65, "out", ha="right", va="center", fontsize=10, color=MUTED)
        sentences.append(
            f"chunk {number + 1} ({', '.join(map(fmt, chunk))}) starts from the state {', '.join(map(fmt, state))} "
            f"and gives {', '.join(map(fmt, out))}"
        )
        start += len(chunk)
    fit(figure, ax, (0, width + 0.1), (-(len(rows) - 1) * pitch - 1.3, 1.75), scale=scale)
    description = (
        f"A causal layer with kernel {', '.join(map(fmt, map(float, weight)))} and dilation {dilation} keeps the "
        f"last {keep} inputs as its state (zeros before the signal starts). "
        + "; ".join(sentences)
        + f". Together the chunks give {', '.join(map(fmt, whole))}, the causal convolution of the whole signal."
    )
    return make_plot(figure, f"A streaming layer's state of {keep} inputs, chunk by chunk", description)
