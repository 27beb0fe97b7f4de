"""Read a model as ``print(model)`` shows it, and keep the layers that change the length of the time axis.

PyTorch prints a module as its class name and arguments, and a module with children as a block, one child a line
as ``(name): Child(...)``, however deeply nested: ``Sequential``, ``ModuleList`` (where ``(1-4): 4 x Block(``
stands for four equal children), ``ModuleDict`` and the custom blocks of a library such as Hugging Face's
``Wav2Vec2GroupNormConvLayer``. :func:`read_printed_model` walks that text and keeps, **in printed order, which
is taken as the order they run in**, every ``Conv1d``, ``ConvTranspose1d``, ``MaxPool1d``, ``AvgPool1d`` and
padding layer (``ConstantPad1d``, ``ZeroPad1d``, ``ReflectionPad1d``, ``ReplicationPad1d``, ``CircularPad1d``),
as a :class:`conv_docs.stack.StackLayer` named by its dotted path (the name ``model.named_modules()`` gives it).

Printed order is all the text tells: a ``forward`` that runs its children in another order, skips one, or runs
branches side by side (a text CNN's three window sizes) is not visible in it. Give such a model one branch at a
time.

Layers that keep the length (activations, normalisations, dropout, ``Linear`` on the channels, recurrent layers)
are skipped. A layer it does not know is taken to keep the length and named in a note; one that clearly has a
window (a ``kernel_size`` or ``stride``) is refused, as are 2-D and 3-D layers and 1-D layers that change the
length in another way (``Upsample``, adaptive pools, ``Flatten``). Every problem is one line that names the line
of the text. The text may have at most :data:`MAX_TEXT` characters.

>>> text = '''Sequential(
...   (0): Conv1d(1, 512, kernel_size=(10,), stride=(5,), bias=False)
...   (1): GELU(approximate='none')
...   (2): Conv1d(512, 512, kernel_size=(3,), stride=(2,), bias=False)
... )'''
>>> layers = read_printed_model(text).layers
>>> [(layer.name, layer.describe(), layer.line) for layer in layers]
[('0', 'Conv1d k=10 s=5', 2), ('2', 'Conv1d k=3 s=2', 4)]
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from conv_docs.stack import CONVS, KINDS, PADS, POOLS, StackLayer

MAX_TEXT = 1_000_000
"""The longest text read, in characters (a printed model of thousands of lines is a few hundred thousand)."""
MAX_VALUE = 40
"""The longest argument value read, in characters."""
MAX_PROBLEMS = 10
"""At most this many problems are reported, the first ones."""

KEEP_LENGTH = frozenset(
    (
        "ReLU",
        "ReLU6",
        "LeakyReLU",
        "PReLU",
        "RReLU",
        "ELU",
        "SELU",
        "CELU",
        "GELU",
        "SiLU",
        "Mish",
        "Sigmoid",
        "Tanh",
        "Hardtanh",
        "Hardswish",
        "Hardsigmoid",
        "Softplus",
        "Softsign",
        "Softshrink",
        "Hardshrink",
        "Tanhshrink",
        "Threshold",
        "LogSigmoid",
        "Softmax",
        "LogSoftmax",
        "Softmin",
        "Identity",
        "BatchNorm1d",
        "LayerNorm",
        "GroupNorm",
        "InstanceNorm1d",
        "LocalResponseNorm",
        "RMSNorm",
        "SyncBatchNorm",
        "Dropout",
        "Dropout1d",
        "AlphaDropout",
        "FeatureAlphaDropout",
        "Linear",
        "Bilinear",
        "LazyLinear",
        "NonDynamicallyQuantizableLinear",
        "Embedding",
        "LSTM",
        "GRU",
        "RNN",
        "Conv1D",
        "_WeightNorm",
    )
)
"""Layers that keep the length of the time axis (``Conv1D``, capital D, is Hugging Face's linear layer)."""

OTHER_LENGTHS = frozenset(
    (
        "AdaptiveAvgPool1d",
        "AdaptiveMaxPool1d",
        "LPPool1d",
        "MaxUnpool1d",
        "FractionalMaxPool1d",
        "Upsample",
        "UpsamplingNearest1d",
        "Flatten",
        "Unflatten",
        "Fold",
        "Unfold",
        "PixelShuffle",
        "PixelUnshuffle",
        "EmbeddingBag",
    )
)
"""1-D layers that change the length in a way a stack of windows does not describe."""

FOLLOWED = ", ".join(KINDS)
CHILD = re.compile(r"^\((?P<key>[^()]*)\): (?:(?P<count>\d+) x )?(?P<rest>.*)$")
HEAD = re.compile(r"^(?P<cls>[A-Za-z_][A-Za-z0-9_]*)\((?P<args>.*)$")
REPEAT = re.compile(r"^(?P<first>\d+)-(?P<last>\d+)$")


class PrintedModelError(ValueError):
    """The text is not a model as torch prints it, or has a layer that cannot be followed: one line per problem,
    each naming the line of the text."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        more = len(problems) - len(self.problems)
        if more:
            self.problems.append(f"and {more} more problem{'s' if more > 1 else ''}")
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class PrintedModel:
    """The layers that change the length, in printed order, and the notes on what the text leaves unsaid."""

    layers: tuple[StackLayer, ...]
    notes: tuple[str, ...] = ()


@dataclass
class _Module:
    cls: str
    key: str
    line: int
    count: int = 1
    args: str | None = None  # the arguments of a one-line module
    extra: list[str] = field(default_factory=list)  # the argument lines of a block
    children: list[_Module] = field(default_factory=list)

    @property
    def arguments(self) -> str:
        return self.args if self.args is not None else " ".join(self.extra)


def read_printed_model(text: str) -> PrintedModel:
    """The length-changing layers of a printed model, in printed order (taken as run order), with notes.

    Raises :class:`PrintedModelError` (a ``ValueError``), one line per problem, when the text is not a printed
    model, has a layer that cannot be followed, or has no layer that changes the length.

    >>> read_printed_model('''Sequential(
    ...   (0): Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1))
    ... )''')
    Traceback (most recent call last):
    ...
    conv_docs.printed_model.PrintedModelError: line 2: Conv2d is a 2-D layer: ...
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str (the printout of a model), got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise PrintedModelError([f"the text has {len(text):,} characters, more than MAX_TEXT = {MAX_TEXT:,}"])
    root = _parse(text)
    layers: list[StackLayer] = []
    notes: dict[str, list[int]] = {}
    problems: list[str] = []
    seen: list[str] = []
    _walk(root, "", layers, notes, problems, seen)
    if problems:
        raise PrintedModelError(problems)
    if not layers:
        names = ", ".join(dict.fromkeys(seen))
        raise PrintedModelError([f"the text has no layer that changes the length ({FOLLOWED}); it has {names}"])
    return PrintedModel(tuple(layers), tuple(_note(cls, lines) for cls, lines in notes.items()))


def _note(cls: str, lines: list[int]) -> str:
    where = _lines(lines)
    if cls == "AvgPool1d":
        return f"{where}: AvgPool1d does not print its ceil_mode; taken as ceil_mode=False, torch's default"
    if cls.startswith("Parametrized"):
        return (
            f"{where}: {cls} has a parametrized weight (weight_norm): params counts the weight once, as the "
            f"layer without it has it"
        )
    return f"{where}: {cls} is not a layer conv-docs knows; taken to keep the length"


def _lines(lines: list[int]) -> str:
    unique = list(dict.fromkeys(lines))
    shown = ", ".join(map(str, unique[:5])) + (f" and {len(unique) - 5} more" if len(unique) > 5 else "")
    return f"line{'s' if len(unique) > 1 else ''} {shown}"


def _parse(text: str) -> _Module:
    """The tree of modules; raises with every line that does not fit torch's layout."""
    problems: list[str] = []
    open_blocks: list[_Module] = []
    root: _Module | None = None
    closed_at = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if root is not None and not open_blocks:
            problems.append(f"line {number}: text after the model, which ended at line {closed_at}: {_short(line)}")
            break
        if line == ")":
            if not open_blocks:
                problems.append(f"line {number}: a ')' that closes nothing")
                break
            open_blocks.pop()
            closed_at = number
            continue
        child = CHILD.match(line)
        if child and open_blocks:
            key, count, rest = child["key"], int(child["count"] or 1), child["rest"]
        elif open_blocks:
            block = open_blocks[-1]
            if block.children:
                problems.append(f"line {number}: expected '(name): Module(...)' or ')', got {_short(line)}")
            else:
                block.extra.append(line)  # an argument line of a block, before its children
            continue
        else:
            key, count, rest = "", 1, line
        head = HEAD.match(rest)
        if head is None:
            problems.append(f"line {number}: not a module as torch prints it (Name(...)): {_short(line)}")
            continue
        module = _Module(head["cls"], key, number, count)
        opens = head["args"] == ""  # "Name(": a block, closed by a line ")"
        if not opens:
            if not rest.endswith(")"):
                problems.append(f"line {number}: the line ends before its closing ')' (is the text cut short?)")
                continue
            module.args = head["args"][:-1]
        if open_blocks:
            open_blocks[-1].children.append(module)
        else:
            root, closed_at = module, number
        if opens:
            open_blocks.append(module)
    if root is None and not problems:
        problems.append("the text is empty: expected a model as print(model) shows it")
    for block in open_blocks:
        problems.append(f"line {block.line}: {block.cls}( is never closed (the text ends there)")
    if problems:
        raise PrintedModelError(problems)
    assert root is not None
    return root


def _short(line: str) -> str:
    return repr(line if len(line) <= 60 else line[:57] + "...")


def _walk(
    module: _Module,
    path: str,
    layers: list[StackLayer],
    notes: dict[str, list[int]],
    problems: list[str],
    seen: list[str],
) -> None:
    names = _names(module, path, problems)
    cls = module.cls
    seen.append(cls)
    kind = cls.removeprefix("Parametrized")
    if kind in KINDS:
        if cls != kind:
            notes.setdefault(cls, []).append(module.line)
        if kind == "AvgPool1d":
            notes.setdefault(kind, []).append(module.line)
        try:
            arguments = _arguments(kind, module.arguments)
            layers.extend(StackLayer(kind, **arguments, name=name, line=module.line) for name in names)
        except (ValueError, TypeError) as error:
            problems.append(f"line {module.line}: {kind}: {' '.join(str(error).split())}")
        return
    if re.search(r"[23]d$", cls):
        problems.append(f"line {module.line}: {cls} is a {cls[-2]}-D layer: a stack here is 1-D ({FOLLOWED})")
        return
    if cls.startswith("Lazy") and cls.removeprefix("Lazy") in CONVS:
        problems.append(
            f"line {module.line}: {cls} does not know its in_channels until it has run: print the model after "
            f"one forward pass"
        )
        return
    if cls in OTHER_LENGTHS:
        problems.append(
            f"line {module.line}: {cls} changes the length in a way conv-docs does not follow ({FOLLOWED}): "
            f"give the text up to the line before it"
        )
        return
    if module.children:
        for child in module.children:
            for name in names:
                _walk(child, f"{name}.{child.key}" if name else child.key, layers, notes, problems, seen)
        return
    if kind in KEEP_LENGTH:
        return
    if re.search(r"\b(kernel_size|stride)=", module.arguments):
        problems.append(
            f"line {module.line}: {cls} is not a layer conv-docs knows, and it has a window (kernel_size or "
            f"stride) whose effect on the length only its forward knows; if it computes as one of {FOLLOWED}, "
            f"print it under that name"
        )
        return
    notes.setdefault(cls, []).append(module.line)


def _names(module: _Module, path: str, problems: list[str]) -> list[str]:
    """The dotted names a (possibly repeated) module stands for: ``(1-4): 4 x Block(`` is blocks 1, 2, 3, 4."""
    if module.count == 1:
        return [path]
    repeat = REPEAT.match(module.key)
    if repeat is None or int(repeat["last"]) - int(repeat["first"]) + 1 != module.count:
        problems.append(f"line {module.line}: '({module.key}): {module.count} x' does not count {module.count} names")
        return []
    first = int(repeat["first"])
    parent = path.rpartition(".")[0]
    return [f"{parent}.{n}" if parent else str(n) for n in range(first, first + module.count)]


def _split(arguments: str) -> list[str]:
    """Split at the commas outside brackets and quotes."""
    parts, depth, quote, current = [], 0, "", []
    for char in arguments:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0 and not quote:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def _value(text: str) -> Any:
    if len(text) > MAX_VALUE:
        raise ValueError(f"a value of {len(text)} characters, more than MAX_VALUE = {MAX_VALUE}: {text[:20]}...")
    if re.fullmatch(r"[A-Za-z_]\w*", text) and text not in ("True", "False", "None"):
        return text  # torch prints padding=same and padding_mode=reflect without quotes
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise ValueError(f"cannot read the value {text!r}") from None


ACCEPTED = {
    "Conv1d": ("kernel_size", "stride", "padding", "dilation", "groups", "bias", "padding_mode"),
    "ConvTranspose1d": ("kernel_size", "stride", "padding", "dilation", "groups", "bias", "output_padding"),
    "MaxPool1d": ("kernel_size", "stride", "padding", "dilation", "ceil_mode"),
    "AvgPool1d": ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"),
    "ConstantPad1d": ("padding", "value"),
}
POSITIONAL = {"Conv1d": ("in_channels", "out_channels"), "ConvTranspose1d": ("in_channels", "out_channels")}
POSITIONAL.update({kind: ("padding",) for kind in PADS if kind != "ConstantPad1d"})


def _arguments(kind: str, text: str) -> dict[str, Any]:
    """The printed arguments as :class:`StackLayer` takes them."""
    positional, keywords = [], {}
    for part in _split(text):
        name, equals, value = part.partition("=")
        if equals and re.fullmatch(r"[A-Za-z_]\w*", name.strip()):
            keywords[name.strip()] = _value(value.strip())
        elif keywords:
            raise ValueError(f"a positional argument {part!r} after keyword arguments")
        else:
            positional.append(_value(part))
    allowed_positional = POSITIONAL.get(kind, ())
    if len(positional) > len(allowed_positional):
        raise ValueError(f"takes {len(allowed_positional)} positional arguments, got {len(positional)}")
    allowed = ACCEPTED.get(kind, ())
    for name in keywords:
        if name not in allowed:
            raise ValueError(f"has no argument {name!r} (it takes {', '.join(allowed_positional + allowed)})")
    arguments = dict(zip(allowed_positional, positional, strict=False)) | keywords
    missing = [name for name in allowed_positional if name not in arguments]
    if kind in CONVS + POOLS and "kernel_size" not in arguments:
        missing.append("kernel_size")
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    arguments.pop("value", None)  # what ConstantPad1d pads with does not change which inputs an output reads
    arguments.pop("count_include_pad", None)
    if kind in POOLS and arguments.get("stride") is None:
        arguments["stride"] = arguments["kernel_size"]  # torch's default: as wide as the window
    names = ("kernel_size", "stride", "dilation", "output_padding") + (() if kind in PADS else ("padding",))
    for name in names:  # torch prints (10,) for a 1-D size
        if isinstance(arguments.get(name), tuple) and len(arguments[name]) == 1:
            arguments[name] = arguments[name][0]
    return arguments
