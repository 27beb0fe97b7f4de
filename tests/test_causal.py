"""Causal convolution: compared with torch's F.pad on the left followed by F.conv1d."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from conv_docs.causal import causal_conv1d, causal_padding, trace_causal_conv1d

small = st.integers(-9, 9).map(float)


@st.composite
def causal_configs(draw):
    groups = draw(st.integers(1, 2))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel, length, dilation = draw(st.integers(1, 4)), draw(st.integers(1, 8)), draw(st.integers(1, 4))
    x = np.array(draw(st.lists(small, min_size=2 * c_in * length, max_size=2 * c_in * length))).reshape(2, c_in, length)
    count = c_out * (c_in // groups) * kernel
    w = np.array(draw(st.lists(small, min_size=count, max_size=count))).reshape(c_out, c_in // groups, kernel)
    b = np.array(draw(st.lists(small, min_size=c_out, max_size=c_out)))
    return x, w, b, dilation, groups


@given(config=causal_configs())
def test_causal_conv1d_matches_torch_left_padding(config, count_example) -> None:
    count_example()
    x, w, b, dilation, groups = config
    left = dilation * (w.shape[-1] - 1)  # written out by hand, not taken from the library
    expected = F.conv1d(
        F.pad(torch.from_numpy(x), (left, 0)),
        torch.from_numpy(w),
        torch.from_numpy(b),
        dilation=dilation,
        groups=groups,
    )
    np.testing.assert_allclose(causal_conv1d(x, w, b, dilation=dilation, groups=groups), expected.numpy(), atol=1e-9)


@given(config=causal_configs())
def test_no_output_depends_on_a_later_input(config, count_example) -> None:
    count_example()
    x, w, b, dilation, groups = config
    t = x.shape[-1] // 2
    changed = x.copy()
    changed[..., t:] += 100.0  # change the present and the future from position t on
    before, after = causal_conv1d(x, w, b, dilation, groups), causal_conv1d(changed, w, b, dilation, groups)
    np.testing.assert_allclose(before[..., :t], after[..., :t])


def test_unbatched_input_gives_unbatched_output() -> None:
    out = causal_conv1d([[1.0, 2.0, 3.0]], [[[1.0, 1.0]]])
    assert out.shape == (1, 3)
    assert out.tolist() == [[1.0, 3.0, 5.0]]  # 0+1, 1+2, 2+3


def test_trace_reads_only_the_present_and_the_past() -> None:
    x, w = [2.0, 3.0, 4.0, 5.0, 6.0], [1.0, 10.0, 100.0]
    trace = trace_causal_conv1d(x, w, dilation=2)
    assert trace.padding == (4, 0)
    expected = causal_conv1d([x], [[w]], dilation=2)[0]
    assert list(trace.output[0]) == expected.tolist()  # integers times 1, 10, 100: exact in any order
    for step in trace.steps:
        sources = [term.source for term in step.terms]
        assert [s for s in sources if s is not None] == [
            i for i in (step.position - 4, step.position - 2, step.position) if i >= 0
        ]
    assert trace.unread == ()


@pytest.mark.parametrize(("name", "value"), [("kernel_size", 0), ("dilation", 0)])
def test_bad_arguments_name_the_parameter(name: str, value: int) -> None:
    kwargs = {"kernel_size": 2, "dilation": 1, name: value}
    with pytest.raises(ValueError, match=name):
        causal_padding(**kwargs)


@pytest.mark.parametrize(
    ("input", "weight", "name"),
    [("abc", [[[1.0]]], "input"), ([["1", "2"]], [[[1.0]]], "input"), ([[1.0, 2.0]], "de", "weight")],
)
def test_strings_are_refused_naming_the_argument(input, weight, name: str) -> None:
    for function in (causal_conv1d, trace_causal_conv1d):
        with pytest.raises(TypeError, match=rf"^{name} must be numbers in a \(nested\) list or array, got strings"):
            function(input, weight)
