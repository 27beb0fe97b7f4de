"""Convolution as a matrix: the Toeplitz matrix of ``conv1d`` and its transpose.

For one channel, ``conv1d`` is linear in its input, so it is a matrix ``M`` of shape
``(L_out, L_in)``: ``conv1d(x) == M @ x``. Row ``t`` holds the kernel at the cells that output
``t`` reads. With zero padding the transpose ``M.T`` is ``conv_transpose1d`` with the same weight.
Both matrices are read off the step-by-step trace, so they hold no arithmetic of their own.

>>> conv1d_matrix(3, [1, 2])
array([[1., 2., 0.],
       [0., 1., 2.]])

This module also says which padding makes PyTorch's cross-correlation give what
``numpy.convolve`` (which flips the kernel) gives in its modes ``"valid"``, ``"same"``, ``"full"``.

>>> numpy_mode_padding("full", kernel_size=3)
(2, 2)
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from conv_docs.params import as_int, check_bound, output_length, shown
from conv_docs.reference import as_float_array
from conv_docs.trace import Trace, trace_conv1d, trace_conv_transpose1d

NUMPY_MODES = ("valid", "same", "full")
NumpyMode = Literal["valid", "same", "full"]


def _matrix_from_trace(trace: Trace, rows: int, columns: int) -> np.ndarray:
    """Entry ``[step, source]`` sums the weights with which output ``step`` reads input ``source``."""
    matrix = np.zeros((rows, columns))
    for step in trace.steps:
        for term in step.terms:
            if term.source is not None:  # a padding zero adds nothing, whatever the weight; a copy adds to its source
                matrix[step.position, term.source] += term.weight
    return matrix


def _kernel(weight: Any) -> np.ndarray:
    """The one-channel kernel ``[w0, w1, ...]`` (a ``(1, 1, K)`` weight is accepted too)."""
    w = as_float_array("weight", weight)
    if w.ndim == 3 and w.shape[:2] == (1, 1):
        w = w[0, 0]
    if w.ndim != 1 or w.size == 0:
        raise ValueError(
            f"weight must be the kernel of one channel, [w0, w1, ...] or shape (1, 1, K), got shape {w.shape}: "
            "with several channels, each (output, input) pair of channels has a matrix of its own"
        )
    return w


def _check_entries(rows: int, length: int) -> None:
    if rows >= 1:  # otherwise the trace refuses the configuration with its own message
        check_bound("MAX_WORK", rows * length, f"the entries of the matrix, L_out * length = {rows} * {length}")


def conv1d_matrix(
    length: int, weight: Any, stride: int = 1, padding: int = 0, dilation: int = 1, padding_mode: str = "zeros"
) -> np.ndarray:
    """The ``(L_out, length)`` matrix ``M`` with ``conv1d([x], [[weight]], ...) == M @ x`` (no bias).

    ``weight`` is the kernel of one channel, ``[w0, w1, ...]``; ``padding_mode`` is that of
    ``nn.Conv1d``. The matrix has one column per input cell, and at most :data:`conv_docs.params.MAX_WORK`
    entries. A zero padding cell adds nothing, so
    a tap on it drops out of its row; a cell that copies an input (``reflect``, ``replicate``,
    ``circular``) adds its tap's weight to the column of the input it copies.

    >>> conv1d_matrix(3, [1, 1], stride=2, padding=1)
    array([[1., 0., 0.],
           [0., 1., 1.]])

    With ``reflect`` the padded input is ``x1 x0 x1 x2 x1``: the taps on the two pads land in column 1.

    >>> conv1d_matrix(3, [1, 2], padding=1, padding_mode="reflect")
    array([[2., 1., 0.],
           [1., 2., 0.],
           [0., 1., 2.],
           [0., 2., 1.]])
    """
    length, w = as_int("length", length, minimum=1), _kernel(weight)
    _check_entries(output_length(length, len(w), stride, padding, dilation), length)
    trace = trace_conv1d(
        np.zeros(length), w, stride=stride, padding=padding, dilation=dilation, padding_mode=padding_mode
    )
    return _matrix_from_trace(trace, trace.output_length, length)


def conv_transpose1d_matrix(
    length: int, weight: Any, stride: int = 1, padding: int = 0, output_padding: int = 0, dilation: int = 1
) -> np.ndarray:
    """The matrix ``T`` with ``conv_transpose1d([x], [[weight]], ...) == T @ x``, of shape ``(L_out, length)``.

    It is the transpose of :func:`conv1d_matrix` for the same weight, stride, padding and
    dilation, when ``output_padding`` brings the lengths back together.

    >>> conv_transpose1d_matrix(2, [1, 2], stride=2)
    array([[1., 0.],
           [2., 0.],
           [0., 1.],
           [0., 2.]])
    """
    length, w = as_int("length", length, minimum=1), _kernel(weight)
    rows = output_length(length, len(w), stride, padding, dilation, transposed=True, output_padding=output_padding)
    _check_entries(rows, length)
    trace = trace_conv_transpose1d(
        np.zeros(length), w, stride=stride, padding=padding, output_padding=output_padding, dilation=dilation
    )
    return _matrix_from_trace(trace, trace.output_length, length)


def numpy_mode_padding(mode: NumpyMode, kernel_size: int) -> tuple[int, int]:
    """The (left, right) zeros that make ``conv1d`` with the flipped kernel equal ``numpy.convolve(x, w, mode)``.

    ``numpy.convolve`` flips the kernel and PyTorch does not, so flip it yourself: with
    ``left, right = numpy_mode_padding(mode, K)``,
    ``numpy.convolve(x, w, mode) == conv1d(pad(x, left, right), w[::-1])`` for inputs at least as
    long as the kernel. ``"valid"`` pads nothing, ``"full"`` pads ``K - 1`` on each side, and
    ``"same"`` pads ``K - 1`` in total with the larger half on the *left*: the opposite of
    PyTorch's ``padding="same"``, which puts the extra zero of an even kernel on the right.
    ``scipy.signal.convolve`` and ``scipy.signal.correlate`` use the same three modes and the same
    placement.

    >>> numpy_mode_padding("same", kernel_size=4)
    (2, 1)
    >>> numpy_mode_padding("valid", kernel_size=4)
    (0, 0)
    """
    if not isinstance(mode, str) or mode not in NUMPY_MODES:
        allowed = ", ".join(repr(m) for m in NUMPY_MODES)
        raise ValueError(f"mode must be one of {allowed}, got {shown(mode)}")
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    total = {"valid": 0, "same": kernel_size - 1, "full": 2 * (kernel_size - 1)}[mode]
    right = total // 2
    return (total - right, right)
