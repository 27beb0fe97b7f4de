"""The reference convolutions against torch (float64, tolerance 1e-9) and against hand formulas."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from strategies import (
    Config,
    conv1d_configs,
    torch_conv1d,
    torch_conv_transpose1d,
    transpose_configs,
)

from conv_docs import conv1d, conv_transpose1d, pad
from conv_docs.reference import weight_shape

TOL = dict(rtol=1e-9, atol=1e-9)
SEED_INPUT = [[[2.0, 3.0, 4.0]]]


def seeded_module(**kwargs) -> torch.nn.Conv1d:
    """A float64 Conv1d with random (seeded) weights and bias, as a reader would create it."""
    torch.manual_seed(sum(map(ord, repr(sorted(kwargs.items())))))
    return torch.nn.Conv1d(in_channels=1, out_channels=1, dtype=torch.float64, **kwargs)


def ours(m: torch.nn.Conv1d, x) -> np.ndarray:
    return conv1d(
        x, m.weight, m.bias, m.stride, m.padding[0] if isinstance(m.padding, tuple) else m.padding,
        m.dilation, m.groups, m.padding_mode,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "hand"),
    [
        # kernel 1, stride 1: each input times the one weight, plus bias
        (dict(kernel_size=1, stride=1), lambda w0, w1, b: [2 * w0 + b, 3 * w0 + b, 4 * w0 + b]),
        # kernel 2, stride 1: the window covers (2, 3), then (3, 4)
        (dict(kernel_size=2, stride=1), lambda w0, w1, b: [2 * w0 + 3 * w1 + b, 3 * w0 + 4 * w1 + b]),
        # kernel 2, stride 2: (2, 3), then the window would start at 4 and run off the end
        (dict(kernel_size=2, stride=2), lambda w0, w1, b: [2 * w0 + 3 * w1 + b]),
        # kernel 2, stride 2, padding 1: [0, 2, 3, 4, 0] gives (0, 2), then (3, 4)
        (dict(kernel_size=2, stride=2, padding=1), lambda w0, w1, b: [0 * w0 + 2 * w1 + b, 3 * w0 + 4 * w1 + b]),
    ],
    ids=["k1-s1", "k2-s1", "k2-s2", "k2-s2-p1"],
)
def test_seed_cases_match_torch_and_hand_formula(kwargs, hand) -> None:
    m = seeded_module(**kwargs)
    x = torch.tensor(SEED_INPUT, dtype=torch.float64)
    w = m.weight.detach()[0, 0].tolist()
    w0, w1 = ([*w, 0.0])[:2]
    b = float(m.bias.detach()[0])
    expected = np.array([[hand(w0, w1, b)]])
    with torch.no_grad():
        np.testing.assert_allclose(m(x).numpy(), expected, **TOL)
    np.testing.assert_allclose(ours(m, x), expected, **TOL)


@pytest.mark.parametrize(
    ("mode", "expected"), [("zeros", [2, 7]), ("reflect", [5, 7]), ("replicate", [4, 7]), ("circular", [6, 7])]
)
def test_padding_modes_on_seed_input_with_unit_weights(mode, expected) -> None:
    # padded inputs by hand: zeros [0,2,3,4,0], reflect [3,2,3,4,3], replicate [2,2,3,4,4], circular [4,2,3,4,2]
    got = conv1d(SEED_INPUT, [[[1, 1]]], stride=2, padding=1, padding_mode=mode)
    np.testing.assert_allclose(got, [[expected]], **TOL)
    np.testing.assert_allclose(got, torch_conv1d(Config(np.array(SEED_INPUT), np.ones((1, 1, 2)), None, dict(
        stride=2, padding=1, dilation=1, groups=1, padding_mode=mode))), **TOL)  # fmt: skip


def test_same_padding_puts_the_extra_zero_on_the_right() -> None:
    # kernel 2 needs one zero in all; with [1, 0] the output reads x[t] only, so the zero must be on the right
    np.testing.assert_allclose(conv1d([[2, 3, 4]], [[[1, 0]]], padding="same"), [[2, 3, 4]], **TOL)
    x, w = torch.tensor([[2.0, 3.0, 4.0]], dtype=torch.float64), torch.tensor([[[1.0, 0.0]]], dtype=torch.float64)
    np.testing.assert_allclose(F.conv1d(x, w, padding="same").numpy(), [[2, 3, 4]], **TOL)


def test_accepts_lists_arrays_and_tensors_alike() -> None:
    as_list = conv1d(SEED_INPUT, [[[1.0, -1.0]]], [0.5])
    as_array = conv1d(np.array(SEED_INPUT), np.array([[[1.0, -1.0]]]), np.array([0.5]))
    as_tensor = conv1d(torch.tensor(SEED_INPUT), torch.tensor([[[1.0, -1.0]]], requires_grad=True), torch.tensor([0.5]))
    for got in (as_list, as_array, as_tensor):
        assert isinstance(got, np.ndarray) and got.dtype == np.float64
        np.testing.assert_allclose(got, [[[-0.5, -0.5]]], **TOL)


@given(config=conv1d_configs())
def test_conv1d_matches_torch(config: Config, count_example) -> None:
    count_example()
    try:
        expected = torch_conv1d(config)
    except (RuntimeError, ValueError):
        with pytest.raises((ValueError, TypeError)):
            conv1d(config.x, config.w, config.b, **config.kwargs)
        return
    got = conv1d(config.x, config.w, config.b, **config.kwargs)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, **TOL)


@given(config=transpose_configs())
def test_conv_transpose1d_matches_torch(config: Config, count_example) -> None:
    count_example()
    try:
        expected = torch_conv_transpose1d(config)
    except (RuntimeError, ValueError):
        with pytest.raises((ValueError, TypeError)):
            conv_transpose1d(config.x, config.w, config.b, **config.kwargs)
        return
    got = conv_transpose1d(config.x, config.w, config.b, **config.kwargs)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, **TOL)


def test_conv_transpose1d_by_hand() -> None:
    # each input spreads x[i]*w over outputs 2i, 2i+1 (stride 2, kernel 2): [1*a, 1*b, 2*a, 2*b]
    np.testing.assert_allclose(conv_transpose1d([[1, 2]], [[[3, 5]]], stride=2), [[3, 5, 6, 10]], **TOL)


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize(
    ("in_channels", "out_channels", "kernel_size", "groups"), [(1, 1, 1, 1), (4, 6, 3, 2), (3, 3, 2, 3)]
)
def test_weight_shape_is_the_shape_torch_gives_its_weight(in_channels, out_channels, kernel_size, groups, transposed):
    kind = torch.nn.ConvTranspose1d if transposed else torch.nn.Conv1d
    layer = kind(in_channels, out_channels, kernel_size, groups=groups)
    assert weight_shape(in_channels, out_channels, kernel_size, groups, transposed=transposed) == layer.weight.shape


def test_weight_shape_refuses_groups_that_do_not_divide_the_channels():
    with pytest.raises(ValueError):
        torch.nn.Conv1d(4, 6, 3, groups=4)
    with pytest.raises(ValueError, match="groups=4 must divide out_channels=6"):
        weight_shape(4, 6, 3, groups=4)


@pytest.mark.parametrize(
    ("input", "weight"),
    [
        ([[1 + 2j, 3 - 1j]], [[[1 - 1j]]]),
        (np.array([[1 + 2j, 3 - 1j]]), [[[1.0]]]),
        ([[1.0, 3.0]], torch.tensor([[[1 - 1j]]])),
    ],
    ids=["lists", "numpy", "torch"],
)
def test_complex_numbers_are_refused_not_dropped(input, weight) -> None:
    """torch convolves complex numbers; float64 would drop their imaginary parts, so they are refused."""
    theirs = F.conv1d(torch.as_tensor(np.asarray(input, dtype=np.complex128)),
                      torch.as_tensor(np.asarray(weight, dtype=np.complex128)))  # fmt: skip
    assert theirs.is_complex() and theirs.imag.abs().max() > 0  # what a silent cast would lose
    with pytest.raises(TypeError, match=r"^(input|weight) must be real numbers: complex ones are not supported"):
        conv1d(input, weight)
    with pytest.raises(TypeError, match="complex"):
        conv_transpose1d(input, weight)


X3 = np.array([[2.0, 3.0, 4.0]])


@pytest.mark.parametrize(
    ("left", "right", "mode"), [(1, 2, "reflect"), (2, 2, "reflect"), (3, 0, "circular"), (1, 3, "circular")]
)
def test_pad_is_torchs_pad(left: int, right: int, mode: str) -> None:
    expected = F.pad(torch.from_numpy(X3), (left, right), mode=mode).numpy()
    np.testing.assert_array_equal(pad(X3, left, right, mode), expected)


@pytest.mark.parametrize(
    ("left", "right", "mode", "error", "words"),
    [
        (
            1,
            1,
            "foo",
            ValueError,
            r"padding_mode must be one of 'zeros', 'reflect', 'replicate', 'circular', got 'foo'",
        ),
        (3, 0, "reflect", ValueError, r"padding_mode='reflect' needs padding smaller than the input length 3"),
        (0, 4, "circular", ValueError, r"padding_mode='circular' may wrap around at most once"),
        (-1, 0, "zeros", ValueError, r"left must be an int >= 0, got -1"),
        ((1,), 0, "zeros", TypeError, r"left must be an int, got \(1,\)"),
        (True, 0, "zeros", TypeError, r"left must be an int, got True"),
        (0, 10**6, "zeros", ValueError, r"MAX_LENGTH = 1000000"),
    ],
)
def test_pad_refuses_what_torch_refuses_with_a_clear_error(left, right, mode, error, words) -> None:
    if mode in ("reflect", "circular"):  # torch refuses these too: reflecting past the edge, wrapping twice
        with pytest.raises(RuntimeError):
            F.pad(torch.from_numpy(X3), (left, right), mode=mode)
    with pytest.raises(error, match=words):
        pad(X3, left, right, mode)


def test_weight_shape_takes_transposed_as_a_bool() -> None:
    with pytest.raises(TypeError, match="transposed must be True or False, got 'yes'"):
        weight_shape(4, 6, 3, transposed="yes")
