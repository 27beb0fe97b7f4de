"""Output lengths and masks of a padded batch, against torch: each sequence run alone through the same stack."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from conv_docs.receptive_field import Layer
from conv_docs.variable_length import length_mask, output_lengths, valid_mask

# every example runs a small stack on each sequence alone and on the batch: fewer than the profile's 300
MODERATE = settings(max_examples=min(settings().max_examples, 150))

layers = st.builds(
    Layer, st.integers(1, 4), stride=st.integers(1, 3), dilation=st.integers(1, 3), padding=st.integers(0, 3)
)


@st.composite
def batches(draw, padded: bool = True):
    stack = draw(st.lists(layers, min_size=1, max_size=3))
    if not padded:
        stack = [Layer(layer.kernel_size, layer.stride, layer.dilation) for layer in stack]
    lengths = draw(st.lists(st.integers(1, 24), min_size=1, max_size=4))
    return stack, lengths, max(lengths) + draw(st.integers(0, 3))


def torch_stack(stack: list[Layer], seed: int):
    """Random weights and biases for the stack (2 channels throughout) and the function that runs it."""
    generator = torch.Generator().manual_seed(seed)
    weights = [torch.randn(2, 2, layer.kernel_size, dtype=torch.float64, generator=generator) for layer in stack]
    biases = [torch.randn(2, dtype=torch.float64, generator=generator) for _ in stack]

    def run(x: torch.Tensor) -> torch.Tensor:
        for layer, w, b in zip(stack, weights, biases, strict=True):
            x = torch.tanh(F.conv1d(x, w, b, layer.stride, layer.padding, layer.dilation))
        return x

    return run


@MODERATE
@given(case=batches(), seed=st.integers(0, 2**31 - 1))
def test_valid_outputs_are_those_equal_to_running_each_sequence_alone(case, seed, count_example) -> None:
    count_example()
    stack, lengths, width = case
    run = torch_stack(stack, seed)
    generator = torch.Generator().manual_seed(seed + 1)
    batch = torch.randn(len(lengths), 2, width, dtype=torch.float64, generator=generator)  # padding: any values
    try:
        out = run(batch)
    except RuntimeError:  # the batch is too short for the stack: refused by torch, and by the library
        with pytest.raises(ValueError, match="too short for the stack"):
            valid_mask(lengths, stack, width)
        return
    valid = valid_mask(lengths, stack, width)
    within = length_mask(lengths, stack, width)
    own = output_lengths(lengths, stack)
    assert valid.shape == within.shape == (len(lengths), out.shape[-1])
    for n, length in enumerate(lengths):
        try:
            alone = run(batch[n : n + 1, :, :length])[0]
        except RuntimeError:  # too short for some layer when alone: it has no output to compare with
            assert own[n] == 0 and not within[n].any() and not valid[n].any()
            continue
        assert alone.shape[-1] == own[n] == within[n].sum()
        assert within[n, : own[n]].all()
        for t in range(own[n]):
            same = torch.allclose(out[n, :, t], alone[:, t], rtol=0, atol=1e-9)
            assert same == valid[n, t], (n, t, out[n, :, t].tolist(), alone[:, t].tolist())
        assert not valid[n, own[n] :].any()


@MODERATE
@given(case=batches(padded=False))
def test_without_padding_in_the_layers_the_length_mask_is_exact(case, count_example) -> None:
    count_example()
    stack, lengths, width = case
    try:
        within = length_mask(lengths, stack, width)
    except ValueError:
        return
    assert np.array_equal(valid_mask(lengths, stack, width), within)


def test_the_lengths_of_wav2vec2s_feature_encoder() -> None:
    # wav2vec 2.0's convolutional feature encoder: 320 samples per frame, a window of 400 samples
    encoder = [Layer(10, stride=5)] + [Layer(3, stride=2)] * 4 + [Layer(2, stride=2)] * 2
    expected = []
    for length in (16000, 12345, 400, 399):
        x = torch.zeros(1, 1, length)
        try:
            for layer in encoder:
                x = F.conv1d(x, torch.zeros(1, 1, layer.kernel_size), stride=layer.stride)
            expected.append(x.shape[-1])
        except RuntimeError:
            expected.append(0)
    assert output_lengths([16000, 12345, 400, 399], encoder) == expected == [49, 38, 1, 0]


def test_padding_at_the_end_of_a_sequence_is_read_by_its_last_outputs() -> None:
    stack = [Layer(3, padding=1), Layer(3, stride=2, padding=1)]  # worked out by hand below
    # sequence of 5 in a batch of 8: layer 1 output 4 reads input 5 (padding); layer 2 output 2 reads 3, 4, 5
    assert valid_mask([8, 5], stack).tolist() == [[True] * 4, [True, True, False, False]]
    assert length_mask([8, 5], stack).tolist() == [[True] * 4, [True, True, True, False]]


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (dict(lengths=[], layers=[Layer(3)]), TypeError, "lengths must be a non-empty sequence of ints"),
        (dict(lengths=[4, 0], layers=[Layer(3)]), ValueError, "lengths must be an int >= 1, got 0"),
        (dict(lengths=[4], layers=[]), TypeError, "layers must be a non-empty sequence of Layer"),
        (dict(lengths=[4], layers=[Layer(3)], padded_length=3), ValueError, "at least the longest sequence, 4"),
        (dict(lengths=[2], layers=[Layer(3)]), ValueError, "layer 1 gets 2 inputs"),
        (dict(lengths=[10**7], layers=[Layer(3)]), ValueError, "MAX_LENGTH"),
    ],
)
def test_bad_arguments_are_refused_naming_them(arguments, error, message) -> None:
    for mask in (valid_mask, length_mask):
        with pytest.raises(error, match=message):
            mask(**arguments)


def test_no_call_runs_for_minutes() -> None:
    with pytest.raises(ValueError, match="MAX_WORK"):
        valid_mask([10**6] * 20, [Layer(3)])
