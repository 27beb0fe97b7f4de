"""Porting a 1-D convolution between PyTorch and Keras, JAX, NumPy or SciPy: padding rules and weight layouts.

PyTorch's ``conv1d`` reads ``(N, C, L)`` data with a ``(C_out, C_in/groups, K)`` weight and pads the same on
both sides. Keras and JAX read ``(N, L, C)`` data with a ``(K, C_in/groups, C_out)`` kernel, and their
``"same"`` padding is defined for any stride: it pads what makes ``ceil(L / stride)`` outputs, the odd cell on
the right. The functions here give the PyTorch spelling of each: the ``(left, right)`` zeros to put in with
``F.pad`` and the weight in torch's layout. Everything is NumPy; nothing here imports torch, Keras or JAX.

>>> same_padding(6, kernel_size=3, stride=2)  # "SAME" of TF, Keras and JAX
(0, 1)
>>> keras_padding("causal", 5, kernel_size=3, dilation=2)
(4, 0)
>>> kernel = np.zeros((3, 2, 4))  # Keras: (K, C_in, C_out)
>>> torch_weight_from_keras(kernel).shape  # torch: (C_out, C_in, K)
(4, 2, 3)
>>> keras_conv_transpose1d_args(
...     kernel_size=3, stride=2, padding="same", output_padding=1
... )
TransposeArgs(padding=0, output_padding=0, trim=1)
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np

from conv_docs.causal import causal_padding
from conv_docs.params import as_int, output_length, shown
from conv_docs.reference import as_real_array, check_transposed_ints, pad
from conv_docs.trace import Cell, Trace, _example, trace_conv1d

KERAS_PADDINGS = ("valid", "same", "causal")
KERAS_TRANSPOSE_PADDINGS = ("valid", "same")


def same_padding(length: int, kernel_size: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """The ``(left, right)`` zeros of TensorFlow / Keras / JAX ``padding="SAME"``, for any stride and dilation.

    ``"SAME"`` makes ``ceil(length / stride)`` outputs. It pads
    ``total = max((ceil(L/s) - 1)*s + d*(K-1) + 1 - L, 0)`` zeros, ``total // 2`` on the left and the rest on
    the right. In PyTorch: ``F.conv1d(F.pad(x, (left, right)), w, stride=s, dilation=d)``. For stride 1 this
    is ``padding="same"`` of ``nn.Conv1d``; for a larger stride it depends on the length and is often
    one-sided, which no int ``padding`` of ``nn.Conv1d`` can give.

    >>> same_padding(5, kernel_size=3)  # stride 1: as padding="same"
    (1, 1)
    >>> same_padding(5, kernel_size=3, stride=2)
    (1, 1)
    >>> same_padding(6, kernel_size=3, stride=2)
    (0, 1)
    """
    length = as_int("length", length, minimum=1)
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    stride = as_int("stride", stride, minimum=1)
    dilation = as_int("dilation", dilation, minimum=1)
    outputs = -(-length // stride)  # ceil(length / stride)
    total = max((outputs - 1) * stride + dilation * (kernel_size - 1) + 1 - length, 0)
    return (total // 2, total - total // 2)


def _keras_stride_dilation(stride: Any, dilation: Any) -> tuple[int, int]:
    stride = as_int("stride", stride, minimum=1)
    dilation = as_int("dilation", dilation, minimum=1)
    if stride > 1 and dilation > 1:
        raise ValueError(
            f"Keras refuses stride > 1 with dilation > 1 (strides with dilation_rate), got stride={stride} "
            f"and dilation={dilation}: one of them must be 1"
        )
    return stride, dilation


def _keras_padding_name(padding: object, allowed: tuple[str, ...]) -> str:
    if not isinstance(padding, str) or padding.lower() not in allowed:
        names = ", ".join(repr(p) for p in allowed)
        raise ValueError(f"padding must be one of {names} (any case), got {shown(padding)}")
    return padding.lower()


def keras_padding(padding: str, length: int, kernel_size: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """The ``(left, right)`` zeros of Keras ``Conv1D(padding=...)``: ``"valid"``, ``"same"`` or ``"causal"``.

    ``"valid"`` pads nothing, ``"same"`` is :func:`same_padding`, ``"causal"`` puts
    ``dilation*(kernel_size-1)`` zeros on the left only (:func:`conv_docs.causal.causal_padding`). Keras's
    ``Conv1D`` refuses a stride above 1 together with a dilation above 1, and so does this function. The
    same rule serves ``DepthwiseConv1D`` and ``SeparableConv1D`` (``"valid"`` or ``"same"``; they accept a
    stride with a dilation, for which call :func:`same_padding`) and ``jax.lax.conv_general_dilated``
    (``"VALID"`` or ``"SAME"``: the case does not matter here).

    >>> keras_padding("same", 4, kernel_size=2)
    (0, 1)
    >>> keras_padding("causal", 4, kernel_size=2, stride=2)
    (1, 0)
    """
    name = _keras_padding_name(padding, KERAS_PADDINGS)
    stride, dilation = _keras_stride_dilation(stride, dilation)
    length = as_int("length", length, minimum=1)
    if name == "valid":
        as_int("kernel_size", kernel_size, minimum=1)
        return (0, 0)
    if name == "causal":
        return (causal_padding(kernel_size, dilation), 0)
    return same_padding(length, kernel_size, stride, dilation)


def _array3(name: str, value: Any, layout: str) -> np.ndarray:
    array = as_real_array(name, value)  # real numbers, in the type they came in
    if array.ndim != 3:
        raise ValueError(f"{name} must have 3 dimensions {layout}, got shape {array.shape}")
    return array


def torch_weight_from_keras(kernel: Any) -> np.ndarray:
    """A Keras ``Conv1D`` kernel ``(K, C_in/groups, C_out)`` in torch's ``(C_out, C_in/groups, K)`` layout.

    The same axis swap, ``kernel.transpose(2, 1, 0)``, turns a ``Conv1DTranspose`` kernel
    ``(K, C_out, C_in)`` into the ``(C_in, C_out, K)`` weight of ``conv_transpose1d``, and a
    ``SeparableConv1D`` pointwise kernel ``(1, C_in*M, C_out)`` into a ``(C_out, C_in*M, 1)`` weight. No tap
    is reversed: Keras, like PyTorch, computes a cross-correlation.

    >>> k = np.arange(6.0).reshape(3, 1, 2)  # K=3, C_in=1, C_out=2
    >>> torch_weight_from_keras(k)[1, 0].tolist()  # out channel 1: taps in order
    [1.0, 3.0, 5.0]
    """
    return _array3("kernel", kernel, "(kernel_size, in_channels/groups, out_channels)").transpose(2, 1, 0).copy()


def keras_kernel_from_torch(weight: Any) -> np.ndarray:
    """A torch ``conv1d`` weight ``(C_out, C_in/groups, K)`` as a Keras ``Conv1D`` kernel ``(K, C_in/groups, C_out)``.

    The inverse of :func:`torch_weight_from_keras` (the same swap: it also turns a ``conv_transpose1d`` weight
    into a ``Conv1DTranspose`` kernel). Load it with ``layer.kernel.assign(...)`` or ``layer.set_weights``.

    >>> w = np.zeros((4, 2, 3))
    >>> kernel = keras_kernel_from_torch(w)
    >>> kernel.shape, torch_weight_from_keras(kernel).shape
    ((3, 2, 4), (4, 2, 3))
    """
    return _array3("weight", weight, "(out_channels, in_channels/groups, kernel_size)").transpose(2, 1, 0).copy()


def torch_weight_from_keras_depthwise(kernel: Any) -> np.ndarray:
    """A Keras ``DepthwiseConv1D`` kernel ``(K, C_in, M)`` as a torch weight ``(C_in*M, 1, K)`` for ``groups=C_in``.

    ``M`` is ``depth_multiplier``. Output channel ``c*M + m`` of both is input channel ``c`` convolved with
    multiplier ``m``'s kernel, so the torch layer is ``nn.Conv1d(C_in, C_in*M, K, groups=C_in)``.

    >>> k = np.arange(12.0).reshape(3, 2, 2)  # K=3, C_in=2, M=2
    >>> w = torch_weight_from_keras_depthwise(k)
    >>> w.shape, w[1, 0].tolist()  # channel 0, multiplier 1: k[:, 0, 1]
    ((4, 1, 3), [1.0, 5.0, 9.0])
    """
    array = _array3("kernel", kernel, "(kernel_size, in_channels, depth_multiplier)")
    size, channels, multiplier = array.shape
    return array.reshape(size, 1, channels * multiplier).transpose(2, 1, 0).copy()


def keras_depthwise_kernel_from_torch(weight: Any, in_channels: int) -> np.ndarray:
    """A torch ``groups=in_channels`` weight ``(C_in*M, 1, K)`` as a Keras ``DepthwiseConv1D`` kernel ``(K, C_in, M)``.

    The inverse of :func:`torch_weight_from_keras_depthwise`.

    >>> keras_depthwise_kernel_from_torch(np.zeros((6, 1, 3)), in_channels=2).shape
    (3, 2, 3)
    """
    array = _array3("weight", weight, "(in_channels*depth_multiplier, 1, kernel_size)")
    in_channels = as_int("in_channels", in_channels, minimum=1)
    out_channels, per_group, size = array.shape
    if per_group != 1 or out_channels % in_channels:
        raise ValueError(
            f"weight must have shape (in_channels*depth_multiplier, 1, kernel_size) with in_channels={in_channels}, "
            f"got shape {array.shape}"
        )
    return array.transpose(2, 1, 0).reshape(size, in_channels, out_channels // in_channels).copy()


class TransposeArgs(NamedTuple):
    """``conv_transpose1d`` arguments, and how many samples to cut off the end afterwards.

    ``args.crop(F.conv_transpose1d(x, w, b, stride, args.padding, args.output_padding, dilation=d))`` keeps
    ``max(L - trim, 0)`` samples of the ``L`` it returns: none when ``trim`` is ``L`` or more, as JAX then
    returns an empty array (a plain ``y[..., :L - trim]`` would count a negative end from the back).
    """

    padding: int
    output_padding: int
    trim: int

    def crop(self, y: Any) -> Any:
        """``y`` (an array or a tensor) without its last ``trim`` samples; empty if it has no more than that.

        >>> y = np.arange(3)
        >>> TransposeArgs(0, 0, trim=1).crop(y), TransposeArgs(0, 0, trim=4).crop(y)
        (array([0, 1]), array([], dtype=int64))
        """
        trim = as_int("trim", self.trim, minimum=0)
        if len(getattr(y, "shape", ())) < 1:
            raise TypeError(f"y must be an array or a tensor with a last axis to crop, got {shown(y)}")
        return y[..., : max(y.shape[-1] - trim, 0)]


def transpose_args_from_pads(
    before: int, after: int, kernel_size: int, stride: int = 1, dilation: int = 1, *, input_length: int | None = None
) -> TransposeArgs:
    """``conv_transpose1d`` arguments for the JAX way of writing a transposed convolution.

    ``jax.lax.conv_transpose`` (explicit padding) and Keras ``Conv1DTranspose`` put ``stride - 1`` zeros
    between the inputs, pad ``before`` and ``after`` zeros, and slide the flipped kernel over that. With
    ``ke = dilation*(kernel_size-1) + 1`` and ``before = after = ke - 1`` that is PyTorch's full output;
    every zero fewer on the left is ``padding`` one more, and ``after - before`` is ``output_padding``
    (a negative one is ``trim``: cut that many samples off the end).

    Given ``input_length``, the ``trim`` is at most the length ``conv_transpose1d`` returns (JAX's result is
    then empty), and a configuration with no output at all in torch (JAX returns an empty array) is refused.

    >>> transpose_args_from_pads(2, 2, kernel_size=3)  # the full output: padding 0
    TransposeArgs(padding=0, output_padding=0, trim=0)
    >>> transpose_args_from_pads(1, 2, kernel_size=3, stride=2)
    TransposeArgs(padding=1, output_padding=1, trim=0)

    For one input, ``conv_transpose1d`` with the arguments below returns 3 samples and ``trim`` is 4; given
    ``input_length=1``, ``trim`` is 3: all 3 are cut, and JAX gives none.

    >>> transpose_args_from_pads(4, 0, kernel_size=4, dilation=2)
    TransposeArgs(padding=2, output_padding=0, trim=4)
    >>> transpose_args_from_pads(4, 0, kernel_size=4, dilation=2, input_length=1)
    TransposeArgs(padding=2, output_padding=0, trim=3)
    """
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    stride = as_int("stride", stride, minimum=1)
    dilation = as_int("dilation", dilation, minimum=1)
    check_transposed_ints(stride, dilation)  # the arguments are for conv_transpose1d, which holds these in 32 bits
    before = as_int("before", before, minimum=0)
    after = as_int("after", after, minimum=0)
    span = dilation * (kernel_size - 1) + 1
    if before > span - 1:
        raise ValueError(
            f"before must be at most dilation*(kernel_size-1) = {span - 1}, got {before}: conv_transpose1d cannot "
            "add zeros on the left of its full output"
        )
    extra = after - before
    if extra >= max(stride, dilation):
        raise ValueError(
            f"after - before must be below max(stride, dilation) = {max(stride, dilation)} (conv_transpose1d "
            f"needs output_padding < stride or dilation), got {extra}"
        )
    args = TransposeArgs(padding=span - 1 - before, output_padding=max(extra, 0), trim=max(-extra, 0))
    if input_length is None:
        return args
    input_length = as_int("input_length", input_length, minimum=1)
    length = output_length(input_length, kernel_size, stride, args.padding, dilation, transposed=True,
                           output_padding=args.output_padding)  # fmt: skip
    if length < 1:
        raise ValueError(
            f"conv_transpose1d has no output for input_length={input_length} with padding={args.padding} (it would be "
            f"{length} long): torch refuses it, where jax.lax.conv_transpose returns an empty array"
        )
    return args._replace(trim=min(args.trim, length))


def keras_transpose_pads(
    kernel_size: int, stride: int = 1, padding: str = "valid", output_padding: int | None = None, dilation: int = 1
) -> tuple[int, int]:
    """The ``(before, after)`` zeros Keras 3 gives ``jax.lax.conv_transpose`` for ``Conv1DTranspose``.

    As ``compute_conv_transpose_padding_args_for_jax`` in Keras (``keras/src/backend/common/backend_utils.py``)
    computes them; Keras's TensorFlow back end gives the same numbers. With ``ke = dilation*(K-1) + 1``:
    ``"valid"`` pads ``ke - 1`` before and ``ke - 1 + output_padding`` after (``output_padding`` defaults to
    ``max(ke, stride) - ke``); ``"same"`` pads ``n = ke + ke % 2 - 2 + output_padding`` in total, or
    ``n = stride + ke - 2`` without ``output_padding``, with ``min(ceil(n / 2), ke - 1)`` before.

    >>> keras_transpose_pads(3, stride=2, padding="same")
    (2, 1)
    >>> keras_transpose_pads(3, stride=2, padding="valid", output_padding=1)
    (2, 3)
    """
    name = _keras_padding_name(padding, KERAS_TRANSPOSE_PADDINGS)
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    stride, dilation = _keras_stride_dilation(stride, dilation)
    if output_padding is not None:
        output_padding = as_int("output_padding", output_padding, minimum=0)
        if output_padding >= stride:
            raise ValueError(f"output_padding must be below stride={stride} (Keras refuses more), got {output_padding}")
    span = dilation * (kernel_size - 1) + 1
    if name == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return (span - 1, span - 1 + extra)
    total = stride + span - 2 if output_padding is None else span + span % 2 - 2 + output_padding
    before = min(-(-total // 2), span - 1)
    return (before, total - before)


def keras_conv_transpose1d_args(
    kernel_size: int,
    stride: int = 1,
    padding: str = "valid",
    output_padding: int | None = None,
    dilation: int = 1,
    *,
    input_length: int | None = None,
) -> TransposeArgs:
    """The ``conv_transpose1d`` arguments that give the numbers of Keras 3 ``Conv1DTranspose``.

    Keras ``padding="same"`` with ``output_padding=op`` is **not** ``padding=K//2, output_padding=op``
    whenever ``op >= 1`` and ``K >= 2``: Keras crops the odd sample from the end, PyTorch's ``padding``
    crops from both ends. Keras's own PyTorch back end uses that translation and warns that it may differ
    from its other back ends; this function follows the JAX and TensorFlow back ends
    (:func:`keras_transpose_pads`, then :func:`transpose_args_from_pads`, which also says what
    ``input_length`` does).

    With stride 2, ``"same"`` makes ``2*L`` samples: for ``K=3``, those of ``conv_transpose1d`` but the last.

    >>> keras_conv_transpose1d_args(3, stride=2, padding="same")
    TransposeArgs(padding=0, output_padding=0, trim=1)
    >>> keras_conv_transpose1d_args(4, stride=2, padding="same")
    TransposeArgs(padding=1, output_padding=0, trim=0)
    """
    before, after = keras_transpose_pads(kernel_size, stride, padding, output_padding, dilation)
    return transpose_args_from_pads(before, after, kernel_size, stride, dilation, input_length=input_length)


def jax_conv_transpose_args(
    kernel_size: int,
    stride: int = 1,
    padding: str | tuple[int, int] = "VALID",
    dilation: int = 1,
    *,
    input_length: int | None = None,
) -> TransposeArgs:
    """The ``conv_transpose1d`` arguments that give the numbers of ``jax.lax.conv_transpose``.

    For ``transpose_kernel=True`` (the kernel as Keras lays it out); without it, JAX does not flip the kernel,
    so flip it for torch. ``padding`` is ``"SAME"``, ``"VALID"`` (read as JAX reads them: the padding of the
    forward convolution this one transposes) or an explicit ``(before, after)`` pair of zeros around the
    stretched input (:func:`transpose_args_from_pads`). ``"SAME"`` makes ``stride * L`` outputs, like Keras's
    ``"same"``; ``"VALID"`` makes ``(L-1)*stride + max(ke, stride)``, with ``ke = dilation*(K-1) + 1``.
    An explicit pair may crop more than the output holds: JAX then returns an empty array, and so does
    :meth:`TransposeArgs.crop` (with ``input_length``, the ``trim`` is cut to the output's length; see
    :func:`transpose_args_from_pads`).

    >>> jax_conv_transpose_args(3, stride=2, padding="SAME")
    TransposeArgs(padding=0, output_padding=0, trim=1)
    >>> jax_conv_transpose_args(2, stride=3, padding="VALID")
    TransposeArgs(padding=0, output_padding=1, trim=0)
    """
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    stride = as_int("stride", stride, minimum=1)
    dilation = as_int("dilation", dilation, minimum=1)
    span = dilation * (kernel_size - 1) + 1
    pads = dict(kernel_size=kernel_size, stride=stride, dilation=dilation, input_length=input_length)
    if isinstance(padding, tuple) and len(padding) == 2:
        return transpose_args_from_pads(padding[0], padding[1], **pads)
    if not isinstance(padding, str) or padding not in ("SAME", "VALID"):
        raise ValueError(
            f"padding must be 'SAME', 'VALID' or a (before, after) pair of ints >= 0, got {shown(padding)}"
        )
    if padding == "SAME":
        total = span + stride - 2
        before = span - 1 if stride > span - 1 else -(-total // 2)
    else:
        total = span + stride - 2 + max(span - stride, 0)
        before = span - 1
    return transpose_args_from_pads(before, total - before, **pads)


def trace_padded_conv1d(
    input: Any, weight: Any, padding: tuple[int, int], bias: Any = None, stride: int = 1, dilation: int = 1
) -> Trace:
    """The trace of ``F.conv1d(F.pad(x, (left, right)), w, b, stride, dilation=d)`` on one example.

    Like :func:`conv_docs.trace_conv1d`, but the zeros on each side may differ, as Keras's and JAX's
    ``"same"`` and ``"causal"`` paddings do; ``Trace.padding`` is those ``(left, right)`` zeros.

    >>> padding = same_padding(6, 3, stride=2)
    >>> t = trace_padded_conv1d([1, 2, 3, 4, 5, 6], [1, 1, 1], padding, stride=2)
    >>> t.padding, t.output
    ((0, 1), ((6.0, 12.0, 11.0),))
    """
    if not isinstance(padding, tuple) or len(padding) != 2:
        raise ValueError(f"padding must be a (left, right) pair of ints >= 0, got {shown(padding)}")
    left, right = as_int("padding", padding[0], minimum=0), as_int("padding", padding[1], minimum=0)
    x, w, b = _example(input, weight, bias)
    length = x.shape[1]
    padded = trace_conv1d(pad(x, left, right), w, b, stride=stride, dilation=dilation)

    def source(q: int) -> int | None:
        return q - left if 0 <= q - left < length else None

    def relabel(cell: Cell) -> Cell:
        where = source(cell.position)
        return replace(cell, kind="zeros" if where is None else "input", source=where)

    cells = tuple(tuple(relabel(cell) for cell in channel) for channel in padded.cells)
    steps = tuple(
        replace(step, terms=tuple(replace(term, source=source(term.cell)) for term in step.terms))
        for step in padded.steps
    )
    reached = {(term.channel, term.source) for step in steps for term in step.terms if term.source is not None}
    return replace(
        padded,
        input=tuple(tuple(float(v) for v in row) for row in x),
        padding=(left, right),
        cells=cells,
        steps=steps,
        unread=tuple((c, i) for c in range(x.shape[0]) for i in range(length) if (c, i) not in reached),
    )


__all__ = [
    "KERAS_PADDINGS",
    "TransposeArgs",
    "same_padding",
    "keras_padding",
    "torch_weight_from_keras",
    "keras_kernel_from_torch",
    "torch_weight_from_keras_depthwise",
    "keras_depthwise_kernel_from_torch",
    "keras_transpose_pads",
    "transpose_args_from_pads",
    "keras_conv_transpose1d_args",
    "jax_conv_transpose_args",
    "trace_padded_conv1d",
]
