"""The dilation figure: taps spaced `dilation` apart, as torch reads them."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from conv_docs.figures.dilation_taps import dilation_trace, tap_cells, taps


@pytest.mark.parametrize(("kernel_size", "dilation"), [(1, 3), (2, 1), (3, 2), (3, 3), (4, 2)])
def test_taps_are_spaced_by_dilation(kernel_size: int, dilation: int) -> None:
    assert tap_cells(kernel_size, dilation, input_length=12) == tuple(range(0, dilation * kernel_size, dilation))


@pytest.mark.parametrize("dilation", [1, 2, 3])
def test_trace_output_is_torch_output(dilation: int) -> None:
    trace = dilation_trace(3, dilation, 9)
    x = torch.arange(1.0, 10.0, dtype=torch.float64).reshape(1, 1, 9)
    expected = F.conv1d(x, torch.ones(1, 1, 3, dtype=torch.float64), dilation=dilation)
    assert list(trace.output[0]) == expected[0, 0].tolist()  # small integers in float64: exact on any CPU


def test_plot_states_the_span() -> None:
    plot = taps(kernel_size=3, dilations=[2], input_length=9)
    assert "positions 0, 2, 4, a window 5 cells wide" in plot.description  # d*(k-1)+1 = 5 by hand


def test_figures_make_small_deterministic_svg() -> None:
    from conv_docs.figures import dilation_taps
    from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg

    for make in [lambda: dilation_taps.taps()]:
        svg = to_svg(make())
        assert len(svg.encode()) <= MAX_SVG_BYTES
        assert svg == to_svg(make())  # drawn twice, byte for byte the same
