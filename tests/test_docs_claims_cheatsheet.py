"""The claims of docs/guide/cheatsheet.md (its tables and its notes), checked with torch."""

from __future__ import annotations

import itertools
import warnings

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from conv_docs import resolve_padding


def shape_by_hand(n, c_in, length, c_out, k, stride=1, padding=0, dilation=1, groups=1):
    """The output shape, from the cheat sheet's tables alone; ValueError where its limits say torch refuses."""
    if c_in % groups or c_out % groups:
        raise ValueError("groups must divide both channel counts")
    span = dilation * (k - 1) + 1
    if padding == "same":
        if stride != 1:
            raise ValueError("padding='same' needs stride=1")
        padding_total = span - 1
    else:
        padding_total = 0 if padding == "valid" else 2 * padding
    if span > length + padding_total:
        raise ValueError("the window does not fit")
    return (n, c_out, (length + padding_total - span) // stride + 1)


GRID = list(itertools.product([2, 4], [1, 5, 8], [3, 6], [1, 3], [1, 2], [0, 1, "valid", "same"], [1, 2], [1, 2]))


@pytest.mark.parametrize(("c_in", "length", "c_out", "k", "stride", "padding", "dilation", "groups"), GRID)
def test_the_shape_table(c_in, length, c_out, k, stride, padding, dilation, groups) -> None:
    arguments = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    x = torch.zeros(3, c_in, length)  # a batch of 3
    weight = torch.zeros(c_out, max(c_in // groups, 1), k)
    try:
        expected = shape_by_hand(3, c_in, length, c_out, k, **arguments)
    except ValueError:
        with pytest.raises((ValueError, RuntimeError)):
            F.conv1d(x, weight, **arguments)
        return
    assert tuple(F.conv1d(x, weight, **arguments).shape) == expected
    assert tuple(F.conv1d(x[0], weight, **arguments).shape) == expected[1:]  # unbatched


@pytest.mark.parametrize(("c_in", "c_out", "k", "groups"), list(itertools.product([2, 4], [2, 6], [1, 3], [1, 2])))
def test_the_parameters_have_the_shapes_of_the_table(c_in, c_out, k, groups) -> None:
    conv = nn.Conv1d(c_in, c_out, k, groups=groups)
    assert conv.weight.shape == (c_out, c_in // groups, k)
    assert conv.bias.shape == (c_out,)
    assert nn.Conv1d(c_in, c_out, k, groups=groups, bias=False).bias is None


def test_groups_must_divide_both_channel_counts() -> None:
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        nn.Conv1d(3, 4, 1, groups=2)
    with pytest.raises(ValueError, match="out_channels must be divisible by groups"):
        nn.Conv1d(4, 3, 1, groups=2)
    with pytest.warns(UserWarning, match="zero-element"):
        empty = nn.Conv1d(1, 0, 1)
    with pytest.raises(RuntimeError, match="expected weight to be at least 1 at dimension 0"):  # no output channel
        empty(torch.zeros(1, 1, 5))


@pytest.mark.parametrize(("k", "dilation"), list(itertools.product(range(1, 5), range(1, 4))))
def test_with_stride_1_each_extra_tap_costs_dilation_outputs(k, dilation) -> None:
    x = torch.zeros(1, 1, 20)
    shorter = F.conv1d(x, torch.zeros(1, 1, k), dilation=dilation).shape[-1]
    longer = F.conv1d(x, torch.zeros(1, 1, k + 1), dilation=dilation).shape[-1]
    assert shorter - longer == dilation


@pytest.mark.parametrize(("k", "stride", "padding"), list(itertools.product(range(1, 4), range(1, 4), range(4))))
def test_padding_adds_about_2_padding_over_stride_outputs(k, stride, padding) -> None:
    x, w = torch.zeros(1, 1, 24), torch.zeros(1, 1, k)
    gained = F.conv1d(x, w, stride=stride, padding=padding).shape[-1] - F.conv1d(x, w, stride=stride).shape[-1]
    assert abs(gained - 2 * padding / stride) < 1  # the floor can move it by less than one
    assert torch.equal(F.conv1d(x, w, padding="valid"), F.conv1d(x, w, padding=0))


@pytest.mark.parametrize(("k", "dilation"), list(itertools.product(range(1, 6), range(1, 4))))
def test_same_pads_span_minus_1_cells_the_extra_one_on_the_right(k, dilation) -> None:
    x = torch.arange(1.0, 11.0).view(1, 1, -1)
    w = torch.arange(1.0, k + 1).view(1, 1, -1)
    span = dilation * (k - 1) + 1
    left, right = (span - 1) // 2, span - 1 - (span - 1) // 2  # the extra one on the right
    assert resolve_padding("same", k, dilation=dilation) == (left, right)
    assert torch.equal(
        F.conv1d(x, w, padding="same", dilation=dilation), F.conv1d(F.pad(x, (left, right)), w, dilation=dilation)
    )
    with pytest.raises(ValueError, match="padding='same' is not supported for strided convolutions"):
        nn.Conv1d(1, 1, k, stride=2, padding="same", dilation=dilation)


@pytest.mark.parametrize("length", [3, 4, 5])
def test_the_limits_of_the_padding_modes(length) -> None:
    x = torch.zeros(1, 1, length)

    def accepted(mode: str, padding: int) -> bool:
        try:
            nn.Conv1d(1, 1, 1, padding=padding, padding_mode=mode)(x)
        except RuntimeError:
            return False
        return True

    for padding in range(2 * length + 2):
        assert accepted("reflect", padding) == (padding < length)
        assert accepted("circular", padding) == (padding <= length)
        assert accepted("replicate", padding) and accepted("zeros", padding)


@pytest.mark.parametrize(("k", "dilation"), list(itertools.product(range(1, 5), range(1, 4))))
def test_causal_padding_on_the_left_keeps_the_length_at_stride_1(k, dilation) -> None:
    x = torch.zeros(1, 1, 12)
    causal = F.pad(x, (dilation * (k - 1), 0))
    assert F.conv1d(causal, torch.zeros(1, 1, k), dilation=dilation).shape[-1] == 12


def test_n_l_c_is_refused_with_the_message_the_page_quotes_and_silent_when_l_equals_c() -> None:
    conv = nn.Conv1d(in_channels=6, out_channels=8, kernel_size=3)
    with pytest.raises(
        RuntimeError, match=r"expected input\[4, 10, 6\] to have 6 channels, but got 10 channels instead"
    ):
        conv(torch.randn(4, 10, 6))
    square = torch.randn(4, 6, 6)  # L == C: torch cannot tell the axes apart
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert conv(square).shape == (4, 8, 4)  # convolved over the features, without a word
    batch_first = nn.GRU(input_size=6, hidden_size=5, batch_first=True)(torch.randn(4, 10, 6))[0]
    embedded = nn.Embedding(100, 6)(torch.zeros(4, 10, dtype=torch.long))
    assert batch_first.shape == (4, 10, 5) and embedded.shape == (4, 10, 6)  # (N, L, C)
