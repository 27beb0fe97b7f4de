"""The step-by-step trace: the model every view of the site is drawn from.

A :class:`Trace` records, for every output position, which cells are read, with which weight
taps, their products, the bias and the sum; it also records every cell of the padded input
(padding cells with their mode and the input position they copy) and the input positions that
no output ever reads. Diagrams, page text, the command line and the playground's test vectors
are all made from it.

>>> t = trace_conv1d([2, 3, 4], [1, 1], bias=0, stride=2, padding=1)
>>> [step.output for step in t.steps]
[2.0, 7.0]
>>> t.steps[0].formula()
'0*w0 + 2*w1 + bias'
>>> trace_conv1d([2, 3, 4], [1, 1], stride=2).unread
((0, 2),)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from conv_docs.params import Padding, check_bound, padding_source, shown
from conv_docs.reference import (
    as_float_array,
    conv1d_reads,
    conv_transpose1d_reads,
    setup_conv1d,
    setup_conv_transpose1d,
)


def fmt(value: float) -> str:
    """Write a number as a reader would: ``2`` rather than ``2.0``, at most 6 significant digits.

    >>> fmt(2.0), fmt(-0.5), fmt(1 / 3)
    ('2', '-0.5', '0.333333')
    """
    if value == 0:
        return "0"  # also for -0.0
    return f"{value:.6g}"


def product(left: str, right: str) -> str:
    """``left*right`` as a reader writes it: a negative factor after ``*`` goes in parentheses.

    >>> product("4", "-1"), product("-2", "w0")
    ('4*(-1)', '-2*w0')
    """
    return f"{left}*({right})" if right.startswith("-") else f"{left}*{right}"


def signed_sum(terms: list[str]) -> str:
    """Terms joined as a reader writes a sum: ``a - b`` rather than ``a + -b``; ``0`` when there is none.

    Only the first term keeps a leading minus sign; every later one is added or subtracted.

    >>> signed_sum(["-1*w0", "-2*w1", "bias"])
    '-1*w0 - 2*w1 + bias'
    >>> signed_sum(["4*(-1)", "-0.06"]), signed_sum([])
    ('4*(-1) - 0.06', '0')
    """
    if not terms:
        return "0"
    text = terms[0]
    for term in terms[1:]:
        text += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
    return text


@dataclass(frozen=True)
class Cell:
    """One cell of the sequence a convolution reads: the padded input (conv1d) or the input (transposed)."""

    position: int  # index in the padded input (conv1d) or in the input (conv_transpose1d)
    value: float
    kind: str  # "input", or the padding mode that made it: "zeros", "reflect", "replicate", "circular"
    source: int | None  # the input position it holds or copies; None for a padding zero
    read: bool  # whether any step reads it


@dataclass(frozen=True)
class Term:
    """One product of a step: weight tap ``tap`` times the cell at ``cell`` (a :data:`conv_docs.reference.Read`)."""

    channel: int  # input channel
    tap: int  # kernel index j
    weight_index: tuple[int, int, int]  # where the weight sits in the weight array
    cell: int  # the position of the cell read (see Cell.position)
    source: int | None  # the input position behind that cell; None for a padding zero
    weight: float
    value: float
    product: float


@dataclass(frozen=True)
class Step:
    """One output value: ``bias + sum(term.product for term in terms)``."""

    channel: int  # output channel
    position: int  # output position
    terms: tuple[Term, ...]
    bias: float
    output: float
    has_bias: bool
    single: bool  # one input and one output channel: weights are called w0, w1, ...

    def weight_name(self, term: Term) -> str:
        """``w1`` for one channel, otherwise the weight's index as torch lays it out: ``w[0][2][1]``."""
        _check_type("term", term, Term)
        if self.single:
            return f"w{term.tap}"
        return "w" + "".join(f"[{index}]" for index in term.weight_index)

    def formula(self) -> str:
        """The output as a hand formula: ``0*w0 + 2*w1 + bias``.

        >>> trace_conv1d([2, 3, 4], [1, 1], bias=0).steps[1].formula()
        '3*w0 + 4*w1 + bias'
        """
        parts = [product(fmt(term.value), self.weight_name(term)) for term in self.terms]
        if self.has_bias:
            parts.append("bias")
        return signed_sum(parts)

    def arithmetic(self) -> str:
        """The same formula with numbers: ``0*1 + 2*1 + 0 = 2``; negative numbers as a reader writes them.

        >>> trace_conv1d([2, 3, 4], [1, 1], bias=0.5).steps[0].arithmetic()
        '2*1 + 3*1 + 0.5 = 5.5'
        >>> trace_conv1d([2, -3, 4], [2, -1], bias=-0.5).steps[0].arithmetic()
        '2*2 - 3*(-1) - 0.5 = 6.5'
        """
        parts = [product(fmt(term.value), fmt(term.weight)) for term in self.terms]
        if self.has_bias:
            parts.append(fmt(self.bias))
        return f"{signed_sum(parts)} = {fmt(self.output)}"


@dataclass(frozen=True)
class Trace:
    """Everything one convolution of one example does, step by step.

    ``padding`` is ``(left, right)``, the cells conv1d adds around the input (they are in ``cells``); it is
    ``(0, 0)`` for conv_transpose1d, which adds none. ``cropped`` is the output cells that conv_transpose1d's
    ``padding`` argument cuts off each end; 0 for conv1d.

    >>> t = trace_conv_transpose1d([1, 2], [1, 1, 1], padding=1)
    >>> t.padding, t.cropped, t.output
    ((0, 0), 1, ((3.0, 3.0),))
    """

    op: str  # "conv1d" or "conv_transpose1d"
    input: tuple[tuple[float, ...], ...]  # (C_in, L)
    weight: tuple[tuple[tuple[float, ...], ...], ...]  # as torch lays it out
    bias: tuple[float, ...] | None
    stride: int
    padding: tuple[int, int]  # cells added around the input (left, right); (0, 0) for conv_transpose1d
    dilation: int
    groups: int
    padding_mode: str
    output_padding: int  # cells conv_transpose1d adds at the right end of the output; 0 for conv1d
    cropped: int  # output cells conv_transpose1d's padding cuts off each end; 0 for conv1d
    cells: tuple[tuple[Cell, ...], ...]  # per input channel
    steps: tuple[Step, ...]  # by output channel, then output position
    unread: tuple[tuple[int, int], ...]  # (input channel, input position) whose value reaches no output
    output: tuple[tuple[float, ...], ...]  # (C_out, L_out)

    @property
    def kernel_size(self) -> int:
        return len(self.weight[0][0])

    @property
    def input_length(self) -> int:
        return len(self.input[0])

    @property
    def output_length(self) -> int:
        return len(self.output[0])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: every field, plus ``"formula"`` and ``"arithmetic"`` for each step.

        >>> trace_conv1d([2, 3, 4], [1, 1], stride=2).to_dict()["output"]
        [[5.0]]
        """
        data = asdict(self)
        for step, step_data in zip(self.steps, data["steps"], strict=False):
            step_data["formula"] = step.formula()
            step_data["arithmetic"] = step.arithmetic()
        data["kernel_size"] = self.kernel_size
        return _lists(data)


def _lists(value: Any) -> Any:
    """Tuples to lists, all the way down (so that the dict compares equal to its JSON round trip)."""
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_lists(item) for item in value]
    return value


def _example(input: Any, weight: Any, bias: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Accept the friendly 1-channel spellings: input ``[2, 3, 4]``, weight ``[w0, w1]``, bias ``b``."""
    x = as_float_array("input", input)
    if x.ndim == 1:
        x = x[np.newaxis]
    elif x.ndim != 2:
        raise ValueError(f"input must have shape (L,) or (C, L) for a trace (one example), got shape {x.shape}")
    w = as_float_array("weight", weight)
    if w.ndim == 1:
        w = w[np.newaxis, np.newaxis]
    b = None if bias is None else as_float_array("bias", bias).reshape(-1)
    return x, w, b


def _check_size(cells: int, out_channels: int, output_length: int, group_in: int, kernel_size: int) -> None:
    """Refuse a trace that would record more than MAX_TRACE cells or products (it keeps an object for each)."""
    check_bound("MAX_TRACE", cells, "the cells a trace records, C_in * (cells per channel)")
    products = out_channels * output_length * group_in * kernel_size
    what = f"the products a trace records, C_out*L_out*(C_in/groups)*K = {out_channels}*{output_length}*{group_in}"
    check_bound("MAX_TRACE", products, f"{what}*{kernel_size}")


def _tuples(array: np.ndarray) -> Any:
    return tuple(_tuples(row) for row in array) if array.ndim else float(array)


def _unread(steps: list[Step], channels: int, length: int) -> tuple[tuple[int, int], ...]:
    """The ``(channel, position)`` of every input cell that no product of ``steps`` reads."""
    reached = {(term.channel, term.source) for step in steps for term in step.terms if term.source is not None}
    return tuple((c, i) for c in range(channels) for i in range(length) if (c, i) not in reached)


def _output_grid(steps: list[Step]) -> tuple[tuple[float, ...], ...]:
    """The outputs of ``steps`` as ``(C_out, L_out)``: one row per output channel, in position order."""
    out_channels = max(step.channel for step in steps) + 1
    return tuple(tuple(step.output for step in steps if step.channel == co) for co in range(out_channels))


def trace_conv1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Padding = 0,
    dilation: Any = 1,
    groups: Any = 1,
    padding_mode: str = "zeros",
) -> Trace:
    """Trace :func:`conv_docs.conv1d` on one example, step by step.

    ``input`` is ``(C, L)`` or, for one channel, just ``[2, 3, 4]``; ``weight`` is
    ``(C_out, C_in/groups, K)`` or, for one channel, just ``[w0, w1, ...]``; ``bias`` may be a
    number. The checks and errors are those of :func:`conv_docs.conv1d`; a trace records an object for every
    cell and every product, so it holds at most :data:`conv_docs.params.MAX_TRACE` of each.

    >>> t = trace_conv1d(
    ...     [2, 3, 4], [1, 1], stride=2, padding=1, padding_mode="circular"
    ... )
    >>> [cell.value for cell in t.cells[0]], t.output
    ([4.0, 2.0, 3.0, 4.0, 2.0], ((6.0, 7.0),))
    """
    x, w, b = _example(input, weight, bias)
    s = setup_conv1d(x, w, b, stride, padding, dilation, groups, padding_mode)
    length = x.shape[1]
    out_channels, group_in, kernel_size = s.weight.shape
    _check_size(x.shape[0] * (s.left + length + s.right), out_channels, s.output_length, group_in, kernel_size)
    single = x.shape[0] == 1 and out_channels == 1

    def source(q: int) -> int | None:
        return padding_source(q, length, s.left, s.padding_mode)

    def value(c: int, q: int) -> float:
        i = source(q)
        return 0.0 if i is None else float(x[c, i])

    steps, read = [], set()
    for co, t, reads in conv1d_reads(s):  # conv1d's loop nest: output channel, position, input channel, tap
        terms = []
        for ci, j, weight_index, q in reads:  # one Term per product: weight_index's weight times padded cell q
            read.add((ci, q))
            weight_value = float(s.weight[weight_index])
            terms.append(
                Term(ci, j, weight_index, q, source(q), weight_value, value(ci, q), weight_value * value(ci, q))
            )
        bias_value = float(s.bias[co])
        total = bias_value + sum(term.product for term in terms)
        steps.append(Step(co, t, tuple(terms), bias_value, total, b is not None, single))

    # the padded input, cell by cell: cells s.left .. s.left + length - 1 are the input, the others padding
    cells = tuple(
        tuple(
            Cell(q, value(c, q), "input" if 0 <= q - s.left < length else s.padding_mode, source(q), (c, q) in read)
            for q in range(s.left + length + s.right)
        )
        for c in range(x.shape[0])
    )
    return Trace(
        op="conv1d", input=_tuples(x), weight=_tuples(s.weight), bias=None if b is None else _tuples(b),
        stride=s.stride, padding=(s.left, s.right), dilation=s.dilation, groups=s.groups,
        padding_mode=s.padding_mode, output_padding=0, cropped=0,
        cells=cells, steps=tuple(steps), unread=_unread(steps, *x.shape), output=_output_grid(steps),
    )  # fmt: skip


def trace_conv_transpose1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: Any = 1,
    dilation: Any = 1,
) -> Trace:
    """Trace :func:`conv_docs.conv_transpose1d` on one example, one output position at a time.

    Each step gathers the input cells that reach that output: input ``i`` reaches output
    ``i*stride + j*dilation - padding`` through tap ``j``.

    >>> t = trace_conv_transpose1d([1, 2], [1, 1], stride=2)
    >>> [step.formula() for step in t.steps]
    ['1*w0', '1*w1', '2*w0', '2*w1']
    """
    x, w, b = _example(input, weight, bias)
    s = setup_conv_transpose1d(x, w, b, stride, padding, output_padding, groups, dilation)
    in_channels, length = x.shape
    _check_size(x.size, s.weight.shape[1] * s.groups, s.output_length, in_channels // s.groups, s.weight.shape[2])
    single = in_channels == 1 and s.weight.shape[1] * s.groups == 1

    steps, read = [], set()
    for co, o, reads in conv_transpose1d_reads(s):  # the loop nest of conv_transpose1d, output by output
        terms = []
        for ci, j, weight_index, i in reads:  # one Term per product: weight_index's weight times input i
            read.add((ci, i))
            weight_value, cell_value = float(s.weight[weight_index]), float(x[ci, i])
            terms.append(Term(ci, j, weight_index, i, i, weight_value, cell_value, weight_value * cell_value))
        bias_value = float(s.bias[co])
        total = bias_value + sum(term.product for term in terms)
        steps.append(Step(co, o, tuple(terms), bias_value, total, b is not None, single))

    # no padding cells: the input as it is (padding crops the output instead: Trace.cropped)
    cells = tuple(
        tuple(Cell(i, float(x[c, i]), "input", i, (c, i) in read) for i in range(length)) for c in range(in_channels)
    )
    return Trace(
        op="conv_transpose1d", input=_tuples(x), weight=_tuples(s.weight), bias=None if b is None else _tuples(b),
        stride=s.stride, padding=(0, 0), dilation=s.dilation, groups=s.groups,
        padding_mode="zeros", output_padding=s.output_padding, cropped=s.padding,
        cells=cells, steps=tuple(steps), unread=_unread(steps, *x.shape), output=_output_grid(steps),
    )  # fmt: skip


def describe_cell(cell: Cell) -> str:
    """How a reader would name a cell: ``2``, ``the padding zero``, ``the reflected 3``.

    >>> describe_cell(trace_conv1d([2, 3, 4], [1, 1], padding=1).cells[0][0])
    'the padding zero'
    """
    _check_type("cell", cell, Cell)
    names = {
        "zeros": "the padding zero",
        "reflect": "the reflected",
        "replicate": "the replicated",
        "circular": "the wrapped-around",
    }
    if cell.kind == "input":
        return fmt(cell.value)
    if cell.kind == "zeros":
        return names["zeros"]
    return f"{names[cell.kind]} {fmt(cell.value)}"


def describe_step(trace: Trace, step: Step) -> str:
    """One sentence for one step, as the figures' descriptions and the page text use it.

    >>> t = trace_conv1d([2, 3, 4], [1, 1], bias=0, stride=2, padding=1)
    >>> describe_step(t, t.steps[0])
    'Step 1: w0 and w1 read the padding zero and 2, giving 0*w0 + 2*w1 + bias = 2.'

    One tap reads one cell, so the verb agrees with it:

    >>> t = trace_conv1d([2, 3, 4], [1])
    >>> describe_step(t, t.steps[0])
    'Step 1: w0 reads 2, giving 2*w0 = 2.'
    """
    _check_type("trace", trace, Trace)
    _check_type("step", step, Step)
    number = next((k for k, each in enumerate(trace.steps) if each is step), None)
    if number is None:
        raise ValueError(f"step must be one of trace.steps, got a step of output {step.position} from another trace")
    return _describe_step(trace, step, number + 1)


def _describe_step(trace: Trace, step: Step, number: int) -> str:
    cells = trace.cells
    names = [step.weight_name(term) for term in step.terms]
    read = [describe_cell(cells[term.channel][term.cell]) for term in step.terms]
    if not step.terms:
        return f"Step {number}: no input reaches output {step.position}, giving {step.formula()} = {fmt(step.output)}."
    verb = "reads" if len(names) == 1 else "read"
    return f"Step {number}: {_join(names)} {verb} {_join(read)}, giving {step.formula()} = {fmt(step.output)}."


def _join(words: list[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def describe(trace: Trace) -> str:
    """A paragraph describing the whole trace, step by step, ending with the unread inputs.

    >>> print(describe(trace_conv1d([2, 3, 4], [1, 1], stride=2)))
    Step 1: w0 and w1 read 2 and 3, giving 2*w0 + 3*w1 = 5. Input 4 (position 2) is never read.
    """
    _check_type("trace", trace, Trace)
    sentences = [_describe_step(trace, step, number) for number, step in enumerate(trace.steps, start=1)]
    for channel, position in trace.unread:
        where = f"position {position}" if len(trace.input) == 1 else f"channel {channel}, position {position}"
        sentences.append(f"Input {fmt(trace.input[channel][position])} ({where}) is never read.")
    return " ".join(sentences)


def _check_type(name: str, value: object, kind: type) -> None:
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be a {kind.__name__}, got {shown(value)} of type {type(value).__name__}")
