"""The claims of docs/guide/padding.md, over many configurations, checked with torch and hand formulas."""

from __future__ import annotations

import itertools
import subprocess
import sys
import warnings
from collections import Counter

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from conv_docs import conv1d, output_length, resolve_padding, trace_conv1d

F64 = torch.float64
KERNELS, DILATIONS = range(1, 7), range(1, 5)


@pytest.mark.parametrize(("k", "d"), list(itertools.product(KERNELS, DILATIONS)))
def test_same_splits_its_total_with_the_extra_cell_on_the_right(k, d) -> None:
    torch.manual_seed(k * 10 + d)
    x, w = torch.randn(1, 1, 13, dtype=F64), torch.randn(1, 1, k, dtype=F64)
    total = d * (k - 1)
    assert (total % 2 == 1) == (k % 2 == 0 and d % 2 == 1)  # odd exactly for an even kernel and an odd dilation
    left, right = total // 2, total - total // 2
    same = F.conv1d(x, w, padding="same", dilation=d)
    assert same.shape[-1] == x.shape[-1]
    torch.testing.assert_close(same, F.conv1d(F.pad(x, (left, right)), w, dilation=d))
    assert resolve_padding("same", kernel_size=k, dilation=d) == (left, right)


@pytest.mark.parametrize(("k", "d"), list(itertools.product(KERNELS, DILATIONS)))
def test_torch_warns_about_same_exactly_when_the_total_is_odd(k, d) -> None:
    before = torch.is_warn_always_enabled()
    torch.set_warn_always(True)  # torch warns once per process otherwise
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            F.conv1d(torch.zeros(1, 1, 10), torch.zeros(1, 1, k), padding="same", dilation=d)
    finally:
        torch.set_warn_always(before)
    messages = [str(w.message) for w in caught]
    if d * (k - 1) % 2:
        assert len(messages) == 1
        assert messages[0].startswith("Using padding='same' with even kernel lengths and odd dilation may ")
    else:
        assert messages == []


def test_torch_warns_about_same_once_per_process() -> None:
    code = (
        "import warnings, torch, torch.nn.functional as F\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    for k in (2, 4, 2):\n"
        "        F.conv1d(torch.zeros(1, 1, 9), torch.zeros(1, 1, k), padding='same')\n"
        "print(len(caught))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "1"


@pytest.mark.parametrize(("length", "k"), [(8, 3), (12, 3), (9, 5), (6, 2)])
def test_without_padding_edges_are_read_by_fewer_windows(length, k) -> None:
    trace = trace_conv1d(list(range(length)), [1] * k)
    reads = Counter(term.source for step in trace.steps for term in step.terms)
    # by hand: input i is read by the windows starting at max(0, i-k+1) .. min(i, length-k)
    by_hand = [min(i, length - k) - max(0, i - k + 1) + 1 for i in range(length)]
    assert [reads[i] for i in range(length)] == by_hand
    assert reads[0] == 1
    assert reads[length // 2] == k


@pytest.mark.parametrize(("length", "k", "s", "p", "d"), [(3, 2, 2, 1, 1), (9, 4, 1, 2, 2), (7, 3, 3, 3, 1)])
def test_integer_padding_is_explicit_zeros_on_both_sides(length, k, s, p, d) -> None:
    x, w = torch.randn(1, 2, length, dtype=F64), torch.randn(3, 2, k, dtype=F64)
    padded = F.pad(x, (p, p))
    assert padded.shape[-1] == length + 2 * p
    torch.testing.assert_close(
        F.conv1d(x, w, stride=s, padding=p, dilation=d), F.conv1d(padded, w, stride=s, dilation=d)
    )


@pytest.mark.parametrize(("k", "d"), list(itertools.product(range(1, 5), range(1, 4))))
def test_valid_is_no_padding_and_shortens_by_span_minus_1(k, d) -> None:
    length = 12
    x, w = torch.randn(1, 1, length), torch.randn(1, 1, k)
    valid = F.conv1d(x, w, padding="valid", dilation=d)
    assert torch.equal(valid, F.conv1d(x, w, padding=0, dilation=d))
    assert valid.shape[-1] == length - (d * (k - 1) + 1 - 1)


@pytest.mark.parametrize(("stride", "k"), list(itertools.product((2, 3), (1, 3, 4))))
def test_with_a_stride_keeping_the_length_takes_padding_that_grows_with_it(stride, k) -> None:
    for length in (4, 10, 30):
        # the smallest padding that gives as many outputs as inputs, found by trying
        smallest = next(p for p in range(200) if output_length(length, k, stride=stride, padding=p) >= length)
        assert abs(smallest - length * (stride - 1) / 2) <= k
        x = torch.zeros(1, 1, length)
        assert F.conv1d(x, torch.zeros(1, 1, k), stride=stride, padding=smallest).shape[-1] == length


@pytest.mark.parametrize("stride", [2, 3])
def test_same_with_a_stride_is_refused_by_torch_and_the_library(stride) -> None:
    with pytest.raises(ValueError, match="not supported for strided convolutions"):
        nn.Conv1d(1, 1, 3, stride=stride, padding="same")
    with pytest.raises(ValueError, match=f"padding='same' needs stride=1, got stride={stride}"):
        conv1d([[1.0, 2.0, 3.0, 4.0]], [[[1.0, 1.0, 1.0]]], stride=stride, padding="same")


@pytest.mark.parametrize("mode", ["reflect", "circular", "replicate", "zeros"])
def test_the_limits_of_the_copying_modes(mode) -> None:
    for length, padding in itertools.product(range(1, 6), range(8)):
        allowed = {"reflect": padding < length, "circular": padding <= length}.get(mode, True)
        x = torch.randn(1, 1, length)
        layer = nn.Conv1d(1, 1, 1, padding=padding, padding_mode=mode)
        if allowed:
            assert layer(x).shape[-1] == length + 2 * padding
            conv1d(x, layer.weight, padding=padding, padding_mode=mode)
        else:
            with pytest.raises(RuntimeError):
                layer(x)
            with pytest.raises(ValueError, match=f"padding_mode='{mode}'"):
                conv1d(x, layer.weight, padding=padding, padding_mode=mode)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular", "zeros"])
def test_the_module_pads_with_f_pad_for_every_mode_but_zeros(mode, monkeypatch) -> None:
    calls = []
    real_pad = F.pad

    def counting_pad(*args, **kwargs):
        calls.append(kwargs.get("mode", args[2] if len(args) > 2 else "constant"))
        return real_pad(*args, **kwargs)

    monkeypatch.setattr(torch.nn.functional, "pad", counting_pad)
    layer = nn.Conv1d(2, 3, 3, padding=2, padding_mode=mode).double()
    x = torch.randn(1, 2, 6, dtype=F64)
    out = layer(x)
    assert calls == ([] if mode == "zeros" else [mode])
    by_hand = F.conv1d(real_pad(x, (2, 2), mode="constant" if mode == "zeros" else mode), layer.weight, layer.bias)
    torch.testing.assert_close(out, by_hand)
    with pytest.raises(TypeError):
        F.conv1d(x, layer.weight, padding=2, padding_mode=mode)  # the function has no such argument
