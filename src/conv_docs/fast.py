"""Fast paths: the same ``conv1d`` as :func:`conv_docs.conv1d`, computed the way frameworks do.

- :func:`conv1d_im2col` copies every window into a column (:func:`im2col`) and does one matrix
  product per group: the same multiplications as the loops, but in a form BLAS runs fast.
- :func:`conv1d_fft` multiplies Fourier transforms: ``O(L log L)`` per channel pair, whatever
  the kernel size, which pays off for long kernels.

Both take the arguments of :func:`conv_docs.conv1d`, check them the same way (with the same bounds on
the work of one call) and return the same ``float64`` arrays.

>>> conv1d_im2col([[2, 3, 4]], [[[1, 1]]], stride=2, padding=1)
array([[2., 7.]])
>>> conv1d_fft([[2, 3, 4]], [[[1, 1]]], stride=2, padding=1).round(12)
array([[2., 7.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from conv_docs.params import Padding, as_int, check_bound, shown
from conv_docs.reference import IEEE, Conv1dSetup, as_float_array, pad, setup_conv1d, window_cell

METHODS = ("direct", "im2col", "fft")


def window_indices(output_length: int, kernel_size: int, stride: int = 1, dilation: int = 1) -> np.ndarray:
    """The ``(kernel_size, output_length)`` grid of padded-input cells: entry ``[j, t]`` is what tap ``j`` reads
    at output ``t``.

    >>> window_indices(2, 2, stride=2)
    array([[0, 2],
           [1, 3]])
    """
    output_length = as_int("output_length", output_length, minimum=1)
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    stride, dilation = as_int("stride", stride, minimum=1), as_int("dilation", dilation, minimum=1)
    last = (output_length - 1) * stride + (kernel_size - 1) * dilation  # the last cell read
    check_bound("MAX_LENGTH", last + 1, "the cells the windows reach, (output_length-1)*stride + (K-1)*dilation + 1")
    check_bound("MAX_WORK", kernel_size * output_length, "the grid's entries, K * output_length")
    taps, steps = np.arange(kernel_size)[:, np.newaxis], np.arange(output_length)[np.newaxis, :]
    return window_cell(steps, taps, stride, dilation)


def im2col(padded: np.ndarray, kernel_size: int, stride: int = 1, dilation: int = 1) -> np.ndarray:
    """Copy every window of ``padded`` (shape ``(..., C, L)``) into a column: shape ``(..., C * K, L_out)``.

    Row ``c * K + j`` holds what tap ``j`` of channel ``c`` reads at each output position, so a
    weight reshaped to ``(C_out, C * K)`` times this matrix is the convolution.

    >>> im2col(np.array([[0.0, 2, 3, 4, 0]]), kernel_size=2, stride=2)
    array([[0., 3.],
           [2., 4.]])
    """
    padded = as_float_array("padded", padded)
    if padded.ndim < 2:
        raise ValueError(f"padded must have shape (..., C, L), at least 2 dimensions, got shape {padded.shape}")
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    stride, dilation = as_int("stride", stride, minimum=1), as_int("dilation", dilation, minimum=1)
    span = dilation * (kernel_size - 1) + 1
    if span > padded.shape[-1]:
        raise ValueError(
            f"kernel_size={kernel_size} with dilation={dilation} spans {span} cells, more than the padded "
            f"length {padded.shape[-1]}"
        )
    output_length = (padded.shape[-1] - span) // stride + 1
    rows = padded.size // padded.shape[-1] * kernel_size
    check_bound(
        "MAX_WORK", rows * output_length, f"the entries of the columns, (N*C*K) * L_out = {rows} * {output_length}"
    )
    columns = padded[..., window_indices(output_length, kernel_size, stride, dilation)]  # (..., C, K, L_out)
    return columns.reshape(*padded.shape[:-2], padded.shape[-2] * kernel_size, output_length)


def _grouped(s: Conv1dSetup, per_group) -> np.ndarray:
    """Run ``per_group(x_group, w_group)`` on each group's channels and stack the outputs, plus the bias."""
    padded = pad(s.x, s.left, s.right, s.padding_mode)
    out_channels, group_in, _ = s.weight.shape
    group_out = out_channels // s.groups
    parts = [
        per_group(padded[:, g * group_in : (g + 1) * group_in], s.weight[g * group_out : (g + 1) * group_out])
        for g in range(s.groups)
    ]
    out = np.concatenate(parts, axis=1) + s.bias[:, np.newaxis]
    return out[0] if s.unbatched else out


@IEEE
def conv1d_im2col(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Padding = 0,
    dilation: Any = 1,
    groups: Any = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """:func:`conv_docs.conv1d` as im2col plus one matrix product per group.

    >>> conv1d_im2col([[2, 3, 4]], [[[1, 1]]])
    array([[5., 7.]])
    """
    s = setup_conv1d(input, weight, bias, stride, padding, dilation, groups, padding_mode)

    def per_group(x: np.ndarray, w: np.ndarray) -> np.ndarray:
        columns = im2col(x, w.shape[-1], s.stride, s.dilation)  # (N, C_g * K, L_out)
        return w.reshape(w.shape[0], -1) @ columns  # (C_out_g, C_g * K) @ (N, C_g * K, L_out)

    return _grouped(s, per_group)


def conv1d_fft(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Padding = 0,
    dilation: Any = 1,
    groups: Any = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """:func:`conv_docs.conv1d` through the FFT: a product of spectra instead of a sliding window.

    The kernel is spread out by ``dilation`` (zeros between taps) and reversed, because PyTorch
    computes a cross-correlation while a product of spectra gives a convolution. The full
    convolution is then cut down to the windows that fit and every ``stride``-th one is kept.
    Results agree with the loops up to rounding: in float64, within ``1e-13`` of the largest value.

    Input and weight must be finite: one ``inf`` or ``nan`` would spread through the transform to every
    output, where torch and :func:`conv1d_im2col` keep it to the windows that read it.

    >>> conv1d_fft([[2, 3, 4]], [[[1, 1]]]).round(12)
    array([[5., 7.]])
    """
    s = setup_conv1d(input, weight, bias, stride, padding, dilation, groups, padding_mode)
    for name, array in (("input", s.x), ("weight", s.weight)):
        if not np.isfinite(array).all():
            raise ValueError(
                f"{name} must be finite for conv1d_fft, got {shown(array)}: an inf or nan would spread to every "
                "output through the transform (conv1d_im2col keeps it where torch does)"
            )

    def per_group(x: np.ndarray, w: np.ndarray) -> np.ndarray:
        kernel_size = w.shape[-1]
        span = s.dilation * (kernel_size - 1) + 1
        spread = np.zeros((*w.shape[:-1], span))
        spread[..., :: s.dilation] = w
        size = x.shape[-1] + span - 1  # full convolution: no wrap-around
        spectrum_x = np.fft.rfft(x, size)  # (N, C_g, F)
        spectrum_w = np.fft.rfft(spread[..., ::-1], size)  # (C_out_g, C_g, F)
        full = np.fft.irfft(np.einsum("ncf,ocf->nof", spectrum_x, spectrum_w), size)
        valid = full[..., span - 1 : x.shape[-1]]  # windows that lie inside the padded input
        return valid[..., :: s.stride][..., : s.output_length]

    return _grouped(s, per_group)


def multiplications(input_length: int, kernel_size: int, output_length: int, method: str) -> int:
    """Multiplications per (input channel, output channel) pair: how the costs of the methods grow.

    ``"direct"`` and ``"im2col"``: ``K`` per output. ``"fft"``: about ``n log2 n`` for each of three
    transforms of size ``n = L + K - 1`` plus ``n`` products; it wins once ``K`` is large.

    >>> multiplications(1000, 3, 998, "direct")
    2994
    >>> direct = multiplications(1000, 301, 700, "direct")
    >>> direct > multiplications(1000, 301, 700, "fft")
    True
    """
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be one of 'direct', 'im2col', 'fft', got {shown(method)}")
    input_length = as_int("input_length", input_length, minimum=1)
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    output_length = as_int("output_length", output_length, minimum=1)
    if method in ("direct", "im2col"):
        return kernel_size * output_length
    size = input_length + kernel_size - 1
    return int(3 * size * np.log2(size) + size)
