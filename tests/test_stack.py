"""The stack's figures against torch: lengths by running the modules, receptive fields and unread inputs by
gradients, parameters by numel, multiply-adds by torch's FLOP counter; over random stacks and the published ones."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from stack_cases import (
    hifigan_specs,
    kim_specs,
    random_stack,
    torch_fields,
    torch_lengths,
    torch_multiplications,
    torch_params,
    torch_unread,
    wav2vec2_specs,
    wav2vec_specs,
    wavenet_specs,
    whisper_specs,
)

from conv_docs.params import MAX_LAYERS
from conv_docs.stack import (
    MAX_FIELD_CELLS,
    MAX_STACK_LENGTH,
    StackLayer,
    field_length,
    fields_by_windows,
    fields_on,
    measure_stack,
    period,
    pool_output_length,
    receptive_fields,
    stack_lengths,
)


def layers(specs) -> list[StackLayer]:
    return [StackLayer(kind, **{k: v for k, v in kwargs.items() if k != "value"}) for kind, kwargs in specs]


@pytest.mark.parametrize("seed", range(150))
def test_random_stacks_match_torch(seed: int) -> None:
    rng = random.Random(seed)
    specs = random_stack(rng)
    length = rng.randint(1, 40)
    expected = torch_lengths(specs, length)
    if expected is None:
        with pytest.raises(ValueError, match=r"^layer \d+ \(.*\) refuses its input of"):
            measure_stack(layers(specs), length)
        return
    report = measure_stack(layers(specs), length)
    assert [row.out_length for row in report.rows] == expected
    assert [row.in_length for row in report.rows] == [length, *expected[:-1]]
    assert [row.receptive_field for row in report.rows] == torch_fields(specs, length)
    assert [row.unread for row in report.rows] == [
        torch_unread(spec, row.in_length) for spec, row in zip(specs, report.rows, strict=True)
    ]


@pytest.mark.parametrize("seed", range(40))
def test_long_inputs_are_shortened_and_give_torch_fields(seed: int) -> None:
    """On an input longer than the stack needs, the field is worked out on a shorter one of the same phase: the
    counts are still torch's."""
    rng = random.Random(1000 + seed)
    specs = random_stack(rng)
    stack = layers(specs)
    a, _ = period(stack)
    short = field_length(stack, 10**6)
    length = short + a * rng.randint(2, 4) + rng.randint(0, a - 1)
    if torch_lengths(specs, length) is None:
        pytest.skip("torch refuses this stack on that length")
    assert field_length(stack, length) < length
    assert receptive_fields(stack, length) == torch_fields(specs, length)


@pytest.mark.parametrize("seed", range(200))
def test_shortened_input_gives_the_fields_of_the_whole(seed: int) -> None:
    """The same, without torch and on longer inputs: followed on the whole input, every output the same counts."""
    rng = random.Random(2000 + seed)
    stack = layers(random_stack(rng))
    a, _ = period(stack)
    length = field_length(stack, 10**5) + rng.randint(0, 6 * a)
    try:
        stack_lengths(stack, length)
    except ValueError:
        pytest.skip("refused")
    assert receptive_fields(stack, length) == fields_on(stack, length)


@pytest.mark.parametrize("seed", range(30))
def test_params_and_multiplications_match_torch(seed: int) -> None:
    rng = random.Random(3000 + seed)
    groups = rng.choice([1, 2, 4])
    channels = groups * rng.randint(1, 3)
    for kind in ("Conv1d", "ConvTranspose1d"):
        kwargs = dict(in_channels=channels, out_channels=groups * rng.randint(1, 3), kernel_size=rng.randint(1, 5))
        kwargs.update(stride=rng.randint(1, 3), groups=groups, bias=rng.random() < 0.5)
        length = rng.randint(5, 30)
        row = measure_stack(layers([(kind, kwargs)]), length).rows[0]
        assert row.params == torch_params((kind, kwargs))
        assert row.multiplications == torch_multiplications((kind, kwargs), length)


def test_pools_and_padding_have_no_params_or_multiplications() -> None:
    specs = [("MaxPool1d", dict(kernel_size=2)), ("ZeroPad1d", dict(padding=(1, 1)))]
    for row, spec in zip(measure_stack(layers(specs), 10).rows, specs, strict=True):
        assert row.params == torch_params(spec) == 0
        assert row.multiplications == 0


def test_wav2vec2_feature_encoder() -> None:
    """1 s of 16 kHz audio: 49 frames, each seeing 400 samples (25 ms), one every 320 samples (20 ms)."""
    specs = wav2vec2_specs()
    report = measure_stack(layers(specs), 16000)
    assert [row.out_length for row in report.rows] == torch_lengths(specs, 16000, channels=1)
    assert (report.out_length, report.receptive_field, report.jump) == (49, 400, 320)
    assert torch_fields(specs, 16000, last_only=True) == [400]
    assert report.params == sum(torch_params(spec) for spec in specs)
    assert [row.multiplications for row in report.rows] == [
        torch_multiplications(spec, row.in_length) for spec, row in zip(specs, report.rows, strict=True)
    ]


def test_wav2vec2_fields_layer_by_layer_match_torch() -> None:
    specs = wav2vec2_specs()
    report = measure_stack(layers(specs), 4000)
    assert [row.receptive_field for row in report.rows] == torch_fields(specs, 4000)
    assert [row.receptive_field for row in report.rows] == [10, 20, 40, 80, 160, 240, 400]


def test_wav2vec() -> None:
    """465 samples (about 30 ms at 16 kHz), a frame every 160 samples (10 ms)."""
    specs = wav2vec_specs()
    report = measure_stack(layers(specs), 16000)
    assert (report.receptive_field, report.jump) == (465, 160)
    assert report.out_length == torch_lengths(specs, 16000)[-1]
    assert torch_fields(specs, 16000, last_only=True) == [465]


def test_wavenet_three_stacks() -> None:
    """Kernel 2, dilations 1 .. 512 three times, causal: 3,070 samples, and the length is kept."""
    specs = wavenet_specs()
    report = measure_stack(layers(specs), 4000)
    assert report.receptive_field == 3070 and report.out_length == 4000
    assert torch_fields(specs, 4000, outputs=[0, 1000, 3069, 3070, 3999], last_only=True) == [3070]


def test_whisper_front_end() -> None:
    specs = whisper_specs()
    report = measure_stack(layers(specs), 3000)
    assert [row.out_length for row in report.rows] == torch_lengths(specs, 3000, channels=80) == [3000, 1500]
    assert report.receptive_field == torch_fields(specs, 3000)[-1]


def test_hifigan_upsampler() -> None:
    """256 samples per mel frame: the jump is 1/256 of a frame."""
    specs = hifigan_specs()
    report = measure_stack(layers(specs), 32)
    assert report.out_length == torch_lengths(specs, 32, channels=512)[-1] == 256 * 32
    assert report.jump == Fraction(1, 256)
    assert [row.receptive_field for row in report.rows] == torch_fields(specs, 32)


@pytest.mark.parametrize("window", [3, 4, 5])
def test_kim_text_cnn_branch(window: int) -> None:
    """Max over time: one output that sees every word."""
    specs = kim_specs(window, 20)
    report = measure_stack(layers(specs), 20)
    assert (report.out_length, report.receptive_field) == (1, 20)
    assert [row.receptive_field for row in report.rows] == torch_fields(specs, 20)


def test_pool_length_with_ceil_mode_matches_torch() -> None:
    for length in range(1, 12):
        for k, s, p in ((2, 2, 0), (3, 2, 1), (3, 3, 1), (4, 3, 2)):
            expected = torch_lengths([("MaxPool1d", dict(kernel_size=k, stride=s, padding=p, ceil_mode=True))], length)
            got = pool_output_length(length, k, s, p, ceil_mode=True)
            assert (got if got >= 1 else None) == (expected[0] if expected else None)


def test_table_names_every_layer_and_the_totals() -> None:
    report = measure_stack(layers(whisper_specs()), 3000)
    lines = report.table().splitlines()
    assert lines[0].split() == ["#", "layer", "in", "out", "field", "jump", "params", "mult-adds", "unread"]
    params, multiplications = 512 * 512 * 3 + 512, 1500 * 512 * 512 * 3  # weight and bias; L_out*C_out*C_in*K
    assert lines[2].split()[-7:] == ["3,000", "1,500", "5", "2", f"{params:,}", f"{multiplications:,}", "0"]
    assert "3,000 samples in, 1,500 out" in lines[3]


def test_json_has_exactly_the_keys() -> None:
    data = measure_stack(layers(hifigan_specs()), 10).to_dict()
    assert set(data) == {"out_length", "receptive_field", "layers"}
    assert set(data["layers"][0]) == {
        "name",
        "in_length",
        "out_length",
        "receptive_field",
        "jump",
        "params",
        "multiplications",
        "unread",
    }
    assert data["layers"][-1]["jump"] == 1 / 256


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(kind="Conv2d"), "kind must be one of"),
        (dict(kind="Conv1d", kernel_size=3), "Conv1d needs in_channels"),
        (
            dict(kind="Conv1d", kernel_size=3, in_channels=3, out_channels=4, groups=2),
            "groups=2 must divide in_channels=3",
        ),
        (
            dict(kind="Conv1d", kernel_size=3, stride=2, padding="same", in_channels=1, out_channels=1),
            "padding='same' needs stride=1",
        ),
        (
            dict(kind="ConvTranspose1d", kernel_size=3, stride=2, output_padding=2, in_channels=1, out_channels=1),
            "output_padding must be smaller",
        ),
        (
            dict(kind="ConvTranspose1d", kernel_size=3, padding_mode="reflect", in_channels=1, out_channels=1),
            "zeros only",
        ),
        (dict(kind="MaxPool1d", kernel_size=3, padding=2), "at most half of kernel_size=3"),
        (dict(kind="AvgPool1d", kernel_size=3, dilation=2), "AvgPool1d has no dilation"),
        (dict(kind="ReflectionPad1d", padding=(-1, 2)), "padding must be an int >= 0"),
        (dict(kind="Conv1d", kernel_size=10**7, in_channels=1, out_channels=1), "kernel_size must be at most MAX_SIZE"),
    ],
)
def test_layers_torch_refuses_are_refused(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        StackLayer(**kwargs)


def test_bounds() -> None:
    conv = StackLayer("Conv1d", 3, in_channels=1, out_channels=1)
    with pytest.raises(ValueError, match="MAX_STACK_LENGTH"):
        measure_stack([conv], MAX_STACK_LENGTH + 1)
    with pytest.raises(ValueError, match="MAX_LAYERS"):
        measure_stack([StackLayer("ZeroPad1d", padding=(0, 0))] * (MAX_LAYERS + 1), 10)
    with pytest.raises(ValueError, match="MAX_STACK_LENGTH"):
        measure_stack([StackLayer("ConvTranspose1d", 1, 1000, in_channels=1, out_channels=1)] * 2, 100)
    wide = [StackLayer("Conv1d", 2, dilation=10**5, in_channels=1, out_channels=1)] * 3
    with pytest.raises(ValueError, match="MAX_FIELD_CELLS"):
        measure_stack(wide, 10**6)
    assert MAX_FIELD_CELLS == 2**27


def test_refusal_names_the_layer_and_the_lengths() -> None:
    stack = layers(wav2vec2_specs())
    with pytest.raises(ValueError) as error:
        measure_stack(stack, 300)
    message = str(error.value)
    assert message.startswith("layer 7 (Conv1d) refuses its input of 1 sample (the stack's input is 300): padded")
    assert torch_lengths(wav2vec2_specs()[:6], 300, channels=1)[-1] == 1  # torch gives layer 7 one sample too
    assert torch_lengths(wav2vec2_specs(), 300, channels=1) is None


@pytest.mark.parametrize("seed", range(200))
def test_windows_and_bits_agree(seed: int) -> None:
    """Without transposed layers or copied padding, each output's own window gives what whole rows of bits give."""
    rng = random.Random(4000 + seed)
    specs = [spec for spec in random_stack(rng) if spec[0] != "ConvTranspose1d"]
    stack = [layer for layer in layers(specs) if layer.padding_mode == "zeros"]
    if not stack:
        pytest.skip("nothing left")
    length = rng.randint(1, 80)
    try:
        stack_lengths(stack, length)
    except ValueError:
        pytest.skip("refused")
    assert fields_by_windows(stack, length) == fields_on(stack, length)
