"""The front-end figure: every bar spans the samples torch's gradient reaches, and the words say the paper's figures."""

from __future__ import annotations

import torch

from conv_docs.figures.frame_fields import WAV2VEC2, frame_fields, input_length, make_layers, output_spans


def gradient_span(kernel_sizes, strides, depth: int, length: int, position: int) -> tuple[int, int]:
    x = torch.ones(1, 1, length, dtype=torch.float64, requires_grad=True)
    y = x
    for k, s in list(zip(kernel_sizes, strides, strict=True))[:depth]:
        conv = torch.nn.Conv1d(1, 1, k, s, bias=False).double()
        torch.nn.init.ones_(conv.weight)
        y = conv(y)
    y[0, 0, position].backward()
    heard = torch.nonzero(x.grad[0, 0]).flatten().tolist()
    return heard[0], heard[-1]


def test_bars_are_the_samples_each_output_hears() -> None:
    kernels, strides = WAV2VEC2
    length = input_length(make_layers(kernels, strides), 3)
    assert length == 400 + 2 * 320  # the field and two steps: three outputs of the last layer
    spans = output_spans(kernels, strides, outputs=3)
    for depth, row in enumerate(spans, start=1):
        assert row == [gradient_span(kernels, strides, depth, length, position) for position in range(3)]


def test_words_state_the_papers_figures() -> None:
    plot = frame_fields()
    assert plot.title == "wav2vec 2.0's feature encoder: 25 ms of audio per output, one every 20 ms"  # 400 and 320 / 16
    assert "layer 1: 0.625 ms (10 samples), one output every 0.3125 ms" in plot.description  # 10/16 and 5/16 ms


def test_svg_is_small_and_the_same_every_time() -> None:
    from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg

    svg = to_svg(frame_fields())
    assert len(svg.encode()) <= MAX_SVG_BYTES
    assert svg == to_svg(frame_fields())
