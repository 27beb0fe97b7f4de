"""Causal convolution on live input: a layer that takes the signal in chunks and keeps what it still needs.

A causal ``conv1d`` (:mod:`conv_docs.causal`) pads ``dilation*(kernel_size - 1)`` zeros on the left, so output
``t`` reads inputs up to ``t`` and none after it. On a stream, a :class:`StreamingConv1d` keeps the last
``dilation*(kernel_size - 1)`` inputs of every channel as its *state* (zeros before the first chunk: the causal
padding), puts each new chunk after them, and convolves with no padding at all. It gives, chunk by chunk, exactly
the outputs the causal convolution of the whole signal gives, each as soon as its last input has arrived:

>>> layer = StreamingConv1d([[[1, 1, 1]]])  # keeps the last 2 inputs
>>> layer([[2, 3]]), layer([[4, 5, 6]])
(array([[2., 5.]]), array([[ 9., 12., 15.]]))
>>> layer.state
array([[5., 6.]])
>>> from conv_docs.causal import causal_conv1d
>>> causal_conv1d([[2, 3, 4, 5, 6]], [[[1, 1, 1]]])
array([[ 2.,  5.,  9., 12., 15.]])

With ``stride > 1`` the layer writes output ``m`` when input ``m*stride`` arrives; the state then holds the inputs
from the start of the next window on, and how many arriving inputs no window reads (a stride longer than the
window). :class:`StreamingStack` runs layers one after the other (at most :data:`conv_docs.params.MAX_LAYERS`),
each with its own state.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from conv_docs.causal import causal_padding
from conv_docs.params import MAX_LAYERS, as_int, check_bound, shown
from conv_docs.reference import as_bias, as_float_array, conv1d


class StreamingConv1d:
    """A causal ``conv1d`` fed chunk by chunk: each call returns the outputs whose last input just arrived.

    ``weight`` is ``(C_out, C_in, K)`` as torch lays it out, ``bias`` is ``(C_out,)`` or ``None``. A chunk is
    ``(C_in, n)`` or ``(N, C_in, n)``, any ``n >= 0``, the same batch every call; the concatenated outputs of
    all calls equal ``causal_conv1d`` of the concatenated chunks (with ``stride``: that of
    ``conv1d(pad(x, causal_padding, 0), weight, stride=stride)``). As for ``conv1d``, a window spans at most
    :data:`conv_docs.params.MAX_LENGTH` inputs, and the state holds at most :data:`conv_docs.params.MAX_WORK`
    numbers.

    >>> layer = StreamingConv1d([[[1, 10]]], dilation=2)
    >>> [layer([[v]]).tolist() for v in (1, 2, 3)]
    [[[10.0]], [[20.0]], [[31.0]]]
    """

    def __init__(self, weight: Any, bias: Any = None, stride: int = 1, dilation: int = 1) -> None:
        self.weight = as_float_array("weight", weight)
        if self.weight.ndim != 3 or 0 in self.weight.shape:
            shape = self.weight.shape
            raise ValueError(f"weight must have shape (out_channels, in_channels, kernel_size), got shape {shape}")
        self.bias = as_bias(bias, self.weight.shape[0])
        self.stride = as_int("stride", stride, minimum=1)
        self.dilation = as_int("dilation", dilation, minimum=1)
        self.padding = causal_padding(self.weight.shape[-1], self.dilation)  # the inputs one window reaches back
        check_bound("MAX_LENGTH", self.padding + 1, "the inputs one window spans, dilation*(K-1) + 1")
        self.reset()

    def reset(self) -> None:
        """Forget the stream: the next chunk is the start of a new signal."""
        self.state: np.ndarray | None = None  # set by the first chunk, which fixes the batch shape
        self.skip = 0  # arriving inputs no window reads (only when the stride is longer than the window)

    def __call__(self, chunk: Any) -> np.ndarray:
        chunk = as_float_array("chunk", chunk)
        if chunk.ndim not in (2, 3) or chunk.shape[-2] != self.weight.shape[1]:
            raise ValueError(
                f"chunk must have shape ({self.weight.shape[1]}, n) or (N, {self.weight.shape[1]}, n) for "
                f"in_channels={self.weight.shape[1]}, got shape {chunk.shape}"
            )
        if self.state is None:  # before the signal: the causal padding's zeros
            rows = int(np.prod(chunk.shape[:-1]))
            check_bound("MAX_WORK", rows * self.padding, f"the state's numbers, {rows} rows * {self.padding}")
            self.state = np.zeros((*chunk.shape[:-1], self.padding))
        if chunk.shape[:-1] != self.state.shape[:-1]:
            raise ValueError(f"chunk must keep the batch shape {self.state.shape[:-1]}, got shape {chunk.shape}")
        skipped = min(self.skip, chunk.shape[-1])
        self.skip -= skipped
        x = np.concatenate([self.state, chunk[..., skipped:]], axis=-1)  # the state, then the new inputs
        span = self.padding + 1  # the cells one window reads, first to last
        count = 0 if x.shape[-1] < span else (x.shape[-1] - span) // self.stride + 1  # whole windows in x
        start = count * self.stride  # where the next window starts
        self.skip += max(start - x.shape[-1], 0)
        self.state = x[..., start:]
        if count == 0:
            return np.zeros((*chunk.shape[:-2], self.weight.shape[0], 0))
        return conv1d(x, self.weight, self.bias, stride=self.stride, dilation=self.dilation)


class StreamingStack:
    """Streaming layers one after the other: each chunk goes through every layer, each keeps its own state.

    >>> layers = [StreamingConv1d([[[1, 1]]], dilation=d) for d in (1, 2)]
    >>> stack = StreamingStack(layers)
    >>> stack([[1, 0, 0]]), stack([[0, 0]])
    (array([[1., 1., 1.]]), array([[1., 0.]]))
    >>> [layer.padding for layer in stack.layers]  # the state each layer keeps
    [1, 2]
    """

    def __init__(self, layers: Sequence[StreamingConv1d]) -> None:
        if isinstance(layers, (str, bytes, StreamingConv1d)) or not isinstance(layers, Iterable):
            raise TypeError(f"layers must be a non-empty sequence of StreamingConv1d, got {shown(layers)}")
        self.layers = list(itertools.islice(layers, MAX_LAYERS + 1))  # an endless iterator is cut off, not run
        if len(self.layers) > MAX_LAYERS:
            raise ValueError(f"layers has more than MAX_LAYERS = {MAX_LAYERS} layers, the most one call may ask for")
        if not self.layers or not all(isinstance(layer, StreamingConv1d) for layer in self.layers):
            raise TypeError(f"layers must be a non-empty sequence of StreamingConv1d, got {shown(layers)}")

    def reset(self) -> None:
        """Forget the stream in every layer."""
        for layer in self.layers:
            layer.reset()

    def __call__(self, chunk: Any) -> np.ndarray:
        for layer in self.layers:
            chunk = layer(chunk)
        return chunk
