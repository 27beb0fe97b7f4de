"""Hypothesis strategies for convolution configurations, and torch as the oracle."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import strategies as st

from conv_docs.params import PADDING_MODES

values = st.integers(-9, 9).map(float) | st.floats(-10, 10, allow_nan=False, allow_subnormal=False)


@dataclass
class Config:
    """One call: the arrays and the keyword arguments, in torch's layout."""

    x: np.ndarray
    w: np.ndarray
    b: np.ndarray | None
    kwargs: dict[str, Any] = field(default_factory=dict)


def arrays(draw, shape: tuple[int, ...]) -> np.ndarray:
    count = int(np.prod(shape))
    return np.array(draw(st.lists(values, min_size=count, max_size=count)), dtype=np.float64).reshape(shape)


@st.composite
def conv1d_configs(draw, wild: bool = False) -> Config:
    """Configurations for conv1d; some are refused by torch (a kernel longer than the input, 'same'
    with a stride). ``wild=True`` then breaks one more thing half of the time."""
    groups = draw(st.integers(1, 3))
    c_in, c_out = draw(st.integers(1, 2)) * groups, draw(st.integers(1, 2)) * groups
    kernel = draw(st.integers(1, 4))
    length = draw(st.integers(1, 9))
    kwargs = dict(
        stride=draw(st.integers(1, 3)),
        padding=draw(st.integers(0, 4) | st.sampled_from(["valid", "same"])),
        dilation=draw(st.integers(1, 3)),
        groups=groups,
        padding_mode=draw(st.sampled_from(PADDING_MODES)),
    )
    w_shape, bias_length = [c_out, c_in // groups, kernel], draw(st.sampled_from([None, c_out]))
    breakage = draw(st.sampled_from(CONV1D_BREAKAGES + [None] * len(CONV1D_BREAKAGES))) if wild else None
    if breakage == "groups":
        kwargs["groups"] = draw(st.sampled_from([0, -1, groups + 1, 2 * groups]))
    elif breakage in ("stride", "dilation"):
        kwargs[breakage] = draw(st.integers(-1, 0))
    elif breakage == "padding":
        kwargs["padding"] = draw(st.sampled_from([-1, -2, "full", "SAME"]))
    elif breakage == "padding_mode":
        kwargs["padding_mode"] = draw(st.sampled_from(["zero", "mirror", "symmetric"]))
    elif breakage == "weight_channels":
        w_shape[1] += draw(st.sampled_from([-1, 1])) if w_shape[1] > 1 else 1
    elif breakage == "bias_length":
        bias_length = c_out + draw(st.sampled_from([-1, 1])) or c_out + 1
    shape = (draw(st.integers(1, 2)), c_in, length) if draw(st.booleans()) else (c_in, length)
    return Config(
        arrays(draw, shape), arrays(draw, tuple(w_shape)), arrays(draw, (bias_length,)) if bias_length else None, kwargs
    )


CONV1D_BREAKAGES = ["groups", "stride", "dilation", "padding", "padding_mode", "weight_channels", "bias_length"]
TRANSPOSE_BREAKAGES = ["groups", "stride", "dilation", "padding", "output_padding", "weight_channels", "bias_length"]


@st.composite
def transpose_configs(draw, wild: bool = False) -> Config:
    """Configurations for conv_transpose1d; some are refused (an output shorter than 1).
    ``wild=True`` then breaks one more thing half of the time."""
    groups = draw(st.integers(1, 3))
    c_in, c_out_group = draw(st.integers(1, 2)) * groups, draw(st.integers(1, 2))
    kernel = draw(st.integers(1, 4))
    stride, dilation = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kwargs = dict(
        stride=stride,
        padding=draw(st.integers(0, 4)),
        output_padding=draw(st.integers(0, max(stride, dilation) - 1)),
        groups=groups,
        dilation=dilation,
    )
    w_shape, bias_length = [c_in, c_out_group, kernel], draw(st.sampled_from([None, c_out_group * groups]))
    breakage = draw(st.sampled_from(TRANSPOSE_BREAKAGES + [None] * len(TRANSPOSE_BREAKAGES))) if wild else None
    if breakage == "groups":
        kwargs["groups"] = draw(st.sampled_from([0, -1, groups + 1, 2 * groups]))
    elif breakage in ("stride", "dilation"):
        kwargs[breakage] = draw(st.integers(-1, 0))
    elif breakage == "padding":
        kwargs["padding"] = draw(st.integers(-2, -1))
    elif breakage == "output_padding":
        kwargs["output_padding"] = max(stride, dilation) + draw(st.integers(0, 1))
    elif breakage == "weight_channels":
        w_shape[0] += 1
    elif breakage == "bias_length":
        bias_length = c_out_group * groups + 1
    length = draw(st.integers(1, 7))
    shape = (draw(st.integers(1, 2)), c_in, length) if draw(st.booleans()) else (c_in, length)
    return Config(
        arrays(draw, shape), arrays(draw, tuple(w_shape)), arrays(draw, (bias_length,)) if bias_length else None, kwargs
    )


def torch_conv1d(config: Config) -> np.ndarray:
    """What ``nn.Conv1d`` gives, with the weight and bias of ``config`` put in place."""
    kw = config.kwargs
    module = torch.nn.Conv1d(
        in_channels=config.x.shape[-2],
        out_channels=config.w.shape[0],
        kernel_size=config.w.shape[-1],
        stride=kw["stride"],
        padding=kw["padding"],
        dilation=kw["dilation"],
        groups=kw["groups"],
        bias=config.b is not None,
        padding_mode=kw["padding_mode"],
        dtype=torch.float64,
    )
    module.weight = torch.nn.Parameter(torch.from_numpy(config.w))
    if config.b is not None:
        module.bias = torch.nn.Parameter(torch.from_numpy(config.b))
    with torch.no_grad():
        return module(torch.from_numpy(config.x)).numpy()


def torch_conv_transpose1d(config: Config) -> np.ndarray:
    b = None if config.b is None else torch.from_numpy(config.b)
    return F.conv_transpose1d(torch.from_numpy(config.x), torch.from_numpy(config.w), b, **config.kwargs).numpy()


# --- arguments of every kind, right and wrong, for the edge tests (tests/test_edges.py) -----------------------------

HUGE_INTS = [2**31, 2**62, 2**63 - 1, 2**63, 10**23, -(10**23), 10**6 + 1, 10**7, 2**5000]
junk = st.one_of(
    st.booleans(),
    st.none(),
    st.text(max_size=4),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(max_magnitude=5),
    st.integers(-3, 0),
    st.sampled_from(HUGE_INTS),
    st.sampled_from([b"2", (), (1, 2), [2], (2,), ((2,),), np.int64(2), np.float64(2.0), np.bool_(True), "same", {}]),
)
"""Anything a caller might pass where an int, a string or a number is expected: bools, None, strings, floats
(nan and inf too), complex numbers, zero and negative ints, ints too large for torch, tuples, NumPy scalars."""

JUNK_ARRAYS = [
    "abc", None, 3.0, [], [[]], [[1, 2], [3]], [[1 + 2j, 3 - 1j]], np.array([[1 + 2j, 3]]), np.array([[True, False]]),
    [["1", "2"]], [[None, 1.0]], np.zeros((1, 1, 1, 2)), np.array(5.0), [[10**30, 1]], {"a": 1},
    torch.ones(1, 2, dtype=torch.complex64), torch.ones(1, 2, dtype=torch.bool),
]  # fmt: skip
"""Anything but an array of real numbers: strings, None, ragged or empty lists, complex, boolean and string arrays,
objects, arrays of four dimensions or none, ints past NumPy's 64 bits (an array of Python objects)."""
special_values = st.sampled_from([float("nan"), float("inf"), -float("inf"), 0.0, -0.0])
"""The floats that need care: nan, the infinities and both zeros."""


def real_arrays(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    """A float64 array of ``shape`` filled with ``values``."""
    count = int(np.prod(shape))
    cells = st.lists(values, min_size=count, max_size=count)
    return cells.map(lambda vs: np.array(vs, dtype=np.float64).reshape(shape))
