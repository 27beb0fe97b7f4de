"""Reading a printed model: the text is what torch prints (str(model)) for random nested models, for blocks named as
Hugging Face names them, and for what a user may paste instead."""

from __future__ import annotations

import random
import time

import pytest
import torch
from stack_cases import random_layer
from torch import nn
from torch.nn.utils.parametrizations import weight_norm

from conv_docs.printed_model import MAX_PROBLEMS, MAX_TEXT, PrintedModelError, read_printed_model
from conv_docs.stack import KINDS, StackLayer

KEEPERS = [nn.ReLU, nn.GELU, lambda: nn.Dropout(0.1), lambda: nn.GroupNorm(1, 1), lambda: nn.Linear(4, 4)]


class Block(nn.Module):
    """A custom block, as a library defines one: its children are attributes."""

    def __init__(self, layers: list[nn.Module]) -> None:
        super().__init__()
        for n, layer in enumerate(layers):
            setattr(self, f"part_{n}", layer)


def nest(layers: list[nn.Module], rng: random.Random) -> nn.Module:
    """The layers in random containers: Sequential, ModuleList or a custom block, nested."""
    if len(layers) > 1 and rng.random() < 0.6:
        cut = rng.randint(1, len(layers) - 1)
        layers = [nest(layers[:cut], rng), nest(layers[cut:], rng)]
    container = rng.choice([nn.Sequential, nn.ModuleList, Block])
    return container(*layers) if container is nn.Sequential else container(layers)


def torch_layer(spec) -> nn.Module:
    kind, kwargs = spec
    layer = getattr(nn, kind)(**kwargs)
    return weight_norm(layer) if kind in ("Conv1d", "ConvTranspose1d") and random.random() < 0.3 else layer


def expected_layer(spec, name: str) -> StackLayer:
    kind, kwargs = spec
    kwargs = {key: value for key, value in kwargs.items() if key != "value"}
    if kind == "AvgPool1d":
        kwargs.pop("ceil_mode")  # not printed: read as False
    return StackLayer(kind, **kwargs, name=name)


@pytest.mark.parametrize("seed", range(100))
def test_random_printed_models(seed: int) -> None:
    rng = random.Random(seed)
    random.seed(seed)
    specs = [random_layer(rng, channels=rng.choice([1, 4])) for _ in range(rng.randint(1, 6))]
    specs = [spec for spec in specs if not (spec[0] == "AvgPool1d" and spec[1]["ceil_mode"])]
    if not specs:
        pytest.skip("nothing left")
    modules = []
    for spec in specs:
        modules.append(torch_layer(spec))
        if rng.random() < 0.5:
            modules.append(rng.choice(KEEPERS)())
    model = nest(modules, rng)
    text = str(model)
    names = [
        name for name, module in model.named_modules() if type(module).__name__.removeprefix("Parametrized") in KINDS
    ]
    read = read_printed_model(text)
    expected = [expected_layer(spec, name) for spec, name in zip(specs, names, strict=True)]
    assert [_without_line(layer) for layer in read.layers] == expected
    lines = text.splitlines()
    for layer in read.layers:
        assert type(layer).__name__ and layer.kind in lines[layer.line - 1]  # the line it names holds the layer


def _without_line(layer: StackLayer) -> StackLayer:
    from dataclasses import replace

    return replace(layer, line=None)


class GELUActivation(nn.Module):
    """Hugging Face's activation: a leaf with no arguments, unknown here."""


class Wav2Vec2GroupNormConvLayer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv1d(1, 512, kernel_size=10, stride=5, bias=False)
        self.activation = GELUActivation()
        self.layer_norm = nn.GroupNorm(512, 512, affine=True)


class Wav2Vec2NoLayerNormConvLayer(nn.Module):
    def __init__(self, kernel_size: int) -> None:
        super().__init__()
        self.conv = nn.Conv1d(512, 512, kernel_size=kernel_size, stride=2, bias=False)
        self.activation = GELUActivation()


class Wav2Vec2FeatureEncoder(nn.Module):
    """wav2vec 2.0's feature encoder with the classes and attribute names of Hugging Face's implementation."""

    def __init__(self) -> None:
        super().__init__()
        later = [Wav2Vec2NoLayerNormConvLayer(k) for k in (3, 3, 3, 3, 2, 2)]
        self.conv_layers = nn.ModuleList([Wav2Vec2GroupNormConvLayer(), *later])


def test_hugging_face_blocks_and_repeated_children() -> None:
    model = Wav2Vec2FeatureEncoder()
    text = str(model)
    assert "(1-4): 4 x Wav2Vec2NoLayerNormConvLayer(" in text  # torch prints four equal blocks once
    read = read_printed_model(text)
    names = [name for name, module in model.named_modules() if isinstance(module, nn.Conv1d)]
    assert [layer.name for layer in read.layers] == names
    assert names[1] == "conv_layers.1.conv" and len(names) == 7
    assert [(layer.kernel_size, layer.stride) for layer in read.layers] == [(10, 5)] + [(3, 2)] * 4 + [(2, 2)] * 2
    activation_lines = [n for n, line in enumerate(text.splitlines(), start=1) if "GELUActivation()" in line]
    assert read.notes == (
        f"lines {', '.join(map(str, activation_lines))}: GELUActivation is not a layer conv-docs knows; taken to keep "
        "the length",
    )


def test_a_parametrized_weight_is_read_and_noted() -> None:
    model = nn.Sequential(weight_norm(nn.Conv1d(768, 768, kernel_size=128, padding=64, groups=16), dim=2))
    read = read_printed_model(str(model))
    assert read.layers[0].describe() == "Conv1d k=128 s=1 p=64 g=16"
    assert "ParametrizedConv1d has a parametrized weight" in read.notes[0]


def test_average_pool_ceil_mode_is_not_printed() -> None:
    """torch prints AvgPool1d without its ceil_mode: the two print the same, and the note says which is taken."""
    assert str(nn.AvgPool1d(3, 2, ceil_mode=True)) == str(nn.AvgPool1d(3, 2))
    read = read_printed_model(str(nn.Sequential(nn.AvgPool1d(3, 2))))
    assert read.layers[0].ceil_mode is False
    assert read.notes == ("line 2: AvgPool1d does not print its ceil_mode; taken as ceil_mode=False, torch's default",)


def test_a_bare_layer_and_same_padding() -> None:
    read = read_printed_model(str(nn.Conv1d(2, 2, 4, padding="same", padding_mode="reflect", dilation=3)))
    assert read.layers[0].padding == "same" and read.layers[0].padding_mode == "reflect" and read.layers[0].name == ""


def problems(text: str) -> list[str]:
    with pytest.raises(PrintedModelError) as error:
        read_printed_model(text)
    assert all("\n" not in problem for problem in error.value.problems)
    return error.value.problems


def test_two_dimensional_layers_are_refused_and_named() -> None:
    text = str(nn.Sequential(nn.Conv1d(1, 4, 3), nn.Conv2d(4, 8, 3), nn.MaxPool3d(2)))
    assert problems(text) == [
        "line 3: Conv2d is a 2-D layer: a stack here is 1-D (Conv1d, ConvTranspose1d, MaxPool1d, AvgPool1d, "
        "ConstantPad1d, ZeroPad1d, ReflectionPad1d, ReplicationPad1d, CircularPad1d)",
        "line 4: MaxPool3d is a 3-D layer: a stack here is 1-D (Conv1d, ConvTranspose1d, MaxPool1d, AvgPool1d, "
        "ConstantPad1d, ZeroPad1d, ReflectionPad1d, ReplicationPad1d, CircularPad1d)",
    ]


def test_no_length_changing_layer_names_what_it_saw() -> None:
    text = str(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.LSTM(4, 4)))
    (problem,) = problems(text)
    assert problem.startswith("the text has no layer that changes the length (Conv1d, ")
    assert problem.endswith("; it has Sequential, Linear, ReLU, LSTM")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the text is empty"),
        ("Sequential(\n  (0): Conv1d(1, 512, kernel_size=(10,), stri", "line 2: the line ends before its closing ')'"),
        ("Sequential(\n  (0): Conv1d(1, 1, kernel_size=(3,), stride=(1,))\n", "line 1: Sequential( is never closed"),
        ("Conv1d(1, 1, kernel_size=(3,), stride=(1,))\nReLU()", "line 2: text after the model, which ended at line 1"),
        (">>> print(model)\nConv1d(1, 1, kernel_size=(3,), stride=(1,))", "line 1: not a module as torch prints it"),
        ("Conv1d(1, 1, kernel_size=(3,), stride=(0,))", "line 1: Conv1d: stride must be an int >= 1, got 0"),
        ("Conv1d(1, 1, kernel_size=(99999999999999,), stride=(1,))", "line 1: Conv1d: kernel_size must be at most"),
        ("Conv1d(1, 1, kernel_size=(" + "9" * 5000 + ",), stride=(1,))", "line 1: Conv1d: a value of 5003 characters"),
        ("Conv1d(1, 1, stride=(1,))", "line 1: Conv1d: missing kernel_size"),
        ("Conv1d(1, 1, kernel_size=(3,), strides=(1,))", "line 1: Conv1d: has no argument 'strides'"),
        ("Conv1d(3, 4, kernel_size=(3,), stride=(1,), groups=2)", "line 1: Conv1d: groups=2 must divide in_channels=3"),
        ("CausalConv1d(1, 1, kernel_size=(3,), stride=(1,))", "line 1: CausalConv1d is not a layer conv-docs knows"),
        ("LazyConv1d(0, 5, kernel_size=(3,), stride=(1,))", "line 1: LazyConv1d does not know its in_channels"),
        ("Sequential(\n  (0): Conv1d(1, 1, kernel_size=(3,), stride=(1,))\n  (1): AdaptiveAvgPool1d(output_size=1)\n)",
         "line 3: AdaptiveAvgPool1d changes the length in a way conv-docs does not follow"),
        ("Sequential(\n  (0-1): 3 x Conv1d(1, 1, kernel_size=(3,), stride=(1,))\n)", "line 2: '(0-1): 3 x' does not"),
        (")", "line 1: a ')' that closes nothing"),
    ],
)  # fmt: skip
def test_bad_text_is_one_line_per_problem_naming_the_line(text: str, expected: str) -> None:
    assert problems(text)[0].startswith(expected)


def test_every_problem_is_reported_up_to_a_bound() -> None:
    text = "Sequential(\n" + "".join(f"  ({n}): Conv2d(1, 1, kernel_size=(3, 3), stride=(1, 1))\n" for n in range(30))
    found = problems(text + ")")
    assert len(found) == MAX_PROBLEMS + 1 and found[-1] == "and 20 more problems"
    assert [problem.split(":")[0] for problem in found[:3]] == ["line 2", "line 3", "line 4"]


def test_long_or_hostile_text_ends_quickly() -> None:
    with pytest.raises(PrintedModelError, match="more than MAX_TEXT"):
        read_printed_model("x" * (MAX_TEXT + 1))
    for text in ("(" * 200_000, "Sequential(\n" * 20_000, "(0): " * 100_000, "Conv1d(" + "(" * 100_000 + ")"):
        start = time.perf_counter()
        with pytest.raises(PrintedModelError):
            read_printed_model(text)
        assert time.perf_counter() - start < 5


def test_a_text_that_is_not_a_str_is_refused() -> None:
    with pytest.raises(TypeError, match="text must be a str"):
        read_printed_model(b"Conv1d(1, 1, kernel_size=(3,), stride=(1,))")  # type: ignore[arg-type]


def test_torch_reads_the_same_model_the_text_names() -> None:
    """The names are torch's: each one finds, in the model, a module of the kind read."""
    model = nn.Sequential(nn.ConstantPad1d((1, 0), 0.0), nn.Conv1d(1, 1, 2), nn.MaxPool1d(2, ceil_mode=True))
    for layer in read_printed_model(str(model)).layers:
        assert type(model.get_submodule(layer.name)).__name__ == layer.kind
    assert torch.__version__.startswith("2.13")
