"""The padded-batch figure: which outputs it fills, against running each sequence alone in torch."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from figure_cases import svg_texts

from conv_docs.figures.padded_batch import DEFAULT_LAYERS, batch, make_layers, output_kinds
from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg

LENGTHS = [12, 9, 5]


def torch_kinds(lengths: list[int], layers) -> list[list[str]]:
    """Run the padded batch (padding: random values) and each sequence alone; compare output by output."""
    torch.manual_seed(0)
    stack = make_layers(layers)
    weights = [torch.randn(1, 1, layer.kernel_size, dtype=torch.float64) for layer in stack]

    def run(x):
        for layer, w in zip(stack, weights, strict=True):
            x = F.conv1d(x, w, torch.ones(1, dtype=torch.float64), layer.stride, layer.padding, layer.dilation)
        return x

    x = torch.randn(len(lengths), 1, max(lengths), dtype=torch.float64)
    out = run(x)
    kinds = []
    for n, length in enumerate(lengths):
        alone = run(x[n : n + 1, :, :length])[0, 0]
        row = []
        for t in range(out.shape[-1]):
            if t >= alone.shape[-1]:
                row.append("beyond")
            else:
                same = torch.allclose(out[n, 0, t], alone[t], rtol=0, atol=1e-9)
                row.append("valid" if same else "reads padding")
        kinds.append(row)
    return kinds


def test_the_kinds_are_what_torch_gives() -> None:
    assert output_kinds(LENGTHS, DEFAULT_LAYERS) == torch_kinds(LENGTHS, DEFAULT_LAYERS)
    other = [{"kernel_size": 5, "stride": 2, "padding": 2}, {"kernel_size": 3, "dilation": 3, "padding": 3}]
    assert output_kinds([11, 8, 4], other) == torch_kinds([11, 8, 4], other)


def test_the_svg_numbers_the_valid_outputs_and_marks_the_others() -> None:
    plot = batch()
    texts = [text for _, _, text in svg_texts(to_svg(plot))]
    kinds = torch_kinds(LENGTHS, DEFAULT_LAYERS)
    assert sum(text == "≠" for text in texts) == sum(row.count("reads padding") for row in kinds)
    numbers = [text for text in texts if text.isdigit()]
    assert numbers == [str(t) for row in kinds for t, kind in enumerate(row) if kind == "valid"]
    assert "sequence 3: 5 inputs, 3 outputs of its own" in texts
    assert "sequence 2 (9 inputs, padded to 12): outputs 0 to 2 are valid, outputs 3, 4 are its own" in plot.description


def test_the_figure_is_small_and_deterministic() -> None:
    svg = to_svg(batch())
    assert len(svg.encode()) <= MAX_SVG_BYTES and svg == to_svg(batch())
