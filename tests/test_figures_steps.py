"""The step-by-step diagram: one panel per step, accessible, and true to torch."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import torch
from figure_cases import CASES, SVG, case_trace, svg_texts, torch_output

from conv_docs import trace_conv1d, trace_conv_transpose1d
from conv_docs.figures.steps import MAX_DRAWN_CELLS, trace_plot
from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg


def test_import_conv_docs_loads_neither_matplotlib_nor_torch():
    code = "import sys, conv_docs; assert not {'matplotlib', 'torch'} & set(sys.modules), sorted(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_accessible_name_and_description_state_each_step():
    trace = case_trace(CASES[3])
    svg = to_svg(trace_plot(trace))
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    by_id = {element.get("id"): element for element in root.iter()}
    title, desc = (by_id[name] for name in ids)
    assert title.tag == f"{SVG}title" and desc.tag == f"{SVG}desc"
    assert "kernel 2" in title.text and "stride 2" in title.text and "padding 1" in title.text
    # the sentence the site promises for the first step, written by hand
    assert "Step 1: w0 and w1 read the padding zero and 2, giving 0*w0 + 2*w1 + bias" in desc.text
    assert "Step 2: w0 and w1 read 3 and 4, giving 3*w0 + 4*w1 + bias" in desc.text


@pytest.mark.parametrize("case", CASES)
def test_the_values_drawn_are_those_of_torch(case):
    weight, bias = [0.5, -2.0][: case["kernel_size"]], 0.25
    trace = trace_conv1d([2, 3, 4], weight, bias=bias, stride=case["stride"], padding=case["padding"])
    plot = trace_plot(trace)
    expected = torch_output(case, weight, bias)
    results = [float(value) for value in re.findall(r"giving [^=]*= (-?\d+(?:\.\d+)?)", plot.description)]
    assert results == pytest.approx(expected)
    assert len(re.findall(r"Step \d+:", plot.description)) == len(expected)
    drawn = [text for _, _, text in svg_texts(to_svg(plot))]
    for k in range(len(expected)):
        assert f"Step {k + 1}" in drawn and f"y[{k}]" in drawn


def test_the_cell_no_step_reads_is_marked():
    svg = to_svg(trace_plot(case_trace(CASES[2])))  # kernel 2, stride 2: the 4 is never read
    texts = svg_texts(svg)
    never = {x for x, _, text in texts if text == "unread"}
    where = {text: x for x, _, text in texts if re.fullmatch(r"x\[\d\]", text)}
    assert never == {where["x[2]"]}
    description = trace_plot(case_trace(CASES[2])).description
    assert "4 (position 2) is never read" in description


def test_every_input_is_read_with_stride_1():
    svg = to_svg(trace_plot(case_trace(CASES[1])))
    assert "unread" not in svg


def test_padding_cells_say_what_they_copy():
    # reflect padding 2 on [2, 3, 4, 5, 6] puts x[2], x[1] on the left and x[3], x[2] on the right (torch's F.pad)
    x = torch.tensor([[[2.0, 3.0, 4.0, 5.0, 6.0]]])
    padded = torch.nn.functional.pad(x, (2, 2), mode="reflect")[0, 0].tolist()
    trace = trace_conv1d([2, 3, 4, 5, 6], [1, 1, 1], stride=3, padding=2, padding_mode="reflect")
    texts = svg_texts(to_svg(trace_plot(trace)))
    first_panel = [(x, text) for x, y, text in texts if y < texts[0][1] + 80]
    reflects = sorted(x for x, text in first_panel if text == "reflects")
    assert len(reflects) == 4
    values = {x: text for x, text in first_panel if re.fullmatch(r"-?\d+", text)}
    assert [float(values[x]) for x in reflects] == [padded[0], padded[1], padded[-2], padded[-1]]


def test_dilation_leaves_gaps_between_the_taps():
    trace = trace_conv1d([1, 2, 3, 4, 5], [1, 1], dilation=3)
    texts = svg_texts(to_svg(trace_plot(trace)))
    cells = sorted({x for x, _, text in texts if re.fullmatch(r"x\[\d\]", text)})
    pitch = cells[1] - cells[0]
    w0 = min(x for x, _, text in texts if text == "w0")
    w1 = min(x for x, _, text in texts if text == "w1")
    assert w1 - w0 == pytest.approx(3 * pitch)


def test_transposed_trace_draws_one_panel_per_output():
    trace = trace_conv_transpose1d([1, 2], [1, 1], bias=0.5, stride=2)
    expected = torch.nn.functional.conv_transpose1d(
        torch.tensor([[[1.0, 2.0]]]), torch.ones(1, 1, 2), torch.tensor([0.5]), stride=2
    )[0, 0].tolist()
    plot = trace_plot(trace)
    drawn = [text for _, _, text in svg_texts(to_svg(plot))]
    assert [f"Step {k}" in drawn for k in range(1, len(expected) + 1)] == [True] * len(expected)
    assert plot.title.startswith("conv_transpose1d")


def test_several_channels_get_one_row_each_and_full_weight_names():
    weight = [[[1, 1], [1, -1]], [[2, 0], [0, 2]]]  # (C_out, C_in, K) as torch lays it out
    trace = trace_conv1d([[1, 2, 3, 4], [5, 6, 7, 8]], weight, bias=[0, 1], stride=2)
    x = torch.tensor([[[1.0, 2, 3, 4], [5, 6, 7, 8]]])
    w = torch.tensor(weight, dtype=torch.float32)
    expected = torch.nn.functional.conv1d(x, w, torch.tensor([0.0, 1.0]), stride=2)[0]
    plot = trace_plot(trace)
    drawn = [text for _, _, text in svg_texts(to_svg(plot))]
    assert drawn.count("channel 0") == drawn.count("channel 1") == expected.numel()  # one row per channel per step
    assert "w[1][0][j]" in drawn and "j=1" in drawn and "x[1][3]" in drawn
    results = [float(value) for value in re.findall(r"giving [^=]*= (-?\d+(?:\.\d+)?)", plot.description)]
    assert results == expected.flatten().tolist()  # small integers: exact in float32 on any CPU


def test_a_long_formula_is_broken_into_short_lines_that_read_as_the_whole():
    trace = trace_conv1d([[1, 2, 3], [4, 5, 6]], [[[1, 0], [2, -1]]], bias=[0.5])
    x = torch.tensor([[[1.0, 2, 3], [4, 5, 6]]])
    expected = torch.nn.functional.conv1d(x, torch.tensor([[[1.0, 0], [2, -1]]]), torch.tensor([0.5]))[0, 0]
    drawn = [text for _, _, text in svg_texts(to_svg(trace_plot(trace)))]

    def block(start: int) -> list[str]:  # a line and the "+ ..." lines that continue it
        end = start + 1
        while end < len(drawn) and drawn[end].startswith("+ "):
            end += 1
        return drawn[start:end]

    for t, step in enumerate(trace.steps):
        start = next(n for n, text in enumerate(drawn) if text.startswith(f"y[{t}] = "))
        formula = block(start)
        arithmetic = block(start + len(formula))
        assert len(formula) > 1 and max(len(line) for line in formula + arithmetic) <= 40
        assert " ".join(formula) == f"y[{t}] = {step.formula()}"
        assert "w[0][1][1]" in formula[-2] + formula[-1]  # every product, by its full weight name
        assert arithmetic[0].startswith("= ")
        assert float(" ".join(arithmetic).rsplit(" = ", 1)[1]) == pytest.approx(expected[t].item())


@pytest.mark.parametrize(
    "trace",
    [
        trace_conv1d([0] * 150, [0] * 150),  # one panel of 150 cells
        trace_conv_transpose1d([0], [0] * 150),  # 150 panels of one cell
        trace_conv1d([0] * 12, [0]),  # 12 panels of 12 cells: the fewest bytes a cell (zeros, short labels)
        trace_conv1d([[0] * 9] * 2, [[[0]] * 2]),  # two channels
    ],
    ids=["wide", "tall", "square", "two channels"],
)
def test_a_drawn_cell_costs_over_200_bytes(trace) -> None:
    """So a diagram of more than MAX_DRAWN_CELLS (200) cells would pass MAX_SVG_BYTES (30000) by far: refusing it
    before it is drawn refuses no figure that would be kept."""
    drawn = len(trace.steps) * sum(len(cells) for cells in trace.cells)
    assert 140 <= drawn <= MAX_DRAWN_CELLS
    with pytest.raises(ValueError, match=r"is \d+ bytes of SVG, over the limit") as refused:
        to_svg(trace_plot(trace))
    size = int(re.search(r"is (\d+) bytes", str(refused.value)).group(1))
    assert size > 200 * drawn
    assert 200 * MAX_DRAWN_CELLS > MAX_SVG_BYTES  # so past MAX_DRAWN_CELLS, every diagram is too large


def test_a_longer_trace_is_refused_before_it_is_drawn() -> None:
    trace = trace_conv1d([2, 3, 4], [1], padding=100)  # 203 panels of 203 cells: a minute to draw
    with pytest.raises(ValueError, match=r"203 steps of 203 cells = 41209 cells, more than MAX_DRAWN_CELLS = 200"):
        trace_plot(trace)
    with pytest.raises(TypeError, match="trace must be a Trace"):
        trace_plot("y = w * x")
