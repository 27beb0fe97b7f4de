"""The SVG writer: deterministic bytes, small valid SVG with text as text, themed colours, unique ids, files."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import torch

from conv_docs import trace_conv1d
from conv_docs.figures.steps import trace_plot
from conv_docs.figures.svg import MAX_SVG_BYTES, THEME, Plot, save, to_svg

SVG = "{http://www.w3.org/2000/svg}"

# The four cases of the site, as nn.Conv1d arguments, on the input [2, 3, 4].
CASES = [
    {"kernel_size": 1, "stride": 1, "padding": 0},
    {"kernel_size": 2, "stride": 1, "padding": 0},
    {"kernel_size": 2, "stride": 2, "padding": 0},
    {"kernel_size": 2, "stride": 2, "padding": 1},
]


def _case_trace(case: dict, bias: float | None = 0.0, weight: list[float] | None = None):
    weight = weight or [1.0] * case["kernel_size"]
    return trace_conv1d([2, 3, 4], weight, bias=bias, stride=case["stride"], padding=case["padding"])


def _torch_output(case: dict, weight: list[float], bias: float) -> list[float]:
    x = torch.tensor([[[2.0, 3.0, 4.0]]], dtype=torch.float64)
    w = torch.tensor([[weight]], dtype=torch.float64)
    b = torch.tensor([bias], dtype=torch.float64)
    return torch.nn.functional.conv1d(x, w, b, stride=case["stride"], padding=case["padding"])[0, 0].tolist()


def _texts(svg: str) -> list[tuple[float, float, str]]:
    """Every <text> of an SVG as (x, y, content)."""
    root = ET.fromstring(svg)
    return [(float(t.get("x")), float(t.get("y")), t.text or "") for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("case", CASES)
def test_two_renders_are_byte_identical(case):
    first = to_svg(trace_plot(_case_trace(case)))
    second = to_svg(trace_plot(_case_trace(case)))
    assert first == second


@pytest.mark.parametrize("case", CASES)
def test_svg_is_small_valid_and_keeps_text_as_text(case):
    svg = to_svg(trace_plot(_case_trace(case)))
    assert len(svg.encode()) <= MAX_SVG_BYTES
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    contents = [text for _, _, text in _texts(svg)]
    assert "w0" in contents and "Step 1" in contents
    assert "<image" not in svg and "glyph" not in svg  # text is not turned into paths or pictures


def test_colours_follow_the_palette_and_styles_stay_inside_the_figure():
    svg = to_svg(trace_plot(_case_trace(CASES[3])))
    bare = re.sub(r"var\(--[\w-]+, #[0-9a-f]{6}\)", "", svg)
    for colour in THEME:
        assert colour not in bare, colour
    figure_id = ET.fromstring(svg).get("id")
    style = re.search(r"<style>(.*?)</style>", svg, re.S).group(1)
    selectors = re.findall(r"([^{}]+)\{", style)
    assert selectors and all(selector.startswith(f"#{figure_id}") for selector in selectors)


def test_ids_differ_between_figures():
    one = ET.fromstring(to_svg(trace_plot(_case_trace(CASES[2]))))
    two = ET.fromstring(to_svg(trace_plot(_case_trace(CASES[3]))))
    ids_one = {element.get("id") for element in one.iter() if element.get("id")}
    ids_two = {element.get("id") for element in two.iter() if element.get("id")}
    assert ids_one and not ids_one & ids_two


def test_too_large_a_figure_is_refused_with_the_limit():
    trace = trace_conv1d(list(range(40)), [1, 1, 1])
    with pytest.raises(ValueError, match="30000"):
        to_svg(trace_plot(trace))


def test_save_writes_svg_and_png_and_refuses_other_suffixes(tmp_path):
    plot = trace_plot(_case_trace(CASES[0]))
    save(plot, tmp_path / "figure.svg")
    assert (tmp_path / "figure.svg").read_text(encoding="utf-8") == to_svg(plot)
    save(plot, tmp_path / "figure.png")
    assert (tmp_path / "figure.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ValueError, match=r"'\.svg', '\.png'"):
        save(plot, tmp_path / "figure.jpg")


def test_plot_is_a_frozen_record():
    plot = trace_plot(_case_trace(CASES[0]))
    assert isinstance(plot, Plot)
    with pytest.raises(AttributeError):
        plot.title = "other"  # type: ignore[misc]


def test_a_fresh_process_draws_the_same_bytes():
    code = (
        "import sys; from conv_docs import trace_conv1d; from conv_docs.figures.steps import trace_plot; "
        "from conv_docs.figures.svg import to_svg; "
        "sys.stdout.write(to_svg(trace_plot(trace_conv1d([2, 3, 4], [1, 1], bias=0, stride=2, padding=1))))"
    )
    other = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert other == to_svg(trace_plot(_case_trace(CASES[3])))
