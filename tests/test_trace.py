"""The trace agrees with the reference, with torch's padding, and with what a reader works out by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from strategies import Config, conv1d_configs, transpose_configs

from conv_docs import conv1d, conv_transpose1d, describe, trace_conv1d, trace_conv_transpose1d
from conv_docs.trace import describe_step

TOL = dict(rtol=1e-9, atol=1e-9)


def one_example(config: Config) -> np.ndarray:
    return config.x if config.x.ndim == 2 else config.x[0]


@given(config=conv1d_configs())
def test_conv1d_trace_sums_to_the_output(config: Config, count_example) -> None:
    count_example()
    x = one_example(config)
    try:
        expected = conv1d(x, config.w, config.b, **config.kwargs)
    except ValueError:
        with pytest.raises(ValueError):
            trace_conv1d(x, config.w, config.b, **config.kwargs)
        return
    trace = trace_conv1d(x, config.w, config.b, **config.kwargs)
    assert trace.cropped == 0  # conv1d crops no output
    for step in trace.steps:  # each step: bias plus the sum of weight * cell
        assert step.output == pytest.approx(step.bias + sum(t.weight * t.value for t in step.terms), abs=1e-9)
        assert all(t.weight == config.w[t.weight_index] for t in step.terms)
    np.testing.assert_allclose(np.array(trace.output), expected, **TOL)
    # The padded cells are what torch's F.pad makes (zeros mode: plain zeros around the input).
    left, right = trace.padding
    mode = "constant" if trace.padding_mode == "zeros" else trace.padding_mode
    padded = F.pad(torch.from_numpy(x)[None], (left, right), mode=mode)[0].numpy()
    np.testing.assert_array_equal(np.array([[cell.value for cell in row] for row in trace.cells]), padded)
    # An input position is unread exactly when no term reads it or a copy of it.
    reached = {(t.channel, t.source) for s in trace.steps for t in s.terms}
    for c, row in enumerate(x):
        for i in range(len(row)):
            assert ((c, i) in trace.unread) == ((c, i) not in reached)


@given(config=transpose_configs())
def test_transposed_trace_sums_to_the_output(config: Config, count_example) -> None:
    count_example()
    x = one_example(config)
    try:
        expected = conv_transpose1d(x, config.w, config.b, **config.kwargs)
    except ValueError:
        return
    trace = trace_conv_transpose1d(x, config.w, config.b, **config.kwargs)
    # padding adds no cells around the input: it crops that many output cells at each end
    assert trace.padding == (0, 0) and trace.cropped == config.kwargs.get("padding", 0)
    for step in trace.steps:
        assert step.output == pytest.approx(step.bias + sum(t.product for t in step.terms), abs=1e-9)
        # input i reaches output i*stride + j*dilation - padding through tap j
        for t in step.terms:
            assert t.source * trace.stride + t.tap * trace.dilation - trace.cropped == step.position
    np.testing.assert_allclose(np.array(trace.output), expected, **TOL)


def test_kernel_2_stride_2_never_reads_the_4() -> None:
    trace = trace_conv1d([2, 3, 4], [1, 1], stride=2)
    assert trace.unread == ((0, 2),)
    assert trace.input[0][2] == 4
    assert [cell.read for cell in trace.cells[0]] == [True, True, False]
    assert "Input 4 (position 2) is never read" in describe(trace)


def test_a_step_sentence_agrees_with_the_number_of_taps() -> None:
    one_tap = trace_conv1d([2, 3, 4], [1])
    assert describe(one_tap) == (
        "Step 1: w0 reads 2, giving 2*w0 = 2. Step 2: w0 reads 3, giving 3*w0 = 3. Step 3: w0 reads 4, giving 4*w0 = 4."
    )
    two_taps = trace_conv1d([2, 3, 4], [1, 1])
    assert describe_step(two_taps, two_taps.steps[1]) == "Step 2: w0 and w1 read 3 and 4, giving 3*w0 + 4*w1 = 7."
    three_taps = trace_conv1d([2, 3, 4], [1, 1, 1], padding=1)
    assert describe_step(three_taps, three_taps.steps[0]).startswith(
        "Step 1: w0, w1 and w2 read the padding zero, 2 and 3, giving"
    )
    scatter = trace_conv_transpose1d([1, 2], [1, 1], stride=2)  # every output of this one gets a single product
    assert describe_step(scatter, scatter.steps[3]) == "Step 4: w1 reads 2, giving 2*w1 = 2."


def test_padding_1_reads_every_input_but_not_the_right_zero() -> None:
    trace = trace_conv1d([2, 3, 4], [1, 1], bias=0, stride=2, padding=1)
    assert trace.unread == ()
    kinds = [(cell.kind, cell.source, cell.read) for cell in trace.cells[0]]
    assert kinds == [
        ("zeros", None, True),
        ("input", 0, True),
        ("input", 1, True),
        ("input", 2, True),
        ("zeros", None, False),
    ]
    assert [step.formula() for step in trace.steps] == ["0*w0 + 2*w1 + bias", "3*w0 + 4*w1 + bias"]


@pytest.mark.parametrize(("mode", "copies"), [("reflect", (1, 1)), ("replicate", (0, 2)), ("circular", (2, 0))])
def test_padding_cells_name_the_input_they_copy(mode, copies) -> None:
    # [2, 3, 4] padded by 1: reflect [3|2 3 4|3], replicate [2|2 3 4|4], circular [4|2 3 4|2]
    cells = trace_conv1d([2, 3, 4], [1, 1], stride=2, padding=1, padding_mode=mode).cells[0]
    assert (cells[0].source, cells[-1].source) == copies
    assert cells[0].kind == cells[-1].kind == mode


def test_multichannel_formula_names_weights_as_torch_indexes_them() -> None:
    trace = trace_conv1d([[1, 2], [3, 4]], np.ones((2, 1, 2)), groups=2)
    assert trace.steps[1].formula() == "3*w[1][0][0] + 4*w[1][0][1]"


def test_trace_to_dict_is_json_and_complete() -> None:
    data = trace_conv1d([2, 3, 4], [1, 1], bias=0, stride=2, padding=1).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["output"] == [[2.0, 7.0]]
    assert data["steps"][0]["formula"] == "0*w0 + 2*w1 + bias"
    assert data["padding"] == [1, 1] and data["cropped"] == 0 and data["kernel_size"] == 2
    # a transposed convolution adds no cells: its padding crops the output, [1, 2, 1+2, 4, 2] to [2, 3, 4]
    data = trace_conv_transpose1d([1, 2], [1, 2, 1], stride=2, padding=1).to_dict()
    assert data["padding"] == [0, 0] and data["cropped"] == 1 and data["output"] == [[2.0, 3.0, 4.0]]


@pytest.mark.parametrize(("weight", "bias"), [([2, -1], 1), ([-0.5, -0.25], -0.06), ([-1, 3], None), ([0.5, 0.5], -2)])
def test_arithmetic_reads_as_a_reader_writes_it_and_evaluates_to_the_output(weight, bias) -> None:
    trace = trace_conv1d([2, -3, 4, -1], weight, bias=bias, padding=1)
    expected = F.conv1d(
        torch.tensor([[[2.0, -3.0, 4.0, -1.0]]], dtype=torch.float64),
        torch.tensor([[weight]], dtype=torch.float64),
        None if bias is None else torch.tensor([bias], dtype=torch.float64),
        padding=1,
    )[0, 0]
    for step, value in zip(trace.steps, expected.tolist(), strict=True):
        left, _, shown = step.arithmetic().partition(" = ")
        for text in (step.formula(), left):
            assert "+ -" not in text and "- -" not in text and "*-" not in text, text
        assert eval(left) == pytest.approx(value)  # the sum, as printed, is the output torch computes
        assert float(shown) == pytest.approx(value, abs=1e-5)
