"""The im2col figure: its columns against torch's Tensor.unfold, and the figure itself."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from conv_docs.fast import multiplications
from conv_docs.figures.fast_paths import columns_of, costs, crossover, im2col_picture


@pytest.mark.parametrize(("kernel", "stride", "padding"), [(3, 1, 1), (2, 2, 1), (1, 1, 0), (4, 3, 2)])
def test_columns_are_torch_unfold_windows(kernel, stride, padding) -> None:
    x = [2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    windows = F.pad(torch.tensor(x), (padding, padding)).unfold(0, kernel, stride)  # (L_out, K)
    np.testing.assert_array_equal(columns_of(x, kernel, stride, padding), windows.T.numpy())


def test_figure_states_columns_and_output() -> None:
    svg = pytest.importorskip("conv_docs.figures.svg")
    plot = im2col_picture()
    y = F.conv1d(torch.tensor([[[2.0, 3, 4, 5, 6]]]), torch.tensor([[[1.0, 0, -1]]]), padding=1).flatten()
    assert "gives the output " + ", ".join(f"{v:g}" for v in y.tolist()) in plot.description
    assert "column 0 holds 0, 2, 3" in plot.description
    assert len(svg.to_svg(plot).encode()) <= 30_000


def test_crossover_is_the_first_kernel_where_fft_is_cheaper() -> None:
    sizes = [3, 9, 17, 33, 65, 129, 257]
    cross = crossover(4096, sizes)
    cheaper = [multiplications(4096, k, 4097 - k, "fft") < k * (4097 - k) for k in sizes]  # direct: K per output
    assert cross == sizes[cheaper.index(True)]
    assert not any(cheaper[: sizes.index(cross)])
    assert crossover(64, [2, 3]) is None  # short kernels on a short signal: the loops always win


def test_cost_figure_states_the_crossover() -> None:
    svg = pytest.importorskip("conv_docs.figures.svg")
    plot = costs()
    assert f"the FFT needs fewer from kernel size {crossover(4096, [2**k + 1 for k in range(1, 11)])} on" in (
        plot.description
    )
    assert len(svg.to_svg(plot).encode()) <= 30_000
