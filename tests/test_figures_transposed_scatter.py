"""The scatter picture of conv_transpose1d and its equivalent ordinary convolution, checked against torch."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import torch
import torch.nn.functional as F

from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg
from conv_docs.figures.transposed_scatter import equivalent, equivalent_trace, grid_kinds, scatter, spread_input

# (input, weight, stride, padding, output_padding, dilation)
CASES = [
    ([2, 3, 4], [1, 1], 1, 0, 0, 1),
    ([2, 3, 4], [1, 2], 2, 1, 1, 1),
    ([1, -2, 0.5, 3], [0.5, -1, 2], 3, 2, 1, 2),
    ([1, 2, 3, 4, 5], [1, 2, 3], 1, 3, 0, 1),  # padding beyond dilation*(k-1): the spread input is cut, not padded
]


def _torch(input, weight, stride, padding, output_padding, dilation) -> list[float]:
    x = torch.tensor([[input]], dtype=torch.float64)
    w = torch.tensor([[weight]], dtype=torch.float64)
    y = F.conv_transpose1d(x, w, stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    return y[0, 0].tolist()


def _texts(svg: str) -> list[tuple[float, float, str]]:
    root = ET.fromstring(svg)
    return [(float(t.get("x")), float(t.get("y")), t.text or "") for t in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.parametrize("case", CASES)
def test_the_ordinary_convolution_of_the_spread_input_with_the_flipped_kernel_is_torchs(case):
    input, weight, stride, padding, output_padding, dilation = case
    expected = _torch(*case)
    assert list(equivalent_trace(*case).output[0]) == pytest.approx(expected)
    # the same built with torch alone: zeros between the cells, padding, flipped kernel
    x = torch.tensor([[input]], dtype=torch.float64)
    spread = torch.zeros(1, 1, (len(input) - 1) * stride + 1, dtype=torch.float64)
    spread[..., ::stride] = x
    pad = dilation * (len(weight) - 1) - padding
    spread = F.pad(spread, (pad, pad + output_padding))  # a negative pad crops, as F.pad does
    flipped = torch.tensor([[weight]], dtype=torch.float64).flip(-1)
    assert F.conv1d(spread, flipped, dilation=dilation)[0, 0].tolist() == pytest.approx(expected)
    values, _ = spread_input(input, len(weight), stride, padding, output_padding, dilation)
    assert values == spread.flatten().tolist()


@pytest.mark.parametrize("case", CASES)
def test_the_scatter_adds_up_to_torchs_output_aligned_with_the_copies(case):
    input, weight, stride, padding, _, dilation = case
    expected = _torch(*case)
    plot = scatter(*case)
    total = re.search(r"they give the output ([^.]*(?:\.\d+[^.]*)*)\.", plot.description).group(1)
    assert [float(v) for v in total.split(", ")] == pytest.approx(expected)
    texts = _texts(to_svg(plot))
    outputs = {text: x for x, _, text in texts if re.fullmatch(r"y\[\d+\]", text)}
    assert len(outputs) == len(expected)
    # every copy x[i]*w[j] is drawn in the column of grid position i*stride + j*dilation, which is output
    # position q - padding: the same column as that output's cell
    inputs = {text: x for x, _, text in texts if re.fullmatch(r"x\[\d+\]", text)}
    pitch = (inputs["x[1]"] - inputs["x[0]"]) / stride  # input cell i sits above grid position i*stride
    first = outputs["y[0]"] - padding * pitch
    for i, value in enumerate(input):
        for j, w in enumerate(weight):
            column = first + (i * stride + j * dilation) * pitch
            product = f"{value * w:g}"
            assert any(abs(x - column) < 0.01 and text == product for x, _, text in texts), (i, j, product)


def test_cropped_and_output_padding_cells_are_marked():
    kinds = grid_kinds(3, 2, stride=2, padding=1, output_padding=1)
    out = len(_torch([2, 3, 4], [1, 2], 2, 1, 1, 1))
    assert kinds.count("cropped") == 1 and kinds[0] == "cropped"  # padding 1 crops the first; output_padding
    assert kinds.count("output_padding") == 1 and kinds[-1] == "output_padding"  # gives back the last
    assert kinds.count("output") + kinds.count("output_padding") == out
    texts = [text for _, _, text in _texts(to_svg(scatter([2, 3, 4], [1, 2], 2, 1, 1)))]
    assert "cut" in texts and "cut: cropped by padding 1" in texts
    assert "inner dashes: added by output_padding 1" in texts
    plain = [text for _, _, text in _texts(to_svg(scatter()))]
    assert "cut" not in plain and not any("output_padding" in text for text in plain)


def test_the_equivalent_figure_names_its_parts():
    texts = [text for _, _, text in _texts(to_svg(equivalent()))]
    assert "kernel flipped: [w1, w0] = [2, 1]" in texts
    assert texts.count("ins") == 2 and texts.count("pad") == 1  # stride 2: one zero between each pair
    expected = _torch([2, 3, 4], [1, 2], 2, 1, 1, 1)
    assert [float(t.rsplit("= ", 1)[1]) for t in texts if t.startswith("→ y[")] == pytest.approx(expected)


def test_the_figures_are_small_and_deterministic():
    for make in (scatter, equivalent, lambda: scatter([2, 3, 4], [1, 2], 2, 1, 1)):
        svg = to_svg(make())
        assert len(svg.encode()) <= MAX_SVG_BYTES and svg == to_svg(make())
