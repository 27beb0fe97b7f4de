"""The padding figures: the four modes and "same", compared with torch."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from conv_docs.figures.padding_modes import mode_traces, modes, same, same_traces
from conv_docs.params import PADDING_MODES


def test_each_mode_row_matches_nn_conv1d() -> None:
    x = torch.tensor([[[2.0, 3.0, 4.0]]], dtype=torch.float64)
    for trace, mode in zip(mode_traces([2, 3, 4], [1, 1], stride=2, padding=1), PADDING_MODES, strict=True):
        conv = torch.nn.Conv1d(1, 1, 2, stride=2, padding=1, padding_mode=mode, bias=False, dtype=torch.float64)
        conv.weight.data.fill_(1.0)
        assert trace.padding_mode == mode
        assert list(trace.output[0]) == conv(x)[0, 0].tolist()  # small integers in float64: exact on any CPU
        # the padded cells are what F.pad puts there
        padded = F.pad(x, (1, 1), mode="constant" if mode == "zeros" else mode)
        assert [cell.value for cell in trace.cells[0]] == padded[0, 0].tolist()


@pytest.mark.parametrize(("kernel_size", "dilation"), [(1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (2, 2), (3, 3)])
def test_same_padding_sides_match_torch(kernel_size: int, dilation: int) -> None:
    x = torch.arange(1.0, 7.0, dtype=torch.float64).reshape(1, 1, 6)
    w = torch.arange(1.0, kernel_size + 1, dtype=torch.float64).reshape(1, 1, kernel_size)
    (trace,) = same_traces(x[0, 0].tolist(), [kernel_size], dilation)
    left, right = trace.padding
    total = dilation * (kernel_size - 1)
    assert (left, right) == (total // 2, total - total // 2)  # the extra zero goes on the right
    expected = F.conv1d(F.pad(x, (left, right)), torch.ones_like(w), dilation=dilation)
    # exact on purpose: small integers in float64 sum exactly in any order, whatever SIMD path torch takes
    assert list(trace.output[0]) == expected[0, 0].tolist()
    assert list(trace.output[0]) == F.conv1d(x, torch.ones_like(w), padding="same", dilation=dilation)[0, 0].tolist()


def test_every_part_of_the_modes_figure_matters() -> None:
    """Its example reads both padding cells, so that every mode's copies change an output (as torch says)."""
    import inspect

    defaults = {name: p.default for name, p in inspect.signature(modes).parameters.items()}
    x = torch.tensor([list(defaults["input"])], dtype=torch.float64)[None]
    k, stride, padding = len(defaults["weight"]), defaults["stride"], defaults["padding"]
    outputs = {}
    for mode in PADDING_MODES:
        conv = torch.nn.Conv1d(1, 1, k, stride=stride, padding=padding, padding_mode=mode, bias=False)
        conv = conv.to(torch.float64)
        conv.weight.data.fill_(1.0)
        outputs[mode] = conv(x)[0, 0].tolist()
    for trace in mode_traces(defaults["input"], defaults["weight"], stride, padding):
        assert all(cell.read for cell in trace.cells[0] if cell.kind != "input"), trace.padding_mode
        assert list(trace.output[0]) == outputs[trace.padding_mode]
    for mode in PADDING_MODES[1:]:  # against zeros: the first and the last output both change
        assert outputs[mode][0] != outputs["zeros"][0] and outputs[mode][-1] != outputs["zeros"][-1], mode


def test_plots_describe_what_they_draw() -> None:
    plot = modes()
    for mode in PADDING_MODES:
        assert f"{mode}:" in plot.description
    assert "zeros: the padding holds" in plot.description and "the output is 5, 9, 7" in plot.description
    assert "kernel 3, stride 1" in plot.description  # zeros: 0+2+3, 2+3+4 and 3+4+0, by hand
    plot = same(input=[1, 2, 3, 4], kernel_sizes=[4])
    assert "1 zero(s) on the left and 2 on the right" in plot.description


def test_figures_make_small_deterministic_svg() -> None:
    from conv_docs.figures import padding_modes
    from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg

    for make in [lambda: padding_modes.modes(), lambda: padding_modes.same()]:
        svg = to_svg(make())
        assert len(svg.encode()) <= MAX_SVG_BYTES
        assert svg == to_svg(make())  # drawn twice, byte for byte the same
