"""The claims of docs/guide/causal.md, over many configurations, checked with torch and autograd."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from conv_docs.causal import causal_padding, trace_causal_conv1d
from conv_docs.figures.causal_windows import stack_cone
from conv_docs.receptive_field import Layer, receptive_field, receptive_fields

F64 = torch.float64


def causal(x: torch.Tensor, w: torch.Tensor, d: int = 1) -> torch.Tensor:
    return F.conv1d(F.pad(x, (d * (w.shape[-1] - 1), 0)), w, dilation=d)


@pytest.mark.parametrize(("k", "d"), [(3, 1), (5, 1), (3, 2), (7, 3)])
def test_centred_same_is_the_causal_output_moved_earlier(k, d) -> None:
    torch.manual_seed(k + d)
    x, w = torch.randn(1, 1, 16, dtype=F64), torch.randn(1, 1, k, dtype=F64)
    shift = d * (k - 1) // 2  # an odd kernel: half the span on each side
    centred = F.conv1d(x, w, padding="same", dilation=d)
    torch.testing.assert_close(centred[..., : 16 - shift], causal(x, w, d)[..., shift:])


@pytest.mark.parametrize(("k", "d"), list(itertools.product(range(1, 5), range(1, 4))))
def test_tap_j_of_output_t_reads_t_minus_k_minus_1_minus_j_times_d(k, d) -> None:
    length = 12
    assert causal_padding(k, dilation=d) == d * (k - 1)
    trace = trace_causal_conv1d(list(range(length)), [1] * k, dilation=d)
    for step in trace.steps:
        t = step.position
        by_hand = [t - (k - 1 - j) * d for j in range(k)]
        assert [term.source for term in step.terms] == [i if i >= 0 else None for i in by_hand]
        assert max(i for i in by_hand) == t  # never later than t


@pytest.mark.parametrize(("k", "d"), [(2, 1), (3, 1), (3, 2), (4, 3)])
def test_only_causal_keeps_the_past_when_the_future_changes(k, d) -> None:
    torch.manual_seed(k * d)
    x, w = torch.randn(1, 2, 14, dtype=F64), torch.randn(3, 2, k, dtype=F64)
    for t in range(1, 14):
        future = x.clone()
        future[..., t:] += 1.0
        torch.testing.assert_close(causal(x, w, d)[..., :t], causal(future, w, d)[..., :t], rtol=0, atol=0)
        if k > 1:
            same = F.conv1d(x, w, padding="same", dilation=d)
            changed = F.conv1d(future, w, padding="same", dilation=d)
            assert not torch.allclose(same[..., :t], changed[..., :t])  # output t-1 reads input t or later


@pytest.mark.parametrize(("k", "d", "channels"), [(2, 1, 1), (3, 4, 3), (5, 2, 2), (1, 3, 1)])
def test_chomping_gives_the_left_padded_layer(k, d, channels) -> None:
    torch.manual_seed(k)
    x, w = torch.randn(2, channels, 20, dtype=F64), torch.randn(4, channels, k, dtype=F64)
    p = d * (k - 1)
    both = F.conv1d(x, w, padding=p, dilation=d)
    assert both.shape[-1] == 20 + p
    torch.testing.assert_close(both[..., : both.shape[-1] - p], causal(x, w, d))


def _seen(k: int, dilations: list[int], length: int, gated_residual: bool = False) -> list[int]:
    """The inputs with a non-zero gradient of the top layer's last output (positive weights: nothing cancels)."""
    torch.manual_seed(len(dilations))
    x = torch.randn(1, 1, length, dtype=F64, requires_grad=True)
    h = x
    for d in dilations:
        w = torch.rand(1, 1, k, dtype=F64) + 0.1
        if gated_residual:  # WaveNet's gated unit, and a residual connection around it
            g = torch.rand(1, 1, k, dtype=F64) + 0.1
            h = h + torch.tanh(causal(h, w, d)) * torch.sigmoid(causal(h, g, d))
        else:
            h = torch.tanh(causal(h, w, d))
    h[0, 0, -1].backward()
    return [i for i in range(length) if x.grad[0, 0, i] != 0]


@pytest.mark.parametrize(
    ("k", "dilations"), [(2, [1, 2, 4, 8, 16]), (3, [1, 2, 4]), (2, [1, 2, 4, 8] * 2), (3, [1, 3, 9]), (2, [1])]
)
def test_the_receptive_field_of_a_causal_stack(k, dilations) -> None:
    length = 80
    field = 1 + (k - 1) * sum(dilations)
    seen = _seen(k, dilations, length)
    assert seen == list(range(length - field, length))
    assert receptive_field([Layer(k, dilation=d) for d in dilations]) == field
    assert sorted(stack_cone(dilations, k, length)[0]) == seen
    # gated activations and residual connections keep it causal, and the field the same
    assert _seen(k, dilations, length, gated_residual=True) == seen


def test_a_repeated_block_adds_its_reach_again() -> None:
    block = [1, 2, 4, 8]
    fields = [receptive_field([Layer(2, dilation=d) for d in block * n]) for n in (1, 2, 3)]
    assert fields == [16, 31, 46]  # 1 + 15 n


def test_the_doubling_stack_doubles_the_field_and_has_one_path_per_input() -> None:
    dilations = [1, 2, 4, 8, 16]
    assert receptive_fields([Layer(2, dilation=d) for d in dilations]) == [2, 4, 8, 16, 32]
    length = 40
    x = torch.zeros(1, 1, length, dtype=F64, requires_grad=True)
    h = x
    for d in dilations:
        h = causal(h, torch.ones(1, 1, 2, dtype=F64), d)
    h[0, 0, -1].backward()
    assert x.grad.flatten().tolist() == [0.0] * (length - 32) + [1.0] * 32
