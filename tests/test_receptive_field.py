"""Receptive fields against torch.autograd: the input cells whose gradient is non-zero are the field."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conv_docs.receptive_field import Layer, footprint, holes, receptive_field, receptive_fields

layers_st = st.lists(
    st.builds(Layer, st.integers(1, 4), stride=st.integers(1, 3), dilation=st.integers(1, 3)), min_size=1, max_size=4
)


def torch_stack(layers: list[Layer]) -> torch.nn.Sequential:
    """The stack as torch modules, all weights 1 so that no tap can cancel another."""
    modules = []
    for layer in layers:
        conv = torch.nn.Conv1d(
            1, 1, layer.kernel_size, layer.stride, layer.padding, layer.dilation, bias=False, dtype=torch.float64
        )
        torch.nn.init.ones_(conv.weight)
        modules.append(conv)
    return torch.nn.Sequential(*modules)


def cells_seen(layers: list[Layer], position: int, length: int) -> list[int]:
    """The input cells whose gradient reaches output ``position`` of the stack, by autograd."""
    x = torch.ones(1, 1, length, dtype=torch.float64, requires_grad=True)
    torch_stack(layers)(x)[0, 0, position].backward()
    return torch.nonzero(x.grad[0, 0]).flatten().tolist()


@given(layers=layers_st, position=st.integers(0, 3))
def test_receptive_field_is_what_autograd_sees(layers, position, count_example) -> None:
    count_example()
    field = receptive_field(layers)
    jump = 1
    for layer in layers:
        jump *= layer.stride
    length = position * jump + field  # just long enough for output `position` to exist
    seen = cells_seen(layers, position, length)
    # the field is the distance from the first cell seen to the last; with dilation there may be holes inside
    assert (seen[0], seen[-1]) == (position * jump, position * jump + field - 1)
    assert footprint(layers, position)[0] == seen


@given(layers=layers_st)
def test_each_prefix_of_the_stack(layers, count_example) -> None:
    count_example()
    assert receptive_fields(layers) == [receptive_field(layers[: k + 1]) for k in range(len(layers))]


def test_wavenet_style_dilations_double_the_field() -> None:
    # kernel 2, dilations 1, 2, 4, ..., 2**(n-1): the field is 2**n, the hand formula 1 + sum of dilations
    for n in range(1, 8):
        layers = [Layer(2, dilation=2**k) for k in range(n)]
        assert receptive_field(layers) == 1 + sum(2**k for k in range(n)) == 2**n
        assert len(cells_seen(layers, 0, 2**n)) == 2**n


def field_gradient(layers: list[Layer], position: int = 0) -> list[int]:
    """The gradient of output ``position`` with respect to each cell of its field, all weights 1: how many paths
    lead from the output down to each cell (0: a hole)."""
    field, jump = receptive_field(layers), 1
    for layer in layers:
        jump *= layer.stride
    x = torch.ones(1, 1, position * jump + field, dtype=torch.float64, requires_grad=True)
    torch_stack(layers)(x)[0, 0, position].backward()
    return [round(g) for g in x.grad[0, 0, position * jump :].tolist()]


@given(layers=layers_st, position=st.integers(0, 3))
def test_holes_are_the_cells_autograd_gives_no_gradient(layers, position, count_example) -> None:
    count_example()
    jump = 1
    for layer in layers:
        jump *= layer.stride
    zero = [position * jump + i for i, paths in enumerate(field_gradient(layers, position)) if paths == 0]
    assert holes(layers, position) == zero


@pytest.mark.parametrize("kernel", [2, 3, 4, 5])
@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6])
def test_doubling_dilations_leave_no_holes(kernel: int, count: int) -> None:
    layers = [Layer(kernel, dilation=2**k) for k in range(count)]
    assert holes(layers) == []
    assert 0 not in field_gradient(layers)
    assert holes(layers * 2) == [] and 0 not in field_gradient(layers * 2)  # WaveNet repeats the schedule


def test_wavenet_repeats_its_schedule_without_holes() -> None:
    wavenet = [Layer(2, dilation=2**k) for k in range(10)] * 3  # 1, 2, ..., 512, three times
    assert receptive_field(wavenet) == 3 * 1023 + 1
    assert holes(wavenet) == []
    assert 0 not in field_gradient(wavenet)


@pytest.mark.parametrize("kernel", [2, 3, 4])
@pytest.mark.parametrize("dilations", [(2, 2, 2), (2, 4, 8), (3, 3), (2, 4, 6), (3, 6, 12)])
def test_dilations_sharing_a_factor_read_only_cells_that_factor_apart(kernel: int, dilations: tuple[int, ...]) -> None:
    factor = math.gcd(*dilations)
    layers = [Layer(kernel, dilation=d) for d in dilations]
    paths = field_gradient(layers)
    assert [i for i, p in enumerate(paths) if p] == list(range(0, len(paths), factor))  # only multiples of it
    assert holes(layers) == [i for i in range(len(paths)) if i % factor]


def test_dilations_times_the_kernel_read_every_cell_once_and_doubling_overlaps() -> None:
    assert set(field_gradient([Layer(3, dilation=d) for d in (1, 3, 9)])) == {1}  # 27 cells, one path each
    assert set(field_gradient([Layer(2, dilation=d) for d in (1, 2, 4, 8)])) == {1}  # kernel 2: doubling is times k
    assert max(field_gradient([Layer(3, dilation=d) for d in (1, 2, 4)])) > 1  # kernel 3, doubling: paths overlap


def test_holes_without_a_shared_factor() -> None:
    # the dilations may have no common factor and still grow faster than the field below them fills
    assert holes([Layer(2, dilation=1), Layer(2, dilation=4)]) == [2, 3]
    assert field_gradient([Layer(2, dilation=1), Layer(2, dilation=4)]) == [1, 1, 0, 0, 1, 1]


def test_padding_shifts_the_window_but_keeps_its_size() -> None:
    layers = [Layer(3, padding=1), Layer(3, padding=1)]
    assert receptive_field(layers) == receptive_field([Layer(3), Layer(3)]) == 5
    assert footprint(layers, 2)[0] == [0, 1, 2, 3, 4]
    assert cells_seen(layers, 2, 8) == [0, 1, 2, 3, 4]
    assert footprint(layers, 0)[0] == [-1, 0, 1, 2]  # padding cells read nothing further down
    assert cells_seen(layers, 0, 8) == [0, 1, 2]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: Layer(0), ValueError, "kernel_size must be an int >= 1"),
        (lambda: Layer(2, stride=0), ValueError, "stride must be an int >= 1"),
        (lambda: Layer(2, padding=-1), ValueError, "padding must be an int >= 0"),
        (lambda: Layer(2.5), TypeError, "kernel_size must be an int"),
        (lambda: receptive_field([]), TypeError, "layers must be a non-empty sequence of Layer"),
        (lambda: receptive_field([3, 3]), TypeError, "layers must be a non-empty sequence of Layer"),
    ],
)
def test_bad_arguments_name_the_parameter(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
