"""The backward-pass figures: labelled as gradients, with the numbers torch's autograd computes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import torch
import torch.nn.functional as F

from conv_docs.figures.gradients import input_gradient, input_gradient_trace, weight_gradient, weight_gradient_terms
from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg

# (input, weight, grad, stride, padding, dilation): the page's two examples, and a few with everything at once
CASES = [
    ([2, 3, 4], [1, 1], [1], 2, 0, 1),
    ([2, 3, 4], [0.5, -1], [1, 2], 1, 0, 1),
    ([1, 2, 3, 4, 5, 6], [1, -1, 2], [1, 2, -1], 2, 1, 1),
    ([1, -2, 3, 0.5, 5, 6, 7], [0.25, 2], [1, -3, 2, 0.5], 2, 1, 2),
]


def _autograd(input, weight, grad, stride, padding, dilation):
    x = torch.tensor([[input]], dtype=torch.float64, requires_grad=True)
    w = torch.tensor([[weight]], dtype=torch.float64, requires_grad=True)
    y = F.conv1d(x, w, stride=stride, padding=padding, dilation=dilation)
    y.backward(torch.tensor([[grad]], dtype=torch.float64))
    return x.grad[0, 0].tolist(), w.grad[0, 0].tolist()


def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


def _blocks(texts: list[str], start: str) -> list[str]:
    """The formulas drawn, one string each: a line starting with ``start`` and the lines that continue it."""
    blocks: list[str] = []
    for text in texts:
        if text.startswith(start):
            blocks.append(text)
        elif blocks and text.startswith(("= ", "+ ", "- ", "(")):
            blocks[-1] += " " + text
        elif blocks and not blocks[-1].endswith("(no window reads it)"):
            blocks.append("")  # anything else ends the formula
    return [block for block in blocks if block]


@pytest.mark.parametrize("case", CASES)
def test_the_input_gradient_is_autograds(case):
    expected, _ = _autograd(*case)
    trace = input_gradient_trace(*case)
    assert [step.output for step in trace.steps] == pytest.approx(expected)
    plot = input_gradient(*case)
    drawn = [float(v) for v in re.findall(r"∂L/∂x\[\d+\] = [^;]*?= (-?[\d.]+)(?:;|\.$)", plot.description)]
    assert drawn == pytest.approx(expected)
    blocks = [b for b in _blocks(_texts(to_svg(plot)), "∂L/∂x[") if b.startswith("∂L/∂x[") and " = " in b]
    for i, value in enumerate(expected):  # each cell's formula ends with autograd's value
        assert blocks[i].startswith(f"∂L/∂x[{i}] = ")
        if blocks[i].endswith("(no window reads it)"):
            assert value == 0
        else:
            assert float(blocks[i].rsplit("= ", 1)[1]) == pytest.approx(value)


@pytest.mark.parametrize("case", CASES)
def test_the_weight_gradient_is_autograds(case):
    _, expected = _autograd(*case)
    assert [total for _, total in weight_gradient_terms(*case)] == pytest.approx(expected)
    plot = weight_gradient(*case)
    drawn = [float(v) for v in re.findall(r"∂L/∂w\d+ = [^;]*?= (-?[\d.]+)(?:;|\.)", plot.description)]
    assert drawn == pytest.approx(expected)
    blocks = _blocks(_texts(to_svg(plot)), "∂L/∂w")
    for j, value in enumerate(expected):
        assert blocks[j].startswith(f"∂L/∂w{j} = ")
        assert float(blocks[j].rsplit("= ", 1)[1]) == pytest.approx(value)


def test_the_figures_say_backward_pass_and_name_gradients_not_outputs():
    for plot in (input_gradient(), weight_gradient()):
        assert plot.title.startswith("Backward pass of conv1d")
        assert "g = ∂L/∂y" in plot.title
        texts = _texts(to_svg(plot))
        assert not any(re.match(r"y\[", text) for text in texts), texts  # nothing is called an output
    inputs = _texts(to_svg(input_gradient()))
    assert "g[t] = ∂L/∂y[t]" in inputs and any(text.startswith("∂L/∂x[i]") for text in inputs)
    assert any(text.startswith("∂L/∂x[2] = 0") for text in inputs)  # the cell no window reads gets nothing
    weights = _texts(to_svg(weight_gradient()))
    assert any(text.startswith("∂L/∂w0 = g[0]*x[0] + g[1]*x[1]") for text in weights)
    assert "g[0]" in weights and "g[1]" in weights


def test_a_gradient_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="grad must have one value per output of the forward conv1d \\(2\\), got 3"):
        input_gradient([2, 3, 4], [1, 1], grad=[1, 2, 3], stride=1)


def test_the_figures_are_small_and_deterministic():
    for make in (input_gradient, weight_gradient):
        svg = to_svg(make())
        assert len(svg.encode()) <= MAX_SVG_BYTES and svg == to_svg(make())
