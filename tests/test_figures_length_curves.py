"""The output-length staircases: every plotted length is the length torch gives."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from conv_docs.figures.length_curves import DEFAULT_SETTINGS, length_against_input, length_curve


def torch_length(length: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int | None:
    try:
        out = F.conv1d(torch.zeros(1, 1, length), torch.zeros(1, 1, kernel_size), None, stride, padding, dilation)
    except RuntimeError:
        return None  # torch refuses: the window does not fit
    return out.shape[-1]


@pytest.mark.parametrize("setting", DEFAULT_SETTINGS, ids=str)
def test_plotted_lengths_are_torch_lengths(setting: dict) -> None:
    curve = length_curve(setting, max_length=14)
    assert curve.lengths == tuple(torch_length(n, **setting) for n in range(1, 15))


def test_label_is_short() -> None:
    assert length_curve({"kernel_size": 3, "stride": 2, "padding": 1}).label == "k=3, s=2, p=1"


def test_plot_has_a_title_and_a_description_with_the_lengths() -> None:
    plot = length_against_input(settings=[{"kernel_size": 2, "stride": 2}], max_length=8)
    assert plot.title
    # k=2, s=2 on 8 inputs gives 4 outputs, and the first output needs 2 inputs (hand count)
    assert "input length 2, and 4 at 8" in plot.description


def test_figures_make_small_deterministic_svg() -> None:
    from conv_docs.figures import length_curves
    from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg

    for make in [lambda: length_curves.length_against_input()]:
        svg = to_svg(make())
        assert len(svg.encode()) <= MAX_SVG_BYTES
        assert svg == to_svg(make())  # drawn twice, byte for byte the same
