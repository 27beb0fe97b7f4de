"""The claims of docs/guide/transposed.md, over many configurations, checked with torch and hand formulas."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from conv_docs import output_length
from conv_docs.figures.transposed_scatter import spread_input
from conv_docs.matrix import conv1d_matrix, conv_transpose1d_matrix

F64 = torch.float64
# (L_in, kernel_size, stride, padding, output_padding, dilation), each accepted by torch
SETTINGS = [
    (3, 2, 2, 1, 1, 1),
    (5, 3, 3, 2, 1, 2),
    (4, 4, 2, 0, 1, 1),
    (4, 3, 1, 0, 1, 2),
    (6, 5, 3, 1, 2, 1),
    (2, 1, 4, 0, 3, 1),
    (7, 2, 1, 1, 0, 3),
]


def by_hand(x: list[float], w: list[float], stride: int, padding: int, output_padding: int, dilation: int):
    length = (len(x) - 1) * stride - 2 * padding + dilation * (len(w) - 1) + output_padding + 1
    out = [0.0] * length
    for i, value in enumerate(x):
        for j, weight in enumerate(w):
            position = i * stride + j * dilation - padding
            if 0 <= position < length:
                out[position] += value * weight
    return out


@pytest.mark.parametrize(("length", "k", "stride", "padding", "output_padding", "dilation"), SETTINGS)
def test_every_input_cell_scatters_a_copy_of_the_kernel(length, k, stride, padding, output_padding, dilation) -> None:
    rng = np.random.default_rng(length * k)
    x, w = rng.integers(-5, 6, length).astype(float).tolist(), rng.integers(-5, 6, k).astype(float).tolist()
    out = F.conv_transpose1d(
        torch.tensor([[x]], dtype=F64),
        torch.tensor([[w]], dtype=F64),
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        dilation=dilation,
    )
    assert out.flatten().tolist() == by_hand(x, w, stride, padding, output_padding, dilation)  # small integers


@pytest.mark.parametrize(("length", "k", "stride", "padding", "output_padding", "dilation"), SETTINGS)
def test_the_transposed_convolution_is_a_spread_padded_flipped_conv1d(
    length, k, stride, padding, output_padding, dilation
) -> None:
    if dilation * (k - 1) < padding:
        pytest.skip("the equivalent convolution would need a negative padding")
    torch.manual_seed(length + k)
    x, w = torch.randn(1, 1, length, dtype=F64), torch.randn(1, 1, k, dtype=F64)
    arguments = {"stride": stride, "padding": padding, "output_padding": output_padding, "dilation": dilation}
    spread = torch.zeros(1, 1, (length - 1) * stride + 1, dtype=F64)
    spread[..., ::stride] = x
    pad = dilation * (k - 1) - padding
    spread = F.pad(spread, (pad, pad + output_padding))
    torch.testing.assert_close(F.conv1d(spread, w.flip(-1), dilation=dilation), F.conv_transpose1d(x, w, **arguments))
    values, _ = spread_input(x.flatten().tolist(), k, stride, padding, output_padding, dilation)  # the figure's
    torch.testing.assert_close(torch.tensor(values, dtype=F64), spread.flatten())


def test_linear_interpolation_with_a_half_kernel() -> None:
    x = torch.tensor([[[20.0, 22.0, 23.0, 21.0, 18.0]]], dtype=F64)
    y = F.conv_transpose1d(x, torch.tensor([[[0.5, 1.0, 0.5]]], dtype=F64), stride=2, padding=1, output_padding=1)
    values = x.flatten().tolist()
    means = [(a + b) / 2 for a, b in itertools.pairwise(values)]
    expected = [v for pair in zip(values, [*means, values[-1] / 2], strict=True) for v in pair]
    assert y.flatten().tolist() == expected


@pytest.mark.parametrize(
    ("length", "k", "s", "p", "d"), list(itertools.product((1, 2, 5), (1, 2, 3), (1, 2, 3), (0, 1), (1, 2)))
)
def test_with_no_output_padding_the_length_is_the_shortest_input_giving_l_in(length, k, s, p, d) -> None:
    w = torch.ones(1, 1, k)
    if 2 * p > d * (k - 1) + (length - 1) * s:
        return  # a negative output length: torch refuses the transposed layer
    l_out = F.conv_transpose1d(torch.ones(1, 1, length), w, stride=s, padding=p, dilation=d).shape[-1]
    assert l_out == output_length(length, k, stride=s, padding=p, dilation=d, transposed=True)
    assert F.conv1d(torch.ones(1, 1, l_out), w, stride=s, padding=p, dilation=d).shape[-1] == length
    shorter = l_out - 1
    if shorter >= 1 and shorter + 2 * p >= d * (k - 1) + 1:
        assert F.conv1d(torch.ones(1, 1, shorter), w, stride=s, padding=p, dilation=d).shape[-1] < length


@pytest.mark.parametrize(("s", "d"), list(itertools.product((1, 2, 3), (1, 2, 3))))
def test_output_padding_rule_and_round_trip(s, d) -> None:
    length, k = 4, 3
    w = torch.ones(1, 1, k)
    for op in range(5):
        if op < max(s, d):  # PyTorch's rule: smaller than the stride or the dilation
            y = F.conv_transpose1d(torch.ones(1, 1, length), w, stride=s, dilation=d, output_padding=op)
            back = F.conv1d(y, w, stride=s, dilation=d).shape[-1]
            # the round trip holds for the stride's part only
            assert (back == length) is (op < s)
            if op >= s:
                assert back == length + op // s
        else:
            with pytest.raises(RuntimeError, match="output padding must be smaller than either stride or dilation"):
                F.conv_transpose1d(torch.ones(1, 1, length), w, stride=s, dilation=d, output_padding=op)


@pytest.mark.parametrize(("stride", "k", "output_padding"), [(2, 2, 1), (3, 2, 2), (2, 3, 1), (4, 1, 3)])
def test_output_padding_cells_hold_the_bias_unless_padding_brings_a_copy(stride, k, output_padding) -> None:
    x, w, b = torch.tensor([[[2.0, 3.0, 4.0]]]), torch.arange(1.0, k + 1).reshape(1, 1, k), torch.tensor([0.5])
    y = F.conv_transpose1d(x, w, b, stride=stride, output_padding=output_padding)
    assert y[0, 0, y.shape[-1] - output_padding :].tolist() == [0.5] * output_padding  # no copy reaches them
    cropped = F.conv_transpose1d(x, w, b, stride=stride, padding=1, output_padding=output_padding)
    # by hand: the last cell is at (L-1)*s + (k-1) + op - 2p; every copy that lands there, plus the bias
    last = 2 * stride + (k - 1) + output_padding - 2
    copies = sum(x[0, 0, i] * w[0, 0, j] for i in range(3) for j in range(k) if i * stride + j - 1 == last)
    assert cropped[0, 0, -1].item() == copies + 0.5


def test_padding_1_and_output_padding_1_keep_the_last_copy() -> None:
    y = F.conv_transpose1d(
        torch.tensor([[[2.0, 3.0, 4.0]]]),
        torch.tensor([[[1.0, 2.0]]]),
        torch.tensor([0.5]),
        stride=2,
        padding=1,
        output_padding=1,
    )
    assert y.flatten().tolist()[-1] == 4 * 2 + 0.5


@pytest.mark.parametrize(("c_in", "c_out", "groups"), [(2, 3, 1), (4, 6, 2), (3, 3, 3)])
def test_the_weight_axes_are_swapped(c_in, c_out, groups) -> None:
    assert nn.Conv1d(c_in, c_out, 4, groups=groups).weight.shape == (c_out, c_in // groups, 4)
    assert nn.ConvTranspose1d(c_in, c_out, 4, groups=groups).weight.shape == (c_in, c_out // groups, 4)


@pytest.mark.parametrize(("k", "s"), [(3, 3), (2, 2), (4, 3), (3, 2)])
def test_output_size_chooses_the_output_padding(k, s) -> None:
    up = nn.ConvTranspose1d(1, 1, kernel_size=k, stride=s, bias=False)
    y = torch.zeros(1, 1, 3)
    shortest = output_length(3, k, stride=s, transposed=True)
    for extra in range(s):
        assert up(y, output_size=[shortest + extra]).shape[-1] == shortest + extra


@pytest.mark.parametrize(
    ("length", "k", "s", "p", "d"), [(3, 2, 1, 0, 1), (7, 3, 2, 1, 1), (8, 3, 3, 2, 2), (6, 4, 2, 0, 1)]
)
def test_the_transposed_matrix_is_the_transpose_and_the_input_gradient(length, k, s, p, d) -> None:
    rng = np.random.default_rng(length)
    w = rng.standard_normal(k)
    m = conv1d_matrix(length, w, stride=s, padding=p, dilation=d)
    l_out = m.shape[0]
    extra = length - output_length(l_out, k, stride=s, padding=p, dilation=d, transposed=True)
    t = conv_transpose1d_matrix(l_out, w, stride=s, padding=p, output_padding=extra, dilation=d)
    np.testing.assert_allclose(t, m.T, atol=1e-12)
    # the backward pass of conv1d sends g back as M.T g, which is conv_transpose1d of g
    x = torch.tensor(rng.standard_normal((1, 1, length)), requires_grad=True)
    weight = torch.tensor(w).reshape(1, 1, k)
    y = F.conv1d(x, weight, stride=s, padding=p, dilation=d)
    g = torch.tensor(rng.standard_normal(y.shape))
    y.backward(g)
    back = F.conv_transpose1d(g, weight, stride=s, padding=p, output_padding=extra, dilation=d)
    torch.testing.assert_close(x.grad, back)
    np.testing.assert_allclose(x.grad.flatten().numpy(), m.T @ g.flatten().numpy(), atol=1e-12)
