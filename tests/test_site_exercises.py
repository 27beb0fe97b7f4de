"""The ``exercise`` fence: every exercise of every page, its answer checked against torch; bad fences refused.

The expected answers come from ``torch.nn.Conv1d`` / ``nn.ConvTranspose1d`` in float64 (and autograd, for
which inputs an output reads), never from ``conv_docs``: the test only borrows the fence's reading of its
options (``setting``), which fills in torch's defaults.
"""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import torch
from torch import nn

from conv_docs.site.exercises import Exercise, Setting, format_exercise, make_exercise
from conv_docs.site.fences import FenceError

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# At any indentation (inside an admonition, say), closed by the same backticks at the same indentation.
EXERCISE_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<ticks>`{3,})exercise[ \t]*\n(?P<body>.*?)^(?P=indent)(?P=ticks)[ \t]*$", re.M | re.S
)


def page_exercises() -> list[tuple[str, int, str]]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        for number, fence in enumerate(EXERCISE_FENCE.finditer(page.read_text(encoding="utf-8")), start=1):
            found.append((str(page.relative_to(DOCS)), number, textwrap.dedent(fence.group("body"))))
    return found


EXERCISES = page_exercises()


# --- torch's answers ------------------------------------------------------------------------------------------------


def torch_layer(s: Setting) -> nn.Module:
    """The layer of a setting, built by torch with the setting's weights (raises where torch refuses it)."""
    kind = nn.Conv1d if s.op == "conv1d" else nn.ConvTranspose1d
    layer = kind(s.in_channels, s.out_channels, s.kernel_size, bias=s.bias is not None, dtype=torch.float64,
                 **s.arguments)  # fmt: skip
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(s.weight, dtype=torch.float64))
        if s.bias is not None:
            layer.bias.copy_(torch.tensor(s.bias, dtype=torch.float64))
    return layer


def torch_input(s: Setting) -> torch.Tensor:
    return torch.tensor([s.input], dtype=torch.float64)  # (N=1, C, L)


def torch_refuses(s: Setting) -> bool:
    try:
        torch_layer(s)(torch_input(s))
    except (ValueError, RuntimeError):
        return True
    return False


def torch_reads(s: Setting, t: int) -> tuple[int | None, ...]:
    """Per weight tap, the input position output ``t`` takes through it: autograd with only that weight set to 1.

    None where the tap meets a padding zero (conv1d) or no input at all (conv_transpose1d).
    """
    sources = []
    for j in range(s.kernel_size):
        layer = torch_layer(s)
        with torch.no_grad():
            layer.weight.zero_()
            layer.weight[0, 0, j] = 1.0
        x = torch_input(s).requires_grad_()
        layer(x)[0, 0, t].backward()
        touched = torch.nonzero(x.grad[0, 0]).flatten().tolist()
        assert len(touched) <= 1, f"tap {j} of output {t} reaches {touched}"
        sources.append(touched[0] if touched else None)
    return tuple(sources)


def check_against_torch(exercise: Exercise) -> None:
    s, ask, html = exercise.setting, exercise.ask, exercise.explanation
    if ask == "weight_shape":  # the layer as torch makes it, with its bias
        kind = nn.Conv1d if s.op == "conv1d" else nn.ConvTranspose1d
        layer = kind(s.in_channels, s.out_channels, s.kernel_size, groups=s.arguments.get("groups", 1))
        assert exercise.answer == (tuple(layer.weight.shape), tuple(layer.bias.shape))
        assert str(tuple(layer.weight.shape)) in html
        return
    if ask == "refused":
        refused = torch_refuses(s)
        assert (exercise.answer is not None) == refused, f"torch {'refuses' if refused else 'accepts'} {s.layer()}"
        assert html.startswith("<p><strong>Refused:" if refused else "<p><strong>Accepted:")
        if not refused:
            length = torch_layer(s)(torch_input(s)).shape[-1]
            assert f"it gives {length} outputs" in html
        return
    output = torch_layer(s)(torch_input(s))
    if ask == "output_length":
        assert exercise.answer == output.shape[-1]
        assert f"<strong>{output.shape[-1]} outputs.</strong>" in html
    elif ask == "value":
        value = output[0, 0, exercise.output].item()
        assert exercise.answer == pytest.approx(value, abs=1e-9)
        assert f"<strong>{value:.6g}.</strong>" in html
    elif ask == "reads":
        expected = torch_reads(s, exercise.output)
        assert exercise.answer == expected
        verb = "reads" if s.op == "conv1d" else "brings"
        for j, source in enumerate(expected):
            if source is not None:
                assert f"w{j} {verb} x[{source}]" in html
    else:
        raise AssertionError(f"no torch check for ask: {ask}")


@pytest.mark.parametrize(("page", "number", "body"), EXERCISES, ids=[f"{p}#{n}" for p, n, _ in EXERCISES])
def test_every_answer_on_the_site_agrees_with_torch(page, number, body):
    check_against_torch(make_exercise(body))


def test_the_collector_finds_fences_at_any_indentation():
    text = (
        "!!! note\n\n    ```exercise\n    ask: output_length\n    conv1d: {input_length: 3, kernel_size: 2}\n    ```\n"
    )
    (fence,) = EXERCISE_FENCE.finditer(text)
    assert make_exercise(textwrap.dedent(fence.group("body"))).answer == 2


def test_the_site_has_exercises_of_every_kind():
    asks = {make_exercise(body).ask for _, _, body in EXERCISES}
    assert asks == {"output_length", "reads", "value", "weight_shape", "refused"}


@pytest.mark.parametrize(
    "page", sorted(str(p.relative_to(DOCS)) for p in [*DOCS.glob("cases/*.md"), *DOCS.glob("guide/**/*.md")])
)
def test_every_case_and_guide_page_ends_with_two_to_four_exercises(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    headings = [m for m in re.finditer(r"^## (.+)$", text, re.M) if not _in_fence(text, m.start())]
    assert headings, page
    assert headings[-1].group(1) == "Exercises", f"{page}: the last section is {headings[-1].group(1)!r}"
    last_section = text[headings[-1].start() :]
    count = len(EXERCISE_FENCE.findall(last_section))
    assert 2 <= count <= 4, f"{page} has {count} exercises"
    assert len(EXERCISE_FENCE.findall(text)) == count, f"{page}: an exercise outside the Exercises section"


def _in_fence(text: str, position: int) -> bool:
    """Whether ``position`` is inside a fenced block (a ``## `` line there is code, not a heading)."""
    return len(re.findall(r"^`{3,}", text[:position], re.M)) % 2 == 1


# --- each kind, on a case worked out by hand and by torch -------------------------------------------------------------


def exercise(body: str) -> Exercise:
    return make_exercise(textwrap.dedent(body))


@pytest.mark.parametrize(
    "body",
    [
        "ask: output_length\nconv1d: {input_length: 7, kernel_size: 3, stride: 2, padding: 1}",
        "ask: output_length\nconv1d: {input_length: 9, kernel_size: 3, dilation: 3, padding: same}",
        "ask: output_length\nconv_transpose1d: {input_length: 4, kernel_size: 3, stride: 2, output_padding: 1}",
        "ask: reads\noutput: 0\nconv1d: {input_length: 3, kernel_size: 2, stride: 2, padding: 1}",
        "ask: reads\noutput: 0\nconv1d: {input_length: 4, kernel_size: 3, padding: 2, padding_mode: circular}",
        "ask: reads\noutput: 1\nconv1d: {input_length: 5, kernel_size: 3, padding: 2, padding_mode: reflect}",
        "ask: reads\noutput: 0\nconv1d: {input_length: 5, kernel_size: 2, padding: 1, padding_mode: replicate}",
        "ask: reads\noutput: 2\nconv1d: {input_length: 9, kernel_size: 3, stride: 2, dilation: 2}",
        "ask: reads\noutput: 2\nconv_transpose1d: {input_length: 3, kernel_size: 3, stride: 2, padding: 1}",
        "ask: value\noutput: 1\nconv1d: {input: [2, 3, 4], weight: [2, -1], bias: 1}",
        "ask: value\noutput: 0\nconv1d: {input: [2, 3, 4], weight: [0.5, 0.5], stride: 2}",
        "ask: value\noutput: 2\nconv_transpose1d: {input: [1, 2], weight: [1, -1, 3], bias: -2, stride: 2}",
        "ask: weight_shape\nconv1d: {in_channels: 4, out_channels: 6, kernel_size: 3, groups: 2}",
        "ask: weight_shape\nconv_transpose1d: {in_channels: 4, out_channels: 6, kernel_size: 3, groups: 2}",
        "ask: refused\nconv1d: {input_length: 3, kernel_size: 4}",
        "ask: refused\nconv1d: {input_length: 5, kernel_size: 2, stride: 2, padding: same}",
        "ask: refused\nconv1d: {input_length: 3, kernel_size: 2, padding: 3, padding_mode: reflect}",
        "ask: refused\nconv1d: {input_length: 3, kernel_size: 2, padding: 3, padding_mode: circular}",
        "ask: refused\nconv1d: {input_length: 3, kernel_size: 2, padding: 2, padding_mode: reflect}",
        "ask: refused\nconv_transpose1d: {input_length: 3, kernel_size: 2, stride: 2, output_padding: 2}",
        "ask: refused\nconv1d: {input_length: 5, in_channels: 4, out_channels: 6, kernel_size: 3, groups: 4}",
        "ask: refused\nconv1d: {input_length: 5, in_channels: 4, out_channels: 6, kernel_size: 3, groups: 2}",
    ],
)
def test_each_kind_agrees_with_torch(body):
    check_against_torch(exercise(body))


def test_a_value_shows_its_arithmetic_with_negative_numbers_in_parentheses():
    e = exercise("ask: value\noutput: 1\nconv1d: {input: [2, 3, 4], weight: [2, -1], bias: 1}")
    by_hand = 3 * 2 + 4 * (-1) + 1
    assert e.answer == by_hand
    assert e.working == f"3*2 + 4*(-1) + 1 = {by_hand}"


def test_reads_names_padding_zeros_and_copies():
    zeros = exercise("ask: reads\noutput: 0\nconv1d: {input_length: 3, kernel_size: 2, stride: 2, padding: 1}")
    assert zeros.answer == (None, 0)
    assert "w0 reads a padding zero" in zeros.working
    reflect = exercise(
        "ask: reads\noutput: 0\nconv1d: {input_length: 3, kernel_size: 2, padding: 1, padding_mode: reflect}"
    )
    assert reflect.answer == (1, 0)  # reflect mirrors about x[0]: the cell left of it holds x[1]
    assert "x[1] (reflected into the padding)" in reflect.working


def test_the_layer_is_written_as_pytorch_code_that_builds_it():
    e = exercise("ask: output_length\nconv1d: {input_length: 6, kernel_size: 3, stride: 2, padding_mode: circular}")
    layer = eval(e.setting.layer(), {"nn": nn})  # the question's code is real PyTorch
    assert (layer.kernel_size, layer.stride, layer.padding_mode) == ((3,), (2,), "circular")
    assert "<code>nn.Conv1d(1, 1, kernel_size=3, stride=2, padding_mode=&#x27;circular&#x27;)</code>" in e.question


def test_the_answer_is_folded_in_a_details_block_that_needs_no_script():
    body = "ask: output_length\nconv1d: {input_length: 7, kernel_size: 3}"
    html = format_exercise(body, "exercise", "conv-exercise", {}, None)
    root = ET.fromstring(html)  # well-formed
    assert root.get("class") == "conv-exercise"
    question, details = list(root)
    assert question.tag == "p" and "How many outputs" in "".join(question.itertext())
    assert details.tag == "details" and details.get("open") is None  # closed until the reader opens it
    assert details[0].tag == "summary" and details[0].text == "Answer"
    assert "<script" not in html


# --- bad fences: one line, naming the option and what is allowed ------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("ask: length\nconv1d: {input_length: 3, kernel_size: 2}",
         "ask must be one of output_length, reads, value, weight_shape, refused, got 'length'"),
        ("conv1d: {input_length: 3, kernel_size: 2}", "ask must be one of"),
        ("ask: reads\nquestion: why\nconv1d: {input_length: 3, kernel_size: 2}",
         "unknown option 'question'; allowed: ask, conv1d, conv_transpose1d, output"),
        ("ask: output_length", "give the layer as one option, 'conv1d: {...}' or 'conv_transpose1d: {...}'"),
        ("ask: output_length\nconv1d: {input_length: 3, kernel_size: 2}\nconv_transpose1d: {input_length: 3}",
         "give the layer as one option"),
        ("ask: output_length\nconv1d: {input_length: 3, kernel: 2}", "unknown conv1d option 'kernel'; allowed: input,"),
        ("ask: output_length\nconv_transpose1d: {input_length: 3, kernel_size: 2, padding_mode: reflect}",
         "unknown conv_transpose1d option 'padding_mode'"),
        ("ask: output_length\nconv1d: 7", "'conv1d' must be a mapping such as {input_length: 7, kernel_size: 3}"),
        ("ask: output_length\nconv1d: {input_length: 3}", "give 'kernel_size: N' or 'weight: [w0, w1, ...]' in conv1d"),
        ("ask: output_length\nconv1d: {input_length: 3, kernel_size: 0}", "kernel_size must be an int >= 1, got 0"),
        ("ask: output_length\nconv1d: {input_length: 3, kernel_size: 2, weight: [1, 1]}",
         "give either 'weight' or 'kernel_size' in conv1d, not both"),
        ("ask: output_length\nconv1d: {input: [1, 2], input_length: 3, kernel_size: 2}",
         "give either 'input' or 'input_length' in conv1d, not both"),
        ("ask: output_length\nconv1d: {kernel_size: 2}", "ask: output_length needs 'input: [...]' or 'input_length"),
        ("ask: output_length\nconv1d: {input_length: 3, kernel_size: 4}",
         "this layer is refused (kernel_size=4 with dilation=1 spans 4 cells"),
        ("ask: reads\nconv1d: {input_length: 3, kernel_size: 2}",
         "ask: reads needs 'output: t' with an int t from 0 to 1 (the layer has 2 outputs), got None"),
        ("ask: value\noutput: 2\nconv1d: {input: [2, 3, 4], weight: [1, 1]}", "an int t from 0 to 1"),
        ("ask: value\noutput: 0\nconv1d: {input_length: 3, kernel_size: 2}",
         "ask: value needs the numbers: 'input: [...]' and 'weight: [...]'"),
        ("ask: output_length\noutput: 0\nconv1d: {input_length: 3, kernel_size: 2}",
         "'output' goes with ask: reads or ask: value, not ask: output_length"),
        ("ask: reads\noutput: 0\nconv1d: {input_length: 3, in_channels: 2, kernel_size: 2}",
         "ask: reads is for one input and one output channel, got in_channels=2"),
        ("ask: weight_shape\nconv1d: {in_channels: 4, out_channels: 6, kernel_size: 3, groups: 4}",
         "this layer is refused (groups=4 must divide out_channels=6); ask: refused asks about that"),
        ("ask: value\noutput: 0\nconv1d: {input: [2, x], weight: [1]}", "input must be numbers such as [2, 3, 4]"),
        ("ask: output_length\nconv1d: {input_length: 3, weight: [[1, 1]]}", "weight must be [w0, w1, ...] or have"),
        ("ask output_length", "is not 'key: value'"),
    ],
)  # fmt: skip
def test_a_bad_fence_is_refused_with_one_line_naming_the_problem(body, problem):
    with pytest.raises(FenceError) as caught:
        make_exercise(body)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("```exercise fence (first line ")
    assert problem in message
