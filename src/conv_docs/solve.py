"""The inverse questions: which padding gives the length I want, and which ``output_padding`` undoes a ``Conv1d``.

Both come from :func:`conv_docs.output_length` read backwards. A ``Conv1d`` grows by two padded cells for each
step of ``padding``, so its output grows by ``2/stride`` per step and some lengths are out of reach (then the
nearest ones are given). A ``ConvTranspose1d`` with the same settings as a ``Conv1d`` gives back the length the
``Conv1d`` took, up to the cells the ``Conv1d``'s last window left unread: ``output_padding`` adds them back.

>>> paddings_for_length(3000, 1500, kernel_size=3, stride=2).paddings
(1,)
>>> mirror_output_padding(199, kernel_size=2, stride=2)  # 199 -> 99 -> 198 + 1
1
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from conv_docs.params import as_flag, as_int, output_length, resolve_padding
from conv_docs.stack import POOLS, StackLayer, check_stack, stack_lengths


@dataclass(frozen=True)
class PaddingAnswer:
    """Every padding that gives ``wanted`` outputs from ``input_length`` inputs, and, if none does, the nearest
    lengths some padding gives as ``(padding, length)`` pairs (the closest shorter one, then the closest longer)."""

    input_length: int
    wanted: int
    paddings: tuple[int, ...]
    nearest: tuple[tuple[int, int], ...] = ()

    def sentence(self) -> str:
        """The answer in words.

        >>> print(paddings_for_length(16000, 16000, kernel_size=4).sentence())
        no padding gives 16000 outputs from 16000 inputs; the nearest: padding=1 gives 15999, padding=2 gives 16001
        """
        counts = f"{self.wanted} outputs from {self.input_length} inputs"
        if self.paddings:
            shown = ", ".join(f"padding={p}" for p in self.paddings)
            return f"{shown} give{'s' if len(self.paddings) == 1 else ''} {counts}"
        nearest = ", ".join(f"padding={p} gives {length}" for p, length in self.nearest)
        return f"no padding gives {counts}; the nearest: {nearest}"


def paddings_for_length(
    input_length: int,
    wanted: int,
    kernel_size: int,
    stride: int = 1,
    dilation: int = 1,
    *,
    transposed: bool = False,
    output_padding: int = 0,
) -> PaddingAnswer:
    """The int paddings with which ``nn.Conv1d`` (or ``nn.ConvTranspose1d``) gives ``wanted`` outputs.

    ``Conv1d``: ``padding`` adds ``2*padding`` cells, so the output length ``floor((L + 2p - span)/stride) + 1``
    rises with ``p`` and each length is given by a run of paddings (or by none: with stride 1 a padding step
    adds two outputs). ``ConvTranspose1d``: each step of ``padding`` cuts two outputs.

    >>> paddings_for_length(16000, 16000, kernel_size=3).paddings  # padding='same'
    (1,)
    >>> paddings_for_length(10, 3, kernel_size=3, stride=4).paddings
    (1, 2)
    >>> paddings_for_length(
    ...     49, 98, kernel_size=4, stride=2, transposed=True
    ... ).paddings
    (1,)

    A transposed layer's padding only cuts, so a length past what padding 0 gives is out of reach:

    >>> print(paddings_for_length(1, 4, kernel_size=1, transposed=True).sentence())
    no padding gives 4 outputs from 1 inputs; the nearest: padding=0 gives 1
    """
    length = as_int("input_length", input_length, minimum=1)
    wanted = as_int("wanted", wanted, minimum=1)
    kernel_size = as_int("kernel_size", kernel_size, minimum=1)
    stride = as_int("stride", stride, minimum=1)
    dilation = as_int("dilation", dilation, minimum=1)
    output_padding = as_int("output_padding", output_padding, minimum=0)
    transposed = as_flag("transposed", transposed)

    def length_with(padding: int) -> int:
        return output_length(
            length, kernel_size, stride, padding, dilation, transposed=transposed, output_padding=output_padding
        )

    if transposed:
        cut = length_with(0) - wanted  # two outputs per step of padding
        if cut >= 0 and cut % 2 == 0:
            return PaddingAnswer(length, wanted, (cut // 2,))
        # odd cut: the paddings either side of it; negative cut: wanted is longer than padding 0 gives
        candidates = [p for p in (cut // 2, cut // 2 + 1) if p >= 0 and length_with(p) >= 1] if cut > 0 else [0]
        return PaddingAnswer(
            length, wanted, (), tuple(sorted(((p, length_with(p)) for p in candidates), key=_by_length))
        )
    span = dilation * (kernel_size - 1) + 1
    # floor((L + 2p - span)/stride) + 1 == wanted  <=>  stride*(wanted-1) <= L + 2p - span <= stride*wanted - 1
    low = -(-(stride * (wanted - 1) - length + span) // 2)
    high = (stride * wanted - 1 - length + span) // 2
    paddings = tuple(range(max(low, 0), high + 1))
    if paddings:
        return PaddingAnswer(length, wanted, paddings)
    first_longer = max(low, 0)  # the smallest padding that gives more than wanted
    nearest = [(first_longer - 1, length_with(first_longer - 1))] if first_longer >= 1 else []
    if length_with(first_longer - 1 if first_longer >= 1 else 0) < 1:
        nearest = []
    nearest.append((first_longer, length_with(first_longer)))
    return PaddingAnswer(length, wanted, (), tuple(nearest))


def _by_length(pair: tuple[int, int]) -> int:
    return pair[1]


def mirror_output_padding(
    input_length: int, kernel_size: int, stride: int = 1, padding: int | str = 0, dilation: int = 1
) -> int:
    """The ``output_padding`` with which ``ConvTranspose1d(kernel_size, stride, padding, dilation)`` turns the
    output of the ``Conv1d`` with those settings back into ``input_length`` samples.

    It is the count of cells the ``Conv1d``'s windows stopped short of: ``(L + 2*padding - span) mod stride``.

    >>> mirror_output_padding(16000, kernel_size=10, stride=5)
    0
    >>> mirror_output_padding(99, kernel_size=2, stride=2)
    1
    """
    length = as_int("input_length", input_length, minimum=1)
    left, right = resolve_padding(padding, kernel_size, dilation, stride)
    if left != right:
        raise ValueError(
            f"padding={padding!r} pads ({left}, {right}), unequally: ConvTranspose1d cuts the same padding from both "
            f"ends, so no output_padding undoes it; crop one cell from the right of the mirror's output instead"
        )
    shorter = output_length(length, kernel_size, stride, left, dilation)
    if shorter < 1:
        raise ValueError(f"Conv1d(kernel_size={kernel_size}, dilation={dilation}) refuses {length} inputs")
    return _restoring(length, shorter, kernel_size, stride, left, dilation)


def _restoring(length: int, shorter: int, kernel_size: int, stride: int, padding: int, dilation: int) -> int:
    """The output_padding that brings ``shorter`` samples back to ``length`` through a ConvTranspose1d."""
    back = output_length(shorter, kernel_size, stride, padding, dilation, transposed=True)
    extra = length - back
    if not 0 <= extra < max(stride, dilation):
        raise ValueError(
            f"the mirror gives {back} samples; no output_padding below max(stride, dilation) = "
            f"{max(stride, dilation)} makes it {length}"
        )
    return extra


def mirror_stack(layers: Sequence[StackLayer], input_length: int) -> list[StackLayer]:
    """The layers that take the stack's output back to ``input_length`` samples, last layer first: a
    ``ConvTranspose1d`` for each ``Conv1d`` or pool (same kernel, stride, padding and dilation, channels swapped,
    and the ``output_padding`` that restores the length), a ``Conv1d`` for each ``ConvTranspose1d``, and a crop
    (``ConstantPad1d`` with negative padding) for each padding layer. A pool's channels are those of the nearest
    convolution before it in the stack (a printout names no channels for a pool).

    >>> encoder = [
    ...     StackLayer("Conv1d", 3, 2, in_channels=1, out_channels=8),
    ...     StackLayer("MaxPool1d", 2),
    ... ]
    >>> [
    ...     (layer.in_channels, layer.out_channels, layer.describe())
    ...     for layer in mirror_stack(encoder, 100)
    ... ]
    [(8, 8, 'ConvTranspose1d k=2 s=2 op=1'), (8, 1, 'ConvTranspose1d k=3 s=2 op=1')]
    """
    layers = check_stack(layers)
    lengths = stack_lengths(layers, input_length)
    channels: int | None = None
    flowing = []  # the channels at each layer's input
    for layer in layers:
        flowing.append(layer.in_channels if layer.in_channels is not None else channels)
        channels = layer.out_channels if layer.out_channels is not None else channels
    mirror = []
    for number in reversed(range(len(layers))):
        layer, length, c_in = layers[number], lengths[number], flowing[number]
        if layer.kind in POOLS or layer.kind == "Conv1d":
            if c_in is None:
                raise ValueError(f"{layer.label(number + 1)} has no convolution before it to take channels from")
            left, right = layer.pads()
            if left != right:
                mirror_output_padding(length, layer.kernel_size, layer.stride, layer.padding, layer.dilation)  # raises
            extra = _restoring(length, lengths[number + 1], layer.kernel_size, layer.stride, left, layer.dilation)
            mirror.append(
                StackLayer(
                    "ConvTranspose1d",
                    layer.kernel_size,
                    layer.stride,
                    left,
                    layer.dilation,
                    in_channels=layer.out_channels or c_in,
                    out_channels=c_in,
                    groups=layer.groups,
                    bias=layer.bias,
                    output_padding=extra,
                    name=layer.name,
                    line=layer.line,
                )
            )
        elif layer.transposed:
            mirrored = replace(layer, kind="Conv1d", output_padding=0)
            mirrored = replace(mirrored, in_channels=layer.out_channels, out_channels=layer.in_channels)
            if stack_lengths([mirrored], lengths[number + 1])[-1] != length:
                raise ValueError(f"no Conv1d with the settings of {layer.describe()} gives back {length} samples")
            mirror.append(mirrored)
        else:
            left, right = layer.pads()
            mirror.append(StackLayer("ConstantPad1d", padding=(-left, -right), name=layer.name, line=layer.line))
    return mirror
