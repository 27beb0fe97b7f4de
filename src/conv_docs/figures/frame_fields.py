"""What a strided audio front end hears: for each layer, the stretch of audio (in ms) that each of its first outputs
depends on, drawn on one time axis, from ``conv_docs.stack``.

>>> spans = output_spans([10, 3], [5, 2], outputs=2)
>>> spans[0], spans[1]
([(0, 9), (5, 14)], [(0, 19), (10, 29)])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conv_docs.stack import StackLayer, inputs_of, measure_stack

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot

WAV2VEC2 = ((10, 3, 3, 3, 3, 2, 2), (5, 2, 2, 2, 2, 2, 2))


def make_layers(kernel_sizes: Sequence[int], strides: Sequence[int]) -> list[StackLayer]:
    """One single-channel ``Conv1d`` per kernel size (the channels do not change which samples an output hears)."""
    if len(kernel_sizes) != len(strides):
        raise ValueError(
            f"kernel_sizes and strides must have the same length, got {len(kernel_sizes)} and {len(strides)}"
        )
    return [
        StackLayer("Conv1d", k, s, in_channels=1, out_channels=1) for k, s in zip(kernel_sizes, strides, strict=True)
    ]


def input_length(layers: Sequence[StackLayer], outputs: int) -> int:
    """The shortest input that gives the last layer ``outputs`` outputs: its field plus a step per extra output."""
    report = measure_stack(layers, 10**6)
    return report.receptive_field + (outputs - 1) * int(report.jump)


def output_spans(kernel_sizes: Sequence[int], strides: Sequence[int], outputs: int = 3) -> list[list[tuple[int, int]]]:
    """For each layer, the first and last input sample that each of its first ``outputs`` outputs depends on."""
    layers = make_layers(kernel_sizes, strides)
    length = input_length(layers, outputs)
    spans = []
    for depth in range(1, len(layers) + 1):
        row = []
        for position in range(outputs):
            heard = inputs_of(layers[:depth], length, position)
            row.append((heard[0], heard[-1]))
        spans.append(row)
    return spans


def frame_fields(
    kernel_sizes: Sequence[int] = WAV2VEC2[0],
    strides: Sequence[int] = WAV2VEC2[1],
    sample_rate: int = 16000,
    outputs: int = 3,
    name: str = "wav2vec 2.0's feature encoder",
) -> Plot:
    """One row per layer, the first layer at the bottom: a bar for each of its first ``outputs`` outputs, from the
    first to the last sample it depends on, in ms."""
    from matplotlib.figure import Figure

    from conv_docs.figures.kit import make_plot
    from conv_docs.figures.svg import FOREGROUND, MUTED, SERIES

    layers = make_layers(kernel_sizes, strides)
    spans = output_spans(kernel_sizes, strides, outputs)
    report = measure_stack(layers, input_length(layers, outputs))
    ms = 1000 / sample_rate
    total = input_length(layers, outputs) * ms
    figure = Figure(figsize=(4.0, 0.42 * len(layers) + 1.1))  # narrow: its 10 pt text stays 10 px on a phone
    ax = figure.add_subplot()
    height = 0.7 / outputs
    for depth, (row, report_row) in enumerate(zip(spans, report.rows, strict=True)):
        for k, (first, last) in enumerate(row):
            y = depth + 0.35 - (k + 1) * height
            ax.barh(
                y, (last + 1 - first) * ms, height * 0.85, left=first * ms, color=SERIES[k % len(SERIES)], align="edge"
            )
        field_ms, step_ms = report_row.receptive_field * ms, float(report_row.jump) * ms
        label = f"{_ms(field_ms)}, every {_ms(step_ms)}"
        ax.text(row[-1][1] * ms + total * 0.02, depth, label, va="center", fontsize=10, color=FOREGROUND)
    ax.set_yticks(range(len(layers)), [f"layer {n}" for n in range(1, len(layers) + 1)])
    ax.set_ylim(-0.6, len(layers) - 0.4)
    ax.set_xlim(0, total * 1.62)
    ax.set_xticks([t for t in range(0, int(total) + 1, 10)])
    ax.set_xlabel("time (ms)", color=FOREGROUND, fontsize=10)
    ax.grid(True, axis="x", color=MUTED, linewidth=0.3)
    ax.tick_params(colors=FOREGROUND, labelsize=10)
    for side, spine in ax.spines.items():
        spine.set_color(FOREGROUND)
        spine.set_visible(side in ("left", "bottom"))
    figure.tight_layout()
    last = report.rows[-1]
    per_layer = "; ".join(
        f"layer {n}: {_ms(row.receptive_field * ms)} ({row.receptive_field} samples), one output every "
        f"{_ms(float(row.jump) * ms)}"
        for n, row in enumerate(report.rows, start=1)
    )
    description = (
        f"{name} at {sample_rate:,} samples per second. For each layer, bars show the stretch of audio that each of "
        f"its first {outputs} outputs hears. {per_layer}. The last layer's outputs each hear "
        f"{_ms(last.receptive_field * ms)} of audio and follow one another every {_ms(float(last.jump) * ms)}."
    )
    title = f"{name}: {_ms(last.receptive_field * ms)} of audio per output, one every {_ms(float(last.jump) * ms)}"
    return make_plot(figure, title, description)


def _ms(value: float) -> str:
    """``25 ms``, ``0.625 ms``: as few digits as the value needs, at most four after the point."""
    return f"{round(value, 4):g} ms"
