"""The claims of docs/guide/dilation.md, over many configurations, checked with torch."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from conv_docs import conv1d, output_length, resolve_padding, trace_conv1d

F64 = torch.float64


@pytest.mark.parametrize(("k", "dilation"), list(itertools.product(range(1, 5), range(1, 5))))
def test_a_dilated_kernel_is_an_ordinary_kernel_with_zeros_between_its_weights(k, dilation) -> None:
    torch.manual_seed(10 * k + dilation)
    x = torch.randn(2, 1, 16, dtype=F64)
    w = torch.randn(1, 1, k, dtype=F64)
    effective = dilation * (k - 1) + 1
    spread = torch.zeros(1, 1, effective, dtype=F64)
    spread[..., ::dilation] = w  # dilation - 1 zeros between neighbours
    dilated = F.conv1d(x, w, dilation=dilation)
    torch.testing.assert_close(F.conv1d(x, spread), dilated)
    assert dilated.shape[-1] == output_length(16, effective) == output_length(16, k, dilation=dilation)
    torch.testing.assert_close(torch.from_numpy(conv1d(x, w, dilation=dilation)), dilated)


@pytest.mark.parametrize(
    ("k", "stride", "padding", "dilation"), list(itertools.product(range(1, 4), range(1, 4), range(3), range(1, 4)))
)
def test_tap_j_of_window_t_reads_padded_cell_t_stride_plus_j_dilation(k, stride, padding, dilation) -> None:
    length = 12
    x = torch.arange(1.0, length + 1, dtype=F64).view(1, 1, -1)
    padded = F.pad(x, (padding, padding))[0, 0]
    options = {"stride": stride, "padding": padding, "dilation": dilation}
    for j in range(k):
        one_hot = torch.zeros(1, 1, k, dtype=F64)
        one_hot[0, 0, j] = 1.0  # only tap j counts: each output is the cell it reads
        out = F.conv1d(x, one_hot, **options)[0, 0]
        assert out.tolist() == [padded[t * stride + j * dilation].item() for t in range(out.shape[0])]
    trace = trace_conv1d(x[0].numpy(), [1.0] * k, **options)
    for step in trace.steps:  # the trace names the same cells
        assert [term.cell for term in step.terms] == [step.position * stride + j * dilation for j in range(k)]


@pytest.mark.parametrize(("k", "dilation"), list(itertools.product(range(1, 6), range(1, 5))))
def test_same_pads_for_the_effective_size(k, dilation) -> None:
    x = torch.arange(1.0, 13.0, dtype=F64).view(1, 1, -1)
    w = torch.arange(1.0, k + 1, dtype=F64).view(1, 1, -1)
    left, right = resolve_padding("same", k, dilation=dilation)
    assert left + right == dilation * (k - 1)  # the effective size, less one
    same = F.conv1d(x, w, padding="same", dilation=dilation)
    assert same.shape[-1] == 12
    assert torch.equal(same, F.conv1d(F.pad(x, (left, right)), w, dilation=dilation))


@pytest.mark.parametrize(("length", "k", "dilation"), list(itertools.product(range(1, 8), range(1, 4), range(1, 5))))
def test_torch_refuses_a_window_that_does_not_fit(length, k, dilation) -> None:
    fits = dilation * (k - 1) + 1 <= length
    if fits:
        F.conv1d(torch.zeros(1, 1, length), torch.zeros(1, 1, k), dilation=dilation)
        conv1d([[0.0] * length], [[[0.0] * k]], dilation=dilation)
    else:
        with pytest.raises(RuntimeError, match="Kernel size can't be greater than actual input size"):
            F.conv1d(torch.zeros(1, 1, length), torch.zeros(1, 1, k), dilation=dilation)
        with pytest.raises(ValueError, match=f"spans {dilation * (k - 1) + 1} cells"):
            conv1d([[0.0] * length], [[[0.0] * k]], dilation=dilation)


@pytest.mark.parametrize(("bad", "error"), [(0, RuntimeError), (-1, RuntimeError), (1.5, TypeError)])
def test_torch_refuses_a_dilation_that_is_not_a_whole_number_of_at_least_1(bad, error) -> None:
    with pytest.raises(error):
        F.conv1d(torch.zeros(1, 1, 8), torch.zeros(1, 1, 2), dilation=bad)
    with pytest.raises((TypeError, ValueError), match="dilation"):
        conv1d([[0.0] * 8], [[[0.0, 0.0]]], dilation=bad)


@pytest.mark.parametrize("dilation", [1, 2, 7, 100])
def test_the_layer_stores_kernel_size_weights_at_any_dilation(dilation) -> None:
    assert torch.nn.Conv1d(1, 1, kernel_size=2, dilation=dilation).weight.shape == (1, 1, 2)
