"""The receptive field of a stack: every level of the stack, with the cells one top output depends on.

>>> [len(level) for level in stack_levels([2, 2, 2], dilations=[1, 2, 4], extra=2)]
[10, 9, 7, 3]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conv_docs.params import output_length
from conv_docs.receptive_field import Layer, footprint, reads, receptive_field, receptive_fields


def make_layers(
    kernel_sizes: Sequence[int], dilations: Sequence[int] | None = None, strides: Sequence[int] | None = None
) -> list[Layer]:
    """One :class:`Layer` per kernel size, with dilation and stride 1 unless given."""
    count = len(kernel_sizes)
    dilations = [1] * count if dilations is None else list(dilations)
    strides = [1] * count if strides is None else list(strides)
    if not len(dilations) == len(strides) == count:
        raise ValueError(
            f"kernel_sizes, dilations and strides must have the same length, got {count}, {len(dilations)}, "
            f"{len(strides)}"
        )
    return [Layer(k, stride=s, dilation=d) for k, s, d in zip(kernel_sizes, strides, dilations, strict=True)]


def stack_levels(
    kernel_sizes: Sequence[int],
    dilations: Sequence[int] | None = None,
    strides: Sequence[int] | None = None,
    extra: int = 3,
) -> list[range]:
    """The cells of every level, input first, for an input ``extra`` cells longer than the receptive field."""
    layers = make_layers(kernel_sizes, dilations, strides)
    lengths = [receptive_field(layers) + extra]
    for layer in layers:
        lengths.append(output_length(lengths[-1], layer.kernel_size, layer.stride, 0, layer.dilation))
    return [range(length) for length in lengths]


def stack(
    kernel_sizes: Sequence[int] = (2, 2, 2, 2),
    dilations: Sequence[int] | None = (1, 2, 4, 8),
    strides: Sequence[int] | None = None,
    extra: int = 3,
) -> Any:
    """Levels of a stack from the input (bottom) to the last layer (top); the last output of the top level,
    the cells it depends on at every level, and the taps that join them. Returns a ``Plot``."""
    from conv_docs.figures.kit import blank_figure, draw_cells, fit, make_plot
    from conv_docs.figures.svg import BACKGROUND, FOREGROUND, HIGHLIGHT, MUTED

    layers = make_layers(kernel_sizes, dilations, strides)
    levels = stack_levels(kernel_sizes, dilations, strides, extra)
    position = len(levels[-1]) - 1
    seen = footprint(layers, position)
    pitch = 2.8  # height between levels: room for the level's name above its cells
    width = len(levels[0])
    # cell p of a level stands above the middle of the input cells it depends on: p*jump + (field - 1)/2
    jumps, fields = [1], [1]
    for layer, field_after in zip(layers, receptive_fields(layers), strict=True):
        jumps.append(jumps[-1] * layer.stride)
        fields.append(field_after)

    def centre(depth: int, p: int) -> float:
        return p * jumps[depth] + (fields[depth] - 1) / 2

    scale = min(0.42, 4.4 / (width + 0.8))  # inches per cell: the widest level fits a phone's column
    figure, ax = blank_figure(scale * (width + 0.8), scale * (pitch * (len(levels) - 1) + 3.2))
    for depth, (level, cells) in enumerate(zip(levels, seen, strict=True)):
        y = depth * pitch
        for p in level:
            kind = ("output" if depth == len(levels) - 1 else "input") if p in cells else "idle"
            draw_cells(ax, [0.0], [kind], y, x0=centre(depth, p), labels=[""])
        if depth == 0:
            name = "input"
        else:
            layer = layers[depth - 1]
            name = f"layer {depth}: k={layer.kernel_size}, d={layer.dilation}, s={layer.stride}"
        box = {"facecolor": BACKGROUND, "edgecolor": "none", "pad": 1.0}
        ax.text(0, y + 1.15, name, va="bottom", fontsize=9, color=FOREGROUND, bbox=box, zorder=3)
        if depth:
            for p in cells:
                for q in reads(layers[depth - 1], [p]):
                    top, bottom = centre(depth, p) + 0.5, centre(depth - 1, q) + 0.5
                    ax.plot([top, bottom], [y, y - pitch + 1], color=HIGHLIGHT, linewidth=0.9)
    field = receptive_field(layers)
    first = seen[0][0]
    ax.annotate(
        "",
        xy=(first, -0.35),
        xytext=(first + field, -0.35),
        arrowprops=dict(arrowstyle="<->", color=MUTED, linewidth=0.9),
    )
    ax.text(first + field / 2, -0.75, f"receptive field {field}", ha="center", va="top", fontsize=10, color=FOREGROUND)
    fit(figure, ax, (-0.4, width + 0.4), (-1.7, (len(levels) - 1) * pitch + 1.9), scale=scale)
    per_level = "; ".join(
        f"{'the input' if depth == 0 else f'layer {depth}'}: {len(cells)} of its {len(level)} cells"
        for depth, (level, cells) in enumerate(zip(levels, seen, strict=True))
        if depth < len(levels) - 1
    )
    description = (
        f"A stack of {len(layers)} convolutions with kernel sizes {', '.join(map(str, kernel_sizes))}, dilations "
        f"{', '.join(str(layer.dilation) for layer in layers)} and strides "
        f"{', '.join(str(layer.stride) for layer in layers)}, drawn from the input at the bottom to the last layer at "
        f"the top. Lines follow the taps of the last output down the stack; it depends on {per_level}. Those input "
        f"cells span positions {first} to {seen[0][-1]}: a receptive field of {field} cells."
    )
    return make_plot(figure, f"Receptive field of a stack of {len(layers)} layers: {field} input cells", description)
