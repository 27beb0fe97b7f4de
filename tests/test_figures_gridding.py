"""The gridding figure: the cells it marks are those autograd gives a gradient, and the figure states its holes."""

from __future__ import annotations

import pytest
import torch

from conv_docs.figures.gridding import depends_on, gridding


def autograd_depends_on(kernel_size: int, dilations: list[int]) -> list[bool]:
    """Whether output 0 of the stack (all weights 1) has a non-zero gradient at each input cell of its field."""
    convs = []
    for d in dilations:
        conv = torch.nn.Conv1d(1, 1, kernel_size, dilation=d, bias=False, dtype=torch.float64)
        torch.nn.init.ones_(conv.weight)
        convs.append(conv)
    field = 1 + sum(d * (kernel_size - 1) for d in dilations)  # the hand formula, no strides
    x = torch.ones(1, 1, field, dtype=torch.float64, requires_grad=True)
    torch.nn.Sequential(*convs)(x)[0, 0, 0].backward()
    return [bool(g) for g in x.grad[0, 0].tolist()]


@pytest.mark.parametrize(
    ("kernel_size", "dilations"),
    [(3, [[2, 2, 2], [1, 2, 4]]), (2, [[2, 4, 8], [1, 2, 4, 8], [1, 4]]), (3, [[3, 3], [1, 3, 9]])],
)
def test_cells_marked_are_the_cells_autograd_reaches(kernel_size: int, dilations: list[list[int]]) -> None:
    rows = depends_on(kernel_size, dilations)
    assert rows == [autograd_depends_on(kernel_size, schedule) for schedule in dilations]


def test_figure_states_the_holes() -> None:
    plot = gridding(3, [[2, 2, 2], [1, 2, 4]])
    # kernel 3, dilations 2, 2, 2: a field of 1 + 3*2*2 = 13 cells, only the even ones read
    assert "a receptive field of 13 cells, of which the output depends on 7; holes at 1, 3, 5, 7, 9, 11" in (
        plot.description
    )
    assert "a receptive field of 15 cells, every one of which the output depends on" in plot.description


def test_bad_schedules_are_refused() -> None:
    with pytest.raises(ValueError, match="dilations must be a non-empty list of non-empty lists"):
        gridding(3, [])
    with pytest.raises(ValueError, match="dilations must be a non-empty list of non-empty lists"):
        gridding(3, [[1, 2], []])
    with pytest.raises(ValueError, match="dilation must be an int >= 1"):
        gridding(3, [[0, 2]])


def test_figures_make_small_deterministic_svg() -> None:
    from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg

    svg = to_svg(gridding())
    assert len(svg.encode()) <= MAX_SVG_BYTES
    assert svg == to_svg(gridding())  # drawn twice, byte for byte the same
