"""The output_padding figure: its lengths against torch, and the figure itself."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from conv_docs.figures.transposed_lengths import length_round_trip, round_trip


@pytest.mark.parametrize(("kernel", "stride", "padding"), [(3, 3, 0), (2, 2, 0), (3, 2, 1), (4, 3, 1)])
def test_round_trip_lengths_match_torch(kernel, stride, padding) -> None:
    w = torch.ones(1, 1, kernel, dtype=torch.float64)
    for row in length_round_trip(kernel, stride, padding, lengths=range(kernel, 14)):
        y = F.conv1d(torch.zeros(1, 1, row.input_length, dtype=torch.float64), w, stride=stride, padding=padding)
        assert y.shape[-1] == row.output_length
        if row.allowed:
            back = F.conv_transpose1d(y, w, stride=stride, padding=padding, output_padding=row.output_padding)
            assert back.shape[-1] == row.input_length
        else:
            with pytest.raises(RuntimeError):
                F.conv_transpose1d(y, w, stride=stride, padding=padding, output_padding=row.output_padding)


def test_stride_three_groups_three_lengths() -> None:
    rows = length_round_trip(3, 3, lengths=range(6, 12))
    # floor((L - 3) / 3) + 1 by hand: 6, 7, 8 -> 2 and 9, 10, 11 -> 3
    assert [row.output_length for row in rows] == [2, 2, 2, 3, 3, 3]
    assert [row.output_padding for row in rows] == [0, 1, 2, 0, 1, 2]


def test_figure_states_the_groups() -> None:
    svg = pytest.importorskip("conv_docs.figures.svg")
    plot = round_trip()
    assert "6, 7, 8 all give 2" in plot.description
    assert len(svg.to_svg(plot).encode()) <= 30_000
