"""Convolution as a matrix, against torch; numpy's and scipy's modes against torch with the flipped kernel."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from conv_docs.matrix import NUMPY_MODES, conv1d_matrix, conv_transpose1d_matrix, numpy_mode_padding
from conv_docs.params import output_length

TOL = dict(rtol=1e-9, atol=1e-9)


@st.composite
def conv_settings(draw):
    kernel = draw(st.integers(1, 4))
    dilation = draw(st.integers(1, 3))
    padding = draw(st.integers(0, 3))
    length = draw(st.integers(max(1, dilation * (kernel - 1) + 1 - 2 * padding), 10))
    weight = draw(st.lists(st.integers(-5, 5).map(float), min_size=kernel, max_size=kernel))
    return length, weight, dict(stride=draw(st.integers(1, 3)), padding=padding, dilation=dilation)


@given(case=conv_settings())
def test_matrix_times_input_is_torch_conv1d(case, count_example) -> None:
    count_example()
    length, weight, kwargs = case
    x = torch.arange(1.0, length + 1, dtype=torch.float64) ** 1.5  # distinct values: no accidental cancellation
    expected = F.conv1d(x.view(1, 1, -1), torch.tensor([[weight]], dtype=torch.float64), **kwargs).flatten()
    np.testing.assert_allclose(conv1d_matrix(length, weight, **kwargs) @ x.numpy(), expected.numpy(), **TOL)


@given(case=conv_settings())
def test_transpose_matrix_is_the_transpose_and_is_torch_conv_transpose1d(case, count_example) -> None:
    count_example()
    length, weight, kwargs = case
    forward = conv1d_matrix(length, weight, **kwargs)
    # the output_padding that gives conv_transpose1d back the length conv1d started from
    back = output_length(forward.shape[0], len(weight), transposed=True, **kwargs)
    extra = length - back
    if extra >= max(kwargs["stride"], kwargs["dilation"]):
        return  # torch refuses that output_padding: more inputs were dropped than it can restore
    transposed = conv_transpose1d_matrix(forward.shape[0], weight, output_padding=extra, **kwargs)
    np.testing.assert_array_equal(transposed, forward.T)
    y = torch.linspace(-1, 2, forward.shape[0], dtype=torch.float64)
    w = torch.tensor([[weight]], dtype=torch.float64)
    expected = F.conv_transpose1d(y.view(1, 1, -1), w, output_padding=extra, **kwargs).flatten()
    np.testing.assert_allclose(transposed @ y.numpy(), expected.numpy(), **TOL)


@given(case=conv_settings(), mode=st.sampled_from(["zeros", "reflect", "replicate", "circular"]))
def test_matrix_with_every_padding_mode_is_torch_conv1d(case, mode, count_example) -> None:
    length, weight, kwargs = case
    if (mode == "reflect" and kwargs["padding"] >= length) or (mode == "circular" and kwargs["padding"] > length):
        return  # torch refuses these (see test_params); the error is tested there
    count_example()
    conv = torch.nn.Conv1d(1, 1, len(weight), bias=False, padding_mode=mode, dtype=torch.float64, **kwargs)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([[weight]], dtype=torch.float64))
        # column i of M is what the layer makes of the unit vector at i: a second way to the same matrix
        columns = conv(torch.eye(length, dtype=torch.float64).view(length, 1, length))[:, 0, :].T
    np.testing.assert_allclose(conv1d_matrix(length, weight, padding_mode=mode, **kwargs), columns.numpy(), **TOL)


def test_a_reflected_pad_adds_its_weight_to_the_column_it_copies() -> None:
    # reflect, padding 1 on [x0, x1, x2]: the padded input is x1 x0 x1 x2 x1, so both pads land in column 1
    matrix = conv1d_matrix(3, [1, 10], padding=1, padding_mode="reflect")
    np.testing.assert_array_equal(matrix, [[10, 1, 0], [1, 10, 0], [0, 1, 10], [0, 10, 1]])
    assert matrix.sum() == 4 * 11  # every tap of every row has a column: none falls on a zero


def test_matrix_of_the_fourth_seed_case_by_hand() -> None:
    # [0, 2, 3, 4, 0] with kernel (w0, w1), stride 2: output 0 reads (pad, x0), output 1 reads (x1, x2)
    np.testing.assert_array_equal(conv1d_matrix(3, [5, 7], stride=2, padding=1), [[7, 0, 0], [0, 5, 7]])


@pytest.mark.parametrize("mode", NUMPY_MODES)
@pytest.mark.parametrize("kernel", [1, 2, 3, 4, 5])
def test_numpy_convolve_is_torch_conv1d_with_flipped_kernel(mode, kernel) -> None:
    rng = np.random.default_rng(kernel)
    for length in range(kernel, kernel + 5):
        x, w = rng.normal(size=length), rng.normal(size=kernel)
        left, right = numpy_mode_padding(mode, kernel)
        padded = F.pad(torch.from_numpy(x).view(1, 1, -1), (left, right))
        ours = F.conv1d(padded, torch.from_numpy(w[::-1].copy()).view(1, 1, -1)).flatten().numpy()
        np.testing.assert_allclose(ours, np.convolve(x, w, mode), **TOL)


@pytest.mark.parametrize("kernel", [1, 3, 5])
def test_numpy_same_matches_torch_same_for_odd_kernels_only(kernel) -> None:
    left, right = numpy_mode_padding("same", kernel)
    assert left == right == (kernel - 1) // 2  # torch's padding="same" splits the same way for odd kernels
    assert numpy_mode_padding("same", kernel + 1) == (kernel // 2 + 1, kernel // 2)  # even: torch gives (k//2, k//2+1)


@pytest.mark.parametrize("kernel", [1, 2, 3, 4, 5, 6])
def test_torch_same_is_numpy_same_for_odd_kernels_and_one_place_left_for_even(kernel) -> None:
    rng = np.random.default_rng(10 + kernel)
    x, w = rng.normal(size=9), rng.normal(size=kernel)
    torch_same = F.conv1d(torch.from_numpy(x).view(1, 1, -1), torch.from_numpy(w).view(1, 1, -1), padding="same")
    torch_same, numpy_same = torch_same.flatten().numpy(), np.correlate(x, w, "same")
    if kernel % 2:
        np.testing.assert_allclose(torch_same, numpy_same, **TOL)
    else:
        assert not np.allclose(torch_same, numpy_same)
        np.testing.assert_allclose(torch_same[:-1], numpy_same[1:], **TOL)  # torch's are numpy's, one place left


@pytest.mark.parametrize("mode", NUMPY_MODES)
@pytest.mark.parametrize(("length", "kernel"), [(9, 1), (9, 4), (7, 7), (40, 13)])
def test_scipy_direct_is_numpy_exactly_and_scipy_fft_up_to_rounding(mode, length, kernel) -> None:
    rng = np.random.default_rng(length * kernel)
    x, w = rng.normal(size=length), rng.normal(size=kernel)
    for scipy_function, numpy_function in (
        (scipy.signal.correlate, np.correlate),
        (scipy.signal.convolve, np.convolve),
    ):
        direct = scipy_function(x, w, mode, method="direct")
        np.testing.assert_array_equal(direct, numpy_function(x, w, mode))  # the signal is at least as long
        np.testing.assert_allclose(scipy_function(x, w, mode, method="fft"), direct, **TOL)


@pytest.mark.parametrize(("length", "kernel"), [(3, 5), (2, 7), (4, 5)])
def test_same_with_a_kernel_longer_than_the_signal(length, kernel) -> None:
    x, w = np.arange(1.0, length + 1), np.arange(1.0, kernel + 1)
    assert len(np.convolve(x, w, "same")) == max(length, kernel)  # numpy: the longer of the two
    assert len(scipy.signal.convolve(x, w, "same")) == length  # scipy: the first argument


def test_numpy_valid_is_torch_correlate_valid() -> None:
    x, w = np.array([2.0, 3.0, 4.0, 1.0]), np.array([1.0, -2.0])
    torch_valid = F.conv1d(torch.from_numpy(x).view(1, 1, -1), torch.from_numpy(w).view(1, 1, -1)).flatten()
    np.testing.assert_allclose(np.correlate(x, w, "valid"), torch_valid.numpy(), **TOL)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: numpy_mode_padding("circular", 3), "mode must be one of 'valid', 'same', 'full'"),
        (lambda: numpy_mode_padding("same", 0), "kernel_size must be an int >= 1"),
        (lambda: conv1d_matrix(0, [1, 1]), "length must be an int >= 1"),
        (lambda: conv1d_matrix(3, [1, 1], stride=0), "stride must be an int >= 1"),
        (lambda: conv_transpose1d_matrix(2, [1, 1], stride=2, output_padding=2), "output_padding must be smaller"),
        (
            lambda: conv1d_matrix(5, [[[1, 2]], [[3, 4]]]),
            r"weight must be the kernel of one channel.*shape \(2, 1, 2\)",
        ),
        (lambda: conv1d_matrix(5, [[[1, 2], [3, 4]]]), r"weight must be the kernel of one channel.*shape \(1, 2, 2\)"),
        (lambda: conv_transpose1d_matrix(5, [[1, 2], [3, 4]]), r"weight must be the kernel of one channel"),
    ],
)
def test_bad_arguments_name_the_parameter(call, message) -> None:
    with pytest.raises(ValueError, match=message):
        call()
