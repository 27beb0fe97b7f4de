"""The claims of docs/guide/groups.md, over many configurations, checked with torch."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from conv_docs import conv1d

F64 = torch.float64


@pytest.mark.parametrize(
    ("c_in", "c_out", "groups", "kernel_size", "stride", "padding", "dilation"),
    [(6, 4, 2, 3, 1, 0, 1), (6, 9, 3, 2, 2, 1, 1), (4, 4, 4, 3, 1, 2, 2), (8, 4, 4, 5, 3, 1, 1), (2, 6, 2, 1, 1, 0, 1)],
)
def test_a_grouped_convolution_is_convolutions_side_by_side(
    c_in, c_out, groups, kernel_size, stride, padding, dilation
) -> None:
    torch.manual_seed(c_in + c_out)
    x = torch.randn(2, c_in, 12, dtype=F64)
    w = torch.randn(c_out, c_in // groups, kernel_size, dtype=F64)
    b = torch.randn(c_out, dtype=F64)
    options = {"stride": stride, "padding": padding, "dilation": dilation}
    grouped = F.conv1d(x, w, b, groups=groups, **options)
    per_in, per_out = c_in // groups, c_out // groups
    pieces = [
        F.conv1d(
            x[:, g * per_in : (g + 1) * per_in],
            w[g * per_out : (g + 1) * per_out],
            b[g * per_out : (g + 1) * per_out],
            **options,
        )
        for g in range(groups)
    ]
    torch.testing.assert_close(torch.cat(pieces, dim=1), grouped)
    torch.testing.assert_close(torch.from_numpy(conv1d(x, w, b, groups=groups, **options)), grouped)


@pytest.mark.parametrize(("channels", "multiplier"), [(3, 1), (2, 3), (5, 2)])
def test_depthwise_output_m_c_to_m_c_plus_m_minus_1_read_channel_c_only(channels, multiplier) -> None:
    torch.manual_seed(channels)
    layer = nn.Conv1d(channels, channels * multiplier, 3, groups=channels, bias=False).double()
    assert layer.weight.shape == (channels * multiplier, 1, 3)
    x = torch.randn(2, channels, 10, dtype=F64)
    out = layer(x)
    for c in range(channels):
        rows = slice(multiplier * c, multiplier * c + multiplier)
        torch.testing.assert_close(out[:, rows], F.conv1d(x[:, c : c + 1], layer.weight[rows]))


@pytest.mark.parametrize(("c_in", "c_out", "k", "g"), [(64, 128, 9, 4), (16, 16, 3, 2), (3, 30, 5, 3), (8, 2, 7, 2)])
def test_weight_counts_and_the_separable_ratio(c_in, c_out, k, g) -> None:
    def count(module: nn.Module) -> int:
        return sum(p.numel() for p in module.parameters())

    ordinary = nn.Conv1d(c_in, c_out, k, bias=False)
    separable = nn.Sequential(nn.Conv1d(c_in, c_in, k, groups=c_in, bias=False), nn.Conv1d(c_in, c_out, 1, bias=False))
    assert count(ordinary) == c_out * c_in * k
    assert count(nn.Conv1d(c_in, c_out, k, groups=g, bias=False)) == c_out * (c_in // g) * k
    assert count(separable[0]) == c_in * k
    assert count(separable) == c_in * k + c_out * c_in
    assert count(separable) / count(ordinary) == pytest.approx(1 / c_out + 1 / k)
    x = torch.randn(2, c_in, 20)
    assert separable(x).shape == ordinary(x).shape


def test_the_separable_saving_approaches_k_as_c_out_grows() -> None:
    k, c_in = 9, 64
    savings = [(c_out * c_in * k) / (c_in * k + c_out * c_in) for c_out in (16, 128, 1024, 8192)]
    assert savings == sorted(savings)
    assert k - 0.01 < savings[-1] < k


@pytest.mark.parametrize(("c_in", "c_out", "k"), [(4, 6, 3), (1, 5, 2), (7, 3, 5)])
def test_the_separable_pair_is_one_convolution_with_a_factored_weight(c_in, c_out, k) -> None:
    torch.manual_seed(c_in)
    depthwise = nn.Conv1d(c_in, c_in, k, groups=c_in, bias=False).double()
    pointwise = nn.Conv1d(c_in, c_out, 1, bias=False).double()
    x = torch.randn(2, c_in, 15, dtype=F64)
    combined = pointwise.weight * depthwise.weight.transpose(0, 1)
    torch.testing.assert_close(F.conv1d(x, combined), pointwise(depthwise(x)))
    for c in range(c_in):
        assert torch.linalg.matrix_rank(combined[:, c]).item() <= 1
    ordinary = nn.Conv1d(c_in, c_out, k, bias=False).double()
    assert torch.linalg.matrix_rank(ordinary.weight[:, 0]).item() == min(c_out, k)


@pytest.mark.parametrize(("c_in", "c_out", "groups"), [(6, 4, 4), (4, 6, 4), (5, 5, 2), (6, 6, 4)])
def test_groups_must_divide_both_channel_counts(c_in, c_out, groups) -> None:
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.Conv1d(c_in, c_out, 3, groups=groups)
    with pytest.raises(ValueError, match=f"groups={groups} must divide"):
        conv1d(torch.zeros(1, c_in, 5), torch.zeros(c_out, max(c_in // groups, 1), 3), groups=groups)
