"""The command line: values compared with torch, errors are exit 2 and one line.

Most tests call ``conv_docs.cli.main`` in-process (``run_in_process``), the function the command runs,
so that each case does not start a new Python. A few run the real command as a subprocess
(``run_subprocess``), because only that shows that ``python -m conv_docs`` and the installed
``conv-docs`` script work end to end and that a bad argument exits with status 2, one stderr line, no
traceback and nothing on stdout: ``test_table_for_the_seed_case``, ``test_unread_input_is_named`` and
``test_bad_argument_in_a_subprocess``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from conv_docs import trace_conv1d, trace_conv_transpose1d
from conv_docs.cli import main

ROOT = Path(__file__).resolve().parent.parent
CONSOLE_SCRIPT = Path(sys.executable).parent / "conv-docs"


def run_subprocess(*args: str, module: bool = True) -> subprocess.CompletedProcess[str]:
    """``python -m conv_docs ARGS`` (or the ``conv-docs`` script): the real command, end to end."""
    command = [sys.executable, "-m", "conv_docs"] if module else [str(CONSOLE_SCRIPT)]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=ROOT, env=os.environ, timeout=120)


def run_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """``main(ARGS)`` with stdout and stderr captured, as ``run_subprocess`` reports them.

    A SystemExit from argparse (main turns its errors into exit code 2 itself, but ``--help`` still exits)
    becomes the return code. Any other exception escapes and fails the test, as a traceback would.
    """
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            returncode = main(list(args))
        except SystemExit as error:
            if error.code is None or isinstance(error.code, int):
                returncode = error.code or 0
            else:  # sys.exit("message"): Python prints the message and exits with 1
                print(error.code, file=sys.stderr)
                returncode = 1
    return subprocess.CompletedProcess(["conv-docs", *args], returncode, stdout.getvalue(), stderr.getvalue())


def csv(values: list[float]) -> str:
    return ",".join(repr(value) for value in values)


def torch_conv1d(x, w, b, stride, padding, dilation, mode) -> list[float]:
    """nn.Conv1d's answer for one channel, in float64."""
    conv = torch.nn.Conv1d(1, 1, len(w), stride, padding, dilation, bias=b is not None, padding_mode=mode)
    conv = conv.double()
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([[w]], dtype=torch.float64))
        if b is not None:
            conv.bias.copy_(torch.tensor([b], dtype=torch.float64))
        return conv(torch.tensor([[x]], dtype=torch.float64))[0, 0].tolist()


def random_configs(count: int, seed: int) -> list[tuple]:
    """Valid conv1d configurations (torch accepts them), drawn from a seeded generator."""
    rng = random.Random(seed)
    found = []
    while len(found) < count:
        x = [rng.choice([rng.randint(-9, 9), round(rng.uniform(-5, 5), 3)]) for _ in range(rng.randint(1, 8))]
        w = [rng.randint(-3, 3) for _ in range(rng.randint(1, 4))]
        b = rng.choice([None, rng.randint(-2, 2)])
        stride, dilation = rng.randint(1, 3), rng.randint(1, 3)
        mode = ["zeros", "reflect", "replicate", "circular"][len(found) % 4]
        padding = rng.choice([0, 1, 2, "same", "valid"])
        try:
            expected = torch_conv1d(x, w, b, stride, padding, dilation, mode)
        except (RuntimeError, ValueError):
            continue  # torch refuses it: not a valid configuration
        found.append((x, w, b, stride, padding, dilation, mode, expected))
    return found


@pytest.mark.parametrize("config", random_configs(24, seed=5), ids=lambda config: f"{config[6]}-{config[4]}")
def test_json_output_matches_torch(config) -> None:
    x, w, b, stride, padding, dilation, mode, expected = config
    args = ["explain", f"--input={csv(x)}", f"--weight={csv(w)}", "--stride", str(stride)]
    args += ["--padding", str(padding), "--dilation", str(dilation), "--padding-mode", mode, "--json"]
    if b is not None:
        args += [f"--bias={b}"]
    result = run_in_process(*args)
    assert result.returncode == 0, result.stderr
    trace = json.loads(result.stdout)
    assert trace["output"][0] == pytest.approx(expected, abs=1e-9)
    assert len(trace["steps"]) == len(expected)


def test_table_for_the_seed_case() -> None:
    """Kernel 2, stride 2, padding 1 on [2, 3, 4]: y0 = 0*1 + 2*1 and y1 = 3*1 + 4*1, by hand."""
    result = run_subprocess(
        "explain", "--input", "2,3,4", "--weight", "1,1", "--bias", "0", "--stride", "2", "--padding", "1"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    y0 = next(line for line in lines if line.startswith("y[0]"))
    y1 = next(line for line in lines if line.startswith("y[1]"))
    assert "0*w0 + 2*w1 + bias" in y0 and "0*1 + 2*1 + 0 = 2" in y0
    assert "3*w0 + 4*w1 + bias" in y1 and "3*1 + 4*1 + 0 = 7" in y1
    # floor((3 + 2*1 - 1*(2-1) - 1) / 2) + 1 = 2, by hand
    assert any("floor" in line and line.endswith("= 2") for line in lines)
    assert "output: [2, 7]" in lines
    assert "every input is read" in lines


def test_unread_input_is_named() -> None:
    """Kernel 2, stride 2 on [2, 3, 4] never reads the 4."""
    result = run_subprocess("explain", "--input", "2,3,4", "--weight", "1,1", "--stride", "2", module=False)
    assert result.returncode == 0, result.stderr
    assert "never read: x[2] = 4" in result.stdout.splitlines()


def test_negative_values_after_a_space() -> None:
    result = run_in_process("explain", "--input", "-1,2,-3", "--weight", "-1", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["output"] == [[1.0, -2.0, 3.0]]


def test_transposed_matches_torch() -> None:
    x, w = [1.0, -2.0, 3.0], [1.0, 2.0, -1.0]
    result = run_in_process(
        "explain", "--input=1,-2,3", "--weight=1,2,-1", "--bias=0.5", "--stride=2", "--padding=1",
        "--output-padding=1", "--dilation=2", "--transposed", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    expected = F.conv_transpose1d(
        torch.tensor([[x]], dtype=torch.float64), torch.tensor([[w]], dtype=torch.float64),
        torch.tensor([0.5], dtype=torch.float64), stride=2, padding=1, output_padding=1, dilation=2,
    )[0, 0].tolist()  # fmt: skip
    data = json.loads(result.stdout)
    assert data["output"][0] == pytest.approx(expected)
    assert data["padding"] == [0, 0] and data["cropped"] == 1  # no cells added; one output cell cropped each end


def test_transposed_explain_names_the_padding_that_crops() -> None:
    result = run_in_process(
        "explain", "--input=1,-2,3", "--weight=1,2,-1", "--stride=2", "--padding=1", "--output-padding=1",
        "--dilation=2", "--transposed",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "  stride 2, dilation 2, padding 1, output_padding 1" in result.stdout.splitlines()
    assert "= (3-1)*2 - 2*1 + 2*(3-1) + 1 + 1 = 8" in result.stdout
    assert "padded input" not in result.stdout


BAD = {
    "not a number": (["--input", "2,x,4", "--weight", "1"], "--input"),
    "bad weight": (["--input", "2,3", "--weight", ""], "--weight"),
    "stride 0": (["--input", "2,3", "--weight", "1", "--stride", "0"], "stride"),
    "stride not an int": (["--input", "2,3", "--weight", "1", "--stride", "1.5"], "--stride"),
    "kernel too long": (["--input", "2,3", "--weight", "1,1,1"], "kernel_size"),
    "padding mode": (["--input", "2,3", "--weight", "1", "--padding-mode", "mirror"], "padding_mode"),
    "padding word": (["--input", "2,3", "--weight", "1", "--padding", "full"], "--padding"),
    "same with stride": (["--input", "2,3", "--weight", "1", "--padding", "same", "--stride", "2"], "same"),
    "reflect too wide": (["--input", "2,3", "--weight", "1", "--padding", "2", "--padding-mode", "reflect"], "reflect"),
    "dilation 0": (["--input", "2,3", "--weight", "1", "--dilation", "0"], "dilation"),
    "infinite": (["--input", "2,inf", "--weight", "1"], "--input"),
    "two biases": (["--input", "2,3", "--weight", "1", "--bias", "1,2"], "--bias"),
    "missing weight": (["--input", "2,3"], "--weight"),
    "unknown option": (["--input", "2,3", "--weight", "1", "--kernel", "2"], "--kernel"),
    "output padding alone": (["--input", "2,3", "--weight", "1", "--output-padding", "1"], "--transposed"),
    "transposed mode": (["--input", "2,3", "--weight", "1", "--transposed", "--padding-mode", "reflect"], "zeros"),
    # no setting makes the program run for minutes: past a bound of the library, it stops at once
    "padding past MAX_LENGTH": (["--input", "2,3,4", "--weight", "1,1", "--padding", "1000000"], "MAX_LENGTH"),
    "padding past 64 bits": (["--input", "2,3", "--weight", "1", "--padding", "1" + "0" * 23], "padding"),
    "stride past 64 bits": (["--input", "2,3", "--weight", "1", "--transposed", "--stride", "1" + "0" * 23], "stride"),
    "output past MAX_LENGTH": (
        ["--input", "2,3,4", "--weight", "1", "--transposed", "--stride", "1000000"],
        "MAX_LENGTH",
    ),
    "trace past MAX_TRACE": (["--input", "2,3,4", "--weight", "1", "--padding", "60000"], "MAX_TRACE"),
}


def assert_refused(result: subprocess.CompletedProcess[str], names: str = "") -> None:
    """Exit status 2, nothing on stdout, and one line on stderr that says what is wrong: no traceback."""
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("conv-docs: error: ")
    assert names in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args, names", BAD.values(), ids=BAD.keys())
def test_bad_arguments_exit_2_with_one_line(args: list[str], names: str) -> None:
    assert_refused(run_in_process("explain", *args), names)


@pytest.mark.parametrize("module", [True, False], ids=["python -m conv_docs", "conv-docs script"])
def test_bad_argument_in_a_subprocess(module: bool) -> None:
    """The exit status, the lone stderr line and the empty stdout survive the real command."""
    args, names = BAD["kernel too long"]  # the library's ValueError: a traceback if main did not catch it
    assert_refused(run_subprocess("explain", *args, module=module), names)


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["draw", "--input", "2,3", "--weight", "1"]])
def test_bad_commands_exit_2_with_one_line(args: list[str]) -> None:
    assert_refused(run_in_process(*args))


def test_draw_refuses_a_trace_too_long_to_draw(tmp_path: Path) -> None:
    """Drawing 203 panels of 203 cells took a minute before the figure was refused for its size: now it is refused
    before it is drawn, and nothing is written."""
    path = tmp_path / "figure.svg"
    result = run_in_process("draw", "--input", "2,3,4", "--weight", "1", "--padding", "100", "-o", str(path))
    assert_refused(result, "MAX_DRAWN_CELLS = 200")
    assert not path.exists()


def test_draw_refuses_other_suffixes(tmp_path: Path) -> None:
    result = run_in_process("draw", "--input", "2,3,4", "--weight", "1,1", "-o", str(tmp_path / "figure.pdf"))
    assert_refused(result, "--output")
    assert ".svg" in result.stderr
    assert not (tmp_path / "figure.pdf").exists()


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_draw_writes_the_figure(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"figure{suffix}"
    result = run_in_process(
        "draw", "--input", "2,3,4", "--weight", "1,1", "--stride", "2", "--padding", "1", "-o", str(path)
    )
    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    if suffix == ".svg":
        assert data.lstrip().startswith((b"<?xml", b"<svg"))
    else:
        assert data.startswith(b"\x89PNG")


@pytest.mark.parametrize("transposed", [False, True])
def test_draw_makes_the_sites_figure(tmp_path: Path, transposed: bool) -> None:
    """The SVG is the one the site's fences render for the same convolution."""
    from conv_docs.figures import steps, svg

    args = ["--input=1,-2,3,4", "--weight=2,1", "--bias=0.5", "--stride=2", "--padding=1"]
    if transposed:
        args.append("--transposed")
        trace = trace_conv_transpose1d([1, -2, 3, 4], [2, 1], 0.5, stride=2, padding=1)
    else:
        trace = trace_conv1d([1, -2, 3, 4], [2, 1], 0.5, stride=2, padding=1)
    path = tmp_path / "figure.svg"
    result = run_in_process("draw", *args, "-o", str(path))
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8") == svg.to_svg(steps.trace_plot(trace))


def assert_not_written(result: subprocess.CompletedProcess[str], names: str = "") -> None:
    """Exit status 1 and one line on stderr, no traceback: a file (or standard output) that cannot be written."""
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("conv-docs: error: cannot write")
    assert names in lines[0]
    assert "Traceback" not in result.stderr


DRAW = ["draw", "--input", "2,3,4", "--weight", "1,1"]


def test_draw_to_a_folder_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "figure.svg"
    folder.mkdir()
    assert_not_written(run_in_process(*DRAW, "-o", str(folder)), "it is a folder")
    assert list(folder.iterdir()) == [] and list(tmp_path.iterdir()) == [folder]


@pytest.mark.parametrize("where", ["missing folder", "/proc"])
def test_draw_where_no_file_can_be_made_exits_1(tmp_path: Path, where: str) -> None:
    path = tmp_path / "no" / "such" / "figure.svg" if where == "missing folder" else Path("/proc/figure.svg")
    assert_not_written(run_in_process(*DRAW, "-o", str(path)), str(path))
    assert not path.exists()


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_a_write_that_fails_half_way_leaves_nothing_behind(tmp_path: Path, monkeypatch, suffix: str) -> None:
    """A full disk: the figure is written half-way, then the write fails. The old file stays, whole."""
    from conv_docs.figures import svg

    def half_then_full(plot, path) -> None:
        Path(path).write_bytes(b"<svg half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(svg, "save", half_then_full)
    path = tmp_path / f"figure{suffix}"
    path.write_bytes(b"the old figure")
    assert_not_written(run_in_process(*DRAW, "-o", str(path)), "No space left on device")
    assert path.read_bytes() == b"the old figure"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left either


def test_draw_to_a_full_device_exits_1(tmp_path: Path) -> None:
    """/dev/full behind a link named .svg: a device is written in place, and fails as a full disk does."""
    link = tmp_path / "figure.svg"
    link.symlink_to("/dev/full")
    assert_not_written(run_in_process(*DRAW, "-o", str(link)), "No space left on device")


def test_draw_through_a_link_replaces_the_file_it_names(tmp_path: Path) -> None:
    real, link = tmp_path / "real.svg", tmp_path / "link.svg"
    real.write_text("old")
    real.chmod(0o640)
    link.symlink_to(real)
    assert run_in_process(*DRAW, "-o", str(link)).returncode == 0
    assert link.is_symlink() and real.read_text().startswith("<svg")
    assert real.stat().st_mode & 0o777 == 0o640  # the file keeps its permissions
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.svg", "real.svg"]


def test_a_new_figure_gets_the_usual_permissions(tmp_path: Path) -> None:
    path = tmp_path / "figure.svg"
    assert run_in_process(*DRAW, "-o", str(path)).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # as open() would make it, not mkstemp's 0o600


def test_explain_to_a_full_disk_exits_1() -> None:
    """Standard output on /dev/full: one line and exit 1, not Python's message about a failed flush at exit."""
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "conv_docs", "explain", "--input", "2,3,4", "--weight", "1,1"],
            stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120,
        )  # fmt: skip
    assert_not_written(result, "standard output: No space left on device")


# conv-docs stack: a printed model, layer by layer


def run_stack(text: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``conv-docs stack ARGS`` with ``text`` on standard input."""
    stdin = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        return run_in_process("stack", *args)
    finally:
        sys.stdin = stdin


@pytest.mark.parametrize("seed", range(40))
def test_stack_json_agrees_with_torch_on_random_printed_models(seed: int) -> None:
    from stack_cases import (
        random_stack,
        sequential,
        torch_fields,
        torch_lengths,
        torch_multiplications,
        torch_params,
        torch_unread,
    )

    rng = random.Random(7000 + seed)
    channels = rng.choice([1, 3])
    specs = [spec for spec in random_stack(rng, channels) if not (spec[0] == "AvgPool1d" and spec[1]["ceil_mode"])]
    if not specs:
        pytest.skip("nothing left")
    length = rng.randint(1, 40)
    model = sequential(specs)
    result = run_stack(str(model), "--length", str(length), "--json")
    expected = torch_lengths(specs, length, channels)
    if expected is None:
        assert result.returncode == 2 and result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and "refuses its input of" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    rows = data["layers"]
    assert [row["out_length"] for row in rows] == expected
    assert data["out_length"] == expected[-1]
    assert [row["receptive_field"] for row in rows] == torch_fields(specs, length)
    assert data["receptive_field"] == rows[-1]["receptive_field"]
    for spec, row, name in zip(specs, rows, [str(n) for n in range(len(specs))], strict=True):
        assert row["name"] == name
        assert row["params"] == torch_params(spec)
        assert row["multiplications"] == torch_multiplications(spec, row["in_length"])
        assert row["unread"] == torch_unread(spec, row["in_length"])


def test_stack_table_from_a_file(tmp_path: Path) -> None:
    text = str(
        torch.nn.Sequential(torch.nn.Conv1d(80, 384, 3, padding=1), torch.nn.GELU(), torch.nn.Conv1d(384, 384, 3, 2, 1))
    )
    path = tmp_path / "model.txt"
    path.write_text(text)
    result = run_in_process("stack", "--length", "3000", str(path))
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and result.stderr == ""
    assert lines[0].split() == ["#", "layer", "in", "out", "field", "jump", "params", "mult-adds", "unread"]
    assert lines[2].split()[:3] == ["2", "2", "Conv1d"]  # row 2 is the layer named "2" in the Sequential
    assert lines[3:5] == [
        "3,000 samples in, 1,500 out",
        "each output sees 5 samples; the next output is 2 samples further on",
    ]


def test_stack_mirror_and_want() -> None:
    text = str(torch.nn.Sequential(torch.nn.Conv1d(1, 8, 3, 2), torch.nn.ReLU(), torch.nn.Conv1d(8, 8, 2, 2)))
    result = run_stack(text, "--length", "100", "--mirror", "--layer", "1", "--want", "50")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "the mirror, from the last layer back (24 samples in, 100 out):" in out
    decoder = torch.nn.Sequential(
        torch.nn.ConvTranspose1d(8, 8, 2, 2, output_padding=1), torch.nn.ConvTranspose1d(8, 1, 3, 2, output_padding=1)
    )
    assert decoder(torch.zeros(1, 8, 24)).shape[-1] == 100  # the two lines the mirror prints, run by torch
    assert "ConvTranspose1d k=2 s=2 op=1" in out and "ConvTranspose1d k=3 s=2 op=1" in out
    assert (
        out.splitlines()[-1]
        == "layer 1 (0, line 2: Conv1d), printed with padding=0: padding=1 gives 50 outputs from 100 inputs"
    )
    assert torch.nn.Conv1d(1, 8, 3, 2, padding=1)(torch.zeros(1, 1, 100)).shape[-1] == 50


def test_stack_refused_at_that_length_is_one_line() -> None:
    text = str(torch.nn.Sequential(torch.nn.Conv1d(1, 4, 10, 5), torch.nn.Conv1d(4, 4, 3, 2)))
    result = run_stack(text, "--length", "12", "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "conv-docs: error: layer 2 (1, line 3: Conv1d) refuses its input of 1 sample (the stack's input is 12): "
        "padded to 1, it is shorter than the kernel's span of 3\n"
    )
    with pytest.raises(RuntimeError):
        torch.nn.Sequential(torch.nn.Conv1d(1, 4, 10, 5), torch.nn.Conv1d(4, 4, 3, 2))(torch.zeros(1, 1, 12))


CONV = str(torch.nn.Conv1d(1, 1, 3))
CONV2D_AND_3D = str(torch.nn.Sequential(torch.nn.Conv2d(1, 1, 3), torch.nn.Conv3d(1, 1, 3)))


@pytest.mark.parametrize(
    ("text", "args", "expected"),
    [
        (CONV2D_AND_3D, [], ["line 2: Conv2d is a 2-D layer", "line 3: Conv3d is a 3-D layer"]),
        ("Sequential(\n  (0): ReLU()\n)", [], ["the text has no layer that changes the length"]),
        (CONV, ["--json", "--mirror"], ["stack: --json prints the table only"]),
        (CONV, ["--want", "3"], ["stack: --layer and --want go together"]),
        (CONV, ["--layer", "2", "--want", "3"], ["stack: --layer must be a number from 1 to 1"]),
        (str(torch.nn.MaxPool1d(2)), ["--layer", "1", "--want", "3"], ["stack: --want answers for Conv1d and"]),
        (CONV, ["--length", "0"], ["input_length must be an int >= 1, got 0"]),
        (CONV, ["--length", "10000001"], ["input_length must be at most MAX_STACK_LENGTH"]),
    ],
)  # fmt: skip
def test_stack_bad_input_is_one_line_per_problem(text: str, args: list[str], expected: list[str]) -> None:
    if "--length" not in args:
        args = ["--length", "10", *args]
    result = run_stack(text, *args)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(f"conv-docs: error: {start}")


def test_stack_notes_go_to_stderr_with_json() -> None:
    result = run_stack(str(torch.nn.Sequential(torch.nn.AvgPool1d(2))), "--length", "10", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["out_length"] == 5
    note = "line 2: AvgPool1d does not print its ceil_mode; taken as ceil_mode=False, torch's default"
    assert result.stderr == f"conv-docs: note: {note}\n"


def test_stack_in_a_subprocess_reads_standard_input() -> None:
    text = str(torch.nn.Sequential(torch.nn.Conv1d(1, 1, 10, 5), torch.nn.Conv1d(1, 1, 3, 2)))
    command = [sys.executable, "-m", "conv_docs", "stack", "--length", "16000", "--json"]
    result = subprocess.run(command, input=text, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (
        json.loads(result.stdout)["out_length"]
        == torch.nn.Sequential(torch.nn.Conv1d(1, 1, 10, 5), torch.nn.Conv1d(1, 1, 3, 2))(
            torch.zeros(1, 1, 16000)
        ).shape[-1]
    )
    bad = subprocess.run([*command[:-1], "/no/such/file"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.splitlines()) == 1
    assert "Traceback" not in bad.stderr
