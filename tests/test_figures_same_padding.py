"""The "SAME" figures: what they draw and say, against torch (F.pad then conv1d) and JAX's own "SAME"."""

from __future__ import annotations

import jax
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from conv_docs.figures import same_padding
from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg


@pytest.mark.parametrize(("length", "kernel", "stride"), [(6, 3, 2), (5, 3, 2), (7, 4, 3), (4, 2, 2)])
def test_comparison_matches_torch_and_jax(length: int, kernel: int, stride: int) -> None:
    x = np.arange(1.0, length + 1)
    w = np.array([1.0, -2.0, 3.0, 0.5][:kernel])
    same, symmetric = same_padding.comparison_traces(x, w, stride)
    jax_same = jax.lax.conv_general_dilated(x[None, None], w[None, None], (stride,), "SAME")
    np.testing.assert_allclose(same.output[0], np.asarray(jax_same)[0, 0], atol=1e-12)
    t = torch.from_numpy(x)[None, None]
    expected = F.conv1d(t, torch.from_numpy(w)[None, None], stride=stride, padding=(kernel - 1) // 2)
    np.testing.assert_allclose(symmetric.output[0], expected[0, 0].numpy(), atol=1e-12)


def test_the_default_figure_says_what_it_draws() -> None:
    plot = same_padding.same_against_symmetric()
    # worked by hand on [1..6], kernel [1, 1, 1], stride 2: SAME pads (0, 1), padding=1 pads (1, 1)
    assert '"SAME" pads 0 on the left and 1 on the right' in plot.description
    assert "output 2 reads 5, 6, 0 and gives 11" in plot.description
    assert "output 0 reads 0, 1, 2 and gives 3" in plot.description
    assert plot.title == '"SAME" with stride 2 against nn.Conv1d padding=1'


def test_step_diagram_is_the_same_trace() -> None:
    plot = same_padding.steps(input=[1, 2, 3, 4, 5, 6], weight=[1, 1, 1], stride=2)
    assert plot.title.endswith("kernel 3, stride 2, padding (0, 1)")
    x = torch.arange(1.0, 7.0, dtype=torch.float64)[None, None]
    expected = F.conv1d(F.pad(x, (0, 1)), torch.ones(1, 1, 3, dtype=torch.float64), stride=2)[0, 0].tolist()
    assert [float(s.split("= ")[-1]) for s in plot.description.rstrip(".").split(". ")] == expected


def test_figures_make_small_deterministic_svg() -> None:
    for make in [same_padding.same_against_symmetric, same_padding.steps]:
        svg = to_svg(make())
        assert len(svg.encode()) <= MAX_SVG_BYTES
        assert svg == to_svg(make())
