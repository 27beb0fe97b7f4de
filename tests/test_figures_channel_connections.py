"""The channel-connection figure: which input channel feeds which output channel, checked with autograd."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from conv_docs.figures.channel_connections import connections, connections_of, weight_count


def torch_connections(in_channels: int, out_channels: int, groups: int) -> set[tuple[int, int]]:
    """(input, output) channel pairs with a non-zero derivative of the output on the input."""
    x = torch.ones(1, in_channels, 1, dtype=torch.float64)
    w = torch.ones(out_channels, in_channels // groups, 1, dtype=torch.float64)
    jacobian = torch.autograd.functional.jacobian(lambda x: F.conv1d(x, w, groups=groups), x)
    jacobian = jacobian[0, :, 0, 0, :, 0]  # (out channel, in channel)
    return {(ci, co) for co in range(out_channels) for ci in range(in_channels) if jacobian[co, ci] != 0}


@pytest.mark.parametrize(("c_in", "c_out", "groups"), [(4, 4, 1), (4, 4, 2), (4, 4, 4), (4, 8, 4), (6, 3, 3)])
def test_connections_match_autograd(c_in: int, c_out: int, groups: int) -> None:
    assert connections_of(c_in, c_out, groups) == torch_connections(c_in, c_out, groups)


def test_plot_counts_the_weights() -> None:
    plot = connections(in_channels=4, out_channels=4, groups=[2], kernel_size=3)
    weights = torch.nn.Conv1d(4, 4, 3, groups=2, bias=False).weight.numel()
    assert f"{weights} weights" in plot.description


@pytest.mark.parametrize(("c_in", "c_out", "groups", "k"), [(4, 4, 1, 3), (4, 4, 2, 3), (6, 3, 3, 2), (2, 3, 1, 5)])
def test_weight_count_is_what_torch_allocates(c_in: int, c_out: int, groups: int, k: int) -> None:
    conv = torch.nn.Conv1d(c_in, c_out, k, groups=groups, bias=False)
    assert weight_count(c_in, c_out, groups, k) == conv.weight.numel()


def test_figures_make_small_deterministic_svg() -> None:
    from conv_docs.figures import channel_connections
    from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg

    for make in [
        lambda: channel_connections.connections(),
        lambda: channel_connections.connections(in_channels=2, out_channels=3, groups=[1], kernel_size=2),
    ]:
        svg = to_svg(make())
        assert len(svg.encode()) <= MAX_SVG_BYTES
        assert svg == to_svg(make())  # drawn twice, byte for byte the same
