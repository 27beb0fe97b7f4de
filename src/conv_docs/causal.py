"""Causal convolution: every output sees only the present input and the past.

A causal ``conv1d`` pads on the left only, with ``dilation * (kernel_size - 1)`` zeros, so that
output ``t`` reads inputs ``t - dilation*(kernel_size-1), ..., t - dilation, t`` and never a later
one. The output is as long as the input.

>>> causal_conv1d([[2, 3, 4]], [[[1, 1]]])
array([[2., 5., 7.]])
>>> causal_padding(kernel_size=2, dilation=4)
4
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from conv_docs.params import INT64_MAX, as_int, check_bound, number_text
from conv_docs.reference import as_batch, as_float_array, conv1d, pad
from conv_docs.trace import Trace, _example, trace_conv1d


def causal_padding(kernel_size: int, dilation: int = 1) -> int:
    """The zeros a causal convolution puts on the left: ``dilation * (kernel_size - 1)``.

    >>> causal_padding(3, dilation=2)
    4
    """
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    dilation = as_int("dilation", dilation, minimum=1)
    left = dilation * (kernel_size - 1)
    if left > INT64_MAX:
        raise ValueError(
            f"the causal padding dilation * (kernel_size - 1) = {number_text(left)} does not fit in 64 bits, "
            f"as torch holds a padding (kernel_size={kernel_size}, dilation={dilation})"
        )
    return left


def causal_conv1d(input: Any, weight: Any, bias: Any = None, dilation: Any = 1, groups: Any = 1) -> np.ndarray:
    """``conv1d`` with ``dilation * (kernel_size - 1)`` zeros on the left only: output ``t`` reads no input after ``t``.

    ``input`` is ``(N, C_in, L)`` or ``(C_in, L)``; ``weight`` is ``(C_out, C_in/groups, K)``. The
    output has the input's length. With torch the same is ``F.conv1d(F.pad(x, (left, 0)), w, b, dilation=d)``.

    An impulse at 0 spreads forward only:

    >>> causal_conv1d([[1, 0, 0, 0]], [[[1, 1, 1]]], dilation=1)
    array([[1., 1., 1., 0.]])
    """
    x, unbatched = as_batch(input)
    w = _causal_weight(weight)
    left = causal_padding(w.shape[-1], dilation)
    check_bound(
        "MAX_LENGTH", left + x.shape[-1], f"the padded input length dilation*(K-1) + L = {left} + {x.shape[-1]}"
    )
    out = conv1d(pad(x, left, 0), w, bias, dilation=dilation, groups=groups)
    return out[0] if unbatched else out


def _causal_weight(weight: Any) -> np.ndarray:
    w = as_float_array("weight", weight)
    if w.ndim != 3 or 0 in w.shape:
        raise ValueError(f"weight must have shape (out_channels, in_channels/groups, kernel_size), got shape {w.shape}")
    return w


def trace_causal_conv1d(input: Any, weight: Any, bias: Any = None, dilation: Any = 1) -> Trace:
    """The trace of a causal convolution on one example: the steps that read no padding on the right.

    A convolution padded with ``p = dilation*(kernel_size-1)`` zeros on *both* sides gives ``L + p``
    outputs; the first ``L`` are the causal ones (those whose window ends at input ``t``), so this
    traces that and keeps them. ``Trace.padding``, the zeros added around the input, is ``(p, 0)``.

    >>> for step in trace_causal_conv1d([2, 3, 4], [1, 1]).steps:
    ...     print(step.formula())
    0*w0 + 2*w1
    2*w0 + 3*w1
    3*w0 + 4*w1
    """
    x, w, b = _example(input, weight, bias)  # weight is [w0, w1, ...] or (C_out, C_in/groups, K)
    left = causal_padding(_causal_weight(w).shape[-1], dilation)
    both = trace_conv1d(x, w, b, padding=left, dilation=dilation)
    length = both.input_length
    steps = tuple(step for step in both.steps if step.position < length)
    used = {(term.channel, term.cell) for step in steps for term in step.terms}
    reached = {(term.channel, term.source) for step in steps for term in step.terms}
    cells = tuple(
        tuple(replace(cell, read=(c, cell.position) in used) for cell in channel[: left + length])
        for c, channel in enumerate(both.cells)
    )
    return replace(
        both,
        padding=(left, 0),
        cells=cells,
        steps=steps,
        output=tuple(row[:length] for row in both.output),
        unread=tuple((c, i) for c in range(len(both.input)) for i in range(length) if (c, i) not in reached),
    )
