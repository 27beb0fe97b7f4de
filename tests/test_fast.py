"""The fast paths against torch and the reference loops, on every configuration torch accepts."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from strategies import conv1d_configs, torch_conv1d

from conv_docs import conv1d
from conv_docs.fast import conv1d_fft, conv1d_im2col, im2col, multiplications, window_indices
from conv_docs.params import output_length

FAST = [conv1d_im2col, conv1d_fft]


def call(function, config):
    return function(config.x, config.w, config.b, **config.kwargs)


@pytest.mark.parametrize("function", FAST, ids=lambda f: f.__name__)
@given(config=conv1d_configs())
def test_fast_path_matches_torch_and_reference(function, config, count_example) -> None:
    count_example()
    try:
        expected = torch_conv1d(config)
    except (RuntimeError, ValueError):  # torch refuses the configuration: so must the fast path, as the reference does
        with pytest.raises(ValueError):
            call(function, config)
        return
    ours = call(function, config)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ours, call(conv1d, config), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("function", FAST, ids=lambda f: f.__name__)
def test_long_signal_and_long_kernel(function) -> None:
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(2, 3, 500)), rng.normal(size=(4, 3, 65)), rng.normal(size=4)
    expected = torch.nn.functional.conv1d(
        torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride=3, padding=7, dilation=2
    ).numpy()
    np.testing.assert_allclose(function(x, w, b, stride=3, padding=7, dilation=2), expected, rtol=1e-9, atol=1e-9)


def test_fft_differs_from_torch_by_rounding_only() -> None:
    """In float64 the FFT's largest difference from torch is far below 1e-13 of the largest value (about 1e-16)."""
    rng = np.random.default_rng(3)
    for length, kernel in ((300, 40), (4000, 3), (3000, 1001)):
        x, w = rng.normal(size=(1, 2, length)), rng.normal(size=(2, 2, kernel))
        expected = torch.nn.functional.conv1d(torch.from_numpy(x), torch.from_numpy(w)).numpy()
        error = np.abs(conv1d_fft(x, w) - expected).max() / np.abs(expected).max()
        assert 0 < error < 1e-13


@given(
    length=st.integers(1, 12),
    kernel=st.integers(1, 4),
    stride=st.integers(1, 3),
    dilation=st.integers(1, 3),
    padding=st.integers(0, 2),
    channels=st.integers(1, 3),
)
def test_tensor_unfold_is_im2col(length, kernel, stride, dilation, padding, channels, count_example) -> None:
    """The page's recipe: unfold windows of the whole span, keep every dilation-th cell; a view, laid out as im2col."""
    span = dilation * (kernel - 1) + 1
    if length + 2 * padding < span:
        return  # no window fits: torch refuses the convolution
    count_example()
    generator = torch.Generator().manual_seed(length * 100 + kernel)
    x = torch.randn(2, channels, length, dtype=torch.float64, generator=generator)
    w = torch.randn(3, channels, kernel, dtype=torch.float64, generator=generator)
    padded = F.pad(x, (padding, padding))
    windows = padded.unfold(-1, span, stride)[..., ::dilation]  # (N, C, L_out, K)
    l_out = output_length(length, kernel, stride, padding, dilation)
    assert windows.shape == (2, channels, l_out, kernel)
    assert windows.data_ptr() == padded.data_ptr()  # a view of the padded input
    columns = windows.permute(0, 1, 3, 2).reshape(2, channels * kernel, l_out)
    np.testing.assert_array_equal(columns.numpy(), im2col(padded.numpy(), kernel, stride, dilation))
    y = torch.einsum("nctk,ock->not", windows, w)
    expected = F.conv1d(x, w, stride=stride, padding=padding, dilation=dilation)
    np.testing.assert_allclose(y.numpy(), expected.numpy(), rtol=1e-9, atol=1e-9)


def test_torch_runs_conv1d_as_a_2d_convolution() -> None:
    """What the page says of the CPU build it is tested with: a 1-D convolution is made 2-D (an axis of height 1
    added), float32 goes to oneDNN (mkldnn), float64 to the im2col-and-matrix-product routine (slow_conv2d)."""
    from torch.profiler import profile

    def routines(dtype: torch.dtype) -> list[str]:
        x, w = torch.ones(2, 3, 50, dtype=dtype), torch.ones(4, 3, 5, dtype=dtype)
        with profile() as prof:
            F.conv1d(x, w, stride=2, padding=1)
        return [event.name for event in prof.events()]

    float32, float64 = routines(torch.float32), routines(torch.float64)
    assert "aten::unsqueeze" in float32 and "aten::unsqueeze" in float64
    assert "aten::_slow_conv2d_forward" in float64
    if torch.backends.mkldnn.is_available():
        assert "aten::mkldnn_convolution" in float32


def test_im2col_columns_are_the_windows_by_hand() -> None:
    # the fourth seed case: [0, 2, 3, 4, 0], kernel 2, stride 2: windows (0, 2) and (3, 4)
    np.testing.assert_array_equal(im2col(np.array([[0.0, 2, 3, 4, 0]]), 2, stride=2), [[0, 3], [2, 4]])
    # two channels: rows are channel 0's taps, then channel 1's
    two = np.array([[1.0, 2, 3], [10, 20, 30]])
    np.testing.assert_array_equal(im2col(two, 2), [[1, 2], [2, 3], [10, 20], [20, 30]])
    np.testing.assert_array_equal(window_indices(2, 3, stride=1, dilation=2), [[0, 1], [2, 3], [4, 5]])


@pytest.mark.parametrize("function", FAST, ids=lambda f: f.__name__)
def test_bad_arguments_are_refused_like_the_reference(function) -> None:
    with pytest.raises(ValueError, match="stride must be an int >= 1"):
        function([[2, 3, 4]], [[[1, 1]]], stride=0)
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        function([[2, 3, 4]], [[[1, 1]]], padding=1, padding_mode="mirror")


def test_cost_counts() -> None:
    assert multiplications(100, 5, 96, "im2col") == 5 * 96  # one product per tap per output
    # FFT's cost hardly depends on the kernel, the direct one grows with it: they cross somewhere
    fft_small, fft_large = multiplications(4096, 3, 4094, "fft"), multiplications(4096, 1025, 3072, "fft")
    assert fft_large < 1.5 * fft_small
    assert multiplications(4096, 3, 4094, "direct") < fft_small
    assert multiplications(4096, 1025, 3072, "direct") > fft_large
    with pytest.raises(ValueError, match="method must be one of 'direct', 'im2col', 'fft'"):
        multiplications(10, 3, 8, "winograd")
