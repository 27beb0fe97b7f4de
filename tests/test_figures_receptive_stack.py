"""The stack figure: its level lengths against torch, and the figure itself."""

from __future__ import annotations

import pytest
import torch

from conv_docs.figures.receptive_stack import make_layers, stack, stack_levels


@pytest.mark.parametrize(
    ("kernels", "dilations", "strides"),
    [((2, 2, 2, 2), (1, 2, 4, 8), None), ((3, 3), None, (2, 1)), ((5,), None, None)],
)
def test_level_lengths_are_torch_shapes(kernels, dilations, strides) -> None:
    levels = stack_levels(kernels, dilations, strides, extra=3)
    x = torch.zeros(1, 1, len(levels[0]))
    for layer, level in zip(make_layers(kernels, dilations, strides), levels[1:], strict=True):
        x = torch.nn.Conv1d(1, 1, layer.kernel_size, layer.stride, dilation=layer.dilation)(x)
        assert x.shape[-1] == len(level)


def test_mismatched_lists_are_refused() -> None:
    with pytest.raises(ValueError, match="kernel_sizes, dilations and strides must have the same length"):
        make_layers([2, 2], dilations=[1])


def test_figure_states_the_field() -> None:
    svg = pytest.importorskip("conv_docs.figures.svg")
    plot = stack()
    assert "a receptive field of 16 cells" in plot.description  # kernel 2, dilations 1, 2, 4, 8: 1 + 1+2+4+8
    assert len(svg.to_svg(plot).encode()) <= 30_000
