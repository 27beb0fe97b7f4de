"""Stacks as torch modules, and torch as the oracle for what conv_docs.stack computes: shared by the tests of the
stack, of the printed-model reader and of the command line.

A layer is a ``(kind, kwargs)`` pair: the torch class name and the arguments of its constructor. torch measures
what the library computes: lengths by running the modules, the receptive field and the unread inputs by
gradients (weights 1, so no two paths cancel; a pool counted like an average pool, its window as torch's pooling
places it), parameters by ``numel``, multiply-adds by torch's own FLOP counter.
"""

from __future__ import annotations

import random
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

Spec = tuple[str, dict[str, Any]]

MODES = ("zeros", "reflect", "replicate", "circular")


def random_layer(rng: random.Random, channels: int = 1) -> Spec:
    """One layer of any kind the stack follows, on ``channels`` channels; some are refused at some lengths."""
    kind = rng.choice(
        ["Conv1d"] * 4
        + ["ConvTranspose1d"] * 2
        + ["MaxPool1d", "AvgPool1d"]
        + ["ConstantPad1d", "ZeroPad1d", "ReflectionPad1d", "ReplicationPad1d", "CircularPad1d"]
    )
    k, s = rng.randint(1, 5), rng.randint(1, 3)
    if kind == "Conv1d":
        padding: Any = rng.choice([0, 0, 1, 2, 3, "valid"] + (["same"] if s == 1 else []))
        kwargs = dict(kernel_size=k, stride=s, padding=padding, dilation=rng.randint(1, 3))
        kwargs["padding_mode"] = rng.choice(MODES)
        return kind, dict(in_channels=channels, out_channels=channels, bias=rng.random() < 0.5, **kwargs)
    if kind == "ConvTranspose1d":
        d = rng.randint(1, 2)
        kwargs = dict(kernel_size=k, stride=s, padding=rng.randint(0, 3), dilation=d)
        kwargs["output_padding"] = rng.randint(0, max(s, d) - 1)
        return kind, dict(in_channels=channels, out_channels=channels, bias=rng.random() < 0.5, **kwargs)
    if kind in ("MaxPool1d", "AvgPool1d"):
        kwargs = dict(kernel_size=k, stride=s, padding=rng.randint(0, k // 2), ceil_mode=rng.random() < 0.5)
        if kind == "MaxPool1d":
            kwargs["dilation"] = rng.randint(1, 2)
        return kind, kwargs
    if kind in ("ConstantPad1d", "ZeroPad1d"):
        pads = (rng.randint(-2, 3), rng.randint(-2, 3))
        return kind, dict(padding=pads, value=0.0) if kind == "ConstantPad1d" else dict(padding=pads)
    return kind, dict(padding=(rng.randint(0, 3), rng.randint(0, 3)))


def random_stack(rng: random.Random, channels: int = 1) -> list[Spec]:
    return [random_layer(rng, channels) for _ in range(rng.randint(1, 5))]


def module(spec: Spec) -> nn.Module:
    """The torch module of a layer, every weight 1 and every bias 0."""
    kind, kwargs = spec
    layer = getattr(nn, kind)(**kwargs)
    with torch.no_grad():
        for parameter in layer.parameters():
            parameter.copy_(torch.ones_like(parameter) if parameter.dim() > 1 else torch.zeros_like(parameter))
    return layer.double()


def sequential(specs: list[Spec]) -> nn.Sequential:
    return nn.Sequential(*(module(spec) for spec in specs))


class AsAverage(nn.Module):
    """A pool counted like an average pool: every cell of its window, as torch places it, gets gradient. The
    windows are those of ``F.conv1d`` with weights 1 on the input padded with zeros as the pool pads it; the
    length is the one the real pool gives."""

    def __init__(self, pool: nn.Module) -> None:
        super().__init__()
        self.pool = pool

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pool = self.pool
        k, s, p = (_one(getattr(pool, name)) for name in ("kernel_size", "stride", "padding"))
        d = getattr(pool, "dilation", 1)
        count = pool(x.detach()).shape[-1]
        right = max(p, (count - 1) * s + d * (k - 1) + 1 - p - x.shape[-1])
        weight = torch.ones(x.shape[1], 1, k, dtype=x.dtype)
        return F.conv1d(F.pad(x, (p, right)), weight, stride=s, dilation=d, groups=x.shape[1])[..., :count]


def _one(value: int | tuple[int]) -> int:
    return value[0] if isinstance(value, tuple) else value


def gradient_net(specs: list[Spec]) -> nn.Sequential:
    layers = []
    for spec in specs:
        layer = module(spec)
        layers.append(AsAverage(layer) if spec[0] in ("MaxPool1d", "AvgPool1d") else layer)
    return nn.Sequential(*layers)


def torch_lengths(specs: list[Spec], length: int, channels: int = 1) -> list[int] | None:
    """The length after each layer, running the real modules; None if torch refuses the stack."""
    x = torch.zeros(1, channels, length, dtype=torch.float64)
    lengths = []
    try:
        for spec in specs:
            x = module(spec)(x)
            if x.shape[-1] < 1:
                return None
            lengths.append(x.shape[-1])
    except RuntimeError:
        return None
    return lengths


def one_channel(specs: list[Spec]) -> list[Spec]:
    """The same stack on one channel: which positions an output depends on does not depend on the channels."""
    return [
        (kind, {**kwargs, "in_channels": 1, "out_channels": 1}) if "in_channels" in kwargs else (kind, kwargs)
        for kind, kwargs in specs
    ]


def torch_fields(
    specs: list[Spec], length: int, outputs: list[int] | None = None, chunk: int = 128, last_only: bool = False
) -> list[int]:
    """After each layer (or the last only), the most input positions one output's gradient reaches (of
    ``outputs`` for the last layer, every output by default): the outputs are taken a batch at a time, output b
    of batch element b. Run on one channel."""
    specs = one_channel(specs)
    fields = []
    for depth in range(len(specs) if last_only else 1, len(specs) + 1):
        net = gradient_net(specs[:depth])
        channels = specs[0][1].get("in_channels", 1)
        with torch.no_grad():
            count = net(torch.zeros(1, channels, length, dtype=torch.float64)).shape[-1]
        wanted = list(range(count)) if outputs is None or depth < len(specs) else outputs
        best = 0
        for start in range(0, len(wanted), chunk):
            batch = wanted[start : start + chunk]
            x = torch.ones(len(batch), channels, length, dtype=torch.float64, requires_grad=True)
            y = net(x)
            y[torch.arange(len(batch)), :, batch].sum().backward()
            best = max(best, int((x.grad != 0).any(dim=1).sum(dim=1).max()))
        fields.append(best)
    return fields


def torch_unread(spec: Spec, length: int) -> int:
    """How many inputs of the layer get no gradient from the sum of its outputs."""
    channels = spec[1].get("in_channels", 1)
    x = torch.ones(1, channels, length, dtype=torch.float64, requires_grad=True)
    gradient_net([spec])(x).sum().backward()
    return int((x.grad[0] == 0).all(dim=0).sum())


def torch_params(spec: Spec) -> int:
    return sum(parameter.numel() for parameter in module(spec).parameters())


def torch_multiplications(spec: Spec, length: int) -> int:
    """Multiply-adds for one example, as torch's FLOP counter counts them (two FLOPs each)."""
    channels = spec[1].get("in_channels", 1)
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        module(spec)(torch.zeros(1, channels, length, dtype=torch.float64))
    return counter.get_total_flops() // 2


# The published front ends, built from their papers' configurations.


def wav2vec2_specs() -> list[Spec]:
    """wav2vec 2.0's feature encoder: seven convolutions of 512 channels, kernels 10,3,3,3,3,2,2, strides 5,2,...,2."""
    kernels, strides = (10, 3, 3, 3, 3, 2, 2), (5, 2, 2, 2, 2, 2, 2)
    return [
        ("Conv1d", dict(in_channels=1 if n == 0 else 512, out_channels=512, kernel_size=k, stride=s, bias=False))
        for n, (k, s) in enumerate(zip(kernels, strides, strict=True))
    ]


def wav2vec_specs() -> list[Spec]:
    """wav2vec's encoder: five convolutions of 512 channels, kernels 10,8,4,4,4, strides 5,4,2,2,2."""
    kernels, strides = (10, 8, 4, 4, 4), (5, 4, 2, 2, 2)
    return [
        ("Conv1d", dict(in_channels=1 if n == 0 else 512, out_channels=512, kernel_size=k, stride=s))
        for n, (k, s) in enumerate(zip(kernels, strides, strict=True))
    ]


def wavenet_specs(channels: int = 1) -> list[Spec]:
    """WaveNet's dilated stack: kernel 2, dilations 1, 2, ..., 512, three times, each made causal by a left padding."""
    specs: list[Spec] = []
    for _ in range(3):
        for d in (2**n for n in range(10)):
            specs.append(("ConstantPad1d", dict(padding=(d, 0), value=0.0)))
            specs.append(("Conv1d", dict(in_channels=channels, out_channels=channels, kernel_size=2, dilation=d)))
    return specs


def whisper_specs() -> list[Spec]:
    """Whisper's front end (the base model's 512 channels): two convolutions of kernel 3, the second of stride 2."""
    return [
        ("Conv1d", dict(in_channels=80, out_channels=512, kernel_size=3, padding=1)),
        ("Conv1d", dict(in_channels=512, out_channels=512, kernel_size=3, stride=2, padding=1)),
    ]


def hifigan_specs() -> list[Spec]:
    """HiFi-GAN V1's upsampler: ConvTranspose1d of kernels 16,16,4,4, strides 8,8,2,2, padding (k-s)/2."""
    channels = (512, 256, 128, 64, 32)
    return [
        ("ConvTranspose1d", dict(in_channels=c_in, out_channels=c_out, kernel_size=k, stride=s, padding=(k - s) // 2))
        for c_in, c_out, k, s in zip(channels, channels[1:], (16, 16, 4, 4), (8, 8, 2, 2), strict=False)
    ]


def kim_specs(window: int, length: int) -> list[Spec]:
    """One branch of a Kim (2014) text CNN on ``length`` words: 100 filters of ``window`` words over 300-wide
    embeddings, then max over time (a max pool as wide as the feature map)."""
    return [
        ("Conv1d", dict(in_channels=300, out_channels=100, kernel_size=window)),
        ("MaxPool1d", dict(kernel_size=length - window + 1)),
    ]
