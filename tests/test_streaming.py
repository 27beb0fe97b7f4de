"""Streaming causal layers, against torch: chunk by chunk, they give what the causal convolution of the whole
signal gives (F.pad on the left, then F.conv1d), for random chunk sizes, dilations, strides and stacks."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from conv_docs.streaming import StreamingConv1d, StreamingStack

# a stack of loops over every chunk: fewer examples than the profile's 300 (and no more than a quick run's)
MODERATE = settings(max_examples=min(settings().max_examples, 100))


@st.composite
def stacks(draw, strides: bool = True):
    """A stack of causal layers as (weight, bias, stride, dilation), a signal, and chunk sizes that cover it."""
    channels = [draw(st.integers(1, 3))]
    layers = []
    for _ in range(draw(st.integers(1, 3))):
        channels.append(draw(st.integers(1, 3)))
        kernel = draw(st.integers(1, 4))
        seed = draw(st.integers(0, 2**31 - 1))
        generator = np.random.default_rng(seed)
        weight = generator.normal(size=(channels[-1], channels[-2], kernel))
        bias = generator.normal(size=channels[-1]) if draw(st.booleans()) else None
        stride = draw(st.integers(1, 3)) if strides else 1
        layers.append((weight, bias, stride, draw(st.integers(1, 4))))
    batch = draw(st.sampled_from([None, 1, 2]))
    length = draw(st.integers(1, 30))
    shape = (channels[0], length) if batch is None else (batch, channels[0], length)
    signal = np.random.default_rng(draw(st.integers(0, 2**31 - 1))).normal(size=shape)
    cuts = sorted(draw(st.lists(st.integers(0, length), max_size=6)))  # a repeated cut: an empty chunk
    chunks = [end - start for start, end in zip([0, *cuts], [*cuts, length], strict=True)]
    return layers, signal, chunks


def torch_causal_stack(layers, signal: np.ndarray) -> np.ndarray:
    """The whole signal through each layer: left padding of dilation*(kernel_size-1), written out by hand."""
    h = torch.from_numpy(signal)
    for weight, bias, stride, dilation in layers:
        left = dilation * (weight.shape[-1] - 1)
        b = None if bias is None else torch.from_numpy(bias)
        h = F.conv1d(F.pad(h, (left, 0)), torch.from_numpy(weight), b, stride=stride, dilation=dilation)
    return h.numpy()


def stream(layers, signal: np.ndarray, chunks: list[int]) -> list[np.ndarray]:
    stack = StreamingStack([StreamingConv1d(w, b, stride=s, dilation=d) for w, b, s, d in layers])
    outputs, start = [], 0
    for size in chunks:
        outputs.append(stack(signal[..., start : start + size]))
        start += size
    return outputs


@MODERATE
@given(case=stacks())
def test_a_streamed_stack_gives_the_causal_convolution_of_the_whole_signal(case, count_example) -> None:
    count_example()
    layers, signal, chunks = case
    outputs = stream(layers, signal, chunks)
    np.testing.assert_allclose(np.concatenate(outputs, axis=-1), torch_causal_stack(layers, signal), atol=1e-9)


@MODERATE
@given(case=stacks(strides=False))
def test_without_a_stride_each_chunk_gives_as_many_outputs_and_the_state_is_the_last_inputs(case, count_example):
    count_example()
    layers, signal, chunks = case
    first = StreamingConv1d(*layers[0][:2], dilation=layers[0][3])
    keep = layers[0][3] * (layers[0][0].shape[-1] - 1)  # dilation*(kernel_size - 1), by hand
    start = 0
    for size, output in zip(chunks, stream(layers, signal, chunks), strict=True):
        assert output.shape[-1] == size  # no delay: every input's output comes with it
        first(signal[..., start : start + size])
        start += size
        padded = np.concatenate([np.zeros((*signal.shape[:-1], keep)), signal[..., :start]], axis=-1)
        np.testing.assert_array_equal(first.state, padded[..., padded.shape[-1] - keep :])


@pytest.mark.parametrize(("kernel_size", "stride", "dilation"), [(3, 2, 1), (2, 3, 1), (2, 5, 1), (3, 4, 2), (1, 2, 1)])
def test_a_strided_layer_writes_output_m_when_input_m_times_stride_arrives(kernel_size, stride, dilation) -> None:
    torch.manual_seed(0)
    x = torch.randn(1, 2, 23, dtype=torch.float64)
    w = torch.randn(3, 2, kernel_size, dtype=torch.float64)
    left = dilation * (kernel_size - 1)
    full = F.conv1d(F.pad(x, (left, 0)), w, stride=stride, dilation=dilation)
    layer = StreamingConv1d(w, stride=stride, dilation=dilation)
    arrivals = []
    for t in range(x.shape[-1]):  # one input at a time
        y = layer(x[..., t : t + 1])
        assert y.shape[-1] <= 1
        if y.shape[-1]:
            arrivals.append(t)
            np.testing.assert_allclose(y[..., 0], full[..., len(arrivals) - 1].numpy(), atol=1e-12)
    assert arrivals == list(range(0, x.shape[-1], stride))
    assert len(arrivals) == full.shape[-1]


def test_reset_starts_a_new_signal() -> None:
    layer = StreamingConv1d([[[1.0, 2.0, 3.0]]])
    first = layer([[1.0, 2.0, 3.0]])
    layer([[4.0]])
    layer.reset()
    assert layer([[1.0, 2.0, 3.0]]).tolist() == first.tolist()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: StreamingConv1d([1.0, 1.0]), "weight must have shape"),
        (lambda: StreamingConv1d([[[1.0]]], stride=0), "stride must be an int >= 1, got 0"),
        (lambda: StreamingConv1d([[[1.0]]], dilation=1.5), "dilation must be an int"),
        (lambda: StreamingConv1d([[[1.0]]], bias=[1.0, 2.0]), r"bias must have shape \(1,\)"),
        (lambda: StreamingConv1d([[[1.0], [1.0]]])([[1.0, 2.0]]), r"chunk must have shape \(2, n\)"),
        (lambda: StreamingStack([]), "layers must be a non-empty sequence of StreamingConv1d"),
    ],
)
def test_bad_arguments_are_refused_naming_them(make, message) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_a_chunk_must_keep_the_batch_shape() -> None:
    layer = StreamingConv1d([[[1.0, 1.0]]])
    layer([[[1.0]], [[2.0]]])
    with pytest.raises(ValueError, match=r"keep the batch shape \(2, 1\)"):
        layer([[1.0]])
