"""The four cases of the site on the input [2, 3, 4], as traces and as torch computes them, and the text of an SVG:
shared by the tests of the step diagram and of the SVG writer."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import torch

from conv_docs import trace_conv1d

SVG = "{http://www.w3.org/2000/svg}"

# The four cases of the site, as nn.Conv1d arguments, on the input [2, 3, 4].
CASES = [
    {"kernel_size": 1, "stride": 1, "padding": 0},
    {"kernel_size": 2, "stride": 1, "padding": 0},
    {"kernel_size": 2, "stride": 2, "padding": 0},
    {"kernel_size": 2, "stride": 2, "padding": 1},
]


def case_trace(case: dict, bias: float | None = 0.0, weight: list[float] | None = None):
    weight = weight or [1.0] * case["kernel_size"]
    return trace_conv1d([2, 3, 4], weight, bias=bias, stride=case["stride"], padding=case["padding"])


def torch_output(case: dict, weight: list[float], bias: float) -> list[float]:
    x = torch.tensor([[[2.0, 3.0, 4.0]]], dtype=torch.float64)
    w = torch.tensor([[weight]], dtype=torch.float64)
    b = torch.tensor([bias], dtype=torch.float64)
    return torch.nn.functional.conv1d(x, w, b, stride=case["stride"], padding=case["padding"])[0, 0].tolist()


def svg_texts(svg: str) -> list[tuple[float, float, str]]:
    """Every <text> of an SVG as (x, y, content)."""
    root = ET.fromstring(svg)
    return [(float(t.get("x")), float(t.get("y")), t.text or "") for t in root.iter(f"{SVG}text")]
