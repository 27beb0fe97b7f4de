"""Parameter checks: we refuse exactly what torch refuses, with a message that names the parameter."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from strategies import Config, conv1d_configs, torch_conv1d, torch_conv_transpose1d, transpose_configs

from conv_docs import conv1d, conv_transpose1d, output_length, resolve_padding


def raises(call) -> BaseException | None:
    try:
        call()
    except Exception as error:
        return error
    return None


@given(config=conv1d_configs(wild=True))
def test_conv1d_refuses_iff_torch_refuses(config: Config, count_example) -> None:
    count_example()
    theirs = raises(lambda: torch_conv1d(config))
    mine = raises(lambda: conv1d(config.x, config.w, config.b, **config.kwargs))
    # One deliberate difference: nn.Conv1d with a non-zero padding_mode hands a negative padding to F.pad,
    # which crops the input. F.conv1d refuses negative padding, and so do we, in every mode.
    padding = config.kwargs["padding"]
    torch_refuses = theirs is not None or (isinstance(padding, int) and padding < 0)
    assert (mine is None) == (not torch_refuses), f"torch: {theirs!r}, ours: {mine!r}"
    assert mine is None or isinstance(mine, (ValueError, TypeError)), repr(mine)


@given(config=transpose_configs(wild=True))
def test_conv_transpose1d_refuses_iff_torch_refuses(config: Config, count_example) -> None:
    count_example()
    theirs = raises(lambda: torch_conv_transpose1d(config))
    mine = raises(lambda: conv_transpose1d(config.x, config.w, config.b, **config.kwargs))
    assert (mine is None) == (theirs is None), f"torch: {theirs!r}, ours: {mine!r}"
    assert mine is None or isinstance(mine, (ValueError, TypeError)), repr(mine)


@given(config=conv1d_configs())
def test_output_length_is_the_real_length(config: Config, count_example) -> None:
    count_example()
    try:
        real = torch_conv1d(config).shape[-1]
    except (RuntimeError, ValueError):
        return
    kw = config.kwargs
    assert output_length(config.x.shape[-1], config.w.shape[-1], kw["stride"], kw["padding"], kw["dilation"]) == real


@given(config=transpose_configs())
def test_transposed_output_length_is_the_real_length(config: Config, count_example) -> None:
    count_example()
    try:
        real = torch_conv_transpose1d(config).shape[-1]
    except (RuntimeError, ValueError):
        return
    kw = config.kwargs
    length = output_length(
        config.x.shape[-1], config.w.shape[-1], kw["stride"], kw["padding"], kw["dilation"],
        transposed=True, output_padding=kw["output_padding"],
    )  # fmt: skip
    assert length == real


X = [[2.0, 3.0, 4.0]]
K2 = [[[1.0, 1.0]]]


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: conv1d(X, [[[1, 1, 1, 1]]]), ValueError, r"kernel_size=4 .* padded input length 3"),
        (lambda: conv1d(X, [[[1, 1]]], dilation=3), ValueError, r"dilation=3 spans 4 cells"),
        (lambda: conv1d(X, K2, padding=-1), ValueError, r"padding must be an int >= 0, got -1"),
        (lambda: conv1d(X, K2, stride=0), ValueError, r"stride must be an int >= 1, got 0"),
        (lambda: conv1d(X, K2, dilation=0), ValueError, r"dilation must be an int >= 1, got 0"),
        (lambda: conv1d(X, K2, stride=1.5), TypeError, r"stride must be an int, got 1.5"),
        (lambda: conv1d(X, K2, stride=2, padding="same"), ValueError, r"padding='same' needs stride=1, got stride=2"),
        (lambda: conv1d(X, K2, padding="full"), ValueError, r"padding must be .*'valid' or 'same', got 'full'"),
        (
            lambda: conv1d(X, K2, padding_mode="mirror"),
            ValueError,
            r"padding_mode must be one of .*'reflect'.*'mirror'",
        ),
        (
            lambda: conv1d(X, K2, padding=3, padding_mode="reflect"),
            ValueError,
            r"reflect.*smaller than the input length 3",
        ),
        (
            lambda: conv1d(X, K2, padding=4, padding_mode="circular"),
            ValueError,
            r"circular.*at most the input length 3",
        ),
        (
            lambda: conv1d([[1, 2], [3, 4], [5, 6]], [[[1]]] * 2, groups=2),
            ValueError,
            r"groups=2 must divide in_channels=3",
        ),
        (lambda: conv1d([[1, 2], [3, 4]], [[[1]]] * 3, groups=2), ValueError, r"groups=2 must divide out_channels=3"),
        (lambda: conv1d([[1, 2], [3, 4]], [[[1]]]), ValueError, r"expects 1 input channels, but input has 2"),
        (lambda: conv1d(X, K2, bias=[1, 2]), ValueError, r"bias must have shape \(1,\)"),
        (lambda: conv1d([2, 3, 4], K2), ValueError, r"input must have shape \(N, C, L\) or \(C, L\), got shape \(3,\)"),
        (lambda: conv1d([["a", "b"]], K2), TypeError, r"input must be numbers"),
        (lambda: conv_transpose1d(X, K2, stride=2, output_padding=2), ValueError, r"output_padding must be smaller"),
        (lambda: conv_transpose1d(X, [[[1]]], padding=2), ValueError, r"output length .* = -1 is below 1"),
        (
            lambda: conv_transpose1d(X, K2, padding="same"),
            ValueError,
            r"padding must be an int >= 0 for conv_transpose1d",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, words) -> None:
    with pytest.raises(error, match=words):
        call()


def test_errors_never_escape_as_index_errors() -> None:
    for length in range(1, 4):
        for kernel in range(1, 6):
            try:
                conv1d(np.ones((1, length)), np.ones((1, 1, kernel)))
            except ValueError as error:
                assert re.search(r"kernel_size=\d+", str(error))


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: output_length(5, 3, stride=0), ValueError, r"stride must be an int >= 1, got 0"),
        (lambda: output_length(5, 3, dilation=0), ValueError, r"dilation must be an int >= 1, got 0"),
        (lambda: output_length(5, 0), ValueError, r"kernel_size must be an int >= 1, got 0"),
        (lambda: output_length(5, 3, stride=True), TypeError, r"stride must be an int, got True of type bool"),
        (lambda: output_length(5, 3, padding=10**23), ValueError, r"padding must be an int below 2\*\*63"),
        (
            lambda: output_length(5, 3, stride=2, transposed=True, output_padding=2),
            ValueError,
            r"output_padding must be smaller than stride \(2\) or dilation \(1\), got 2",
        ),
        (lambda: resolve_padding("same", kernel_size=0), ValueError, r"kernel_size must be an int >= 1, got 0"),
        (lambda: resolve_padding("same", kernel_size=3, dilation=0), ValueError, r"dilation must be an int >= 1"),
        (lambda: resolve_padding(1.0, kernel_size=3), TypeError, r"padding must be an int >= 0, 'valid' or 'same'"),
    ],
)
def test_the_helpers_check_their_own_arguments(call, error, words) -> None:
    with pytest.raises(error, match=words):
        call()


@pytest.mark.parametrize("name", ["stride", "padding", "dilation", "groups"])
def test_a_bool_is_refused_where_torch_refuses_it(name: str) -> None:
    x, w = torch.ones(1, 1, 4, dtype=torch.float64), torch.ones(1, 1, 2, dtype=torch.float64)
    with pytest.raises(TypeError):
        F.conv1d(x, w, **{name: True})
    with pytest.raises(TypeError, match=rf"{name} must be an int, got True of type bool"):
        conv1d(x, w, **{name: True})
    if name != "padding":  # F.conv_transpose1d refuses a bool stride, dilation or groups as well
        with pytest.raises(TypeError):
            F.conv_transpose1d(x, w, **{name: True})
        with pytest.raises(TypeError, match=rf"{name} must be an int, got True"):
            conv_transpose1d(x, w, **{name: True})


@pytest.mark.parametrize(("padding", "stride"), [(10**23, 1), (0, 10**23), (2**63, 1)])
def test_ints_past_64_bits_are_refused_as_torch_refuses_them(padding: int, stride: int) -> None:
    x, w = torch.ones(1, 1, 4, dtype=torch.float64), torch.ones(1, 1, 2, dtype=torch.float64)
    with pytest.raises(ValueError, match="Overflow"):  # torch: Overflow when unpacking long long
        F.conv1d(x, w, stride=stride, padding=padding)
    with pytest.raises(ValueError, match=r"must be an int below 2\*\*63 \(torch holds it in 64 bits\)"):
        conv1d(x, w, stride=stride, padding=padding)
    with pytest.raises(ValueError, match=r"must be an int below 2\*\*63"):
        conv_transpose1d(x, w, stride=stride, padding=padding)
