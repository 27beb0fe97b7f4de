"""Parameter checks, padding resolution and output lengths, shared by every function.

Each check raises ``ValueError`` or ``TypeError`` with a message that names the parameter,
the value it was given and what is allowed, for every configuration ``torch.nn.Conv1d``
refuses.

>>> output_length(3, kernel_size=2, stride=2, padding=1)
2
>>> resolve_padding("same", kernel_size=4, dilation=1, stride=1)
(1, 2)
"""

from __future__ import annotations

import operator
from typing import Literal

import numpy as np

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
PADDING_STRINGS = ("valid", "same")

PaddingMode = Literal["zeros", "reflect", "replicate", "circular"]
Padding = int | str | tuple


def as_int(name: str, value: object, minimum: int) -> int:
    """Return ``value`` as an ``int`` of at least ``minimum``; a 1-tuple ``(n,)`` is accepted as torch does.

    >>> as_int("stride", (2,), minimum=1)
    2
    """
    if isinstance(value, (tuple, list)):
        if len(value) != 1:
            raise ValueError(f"{name} must be an int or a 1-tuple for a 1-D convolution, got {value!r}")
        value = value[0]
    if isinstance(value, (float, np.floating, str)):
        raise TypeError(f"{name} must be an int, got {value!r} of type {type(value).__name__}")
    try:
        number = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an int, got {value!r} of type {type(value).__name__}") from None
    if number < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {number}")
    return number


def check_padding_mode(padding_mode: object) -> str:
    """Return ``padding_mode`` if it is one of :data:`PADDING_MODES`.

    >>> check_padding_mode("reflect")
    'reflect'
    """
    if padding_mode not in PADDING_MODES:
        allowed = ", ".join(repr(m) for m in PADDING_MODES)
        raise ValueError(f"padding_mode must be one of {allowed}, got {padding_mode!r}")
    return str(padding_mode)


def resolve_padding(padding: Padding, kernel_size: int, dilation: int = 1, stride: int = 1) -> tuple[int, int]:
    """Return the zeros (or copies) added on the (left, right) of the input.

    ``"valid"`` adds none. ``"same"`` adds ``dilation * (kernel_size - 1)`` in total, half on the
    left (rounded down) and the rest on the right, exactly as ``nn.Conv1d`` does; it is refused
    for ``stride > 1``. An int ``p`` adds ``p`` on each side.

    >>> resolve_padding("same", kernel_size=3)
    (1, 1)
    >>> resolve_padding(2, kernel_size=3)
    (2, 2)
    """
    if isinstance(padding, str):
        if padding not in PADDING_STRINGS:
            raise ValueError(f"padding must be an int >= 0, 'valid' or 'same', got {padding!r}")
        if padding == "valid":
            return (0, 0)
        if stride != 1:
            raise ValueError(
                f"padding='same' needs stride=1, got stride={stride}: with a larger stride no padding "
                "keeps the output length equal to the input length"
            )
        total = dilation * (kernel_size - 1)
        return (total // 2, total - total // 2)
    amount = as_int("padding", padding, minimum=0)
    return (amount, amount)


def output_length(
    input_length: int,
    kernel_size: int,
    stride: int = 1,
    padding: Padding = 0,
    dilation: int = 1,
    *,
    transposed: bool = False,
    output_padding: int = 0,
) -> int:
    """The output length of ``conv1d`` (or, with ``transposed=True``, of ``conv_transpose1d``).

    ``conv1d``: ``floor((L + left + right - dilation*(kernel_size-1) - 1) / stride) + 1``, where
    ``left + right = 2*padding`` for an int padding.

    ``conv_transpose1d``: ``(L-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1``.

    The result may be below 1 for a configuration that is refused; this function only does the
    arithmetic.

    >>> output_length(3, kernel_size=2, stride=2)
    1
    >>> output_length(1, kernel_size=2, stride=2, transposed=True)
    2
    """
    if transposed:
        return (input_length - 1) * stride - 2 * int(padding) + dilation * (kernel_size - 1) + output_padding + 1
    left, right = resolve_padding(padding, kernel_size, dilation, stride)
    span = dilation * (kernel_size - 1) + 1  # how many padded cells one window covers
    return (input_length + left + right - span) // stride + 1


def padding_source(position: int, length: int, left: int, mode: str) -> int | None:
    """The input position that padded position ``position`` holds, or ``None`` for a zero.

    Cell ``q`` of the padded input stands ``q - left`` cells from the start of the input.
    Inside the input it is that input cell; outside it, the padding mode decides:
    ``zeros`` holds 0, ``reflect`` mirrors about the edge cell (not repeating it),
    ``replicate`` repeats the edge cell, ``circular`` wraps around.

    >>> [padding_source(q, 3, left=1, mode="reflect") for q in range(5)]
    [1, 0, 1, 2, 1]
    >>> [padding_source(q, 3, left=1, mode="circular") for q in range(5)]
    [2, 0, 1, 2, 0]
    """
    i = position - left
    if 0 <= i < length:
        return i
    if mode == "zeros":
        return None
    if mode == "reflect":
        return -i if i < 0 else 2 * (length - 1) - i
    if mode == "replicate":
        return 0 if i < 0 else length - 1
    return i % length  # circular


def check_padding_fits(mode: str, left: int, right: int, length: int) -> None:
    """Refuse padding that ``torch.nn.functional.pad`` refuses for ``mode``.

    >>> check_padding_fits("reflect", 3, 3, length=3)
    Traceback (most recent call last):
    ...
    ValueError: padding_mode='reflect' needs padding smaller than the input length 3, got padding (3, 3)
    """
    if mode == "reflect" and max(left, right) >= length:
        raise ValueError(
            f"padding_mode='reflect' needs padding smaller than the input length {length}, "
            f"got padding ({left}, {right})"
        )
    if mode == "circular" and max(left, right) > length:
        raise ValueError(
            f"padding_mode='circular' may wrap around at most once: padding must be at most the input "
            f"length {length}, got padding ({left}, {right})"
        )
