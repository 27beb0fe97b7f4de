"""The causal figures: the stack's cone against autograd, the comparison against torch."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from conv_docs.figures.causal_windows import comparison_traces, same_against_causal, stack, stack_cone


def torch_cone(dilations: list[int], kernel_size: int, length: int) -> set[int]:
    """Input positions with a non-zero gradient of the top layer's last output (positive weights: no cancelling)."""
    x = torch.ones(1, 1, length, dtype=torch.float64, requires_grad=True)
    h = x
    for d in dilations:
        h = F.conv1d(
            F.pad(h, (d * (kernel_size - 1), 0)), torch.ones(1, 1, kernel_size, dtype=torch.float64), dilation=d
        )
    h[0, 0, -1].backward()
    return {i for i in range(length) if x.grad[0, 0, i] != 0}


@pytest.mark.parametrize(
    ("dilations", "kernel_size", "length"), [([1, 2, 4, 8], 2, 16), ([1, 2, 4, 8], 2, 20), ([1, 3], 3, 12), ([2], 2, 5)]
)
def test_cone_matches_autograd(dilations: list[int], kernel_size: int, length: int) -> None:
    assert stack_cone(dilations, kernel_size, length)[0] == torch_cone(dilations, kernel_size, length)


def test_comparison_matches_torch() -> None:
    same_trace, causal_trace = comparison_traces([1, 2, 3, 4, 5], [1, 1, 1])
    x = torch.tensor([[[1.0, 2.0, 3.0, 4.0, 5.0]]], dtype=torch.float64)
    w = torch.ones(1, 1, 3, dtype=torch.float64)
    # exact on purpose: small integers in float64 sum exactly in any order, whatever SIMD path torch takes
    assert list(same_trace.output[0]) == F.conv1d(x, w, padding="same")[0, 0].tolist()
    assert list(causal_trace.output[0]) == F.conv1d(F.pad(x, (2, 0)), w)[0, 0].tolist()


def test_plots_describe_what_they_draw() -> None:
    assert "16 input positions, from 0 to 15" in stack().description  # 1 + 1 + 2 + 4 + 8 = 16, by hand
    assert "positions 0, 1, 2" in same_against_causal(position=2).description


def test_step_diagram_is_the_causal_trace() -> None:
    from conv_docs.figures.causal_windows import steps

    plot = steps(input=[2, 3, 4], weight=[1, 1])
    assert plot.title.startswith("Causal conv1d")
    x = torch.tensor([[[2.0, 3.0, 4.0]]], dtype=torch.float64)
    expected = F.conv1d(F.pad(x, (1, 0)), torch.ones(1, 1, 2, dtype=torch.float64))[0, 0].tolist()
    # the description ends each step with "= <output>."; the outputs are the causal ones (small integers: exact)
    assert [float(s.split("= ")[-1]) for s in plot.description.rstrip(".").split(". ")] == expected


def test_figures_make_small_deterministic_svg() -> None:
    from conv_docs.figures import causal_windows
    from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg

    for make in [
        lambda: causal_windows.stack(),
        lambda: causal_windows.same_against_causal(),
        lambda: causal_windows.steps(),
    ]:
        svg = to_svg(make())
        assert len(svg.encode()) <= MAX_SVG_BYTES
        assert svg == to_svg(make())  # drawn twice, byte for byte the same
