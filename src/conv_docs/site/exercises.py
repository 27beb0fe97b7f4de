"""The ``exercise`` fence: a "predict, then check" question whose answer the library computes at build time.

An author writes the question's kind and the layer, one option per line (YAML values, ``#`` comments), the
same way as in the figure fences::

    ```exercise
    ask: output_length      # output_length, reads, value, weight_shape or refused
    conv1d: {input_length: 7, kernel_size: 3, stride: 2, padding: 1}
    ```

``conv1d:`` (or ``conv_transpose1d:``) takes the arguments of ``nn.Conv1d`` (``nn.ConvTranspose1d``) and of
the trace: ``input`` (``[2, 3, 4]`` or ``(C, L)``) or ``input_length``; ``weight`` or ``kernel_size`` (then
every weight is 1); ``in_channels``, ``out_channels``, ``bias``, ``stride``, ``padding``, ``dilation``,
``groups``, and ``padding_mode`` (``conv1d``) or ``output_padding`` (``conv_transpose1d``). ``ask: reads`` and
``ask: value`` also take ``output: t``, the output position the question is about.

The page gets the question and, folded in a ``<details>`` block that needs no script, the answer with the
working that leads to it: the length formula, the cells a step reads, the step's arithmetic, the weight's
layout, or the error the configuration gets. ``tests/test_site_exercises.py`` checks every answer of every
page against torch.

>>> exercise = make_exercise("ask: output_length\\nconv1d: {input_length: 7, kernel_size: 3, stride: 2, padding: 1}")
>>> exercise.answer
4
>>> make_exercise("ask: value\\noutput: 1\\nconv1d: {input: [2, 3, 4], weight: [2, -1], bias: 1}").working
'3*2 + 4*(-1) + 1 = 3'
>>> "<details" in format_exercise("ask: weight_shape\\nconv1d: {in_channels: 4, out_channels: 6, kernel_size: 3}",
...                               "exercise", "conv-exercise", {}, None)
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from conv_docs.site.fences import CONV_OPTIONS, FenceError, parse_options, report_error

ASKS = ("output_length", "reads", "value", "weight_shape", "refused")
LAYERS = ("conv1d", "conv_transpose1d")
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
    setting: Setting
    output: int | None  # the output position asked about (reads, value)
    question: str  # HTML
    answer: Any  # int (output_length), tuple of input positions per tap (reads), float (value),
    # (weight shape, bias shape) (weight_shape), the error message or None (refused)
    working: str  # the answer in words or arithmetic (plain text)
    explanation: str  # HTML: the answer with its working


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
    from conv_docs.site.fences import length_latex, to_mathml

    return f'<div class="conv-math" tabindex="0">{to_mathml(length_latex(trace), display=True)}</div>'


def _join(words: list[str], last: str = "and") -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1]


def make_exercise(source: str) -> Exercise:
    """Read an ``exercise`` fence and compute its answer with the library; a bad fence raises FenceError."""
    options = parse_options("exercise", source)
    allowed = ("ask", *LAYERS, "output")
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise _fail(source, f"unknown option {unknown[0]!r}; allowed: {', '.join(allowed)}")
    ask = options.get("ask")
    if ask not in ASKS:
        raise _fail(source, f"ask must be one of {', '.join(ASKS)}, got {ask!r}")
    layers = [name for name in LAYERS if name in options]
    if len(layers) != 1:
        raise _fail(source, "give the layer as one option, 'conv1d: {...}' or 'conv_transpose1d: {...}'")
    op = layers[0]
    s = setting(op, options[op], source)
    output = options.get("output")
    if output is not None and ask not in ("reads", "value"):
        raise _fail(source, f"'output' goes with ask: reads or ask: value, not ask: {ask}")
    layer = _code(s.layer())
    where = "" if s.op == "conv1d" else " (a transposed convolution)"

    if ask == "weight_shape":
        from conv_docs.reference import weight_shape

        try:
            shape = weight_shape(
                s.in_channels, s.out_channels, s.kernel_size, s.arguments.get("groups", 1), transposed=op != "conv1d"
            )
        except (TypeError, ValueError) as error:
            raise _fail(source, f"this layer is refused ({error}); ask: refused asks about that") from error
        layout = (
            "(out_channels, in_channels/groups, kernel_size)"
            if op == "conv1d"
            else "(in_channels, out_channels/groups, kernel_size)"
        )
        question = f"What shapes do the weight and the bias of {layer}{where} have?"
        working = f"weight {shape}, laid out as {layout}; bias ({s.out_channels},), one per output channel"
        explanation = (
            f"<p>The weight has the shape {_code(str(shape))}: {_code(layout)}. The bias has the shape "
            f"{_code(f'({s.out_channels},)')}, one number per output channel.</p>"
        )
        return Exercise(ask, s, None, question, (shape, (s.out_channels,)), working, explanation)

    if s.input is None:
        raise _fail(source, f"ask: {ask} needs 'input: [...]' or 'input_length: N' in {op}")

    if ask == "refused":
        question = f"Does {layer}{_with_weights(s)} accept {_on_input(s)}? If not, why not?"
        try:
            trace = trace_of(s)
        except (TypeError, ValueError) as error:
            message = str(error)
            explanation = f"<p><strong>Refused:</strong> {html.escape(message)}.</p>"
            return Exercise(ask, s, None, question, message, f"refused: {message}", explanation)
        explanation = f"<p><strong>Accepted:</strong> it gives {trace.output_length} outputs.</p>{_length_html(trace)}"
        return Exercise(ask, s, None, question, None, f"accepted: {trace.output_length} outputs", explanation)

    try:
        trace = trace_of(s)
    except (TypeError, ValueError) as error:
        raise _fail(source, f"this layer is refused ({error}); ask: refused asks about that") from error

    if ask == "output_length":
        question = f"{layer}{where}{_with_weights(s)} reads {_on_input(s)}. How many outputs does it give?"
        explanation = f"<p><strong>{trace.output_length} outputs.</strong></p>{_length_html(trace)}"
        return Exercise(ask, s, None, question, trace.output_length, str(trace.output_length), explanation)

    if not s.single:
        raise _fail(source, f"ask: {ask} is for one input and one output channel, got in_channels={s.in_channels}, "
                    f"out_channels={s.out_channels}")  # fmt: skip
    t = _need_output(source, ask, output, trace)
    step = trace.steps[t]

    if ask == "reads":
        asked = (
            f"Which inputs does output y[{t}] read, and with which weight?"
            if op == "conv1d"
            else f"Which inputs reach output y[{t}], and through which weight?"
        )
        question = f"{layer}{where} reads {_on_input(s)}, positions x[0] to x[{s.input_length - 1}]. {asked}"
        answer = tuple(next((term.source for term in step.terms if term.tap == j), None) for j in range(s.kernel_size))
        verb = "reads" if op == "conv1d" else "brings"
        parts = [f"w{term.tap} {verb} {_cell_name(s, trace, term)}" for term in step.terms]
        missing = [f"w{j}" for j in range(s.kernel_size) if all(term.tap != j for term in step.terms)]
        working = f"y[{t}]: {_join(parts)}" if parts else f"y[{t}]: no input, only the bias"
        if missing:  # only a transposed convolution has taps that bring nothing to an output
            working += f"; {_join(missing)} bring{'s' if len(missing) == 1 else ''} nothing to it"
        explanation = f"<p>{html.escape(working)}.</p>"
        if trace.unread:
            unread = _join([f"x[{i}]" for _, i in trace.unread], "or")
            explanation = explanation[:-4] + f" No output of this layer reads {html.escape(unread)}.</p>"
        return Exercise(ask, s, t, question, answer, working, explanation)

    # ask == "value"
    if not s.input_given or not s.weight_given:
        raise _fail(source, "ask: value needs the numbers: 'input: [...]' and 'weight: [...]' in the layer")
    question = f"{layer}{where}{_with_weights(s)} reads {_on_input(s)}. What is output y[{t}]?"
    working = step.arithmetic()
    explanation = f"<p><strong>{_number(step.output)}.</strong> y[{t}] = {_code(step.formula())} = {_code(working)}</p>"
    return Exercise(ask, s, t, question, step.output, working, explanation)


def render(exercise: Exercise) -> str:
    """The HTML of an exercise: the question, and the answer in a ``<details>`` block that works without script."""
    return (
        f'<div class="conv-exercise">\n<p><strong>Predict, then check.</strong> {exercise.question}</p>\n'
        f"<details><summary>Answer</summary>\n{exercise.explanation}\n</details>\n</div>"
    )


def format_exercise(source: str, language: str, class_name: str, options: Any, md: Any, **kwargs: Any) -> str:
    """The superfences formatter of the ``exercise`` fence; a bad one is reported as fences.report_error says."""
    try:
        return render(make_exercise(source))
    except FenceError as error:
        return report_error(error)
