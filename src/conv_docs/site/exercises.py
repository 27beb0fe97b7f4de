"""The ``exercise`` fence: a "predict, then check" question whose answer the library computes at build time.

An author writes the question's kind and the layer, one option per line (YAML values, ``#`` comments), the
same way as in the figure fences::

    ```exercise
    ask: output_length      # one of ASKS, below
    conv1d: {input_length: 7, kernel_size: 3, stride: 2, padding: 1}
    ```

``conv1d:`` (or ``conv_transpose1d:``) takes the arguments of ``nn.Conv1d`` (``nn.ConvTranspose1d``) and of
the trace: ``input`` (``[2, 3, 4]`` or ``(C, L)``) or ``input_length``; ``weight`` or ``kernel_size`` (then
every weight is 1); ``in_channels``, ``out_channels``, ``bias``, ``stride``, ``padding``, ``dilation``,
``groups``, and ``padding_mode`` (``conv1d``) or ``output_padding`` (``conv_transpose1d``). ``stack:`` is a
list of layers from the input up, each ``{kernel_size: K, stride: S, dilation: D}`` (stride and dilation 1 if
left out). The kinds (``ask:``), and what each takes besides its layer:

- ``output_length``: how many outputs the layer gives; the answer shows the length formula with the numbers.
- ``reads`` (``output: t``): which inputs output ``y[t]`` reads, through which weight.
- ``value`` (``output: t``; ``input`` and ``weight`` given): the value of ``y[t]``, with the step's arithmetic.
- ``weight_shape``: the shapes of the weight and the bias.
- ``refused``: whether torch accepts the layer on that input, and if not, why (the library's error).
- ``receptive_field`` (``stack:``): how many input cells wide one output's receptive field is, layer by layer.
- ``causal_padding`` (``conv1d`` with neither stride nor padding): how many zeros ``F.pad`` puts on which side
  to make the layer causal, and why that many; with the layer's own padding instead, which outputs to keep.
- ``output_padding`` (``conv_transpose1d``, ``length: N``): the ``output_padding`` that gives ``N`` outputs,
  and why one is needed: ``nn.Conv1d`` maps several lengths to the same one.
- ``gradient`` (``conv1d`` with ``input`` and ``weight``; ``of: input``, ``weight`` or ``bias``; ``entry: i``
  unless ``of: bias``; ``grad_output: [...]``, all ones if left out): what one entry of a gradient adds up,
  term by term, and its value.
- ``why_unread`` (``cell: i``): why no output reads input ``x[i]`` (past the last window, between two
  windows, between the taps of every window that spans it, or cropped), so that its gradient is 0.
- ``why_terms`` (``conv_transpose1d``, ``outputs: [a, b]``): why ``y[a]`` adds up a different number of terms
  than ``y[b]``: the taps whose scatter lands on each.
- ``why_hole`` (``stack:``, ``cell: i``): why output 0 of a stack does not depend on ``x[i]`` though ``x[i]``
  lies inside its receptive field: the cells each layer reads, and the layer whose taps jump over it.

The ``why_*`` kinds, ``causal_padding`` and ``output_padding`` ask why, and so does ``refused`` on a layer torch
refuses (:attr:`Exercise.why`): every case and guide page has at least one such question.

The page gets the question and, folded in a ``<details>`` block that needs no script, the answer with the
working that leads to it, written from the trace (or the stack's footprint). ``tests/test_site_exercises.py``
checks every answer of every page against torch. A bad fence (an unknown kind or option, an option that does
not go with its kind, a layer torch refuses, a ``why`` whose premise is false) raises :class:`FenceError`; on a
page it is shown in the fence's place, and the build reports it as one line naming the page, the fence's line,
the option and what is allowed.

>>> exercise = make_exercise("ask: output_length\\nconv1d: {input_length: 7, kernel_size: 3, stride: 2, padding: 1}")
>>> exercise.answer
4
>>> make_exercise("ask: value\\noutput: 1\\nconv1d: {input: [2, 3, 4], weight: [2, -1], bias: 1}").working
'3*2 + 4*(-1) + 1 = 3'
>>> make_exercise("ask: receptive_field\\nstack: [{kernel_size: 3, stride: 2}, {kernel_size: 3}]").working
'1 + 2*1 + 2*2 = 7'
>>> make_exercise("ask: why_unread\\ncell: 2\\nconv1d: {input_length: 3, kernel_size: 2, stride: 2}").answer
'past the end'
>>> "<details" in format_exercise("ask: weight_shape\\nconv1d: {in_channels: 4, out_channels: 6, kernel_size: 3}",
...                               "exercise", "conv-exercise", {}, None)
True
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from conv_docs.site.fence_errors import FenceError, error_html
from conv_docs.site.fence_options import CONV_OPTIONS, parse_options
from conv_docs.site.mathml import length_latex, math_block, to_mathml

LAYERS = ("conv1d", "conv_transpose1d")
# ask -> (the layer options it takes, its own options: required, then optional)
ASK_OPTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "output_length": (LAYERS, (), ()),
    "reads": (LAYERS, ("output",), ()),
    "value": (LAYERS, ("output",), ()),
    "weight_shape": (LAYERS, (), ()),
    "refused": (LAYERS, (), ()),
    "receptive_field": (("stack",), (), ()),
    "causal_padding": (("conv1d",), (), ()),
    "output_padding": (("conv_transpose1d",), ("length",), ()),
    "gradient": (("conv1d",), ("of",), ("entry", "grad_output")),
    "why_unread": (LAYERS, ("cell",), ()),
    "why_terms": (("conv_transpose1d",), ("outputs",), ()),
    "why_hole": (("stack",), ("cell",), ()),
}
ASKS = tuple(ASK_OPTIONS)
OPTIONS = ("ask", *LAYERS, "stack", "output", "cell", "outputs", "length", "of", "entry", "grad_output")
STACK_OPTIONS = ("kernel_size", "stride", "dilation")
GRADIENT_OF = ("input", "weight", "bias")
# A layer of an exercise takes the options of its figure fence, and may give sizes instead of numbers.
LAYER_OPTIONS = {
    kind: ("input", "input_length", "in_channels", "out_channels", *(o for o in CONV_OPTIONS[kind] if o != "input"))
    for kind in LAYERS
}
# The arguments that go to the trace (and to torch) as they are, with torch's defaults.
ARGUMENTS = {
    "conv1d": {"stride": 1, "padding": 0, "dilation": 1, "groups": 1, "padding_mode": "zeros"},
    "conv_transpose1d": {"stride": 1, "padding": 0, "output_padding": 0, "groups": 1, "dilation": 1},
}
TORCH_NAMES = {"conv1d": "nn.Conv1d", "conv_transpose1d": "nn.ConvTranspose1d"}


@dataclass(frozen=True)
class Setting:
    """The layer of an exercise, with every default filled in: what the trace and torch are both given."""

    op: str  # "conv1d" or "conv_transpose1d"
    in_channels: int
    out_channels: int
    kernel_size: int
    input: tuple[tuple[float, ...], ...] | None  # (C, L); None when only the weight's shape is asked
    input_given: bool  # the author wrote the values (otherwise they are zeros, and only positions matter)
    weight: tuple[tuple[tuple[float, ...], ...], ...]  # as torch lays it out
    weight_given: bool
    bias: tuple[float, ...] | None
    arguments: dict[str, Any] = field(default_factory=dict)  # stride, padding, ... as the author gave them

    @property
    def input_length(self) -> int:
        """The length of the input (an error for a setting without one)."""
        if self.input is None:
            raise ValueError("this setting has no input")
        return len(self.input[0])

    @property
    def single(self) -> bool:
        return self.in_channels == 1 and self.out_channels == 1

    def layer(self) -> str:
        """The layer as PyTorch code: ``nn.Conv1d(1, 1, kernel_size=3, stride=2)``, defaults left out.

        >>> setting("conv1d", {"input_length": 5, "kernel_size": 3, "stride": 2, "padding_mode": "zeros"}).layer()
        'nn.Conv1d(1, 1, kernel_size=3, stride=2)'
        """
        parts = [str(self.in_channels), str(self.out_channels), f"kernel_size={self.kernel_size}"]
        for name, default in ARGUMENTS[self.op].items():
            value = self.arguments.get(name, default)
            if value != default:
                parts.append(f"{name}={value!r}")
        if self.bias is None and self.weight_given:
            parts.append("bias=False")
        return f"{TORCH_NAMES[self.op]}({', '.join(parts)})"


@dataclass(frozen=True)
class Exercise:
    """One question, its answer as data (what the tests compare with torch) and as the reader reads it."""

    ask: str
    setting: Setting | None  # the layer (None for a stack)
    output: int | None  # the output position asked about (reads, value)
    question: str  # HTML
    answer: Any  # int (output_length, receptive_field), tuple of input positions per tap (reads), float
    # (value), (weight shape, bias shape) (weight_shape), the error message or None (refused); the other
    # kinds' answers are described by the functions that make them
    working: str  # the answer in words or arithmetic (plain text)
    explanation: str  # HTML: the answer with its working
    why: bool = False  # the question asks why, and the explanation says why
    stack: tuple[Any, ...] | None = None  # a stack's layers (conv_docs.receptive_field.Layer), from the input up
    options: dict[str, Any] = field(default_factory=dict)  # the ask's own options (cell, outputs, length, ...)


def _first_line(source: str) -> str:
    return next((line.strip() for line in source.splitlines() if line.strip()), "")


def _fail(source: str, problem: str) -> FenceError:
    return FenceError("exercise", source, problem)


def _code(text: str) -> str:
    return f"<code>{html.escape(text)}</code>"


def _number(value: Any) -> str:
    from conv_docs.trace import fmt

    return fmt(float(value))


def _values(array: Any) -> str:
    """Numbers as a reader writes a list: ``[2, -1]``, ``[[2, 3], [1, 0]]``."""
    if isinstance(array, (tuple, list, np.ndarray)):
        return "[" + ", ".join(_values(item) for item in array) + "]"
    return _number(array)


def _int_option(source: str, name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _fail(source, f"{name} must be an int >= {minimum}, got {value!r}")
    return value


def setting(op: str, options: dict[str, Any], source: str = "") -> Setting:
    """The layer a ``conv1d:`` or ``conv_transpose1d:`` option describes, defaults filled in.

    >>> s = setting("conv1d", {"input": [2, 3, 4], "weight": [2, -1], "bias": 1})
    >>> s.weight, s.bias, s.input_length
    ((((2.0, -1.0),),), (1.0,), 3)
    """
    from conv_docs.reference import weight_shape

    if not isinstance(options, dict):
        raise _fail(source, f"'{op}' must be a mapping such as {{input_length: 7, kernel_size: 3}}, got {options!r}")
    allowed = LAYER_OPTIONS[op]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise _fail(source, f"unknown {op} option {unknown[0]!r}; allowed: {', '.join(allowed)}")
    if "input" in options and "input_length" in options:
        raise _fail(source, f"give either 'input' or 'input_length' in {op}, not both")
    if "weight" in options and "kernel_size" in options:
        raise _fail(source, f"give either 'weight' or 'kernel_size' in {op}, not both")
    arguments = {name: options[name] for name in ARGUMENTS[op] if name in options}
    groups = arguments.get("groups", 1)

    x = None
    if "input" in options:
        try:
            x = np.asarray(options["input"], dtype=np.float64)
        except (TypeError, ValueError):
            problem = f"input must be numbers such as [2, 3, 4] or [[2, 3], [1, 0]], got {options['input']!r}"
            raise _fail(source, problem) from None
        if x.ndim == 1:
            x = x[np.newaxis]
        if x.ndim != 2 or x.shape[1] < 1:
            raise _fail(source, f"input must be [x0, x1, ...] or one row per channel, got {options['input']!r}")

    if "weight" in options:
        try:
            w = np.asarray(options["weight"], dtype=np.float64)
        except (TypeError, ValueError):
            raise _fail(source, f"weight must be numbers such as [2, -1], got {options['weight']!r}") from None
        if w.ndim == 1:
            w = w[np.newaxis, np.newaxis]
        if w.ndim != 3 or 0 in w.shape:
            raise _fail(source, f"weight must be [w0, w1, ...] or have torch's 3-D layout, got {options['weight']!r}")
        weight_groups = groups if isinstance(groups, int) and not isinstance(groups, bool) and groups > 0 else 1
        if op == "conv1d":
            in_channels, out_channels = w.shape[1] * weight_groups, w.shape[0]
        else:
            in_channels, out_channels = w.shape[0], w.shape[1] * weight_groups
        for name, inferred in (("in_channels", in_channels), ("out_channels", out_channels)):
            if options.get(name, inferred) != inferred:
                raise _fail(source, f"{name}={options[name]!r} does not match the weight, which has {inferred}")
        kernel_size = w.shape[2]
    else:
        if "kernel_size" not in options:
            raise _fail(source, f"give 'kernel_size: N' or 'weight: [w0, w1, ...]' in {op}")
        kernel_size = _int_option(source, "kernel_size", options["kernel_size"], 1)
        default_channels = 1 if x is None else x.shape[0]
        in_channels = _int_option(source, "in_channels", options.get("in_channels", default_channels), 1)
        out_channels = _int_option(source, "out_channels", options.get("out_channels", 1), 1)
        try:
            shape = weight_shape(in_channels, out_channels, kernel_size, groups, transposed=op != "conv1d")
        except (TypeError, ValueError):
            shape = (out_channels, in_channels, kernel_size)  # refused later, by the trace, with its message
        w = np.ones(shape)

    if x is None and "input_length" in options:
        length = _int_option(source, "input_length", options["input_length"], 1)
        x = np.zeros((in_channels, length))
    elif x is not None and "in_channels" in options and options["in_channels"] != x.shape[0]:
        raise _fail(source, f"in_channels={options['in_channels']!r} does not match the input, which has {x.shape[0]}")

    bias = None
    if "bias" in options and options["bias"] is not None:
        try:
            b = np.asarray(options["bias"], dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            raise _fail(source, f"bias must be a number or one per output channel, got {options['bias']!r}") from None
        if b.size == 1 and out_channels > 1:
            b = np.repeat(b, out_channels)
        bias = tuple(float(value) for value in b)

    def tuples(array: np.ndarray) -> Any:
        return tuple(tuples(row) for row in array) if array.ndim else float(array)

    return Setting(
        op=op,
        in_channels=int(in_channels),
        out_channels=int(out_channels),
        kernel_size=int(kernel_size),
        input=None if x is None else tuples(x),
        input_given="input" in options,
        weight=tuples(w),
        weight_given="weight" in options,
        bias=bias,
        arguments=arguments,
    )


def trace_of(s: Setting) -> Any:
    """The library's trace of a setting; raises ``ValueError`` or ``TypeError`` where torch refuses it."""
    from conv_docs.trace import trace_conv1d, trace_conv_transpose1d

    function = trace_conv1d if s.op == "conv1d" else trace_conv_transpose1d
    return function(s.input, s.weight, s.bias, **s.arguments)


def _on_input(s: Setting) -> str:
    if s.input_given:
        return f"the input {_code(_values(s.input[0] if s.in_channels == 1 else s.input))}"
    if s.in_channels == 1:
        return f"an input of length {s.input_length}"
    return f"an input of {s.in_channels} channels of length {s.input_length}"


def _with_weights(s: Setting) -> str:
    if not s.weight_given:
        return ""
    weight = s.weight[0][0] if s.single else s.weight
    bias = "" if s.bias is None else f" and bias {_code(_values(s.bias[0] if len(s.bias) == 1 else s.bias))}"
    return f", with weight {_code(_values(weight))}{bias},"


def _cell_name(s: Setting, trace: Any, term: Any) -> str:
    from conv_docs.trace import fmt

    value = f" = {fmt(term.value)}" if s.input_given else ""
    if trace.op == "conv1d":
        cell = trace.cells[term.channel][term.cell]
        if cell.kind == "zeros":
            return "a padding zero"
        if cell.kind != "input":
            copied = {"reflect": "reflected", "replicate": "replicated", "circular": "wrapped around"}[cell.kind]
            return f"x[{cell.source}]{value} ({copied} into the padding)"
    return f"x[{term.source}]{value}"


def _need_output(source: str, ask: str, output: Any, trace: Any) -> int:
    last = trace.output_length - 1
    if isinstance(output, bool) or not isinstance(output, int) or not 0 <= output <= last:
        raise _fail(source, f"ask: {ask} needs 'output: t' with an int t from 0 to {last} (the layer has "
                    f"{trace.output_length} outputs), got {output!r}")  # fmt: skip
    return output


def _length_html(trace: Any) -> str:
    """The length formula with the layer's numbers, as a displayed formula that scrolls on a narrow screen."""
    return math_block(to_mathml(length_latex(trace), display=True))


def _join(words: list[str], last: str = "and") -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1]


def make_exercise(source: str) -> Exercise:
    """Read an ``exercise`` fence and compute its answer with the library; a bad fence raises FenceError."""
    options = parse_options("exercise", source)
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise _fail(source, f"unknown option {unknown[0]!r}; allowed: {', '.join(OPTIONS)}")
    ask = options.get("ask")
    if ask not in ASKS:
        raise _fail(source, f"ask must be one of {', '.join(ASKS)}, got {ask!r}")
    layers, required, optional = ASK_OPTIONS[ask]
    for name in ("output", "cell", "outputs", "length", "of", "entry", "grad_output"):
        if name in options and name not in required + optional:
            takers = [kind for kind, (_, need, may) in ASK_OPTIONS.items() if name in need + may]
            raise _fail(source, f"'{name}' goes with ask: {' or ask: '.join(takers)}, not ask: {ask}")
    given = [name for name in (*LAYERS, "stack") if name in options]
    if layers == ("stack",):
        if given != ["stack"]:
            raise _fail(source, f"ask: {ask} takes a stack: 'stack: [{{kernel_size: 3, stride: 2}}, ...]'")
        return STACK_ASKS[ask](source, options, stack_of(options["stack"], source))
    if len(given) != 1 or given[0] == "stack":
        raise _fail(source, "give the layer as one option, 'conv1d: {...}' or 'conv_transpose1d: {...}'")
    op = given[0]
    if op not in layers:
        raise _fail(source, f"ask: {ask} takes the layer as '{layers[0]}: {{...}}', got '{op}'")
    s = setting(op, options[op], source)
    if ask == "weight_shape":
        return _weight_shape(source, s)
    if s.input is None:
        raise _fail(source, f"ask: {ask} needs 'input: [...]' or 'input_length: N' in {op}")
    if ask == "refused":
        return _refused(s)
    if ask == "causal_padding":
        return _causal_padding(source, s)
    try:
        trace = trace_of(s)
    except (TypeError, ValueError) as error:
        raise _fail(source, f"this layer is refused ({error}); ask: refused asks about that") from error
    if ask == "output_length":
        return _output_length(s, trace)
    if ask == "output_padding":
        return _output_padding(source, s, trace, options.get("length"))
    if not s.single:
        raise _fail(source, f"ask: {ask} is for one input and one output channel, got in_channels={s.in_channels}, "
                    f"out_channels={s.out_channels}")  # fmt: skip
    if ask in ("reads", "value"):
        t = _need_output(source, ask, options.get("output"), trace)
        return _reads(s, trace, t) if ask == "reads" else _value(source, s, trace, t)
    if ask == "gradient":
        return _gradient(source, s, trace, options)
    if ask == "why_unread":
        return _why_unread(source, s, trace, options.get("cell"))
    return _why_terms(source, s, trace, options.get("outputs"))  # ask == "why_terms"


# --- the kinds about one layer ---------------------------------------------------------------------------------------


def _where(s: Setting) -> str:
    return "" if s.op == "conv1d" else " (a transposed convolution)"


def _weight_shape(source: str, s: Setting) -> Exercise:
    from conv_docs.reference import weight_shape

    try:
        shape = weight_shape(
            s.in_channels, s.out_channels, s.kernel_size, s.arguments.get("groups", 1), transposed=s.op != "conv1d"
        )
    except (TypeError, ValueError) as error:
        raise _fail(source, f"this layer is refused ({error}); ask: refused asks about that") from error
    layout = (
        "(out_channels, in_channels/groups, kernel_size)"
        if s.op == "conv1d"
        else "(in_channels, out_channels/groups, kernel_size)"
    )
    question = f"What shapes do the weight and the bias of {_code(s.layer())}{_where(s)} have?"
    working = f"weight {shape}, laid out as {layout}; bias ({s.out_channels},), one per output channel"
    explanation = (
        f"<p>The weight has the shape {_code(str(shape))}: {_code(layout)}. The bias has the shape "
        f"{_code(f'({s.out_channels},)')}, one number per output channel.</p>"
    )
    return Exercise("weight_shape", s, None, question, (shape, (s.out_channels,)), working, explanation)


def _refused(s: Setting) -> Exercise:
    question = f"Does {_code(s.layer())}{_with_weights(s)} accept {_on_input(s)}? If not, why not?"
    try:
        trace = trace_of(s)
    except (TypeError, ValueError) as error:
        message = str(error)
        explanation = f"<p><strong>Refused:</strong> {html.escape(message)}.</p>"
        return Exercise("refused", s, None, question, message, f"refused: {message}", explanation, why=True)
    explanation = f"<p><strong>Accepted:</strong> it gives {trace.output_length} outputs.</p>{_length_html(trace)}"
    return Exercise("refused", s, None, question, None, f"accepted: {trace.output_length} outputs", explanation)


def _output_length(s: Setting, trace: Any) -> Exercise:
    question = f"{_code(s.layer())}{_where(s)}{_with_weights(s)} reads {_on_input(s)}. How many outputs does it give?"
    explanation = f"<p><strong>{trace.output_length} outputs.</strong></p>{_length_html(trace)}"
    return Exercise("output_length", s, None, question, trace.output_length, str(trace.output_length), explanation)


def _reads(s: Setting, trace: Any, t: int) -> Exercise:
    step = trace.steps[t]
    asked = (
        f"Which inputs does output y[{t}] read, and with which weight?"
        if s.op == "conv1d"
        else f"Which inputs reach output y[{t}], and through which weight?"
    )
    question = f"{_code(s.layer())}{_where(s)} reads {_on_input(s)}, positions x[0] to x[{s.input_length - 1}]. {asked}"
    answer = tuple(next((term.source for term in step.terms if term.tap == j), None) for j in range(s.kernel_size))
    verb = "reads" if s.op == "conv1d" else "brings"
    parts = [f"w{term.tap} {verb} {_cell_name(s, trace, term)}" for term in step.terms]
    missing = [f"w{j}" for j in range(s.kernel_size) if all(term.tap != j for term in step.terms)]
    working = f"y[{t}]: {_join(parts)}" if parts else f"y[{t}]: no input, only the bias"
    if missing:  # only a transposed convolution has taps that bring nothing to an output
        working += f"; {_join(missing)} bring{'s' if len(missing) == 1 else ''} nothing to it"
    explanation = f"<p>{html.escape(working)}.</p>"
    if trace.unread:
        unread = _join([f"x[{i}]" for _, i in trace.unread], "or")
        explanation = explanation[:-4] + f" No output of this layer reads {html.escape(unread)}.</p>"
    return Exercise("reads", s, t, question, answer, working, explanation)


def _value(source: str, s: Setting, trace: Any, t: int) -> Exercise:
    if not s.input_given or not s.weight_given:
        raise _fail(source, "ask: value needs the numbers: 'input: [...]' and 'weight: [...]' in the layer")
    step = trace.steps[t]
    question = f"{_code(s.layer())}{_where(s)}{_with_weights(s)} reads {_on_input(s)}. What is output y[{t}]?"
    working = step.arithmetic()
    explanation = f"<p><strong>{_number(step.output)}.</strong> y[{t}] = {_code(step.formula())} = {_code(working)}</p>"
    return Exercise("value", s, t, question, step.output, working, explanation)


def _causal_padding(source: str, s: Setting) -> Exercise:
    """Answer: ``((left, right), kept, total)``: ``F.pad(x, (left, right))`` makes the layer causal with all its
    outputs; with ``padding=left`` on both sides the layer gives ``total`` outputs, of which the first ``kept``
    are the causal ones."""
    from conv_docs.causal import causal_padding, trace_causal_conv1d
    from conv_docs.trace import trace_conv1d

    not_here = [
        name for name, value in s.arguments.items() if name != "dilation" and value != ARGUMENTS["conv1d"][name]
    ]
    if not_here:
        name = not_here[0]
        raise _fail(source, f"ask: causal_padding takes kernel_size (or weight), dilation and the input only; "
                    f"leave out {name} (the question is which padding makes the layer causal)")  # fmt: skip
    if not s.single:
        raise _fail(source, f"ask: causal_padding is for one input and one output channel, got in_channels="
                    f"{s.in_channels}, out_channels={s.out_channels}")  # fmt: skip
    d, k, length = s.arguments.get("dilation", 1), s.kernel_size, s.input_length
    try:
        left = causal_padding(k, d)
        causal = trace_causal_conv1d(s.input, s.weight, s.bias, dilation=d)
        both = trace_conv1d(s.input, s.weight, s.bias, padding=left, dilation=d)
    except (TypeError, ValueError) as error:
        raise _fail(source, f"this layer is refused ({error})") from error
    total = both.output_length
    first, last_kept = causal.steps[0], both.steps[length - 1]

    def reads(trace: Any, step: Any) -> str:
        return _join([_cell_name(s, trace, term) for term in step.terms])

    layer = _code(s.layer())
    question = (
        f"{layer} reads {_on_input(s)}. To make it causal, so that y[t] reads no input after x[t], how many zeros "
        f"do you add with {_code('F.pad')}, on which side, and why that many? If you gave the layer its own "
        f"{_code('padding')} instead, how much, and which of its outputs would you keep?"
    )
    span = d * (k - 1) + 1
    working = f"F.pad(x, ({left}, 0)), {length} outputs; or padding={left}: keep y[:{length}] of {total}"
    zeros, cells = ("zero", "cell") if left == 1 else ("zeros", "cells")
    dropped = (
        f"The last output, y[{length}], reads padding after x[{length - 1}]: its window ends after the input does. "
        "Drop it."
        if left == 1
        else f"The last {left} outputs, from y[{length}] on, read padding after x[{length - 1}]: windows that end "
        "after the input does. Drop them."
    )
    explanation = (
        f"<p><strong>{_code(f'F.pad(x, ({left}, 0))')}</strong>: {left} {zeros} on the left, none on the right. "
        f"A window spans dilation*(kernel_size - 1) + 1 = {d}*({k} - 1) + 1 = {span} cells, and the window of "
        f"y[t] must end at x[t], so it starts {left} {cells} earlier: y[0] needs {left} {cells} before x[0], "
        f"and reads {html.escape(reads(causal, first))}. The layer then gives {length} outputs, all causal. "
        f"Fewer zeros would give fewer outputs than inputs; more would make every output wait.</p>"
        f"<p>With {_code(f'padding={left}')} the layer pads both sides and gives {total} outputs. Keep "
        f"{_code(f'y[:{length}]')}: y[{length - 1}] reads {html.escape(reads(both, last_kept))}, and every "
        f"window ends at its own step. {dropped}</p>"
    )
    answer = ((left, 0), length, total)
    return Exercise("causal_padding", s, None, question, answer, working, explanation, why=True)


def _output_padding(source: str, s: Setting, trace: Any, wanted: Any) -> Exercise:
    """Answer: the ``output_padding`` that makes the transposed layer give ``length`` outputs."""
    from conv_docs.params import output_length

    if "output_padding" in s.arguments:
        raise _fail(source, "ask: output_padding asks for the output_padding: leave it out of conv_transpose1d")
    stride, dilation = s.arguments.get("stride", 1), s.arguments.get("dilation", 1)
    padding, k, length = s.arguments.get("padding", 0), s.kernel_size, s.input_length
    shortest = trace.output_length
    # every length nn.Conv1d with the same arguments maps to this input length: the lengths the layer may be asked for
    lengths = [
        n for n in range(shortest, shortest + stride) if output_length(n, k, stride, padding, dilation) == length
    ]
    if isinstance(wanted, bool) or not isinstance(wanted, int) or wanted not in lengths:
        allowed = _join([str(n) for n in lengths], "or")
        raise _fail(source, f"length must be {allowed} (the lengths nn.Conv1d with kernel_size={k}, stride={stride}, "
                    f"padding={padding}, dilation={dilation} maps to {length}), got {wanted!r}")  # fmt: skip
    op = wanted - shortest
    limit = max(stride, dilation)
    if op >= limit:  # torch's rule; with the lengths above it cannot happen, but the page must not say otherwise
        raise _fail(source, f"output_padding={op} would be refused: it must be below max(stride, dilation) = {limit}")
    layer = _code(s.layer())
    conv_args = "".join(
        f", {name}={value}" for name, value in (("stride", stride), ("padding", padding), ("dilation", dilation))
        if value != ARGUMENTS["conv1d"][name]
    )  # fmt: skip
    conv = _code(f"nn.Conv1d(1, 1, kernel_size={k}{conv_args})")
    question = (
        f"{layer} reads {_on_input(s)} and should give back {wanted} outputs: the length of the input that {conv} "
        f"turned into these {length}. What {_code('output_padding')} does it need, and why?"
    )
    many = (
        f"maps each of the lengths {_join([str(n) for n in lengths])} to {length}: the length formula divides by "
        f"the stride, {stride}, and rounds down"
        if len(lengths) > 1
        else f"maps only the length {lengths[0]} to {length}"
    )
    working = f"output_padding={op}: {shortest} + {op} = {wanted}"
    explanation = (
        f"<p><strong>{_code(f'output_padding={op}')}</strong>. {conv} {many}. Given {length} inputs, the "
        f"transposed layer cannot know which length it came from and gives the shortest, {shortest}:</p>"
        f"{_length_html(trace)}"
        f"<p>{_code('output_padding')} adds cells at the end: {shortest} + {op} = {wanted}. A stride of {stride} "
        f"folds {stride} length{'s' if stride > 1 else ''} into one, so a round trip needs values from 0 to "
        f"{stride - 1}; torch's own rule accepts output_padding below max(stride, dilation) = {limit}.</p>"
    )
    return Exercise("output_padding", s, None, question, op, working, explanation, why=True, options={"length": wanted})


def _gradient(source: str, s: Setting, trace: Any, options: dict[str, Any]) -> Exercise:
    """Answer: ``(terms, value)``; a term is ``(t, j)`` for ``of: input`` (output ``y[t]`` read ``x[entry]``
    through ``w[j]``), ``(t, i)`` for ``of: weight`` (output ``y[t]`` read ``x[i]`` through ``w[entry]``; ``i`` is
    None for a padding zero), ``t`` for ``of: bias``. The gradients come from
    :mod:`conv_docs.figures.gradients`, which reads them off the traces."""
    from conv_docs.figures.gradients import input_gradient_trace, weight_gradient_terms
    from conv_docs.trace import signed_sum

    if not s.input_given or not s.weight_given:
        raise _fail(source, "ask: gradient needs the numbers: 'input: [...]' and 'weight: [...]' in the layer")
    unusual = [name for name in ("groups", "padding_mode") if s.arguments.get(name, ARGUMENTS["conv1d"][name])
               != ARGUMENTS["conv1d"][name]]  # fmt: skip
    if unusual or isinstance(s.arguments.get("padding", 0), str):
        name = unusual[0] if unusual else "padding"
        raise _fail(source, f"ask: gradient takes stride, an int padding (zeros) and dilation; leave out {name}="
                    f"{s.arguments[name]!r}")  # fmt: skip
    of = options.get("of")
    if of not in GRADIENT_OF:
        raise _fail(source, f"of must be one of {', '.join(GRADIENT_OF)}, got {of!r}")
    entry = options.get("entry")
    if of == "bias":
        if entry is not None:
            raise _fail(source, "'entry' goes with of: input or of: weight; the bias of one channel has one entry")
        if s.bias is None:
            raise _fail(source, "of: bias needs a layer with a bias: give 'bias: b' in conv1d")
    else:
        last = s.input_length - 1 if of == "input" else s.kernel_size - 1
        if isinstance(entry, bool) or not isinstance(entry, int) or not 0 <= entry <= last:
            raise _fail(source, f"of: {of} needs 'entry: i' with an int i from 0 to {last}, got {entry!r}")
    g = options.get("grad_output")
    if g is None:
        g, g_text = [1.0] * trace.output_length, "all ones (the loss is y.sum())"
    else:
        try:
            g = [float(value) for value in np.asarray(g, dtype=np.float64).reshape(-1)]
        except (TypeError, ValueError):
            raise _fail(source, f"grad_output must be numbers such as [1, -1], got {g!r}") from None
        if len(g) != trace.output_length:
            raise _fail(source, f"grad_output must have one number per output ({trace.output_length}), got {len(g)}")
        g_text = _code(_values(g))
    x, w = list(s.input[0]), list(s.weight[0][0])
    params = {name: s.arguments.get(name, ARGUMENTS["conv1d"][name]) for name in ("stride", "padding", "dilation")}
    if of == "input":
        step = input_gradient_trace(x, w, g, **params).steps[entry]  # a term: g[t] (its source t) times w[j]
        used = sorted(step.terms, key=lambda term: term.source)
        terms = tuple((term.source, term.tap) for term in used)
        symbols = [f"g[{t}]*w{j}" for t, j in terms]
        numbers = [f"{_number(term.value)}*{_paren(term.weight)}" for term in used]
        value, name = step.output, f"dL/dx[{entry}]"
        said = [f"y[{t}] reads x[{entry}] through w{j}" for t, j in terms]
        why = "each output that reads it sends its own gradient back through the weight it used"
    elif of == "weight":
        uses, value = weight_gradient_terms(x, w, g, **params)[entry]
        terms = tuple((t, term.source) for t, term in uses)
        symbols = [f"g[{t}]*" + ("0" if i is None else f"x[{i}]") for t, i in terms]
        numbers = [f"{_number(g[t])}*{_paren(term.value)}" for t, term in uses]
        name = f"dL/dw{entry}"
        said = [f"y[{t}] put w{entry} on " + ("a padding zero" if i is None else f"x[{i}]") for t, i in terms]
        why = "each output used the weight once, on the cell its window put under it"
    else:
        terms = tuple(range(trace.output_length))
        symbols = [f"g[{t}]" for t in terms]
        numbers = [_paren(value) for value in g]
        value, name = sum(g), "dL/db"
        said = []
        why = "The bias is added once to every output, with a weight of 1"
    question = (
        f"y = {_code(s.layer())}{_with_weights(s)} on {_on_input(s)}, and a loss L with dL/dy = g = {g_text}. "
        f"What does the gradient {name} add up, term by term, and what is it?"
    )
    if not terms:
        working = f"{name} = 0: no output reads x[{entry}]"
        explanation = (
            f"<p><strong>Nothing: {name} = 0.</strong> No output reads x[{entry}], so no output's gradient "
            "comes back to it.</p>"
        )
    else:
        working = f"{name} = {signed_sum(symbols)} = {signed_sum(numbers)} = {_number(value)}"
        because = f"{html.escape(_join(said))}: {why}" if said else why
        explanation = (
            f"<p><strong>{_code(f'{name} = {signed_sum(symbols)}')} = {_code(signed_sum(numbers))} = "
            f"{_number(value)}.</strong> {because}.</p>"
        )
    extra = {"of": of, "entry": entry, "grad_output": tuple(g)}
    return Exercise("gradient", s, None, question, (terms, value), working, explanation, options=extra)


def _paren(value: float) -> str:
    text = _number(value)
    return f"({text})" if text.startswith("-") else text


def _why_unread(source: str, s: Setting, trace: Any, cell: Any) -> Exercise:
    """Answer: the reason, ``"past the end"``, ``"between windows"``, ``"between taps"`` or ``"cropped"``."""
    unread = [i for _, i in trace.unread]
    if isinstance(cell, bool) or not isinstance(cell, int) or cell not in unread:
        if not unread:
            raise _fail(source, "ask: why_unread needs an input no output reads, and this layer reads every input")
        readers = [step.position for step in trace.steps for term in step.terms if term.source == cell]
        said = f"y[{readers[0]}] reads x[{cell}]; " if readers else ""
        allowed = _join([f"{i}" for i in unread], "or")
        raise _fail(source, f"{said}cell must be an input no output reads: {allowed}, got {cell!r}")
    d, stride, k = trace.dilation, trace.stride, trace.kernel_size

    def window(t: int) -> str:
        return _join([_cell_name(s, trace, term) for term in trace.steps[t].terms])

    if trace.op == "conv_transpose1d":
        p = trace.cropped
        lands = [str(cell * stride + j * d - p) for j in range(k)]
        reason = "cropped"
        text = (
            f"x[{cell}] lands on output positions {cell}*{stride} + {'j' if d == 1 else f'j*{d}'}"
            f"{f' - {p}' if p else ''} for the taps j = 0 to {k - 1}: "
            f"{_join(lands)}. The output runs from y[0] to y[{trace.output_length - 1}]: padding={p} crops "
            f"{'it' if k == 1 else 'every one of them'}."
        )
    else:
        left = trace.padding[0]
        q = cell + left  # its cell in the padded input
        spans = [t for t in range(trace.output_length) if t * stride <= q <= t * stride + d * (k - 1)]
        last = trace.output_length - 1
        if spans:
            reason = "between taps"
            covering = "; ".join(f"y[{t}] reads {window(t)}" for t in spans)
            text = (
                f"Windows span x[{cell}] but their taps, {d} cells apart (dilation={d}), step over it: "
                f"{covering}. Each window starts {stride} cell{'s' if stride > 1 else ''} after the last "
                f"(stride={stride}), and none puts a tap on x[{cell}]."
            )
        elif q > last * stride + d * (k - 1):
            reason = "past the end"
            start, padded = (last + 1) * stride, left + s.input_length + trace.padding[1]
            if padded == s.input_length:
                where = f"at x[{start}] and need x[{start + d * (k - 1)}], past the end of the input, x[{padded - 1}]"
            else:
                where = (
                    f"at cell {start} of the padded input and need cell {start + d * (k - 1)}, past its end "
                    f"(cells 0 to {padded - 1})"
                )
            text = (
                f"The last output, y[{last}], reads {window(last)}. A next window would start {where}: the length "
                f"formula rounds down, so there is no y[{last + 1}], and x[{cell}] is left over."
            )
        else:
            reason = "between windows"
            before = max(t for t in range(trace.output_length) if t * stride <= q)
            text = (
                f"y[{before}] reads {window(before)}, and y[{before + 1}] starts {stride} cells after y[{before}] "
                f"does: the stride, {stride}, is longer than a window, which spans {d * (k - 1) + 1} "
                f"cell{'s' if d * (k - 1) else ''}, so x[{cell}] falls between two windows."
            )
    asked = f"Why does no output read x[{cell}]?" if s.op == "conv1d" else f"Why does x[{cell}] reach no output?"
    question = f"{_code(s.layer())}{_where(s)} reads {_on_input(s)}. {asked}"
    working = f"x[{cell}] is unread: {reason}"
    explanation = (
        f"<p>{html.escape(text)}</p><p>So x[{cell}] changes no output, and its gradient is 0.</p>{_length_html(trace)}"
    )
    return Exercise("why_unread", s, None, question, reason, working, explanation, why=True, options={"cell": cell})


def _why_terms(source: str, s: Setting, trace: Any, outputs: Any) -> Exercise:
    """Answer: ``(terms of y[a], terms of y[b])``, the number of products each output adds up."""
    last = trace.output_length - 1
    if (
        not isinstance(outputs, list)
        or len(outputs) != 2
        or any(isinstance(t, bool) or not isinstance(t, int) or not 0 <= t <= last for t in outputs)
        or outputs[0] == outputs[1]
    ):
        raise _fail(source, f"outputs must be two different output positions [a, b], each from 0 to {last}, "
                    f"got {outputs!r}")  # fmt: skip
    a, b = outputs
    counts = [len(trace.steps[t].terms) for t in (a, b)]
    if counts[0] == counts[1]:
        by_count: dict[int, int] = {}
        for step in trace.steps:
            by_count.setdefault(len(step.terms), step.position)
        example = [f"y[{t}] ({n})" for n, t in sorted(by_count.items())]
        hint = f"e.g. {_join(example)}" if len(example) > 1 else "and every output of this layer adds as many"
        raise _fail(source, f"y[{a}] and y[{b}] both add {counts[0]} term{'s' if counts[0] != 1 else ''}; outputs must "
                    "name two outputs that add "
                    f"different numbers of terms: {hint}")  # fmt: skip
    from conv_docs.overlap import overlap_pattern

    stride, p, d, k = trace.stride, trace.cropped, trace.dilation, trace.kernel_size
    shift = f" - {p}" if p else ""
    tap = "j" if d == 1 else f"j*{d}"

    def because(o: int) -> str:
        found = []
        for j in range(k):
            offset = o + p - j * d
            if offset % stride:
                continue
            i = offset // stride
            term = next((term for term in trace.steps[o].terms if term.tap == j), None)
            found.append(f"w{j} brings x[{i}]" if term is not None else f"w{j} would bring x[{i}], which is not there")
        if not found:
            return f"no tap j makes {o}{f' + {p}' if p else ''} - {tap} a multiple of {stride}"
        return _join(found)

    more, fewer = (a, b) if counts[0] > counts[1] else (b, a)
    question = (
        f"{_code(s.layer())} reads {_on_input(s)}. Why does y[{more}] add up more terms x[i]*w[j] than y[{fewer}]?"
    )
    rule = (
        f"Input x[i] lands on output i*{stride} + {tap}{shift} through tap j, so y[o] gets a term from tap j "
        f"only where o{f' + {p}' if p else ''} - {tap} is a multiple of the stride, {stride}, and the input it "
        "names exists."
    )
    lines = [f"y[{t}] adds {len(trace.steps[t].terms)}: {because(t)}" for t in (more, fewer)]
    working = "; ".join(lines)
    explanation = f"<p>{html.escape(rule)}</p><p>{html.escape(lines[0])}.<br>{html.escape(lines[1])}.</p>"
    pattern = overlap_pattern(k, stride, d)  # the taps that line up with y[o], by the remainder of o + p
    if pattern[(more + p) % stride] != pattern[(fewer + p) % stride]:
        explanation += (
            f"<p>Away from the ends the counts repeat every {stride} outputs, {pattern}, by the remainder of "
            f"o{f' + {p}' if p else ''} divided by {stride}: tap j serves the remainder of {tap} divided by "
            f"{stride}, and the {k} taps do not share out evenly among the {stride} remainders. So even an input "
            "of ones comes out striped.</p>"
        )
    else:
        explanation += (
            f"<p>As many taps line up with both outputs, but near the ends of the output some of them name an "
            f"input before x[0] or after x[{s.input_length - 1}], which is not there: outputs at the ends add "
            "fewer terms.</p>"
        )
    return Exercise(
        "why_terms", s, None, question, tuple(counts), working, explanation, why=True, options={"outputs": (a, b)}
    )


# --- the kinds about a stack -----------------------------------------------------------------------------------------


def stack_of(layers: Any, source: str = "") -> tuple[Any, ...]:
    """The layers of a ``stack:`` option, as :class:`conv_docs.receptive_field.Layer`, checked.

    >>> stack_of([{"kernel_size": 3, "stride": 2}, {"kernel_size": 2, "dilation": 2}])
    (Layer(kernel_size=3, stride=2, dilation=1, padding=0), Layer(kernel_size=2, stride=1, dilation=2, padding=0))
    """
    from conv_docs.receptive_field import Layer

    example = "[{kernel_size: 3, stride: 2}, {kernel_size: 3}]"
    if not isinstance(layers, list) or not layers:
        raise _fail(source, f"stack must be a list of layers such as {example}, got {layers!r}")
    built = []
    for number, layer in enumerate(layers, start=1):
        if not isinstance(layer, dict):
            raise _fail(source, f"stack layer {number} must be a mapping such as {{kernel_size: 3}}, got {layer!r}")
        unknown = sorted(set(layer) - set(STACK_OPTIONS))
        if unknown:
            raise _fail(source, f"unknown stack option {unknown[0]!r} in layer {number}; allowed: "
                        f"{', '.join(STACK_OPTIONS)}")  # fmt: skip
        if "kernel_size" not in layer:
            raise _fail(source, f"stack layer {number} needs 'kernel_size: K'")
        try:
            built.append(Layer(**layer))
        except (TypeError, ValueError) as error:
            raise _fail(source, f"stack layer {number}: {error}") from None
    return tuple(built)


def _stack_text(stack: tuple[Any, ...]) -> str:
    """The stack in words: ``3 nn.Conv1d layers, from the input up, with kernel sizes 3, 3, 3 and strides 2, 1, 1``."""

    def listed(name: str) -> str:
        return ", ".join(str(getattr(layer, name)) for layer in stack)

    if len(stack) == 1:
        return f"One {_code(_layer_code(stack[0]))}"
    parts = [f"kernel sizes {listed('kernel_size')}"]
    for name, plural in (("stride", "strides"), ("dilation", "dilations")):
        if any(getattr(layer, name) != 1 for layer in stack):
            parts.append(f"{plural} {listed(name)}")
    return f"{len(stack)} {_code('nn.Conv1d')} layers, from the input up, with {_join(parts)}"


def _layer_code(layer: Any) -> str:
    extra = "".join(f", {name}={getattr(layer, name)}" for name in ("stride", "dilation") if getattr(layer, name) != 1)
    return f"nn.Conv1d(1, 1, kernel_size={layer.kernel_size}{extra})"


def _jumps(stack: tuple[Any, ...]) -> list[int]:
    """For each layer, how many input cells apart two neighbouring cells of its own input sit."""
    jumps, jump = [], 1
    for layer in stack:
        jumps.append(jump)
        jump *= layer.stride
    return jumps


def _receptive_field(source: str, options: dict[str, Any], stack: tuple[Any, ...]) -> Exercise:
    """Answer: the receptive field of one output of the last layer, in input cells."""
    from conv_docs.receptive_field import footprint, receptive_fields

    try:
        fields = receptive_fields(stack)
        seen = footprint(stack, 0)[0]
    except (TypeError, ValueError) as error:
        raise _fail(source, f"this stack is refused ({error})") from error
    field_size = fields[-1]
    jumps = _jumps(stack)
    widths = [after - before for before, after in zip([1, *fields[:-1]], fields, strict=True)]
    cells = [layer.dilation * (layer.kernel_size - 1) for layer in stack]
    if [c * jump for c, jump in zip(cells, jumps, strict=True)] != widths:  # the words and the library must agree
        raise ValueError(f"the widths {cells} times the jumps {jumps} are not the library's {widths}")
    working = f"1 + {' + '.join(f'{c}*{jump}' for c, jump in zip(cells, jumps, strict=True))} = {field_size}"
    rows = "".join(
        f"<li>layer {number}, {_code(_layer_code(layer))}: {c} more cell{'s' if c != 1 else ''} of its own input, "
        f"which sit {jump} input cell{'s' if jump > 1 else ''} apart: + {c}*{jump} = {after}</li>"
        for number, (layer, c, jump, after) in enumerate(zip(stack, cells, jumps, fields, strict=True), 1)
    )
    gaps = sorted(set(range(seen[0], seen[-1] + 1)).difference(seen))
    holes = (
        f" Inside it, output 0 skips {len(gaps)} cell{'s' if len(gaps) > 1 else ''}"
        f" ({html.escape(_first_cells(gaps))}): the field counts from the first cell to the last."
        if gaps
        else ""
    )
    explanation = (
        f"<p><strong>{field_size} input cells.</strong> Start from 1 cell. From the input up, each layer widens "
        "the window by dilation*(kernel_size - 1) cells of its own input, and neighbouring cells of its input sit "
        "as many input cells apart as the strides below it multiply to:</p>"
        f"<ol>{rows}</ol><p>{_code(working)}: output 0 depends on x[{seen[0]}] to x[{seen[-1]}].{holes}</p>"
    )
    question = (
        f"{_stack_text(stack)}. How many cells of the input wide is the receptive field of one output of the last "
        "layer?"
    )
    return Exercise("receptive_field", None, None, question, field_size, working, explanation, stack=stack)


def _first_cells(cells: list[int], most: int = 6) -> str:
    shown = ", ".join(f"x[{i}]" for i in cells[:most])
    return shown + (", ..." if len(cells) > most else "")


def _why_hole(source: str, options: dict[str, Any], stack: tuple[Any, ...]) -> Exercise:
    """Answer: the number of the first layer (from 1, from the input up) whose taps are further apart than the
    layers below it reach, which is where the holes of the field open."""
    from conv_docs.receptive_field import footprint, receptive_fields

    try:
        fields = receptive_fields(stack)
        levels = footprint(stack, 0)
    except (TypeError, ValueError) as error:
        raise _fail(source, f"this stack is refused ({error})") from error
    seen = levels[0]
    gaps = sorted(set(range(seen[0], seen[-1] + 1)).difference(seen))
    cell = options.get("cell")
    if isinstance(cell, bool) or not isinstance(cell, int) or cell not in gaps:
        if not gaps:
            raise _fail(source, "ask: why_hole needs a stack whose field has holes, and output 0 of this one depends "
                        f"on every cell from x[0] to x[{seen[-1]}]")  # fmt: skip
        allowed = _join([str(i) for i in gaps[:8]] + (["..."] if len(gaps) > 8 else []), "or")
        raise _fail(source, f"cell must be a cell inside the field that output 0 does not depend on: {allowed}, "
                    f"got {cell!r}")  # fmt: skip
    jumps = _jumps(stack)
    below = [1, *fields[:-1]]  # how many input cells the layers below a layer reach, from one of its input cells
    steps = [layer.dilation * jump for layer, jump in zip(stack, jumps, strict=True)]
    opening = next(n for n, (step, width) in enumerate(zip(steps, below, strict=True), 1) if step > width)
    down = []
    for number in range(len(stack), 0, -1):
        cells = levels[number - 1]
        if number == 1:
            read = _join([f"x[{c}]" for c in cells]) if len(cells) <= 12 else _first_cells(cells, 12)
        else:
            read = (
                f"cells {_join([str(c) for c in cells]) if len(cells) <= 12 else _first_cells(cells, 12)} of its input"
            )
        down.append(f"layer {number}, {_code(_layer_code(stack[number - 1]))}, reads {html.escape(read)}")
    layer, step, width = stack[opening - 1], steps[opening - 1], below[opening - 1]
    left_out = (
        f"{step - width} cells between two neighbouring taps are"
        if step - width > 1
        else ("1 cell between two neighbouring taps is")
    )
    text = (
        f"The holes open at layer {opening}: its taps are dilation*jump = {layer.dilation}*{jumps[opening - 1]} = "
        f"{step} input cells apart, but from one cell of its input the layers below reach only {width} input "
        f"cell{'s' if width > 1 else ''}, so {left_out} never reached."
    )
    factor = math.gcd(*steps)
    if factor > 1:
        text += (
            f" Every layer's taps are a multiple of {factor} input cells apart ({', '.join(map(str, steps))}), so "
            f"output 0 depends only on cells that are multiples of {factor}, however many layers are stacked, and "
            f"x[{cell}] is not one."
        )
    question = (
        f"{_stack_text(stack)}. Output 0 of the last layer depends on x[{seen[0]}] and x[{seen[-1]}], the two ends "
        f"of its receptive field. Why does it not depend on x[{cell}]?"
    )
    explanation = (
        f"<p>Going down from output 0: {'; '.join(down)}. x[{cell}] is not among them.</p><p>{html.escape(text)}</p>"
    )
    working = f"layer {opening} opens the holes; x[{cell}] is one of {len(gaps)}"
    return Exercise("why_hole", None, None, question, opening, working, explanation, why=True, stack=stack,
                    options={"cell": cell})  # fmt: skip


STACK_ASKS = {"receptive_field": _receptive_field, "why_hole": _why_hole}


def render(exercise: Exercise) -> str:
    """The HTML of an exercise: the question, and the answer in a ``<details>`` block that works without script."""
    return (
        f'<div class="conv-exercise">\n<p><strong>Predict, then check.</strong> {exercise.question}</p>\n'
        f"<details><summary>Answer</summary>\n{exercise.explanation}\n</details>\n</div>"
    )


def format_exercise(source: str, language: str, class_name: str, options: Any, md: Any, **kwargs: Any) -> str:
    """The superfences formatter of the ``exercise`` fence; a bad one is shown as an error in its place, which the
    hook :mod:`conv_docs.site.build_errors` logs (see :mod:`conv_docs.site.fence_errors`)."""
    try:
        return render(make_exercise(source))
    except FenceError as error:
        return error_html(error)
