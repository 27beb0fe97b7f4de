"""Batches of sequences of different lengths: each sequence's own output length, and which outputs to trust.

Sequences of different lengths are padded to one length to make a batch. Through a stack of ``conv1d`` layers
(each a :class:`~conv_docs.receptive_field.Layer`: kernel size, stride, dilation, zero padding) every sequence
then has its own output length, the one it would get alone (:func:`output_lengths`, from
:func:`conv_docs.output_length` layer by layer), and the batch has more outputs than that for every sequence but
the longest. The usual mask keeps, for each sequence, its first own-length outputs (:func:`length_mask`).

Some of those outputs still read padded positions: a window at the end of the sequence reaches past it, or reads,
one layer up, an output that did. Alone, the sequence would have had zeros there; in the batch it has whatever
the padding holds and what the layer below made of it. :func:`valid_mask` keeps only the outputs that read no
padded position through the whole stack: they are equal to the outputs of the sequence run alone, whatever the
padding holds.

>>> from conv_docs.receptive_field import Layer
>>> stack = [Layer(3, padding=1), Layer(3, stride=2, padding=1)]
>>> output_lengths([8, 5], stack)
[4, 3]
>>> length_mask([8, 5], stack).astype(int)
array([[1, 1, 1, 1],
       [1, 1, 1, 0]])
>>> valid_mask([8, 5], stack).astype(int)
array([[1, 1, 1, 1],
       [1, 1, 0, 0]])

Without padding in any layer the two masks are the same: a window that fits in the sequence reads only it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from conv_docs.params import as_int, check_bound, output_length, shown
from conv_docs.receptive_field import Layer, _check, reads


def _lengths(lengths: Sequence[int]) -> list[int]:
    if isinstance(lengths, (str, bytes)) or not hasattr(lengths, "__len__") or len(lengths) == 0:
        raise TypeError(f"lengths must be a non-empty sequence of ints, one per sequence, got {shown(lengths)}")
    check_bound("MAX_LENGTH", len(lengths), "the number of sequences")
    return [
        check_bound("MAX_LENGTH", as_int("lengths", length, minimum=1), "a sequence's length") for length in lengths
    ]


def layer_length(length: int, layer: Layer) -> int:
    """The output length of one layer on ``length`` inputs, or 0 when its window does not fit (torch refuses
    such an input).

    >>> layer_length(5, Layer(3, stride=2)), layer_length(2, Layer(3, stride=2))
    (2, 0)
    """
    if not isinstance(layer, Layer):
        raise TypeError(f"layer must be a Layer, got {shown(layer)} of type {type(layer).__name__}")
    return max(output_length(length, layer.kernel_size, layer.stride, layer.padding, layer.dilation), 0)


def output_lengths(lengths: Sequence[int], layers: Sequence[Layer]) -> list[int]:
    """Each sequence's own output length through the stack: what it gets run alone (0 if a layer refuses it).

    >>> output_lengths([16000, 12345], [Layer(10, stride=5), Layer(3, stride=2)])
    [1599, 1233]
    """
    layers = _check(layers)
    result = []
    for length in _lengths(lengths):
        for layer in layers:
            length = layer_length(length, layer) if length else 0
        result.append(length)
    return result


def _padded_length(lengths: list[int], padded_length: int | None, layers: list[Layer]) -> int:
    """The batch's length, checked: at least the longest sequence, and long enough for every layer's window."""
    if padded_length is None:
        padded_length = max(lengths)
    padded_length = as_int("padded_length", padded_length, minimum=1)
    check_bound("MAX_LENGTH", padded_length, "the padded length")
    if padded_length < max(lengths):
        raise ValueError(f"padded_length must be at least the longest sequence, {max(lengths)}, got {padded_length}")
    length = padded_length
    for number, layer in enumerate(layers, start=1):
        if layer_length(length, layer) == 0:
            raise ValueError(
                f"a batch of length {padded_length} is too short for the stack: layer {number} gets {length} "
                f"inputs, and its window of {layer.span} cells with padding {layer.padding} needs at least "
                f"{layer.span - 2 * layer.padding}"
            )
        length = layer_length(length, layer)
    return padded_length


def length_mask(lengths: Sequence[int], layers: Sequence[Layer], padded_length: int | None = None) -> np.ndarray:
    """``(N, L_out)`` booleans: output ``t`` of sequence ``n`` is within that sequence's own output length.

    ``L_out`` is the output length of the padded batch (``padded_length``, the longest sequence by default).

    >>> length_mask([4, 2], [Layer(2, stride=2)]).astype(int)
    array([[1, 1],
           [1, 0]])
    """
    lengths, layers = _lengths(lengths), _check(layers)
    batch = output_lengths([_padded_length(lengths, padded_length, layers)], layers)[0]
    check_bound("MAX_WORK", len(lengths) * batch, f"the mask's entries, {len(lengths)} sequences * {batch}")
    own = output_lengths(lengths, layers)
    return np.arange(batch)[np.newaxis, :] < np.array(own)[:, np.newaxis]


def valid_mask(lengths: Sequence[int], layers: Sequence[Layer], padded_length: int | None = None) -> np.ndarray:
    """``(N, L_out)`` booleans: output ``t`` of sequence ``n`` reads no padded position, through every layer.

    Layer by layer, a position of a sequence is valid when it is one of the sequence's own outputs and every cell
    its window reads inside the batch is valid one layer down (the network's input: the sequence's own cells).
    A cell left of 0 or past the batch's end is the layer's zero padding, alone as in the batch. The valid
    outputs are those equal to running the sequence alone, whatever values the padding holds.

    >>> valid_mask([5, 3], [Layer(3, padding=1)]).astype(int)
    array([[1, 1, 1, 1, 1],
           [1, 1, 0, 0, 0]])
    """
    lengths, layers = _lengths(lengths), _check(layers)
    width = _padded_length(lengths, padded_length, layers)
    taps, below = 0, width
    for layer in layers:  # every output of every layer checks each of its taps, for every sequence
        below = layer_length(below, layer)
        taps += below * layer.kernel_size
    check_bound("MAX_WORK", len(lengths) * taps, f"the taps checked, {len(lengths)} sequences * {taps}")
    rows = []
    for length in lengths:
        valid = [q < length for q in range(width)]  # the network's input: the sequence, then its padding
        own = length
        for layer in layers:
            own = layer_length(own, layer) if own else 0
            below = len(valid)
            valid = [
                t < own and all(valid[q] for q in reads(layer, [t]) if 0 <= q < below)
                for t in range(layer_length(below, layer))
            ]
        rows.append(valid)
    return np.array(rows, dtype=bool)
