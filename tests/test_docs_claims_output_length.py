"""The claims of docs/guide/output-length.md, over many configurations, checked with torch."""

from __future__ import annotations

import itertools
import warnings

import pytest
import torch
import torch.nn.functional as F

from conv_docs import output_length, trace_conv1d

F64 = torch.float64
SETTINGS = list(itertools.product(range(1, 5), range(1, 5), range(3), range(1, 4)))  # kernel, stride, padding, dilation


def never_read(length: int, k: int, stride: int, padding: int, dilation: int) -> list[int]:
    """Input positions that no tap of any window lands on, by the page's rule: padded cell q is read exactly when
    q = t*stride + j*dilation for some output t and tap j."""
    windows = (length + 2 * padding - dilation * (k - 1) - 1) // stride + 1
    read = {t * stride + j * dilation - padding for t in range(windows) for j in range(k)}
    return [i for i in range(length) if i not in read]


def fits(length: int, k: int, padding: int, dilation: int) -> bool:
    return length + 2 * padding >= dilation * (k - 1) + 1


@pytest.mark.parametrize(("k", "stride", "padding", "dilation"), SETTINGS)
def test_the_length_is_the_count_of_window_starts(k, stride, padding, dilation) -> None:
    for length in range(1, 13):
        if not fits(length, k, padding, dilation):
            continue
        span = dilation * (k - 1) + 1
        starts = range(0, length + 2 * padding - span + 1, stride)
        options = {"stride": stride, "padding": padding, "dilation": dilation}
        out = F.conv1d(torch.zeros(1, 1, length), torch.zeros(1, 1, k), **options)
        assert out.shape[-1] == len(starts) == output_length(length, k, stride, padding, dilation)


@pytest.mark.parametrize(("k", "stride", "padding", "dilation"), SETTINGS)
def test_the_rule_names_the_inputs_the_trace_and_torch_find_unread(k, stride, padding, dilation) -> None:
    for length in range(1, 13):
        if not fits(length, k, padding, dilation):
            continue
        expected = never_read(length, k, stride, padding, dilation)
        x = torch.arange(1.0, length + 1, dtype=F64).view(1, 1, -1).requires_grad_()
        w = torch.ones(1, 1, k, dtype=F64)  # positive weights: no two paths can cancel
        options = {"stride": stride, "padding": padding, "dilation": dilation}
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "PyTorch does not warn about the cells no output reads"
            y = F.conv1d(x, w, **options)
        y.sum().backward()
        assert [i for i in range(length) if x.grad[0, 0, i] == 0] == expected  # a zero gradient
        trace = trace_conv1d(x.detach()[0].numpy(), [1.0] * k, **options)
        assert [position for _, position in trace.unread] == expected  # the trace's unread
        changed = x.detach().clone()
        changed[0, 0, expected] = 1000.0  # changing every unread input changes no output
        assert torch.equal(F.conv1d(changed, w, **options), y.detach())


@pytest.mark.parametrize(("k", "stride", "padding"), list(itertools.product(range(1, 5), range(1, 6), range(3))))
def test_without_dilation_the_leftover_and_the_gaps_are_what_is_lost(k, stride, padding) -> None:
    for length in range(1, 16):
        if not fits(length, k, padding, 1):
            continue
        padded, span = length + 2 * padding, k
        lost = never_read(length, k, stride, padding, 1)
        leftover = {q - padding for q in range(padded - (padded - span) % stride, padded)}
        assert len(range(padded - (padded - span) % stride, padded)) == (padded - span) % stride
        # the cells after each window, up to the next one: stride - span of them when the stride is longer
        windows = output_length(length, k, stride, padding)
        gaps = {t * stride + span + g - padding for t in range(windows - 1) for g in range(max(stride - span, 0))}
        assert lost == sorted(i for i in leftover | gaps if 0 <= i < length)
        if stride <= k:
            assert lost == sorted(i for i in leftover if 0 <= i < length)  # only the leftover at the end


@pytest.mark.parametrize(("k", "stride", "padding"), list(itertools.product(range(1, 5), range(1, 5), range(3))))
def test_every_input_counts_when_no_gap_and_no_leftover(k, stride, padding) -> None:
    if stride > k:
        return
    for length in range(1, 16):
        if not fits(length, k, padding, 1):
            continue
        if (length + 2 * padding - k) % stride == 0:  # lengths the stride divides
            assert never_read(length, k, stride, padding, 1) == []
        # or pad on the right only, with F.pad, so that the last window reaches the end
        right = -(length + 2 * padding - k) % stride
        x = torch.arange(1.0, length + 1, dtype=F64).view(1, 1, -1).requires_grad_()
        padded = F.pad(x, (padding, padding + right))
        F.conv1d(padded, torch.ones(1, 1, k, dtype=F64), stride=stride).sum().backward()
        assert bool((x.grad != 0).all()), (length, k, stride, padding, right)


@pytest.mark.parametrize(("k", "dilation", "padding"), list(itertools.product(range(1, 5), range(1, 4), range(3))))
def test_with_stride_1_the_staircase_climbs_by_one(k, dilation, padding) -> None:
    span = dilation * (k - 1) + 1
    for length in range(1, 30):
        if fits(length, k, padding, dilation):
            out = F.conv1d(torch.zeros(1, 1, length), torch.zeros(1, 1, k), padding=padding, dilation=dilation)
            assert out.shape[-1] == length - span + 1 + 2 * padding


def torch_length(length: int, k: int, stride: int = 1, padding: int = 0) -> int | None:
    """The length torch gives, or None where it refuses the input as too short."""
    try:
        return F.conv1d(torch.zeros(1, 1, length), torch.zeros(1, 1, k), stride=stride, padding=padding).shape[-1]
    except RuntimeError:
        return None


@pytest.mark.parametrize(("k", "stride", "padding"), list(itertools.product(range(1, 5), range(1, 5), range(3))))
def test_with_stride_s_each_length_is_shared_by_s_input_lengths(k, stride, padding) -> None:
    lengths = [torch_length(n, k, stride, padding) for n in range(1, 60)]
    values = [value for value in lengths if value is not None]
    assert values == sorted(values)  # a staircase
    # every step but the last one seen is s input lengths wide (the first may be narrower: the input length is >= 1)
    widths = [values.count(value) for value in sorted(set(values))]
    assert set(widths[1:-1]) == {stride}


@pytest.mark.parametrize(("k", "stride"), list(itertools.product(range(2, 6), range(1, 4))))
def test_padding_shifts_the_staircase_to_the_left(k, stride) -> None:
    first_fit = []
    for padding in range(3):
        lengths = [torch_length(n, k, stride, padding) for n in range(1, 20)]
        first_fit.append(next(n for n, value in enumerate(lengths, start=1) if value is not None))
        if padding:  # at every input length, at least as many outputs as with less padding
            before = [torch_length(n, k, stride, padding - 1) or 0 for n in range(1, 20)]
            assert all((value or 0) >= old for value, old in zip(lengths, before, strict=True))
    assert first_fit == [max(k - 2 * padding, 1) for padding in range(3)]  # the window fits sooner


@pytest.mark.parametrize("k", range(1, 7))
def test_the_two_shortcuts(k) -> None:
    x, w = torch.zeros(1, 1, 10), torch.zeros(1, 1, k)
    assert F.conv1d(x, w).shape[-1] == 10 - k + 1
    assert F.conv1d(x, w, padding="same").shape[-1] == 10
    with pytest.raises(RuntimeError, match="padding='same' is not supported for strided convolutions"):
        F.conv1d(x, w, stride=2, padding="same")
