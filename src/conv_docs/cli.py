"""The ``conv-docs`` command line: explain a convolution step by step, or draw its diagram.

``conv-docs explain`` prints the table a reader would write by hand; ``--json`` prints the trace itself.
``conv-docs draw -o figure.svg`` writes the diagram the site shows. ``conv-docs stack --length L [FILE]`` reads a
model as ``print(model)`` shows it and prints, layer by layer, the lengths, receptive field, step, parameters and
multiply-adds (``conv_docs.stack``). Bad arguments end with exit code 2
and one line on stderr that names the problem; a file that cannot be written (or a full standard output) ends
with exit code 1 and one line, and leaves no half-written file behind.

>>> main(["explain", "--input", "2,3,4", "--weight", "1,1", "--stride", "0"])
2
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from conv_docs.params import PADDING_MODES
from conv_docs.trace import Trace, fmt, trace_conv1d, trace_conv_transpose1d

PROG = "conv-docs"
DRAW_SUFFIXES = (".svg", ".png")
VALUE_OPTIONS = ("--input", "--weight", "--bias")
NUMBERS = re.compile(r"^-[\d.]")


class UsageError(Exception):
    """A bad argument: reported as one line on stderr with exit code 2."""


class WriteError(Exception):
    """A file or stream that cannot be written: reported as one line on stderr with exit code 1."""


class Parser(argparse.ArgumentParser):
    """argparse, except that an error is one line (no usage block) and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def numbers(text: str) -> list[float]:
    """Parse ``"2,3,4"`` (commas and/or spaces) into finite floats.

    >>> numbers("2, 3,-4.5")
    [2.0, 3.0, -4.5]
    """
    parts = [part for part in re.split(r"[,\s]+", text.strip()) if part]
    if not parts:
        raise argparse.ArgumentTypeError("expected comma-separated numbers, got nothing")
    values = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {part!r} in {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"expected finite numbers, got {part!r}")
        values.append(value)
    return values


def number(text: str) -> float:
    """Parse one finite number (the bias).

    >>> number("-0.5")
    -0.5
    """
    values = numbers(text)
    if len(values) != 1:
        raise argparse.ArgumentTypeError(f"expected one number, got {text!r}")
    return values[0]


def whole(text: str) -> int:
    """Parse an integer (stride, dilation, output padding); the library checks its range.

    >>> whole("2")
    2
    """
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def padding(text: str) -> int | str:
    """An integer, ``same`` or ``valid``.

    >>> padding("same"), padding("1")
    ('same', 1)
    """
    if text in ("same", "valid"):
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, 'same' or 'valid', got {text!r}") from None


def build_parser() -> Parser:
    """The argument parser for both commands."""
    common = Parser(add_help=False)
    group = common.add_argument_group("the convolution")
    group.add_argument("--input", type=numbers, required=True, help="input values, e.g. 2,3,4")
    group.add_argument("--weight", type=numbers, required=True, help="kernel weights w0,w1,..., e.g. 1,1")
    group.add_argument("--bias", type=number, default=None, help="the bias (default: none)")
    group.add_argument("--stride", type=whole, default=1, help="step between windows (default: 1)")
    group.add_argument("--padding", type=padding, default=0, help="an integer, 'same' or 'valid' (default: 0)")
    group.add_argument(
        "--padding-mode", default="zeros", metavar="MODE", help=f"one of {', '.join(PADDING_MODES)} (default: zeros)"
    )
    group.add_argument("--dilation", type=whole, default=1, help="spacing between kernel taps (default: 1)")
    group.add_argument("--transposed", action="store_true", help="a transposed convolution (ConvTranspose1d)")
    group.add_argument(
        "--output-padding", type=whole, default=0, help="cells added at the right end, with --transposed (default: 0)"
    )

    parser = Parser(
        prog=PROG,
        description="Explain a 1-D convolution step by step as torch.nn.Conv1d computes it, or draw its diagram.",
        epilog="Negative values: write --input=-1,2 or --input -1,2.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{explain,draw,stack}")
    explain = commands.add_parser("explain", parents=[common], help="print the step table (or --json)")
    explain.add_argument("--json", action="store_true", help="print the whole trace as JSON")
    draw = commands.add_parser("draw", parents=[common], help="write the step-by-step diagram to a file")
    draw.add_argument("-o", "--output", required=True, type=Path, help="figure.svg or figure.png")
    add_stack_parser(commands)
    return parser


def join_values(argv: Sequence[str]) -> list[str]:
    """Let ``--input -1,2`` mean ``--input=-1,2`` (argparse would take ``-1,2`` for an option).

    >>> join_values(["explain", "--input", "-1,2"])
    ['explain', '--input=-1,2']
    """
    out: list[str] = []
    items = list(argv)
    k = 0
    while k < len(items):
        item = items[k]
        if item in VALUE_OPTIONS and k + 1 < len(items) and NUMBERS.match(items[k + 1]):
            out.append(f"{item}={items[k + 1]}")
            k += 2
        else:
            out.append(item)
            k += 1
    return out


def make_trace(args: argparse.Namespace) -> Trace:
    """The trace the arguments describe; the library's checks raise ValueError or TypeError."""
    if args.transposed:
        if args.padding_mode != "zeros":
            raise ValueError(f"--padding-mode must be zeros with --transposed, got {args.padding_mode!r}")
        if isinstance(args.padding, str):
            raise ValueError(f"--padding must be an integer >= 0 with --transposed, got {args.padding!r}")
        return trace_conv_transpose1d(
            args.input, args.weight, args.bias, args.stride, args.padding, args.output_padding, 1, args.dilation
        )
    if args.output_padding:
        raise ValueError("--output-padding needs --transposed")
    return trace_conv1d(
        args.input, args.weight, args.bias, args.stride, args.padding, args.dilation, 1, args.padding_mode
    )


def values_text(values: Sequence[float]) -> str:
    """``[2, 3, 4]``.

    >>> values_text([2.0, -0.5])
    '[2, -0.5]'
    """
    return "[" + ", ".join(fmt(value) for value in values) + "]"


def length_lines(trace: Trace) -> list[str]:
    """The output length: the formula, then the same with this configuration's numbers."""
    length, kernel, stride, dilation = trace.input_length, trace.kernel_size, trace.stride, trace.dilation
    if trace.op == "conv_transpose1d":
        crop = trace.cropped
        return [
            "output length = (L-1)*stride - 2*padding + dilation*(K-1) + output_padding + 1",
            f"              = ({length}-1)*{stride} - 2*{crop} + {dilation}*({kernel}-1) + {trace.output_padding} + 1"
            f" = {trace.output_length}",
        ]
    left, right = trace.padding
    return [
        "output length = floor((L + left + right - dilation*(K-1) - 1) / stride) + 1",
        f"              = floor(({length} + {left} + {right} - {dilation}*({kernel}-1) - 1) / {stride}) + 1"
        f" = {trace.output_length}",
    ]


def explain_text(trace: Trace) -> str:
    """The step table a reader would write by hand, with the output length and the unread inputs.

    >>> text = explain_text(trace_conv1d([2, 3, 4], [1, 1], stride=2))
    >>> print(text.splitlines()[-1])
    never read: x[2] = 4
    """
    cells = trace.cells[0]
    lines = []
    transposed = trace.op == "conv_transpose1d"
    settings = [f"stride {trace.stride}", f"dilation {trace.dilation}"]
    if transposed:
        settings += [f"padding {trace.cropped}", f"output_padding {trace.output_padding}"]
    else:
        settings += [f"padding {trace.padding}", f"padding_mode {trace.padding_mode}"]
    bias = "none" if trace.bias is None else fmt(trace.bias[0])
    lines.append(
        f"{trace.op}: input {values_text(trace.input[0])}, weight {values_text(trace.weight[0][0])}, bias {bias}"
    )
    lines.append("  " + ", ".join(settings))
    if not transposed:
        left, right = trace.padding
        padded = [fmt(cell.value) for cell in cells]
        parts = [
            " ".join(padded[:left]),
            " ".join(padded[left : len(padded) - right]),
            " ".join(padded[len(padded) - right :]),
        ]
        lines.append("padded input: " + " | ".join(part for part in parts if part) + f"  ({len(padded)} cells)")
    lines.append("")

    header = ("step", "reads", "formula", "arithmetic")
    rows = [header]
    for step in trace.steps:
        reads = []
        for term in step.terms:
            cell = cells[term.cell]
            if cell.kind == "input":
                reads.append(f"x[{cell.source}]")
            elif cell.source is None:
                reads.append("pad 0")
            else:
                reads.append(f"x[{cell.source}] ({cell.kind})")
        rows.append((f"y[{step.position}]", ", ".join(reads) or "nothing", step.formula(), step.arithmetic()))
    widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
    for row in rows:
        lines.append("  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip())
    lines.append("")
    lines.extend(length_lines(trace))
    lines.append(f"output: {values_text(trace.output[0])}")
    if trace.unread:
        lines.append("never read: " + ", ".join(f"x[{i}] = {fmt(trace.input[0][i])}" for _, i in trace.unread))
    else:
        lines.append("every input is read")
    return "\n".join(lines)


def write_file(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then rename it to ``path``; raise WriteError if that fails.

    A write that fails half-way (a full disk) leaves ``path`` as it was and no temporary file behind. A symbolic
    link is followed (the file it names is replaced); a path naming a device or a pipe, which is no file that could
    be left half-written, is written in place.

    >>> folder = Path(tempfile.mkdtemp())
    >>> path = folder / "a.txt"
    >>> write_file(path, lambda temporary: temporary.write_text("done"))
    >>> sorted(p.name for p in folder.iterdir()), path.read_text()
    (['a.txt'], 'done')
    >>> write_file(folder, lambda temporary: temporary.write_text("done"))
    Traceback (most recent call last):
    ...
    conv_docs.cli.WriteError: cannot write ...: it is a folder
    """
    target = Path(os.path.realpath(path))
    try:
        if target.is_dir():
            raise WriteError(f"cannot write {str(path)!r}: it is a folder")
        if target.exists() and not target.is_file():  # /dev/null, a pipe: written in place
            write(path)
            return
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=path.suffix, dir=target.parent)
        os.close(descriptor)
        temporary = Path(name)
        try:
            write(temporary)
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
    except OSError as error:
        raise WriteError(f"cannot write {str(path)!r}: {error.strerror or error}") from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def draw(trace: Trace, path: Path) -> None:
    """Write the site's diagram of ``trace`` to ``path`` (.svg or .png), all at once or not at all."""
    from conv_docs.figures import steps, svg  # matplotlib is only imported when a figure is drawn

    plot = steps.trace_plot(trace)
    write_file(path, lambda temporary: svg.save(plot, temporary))


STACK_HELP = (
    "Read a model as print(model) shows it (from FILE, or standard input) and print, for each Conv1d, "
    "ConvTranspose1d, MaxPool1d, AvgPool1d or padding layer, in printed order (taken as the order they run in): "
    "its input and output lengths, the receptive field so far, the step between outputs in input samples, its "
    "parameters, its multiply-adds for one example and the inputs it never reads."
)


def add_stack_parser(commands: argparse._SubParsersAction) -> None:
    """The ``stack`` command's options."""
    from conv_docs.stack import MAX_STACK_LENGTH

    stack = commands.add_parser("stack", help="a printed model, layer by layer", description=STACK_HELP)
    stack.add_argument("file", nargs="?", metavar="FILE", help="the printed model (default: standard input)")
    stack.add_argument(
        "--length", type=whole, required=True, help=f"the input length, in samples (1 to {MAX_STACK_LENGTH:,})"
    )
    stack.add_argument("--json", action="store_true", help="print the table as JSON")
    stack.add_argument(
        "--mirror", action="store_true", help="also print the layers that take the output back to --length"
    )
    stack.add_argument("--layer", help="with --want: a layer, by its number in the table or its name")
    stack.add_argument("--want", type=whole, help="with --layer: the paddings that give the layer this output length")


def read_model_text(name: str | None) -> str:
    """The printed model from the file ``name``, or from standard input (``None`` or ``-``)."""
    from conv_docs.printed_model import MAX_TEXT

    try:
        if name is None or name == "-":
            if sys.stdin is None or sys.stdin.isatty():
                raise UsageError("stack: give FILE, or pipe the printed model into standard input")
            return sys.stdin.read(MAX_TEXT + 1)
        with open(name, encoding="utf-8") as file:
            return file.read(MAX_TEXT + 1)
    except UnicodeDecodeError:
        raise UsageError(f"stack: {name or 'standard input'!r} is not UTF-8 text") from None
    except OSError as error:
        raise UsageError(f"stack: cannot read {name!r}: {error.strerror or error}") from None


def run_stack(args: argparse.Namespace) -> int:
    """``conv-docs stack``: the table (or JSON), the mirror, or the paddings for a wanted length."""
    from conv_docs.printed_model import PrintedModelError, read_printed_model
    from conv_docs.solve import mirror_stack, paddings_for_length
    from conv_docs.stack import measure_stack

    if args.json and (args.mirror or args.want is not None):
        raise UsageError("stack: --json prints the table only, without --mirror or --want")
    if (args.layer is None) != (args.want is None):
        raise UsageError("stack: --layer and --want go together")
    text = read_model_text(args.file)
    try:
        model = read_printed_model(text)
    except PrintedModelError as error:
        for problem in error.problems:
            print(f"{PROG}: error: {problem}", file=sys.stderr)
        return 2
    report = measure_stack(model.layers, args.length, model.notes)
    if args.json:
        for note in model.notes:
            print(f"{PROG}: note: {note}", file=sys.stderr)
        print(json.dumps(report.to_dict(), indent=2))
        return 0
    parts = [report.table()]  # everything is worked out before anything is printed
    if args.mirror:
        mirror = measure_stack(mirror_stack(model.layers, args.length), report.out_length)
        parts.append(f"\nthe mirror, from the last layer back ({report.out_length:,} samples in, {args.length:,} out):")
        parts.append(mirror.table())
    if args.want is not None:
        number = layer_number(args.layer, [row.name for row in report.rows])
        row = report.rows[number - 1]
        layer = row.layer
        if layer.kind not in ("Conv1d", "ConvTranspose1d"):
            raise UsageError(
                f"stack: --want answers for Conv1d and ConvTranspose1d, and {layer.label(number)} is not one"
            )
        answer = paddings_for_length(
            row.in_length, args.want, layer.kernel_size, layer.stride, layer.dilation,
            transposed=layer.transposed, output_padding=layer.output_padding,
        )  # fmt: skip
        parts.append(f"\n{layer.label(number)}, printed with padding={layer.padding}: {answer.sentence()}")
    print("\n".join(parts))
    return 0


def layer_number(layer: str, names: list[str]) -> int:
    """The number (from 1) of the layer ``--layer`` names, by its name or its number in the table."""
    if layer in names:
        return names.index(layer) + 1
    if layer.isdigit() and 1 <= int(layer) <= len(names):
        return int(layer)
    raise UsageError(f"stack: --layer must be a number from 1 to {len(names)} or a layer's name, got {layer!r}")


def run(argv: Sequence[str]) -> int:
    """Parse ``argv`` and run the command; raises UsageError, ValueError or TypeError for bad arguments."""
    args = build_parser().parse_args(join_values(argv))
    if args.command == "stack":
        return run_stack(args)
    if args.command == "draw" and args.output.suffix.lower() not in DRAW_SUFFIXES:
        raise UsageError(f"--output must end in .svg or .png, got {str(args.output)!r}")
    trace = make_trace(args)
    if args.command == "explain":
        print(json.dumps(trace.to_dict(), indent=2) if args.json else explain_text(trace))
    else:
        draw(trace, args.output)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: exit code 0; 2 with one line on stderr for a bad argument; 1 with one line for a file
    (or standard output) that cannot be written."""
    try:
        code = run(sys.argv[1:] if argv is None else argv)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not as a traceback when Python exits
        return code
    except (UsageError, ValueError, TypeError) as error:
        return _fail(error, 2)
    except WriteError as error:
        return _fail(error, 1)
    except OSError as error:  # standard output: a full disk, a closed pipe
        _silence_stdout()
        return _fail(f"cannot write to standard output: {error.strerror or error}", 1)


def _fail(error: object, code: int) -> int:
    message = " ".join(str(error).split())  # one line, whatever the message holds
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return code


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that Python's last flush when it exits fails no more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture it in a StringIO)
        pass


if __name__ == "__main__":
    sys.exit(main())
