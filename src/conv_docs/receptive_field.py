"""The receptive field of a stack of 1-D convolutions: which input cells one output can see.

Each layer is a :class:`Layer` (kernel size, stride, dilation, padding). Going down the stack
from an output cell, every layer widens the window by ``dilation * (kernel_size - 1)`` cells of
its own input, and every stride below multiplies how far apart those cells sit in the network's
input. Hence the formula

``R = 1 + sum over layers l of dilation_l * (kernel_size_l - 1) * (stride_1 * ... * stride_{l-1})``.

>>> receptive_field([Layer(3), Layer(3), Layer(3)])
7
>>> receptive_field([Layer(2, dilation=d) for d in (1, 2, 4, 8)])
16

A stack has at most :data:`conv_docs.params.MAX_LAYERS` layers.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from conv_docs.params import MAX_LAYERS, MAX_WORK, as_int, check_bound, shown
from conv_docs.reference import window_cell


@dataclass(frozen=True)
class Layer:
    """One ``nn.Conv1d`` of a stack: only the arguments that move or widen the window matter.

    >>> Layer(3, stride=2).span
    3
    """

    kernel_size: int
    stride: int = 1
    dilation: int = 1
    padding: int = 0

    def __post_init__(self) -> None:
        for name, minimum in (("kernel_size", 1), ("stride", 1), ("dilation", 1), ("padding", 0)):
            object.__setattr__(self, name, as_int(name, getattr(self, name), minimum))

    @property
    def span(self) -> int:
        """How many cells of its own input one output of this layer reads: ``dilation*(kernel_size-1) + 1``."""
        return self.dilation * (self.kernel_size - 1) + 1


def _check(layers: Sequence[Layer]) -> list[Layer]:
    """The layers as a list, at most MAX_LAYERS of them (an endless iterator is cut off, not run to the end)."""
    if isinstance(layers, (str, bytes, Layer)) or not isinstance(layers, Iterable):
        raise TypeError(f"layers must be a non-empty sequence of Layer, got {shown(layers)}")
    stack = list(itertools.islice(layers, MAX_LAYERS + 1))
    if len(stack) > MAX_LAYERS:
        raise ValueError(f"layers has more than MAX_LAYERS = {MAX_LAYERS} layers, the most one call may ask for")
    if not stack or not all(isinstance(layer, Layer) for layer in stack):
        raise TypeError(f"layers must be a non-empty sequence of Layer, got {shown(layers)}")
    return stack


def _positions(positions: Iterable[int]) -> list[int]:
    if isinstance(positions, (str, bytes)) or not isinstance(positions, Iterable):
        raise TypeError(f"positions must be a sequence of ints >= 0, got {shown(positions)}")
    cells = list(itertools.islice(positions, MAX_WORK + 1))
    check_bound("MAX_WORK", len(cells), "the number of positions")
    return [as_int("positions", cell, minimum=0, one_tuple=False) for cell in cells]


def receptive_fields(layers: Sequence[Layer]) -> list[int]:
    """The receptive field after each layer of the stack, in cells of the network's input.

    >>> receptive_fields([Layer(3, stride=2), Layer(3)])
    [3, 7]
    """
    fields, field, jump = [], 1, 1  # jump: input cells between two neighbouring cells of the current layer
    for layer in _check(layers):
        field += (layer.span - 1) * jump
        jump *= layer.stride
        fields.append(field)
    return fields


def receptive_field(layers: Sequence[Layer]) -> int:
    """The width of the window of the network's input that one output of the whole stack reads,
    from its first cell to its last (with dilation, some cells inside may be skipped).

    >>> receptive_field([Layer(3, stride=2), Layer(3)])
    7
    """
    return receptive_fields(layers)[-1]


def reads(layer: Layer, positions: Sequence[int]) -> list[int]:
    """The cells of ``layer``'s input (unpadded positions; negative or past the end means padding)
    that the outputs at ``positions`` read, sorted.

    >>> reads(Layer(2, stride=2, padding=1), [0, 1])
    [-1, 0, 1, 2]
    """
    if not isinstance(layer, Layer):
        raise TypeError(f"layer must be a Layer, got {shown(layer)} of type {type(layer).__name__}")
    positions = _positions(positions)
    check_bound("MAX_WORK", len(positions) * layer.kernel_size, "the taps to visit, len(positions) * kernel_size")
    cells = {
        window_cell(t, j, layer.stride, layer.dilation) - layer.padding
        for t in positions
        for j in range(layer.kernel_size)
    }
    return sorted(cells)


def footprint(layers: Sequence[Layer], position: int = 0) -> list[list[int]]:
    """For output ``position`` of the last layer, the cells each level of the stack contributes.

    Element 0 is the network's input, element ``len(layers)`` is ``[position]``. A cell left of
    position 0 is padding: it is listed at its level but reads nothing from the level below. All
    levels together visit at most :data:`conv_docs.params.MAX_WORK` taps.

    >>> footprint([Layer(2), Layer(2, dilation=2)], position=0)
    [[0, 1, 2, 3], [0, 2], [0]]
    """
    layers = _check(layers)
    levels = [[as_int("position", position, minimum=0)]]
    taps = 0
    for layer in reversed(layers):
        cells = [cell for cell in levels[-1] if cell >= 0]
        taps += len(cells) * layer.kernel_size
        check_bound("MAX_WORK", taps, "the taps the footprint visits, over all levels")
        levels.append(reads(layer, cells))
    return levels[::-1]


def holes(layers: Sequence[Layer], position: int = 0) -> list[int]:
    """The cells of the network's input, between the first and the last cell output ``position`` of the stack
    depends on, that it does not depend on. Dilations that share a factor leave such holes (gridding); dilations
    that double from 1 (1, 2, 4, ...) leave none.

    >>> holes([Layer(2, dilation=2), Layer(2, dilation=4)])
    [1, 3, 5]
    >>> holes([Layer(2, dilation=1), Layer(2, dilation=2), Layer(2, dilation=4)])
    []

    An output that reads only padding depends on no input cell, so it has no holes either:

    >>> holes([Layer(1, padding=1)], position=0)
    []
    """
    seen = footprint(layers, position)[0]
    if not seen:
        return []
    return sorted(set(range(seen[0], seen[-1] + 1)).difference(seen))
