"""Parameter checks, padding resolution and output lengths, shared by every function.

Each check raises ``ValueError`` or ``TypeError`` with a message that names the parameter,
the value it was given and what is allowed, for every configuration ``torch.nn.Conv1d``
refuses.

No call may ask for unbounded work. Past these bounds a call is refused with a ``ValueError`` that names
the bound, before anything is allocated:

- :data:`MAX_LENGTH`: the longest sequence one call builds, the padded input of ``conv1d`` and the output
  of either convolution (a million cells);
- :data:`MAX_WORK`: the most numbers one call computes or stores beyond its input: the multiplications of
  the loops, the padded input of a batch, the entries of a matrix (ten million);
- :data:`MAX_TRACE`: the most products, and the most cells, one step-by-step trace records (a hundred
  thousand: a trace keeps a record of each);
- :data:`MAX_LAYERS`: the most layers of a stack one call works through, for its receptive field, its lengths or
  a stream (a thousand).

The command line (``conv-docs``) stops at the same bounds, with the same message on one line; the figure it draws
has its own bound, :data:`conv_docs.figures.steps.MAX_DRAWN_CELLS`.

Integers must fit in 64 bits, as torch stores them.

>>> output_length(3, kernel_size=2, stride=2, padding=1)
2
>>> resolve_padding("same", kernel_size=4, dilation=1, stride=1)
(1, 2)
"""

from __future__ import annotations

import operator
import reprlib
from typing import Literal

import numpy as np

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
PADDING_STRINGS = ("valid", "same")

PaddingMode = Literal["zeros", "reflect", "replicate", "circular"]
Padding = int | str | tuple

MAX_LENGTH = 10**6
"""The longest padded input (``conv1d``) or output (either convolution) one call may build, in cells."""
MAX_WORK = 10**7
"""The most multiplications, padded-input numbers or matrix entries one call may compute or store."""
MAX_TRACE = 10**5
"""The most products, and the most cells, one trace may record."""
MAX_LAYERS = 1000
"""The most layers of a stack one call may work through."""
BOUNDS = {"MAX_LENGTH": MAX_LENGTH, "MAX_WORK": MAX_WORK, "MAX_TRACE": MAX_TRACE, "MAX_LAYERS": MAX_LAYERS}
INT64_MAX = 2**63 - 1  # torch stores sizes, strides and paddings in 64 bits and refuses larger ints

_REPR = reprlib.Repr()
_REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxtuple, _REPR.maxlevel = 40, 40, 6, 6, 3


def number_text(number: int) -> str:
    """An int as a message shows it: in full up to 20 digits, then rounded (Python refuses to print a huge one).

    >>> number_text(12), number_text(10**23), number_text(-(2**5000))
    ('12', '1.000e+23', '-(an int of 5001 bits)')
    """
    if abs(number) < 10**20:
        return str(number)
    if number.bit_length() <= 1000:
        return f"{number:.3e}"
    return f"{'-' if number < 0 else ''}(an int of {number.bit_length()} bits)"


def shown(value: object) -> str:
    """``repr(value)`` cut short, for an error message: one line of reasonable length, whatever ``value`` is.

    >>> shown(list(range(100))), shown("x" * 100)
    ('[0, 1, 2, 3, 4, 5, ...]', "'xxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxx'")
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return number_text(value)
    try:
        return " ".join(_REPR.repr(value).split())
    except Exception:  # a repr that fails (a huge int inside a list) still leaves the type to name
        return f"a {type(value).__name__}"


def check_bound(name: str, count: int, what: str) -> int:
    """Return ``count`` if it is within the bound called ``name`` (see :data:`BOUNDS`); else raise a ValueError
    that says what was counted and names the bound.

    >>> what = "the padded input length 3 + 10**6 + 10**6"
    >>> check_bound("MAX_LENGTH", 2_000_003, what)
    Traceback (most recent call last):
    ...
    ValueError: the padded input length 3 + 10**6 + 10**6 = 2000003 is more than MAX_LENGTH = 1000000, ...
    """
    bound = BOUNDS[name]
    if count > bound:
        raise ValueError(f"{what} = {number_text(count)} is more than {name} = {bound}, the most one call may ask for")
    return count


def as_int(name: str, value: object, minimum: int, *, one_tuple: bool = True) -> int:
    """Return ``value`` as an ``int`` of at least ``minimum`` that fits in 64 bits, as torch takes it.

    A 1-tuple ``(n,)`` is accepted as torch does (not with ``one_tuple=False``, as for ``groups``); a bool, a
    float or a string is refused, as ``F.conv1d`` refuses them.

    >>> as_int("stride", (2,), minimum=1)
    2
    >>> as_int("stride", True, minimum=1)
    Traceback (most recent call last):
    ...
    TypeError: stride must be an int, got True of type bool
    """
    if isinstance(value, (tuple, list)) and one_tuple:
        if len(value) != 1:
            raise ValueError(f"{name} must be an int or a 1-tuple for a 1-D convolution, got {shown(value)}")
        value = value[0]
    refused = (bool, np.bool_, float, np.floating, complex, np.complexfloating, str, bytes, tuple, list)
    if isinstance(value, refused) or str(getattr(value, "dtype", "")) in ("bool", "torch.bool"):
        raise TypeError(f"{name} must be an int, got {shown(value)} of type {type(value).__name__}")
    try:
        number = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an int, got {shown(value)} of type {type(value).__name__}") from None
    if number < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {number_text(number)}")
    if number > INT64_MAX:
        raise ValueError(f"{name} must be an int below 2**63 (torch holds it in 64 bits), got {number_text(number)}")
    return number


def as_flag(name: str, value: object) -> bool:
    """Return ``value`` as a ``bool`` if it is ``True`` or ``False`` (NumPy's too); anything else is refused.

    >>> as_flag("transposed", None)
    Traceback (most recent call last):
    ...
    TypeError: transposed must be True or False, got None
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {shown(value)}")
    return bool(value)


def check_padding_mode(padding_mode: object) -> str:
    """Return ``padding_mode`` if it is one of :data:`PADDING_MODES`.

    >>> check_padding_mode("reflect")
    'reflect'
    """
    if not isinstance(padding_mode, str) or padding_mode not in PADDING_MODES:
        allowed = ", ".join(repr(m) for m in PADDING_MODES)
        raise ValueError(f"padding_mode must be one of {allowed}, got {shown(padding_mode)}")
    return padding_mode


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
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    dilation = as_int("dilation", dilation, minimum=1)
    stride = as_int("stride", stride, minimum=1)
    if isinstance(padding, str):
        if padding not in PADDING_STRINGS:
            raise ValueError(f"padding must be an int >= 0, 'valid' or 'same', got {shown(padding)}")
        if padding == "valid":
            return (0, 0)
        if stride != 1:
            raise ValueError(
                f"padding='same' needs stride=1, got stride={stride}: with a larger stride no padding "
                "keeps the output length equal to the input length"
            )
        total = dilation * (kernel_size - 1)
        return (total // 2, total - total // 2)
    if padding is None or isinstance(padding, (float, np.floating, bytes)):
        raise TypeError(f"padding must be an int >= 0, 'valid' or 'same', got {shown(padding)}")
    amount = as_int("padding", padding, minimum=0)
    return (amount, amount)


def transposed_padding(padding: object) -> int:
    """The ``padding`` of ``conv_transpose1d``: an int >= 0 (the strings are for ``conv1d`` only).

    >>> transposed_padding(1)
    1
    """
    if isinstance(padding, str):
        raise ValueError(
            f"padding must be an int >= 0 for conv_transpose1d ('valid' and 'same' are conv1d only), "
            f"got {shown(padding)}"
        )
    return as_int("padding", padding, minimum=0)


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

    Each argument is checked as ``conv1d`` checks it (``output_padding`` only with ``transposed=True``, and
    below ``stride`` or ``dilation``, as ``conv_transpose1d`` checks it).
    The result may be below 1 for a configuration that is refused because the kernel does not fit or
    the padding crops everything; this function only does the arithmetic.

    >>> output_length(3, kernel_size=2, stride=2)
    1
    >>> output_length(1, kernel_size=2, stride=2, transposed=True)
    2
    """
    transposed = as_flag("transposed", transposed)
    input_length = as_int("input_length", input_length, minimum=1)
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    stride = as_int("stride", stride, minimum=1)
    dilation = as_int("dilation", dilation, minimum=1)
    if transposed:
        padding = transposed_padding(padding)
        output_padding = as_int("output_padding", output_padding, minimum=0)
        if output_padding >= max(stride, dilation):
            raise ValueError(
                f"output_padding must be smaller than stride ({stride}) or dilation ({dilation}), got {output_padding}"
            )
        return (input_length - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1
    if as_int("output_padding", output_padding, minimum=0):
        raise ValueError(f"output_padding is for transposed=True only, got output_padding={output_padding}")
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
    if mode == "circular":
        return i % length
    raise ValueError(f"padding_mode must be one of {', '.join(repr(m) for m in PADDING_MODES)}, got {shown(mode)}")


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
