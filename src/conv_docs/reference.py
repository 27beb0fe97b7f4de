"""The reference convolutions: plain loops, written to be read.

These mirror ``torch.nn.functional.conv1d`` and ``conv_transpose1d``: same argument names,
same shapes (batched ``(N, C, L)`` or unbatched ``(C, L)``), plus ``padding_mode`` as in
``nn.Conv1d``. They accept real numbers in anything ``numpy.asarray`` accepts (nested lists, arrays, CPU
tensors) and return ``float64`` arrays; complex numbers, booleans and strings are refused with a ``TypeError``.
One call is bounded (:data:`conv_docs.params.MAX_LENGTH` cells of padded input or output,
:data:`conv_docs.params.MAX_WORK` multiplications), so that no argument makes it run for minutes.

Like PyTorch, they compute a *cross-correlation*: the kernel is not flipped. Each one's loop nest is written once,
in :func:`conv1d_reads` and :func:`conv_transpose1d_reads`: output by output, the cells read and the weights they
are multiplied by. The convolutions add those products up; :mod:`conv_docs.trace` records each one.

>>> conv1d([[2, 3, 4]], [[[1, 1]]], stride=2, padding=1)
array([[2., 7.]])
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from conv_docs.params import (
    Padding,
    as_flag,
    as_int,
    check_bound,
    check_padding_fits,
    check_padding_mode,
    output_length,
    padding_source,
    resolve_padding,
    shown,
    transposed_padding,
)

REAL_KINDS = "iuf"  # NumPy's kinds of signed and unsigned ints and floats
KIND_NAMES = {"b": "booleans", "U": "strings", "S": "bytes", "O": "objects that are not numbers"}
TRANSPOSED_INT_LIMIT = 2**31  # torch's transposed convolution holds stride and dilation in 32 bits


def as_float_array(name: str, value: Any) -> np.ndarray:
    """Turn ``value`` (nested lists, a NumPy array, a CPU tensor) of real numbers into a ``float64`` array.

    Complex numbers are refused (``float64`` would drop their imaginary part), and so are booleans (torch's
    convolutions refuse a bool tensor) and strings.

    >>> as_float_array("input", [[2, 3, 4]]).dtype
    dtype('float64')
    >>> as_float_array("input", [[1 + 2j, 3]])
    Traceback (most recent call last):
    ...
    TypeError: input must be real numbers: complex ones are not supported, got [[(1+2j), 3]] (complex128)
    """
    return as_real_array(name, value).astype(np.float64, copy=False)


def as_real_array(name: str, value: Any) -> np.ndarray:
    """:func:`as_float_array` without the cast: real numbers (ints or floats) in a NumPy array of their own type.

    >>> as_real_array("kernel", np.zeros(2, dtype=np.float32)).dtype
    dtype('float32')
    """
    original = value
    if hasattr(value, "detach"):  # a torch tensor, possibly with requires_grad
        value = value.detach().cpu()
        if value.is_complex():
            raise TypeError(f"{name} must be real numbers: complex ones are not supported, got a {value.dtype} tensor")
        value = value.double().numpy() if value.is_floating_point() else value.numpy()
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, OverflowError) as error:
        raise TypeError(f"{name} must be numbers in a (nested) list or array, got {shown(value)}: {error}") from None
    if array.dtype.kind == "c":
        raise TypeError(
            f"{name} must be real numbers: complex ones are not supported, got {shown(original)} ({array.dtype})"
        )
    if array.dtype.kind not in REAL_KINDS:
        what = KIND_NAMES.get(array.dtype.kind, f"{array.dtype} values")
        raise TypeError(f"{name} must be numbers in a (nested) list or array, got {what}: {shown(original)}")
    return array


def as_batch(input: Any) -> tuple[np.ndarray, bool]:
    """Return ``input`` as ``(N, C, L)`` and whether it came unbatched as ``(C, L)``."""
    x = as_float_array("input", input)
    if x.ndim not in (2, 3):
        raise ValueError(
            f"input must have shape (N, C, L) or (C, L), got shape {x.shape}; "
            "for one channel of values write [[2, 3, 4]], not [2, 3, 4]"
        )
    if x.shape[-1] < 1:
        raise ValueError(f"input must have length L >= 1, got shape {x.shape}")
    return (x[np.newaxis], True) if x.ndim == 2 else (x, False)


def as_bias(bias: Any, out_channels: int) -> np.ndarray:
    """Return ``bias`` as ``(out_channels,)``, zeros when it is ``None``."""
    if bias is None:
        return np.zeros(out_channels)
    b = as_float_array("bias", bias)
    if b.shape != (out_channels,):
        raise ValueError(f"bias must have shape ({out_channels},), one value per output channel, got shape {b.shape}")
    return b


def pad(x: Any, left: int, right: int, padding_mode: str = "zeros") -> np.ndarray:
    """Pad the last axis of ``x`` with ``left`` and ``right`` cells filled as ``padding_mode`` says.

    As ``F.pad`` with mode ``"constant"`` (here ``"zeros"``), ``"reflect"``, ``"replicate"`` or ``"circular"``,
    with its checks: ``reflect`` needs padding smaller than the length, ``circular`` at most the length (it
    wraps around once). Padding is at least 0 (``F.pad`` would crop with a negative one), and the padded
    length at most :data:`conv_docs.params.MAX_LENGTH`.

    >>> pad(np.array([[2.0, 3.0, 4.0]]), 1, 1, "reflect")
    array([[3., 2., 3., 4., 3.]])
    """
    x = as_float_array("x", x)
    left, right = as_int("left", left, minimum=0, one_tuple=False), as_int("right", right, minimum=0, one_tuple=False)
    padding_mode = check_padding_mode(padding_mode)
    if x.ndim < 1:
        raise ValueError(f"x must have at least one axis to pad, got shape {x.shape}")
    length = x.shape[-1]
    if length < 1 and padding_mode != "zeros":
        raise ValueError(f"padding_mode={padding_mode!r} needs a length of at least 1, got shape {x.shape}")
    check_padding_fits(padding_mode, left, right, length)
    padded = check_bound("MAX_LENGTH", left + length + right, f"the padded length {left} + {length} + {right}")
    check_bound("MAX_WORK", x.size // max(length, 1) * padded, f"the padded array of shape {(*x.shape[:-1], padded)}")
    out = np.zeros((*x.shape[:-1], left + length + right))
    for q in range(out.shape[-1]):  # q: position in the padded input
        source = padding_source(q, length, left, padding_mode)
        if source is not None:
            out[..., q] = x[..., source]
    return out


def window_cell(t: int, j: int, stride: int, dilation: int) -> int:
    """The padded-input cell that kernel tap ``j`` reads at output position ``t``.

    The window of step ``t`` starts at padded cell ``t*stride``; tap ``j`` sits ``j*dilation`` further on.

    >>> [window_cell(1, j, stride=2, dilation=1) for j in range(2)]
    [2, 3]
    """
    return t * stride + j * dilation


@dataclass(frozen=True)
class Conv1dSetup:
    """A checked ``conv1d`` configuration: arrays in their batched shapes and resolved padding."""

    x: np.ndarray  # (N, C_in, L)
    weight: np.ndarray  # (C_out, C_in / groups, K)
    bias: np.ndarray  # (C_out,)
    stride: int
    left: int
    right: int
    dilation: int
    groups: int
    padding_mode: str
    output_length: int
    unbatched: bool


def check_groups(groups: Any, in_channels: int, out_channels: int) -> int:
    """Return ``groups`` if it divides both channel counts."""
    groups = as_int("groups", groups, minimum=1, one_tuple=False)  # F.conv1d takes no (groups,)
    for name, channels in (("in_channels", in_channels), ("out_channels", out_channels)):
        if channels % groups:
            raise ValueError(f"groups={groups} must divide {name}={channels}")
    return groups


def weight_shape(
    in_channels: Any, out_channels: Any, kernel_size: Any, groups: Any = 1, transposed: bool = False
) -> tuple[int, int, int]:
    """The shape of the weight of ``nn.Conv1d`` (or, with ``transposed=True``, of ``nn.ConvTranspose1d``).

    ``conv1d``: ``(out_channels, in_channels/groups, kernel_size)``; ``conv_transpose1d``:
    ``(in_channels, out_channels/groups, kernel_size)``. ``groups`` must divide both channel counts.

    >>> weight_shape(4, 6, 3, groups=2)
    (6, 2, 3)
    >>> weight_shape(4, 6, 3, groups=2, transposed=True)
    (4, 3, 3)
    """
    transposed = as_flag("transposed", transposed)
    in_channels = as_int("in_channels", in_channels, minimum=1)
    out_channels = as_int("out_channels", out_channels, minimum=1)
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    groups = check_groups(groups, in_channels, out_channels)
    if transposed:
        return (in_channels, out_channels // groups, kernel_size)
    return (out_channels, in_channels // groups, kernel_size)


def setup_conv1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Padding = 0,
    dilation: Any = 1,
    groups: Any = 1,
    padding_mode: str = "zeros",
) -> Conv1dSetup:
    """Check every argument of :func:`conv1d` and resolve the padding; raise on what torch refuses."""
    x, unbatched = as_batch(input)
    w = as_float_array("weight", weight)
    if w.ndim != 3 or 0 in w.shape:
        raise ValueError(f"weight must have shape (out_channels, in_channels/groups, kernel_size), got shape {w.shape}")
    out_channels, group_channels, kernel_size = w.shape
    in_channels, length = x.shape[1], x.shape[2]
    stride = as_int("stride", stride, minimum=1)
    dilation = as_int("dilation", dilation, minimum=1)
    padding_mode = check_padding_mode(padding_mode)
    groups = check_groups(groups, in_channels, out_channels)
    if group_channels * groups != in_channels:
        raise ValueError(
            f"weight of shape {w.shape} with groups={groups} expects {group_channels * groups} input channels, "
            f"but input has {in_channels} (shape {x.shape})"
        )
    left, right = resolve_padding(padding, kernel_size, dilation, stride)
    if padding_mode != "zeros":
        check_padding_fits(padding_mode, left, right, length)
    span = dilation * (kernel_size - 1) + 1  # padded cells one window covers
    if span > left + length + right:
        raise ValueError(
            f"kernel_size={kernel_size} with dilation={dilation} spans {span} cells, more than the padded "
            f"input length {left + length + right} (input length {length}, padding ({left}, {right}))"
        )
    b = as_bias(bias, out_channels)
    padded = check_bound("MAX_LENGTH", left + length + right, f"the padded input length {length} + {left} + {right}")
    batch = x.shape[0]
    check_bound("MAX_WORK", batch * in_channels * padded, f"the padded input's numbers N*C_in*{padded}")
    length_out = output_length(length, kernel_size, stride, padding, dilation)
    products = batch * out_channels * length_out * group_channels * kernel_size
    check_bound("MAX_WORK", products, f"the multiplications N*C_out*L_out*(C_in/groups)*K of conv1d, {_work(w, x)}")
    return Conv1dSetup(
        x=x,
        weight=w,
        bias=b,
        stride=stride,
        left=left,
        right=right,
        dilation=dilation,
        groups=groups,
        padding_mode=padding_mode,
        output_length=length_out,
        unbatched=unbatched,
    )


def _work(w: np.ndarray, x: np.ndarray) -> str:
    return f"with N={x.shape[0]}, weight of shape {w.shape}"


Read = tuple[int, int, tuple[int, int, int], int]
"""One product of an output's sum, as ``(channel, tap, weight_index, cell)``: the weight at ``weight_index`` (kernel
tap ``tap``) times the cell ``cell`` of input channel ``channel``, a position in the padded input (conv1d) or in the
input (conv_transpose1d).

:func:`conv1d_reads` and :func:`conv_transpose1d_reads` list them, :func:`conv1d` and :func:`conv_transpose1d` add
them up and :mod:`conv_docs.trace` records each as a :class:`conv_docs.trace.Term`. A plain tuple, not a class: the
reference makes one for every product.
"""


def conv1d_reads(s: Conv1dSetup) -> Iterator[tuple[int, int, list[Read]]]:
    """For every output of :func:`conv1d`, in order, ``(output channel, output position, reads)``.

    The output is ``bias[co]`` plus ``weight[weight_index] * padded[channel, cell]`` for each read
    ``(channel, tap, weight_index, cell)``; the reads are the same for every example of a batch.

    >>> s = setup_conv1d([[2, 3, 4]], [[[1, 1]]], stride=2, padding=1)
    >>> for co, t, reads in conv1d_reads(s):
    ...     print(co, t, [(tap, cell) for _, tap, _, cell in reads])
    0 0 [(0, 0), (1, 1)]
    0 1 [(0, 2), (1, 3)]
    """
    out_channels, group_in, kernel_size = s.weight.shape
    group_out = out_channels // s.groups  # output channels per group
    for co in range(out_channels):
        g = co // group_out  # output channel co belongs to group g ...
        for t in range(s.output_length):  # output position
            reads = []
            for c in range(group_in):  # ... and reads input channels g*group_in ... g*group_in + group_in - 1
                ci = g * group_in + c
                for j in range(kernel_size):  # kernel tap j reads padded cell t*stride + j*dilation
                    reads.append((ci, j, (co, c, j), window_cell(t, j, s.stride, s.dilation)))
            yield co, t, reads


IEEE = np.errstate(over="ignore", invalid="ignore")
"""Compute as torch does, without NumPy's warnings: ``inf * 0`` is nan, a product past ``1e308`` is inf."""


@IEEE
def conv1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Padding = 0,
    dilation: Any = 1,
    groups: Any = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """1-D cross-correlation, as ``torch.nn.Conv1d`` computes it.

    ``input`` is ``(N, C_in, L)`` or ``(C_in, L)``; ``weight`` is ``(C_out, C_in/groups, K)``;
    ``bias`` is ``(C_out,)`` or ``None``. ``padding`` is an int, ``"valid"`` or ``"same"``;
    ``padding_mode`` is ``"zeros"``, ``"reflect"``, ``"replicate"`` or ``"circular"``.

    >>> conv1d([[2, 3, 4]], [[[1, 1]]])
    array([[5., 7.]])
    >>> conv1d(
    ...     [[2, 3, 4]], [[[1, 1]]], stride=2, padding=1, padding_mode="reflect"
    ... )
    array([[5., 7.]])
    """
    s = setup_conv1d(input, weight, bias, stride, padding, dilation, groups, padding_mode)
    padded = pad(s.x, s.left, s.right, s.padding_mode)
    batch = s.x.shape[0]
    out = np.zeros((batch, s.weight.shape[0], s.output_length))
    for co, t, reads in conv1d_reads(s):
        for n in range(batch):  # every example of the batch reads the same cells
            total = s.bias[co]
            for ci, _, weight_index, q in reads:  # input channel, tap, weight index, padded cell
                total += s.weight[weight_index] * padded[n, ci, q]
            out[n, co, t] = total
    return out[0] if s.unbatched else out


@dataclass(frozen=True)
class TransposeSetup:
    """A checked ``conv_transpose1d`` configuration."""

    x: np.ndarray  # (N, C_in, L)
    weight: np.ndarray  # (C_in, C_out / groups, K)
    bias: np.ndarray  # (C_out,)
    stride: int
    padding: int
    output_padding: int
    groups: int
    dilation: int
    output_length: int
    unbatched: bool


def setup_conv_transpose1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: Any = 1,
    dilation: Any = 1,
) -> TransposeSetup:
    """Check every argument of :func:`conv_transpose1d`; raise on what torch refuses."""
    x, unbatched = as_batch(input)
    w = as_float_array("weight", weight)
    if w.ndim != 3 or 0 in w.shape:
        raise ValueError(f"weight must have shape (in_channels, out_channels/groups, kernel_size), got shape {w.shape}")
    in_channels, length = x.shape[1], x.shape[2]
    padding = transposed_padding(padding)
    stride = as_int("stride", stride, minimum=1)
    dilation = as_int("dilation", dilation, minimum=1)
    check_transposed_ints(stride, dilation)
    output_padding = as_int("output_padding", output_padding, minimum=0)
    if output_padding >= max(stride, dilation):
        raise ValueError(
            f"output_padding must be smaller than stride ({stride}) or dilation ({dilation}), got {output_padding}"
        )
    groups = as_int("groups", groups, minimum=1, one_tuple=False)
    if w.shape[0] != in_channels:
        raise ValueError(f"weight of shape {w.shape} expects {w.shape[0]} input channels, but input has {in_channels}")
    out_channels = w.shape[1] * groups
    check_groups(groups, in_channels, out_channels)
    kernel_size = w.shape[2]
    length_out = output_length(
        length, kernel_size, stride, padding, dilation, transposed=True, output_padding=output_padding
    )
    if length_out < 1:
        raise ValueError(
            "the output length (L-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1 "
            f"= {length_out} is below 1 for input length {length}: reduce padding={padding}"
        )
    b = as_bias(bias, out_channels)
    check_bound(
        "MAX_LENGTH", length_out, "the output length (L-1)*stride - 2*padding + dilation*(K-1) + output_padding + 1"
    )
    products = x.shape[0] * out_channels * length_out * (in_channels // groups) * kernel_size
    check_bound("MAX_WORK", products, f"the steps N*C_out*L_out*(C_in/groups)*K of conv_transpose1d, {_work(w, x)}")
    return TransposeSetup(x, w, b, stride, padding, output_padding, groups, dilation, length_out, unbatched)


def check_transposed_ints(stride: int, dilation: int) -> None:
    """Refuse a ``stride`` or ``dilation`` of ``2**31`` or more: torch's transposed convolution holds them in 32 bits.

    >>> check_transposed_ints(2, 2**31)
    Traceback (most recent call last):
    ...
    ValueError: dilation must be below 2**31 for conv_transpose1d (torch's transposed convolution holds it in 32 ...
    """
    for name, value in (("stride", stride), ("dilation", dilation)):
        if value >= TRANSPOSED_INT_LIMIT:
            raise ValueError(
                f"{name} must be below 2**31 for conv_transpose1d (torch's transposed convolution holds it "
                f"in 32 bits), got {value}"
            )


def transposed_source(o: int, j: int, stride: int, padding: int, dilation: int, length: int) -> int | None:
    """The input position that reaches output ``o`` through tap ``j`` of a transposed convolution, if any.

    Input ``i`` sends ``x[i] * w[j]`` to output ``i*stride + j*dilation - padding``; so output ``o``
    gets it from ``i = (o + padding - j*dilation) / stride`` when that is a whole number in range.

    >>> [
    ...     transposed_source(o, 0, stride=2, padding=0, dilation=1, length=2)
    ...     for o in range(4)
    ... ]
    [0, None, 1, None]
    """
    reach = o + padding - j * dilation
    if reach % stride:
        return None
    i = reach // stride
    return i if 0 <= i < length else None


def conv_transpose1d_reads(s: TransposeSetup) -> Iterator[tuple[int, int, list[Read]]]:
    """For every output of :func:`conv_transpose1d`, in order, ``(output channel, output position, reads)``.

    The output is ``bias[co]`` plus ``weight[weight_index] * x[channel, cell]`` for each read
    ``(channel, tap, weight_index, cell)``: the input cells that reach it, gathered output by output (an output
    no input reaches has none). The reads are the same for every example of a batch.

    >>> s = setup_conv_transpose1d([[1, 2]], [[[1, 1]]], stride=2)
    >>> for co, o, reads in conv_transpose1d_reads(s):
    ...     print(co, o, [(tap, cell) for _, tap, _, cell in reads])
    0 0 [(0, 0)]
    0 1 [(1, 0)]
    0 2 [(0, 1)]
    0 3 [(1, 1)]
    """
    in_channels, group_out, kernel_size = s.weight.shape
    group_in = in_channels // s.groups  # input channels per group
    length = s.x.shape[2]
    for co in range(group_out * s.groups):
        g, c = divmod(co, group_out)  # output channel co is channel c of group g ...
        for o in range(s.output_length):  # output position
            reads = []
            for ci in range(g * group_in, (g + 1) * group_in):  # ... and gathers from the input channels of group g
                for j in range(kernel_size):  # kernel tap j brings input (o + padding - j*dilation) / stride, if any
                    i = transposed_source(o, j, s.stride, s.padding, s.dilation, length)
                    if i is not None:
                        reads.append((ci, j, (ci, c, j), i))
            yield co, o, reads


@IEEE
def conv_transpose1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: Any = 1,
    dilation: Any = 1,
) -> np.ndarray:
    """1-D transposed convolution, as ``torch.nn.functional.conv_transpose1d`` computes it.

    ``input`` is ``(N, C_in, L)`` or ``(C_in, L)``; ``weight`` is ``(C_in, C_out/groups, K)``.
    Every input cell adds ``x[i] * w[j]`` to output ``i*stride + j*dilation - padding``;
    ``output_padding`` adds cells at the right end.

    >>> conv_transpose1d([[1, 2]], [[[1, 1]]], stride=2)
    array([[1., 1., 2., 2.]])
    """
    s = setup_conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups, dilation)
    batch = s.x.shape[0]
    out = np.zeros((batch, s.weight.shape[1] * s.groups, s.output_length))
    for co, o, reads in conv_transpose1d_reads(s):
        for n in range(batch):  # every example of the batch reads the same cells
            total = s.bias[co]
            for ci, _, weight_index, i in reads:  # input channel, tap, weight index, input position
                total += s.weight[weight_index] * s.x[n, ci, i]
            out[n, co, o] = total
    return out[0] if s.unbatched else out
