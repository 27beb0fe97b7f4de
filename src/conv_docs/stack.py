"""A stack of length-changing layers, layer by layer: lengths, receptive field, step, parameters, work.

A network's time axis is changed only by a few kinds of layers: ``Conv1d``, ``ConvTranspose1d``, ``MaxPool1d``,
``AvgPool1d`` and the padding layers (``ConstantPad1d``, ``ZeroPad1d``, ``ReflectionPad1d``,
``ReplicationPad1d``, ``CircularPad1d``). A :class:`StackLayer` holds one of them with the arguments torch prints;
:func:`measure_stack` runs a list of them, in order, on an input length and gives, for every layer:

- ``in_length`` and ``out_length``: the lengths torch gives (the same formulas as :func:`conv_docs.output_length`);
- ``receptive_field``: the largest number of the network's input positions that any one output of this layer
  depends on, as torch's gradients show it (all weights 1, so no two paths cancel, and a max pool counted like an
  average pool: every position of its window). It is a count, not a span: padding, dilation holes, transposed
  layers and the ends of the input are all taken into account, because every output's positions are followed;
- ``jump``: how many input samples lie between two neighbouring outputs, the product of the strides so far
  (a transposed layer divides by its stride, so after upsampling it is a fraction);
- ``params``: the layer's weight and bias numbers (``numel``);
- ``multiplications``: its multiply-adds for one example: ``L_out*C_out*C_in/groups*K`` for ``Conv1d``,
  ``L_in*C_in*C_out/groups*K`` for ``ConvTranspose1d``, 0 for pools and padding;
- ``unread``: how many positions of its own input no output reads (the padding cells are not counted; a cell that
  the padding mode copies counts as read).

The stack is taken to run in the order given: one layer's output is the next one's input. Sizes are bounded so
that no call runs for long: lengths up to :data:`MAX_STACK_LENGTH`, at most
:data:`conv_docs.params.MAX_LAYERS` layers, every size
argument up to :data:`MAX_SIZE`, and the receptive field is worked out on a table of at most
:data:`MAX_FIELD_CELLS` (output, input) pairs; past a bound, a ``ValueError`` says which.

>>> kernels, strides = (10, 3, 3, 3, 3, 2, 2), (5, 2, 2, 2, 2, 2, 2)
>>> wav2vec2 = [
...     StackLayer("Conv1d", k, s, in_channels=c, out_channels=512, bias=False)
...     for k, s, c in zip(kernels, strides, (1,) + (512,) * 6)
... ]
>>> report = measure_stack(wav2vec2, 16000)
>>> report.out_length, report.receptive_field, report.jump
(49, 400, Fraction(320, 1))
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from conv_docs.params import (
    MAX_LAYERS,
    as_flag,
    as_int,
    check_padding_fits,
    check_padding_mode,
    output_length,
    padding_source,
    resolve_padding,
    shown,
)

CONVS = ("Conv1d", "ConvTranspose1d")
POOLS = ("MaxPool1d", "AvgPool1d")
PADS = {
    "ConstantPad1d": "zeros",
    "ZeroPad1d": "zeros",
    "ReflectionPad1d": "reflect",
    "ReplicationPad1d": "replicate",
    "CircularPad1d": "circular",
}
KINDS = CONVS + POOLS + tuple(PADS)

MAX_STACK_LENGTH = 10**7
"""The longest input or output of any layer of a stack, in samples: ten million, over ten minutes of 16 kHz
audio. It is ten times :data:`conv_docs.params.MAX_LENGTH`, which bounds a convolution computed number by number:
a stack's rows are lengths and counts, worked out without the numbers."""
MAX_SIZE = 10**6
"""The largest kernel size, stride, padding, dilation, output padding, channel count or group count."""
MAX_FIELD_CELLS = 2**27
"""The most (output, input) pairs of a table the receptive field is followed on."""


@dataclass(frozen=True)
class StackLayer:
    """One layer of a stack, with the arguments of its torch module (those its printout shows).

    ``kind`` is the torch class: one of :data:`KINDS`. For a padding layer, ``padding`` is ``(left, right)``
    (negative crops, for ``ConstantPad1d`` and ``ZeroPad1d``). Without a ``stride``, a pool steps by its kernel size
    and any other layer by 1, as in torch. ``name`` and ``line`` say where it was found
    (the module's dotted name and the line of the printed model); they are only used to name it.

    >>> StackLayer(
    ...     "Conv1d", 3, 2, padding=1, in_channels=80, out_channels=384
    ... ).describe()
    'Conv1d k=3 s=2 p=1'
    >>> StackLayer("Conv1d", 3, 2, padding="same", in_channels=1, out_channels=1)
    Traceback (most recent call last):
    ...
    ValueError: padding='same' needs stride=1, got stride=2: ...
    """

    kind: str
    kernel_size: int = 1
    stride: int | None = None
    padding: int | str | tuple[int, int] = 0
    dilation: int = 1
    in_channels: int | None = None
    out_channels: int | None = None
    groups: int = 1
    bias: bool = True
    output_padding: int = 0
    padding_mode: str = "zeros"
    ceil_mode: bool = False
    name: str = ""
    line: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if self.stride is None:  # as torch: a pool steps by its kernel size, anything else by 1
            object.__setattr__(self, "stride", self.kernel_size if self.kind in POOLS else 1)
        for name, minimum in (("kernel_size", 1), ("stride", 1), ("dilation", 1), ("groups", 1), ("output_padding", 0)):
            object.__setattr__(self, name, _size(name, getattr(self, name), minimum))
        for name in ("bias", "ceil_mode"):
            object.__setattr__(self, name, as_flag(name, getattr(self, name)))
        if self.kind in PADS:
            self._check_pad()
        elif self.kind in POOLS:
            self._check_pool()
        else:
            self._check_conv()

    def _check_conv(self) -> None:
        for name in ("in_channels", "out_channels"):
            if getattr(self, name) is None:
                raise ValueError(f"{self.kind} needs {name}, got none")
            object.__setattr__(self, name, _size(name, getattr(self, name), 1))
        for name in ("in_channels", "out_channels"):
            if getattr(self, name) % self.groups:
                raise ValueError(f"groups={self.groups} must divide {name}={getattr(self, name)}")
        check_padding_mode(self.padding_mode)
        if self.ceil_mode:
            raise ValueError(f"{self.kind} has no ceil_mode, got ceil_mode=True")
        if self.kind == "Conv1d":
            if self.output_padding:
                raise ValueError(f"output_padding belongs to ConvTranspose1d, got output_padding={self.output_padding}")
            if not isinstance(self.padding, str):
                object.__setattr__(self, "padding", _size("padding", self.padding, 0))
            resolve_padding(self.padding, self.kernel_size, self.dilation, self.stride)  # 'same' with stride > 1
            return
        if self.padding_mode != "zeros":
            raise ValueError(f"ConvTranspose1d pads with zeros only, got padding_mode={self.padding_mode!r}")
        if isinstance(self.padding, str):
            raise ValueError(f"ConvTranspose1d takes an int padding, got padding={self.padding!r}")
        object.__setattr__(self, "padding", _size("padding", self.padding, 0))
        if self.output_padding >= max(self.stride, self.dilation):
            raise ValueError(
                f"output_padding must be smaller than stride ({self.stride}) or dilation ({self.dilation}), "
                f"got {self.output_padding}"
            )

    def _check_pool(self) -> None:
        object.__setattr__(self, "padding", _size("padding", self.padding, 0))
        if self.kind == "AvgPool1d" and self.dilation != 1:
            raise ValueError(f"AvgPool1d has no dilation, got dilation={self.dilation}")
        if 2 * self.padding > self.kernel_size:
            raise ValueError(
                f"{self.kind} padding must be at most half of kernel_size={self.kernel_size}, "
                f"got padding={self.padding}"
            )
        for name in ("in_channels", "out_channels", "output_padding"):
            if getattr(self, name):
                raise ValueError(f"{self.kind} has no {name}, got {name}={getattr(self, name)}")

    def _check_pad(self) -> None:
        pads = self.padding
        if isinstance(pads, int) and not isinstance(pads, bool):
            pads = (pads, pads)
        if not isinstance(pads, (tuple, list)) or len(pads) != 2:
            raise ValueError(f"{self.kind} padding must be an int or a pair (left, right), got {pads!r}")
        minimum = -MAX_SIZE if PADS[self.kind] == "zeros" else 0  # a negative constant padding crops
        pads = tuple(_size("padding", p, minimum) for p in pads)
        object.__setattr__(self, "padding", pads)
        object.__setattr__(self, "padding_mode", PADS[self.kind])

    @property
    def transposed(self) -> bool:
        """Whether the layer is a ``ConvTranspose1d``."""
        return self.kind == "ConvTranspose1d"

    @property
    def span(self) -> int:
        """How many cells one window covers, first tap to last: ``dilation*(kernel_size-1) + 1``."""
        return self.dilation * (self.kernel_size - 1) + 1

    def pads(self) -> tuple[int, int]:
        """The cells added on the (left, right) of the input (for a transposed layer: cut from its output)."""
        if self.kind in PADS:
            return self.padding  # type: ignore[return-value]
        if self.kind == "Conv1d":
            return resolve_padding(self.padding, self.kernel_size, self.dilation, self.stride)
        return (self.padding, self.padding)  # type: ignore[return-value]

    def output_length(self, length: int) -> int:
        """The output length on ``length`` inputs, as torch computes it (below 1 where torch refuses).

        >>> StackLayer("MaxPool1d", 3, 2, padding=1, ceil_mode=True).output_length(7)
        4
        """
        if self.kind in PADS:
            return length + sum(self.pads())
        if self.kind in POOLS:
            return pool_output_length(
                length, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode
            )
        return output_length(
            length,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            transposed=self.transposed,
            output_padding=self.output_padding,
        )

    def params(self) -> int:
        """The numbers of its weight and bias (0 for pools and padding), as ``numel`` counts them."""
        if self.kind not in CONVS:
            return 0
        assert self.in_channels is not None and self.out_channels is not None
        weight = self.in_channels * self.out_channels // self.groups * self.kernel_size
        return weight + (self.out_channels if self.bias else 0)

    def multiplications(self, in_length: int, out_length: int) -> int:
        """Multiply-adds for one example: ``L_out*C_out*C_in/groups*K`` (``Conv1d``), ``L_in*C_in*C_out/groups*K``
        (``ConvTranspose1d``), 0 for the others."""
        if self.kind not in CONVS:
            return 0
        assert self.in_channels is not None and self.out_channels is not None
        per_position = self.in_channels * self.out_channels // self.groups * self.kernel_size
        return (in_length if self.transposed else out_length) * per_position

    def describe(self) -> str:
        """The layer in short: ``Conv1d k=10 s=5``, with only the arguments that differ from torch's defaults (the
        channels are in its parameter count)."""
        if self.kind in PADS:
            return f"{self.kind} ({self.padding[0]}, {self.padding[1]})"  # type: ignore[index]
        parts = [self.kind, f"k={self.kernel_size}"]
        if self.stride != 1 or self.kind in CONVS:
            parts.append(f"s={self.stride}")
        if self.padding not in (0, "valid"):
            parts.append(f"p={self.padding}")
        for short, name, default in (("d", "dilation", 1), ("g", "groups", 1), ("op", "output_padding", 0)):
            if getattr(self, name) != default:
                parts.append(f"{short}={getattr(self, name)}")
        if self.padding_mode != "zeros" and self.kind not in PADS:
            parts.append(self.padding_mode)
        if self.ceil_mode:
            parts.append("ceil")
        return " ".join(parts)

    def label(self, number: int) -> str:
        """How messages name it: ``layer 3 (conv_layers.2.0, line 14: Conv1d)``."""
        where = ", ".join(part for part in (self.name, f"line {self.line}" if self.line else "") if part)
        return f"layer {number} ({where + ': ' if where else ''}{self.kind})"


def _size(name: str, value: Any, minimum: int) -> int:
    number = as_int(name, value, minimum=minimum)
    if number > MAX_SIZE:
        raise ValueError(f"{name} must be at most MAX_SIZE = {MAX_SIZE:,}, got {number}")
    return number


def _length(name: str, value: Any) -> int:
    """A length of at least 1 sample and at most :data:`MAX_STACK_LENGTH`."""
    number = as_int(name, value, minimum=1)
    if number > MAX_STACK_LENGTH:
        raise ValueError(f"{name} must be at most MAX_STACK_LENGTH = {MAX_STACK_LENGTH:,}, got {number:,}")
    return number


def _layer(layer: Any) -> StackLayer:
    if not isinstance(layer, StackLayer):
        raise TypeError(f"layer must be a StackLayer, got {shown(layer)} of type {type(layer).__name__}")
    return layer


def pool_output_length(
    length: int, kernel_size: int, stride: int, padding: int = 0, dilation: int = 1, ceil_mode: bool = False
) -> int:
    """The output length of ``MaxPool1d`` / ``AvgPool1d``: the count of windows, as for a convolution; with
    ``ceil_mode`` a last, partial window is kept if it starts inside the input or its left padding.

    >>> pool_output_length(7, 3, 2, padding=1)
    4
    >>> pool_output_length(7, 3, 2, padding=1, ceil_mode=True)
    4
    >>> pool_output_length(6, 2, 2), pool_output_length(5, 2, 2, ceil_mode=True)
    (3, 3)
    """
    length = _length("length", length)
    kernel_size, stride = _size("kernel_size", kernel_size, 1), _size("stride", stride, 1)
    padding, dilation = _size("padding", padding, 0), _size("dilation", dilation, 1)
    ceil_mode = as_flag("ceil_mode", ceil_mode)
    room = length + 2 * padding - dilation * (kernel_size - 1) - 1
    count = (-(-room // stride) if ceil_mode else room // stride) + 1
    if ceil_mode and (count - 1) * stride >= length + padding:
        count -= 1  # the last window would start in the right padding: torch drops it
    return count


@dataclass(frozen=True)
class LayerRow:
    """What one layer does to the stack, on the input length the stack was measured on."""

    name: str
    layer: StackLayer
    in_length: int
    out_length: int
    receptive_field: int
    jump: Fraction
    params: int
    multiplications: int
    unread: int

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON takes it; the jump as an int when it is whole, else a float."""
        return {
            "name": self.name,
            "in_length": self.in_length,
            "out_length": self.out_length,
            "receptive_field": self.receptive_field,
            "jump": _number(self.jump),
            "params": self.params,
            "multiplications": self.multiplications,
            "unread": self.unread,
        }


def _number(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)


def fraction_text(value: Fraction) -> str:
    """``5``, or ``1/256``.

    >>> fraction_text(Fraction(1, 256)), fraction_text(Fraction(320))
    ('1/256', '320')
    """
    if not isinstance(value, (Fraction, int)) or isinstance(value, bool):
        raise TypeError(f"value must be a Fraction or an int, got {shown(value)} of type {type(value).__name__}")
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


@dataclass(frozen=True)
class StackReport:
    """Every layer's row, and the whole stack's output length, receptive field and step."""

    input_length: int
    rows: tuple[LayerRow, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def out_length(self) -> int:
        """The length of the last layer's output."""
        return self.rows[-1].out_length

    @property
    def receptive_field(self) -> int:
        """The receptive field of the whole stack, in input samples."""
        return self.rows[-1].receptive_field

    @property
    def jump(self) -> Fraction:
        """Input samples between two neighbouring outputs of the whole stack."""
        return self.rows[-1].jump

    @property
    def params(self) -> int:
        """The parameters of every layer, added up."""
        return sum(row.params for row in self.rows)

    @property
    def multiplications(self) -> int:
        """The multiply-adds of every layer for one example, added up."""
        return sum(row.multiplications for row in self.rows)

    def to_dict(self) -> dict[str, Any]:
        """``{"out_length", "receptive_field", "layers": [row, ...]}``, as ``conv-docs stack --json`` prints it."""
        return {
            "out_length": self.out_length,
            "receptive_field": self.receptive_field,
            "layers": [row.to_dict() for row in self.rows],
        }

    def table(self) -> str:
        """The rows as a text table, then the lengths, the field and the step, and the totals.

        >>> layer = StackLayer(
        ...     "Conv1d", 2, 2, in_channels=1, out_channels=1, bias=False
        ... )
        >>> print(measure_stack([layer], 3).table())
        #  layer           in out field jump params mult-adds unread
        1  Conv1d k=2 s=2   3   1     2    2      2         2      1
        3 samples in, 1 out
        each output sees 2 samples; the next output is 2 samples further on
        2 parameters; 2 multiply-adds per example
        """
        header = ("#", "layer", "in", "out", "field", "jump", "params", "mult-adds", "unread")
        lines = [header]
        for number, row in enumerate(self.rows, start=1):
            name = f"{row.name} {row.layer.describe()}" if row.name else row.layer.describe()
            numbers = (row.in_length, row.out_length, row.receptive_field)
            counts = (row.params, row.multiplications, row.unread)
            lines.append(
                (str(number), name, *(f"{n:,}" for n in numbers), fraction_text(row.jump), *(f"{n:,}" for n in counts))
            )
        widths = [max(len(line[k]) for line in lines) for k in range(len(header))]
        text = []
        for line in lines:
            cells = [
                cell.ljust(width) if k < 2 else cell.rjust(width)
                for k, (cell, width) in enumerate(zip(line, widths, strict=True))
            ]
            text.append(f"{cells[0]}  {cells[1]}  {' '.join(cells[2:])}".rstrip())  # numbers: one space apart
        sees = f"each output sees {self.receptive_field:,} sample{'s' if self.receptive_field != 1 else ''}"
        if self.jump >= 1:
            step = f"the next output is {fraction_text(self.jump)} sample{'s' if self.jump != 1 else ''} further on"
        else:
            step = f"{fraction_text(1 / self.jump)} outputs come per input sample"
        text.append(f"{self.input_length:,} samples in, {self.out_length:,} out")
        text.append(f"{sees}; {step}")
        text.append(f"{self.params:,} parameters; {self.multiplications:,} multiply-adds per example")
        text.extend(f"note: {note}" for note in self.notes)
        return "\n".join(text)


def measure_stack(layers: Sequence[StackLayer], input_length: int, notes: Sequence[str] = ()) -> StackReport:
    """Run the stack on ``input_length`` samples: every layer's lengths, receptive field, step, parameters,
    multiply-adds and unread inputs. ``notes`` are carried into the report (what the printout left unsaid).

    A layer that torch refuses at the length it gets raises a ``ValueError`` that names the layer and the lengths.

    >>> whisper = [
    ...     StackLayer("Conv1d", 3, 1, 1, in_channels=80, out_channels=384),
    ...     StackLayer("Conv1d", 3, 2, 1, in_channels=384, out_channels=384),
    ... ]
    >>> rows = measure_stack(whisper, 3000).rows
    >>> [(row.in_length, row.out_length, row.receptive_field) for row in rows]
    [(3000, 3000, 3), (3000, 1500, 5)]
    >>> measure_stack(whisper, 1).out_length
    1
    """
    layers = check_stack(layers)
    length = _length("input_length", input_length)
    lengths = stack_lengths(layers, length)
    fields = receptive_fields(layers, length)
    rows, jump = [], Fraction(1)
    for layer, (n_in, n_out), field_size in zip(layers, itertools.pairwise(lengths), fields, strict=True):
        jump = jump / layer.stride if layer.transposed else jump * (layer.stride if layer.kind not in PADS else 1)
        rows.append(
            LayerRow(
                name=layer.name,
                layer=layer,
                in_length=n_in,
                out_length=n_out,
                receptive_field=field_size,
                jump=jump,
                params=layer.params(),
                multiplications=layer.multiplications(n_in, n_out),
                unread=unread(layer, n_in),
            )
        )
    return StackReport(length, tuple(rows), tuple(notes))


def check_stack(layers: Sequence[StackLayer]) -> list[StackLayer]:
    """The layers as a list, refused if empty, too many, or not :class:`StackLayer`."""
    if isinstance(layers, StackLayer) or not isinstance(layers, Sequence):
        raise TypeError(f"layers must be a sequence of StackLayer, got {type(layers).__name__}")
    layers = list(layers)
    if not layers or not all(isinstance(layer, StackLayer) for layer in layers):
        raise TypeError("layers must be a non-empty sequence of StackLayer")
    if len(layers) > MAX_LAYERS:
        raise ValueError(f"a stack may have at most MAX_LAYERS = {MAX_LAYERS} layers, got {len(layers)}")
    return layers


def stack_lengths(layers: Sequence[StackLayer], input_length: int) -> list[int]:
    """The length before the first layer and after each one; raises, naming the layer, where torch refuses.

    >>> layer = StackLayer("Conv1d", 10, 5, in_channels=1, out_channels=1)
    >>> stack_lengths([layer], 16000)
    [16000, 3199]
    >>> stack_lengths([layer], 8)
    Traceback (most recent call last):
    ...
    ValueError: layer 1 (Conv1d) refuses its input of 8 samples (the stack's input is 8): padded to 8, it is ...
    """
    layers = check_stack(layers)
    lengths = [_length("input_length", input_length)]
    for number, layer in enumerate(layers, start=1):
        length = lengths[-1]
        problem = refusal(layer, length)
        if problem:
            raise ValueError(
                f"{layer.label(number)} refuses its input of {_samples(length)} (the stack's input is "
                f"{input_length:,}): {problem}"
            )
        out = layer.output_length(length)
        if out > MAX_STACK_LENGTH:
            raise ValueError(
                f"{layer.label(number)} gives {out:,} samples from {length:,}, "
                f"more than MAX_STACK_LENGTH = {MAX_STACK_LENGTH:,}"
            )
        lengths.append(out)
    return lengths


def _samples(count: int) -> str:
    return f"{count:,} sample{'' if count == 1 else 's'}"


def refusal(layer: StackLayer, length: int) -> str | None:
    """Why torch refuses ``layer`` on an input of ``length`` samples, or ``None`` if it runs.

    >>> refusal(StackLayer("MaxPool1d", 4), 3)
    'it gives 0 outputs'
    """
    layer, length = _layer(layer), _length("length", length)
    left, right = layer.pads()
    if layer.kind == "Conv1d":
        if layer.padding_mode != "zeros":
            try:
                check_padding_fits(layer.padding_mode, left, right, length)
            except ValueError as error:
                return str(error)
        if length + left + right < layer.span:
            return f"padded to {length + left + right:,}, it is shorter than the kernel's span of {layer.span:,}" + (
                f" (kernel_size={layer.kernel_size}, dilation={layer.dilation})" if layer.dilation > 1 else ""
            )
    if layer.kind in PADS and length + min(left, 0) + min(right, 0) < 0:  # torch crops each side before it pads
        return f"its negative padding {layer.padding} crops more than its input of {_samples(length)}"
    if layer.kind in PADS and layer.padding_mode != "zeros":
        try:
            check_padding_fits(layer.padding_mode, left, right, length)
        except ValueError as error:
            return str(error)
    out = layer.output_length(length)
    if out < 1:
        return f"it gives {out} outputs"
    return None


def unread(layer: StackLayer, length: int) -> int:
    """How many of the layer's ``length`` input positions no output reads (a cell copied into the padding and
    read there counts as read).

    >>> layer = StackLayer("Conv1d", 2, 3, in_channels=1, out_channels=1)
    >>> unread(layer, 6)  # reads x0 x1, x3 x4
    2
    >>> unread(StackLayer("ConstantPad1d", padding=(-2, 1)), 6)
    2
    """
    layer, length = _layer(layer), _length("length", length)
    problem = refusal(layer, length)
    if problem:
        raise ValueError(f"{layer.kind} refuses an input of {_samples(length)}: {problem}")
    out = layer.output_length(length)
    if layer.kind in PADS:
        left, right = layer.padding  # type: ignore[misc]
        return min(length, max(0, -left)) + min(length, max(0, -right)) if out > 0 else length
    if layer.transposed:
        # input i writes outputs i*stride - padding + j*dilation, j < kernel_size: read if one of them is kept
        first = np.arange(length, dtype=np.int64) * layer.stride - layer.padding
        tap = np.maximum(0, -(first // layer.dilation))  # the first tap at or past output 0
        tap = np.where(first + tap * layer.dilation < 0, tap + 1, tap)
        kept = (tap < layer.kernel_size) & (first + tap * layer.dilation < out)
        return int(length - kept.sum())
    left, right = layer.pads()
    read = _read_padded(layer, out, left + length + right)
    inside = read[left : left + length].copy()
    if layer.kind == "Conv1d" and layer.padding_mode != "zeros":
        for q in (*range(left), *range(left + length, left + length + right)):
            if read[q]:
                inside[padding_source(q, length, left, layer.padding_mode)] = True
    return int(length - inside.sum())


def _read_padded(layer: StackLayer, out: int, padded: int) -> np.ndarray:
    """Which cells of the padded input (and past it, for a last partial window) some window reads."""
    read = np.zeros(padded + layer.span, dtype=bool)
    starts = np.arange(layer.kernel_size, dtype=np.int64) * layer.dilation  # tap j reads j*d + t*stride
    residue, base = starts % layer.stride, starts // layer.stride
    order = np.lexsort((base, residue))
    residue, base = residue[order], base[order]
    # taps of one residue read the runs base .. base + out - 1 (in steps of stride): merge the runs that overlap
    new_run = np.ones(len(base), dtype=bool)
    new_run[1:] = (residue[1:] != residue[:-1]) | (base[1:] > base[:-1] + out)
    run_starts = np.flatnonzero(new_run)
    run_ends = np.append(run_starts[1:], len(base)) - 1
    for first, last in zip(run_starts, run_ends, strict=True):
        begin = int(residue[first] + base[first] * layer.stride)
        end = int(residue[last] + (base[last] + out - 1) * layer.stride) + 1
        read[begin : end : layer.stride] = True
    return read[:padded]


# The receptive field, followed output by output.
#
# Each cell of a level (the input, or a layer's output) holds the set of input positions it depends on, as a row of
# bits; a layer's output row is the OR of the rows its window reads. On a long input most outputs see the same
# pattern, shifted: the stack is the same everywhere but near the ends. So the field is worked out on a shorter
# input, as long as needed for both ends and every phase of that pattern: its length is congruent to the real one
# modulo the stack's period (the input shift that moves every level by whole cells), and the largest count is the
# same on both.


def receptive_fields(layers: Sequence[StackLayer], input_length: int) -> list[int]:
    """After each layer: the largest number of input positions one of its outputs depends on.

    Worked out on :func:`field_length` samples, which gives the same counts as ``input_length`` and is shorter
    for a long input.

    >>> layers = [
    ...     StackLayer("Conv1d", 2, dilation=d, in_channels=1, out_channels=1)
    ...     for d in (1, 2, 4)
    ... ]
    >>> receptive_fields(layers, 64)
    [2, 4, 8]
    >>> receptive_fields(layers[-1:], 64)  # dilation 4 alone: cells 0 and 4
    [2]
    """
    layers = check_stack(layers)
    length = field_length(layers, input_length)  # refuses what torch refuses
    if all(_in_place(layer) for layer in layers):
        return fields_by_windows(layers, length)
    return fields_on(layers, length)


def _in_place(layer: StackLayer) -> bool:
    """Whether every output's positions sit where its window does: no transposed layer, no copied padding."""
    return not layer.transposed and layer.padding_mode == "zeros"


def fields_on(layers: Sequence[StackLayer], input_length: int) -> list[int]:
    """The receptive field after each layer, followed on exactly ``input_length`` samples: every output's set of
    input positions, as a row of ``input_length`` bits.

    >>> layer = StackLayer("Conv1d", 3, padding=1, in_channels=1, out_channels=1)
    >>> fields_on([layer] * 2, 3)  # 3 inputs in all
    [3, 3]
    """
    return [int(np.bitwise_count(rows).sum(axis=1, dtype=np.int64).max()) for rows in _levels(layers, input_length)]


def inputs_of(layers: Sequence[StackLayer], input_length: int, position: int) -> list[int]:
    """The input positions that output ``position`` of the last layer depends on, in order: those whose gradient
    it reaches.

    >>> layer = StackLayer("Conv1d", 2, dilation=4, in_channels=1, out_channels=1)
    >>> inputs_of([layer], 8, position=1)
    [1, 5]
    """
    *_, rows = _levels(layers, input_length)
    position = as_int("position", position, minimum=0)
    if position >= len(rows):
        raise ValueError(f"position must be below the output length {len(rows)}, got {position}")
    return np.flatnonzero(np.unpackbits(rows[position])[:input_length]).tolist()


def _levels(layers: Sequence[StackLayer], input_length: int) -> Iterator[np.ndarray]:
    """Each layer's rows of bits: row t holds the input positions output t depends on."""
    layers = check_stack(layers)
    lengths = stack_lengths(layers, input_length)
    for layer, length, out in zip(layers, lengths, lengths[1:], strict=False):
        left, right = layer.pads()
        cells = out + layer.span if layer.transposed else length + abs(left) + abs(right) + layer.span
        _check_size(2 * max(cells, out, length), input_length)
    rows = _identity(input_length)
    for layer in layers:
        rows = _propagate(layer, rows)
        yield rows


def fields_by_windows(layers: Sequence[StackLayer], input_length: int) -> list[int]:
    """:func:`fields_on` for a stack without transposed layers or copied padding, where output ``t`` of a layer
    depends only on positions ``t*jump + c`` to ``t*jump + c + width - 1``: each output keeps that window alone.

    >>> layer = StackLayer("Conv1d", 3, padding=1, in_channels=1, out_channels=1)
    >>> fields_by_windows([layer] * 2, 3)
    [3, 3]
    """
    layers = check_stack(layers)
    if not all(_in_place(layer) for layer in layers):
        raise ValueError("fields_by_windows takes no ConvTranspose1d and only zeros padding")
    lengths = stack_lengths(layers, input_length)
    jump, width = 1, 1
    for layer, length, out in zip(layers, lengths, lengths[1:], strict=False):
        if layer.kind not in PADS:
            width += (layer.span - 1) * jump
            jump *= layer.stride
        _check_size(max(length + sum(layer.pads()), out) + layer.span, width)
    rows, jump, fields = np.ones((input_length, 1), dtype=bool), 1, []
    for layer in layers:
        length, width = rows.shape
        out = layer.output_length(length)
        left = layer.pads()[0]
        if layer.kind in PADS:
            sources = np.arange(out) - left
            kept = (sources >= 0) & (sources < length)
            rows, new = np.zeros((out, width), dtype=bool), rows
            rows[kept] = new[sources[kept]]
        else:
            k, s, d = layer.kernel_size, layer.stride, layer.dilation
            table = np.zeros(((out - 1) * s + layer.span, width), dtype=bool)
            end = min(len(table), left + length)
            table[left:end] = rows[: end - left]
            taps = 1  # table row r: the OR of padded rows r, r + d, ..., r + (taps-1)*d, each at its place
            while 2 * taps <= k:
                step = taps * d
                wider = np.zeros((len(table) - step, table.shape[1] + step * jump), dtype=bool)
                wider[:, : table.shape[1]] = table[:-step]
                wider[:, step * jump :] |= table[step:]
                table, taps = wider, 2 * taps
            starts, rest = np.arange(out) * s, (k - taps) * d
            rows = np.zeros((out, width + (layer.span - 1) * jump), dtype=bool)
            rows[:, : table.shape[1]] = table[starts]
            rows[:, rest * jump :] |= table[starts + rest]
            jump *= s
        fields.append(int(rows.sum(axis=1).max()))
    return fields


def period(layers: Sequence[StackLayer]) -> tuple[int, int]:
    """``(a, b)``: shifting the input by ``a`` samples shifts the last output by ``b`` cells (the least such ``a``
    that every layer keeps to whole cells).

    >>> period([StackLayer("Conv1d", 3, 2, in_channels=1, out_channels=1)] * 3)
    (8, 1)
    >>> down = StackLayer("Conv1d", 3, 2, in_channels=1, out_channels=1)
    >>> up = StackLayer("ConvTranspose1d", 4, 2, in_channels=1, out_channels=1)
    >>> period([down, up])
    (2, 2)
    """
    a, b = 1, 1
    for layer in check_stack(layers):
        layer_in, layer_out = (
            (1, layer.stride) if layer.transposed else (1, 1) if layer.kind in PADS else (layer.stride, 1)
        )
        times = layer_in // math.gcd(b, layer_in)
        a, b = a * times, b * times // layer_in * layer_out
    return a, b


def field_length(layers: Sequence[StackLayer], input_length: int) -> int:
    """The input length the receptive field is worked out on: ``input_length``, or a shorter one that has both ends
    and the same phase.

    >>> layer = StackLayer("Conv1d", 3, 2, in_channels=1, out_channels=1)
    >>> field_length([layer], 10**6)
    10
    """
    layers = check_stack(layers)
    input_length = stack_lengths(layers, input_length)[0]  # refuses what torch refuses
    a, _ = period(layers)
    # Only the cells near the two ends differ from the shifted pattern: on the left, those that read padding or
    # such cells below; on the right, the same and what the last window's remainder leaves. Each layer widens
    # those zones by at most its padding, its span and a stride (of its own input cells); between them the
    # input must hold one whole pattern (the field's span), plus a period to see every phase.
    margin, jump = Fraction(0), Fraction(1)
    for layer in layers:
        left, right = layer.pads()
        reach = layer.span + abs(left) + abs(right) + layer.stride + layer.output_padding + 1
        margin += reach * jump
        jump = jump / layer.stride if layer.transposed else jump * (1 if layer.kind in PADS else layer.stride)
    shortest = math.ceil(margin) + 2 * a
    if input_length <= shortest + a:
        return input_length
    return shortest + (input_length - shortest) % a


def _identity(length: int) -> np.ndarray:
    rows = np.zeros((length, (length + 7) // 8), dtype=np.uint8)
    positions = np.arange(length)
    rows[positions, positions // 8] = 128 >> (positions % 8)  # np.packbits order: position 0 is the top bit
    return rows


def _gather(rows: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Rows picked by index; index -1 is a row of zeros (a padding zero depends on nothing)."""
    padded = np.concatenate([rows, np.zeros((1, rows.shape[1]), dtype=rows.dtype)])
    return padded[sources]


def _check_size(count: int, width: int) -> None:
    if count * width > MAX_FIELD_CELLS:
        raise ValueError(
            f"the receptive field of this stack would be followed on {count:,} cells x {width:,} input positions, "
            f"more than MAX_FIELD_CELLS = {MAX_FIELD_CELLS:,}: try a shorter input"
        )


def _windows(padded: np.ndarray, kernel_size: int, stride: int, dilation: int, count: int) -> np.ndarray:
    """Row t: the OR of rows t*stride + j*dilation, j < kernel_size (a sparse table: OR is idempotent, so two
    overlapping runs of 2**m taps cover the window)."""
    need = (count - 1) * stride + (kernel_size - 1) * dilation + 1
    if len(padded) < need:  # a last partial window (ceil_mode) reads zeros past the end
        padded = np.concatenate([padded, np.zeros((need - len(padded), padded.shape[1]), dtype=padded.dtype)])
    table, taps = padded, 1
    while 2 * taps <= kernel_size:
        step = taps * dilation
        table = table[:-step] | table[step:]
        taps *= 2
    starts = np.arange(count) * stride
    return table[starts] | table[starts + (kernel_size - taps) * dilation]


def _propagate(layer: StackLayer, rows: np.ndarray) -> np.ndarray:
    """The rows of the layer's outputs from the rows of its inputs."""
    length = len(rows)
    out = layer.output_length(length)
    left, right = layer.pads()
    if layer.kind in PADS:
        sources = np.arange(out, dtype=np.int64) - left
        for q in np.flatnonzero((sources < 0) | (sources >= length)):
            source = padding_source(int(q), length, left, layer.padding_mode)
            sources[q] = -1 if source is None else source
        return _gather(rows, sources)
    if layer.transposed:
        # a transposed convolution is a convolution of the input spread out by the stride (stride - 1 zeros
        # between cells), padded by dilation*(kernel_size-1) - padding on each side (cut where negative)
        spread = (length - 1) * layer.stride + 1
        edge = layer.dilation * (layer.kernel_size - 1) - layer.padding
        positions = np.arange(out + layer.span - 1, dtype=np.int64) - edge
        keep = (positions >= 0) & (positions < spread) & (positions % layer.stride == 0)
        sources = np.where(keep, positions // layer.stride, -1)
        return _windows(_gather(rows, sources), layer.kernel_size, 1, layer.dilation, out)
    padded = np.arange(-left, length + right, dtype=np.int64)
    if layer.kind == "Conv1d" and layer.padding_mode != "zeros":
        edges = [q for q in range(len(padded)) if not 0 <= padded[q] < length]
        for q in edges:
            padded[q] = padding_source(q, length, left, layer.padding_mode)
    else:
        padded[(padded < 0) | (padded >= length)] = -1
    return _windows(_gather(rows, padded), layer.kernel_size, layer.stride, layer.dilation, out)
