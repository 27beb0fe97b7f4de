"""One padded batch through a stack: each sequence's cells and padding, and which of its outputs to trust.

The outputs' kinds come from :func:`conv_docs.variable_length.valid_mask` and
:func:`conv_docs.variable_length.length_mask`.

>>> output_kinds([6, 3], [{"kernel_size": 3, "padding": 1}])[1]
['valid', 'valid', 'reads padding', 'beyond', 'beyond', 'beyond']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import prod
from typing import TYPE_CHECKING

from conv_docs.receptive_field import Layer
from conv_docs.variable_length import length_mask, output_lengths, valid_mask

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot

DEFAULT_LAYERS = ({"kernel_size": 3, "dilation": 2, "padding": 2}, {"kernel_size": 3, "stride": 2, "padding": 1})


def make_layers(layers: Sequence[Mapping[str, int] | Layer]) -> list[Layer]:
    """Each layer as a :class:`Layer`; a mapping holds its arguments (``kernel_size``, ``stride``, ...)."""
    return [layer if isinstance(layer, Layer) else Layer(**layer) for layer in layers]


def output_kinds(lengths: Sequence[int], layers: Sequence[Mapping[str, int] | Layer]) -> list[list[str]]:
    """For every sequence, each output of the batch: ``"valid"`` (equal to the sequence alone), ``"reads
    padding"`` (one of its own outputs, but it reads padded positions) or ``"beyond"`` (past its own length)."""
    stack = make_layers(layers)
    valid, within = valid_mask(lengths, stack), length_mask(lengths, stack)
    return [
        ["valid" if v else "reads padding" if w else "beyond" for v, w in zip(vs, ws, strict=True)]
        for vs, ws in zip(valid, within, strict=True)
    ]


def _layer_words(layer: Layer) -> str:
    words = [f"kernel {layer.kernel_size}"]
    words += [f"{name} {getattr(layer, name)}" for name in ("stride", "dilation") if getattr(layer, name) != 1]
    return ", ".join(words + ([f"padding {layer.padding}"] if layer.padding else []))


def batch(lengths: Sequence[int] = (12, 9, 5), layers: Sequence[Mapping[str, int]] = DEFAULT_LAYERS) -> Plot:
    """One block per sequence: its input cells and the padding after them, and under them the batch's outputs,
    each as wide as the stack's total stride, filled when it equals the sequence's own output run alone."""
    from matplotlib.patches import Rectangle

    from conv_docs.figures.kit import blank_figure, fit, make_plot
    from conv_docs.figures.svg import BACKGROUND, FOREGROUND, HIGHLIGHT, INPUT, MUTED, OUTPUT, PADDING

    stack = make_layers(layers)
    kinds = output_kinds(lengths, stack)
    own = output_lengths(lengths, stack)
    width = max(lengths)
    jump = prod(layer.stride for layer in stack)  # input cells per output of the stack
    scale = 0.27
    pitch = 3.4
    legend = 2.4  # room under the blocks for the key
    figure, ax = blank_figure(scale * width, scale * (pitch * len(lengths) + legend))
    fills = {"valid": (OUTPUT, FOREGROUND, "-"), "reads padding": (BACKGROUND, HIGHLIGHT, "-"),
             "beyond": (BACKGROUND, MUTED, "--")}  # fmt: skip
    sentences = []
    for n, (length, row) in enumerate(zip(lengths, kinds, strict=True)):
        y = -n * pitch
        ax.text(0, y + 1.45, f"sequence {n + 1}: {length} inputs, {own[n]} outputs of its own", va="center",
                fontsize=9, color=FOREGROUND)  # fmt: skip
        for q in range(width):
            real = q < length
            ax.add_patch(Rectangle((q, y), 1, 0.8, facecolor=INPUT if real else PADDING["zeros"],
                                   edgecolor=FOREGROUND, linewidth=0.8, linestyle="-" if real else "--"))  # fmt: skip
        if width - length >= 4:
            ax.text((length + width) / 2, y + 0.4, "padding", ha="center", va="center", fontsize=9, color=FOREGROUND,
                    bbox={"facecolor": PADDING["zeros"], "edgecolor": "none", "pad": 1.0})  # fmt: skip
        for t, kind in enumerate(row):
            face, edge, style = fills[kind]
            ax.add_patch(Rectangle((t * jump + 0.08, y - 1.05), jump - 0.16, 0.8, facecolor=face, edgecolor=edge,
                                   linewidth=1.6 if kind == "reads padding" else 0.8, linestyle=style))  # fmt: skip
            mark = {"valid": str(t), "reads padding": "≠", "beyond": ""}[kind]
            ax.text(t * jump + jump / 2, y - 0.65, mark, ha="center", va="center", fontsize=9,
                    color=HIGHLIGHT if kind == "reads padding" else FOREGROUND)  # fmt: skip
        valid = [t for t, kind in enumerate(row) if kind == "valid"]
        differ = [t for t, kind in enumerate(row) if kind == "reads padding"]
        named = {0: "no output is", 1: "output 0 is"}.get(len(valid), f"outputs 0 to {len(valid) - 1} are")
        sentence = f"sequence {n + 1} ({length} inputs, padded to {width}): {named} valid"
        if differ:
            sentence += f", {'outputs' if len(differ) > 1 else 'output'} {', '.join(map(str, differ))} "
            sentence += f"{'are' if len(differ) > 1 else 'is'} its own but read{'' if len(differ) > 1 else 's'} padding"
        sentences.append(sentence)
    low = -(len(lengths) - 1) * pitch - 1.05
    keys = [("valid", "equal to the sequence alone"), ("reads padding", "its own, but reads padding"),
            ("beyond", "past its own length")]  # fmt: skip
    for k, (kind, words) in enumerate(keys):
        face, edge, style = fills[kind]
        level = low - 0.75 - 0.7 * k
        ax.add_patch(Rectangle((0.08, level - 0.25), 1.2, 0.5, facecolor=face, edgecolor=edge, linewidth=0.8,
                               linestyle=style))  # fmt: skip
        ax.text(1.6, level, words, va="center", fontsize=9, color=FOREGROUND)
    fit(figure, ax, (-0.05, width + 0.05), (low - 0.75 - 0.7 * len(keys) + 0.3, 1.75), scale=scale)
    description = (
        f"A batch of {len(lengths)} sequences padded to {width} inputs, through "
        + "; then ".join(_layer_words(layer) for layer in stack)
        + f". Each output stands under the {jump} input cells of its stride. "
        + "; ".join(sentences)
        + ". The rest of each row lies past the sequence's own output length."
    )
    return make_plot(figure, f"A padded batch of {len(lengths)}: which outputs equal each sequence alone", description)
