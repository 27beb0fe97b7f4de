"""How many terms a transposed convolution adds into each output: the overlap count, and the alternative.

A transposed convolution scatters: input ``i`` adds ``x[i] * w[j]`` to output ``i*stride + j*dilation - padding``
for every tap ``j`` (:func:`conv_docs.reference.transposed_source` names the input that reaches an output through
a tap). The **overlap count** of an output is how many such terms land on it. On an input of ones with a kernel
of ones, the output *is* the overlap count, so a kernel that is not a multiple of the stride turns a flat input
into stripes:

>>> overlap_count(5, kernel_size=3, stride=2)
[1, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1]
>>> overlap_count(5, kernel_size=4, stride=2)
[1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1]

Away from the ends the counts repeat with period ``stride`` (:func:`overlap_pattern`). Upsampling by repeating
each input (nearest neighbour, :func:`upsample_nearest`) and then an ordinary ``conv1d`` reads the same number
of cells at every output instead (:func:`resize_count`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from conv_docs.params import as_int, check_bound
from conv_docs.reference import as_batch, conv1d, setup_conv_transpose1d, transposed_source


def overlap_count(
    length: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    output_padding: int = 0,
) -> list[int]:
    """How many input terms ``x[i] * w[j]`` ``conv_transpose1d`` adds into each output, output by output.

    The arguments are those of ``nn.ConvTranspose1d`` for an input of ``length`` cells, checked as torch
    checks them. The result is as long as the output; it equals ``conv_transpose1d`` of ones with a kernel of
    ones.

    >>> overlap_count(4, kernel_size=3, stride=2, padding=1, output_padding=1)
    [1, 2, 1, 2, 1, 2, 1, 1]
    """
    length = as_int("length", length, minimum=1)
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    check_bound("MAX_LENGTH", length, "the input length")
    check_bound("MAX_LENGTH", kernel_size, "the kernel size")
    s = setup_conv_transpose1d(
        np.ones((1, length)), np.ones((1, 1, kernel_size)), None, stride, padding, output_padding, 1, dilation
    )
    check_bound("MAX_WORK", s.output_length * kernel_size, f"the taps counted, {s.output_length} outputs * kernel_size")
    return [
        sum(transposed_source(o, j, s.stride, s.padding, s.dilation, length) is not None for j in range(kernel_size))
        for o in range(s.output_length)
    ]


def overlap_pattern(kernel_size: int, stride: int, dilation: int = 1) -> list[int]:
    """The overlap counts away from the ends of the output, which repeat every ``stride`` outputs.

    Element ``r`` is the count of every output ``o`` with ``(o + padding) % stride == r`` that all taps can
    reach: the taps ``j`` with ``j*dilation % stride == r``. With dilation 1 each count is
    ``kernel_size // stride`` or one more, and they are all equal exactly when ``stride`` divides
    ``kernel_size``.

    >>> overlap_pattern(3, stride=2), overlap_pattern(4, stride=2)
    ([2, 1], [2, 2])
    >>> overlap_pattern(5, stride=3)
    [2, 2, 1]
    """
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    stride = as_int("stride", stride, minimum=1)
    dilation = as_int("dilation", dilation, minimum=1)
    check_bound("MAX_WORK", kernel_size * stride, f"the taps counted, kernel_size {kernel_size} * stride {stride}")
    return [sum(j * dilation % stride == r for j in range(kernel_size)) for r in range(stride)]


def upsample_nearest(input: Any, scale: int) -> np.ndarray:
    """Repeat every input cell ``scale`` times along the last axis, as
    ``F.interpolate(x, scale_factor=scale, mode="nearest")`` does.

    ``input`` is ``(N, C, L)`` or ``(C, L)``; the result is ``(N, C, L*scale)`` or ``(C, L*scale)``.

    >>> upsample_nearest([[2, 3, 4]], 2)
    array([[2., 2., 3., 3., 4., 4.]])
    """
    x, unbatched = as_batch(input)
    scale = as_int("scale", scale, minimum=1)
    check_bound("MAX_LENGTH", x.shape[-1] * scale, f"the upsampled length {x.shape[-1]} * {scale}")
    check_bound("MAX_WORK", x.size * scale, "the upsampled numbers")
    out = np.repeat(x, scale, axis=-1)
    return out[0] if unbatched else out


def resize_count(length: int, kernel_size: int, scale: int = 2, padding: int | None = None) -> list[int]:
    """How many cells of the upsampled input each output of resize-then-convolve reads (padding zeros left
    out): ``upsample_nearest`` by ``scale``, then ``conv1d`` with ``kernel_size`` and ``padding``
    (``kernel_size // 2`` by default). It is ``conv1d`` of the upsampled ones with a kernel of ones.

    >>> resize_count(4, kernel_size=3)
    [2, 3, 3, 3, 3, 3, 3, 2]
    """
    length = as_int("length", length, minimum=1)
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    padding = kernel_size // 2 if padding is None else padding
    check_bound("MAX_LENGTH", length, "the input length")
    check_bound("MAX_LENGTH", kernel_size, "the kernel size")  # before a kernel of ones is built
    ones = upsample_nearest(np.ones((1, length)), scale)
    return [round(v) for v in conv1d(ones, np.ones((1, 1, kernel_size)), padding=padding)[0]]
