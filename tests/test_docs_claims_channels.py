"""The claims of docs/guide/channels.md, over many configurations, checked with torch's own layers."""

from __future__ import annotations

import itertools

import pytest
import torch
from torch import nn

from conv_docs import output_length

F64 = torch.float64


@pytest.mark.parametrize(
    ("c_in", "c_out", "length", "batched"), list(itertools.product((1, 3), (1, 4), (1, 7), (True, False)))
)
def test_kernel_size_1_is_a_linear_layer_at_every_position(c_in, c_out, length, batched) -> None:
    torch.manual_seed(c_in * 100 + c_out * 10 + length)
    linear = nn.Linear(c_in, c_out, dtype=F64)
    conv = nn.Conv1d(c_in, c_out, kernel_size=1, dtype=F64)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.unsqueeze(-1))
        conv.bias.copy_(linear.bias)
    x = torch.randn(2, c_in, length, dtype=F64) if batched else torch.randn(c_in, length, dtype=F64)
    by_linear = linear(x.transpose(-1, -2)).transpose(-1, -2)
    torch.testing.assert_close(conv(x), by_linear)
    # and at each position separately, as a matrix-vector product written out
    for t in range(length):
        torch.testing.assert_close(conv(x)[..., t], x[..., t] @ linear.weight.T + linear.bias)


@pytest.mark.parametrize(
    ("stride", "padding", "dilation", "groups", "kernel_size"),
    [(1, 0, 1, 1, 3), (2, 1, 1, 1, 4), (1, 2, 2, 1, 3), (3, 0, 1, 2, 2), (1, 1, 3, 4, 2), (2, 3, 2, 2, 5)],
)
def test_conv1d_is_a_conv2d_of_height_1(stride, padding, dilation, groups, kernel_size) -> None:
    torch.manual_seed(kernel_size)
    c_in, c_out = 4, 8
    conv = nn.Conv1d(c_in, c_out, kernel_size, stride=stride, padding=padding, dilation=dilation, groups=groups)
    flat = nn.Conv2d(
        c_in, c_out, (1, kernel_size), stride=(1, stride), padding=(0, padding), dilation=(1, dilation), groups=groups
    )
    conv, flat = conv.to(F64), flat.to(F64)
    with torch.no_grad():
        flat.weight.copy_(conv.weight.unsqueeze(2))
        flat.bias.copy_(conv.bias)
    x = torch.randn(3, c_in, 11, dtype=F64)
    torch.testing.assert_close(flat(x.unsqueeze(2)).squeeze(2), conv(x))


def _after_norm(norm, channels_last: bool, bias: bool, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    y = nn.functional.conv1d(x, weight, torch.tensor([3.0, -1.0, 0.5, 7.0], dtype=F64) if bias else None)
    return norm(y.transpose(1, 2)).transpose(1, 2) if channels_last else norm(y)


@pytest.mark.parametrize(
    ("make_norm", "channels_last", "removes_bias"),
    [
        (lambda: nn.BatchNorm1d(4, dtype=F64), False, True),
        (lambda: nn.BatchNorm1d(4, affine=False, dtype=F64), False, True),
        (lambda: nn.InstanceNorm1d(4, dtype=F64), False, True),
        (lambda: nn.InstanceNorm1d(4, affine=True, dtype=F64), False, True),
        (lambda: nn.GroupNorm(4, 4, dtype=F64), False, True),  # one channel per group
        (lambda: nn.GroupNorm(2, 4, dtype=F64), False, False),  # two channels per group
        (lambda: nn.GroupNorm(1, 4, dtype=F64), False, False),  # every channel in one group
        (lambda: nn.LayerNorm(4, dtype=F64), True, False),  # over the channels, at each position
    ],
    ids=[
        "batchnorm",
        "batchnorm-plain",
        "instancenorm",
        "instancenorm-affine",
        "groupnorm-1",
        "groupnorm-2",
        "groupnorm-4",
        "layernorm-channels",
    ],
)
def test_which_normalisations_subtract_a_per_channel_bias(make_norm, channels_last, removes_bias) -> None:
    torch.manual_seed(0)
    x, weight = torch.randn(3, 2, 9, dtype=F64), torch.randn(4, 2, 3, dtype=F64)
    norm = make_norm()
    norm.train()  # batch statistics, as in training
    with_bias = _after_norm(norm, channels_last, True, x, weight)
    without = _after_norm(norm, channels_last, False, x, weight)
    assert torch.allclose(with_bias, without) is removes_bias
    if not removes_bias:
        assert (with_bias - without).abs().max() > 0.01  # not a rounding difference


@pytest.mark.parametrize("kernel_size", [1, 2, 3, 5])
@pytest.mark.parametrize(("stride", "padding", "dilation"), [(1, 0, 1), (2, 1, 1), (3, 2, 2)])
def test_channel_counts_never_change_the_output_length(kernel_size, stride, padding, dilation) -> None:
    length = 13
    expected = output_length(length, kernel_size, stride=stride, padding=padding, dilation=dilation)
    for c_in, c_out in itertools.product((1, 2, 6), (1, 3, 8)):
        conv = nn.Conv1d(c_in, c_out, kernel_size, stride=stride, padding=padding, dilation=dilation)
        assert conv(torch.zeros(2, c_in, length)).shape == (2, c_out, expected)


@pytest.mark.parametrize(("c_in", "c_out", "kernel_size", "groups"), [(3, 2, 3, 1), (4, 6, 2, 2), (1, 1, 5, 1)])
def test_a_batch_is_its_examples_one_by_one(c_in, c_out, kernel_size, groups) -> None:
    torch.manual_seed(1)
    conv = nn.Conv1d(c_in, c_out, kernel_size, padding=1, groups=groups, dtype=F64)
    batch = torch.randn(6, c_in, 10, dtype=F64)
    torch.testing.assert_close(conv(batch), torch.cat([conv(batch[n : n + 1]) for n in range(6)]))
    torch.testing.assert_close(conv(batch)[2], conv(batch[2]))  # the unbatched call gives (C_out, L_out)


def test_sequence_layers_default_to_sequence_first() -> None:
    n, length, c = 8, 20, 16
    assert nn.Embedding(100, c)(torch.zeros(n, length, dtype=torch.long)).shape == (n, length, c)
    for layer in (nn.GRU(c, c), nn.LSTM(c, c), nn.RNN(c, c)):
        assert layer.batch_first is False
        assert layer(torch.zeros(length, n, c))[0].shape == (length, n, c)
        first = type(layer)(c, c, batch_first=True)
        assert first(torch.zeros(n, length, c))[0].shape == (n, length, c)
    encoder = nn.TransformerEncoderLayer(d_model=c, nhead=2)
    assert encoder.self_attn.batch_first is False
    encoder.eval()
    x = torch.randn(length, n, c)
    # sequence first: example 3 alone, as (L, 1, C), gives the same as its column of the batch
    torch.testing.assert_close(encoder(x)[:, 3:4], encoder(x[:, 3:4]), atol=1e-5, rtol=1e-5)
