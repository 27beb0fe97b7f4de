"""The inverse questions against torch: every padding found gives the wanted length, none left out gives it, and
the mirror's output_padding gives back the input length when torch runs it."""

from __future__ import annotations

import itertools
import random

import pytest
import torch
import torch.nn.functional as F
from stack_cases import random_stack, torch_lengths
from torch import nn

from conv_docs.solve import mirror_output_padding, mirror_stack, paddings_for_length
from conv_docs.stack import StackLayer, measure_stack, stack_lengths


def torch_length(length: int, kernel_size: int, stride: int, padding: int, dilation: int, **transposed) -> int | None:
    """The output length torch gives, or None if it refuses."""
    x, w = torch.zeros(1, 1, length), torch.zeros(1, 1, kernel_size)
    try:
        if transposed:
            return F.conv_transpose1d(x, w, None, stride, padding, dilation=dilation, **transposed).shape[-1]
        return F.conv1d(x, w, None, stride, padding, dilation).shape[-1]
    except RuntimeError:
        return None


@pytest.mark.parametrize(
    ("kernel_size", "stride", "dilation"), list(itertools.product((1, 2, 3, 4), (1, 2, 3), (1, 2)))
)
def test_paddings_are_exactly_those_torch_agrees_with(kernel_size: int, stride: int, dilation: int) -> None:
    for length, wanted in itertools.product(range(1, 12), range(1, 14)):
        answer = paddings_for_length(length, wanted, kernel_size, stride, dilation)
        by_torch = [p for p in range(30) if torch_length(length, kernel_size, stride, p, dilation) == wanted]
        assert list(answer.paddings) == by_torch
        if not by_torch:
            for padding, got in answer.nearest:
                assert torch_length(length, kernel_size, stride, padding, dilation) == got
            lengths = {torch_length(length, kernel_size, stride, p, dilation) for p in range(30)} - {None}
            shorter, longer = [n for n in lengths if n < wanted], [n for n in lengths if n > wanted]
            assert [got for _, got in answer.nearest] == ([max(shorter)] if shorter else []) + [min(longer)]


@pytest.mark.parametrize(("kernel_size", "stride"), list(itertools.product((1, 2, 3, 4, 16), (1, 2, 8))))
def test_transposed_paddings_match_torch(kernel_size: int, stride: int) -> None:
    for length, wanted in itertools.product(range(1, 8), range(1, 40)):
        answer = paddings_for_length(length, wanted, kernel_size, stride, transposed=True)
        by_torch = [p for p in range(64) if torch_length(length, kernel_size, stride, p, 1, output_padding=0) == wanted]
        assert list(answer.paddings) == by_torch
        for padding, got in answer.nearest:
            assert torch_length(length, kernel_size, stride, padding, 1, output_padding=0) == got


def test_sentences() -> None:
    assert paddings_for_length(3000, 1500, 3, 2).sentence() == "padding=1 gives 1500 outputs from 3000 inputs"
    assert paddings_for_length(10, 3, 3, 4).sentence() == "padding=1, padding=2 give 3 outputs from 10 inputs"


@pytest.mark.parametrize(
    ("kernel_size", "stride", "padding", "dilation"),
    list(itertools.product((1, 2, 3, 5, 10), (1, 2, 3, 5), (0, 1, 2), (1, 2))),
)
def test_mirror_output_padding_gives_the_length_back(kernel_size, stride, padding, dilation) -> None:
    for length in range(1, 40):
        shorter = torch_length(length, kernel_size, stride, padding, dilation)
        if shorter is None:
            continue
        extra = mirror_output_padding(length, kernel_size, stride, padding, dilation)
        assert torch_length(shorter, kernel_size, stride, padding, dilation, output_padding=extra) == length


def test_mirror_of_same_padding() -> None:
    assert mirror_output_padding(100, kernel_size=3, padding="same") == 0
    with pytest.raises(ValueError, match=r"pads \(1, 2\), unequally"):
        mirror_output_padding(100, kernel_size=4, padding="same")


def test_wav2vec2_decoder_gets_one_second_back() -> None:
    """The mirror of wav2vec 2.0's encoder, run by torch on the 49 frames, gives 16,000 samples again."""
    encoder = [StackLayer("Conv1d", 10, 5, in_channels=1, out_channels=512, bias=False)]
    encoder += [StackLayer("Conv1d", k, 2, in_channels=512, out_channels=512, bias=False) for k in (3,) * 4 + (2, 2)]
    decoder = mirror_stack(encoder, 16000)
    assert [layer.output_padding for layer in decoder] == [1, 1, 0, 0, 0, 0, 0]
    x = torch.zeros(1, 512, 49)
    for layer in decoder:
        x = nn.ConvTranspose1d(
            layer.in_channels, layer.out_channels, layer.kernel_size, layer.stride, layer.padding,
            output_padding=layer.output_padding, bias=False,
        )(x)  # fmt: skip
    assert x.shape == (1, 1, 16000)
    assert measure_stack(decoder, 49).out_length == 16000


@pytest.mark.parametrize("seed", range(60))
def test_mirror_of_random_stacks_returns_the_length(seed: int) -> None:
    rng = random.Random(5000 + seed)
    specs = [("Conv1d", dict(in_channels=1, out_channels=1, kernel_size=rng.randint(1, 4))), *random_stack(rng)]
    stack = [StackLayer(kind, **{k: v for k, v in kwargs.items() if k != "value"}) for kind, kwargs in specs]
    length = rng.randint(5, 40)
    if torch_lengths(specs, length) is None:
        pytest.skip("torch refuses the stack")
    try:
        decoder = mirror_stack(stack, length)
    except ValueError as error:
        # 'same' of an even span; a last window of ceil_mode; an output_padding of a dilation past the stride
        assert any(reason in str(error) for reason in ("unequally", "no output_padding", "no Conv1d with"))
        return
    out = stack_lengths(stack, length)[-1]
    mirror_specs = []
    for layer in decoder:
        if layer.kind == "ConvTranspose1d":
            kwargs = dict(kernel_size=layer.kernel_size, stride=layer.stride, padding=layer.padding)
            kwargs.update(dilation=layer.dilation, output_padding=layer.output_padding)
        elif layer.kind == "Conv1d":
            kwargs = dict(kernel_size=layer.kernel_size, stride=layer.stride, padding=layer.padding)
            kwargs.update(dilation=layer.dilation)
        else:
            kwargs = dict(padding=layer.padding, value=0.0)
        if layer.kind != "ConstantPad1d":
            kwargs.update(in_channels=1, out_channels=1)
        mirror_specs.append((layer.kind, kwargs))
    assert torch_lengths(mirror_specs, out)[-1] == length
