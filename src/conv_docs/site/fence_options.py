"""The fences of the site and their options: which fences there are, what each accepts, and reading a fence body.

A fence body holds one option per line, ``key: value``, with YAML values (``[2, 3, 4]``, ``1``, ``same``); ``#``
starts a comment::

    ```conv1d
    input: [2, 3, 4]
    kernel_size: 2     # or weight: [w0, w1]; without weight, every weight is 1
    bias: 0            # optional; without it the formulas have no bias term
    stride: 2
    padding: 1
    view: diagram      # diagram (the default), steps (every step in words) or length (the formula)
    ```

A body that is not such lines raises :class:`~conv_docs.site.fence_errors.FenceError`.

>>> parse_options("conv1d", "input: [2, 3, 4]  # three values\\nstride: 2")
{'input': [2, 3, 4], 'stride': 2}
>>> sorted(set(CONV_OPTIONS["conv_transpose1d"]) - set(CONV_OPTIONS["conv1d"]))
['output_padding']
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from conv_docs.site.fence_errors import FenceError

# Options each convolution fence accepts, beside ``view``; they are the arguments of the trace functions.
CONV_OPTIONS = {
    "conv1d": ("input", "weight", "kernel_size", "bias", "stride", "padding", "padding_mode", "dilation", "groups"),
    "conv_transpose1d": (
        "input",
        "weight",
        "kernel_size",
        "bias",
        "stride",
        "padding",
        "output_padding",
        "dilation",
        "groups",
    ),
}
VIEWS = ("diagram", "steps", "length")


FIGURE_KINDS = ("conv1d", "conv_transpose1d", "plot")
FENCE_KINDS = (*FIGURE_KINDS, "math", "exercise")  # every fence of the site (exercise: site/exercises.py)


def parse_options(kind: str, source: str) -> dict[str, Any]:
    """Read a fence body: one ``key: value`` per line, YAML values, ``#`` comments and blank lines ignored.

    >>> parse_options("plot", "function: conv_docs.figures.padding_modes.padding_modes\\nlength: 4")
    {'function': 'conv_docs.figures.padding_modes.padding_modes', 'length': 4}
    >>> parse_options("conv1d", "stride: 2\\nstride: 1")
    Traceback (most recent call last):
    ...
    conv_docs.site.fence_errors.FenceError: ```conv1d fence (first line 'stride: 2'): option 'stride' is given twice
    """
    options: dict[str, Any] = {}
    for line in source.splitlines():
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        key, colon, value = text.partition(":")
        key = key.strip()
        if not colon or not re.fullmatch(r"[A-Za-z_]\w*", key):
            raise FenceError(kind, source, f"line {text!r} is not 'key: value'")
        if key in options:
            raise FenceError(kind, source, f"option {key!r} is given twice")
        try:
            options[key] = yaml.safe_load(value) if value.strip() else None
        except yaml.YAMLError as error:
            raise FenceError(kind, source, f"the value of {key!r} is not valid YAML: {value.strip()!r}") from error
    return options
