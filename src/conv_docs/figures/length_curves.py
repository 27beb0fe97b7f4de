"""How the output length grows with the input length: a staircase per setting, from ``output_length``.

>>> curve = length_curve(dict(kernel_size=2, stride=2), max_length=6)
>>> curve.lengths
(None, 1, 1, 2, 2, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from conv_docs.params import output_length

if TYPE_CHECKING:
    from conv_docs.figures.svg import Plot

DEFAULT_SETTINGS = (
    {"kernel_size": 3, "stride": 1},
    {"kernel_size": 3, "stride": 1, "dilation": 2},
    {"kernel_size": 2, "stride": 2, "padding": 1},
    {"kernel_size": 2, "stride": 2},
    {"kernel_size": 3, "stride": 3},
)


@dataclass(frozen=True)
class Curve:
    """Output lengths for input lengths 1 .. max_length; ``None`` where the window does not fit at all."""

    setting: dict[str, Any]
    lengths: tuple[int | None, ...]

    @property
    def label(self) -> str:
        """``k=3, s=2, p=1``: the setting in short."""
        short = {"kernel_size": "k", "stride": "s", "padding": "p", "dilation": "d"}
        return ", ".join(f"{short[name]}={value}" for name, value in self.setting.items())


def length_curve(setting: dict[str, Any], max_length: int = 12) -> Curve:
    """The output length for every input length from 1 to ``max_length`` under one setting."""
    lengths = []
    for length in range(1, max_length + 1):
        n = output_length(length, **setting)
        lengths.append(n if n >= 1 else None)
    return Curve(dict(setting), tuple(lengths))


def length_against_input(settings: Sequence[dict[str, Any]] = DEFAULT_SETTINGS, max_length: int = 12) -> Plot:
    """Plot the output length against the input length, one staircase per setting."""
    from matplotlib.figure import Figure

    from conv_docs.figures.kit import make_plot, style_chart
    from conv_docs.figures.svg import FOREGROUND, SERIES

    curves = [length_curve(setting, max_length) for setting in settings]
    figure = Figure(figsize=(4.5, 4.0))
    ax = figure.add_subplot()
    inputs = range(1, max_length + 1)
    for k, curve in enumerate(curves):
        points = [(n, m) for n, m in zip(inputs, curve.lengths, strict=True) if m is not None]
        colour = SERIES[k % len(SERIES)]
        ax.step(*zip(*points, strict=True), where="post", color=colour, label=curve.label, marker="o", markersize=3)
    ax.set_xlabel("input length L_in", color=FOREGROUND)
    ax.set_ylabel("output length L_out", color=FOREGROUND)
    ax.set_xticks(range(0, max_length + 1, 2))
    style_chart(ax, columns=2)
    figure.tight_layout()
    parts = []
    for curve in curves:
        first = next(n for n, m in zip(inputs, curve.lengths, strict=True) if m is not None)
        top = curve.lengths[-1]
        parts.append(f"{curve.label}: the first output appears at input length {first}, and {top} at {max_length}")
    description = f"Output length against input length from 1 to {max_length}, as staircases. " + "; ".join(parts) + "."
    return make_plot(figure, "Output length against input length", description)
