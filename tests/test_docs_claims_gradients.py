"""The Gradients page's claims, against torch.autograd over many layers: the input gradient is conv_transpose1d of
the incoming gradient, the weight gradient a conv1d of the input with it (batch and channels swapped, stride and
dilation swapped, cut to the kernel's length), the bias gradient its sum."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from conv_docs import conv1d, conv_transpose1d, output_length

TOL = {"rtol": 1e-9, "atol": 1e-9}


@st.composite
def layers(draw):
    kernel, stride, dilation, padding = (draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, 3)),
                                         draw(st.integers(0, 2)))  # fmt: skip
    length = draw(st.integers(max(1, dilation * (kernel - 1) + 1 - 2 * padding), 12))
    n, c_in, c_out = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return n, c_in, c_out, length, kernel, stride, padding, dilation, draw(st.integers(0, 2**16))


def autograd(n, c_in, c_out, length, kernel, stride, padding, dilation, seed):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, c_in, length, dtype=torch.float64, generator=generator, requires_grad=True)
    w = torch.randn(c_out, c_in, kernel, dtype=torch.float64, generator=generator, requires_grad=True)
    b = torch.randn(c_out, dtype=torch.float64, generator=generator, requires_grad=True)
    y = F.conv1d(x, w, b, stride=stride, padding=padding, dilation=dilation)
    g = torch.randn(y.shape, dtype=torch.float64, generator=generator)
    y.backward(g)
    return x, w, b, g


def swapped_correlation(x, g, stride, padding, dilation) -> np.ndarray:
    """The weight gradient before it is cut to the kernel: (C_out, C_in, values)."""
    return conv1d(x.detach().transpose(0, 1), g.transpose(0, 1), None, dilation, padding, stride).transpose(1, 0, 2)


@given(layer=layers())
def test_the_three_gradients_are_autograds(layer, count_example) -> None:
    count_example()
    *_, length, kernel, stride, padding, dilation, _ = layer
    x, w, b, g = autograd(*layer)
    back = output_length(g.shape[-1], kernel, stride, padding, dilation, transposed=True)
    dx = conv_transpose1d(g, w, None, stride, padding, length - back, dilation=dilation)
    np.testing.assert_allclose(dx, x.grad.numpy(), **TOL)
    swapped = swapped_correlation(x, g, stride, padding, dilation)
    assert swapped.shape[-1] >= kernel
    np.testing.assert_allclose(swapped[:, :, :kernel], w.grad.numpy(), **TOL)
    np.testing.assert_allclose(g.sum(dim=(0, 2)).numpy(), b.grad.numpy(), **TOL)
    assert torch.allclose(torch.nn.grad.conv1d_input(x.shape, w, g, stride, padding, dilation), x.grad)
    assert torch.allclose(torch.nn.grad.conv1d_weight(x, w.shape, g, stride, padding, dilation), w.grad)


@given(layer=layers())
def test_the_weight_does_not_appear_in_its_own_gradient(layer, count_example) -> None:
    count_example()
    *_, stride, padding, dilation, _ = layer
    x, w, _, g = autograd(*layer)
    other = (3 * w.detach() - 1).requires_grad_()
    F.conv1d(x.detach(), other, stride=stride, padding=padding, dilation=dilation).backward(g)
    np.testing.assert_allclose(other.grad.numpy(), w.grad.numpy(), **TOL)


def test_the_swapped_correlation_runs_past_the_kernel_only_when_inputs_are_left_unread() -> None:
    # kernel 2, stride 2 on five inputs: the fifth is never read, and the correlation gives a third value
    x, w, _, g = autograd(1, 1, 1, 5, 2, 2, 0, 1, seed=1)
    swapped = swapped_correlation(x, g, stride=2, padding=0, dilation=1)
    assert swapped.shape[-1] == 3
    np.testing.assert_allclose(swapped[0, 0, :2], w.grad[0, 0].numpy(), **TOL)
    # four inputs: every one is read, and there are exactly two values
    x, w, _, g = autograd(1, 1, 1, 4, 2, 2, 0, 1, seed=1)
    assert swapped_correlation(x, g, stride=2, padding=0, dilation=1).shape[-1] == 2


def test_the_pages_first_example_by_hand() -> None:
    x = torch.tensor([[[2.0, 3.0, 4.0, 5.0]]], requires_grad=True)
    w = torch.tensor([[[0.5, -1.0]]], requires_grad=True)
    b = torch.tensor([0.25], requires_grad=True)
    F.conv1d(x, w, b).backward(torch.tensor([[[1.0, 2.0, -1.0]]]))
    assert w.grad.flatten().tolist() == [1 * 2 + 2 * 3 - 1 * 4, 1 * 3 + 2 * 4 - 1 * 5]
    assert x.grad.flatten().tolist() == [1 * 0.5, 1 * -1 + 2 * 0.5, 2 * -1 + -1 * 0.5, -1 * -1]
    assert b.grad.tolist() == [1 + 2 - 1]
