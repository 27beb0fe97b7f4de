"""The overlap-count figure: every row's numbers against torch (conv_transpose1d of ones; nearest upsampling then
conv1d of ones), as drawn in the SVG."""

from __future__ import annotations

from collections import defaultdict

import pytest
import torch
import torch.nn.functional as F
from figure_cases import svg_texts

from conv_docs.figures.overlap_counts import count_rows, counts
from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg

SETTINGS = [(2, 2), (3, 2), (4, 2), (5, 3), (6, 3)]


def torch_rows(length: int) -> list[list[int]]:
    ones = torch.ones(1, 1, length, dtype=torch.float64)
    rows = [F.conv_transpose1d(ones, torch.ones(1, 1, k, dtype=torch.float64), stride=s) for k, s in SETTINGS]
    upsampled = F.interpolate(ones, scale_factor=2, mode="nearest")
    rows.append(F.conv1d(upsampled, torch.ones(1, 1, 3, dtype=torch.float64), padding=1))
    return [[int(v) for v in row.flatten().tolist()] for row in rows]  # sums of ones: exact


@pytest.mark.parametrize("length", [3, 4, 6])
def test_the_rows_are_torchs_counts(length: int) -> None:
    rows = count_rows(length, SETTINGS, resize=(3, 2))
    assert [values for _, values, _ in rows] == torch_rows(length)


def test_a_row_is_even_when_its_middle_is_flat_in_torch() -> None:
    long = torch_rows(12)  # long enough for a flat middle to show, 6 cells in from each end
    evens = [even for _, _, even in count_rows(12, SETTINGS, resize=(3, 2))]
    assert evens == [len(set(row[6:-6])) == 1 for row in long]
    assert evens == [True, False, True, False, True, True]  # the stride divides the kernel: 2/2, 4/2, 6/3


def test_the_svg_shows_each_rows_counts_in_order() -> None:
    texts = svg_texts(to_svg(counts()))
    rows = defaultdict(list)
    for x, y, text in texts:
        if text.isdigit():
            rows[round(y, 1)].append((x, int(text)))
    drawn = [[value for _, value in sorted(row)] for _, row in sorted(rows.items())]  # SVG y grows downwards
    assert drawn == torch_rows(4)
    names = [text for _, _, text in texts if not text.isdigit()]
    assert names == [f"kernel {k}, stride {s}" for k, s in SETTINGS] + ["nearest x2, then kernel 3"]


def test_the_description_names_the_uneven_rows() -> None:
    description = counts().description
    assert "kernel 3, stride 2: 1, 1, 2, 1, 2, 1, 2, 1, 1 (uneven away from the ends)" in description
    assert "kernel 4, stride 2: 1, 1, 2, 2, 2, 2, 2, 2, 1, 1 (even away from the ends)" in description


def test_the_figure_is_small_and_deterministic() -> None:
    svg = to_svg(counts())
    assert len(svg.encode()) <= MAX_SVG_BYTES and svg == to_svg(counts())
