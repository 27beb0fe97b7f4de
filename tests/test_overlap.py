"""The overlap count of a transposed convolution, against torch: conv_transpose1d of ones with a kernel of ones."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from conv_docs.overlap import overlap_count, overlap_pattern, resize_count, upsample_nearest


def torch_count(length: int, kernel_size: int, **kwargs) -> list[int]:
    ones = torch.ones(1, 1, length, dtype=torch.float64)
    y = F.conv_transpose1d(ones, torch.ones(1, 1, kernel_size, dtype=torch.float64), **kwargs)
    return [int(v) for v in y.flatten().tolist()]  # sums of ones: exact small integers


@st.composite
def transposed_settings(draw):
    stride, dilation = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    return dict(
        length=draw(st.integers(1, 9)),
        kernel_size=draw(st.integers(1, 7)),
        stride=stride,
        padding=draw(st.integers(0, 3)),
        dilation=dilation,
        output_padding=draw(st.integers(0, max(stride, dilation) - 1)),
    )


@given(setting=transposed_settings())
def test_the_count_is_conv_transpose1d_of_ones(setting, count_example) -> None:
    count_example()
    length, kernel_size = setting.pop("length"), setting.pop("kernel_size")
    try:
        expected = torch_count(length, kernel_size, **setting)
    except RuntimeError:  # padding larger than the output: refused by torch, and by the library
        with pytest.raises(ValueError, match="padding"):
            overlap_count(length, kernel_size, **setting)
        return
    assert overlap_count(length, kernel_size, **setting) == expected


def test_kernel_3_stride_2_on_ones() -> None:
    assert overlap_count(6, kernel_size=3, stride=2)[:7] == [1, 1, 2, 1, 2, 1, 2]  # written out by hand
    assert torch_count(6, 3, stride=2)[:7] == [1, 1, 2, 1, 2, 1, 2]


@pytest.mark.parametrize("dilation", [1, 2, 3])
@pytest.mark.parametrize("stride", [1, 2, 3, 4])
@pytest.mark.parametrize("kernel_size", [1, 2, 3, 4, 5, 6, 8])
def test_the_pattern_repeats_away_from_the_ends(kernel_size: int, stride: int, dilation: int) -> None:
    length, padding = 30, 1
    counts = torch_count(length, kernel_size, stride=stride, padding=padding, dilation=dilation)
    reach = dilation * (kernel_size - 1)  # outputs from here to the last input's position see every tap
    pattern = overlap_pattern(kernel_size, stride, dilation)
    middle = range(max(reach, padding) - padding, min((length - 1) * stride - padding + 1, len(counts)))
    assert len(middle) >= stride
    assert [counts[o] for o in middle] == [pattern[(o + padding) % stride] for o in middle]
    assert sum(pattern) == kernel_size  # every tap lands somewhere in each period


@pytest.mark.parametrize("stride", [1, 2, 3, 4])
@pytest.mark.parametrize("kernel_size", range(1, 13))
def test_with_dilation_1_the_pattern_is_even_exactly_when_the_stride_divides_the_kernel(kernel_size, stride) -> None:
    counts = torch_count(30, kernel_size, stride=stride)
    middle = counts[kernel_size : len(counts) - kernel_size]
    assert (len(set(middle)) == 1) == (kernel_size % stride == 0)
    assert set(middle) <= {kernel_size // stride, math.ceil(kernel_size / stride)}
    assert set(overlap_pattern(kernel_size, stride)) == set(middle)


def test_a_dilation_that_shares_a_factor_with_the_stride_leaves_outputs_without_any_term() -> None:
    counts = torch_count(8, 4, stride=2, dilation=2)
    assert 0 in counts  # every odd output is zero: the taps all land on even positions
    assert overlap_pattern(4, 2, dilation=2) == [4, 0]


@pytest.mark.parametrize(("stride", "dilation"), [(2, 2), (4, 2), (6, 4), (3, 3), (6, 3), (4, 6)])
@pytest.mark.parametrize("kernel_size", range(1, 9))
def test_outputs_off_the_shared_factor_get_no_term_whatever_the_kernel(kernel_size, stride, dilation) -> None:
    factor = math.gcd(stride, dilation)
    counts = torch_count(10, kernel_size, stride=stride, dilation=dilation)
    assert all(count == 0 for o, count in enumerate(counts) if o % factor)  # no padding: o is the grid position
    assert all(count == 0 for r, count in enumerate(overlap_pattern(kernel_size, stride, dilation)) if r % factor)


@pytest.mark.parametrize("scale", [1, 2, 3])
def test_upsample_nearest_is_torchs(scale: int) -> None:
    x = torch.randn(2, 3, 5, dtype=torch.float64)
    expected = F.interpolate(x, scale_factor=scale, mode="nearest")
    assert torch.equal(torch.from_numpy(upsample_nearest(x, scale)), expected)  # copies: exact
    assert upsample_nearest(x[0], scale).shape == (3, 5 * scale)


@pytest.mark.parametrize(("length", "kernel_size", "scale"), [(4, 3, 2), (7, 5, 2), (5, 3, 3), (6, 4, 2)])
def test_resize_count_is_nearest_upsampling_then_conv1d_of_ones(length, kernel_size, scale) -> None:
    ones = F.interpolate(torch.ones(1, 1, length, dtype=torch.float64), scale_factor=scale, mode="nearest")
    y = F.conv1d(ones, torch.ones(1, 1, kernel_size, dtype=torch.float64), padding=kernel_size // 2)
    counts = resize_count(length, kernel_size, scale)
    assert counts == [int(v) for v in y.flatten().tolist()]
    inner = counts[kernel_size // 2 : len(counts) - kernel_size // 2]
    assert set(inner) == {kernel_size}  # every output away from the ends reads a whole window


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (dict(length=0, kernel_size=3), "length must be an int >= 1, got 0"),
        (dict(length=4, kernel_size=0), "kernel_size must be an int >= 1, got 0"),
        (dict(length=4, kernel_size=3, stride=2, output_padding=2), "output_padding must be smaller than stride"),
        (dict(length=1, kernel_size=1, padding=1), "reduce padding=1"),
        (dict(length=4.0, kernel_size=3), "length must be an int"),
        (dict(length=10**7, kernel_size=2), "MAX_LENGTH"),
        (dict(length=10**6, kernel_size=20), "MAX_LENGTH"),  # the output is 10**6 + 19 long
    ],
)
def test_bad_arguments_are_refused_naming_them(arguments, message) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        overlap_count(**arguments)


def test_no_call_runs_for_minutes() -> None:
    with pytest.raises(ValueError, match="MAX_WORK"):
        overlap_pattern(10**5, stride=1000)
    with pytest.raises(ValueError, match="MAX_WORK"):
        overlap_count(10**5, kernel_size=1000)  # 10**5 outputs and more, 1000 taps each
    with pytest.raises(ValueError, match="MAX_LENGTH"):
        upsample_nearest([[1.0] * 1000], 10**4)
