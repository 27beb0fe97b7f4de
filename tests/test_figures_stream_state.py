"""The streaming-state figure: what each chunk starts from and gives, against the whole signal's causal
convolution in torch."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from figure_cases import svg_texts

from conv_docs.figures.stream_state import state_buffer, stream_rows
from conv_docs.figures.svg import MAX_SVG_BYTES, to_svg

CASES = [
    ([2, 3, 4, 5, 1, 6, 2, 3, 1], [1, 1, 1], [3, 2, 4], 1),
    ([2, 3, 4, 5, 1, 6, 2, 3, 1], [1, 1], [1, 4, 4], 2),
    ([1, -2, 0.5, 3, 4], [0.5, -1, 2], [1, 1, 3], 3),
]


@pytest.mark.parametrize(("input", "weight", "chunks", "dilation"), CASES)
def test_each_chunk_starts_from_the_last_inputs_and_gives_torchs_outputs(input, weight, chunks, dilation) -> None:
    keep = dilation * (len(weight) - 1)
    padded = F.pad(torch.tensor([[input]], dtype=torch.float64), (keep, 0))  # the causal padding, by hand
    whole = F.conv1d(padded, torch.tensor([[weight]], dtype=torch.float64), dilation=dilation).flatten().tolist()
    start = 0
    for state, chunk, out in stream_rows(input, weight, chunks, dilation):
        assert state == padded.flatten()[start : start + keep].tolist()  # the keep inputs before the chunk
        assert chunk == [float(v) for v in input[start : start + len(chunk)]]
        assert out == pytest.approx(whole[start : start + len(chunk)])
        start += len(chunk)
    assert start == len(input)


def test_the_svg_shows_the_outputs_under_their_chunks() -> None:
    plot = state_buffer()
    texts = svg_texts(to_svg(plot))
    assert [text for _, _, text in texts if text.startswith("chunk")] == ["chunk 1", "chunk 2", "chunk 3"]
    assert sum(text == "state" for _, _, text in texts) == 3
    # outputs of the first chunk 2, 5, 9 (by hand: 0+0+2, 0+2+3, 2+3+4), each under its input
    cells: dict[str, float] = {}
    for x, _, text in texts:  # drawn chunk by chunk: the first of each number belongs to the first chunk
        cells.setdefault(text, x)
    assert cells["9"] == pytest.approx(cells["4"]) and cells["5"] == pytest.approx(cells["3"])
    assert "the causal convolution of the whole signal" in plot.description
    assert "keeps the last 2 inputs" in plot.description


def test_chunks_that_do_not_cover_the_input_are_refused() -> None:
    with pytest.raises(ValueError, match="chunks must be sizes >= 1 that add up to the input length 3"):
        stream_rows([1, 2, 3], [1, 1], [2])


def test_the_figure_is_small_and_deterministic() -> None:
    svg = to_svg(state_buffer())
    assert len(svg.encode()) <= MAX_SVG_BYTES and svg == to_svg(state_buffer())
