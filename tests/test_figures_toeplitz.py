"""The matrix figure: its tap names against torch's Jacobian, and the figure itself."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch.autograd.functional import jacobian

from conv_docs.figures.toeplitz import tap_grid, toeplitz


@pytest.mark.parametrize(
    ("length", "kernel", "kwargs"),
    [(5, 2, {}), (6, 3, dict(stride=2, padding=1)), (7, 2, dict(dilation=3)), (3, 2, dict(stride=2, padding=1))],
)
def test_tap_names_are_where_torch_jacobian_puts_each_weight(length, kernel, kwargs) -> None:
    w = torch.tensor([[[10.0**j for j in range(kernel)]]], dtype=torch.float64)  # tap j shows up as 10**j

    def conv(x: torch.Tensor) -> torch.Tensor:
        return F.conv1d(x.view(1, 1, -1), w, **kwargs).flatten()

    matrix = jacobian(conv, torch.zeros(length, dtype=torch.float64))
    expected = [[f"w{round(torch.log10(v).item())}" if v else "" for v in row] for row in matrix]
    assert tap_grid(length, kernel, **kwargs) == expected


def test_figure_names_both_matrices() -> None:
    svg = pytest.importorskip("conv_docs.figures.svg")
    plot = toeplitz(6, 3, stride=2, padding=1)
    assert "3 by 6 matrix of conv1d" in plot.description
    assert "row 0: w1 at column 0, w2 at column 1" in plot.description  # the padding zero takes w0's place
    assert len(svg.to_svg(plot).encode()) <= 30_000
