"""The ``exercise`` fence: every exercise of every page, its answer checked against torch; bad fences refused.

The expected answers come from ``torch.nn.Conv1d`` / ``nn.ConvTranspose1d`` in float64 (and autograd, for
which inputs an output reads, a stack's receptive field and its holes, and what a gradient entry adds up;
``F.pad`` and ``F.conv1d`` for causal padding; ``conv_transpose1d`` of ones for how many terms an output adds),
never from ``conv_docs``: the test only borrows the fence's reading of its options (``setting``, the stack's
layers), which fills in torch's defaults.
"""

from __future__ import annotations

import itertools
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from conv_docs.site.exercises import ARGUMENTS, ASKS, Exercise, Setting, format_exercise, make_exercise
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
    if ask in STACK_CHECKS:
        STACK_CHECKS[ask](exercise)
        return
    if ask in LAYER_CHECKS:
        LAYER_CHECKS[ask](exercise)
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


# --- the kinds beyond one step: stacks, causal padding, output_padding, gradients, and the whys ----------------------


def _join(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: how the answers list things (written again here, not imported)."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def torch_stack(stack: tuple) -> nn.Sequential:
    """The stack as torch layers with every weight 1 and no bias: a gradient is nonzero exactly where it reaches."""
    layers = [nn.Conv1d(1, 1, layer.kernel_size, stride=layer.stride, dilation=layer.dilation, bias=False,
                        dtype=torch.float64) for layer in stack]  # fmt: skip
    for layer in layers:
        nn.init.ones_(layer.weight)
    return nn.Sequential(*layers)


def torch_depends(stack: tuple, length: int) -> list[int]:
    """The input cells output 0 of the stack depends on, by autograd, on an input of ``length`` cells."""
    x = torch.ones(1, 1, length, dtype=torch.float64, requires_grad=True)
    torch_stack(stack)(x)[0, 0, 0].backward()
    return torch.nonzero(x.grad[0, 0]).flatten().tolist()


def torch_field(stack: tuple) -> list[int]:
    """Output 0's cells, on an input long enough for every layer (grown until the stack accepts it)."""
    length = 1
    while True:
        try:
            return torch_depends(stack, length)
        except RuntimeError:  # the input is too short for some layer
            length *= 2


def check_receptive_field(exercise: Exercise) -> None:
    cells = torch_field(exercise.stack)
    assert cells[0] == 0
    assert exercise.answer == cells[-1] - cells[0] + 1, f"autograd: output 0 depends on x[0] to x[{cells[-1]}]"
    assert f"output 0 depends on x[0] to x[{cells[-1]}]" in exercise.explanation
    holes = sorted(set(range(cells[-1] + 1)) - set(cells))
    assert (f"skips {len(holes)} cell" in exercise.explanation) == bool(holes)


def check_why_hole(exercise: Exercise) -> None:
    stack, cell = exercise.stack, exercise.options["cell"]
    cells = torch_field(stack)
    assert cell not in cells and cells[0] < cell < cells[-1], f"autograd: output 0 depends on {cells}"
    assert f"depends on x[{cells[0]}] and x[{cells[-1]}]" in exercise.question
    # the cells of x the answer lists are autograd's, and x[cell] is not among them
    listed = _join([f"x[{i}]" for i in cells]) if len(cells) <= 12 else None
    assert listed is None or f"reads {listed}." in exercise.explanation
    # the layer the answer names is where the holes open: the layers below it leave none, with it there are some
    opening = exercise.answer
    below = torch_field(stack[: opening - 1]) if opening > 1 else [0]
    assert below == list(range(below[-1] + 1)), f"the layers below layer {opening} leave holes already: {below}"
    upto = torch_field(stack[:opening])
    assert upto != list(range(upto[-1] + 1)), f"layers 1 to {opening} leave no hole"
    assert f"The holes open at layer {opening}:" in exercise.explanation


def torch_weight(s: Setting) -> torch.Tensor:
    return torch.tensor(s.weight, dtype=torch.float64)


def torch_bias(s: Setting) -> torch.Tensor | None:
    return None if s.bias is None else torch.tensor(s.bias, dtype=torch.float64)


def check_causal_padding(exercise: Exercise) -> None:
    s = exercise.setting
    (left, right), kept, total = exercise.answer
    d, length = s.arguments.get("dilation", 1), s.input_length
    x = torch.tensor([s.input], dtype=torch.float64, requires_grad=True)
    w = torch.rand_like(torch_weight(s)) + 0.5  # no zero weight: every tap shows in the gradient
    y = F.conv1d(F.pad(x, (left, right)), w, dilation=d)
    assert y.shape[-1] == length == kept, "F.pad as answered gives as many outputs as inputs"
    for t in range(length):  # output t reads x[t] and nothing after it
        (grad,) = torch.autograd.grad(y[0, 0, t], x, retain_graph=True)
        assert torch.nonzero(grad[0, 0]).flatten().max().item() == t
    if left:
        assert F.conv1d(F.pad(x, (left - 1, 0)), w, dilation=d).shape[-1] == length - 1  # one zero fewer: too short
    both = F.conv1d(x, w, padding=left, dilation=d)
    assert both.shape[-1] == total
    assert torch.allclose(both[..., :kept], y)  # the outputs kept are the causal ones
    assert f"F.pad(x, ({left}, {right}))" in exercise.explanation and f"y[:{kept}]" in exercise.explanation


def check_output_padding(exercise: Exercise) -> None:
    s, op = exercise.setting, exercise.answer
    wanted, length = exercise.options["length"], s.input_length
    args = {name: s.arguments.get(name, ARGUMENTS["conv1d"][name]) for name in ("stride", "padding", "dilation")}
    x = torch.ones(1, 1, length, dtype=torch.float64)
    up = nn.ConvTranspose1d(1, 1, s.kernel_size, output_padding=op, dtype=torch.float64, **args)
    assert up(x).shape[-1] == wanted  # torch accepts it and gives the length asked for
    down = nn.Conv1d(1, 1, s.kernel_size, dtype=torch.float64, **args)
    assert down(torch.ones(1, 1, wanted, dtype=torch.float64)).shape[-1] == length  # a real round trip
    # the lengths the answer says the forward layer maps to `length`: exactly those torch maps there
    shortest = nn.ConvTranspose1d(1, 1, s.kernel_size, dtype=torch.float64, **args)(x).shape[-1]
    assert f"gives the shortest, {shortest}" in exercise.explanation
    maps = [n for n in range(max(1, shortest - 3), shortest + args["stride"] + 3)
            if n >= args["dilation"] * (s.kernel_size - 1) + 1 - 2 * args["padding"]
            and down(torch.ones(1, 1, n, dtype=torch.float64)).shape[-1] == length]  # fmt: skip
    assert maps == list(range(shortest, shortest + len(maps)))
    said = f"each of the lengths {_join([str(n) for n in maps])}" if len(maps) > 1 else f"only the length {maps[0]}"
    assert said in exercise.explanation


def check_gradient(exercise: Exercise) -> None:
    s = exercise.setting
    of, entry, g = exercise.options["of"], exercise.options["entry"], exercise.options["grad_output"]
    terms, value = exercise.answer
    args = {name: s.arguments.get(name, ARGUMENTS["conv1d"][name]) for name in ("stride", "padding", "dilation")}
    grad = torch.tensor([[g]], dtype=torch.float64)

    def backward(x, w, b, grad_output):
        x, w = x.clone().requires_grad_(), w.clone().requires_grad_()
        b = None if b is None else b.clone().requires_grad_()
        F.conv1d(x, w, b, **args).backward(grad_output)
        return x.grad[0, 0], w.grad[0, 0], None if b is None else b.grad

    x, w, b = torch.tensor([s.input], dtype=torch.float64), torch_weight(s), torch_bias(s)
    x_grad, w_grad, b_grad = backward(x, w, b, grad)
    expected = {"input": lambda: x_grad[entry], "weight": lambda: w_grad[entry], "bias": lambda: b_grad[0]}[of]()
    assert value == pytest.approx(expected.item(), abs=1e-9)
    outputs = grad.shape[-1]

    def one_hot(size: int, at: int) -> torch.Tensor:
        return F.one_hot(torch.tensor(at), size).to(torch.float64).view(1, 1, size)

    if of == "input":  # (t, j) is a term when g one-hot at t, through w one-hot at j, reaches x[entry]
        found = {(t, j) for t in range(outputs) for j in range(s.kernel_size)
                 if backward(x, one_hot(s.kernel_size, j), None, one_hot(outputs, t))[0][entry] != 0}  # fmt: skip
        assert set(terms) == found and len(terms) == len(found)
    elif of == "weight":  # on the input 1, 2, 3, ... the gradient of w[entry] from output t names the cell it met
        ramp = torch.arange(1.0, s.input_length + 1, dtype=torch.float64).view(1, 1, -1)
        met = [int(backward(ramp, w, None, one_hot(outputs, t))[1][entry].item()) - 1 for t in range(outputs)]
        assert list(terms) == [(t, None if i < 0 else i) for t, i in enumerate(met)]
    else:
        assert terms == tuple(range(outputs))
    assert exercise.explanation.count(f"{exercise.working.split(' = ')[0]} = ") >= 1


def check_why_unread(exercise: Exercise) -> None:
    s, cell, reason = exercise.setting, exercise.options["cell"], exercise.answer
    layer = torch_layer(s)
    with torch.no_grad():
        layer.weight.copy_(torch.rand_like(layer.weight) + 0.5)
    x = torch_input(s).requires_grad_()
    out = layer(x)
    out.sum().backward()
    assert x.grad[0, 0, cell] == 0, f"torch: x[{cell}] reaches an output"
    if s.op == "conv_transpose1d":  # without the padding's crop, it would reach one
        assert reason == "cropped"
        uncropped = torch_layer(Setting(**{**s.__dict__, "arguments": {**s.arguments, "padding": 0}}))
        x = torch_input(s).requires_grad_()
        uncropped(x).sum().backward()
        assert x.grad[0, 0, cell] != 0
        return
    reads = [[i for i in torch_reads(s, t) if i is not None] for t in range(out.shape[-1])]
    if reason == "past the end":
        assert all(i < cell for sources in reads for i in sources)
    elif reason == "between windows":
        assert any(max(a) < cell < min(b) for a, b in itertools.pairwise(reads) if a and b)
    else:
        assert reason == "between taps"
        assert any(min(sources) < cell < max(sources) for sources in reads if sources)


def check_why_terms(exercise: Exercise) -> None:
    s, (a, b) = exercise.setting, exercise.options["outputs"]
    ones = Setting(**{**s.__dict__, "weight": tuple(tuple(tuple(1.0 for _ in row) for row in channel)
                                                    for channel in s.weight), "bias": None})  # fmt: skip
    counts = torch_layer(ones)(torch.ones(1, 1, s.input_length, dtype=torch.float64))[0, 0]
    assert exercise.answer == (round(counts[a].item()), round(counts[b].item()))
    assert counts[a] != counts[b]
    for t in (a, b):  # the taps the answer says bring an input: autograd's
        for j, source in enumerate(torch_reads(s, t)):
            if source is not None:
                assert f"w{j} brings x[{source}]" in exercise.explanation


STACK_CHECKS = {"receptive_field": check_receptive_field, "why_hole": check_why_hole}
LAYER_CHECKS = {
    "causal_padding": check_causal_padding,
    "output_padding": check_output_padding,
    "gradient": check_gradient,
    "why_unread": check_why_unread,
    "why_terms": check_why_terms,
}


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
    assert asks == set(ASKS)


# --- what the pages ask: each page's own idea, a why on every page, no question twice ---------------------------------

CASE_AND_GUIDE_PAGES = sorted(str(p.relative_to(DOCS)) for p in [*DOCS.glob("cases/*.md"), *DOCS.glob("guide/**/*.md")])

# the idea a page teaches, asked by its exercises
PAGE_ASKS = {
    "guide/receptive-field.md": {"receptive_field"},  # a stack's field
    "guide/causal.md": {"causal_padding"},  # how to pad with F.pad, which outputs to keep
    "guide/transposed.md": {"why_terms", "output_padding"},  # overlap, and output_padding
    "guide/gradients.md": {"gradient"},  # what a gradient entry adds up
}


def layer_key(exercise: Exercise) -> tuple:
    """The layer (or stack) a question is about, with torch's defaults filled in: ``padding: 0`` written or not
    is the same layer. The input counts by its values if given, by its length if not; not for weight_shape."""
    if exercise.stack is not None:
        return ("stack", exercise.stack)
    s = exercise.setting
    data = None if exercise.ask == "weight_shape" or s.input is None else (s.input if s.input_given else s.input_length)
    weight = s.weight if s.weight_given else s.kernel_size
    arguments = tuple(sorted({**ARGUMENTS[s.op], **s.arguments}.items(), key=lambda item: item[0]))
    return (s.op, s.in_channels, s.out_channels, weight, s.bias, data, arguments)


def repeats(found: list[tuple[str, int, str]]) -> list[str]:
    """Each exercise that asks what an earlier one asks (the same kind, of the same layer), anywhere on the site."""
    seen: dict[tuple, str] = {}
    said = []
    for page, number, body in found:
        exercise = make_exercise(body)
        key = (exercise.ask, exercise.options.get("of"), layer_key(exercise))
        if key in seen:
            said.append(f"{page} exercise {number} asks {exercise.ask} of the layer of {seen[key]}")
        else:
            seen[key] = f"{page} exercise {number}"
    return said


def test_no_exercise_repeats_another():
    assert repeats(EXERCISES) == []


def test_a_repeat_is_found_across_pages_whatever_the_output_and_the_spelling():
    reads = "ask: reads\noutput: {t}\nconv1d: {{input_length: 5, kernel_size: 2, stride: 2{more}}}"
    first, again = reads.format(t=0, more=""), reads.format(t=1, more=", padding: 0, dilation: 1")
    assert repeats([("a.md", 1, first), ("b.md", 2, again)]) == [
        "b.md exercise 2 asks reads of the layer of a.md exercise 1"
    ]
    other_ask = "ask: output_length\nconv1d: {input_length: 5, kernel_size: 2, stride: 2}"
    other_layer = reads.format(t=0, more=", padding: 1")
    assert repeats([("a.md", 1, first), ("b.md", 1, other_ask), ("c.md", 1, other_layer)]) == []
    gradient = "ask: gradient\nof: {of}\nentry: 0\nconv1d: {{input: [1, 2, 3], weight: [1, -1]}}"
    assert repeats([("a.md", 1, gradient.format(of="input")), ("b.md", 1, gradient.format(of="weight"))]) == []
    stack = "ask: receptive_field\nstack: [{kernel_size: 3, stride: 2}, {kernel_size: 3}]"
    assert len(repeats([("a.md", 1, stack), ("b.md", 1, stack.replace("3}]", "3, dilation: 1}]"))])) == 1


@pytest.mark.parametrize("page", CASE_AND_GUIDE_PAGES)
def test_every_case_and_guide_page_asks_at_least_one_why(page):
    asked = [make_exercise(body) for where, _, body in EXERCISES if where == page]
    why = [e for e in asked if e.why]
    assert why, f"{page}: no exercise asks why (a why_* kind, causal_padding, output_padding, or a refused layer)"
    assert all("why" in e.question.lower() for e in why)


@pytest.mark.parametrize("page", sorted(PAGE_ASKS))
def test_a_page_asks_about_its_own_idea(page):
    asks = {make_exercise(body).ask for where, _, body in EXERCISES if where == page}
    assert PAGE_ASKS[page] <= asks, f"{page} asks {sorted(asks)}"


def test_a_why_is_only_a_why_when_the_answer_explains():
    accepted = exercise("ask: refused\nconv1d: {input_length: 5, kernel_size: 3}")
    refused = exercise("ask: refused\nconv1d: {input_length: 2, kernel_size: 3}")
    assert not accepted.why and refused.why  # "If not, why not?": only a refusal has a reason to give
    assert not exercise("ask: output_length\nconv1d: {input_length: 5, kernel_size: 3}").why


@pytest.mark.parametrize("page", CASE_AND_GUIDE_PAGES)
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
        "ask: receptive_field\nstack: [{kernel_size: 3, stride: 2}, {kernel_size: 3}, {kernel_size: 3}]",
        "ask: receptive_field\nstack: [{kernel_size: 2, dilation: 2}, {kernel_size: 2, dilation: 4}]",
        "ask: why_hole\ncell: 1\nstack: [{kernel_size: 2, dilation: 2}, {kernel_size: 2, dilation: 4}]",
        "ask: why_hole\ncell: 3\nstack: [{kernel_size: 3}, {kernel_size: 3, dilation: 4}]",
        "ask: why_hole\ncell: 2\nstack: [{kernel_size: 1, stride: 2}, {kernel_size: 2, dilation: 3}]",
        "ask: causal_padding\nconv1d: {input_length: 6, kernel_size: 3, dilation: 2}",
        "ask: causal_padding\nconv1d: {input: [2, 3, 4], weight: [1, 1]}",
        "ask: causal_padding\nconv1d: {input_length: 4, kernel_size: 1}",
        "ask: output_padding\nlength: 8\nconv_transpose1d: {input_length: 4, kernel_size: 3, stride: 2, padding: 1}",
        "ask: output_padding\nlength: 7\nconv_transpose1d: {input_length: 4, kernel_size: 3, stride: 2, padding: 1}",
        "ask: output_padding\nlength: 9\nconv_transpose1d: {input_length: 3, kernel_size: 2, stride: 3, dilation: 2}",
        "ask: output_padding\nlength: 6\nconv_transpose1d: {input_length: 6, kernel_size: 3, padding: 1}",
        "ask: gradient\nof: input\nentry: 2\nconv1d: {input: [1, 2, 3, 4, 5], weight: [1, -1, 2], stride: 2}",
        "ask: gradient\nof: weight\nentry: 0\ngrad_output: [1, -1, 2]\n"
        "conv1d: {input: [1, -2, 3, 0, 2], weight: [1, 1], stride: 2, padding: 1}",
        "ask: gradient\nof: bias\ngrad_output: [0.5, -1, 2]\nconv1d: {input: [2, 3, 4, 5], weight: [1, -1], bias: 0.5}",
        "ask: gradient\nof: input\nentry: 4\nconv1d: {input: [2, 3, 4, 5, 6], weight: [1, 2], stride: 2}",
        "ask: gradient\nof: weight\nentry: 1\n"
        "conv1d: {input: [2, 3, 4, 5, 6], weight: [1, 2, 3], dilation: 2, padding: 2}",
        "ask: why_unread\ncell: 4\nconv1d: {input_length: 5, kernel_size: 2, stride: 2}",
        "ask: why_unread\ncell: 1\nconv1d: {input_length: 5, kernel_size: 1, stride: 2}",
        "ask: why_unread\ncell: 3\nconv1d: {input_length: 8, kernel_size: 2, stride: 2, dilation: 2}",
        "ask: why_unread\ncell: 0\nconv_transpose1d: {input_length: 3, kernel_size: 1, stride: 2, padding: 1}",
        "ask: why_terms\noutputs: [2, 3]\nconv_transpose1d: {input_length: 4, kernel_size: 3, stride: 2}",
        "ask: why_terms\noutputs: [4, 5]\nconv_transpose1d: {input_length: 4, kernel_size: 3, stride: 2, dilation: 2}",
        "ask: why_terms\noutputs: [0, 2]\nconv_transpose1d: {input_length: 4, kernel_size: 3, stride: 2}",
        "ask: why_terms\noutputs: [1, 2]\n"
        "conv_transpose1d: {input_length: 4, kernel_size: 3, stride: 2, padding: 1, dilation: 2}",
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
         f"ask must be one of {', '.join(ASKS)}, got 'length'"),
        ("conv1d: {input_length: 3, kernel_size: 2}", "ask must be one of"),
        ("ask: reads\nquestion: why\nconv1d: {input_length: 3, kernel_size: 2}",
         "unknown option 'question'; allowed: ask, conv1d, conv_transpose1d, stack, output, cell,"),
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
        ("ask: receptive_field\nconv1d: {input_length: 3, kernel_size: 2}",
         "ask: receptive_field takes a stack: 'stack: [{kernel_size: 3, stride: 2}, ...]'"),
        ("ask: output_length\nstack: [{kernel_size: 2}]", "give the layer as one option, 'conv1d: {...}'"),
        ("ask: receptive_field\nstack: {kernel_size: 3}",
         "stack must be a list of layers such as [{kernel_size: 3, stride: 2}, {kernel_size: 3}], got "
         "{'kernel_size': 3}"),
        ("ask: receptive_field\nstack: [3, 3]", "stack layer 1 must be a mapping such as {kernel_size: 3}, got 3"),
        ("ask: receptive_field\nstack: [{kernel_size: 3, padding: 1}]",
         "unknown stack option 'padding' in layer 1; allowed: kernel_size, stride, dilation"),
        ("ask: receptive_field\nstack: [{kernel_size: 3}, {stride: 2}]", "stack layer 2 needs 'kernel_size: K'"),
        ("ask: receptive_field\nstack: [{kernel_size: 0}]", "stack layer 1: kernel_size must be an int >= 1"),
        ("ask: why_hole\ncell: 2\nstack: [{kernel_size: 2, dilation: 2}, {kernel_size: 2, dilation: 4}]",
         "cell must be a cell inside the field that output 0 does not depend on: 1, 3 or 5, got 2"),
        ("ask: why_hole\nstack: [{kernel_size: 2, dilation: 2}, {kernel_size: 2, dilation: 4}]", "or 5, got None"),
        ("ask: why_hole\ncell: 1\nstack: [{kernel_size: 2}, {kernel_size: 2, dilation: 2}]",
         "ask: why_hole needs a stack whose field has holes, and output 0 of this one depends on every cell from x[0] "
         "to x[3]"),
        ("ask: causal_padding\nconv1d: {input_length: 6, kernel_size: 3, padding: 2}",
         "ask: causal_padding takes kernel_size (or weight), dilation and the input only; leave out padding"),
        ("ask: causal_padding\nconv1d: {input_length: 6, kernel_size: 3, stride: 2}", "leave out stride"),
        ("ask: causal_padding\nconv_transpose1d: {input_length: 6, kernel_size: 3}",
         "ask: causal_padding takes the layer as 'conv1d: {...}', got 'conv_transpose1d'"),
        ("ask: output_padding\nlength: 9\nconv_transpose1d: {input_length: 4, kernel_size: 3, stride: 2, padding: 1}",
         "length must be 7 or 8 (the lengths nn.Conv1d with kernel_size=3, stride=2, padding=1, dilation=1 maps to 4),"
         " got 9"),
        ("ask: output_padding\nconv_transpose1d: {input_length: 4, kernel_size: 3, stride: 2}", "or 10 (the lengths"),
        ("ask: output_padding\nlength: 8\nconv_transpose1d: {input_length: 4, kernel_size: 3, stride: 2, "
         "output_padding: 1}", "ask: output_padding asks for the output_padding: leave it out of conv_transpose1d"),
        ("ask: output_length\nlength: 8\nconv1d: {input_length: 3, kernel_size: 2}",
         "'length' goes with ask: output_padding, not ask: output_length"),
        ("ask: gradient\nof: grad\nconv1d: {input: [1, 2, 3], weight: [1, 1]}",
         "of must be one of input, weight, bias, got 'grad'"),
        ("ask: gradient\nof: bias\nconv1d: {input: [1, 2, 3], weight: [1, 1]}",
         "of: bias needs a layer with a bias: give 'bias: b' in conv1d"),
        ("ask: gradient\nof: input\nentry: 3\nconv1d: {input: [1, 2, 3], weight: [1, 1]}",
         "of: input needs 'entry: i' with an int i from 0 to 2, got 3"),
        ("ask: gradient\nof: weight\nconv1d: {input: [1, 2, 3], weight: [1, 1]}",
         "of: weight needs 'entry: i' with an int i from 0 to 1, got None"),
        ("ask: gradient\nof: input\nentry: 0\ngrad_output: [1, 2, 3]\nconv1d: {input: [1, 2, 3], weight: [1, 1]}",
         "grad_output must have one number per output (2), got 3"),
        ("ask: gradient\nof: input\nentry: 0\nconv1d: {input_length: 3, kernel_size: 2}",
         "ask: gradient needs the numbers: 'input: [...]' and 'weight: [...]' in the layer"),
        ("ask: gradient\nof: input\nentry: 0\nconv1d: {input: [1, 2, 3], weight: [1, 1], padding: 1, "
         "padding_mode: reflect}",
         "ask: gradient takes stride, an int padding (zeros) and dilation; leave out padding_mode='reflect'"),
        ("ask: why_unread\ncell: 1\nconv1d: {input_length: 5, kernel_size: 2, stride: 2}",
         "y[0] reads x[1]; cell must be an input no output reads: 4, got 1"),
        ("ask: why_unread\ncell: 1\nconv1d: {input_length: 5, kernel_size: 2}",
         "ask: why_unread needs an input no output reads, and this layer reads every input"),
        ("ask: why_terms\noutputs: [1, 3]\nconv_transpose1d: {input_length: 4, kernel_size: 3, stride: 2}",
         "y[1] and y[3] both add 1 term; outputs must name two outputs that add different numbers of terms: "
         "e.g. y[0] (1) and y[2] (2)"),
        ("ask: why_terms\noutputs: 2\nconv_transpose1d: {input_length: 4, kernel_size: 3, stride: 2}",
         "outputs must be two different output positions [a, b], each from 0 to 8, got 2"),
        ("ask: why_terms\noutputs: [0, 1]\nconv1d: {input_length: 4, kernel_size: 3}",
         "ask: why_terms takes the layer as 'conv_transpose1d: {...}', got 'conv1d'"),
    ],
)  # fmt: skip
def test_a_bad_fence_is_refused_with_one_line_naming_the_problem(body, problem):
    with pytest.raises(FenceError) as caught:
        make_exercise(body)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("```exercise fence (first line ")
    assert problem in message


def test_a_bad_exercise_on_a_page_is_one_build_error_naming_the_page_the_line_and_the_option(caplog):
    """As the build runs it: the hook collects the page's fence errors, the fence renders, the hook logs them."""
    from types import SimpleNamespace

    from conv_docs.site import build_errors

    page_text = (
        "# A page\n\n## Exercises\n\n"
        "```exercise\nask: output_length\nconv1d: {input_length: 7, kernel_size: 3}\n```\n\n"
        "```exercise\nask: gradient\nof: grad\nconv1d: {input: [1, 2, 3], weight: [1, 1]}\n```\n"
    )
    page = SimpleNamespace(file=SimpleNamespace(src_uri="guide/x.md", content_string=page_text))
    build_errors.on_page_markdown(page_text, page)
    shown = [
        format_exercise(fence.body, "exercise", "conv-exercise", {}, None)
        for fence in build_errors.fences_in(page_text)
    ]
    with caplog.at_level("ERROR", logger="mkdocs"):
        build_errors.on_page_content("".join(shown), page)
    assert [record.getMessage() for record in caplog.records] == [
        "guide/x.md:10: ```exercise fence: of must be one of input, weight, bias, got 'grad'"
    ]
    assert "conv-exercise" in shown[0] and "conv-fence-error" in shown[1]  # the page shows the error in its place
