"""Markdown glue: the ``conv1d``, ``conv_transpose1d``, ``plot`` and ``math`` fences, and inline math.

The fences are pymdownx.superfences custom fences (see ``mkdocs.yml``). Their body holds one option per
line, ``key: value``, with YAML values (``[2, 3, 4]``, ``1``, ``same``); ``#`` starts a comment::

    ```conv1d
    input: [2, 3, 4]
    kernel_size: 2     # or weight: [w0, w1]; without weight, every weight is 1
    bias: 0            # optional; without it the formulas have no bias term
    stride: 2
    padding: 1
    view: diagram      # diagram (the default), steps (every step in words) or length (the formula)
    ```

Each figure is drawn while the site builds and cached under ``.cache/figures/`` (or ``$CONV_DOCS_CACHE``),
keyed by the fence and the library's source, so an unchanged figure is not drawn twice. A fence with a bad
option fails the build with a message that names the fence and the problem.

>>> parse_options("conv1d", "input: [2, 3, 4]  # three values\\nstride: 2")
{'input': [2, 3, 4], 'stride': 2}
>>> "<figure" in format_fence("input: [2, 3, 4]\\nkernel_size: 2", "conv1d", "conv1d", {}, None)
True
"""

from __future__ import annotations

import hashlib
import html
import importlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pymdownx.superfences import SuperFencesException

import conv_docs

CACHE_ENV = "CONV_DOCS_CACHE"

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


class FenceError(SuperFencesException):
    """A fence that cannot be rendered; superfences lets this one through, so the build stops with it."""


def _fail(kind: str, source: str, problem: str) -> FenceError:
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return FenceError(f"```{kind} fence (first line {first!r}): {problem}")


def parse_options(kind: str, source: str) -> dict[str, Any]:
    """Read a fence body: one ``key: value`` per line, YAML values, ``#`` comments and blank lines ignored.

    >>> parse_options("plot", "function: conv_docs.figures.padding_modes.padding_modes\\nlength: 4")
    {'function': 'conv_docs.figures.padding_modes.padding_modes', 'length': 4}
    """
    options: dict[str, Any] = {}
    for line in source.splitlines():
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        key, colon, value = text.partition(":")
        key = key.strip()
        if not colon or not re.fullmatch(r"[A-Za-z_]\w*", key):
            raise _fail(kind, source, f"line {text!r} is not 'key: value'")
        if key in options:
            raise _fail(kind, source, f"option {key!r} is given twice")
        try:
            options[key] = yaml.safe_load(value) if value.strip() else None
        except yaml.YAMLError as error:
            raise _fail(kind, source, f"the value of {key!r} is not valid YAML: {value.strip()!r}") from error
    return options


# --- the cache -------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def library_fingerprint() -> str:
    """A hash of the library's version and every source file of the package: any change draws figures anew."""
    digest = hashlib.sha256(conv_docs.__version__.encode())
    package = Path(conv_docs.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_dir() -> Path:
    """Where rendered figures are kept: ``$CONV_DOCS_CACHE``, or ``.cache/figures`` in the working folder."""
    return Path(os.environ.get(CACHE_ENV) or Path.cwd() / ".cache" / "figures")


def _cache_path(kind: str, options: dict[str, Any]) -> Path:
    key = json.dumps([kind, options, library_fingerprint()], sort_keys=True, default=repr)
    return cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.html"


def cached(kind: str, options: dict[str, Any], render: Any) -> str:
    """Return the HTML for (kind, options) from the cache, or ``render()`` it and keep it."""
    path = _cache_path(kind, options)
    if path.exists():
        return path.read_text(encoding="utf-8")
    text = render()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)  # atomic: parallel builds never read half a file
    return text


# Figure fences in a page's Markdown, as superfences finds them: at any indentation (inside an admonition, say),
# closed by the same backticks at the same indentation.
FIGURE_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<ticks>`{3,})(?P<kind>conv1d|conv_transpose1d|plot)[ \t]*\n"
    r"(?P<body>.*?)^(?P=indent)(?P=ticks)[ \t]*(?:\n|\Z)",
    re.M | re.S,
)


def missing_figures(markdown: str) -> list[tuple[str, str]]:
    """The figure fences of a page, as ``(kind, body)``, whose figure is not in the cache yet.

    A fence whose options cannot be read counts as missing: drawing it reports the problem.

    >>> page = "Text.\\n\\n```conv1d\\ninput: [2, 3, 4]\\nkernel_size: 2\\n```\\n"
    >>> [kind for kind, body in missing_figures(page)] in (["conv1d"], [])  # [] once it has been drawn
    True
    >>> draw("conv1d", "input: [2, 3, 4]\\nkernel_size: 2").startswith("<figure")
    True
    >>> missing_figures(page)
    []
    """
    missing = []
    for fence in FIGURE_FENCE.finditer(markdown):
        kind, body = fence.group("kind"), fence.group("body")
        try:
            drawn = _cache_path(kind, parse_options(kind, body)).exists()
        except FenceError:
            drawn = False
        if not drawn:
            missing.append((kind, body))
    return missing


def draw(kind: str, source: str) -> str:
    """The HTML of a figure fence of this kind with this body, as the page gets it (from the cache if there)."""
    return format_fence(source, kind, kind, {}, None)


# --- convolution fences ----------------------------------------------------------------------------------------------


def _trace(kind: str, source: str, options: dict[str, Any]) -> Any:
    from conv_docs.trace import trace_conv1d, trace_conv_transpose1d

    arguments = {key: value for key, value in options.items() if key != "view"}
    allowed = CONV_OPTIONS[kind]
    unknown = sorted(set(arguments) - set(allowed))
    if unknown:
        raise _fail(kind, source, f"unknown option {unknown[0]!r}; allowed: {', '.join((*allowed, 'view'))}")
    if "input" not in arguments:
        raise _fail(kind, source, "the option 'input' is required, for example 'input: [2, 3, 4]'")
    kernel_size = arguments.pop("kernel_size", None)
    if "weight" not in arguments:
        if not isinstance(kernel_size, int) or isinstance(kernel_size, bool) or kernel_size < 1:
            raise _fail(kind, source, "give 'weight: [w0, w1, ...]' or 'kernel_size: N' with an int N >= 1")
        arguments["weight"] = [1] * kernel_size
    elif kernel_size is not None:
        raise _fail(kind, source, "give either 'weight' or 'kernel_size', not both")
    function = trace_conv1d if kind == "conv1d" else trace_conv_transpose1d
    try:
        return function(**arguments)
    except (TypeError, ValueError) as error:
        raise _fail(kind, source, str(error)) from error


def _figure(svg: str, caption: str, kind: str) -> str:
    """A captioned figure. The drawing shrinks with the column (figures are drawn narrow enough that their
    smallest text stays legible in a phone's column), so nothing in it scrolls sideways."""
    name = re.search(r'<svg id="([^"]+)"', svg)
    label = f"{name.group(1)}-caption" if name else "conv-figure-caption"
    # data-search-exclude: the search index gets the caption, not the drawing's scattered labels ("x[0] w0 pad 0")
    attributes = f'class="conv-drawing" role="group" aria-labelledby="{label}" data-search-exclude=""'
    box = f"<div {attributes}>\n{svg}\n</div>"
    caption = f'<figcaption id="{label}">{html.escape(caption)}</figcaption>'
    return f'<figure class="conv-figure conv-figure--{kind}">\n{box}\n{caption}\n</figure>'


def _render_conv(kind: str, source: str, options: dict[str, Any]) -> str:
    from conv_docs.trace import describe_step

    view = options.get("view", "diagram")
    if view not in VIEWS:
        raise _fail(kind, source, f"view must be one of {', '.join(VIEWS)}, got {view!r}")
    trace = _trace(kind, source, options)
    if view == "length":
        return _math_block(to_mathml(length_latex(trace), display=True))
    if view == "steps":
        items = "".join(f"<li>{html.escape(describe_step(trace, step))}</li>" for step in trace.steps)
        return f'<ol class="conv-steps">{items}</ol>'
    from conv_docs.figures.steps import trace_plot
    from conv_docs.figures.svg import to_svg

    plot = trace_plot(trace)
    try:
        svg = to_svg(plot)
    except ValueError as error:
        raise _fail(kind, source, str(error)) from error
    return _figure(svg, plot.title, kind)


def _render_plot(source: str, options: dict[str, Any]) -> str:
    from conv_docs.figures.svg import Plot, to_svg

    kind = "plot"
    name = options.pop("function", None)
    if not isinstance(name, str) or not re.fullmatch(r"conv_docs(\.\w+)+", name):
        example = "conv_docs.figures.length_curves.length_against_input"
        raise _fail(kind, source, f"'function' must name a function in conv_docs, such as {example}; got {name!r}")
    module_name, _, attribute = name.rpartition(".")
    try:
        function = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise _fail(kind, source, f"cannot find the function {name!r}: {error}") from error
    try:
        plot = function(**options)
    except (TypeError, ValueError) as error:
        raise _fail(kind, source, f"{name} refused these options: {error}") from error
    if not isinstance(plot, Plot):
        raise _fail(kind, source, f"{name} returned {type(plot).__name__}, not a conv_docs.figures.svg.Plot")
    try:
        svg = to_svg(plot)
    except ValueError as error:
        raise _fail(kind, source, str(error)) from error
    return _figure(svg, plot.title, kind)


def format_fence(source: str, language: str, class_name: str, options: Any, md: Any, **kwargs: Any) -> str:
    """The superfences formatter of the ``conv1d``, ``conv_transpose1d`` and ``plot`` fences."""
    kind = language
    parsed = parse_options(kind, source)
    if kind == "plot":
        return cached(kind, parsed, lambda: _render_plot(source, dict(parsed)))
    if kind not in CONV_OPTIONS:
        raise _fail(kind, source, f"unknown fence; known: {', '.join((*CONV_OPTIONS, 'plot'))}")
    return cached(kind, parsed, lambda: _render_conv(kind, source, parsed))


def length_latex(trace: Any) -> str:
    r"""The output-length formula of a trace with its numbers put in, as LaTeX, ending with the length.

    >>> from conv_docs import trace_conv1d
    >>> print(length_latex(trace_conv1d([2, 3, 4], [1, 1], stride=2, padding=1)))
    L_\text{out} = \left\lfloor \frac{3 + 2 \cdot 1 - 1 \cdot (2 - 1) - 1}{2} \right\rfloor + 1 = 2
    """
    length, k, s, d = trace.input_length, trace.kernel_size, trace.stride, trace.dilation
    left, right = trace.padding
    if trace.op == "conv1d":
        padded = f"2 \\cdot {left}" if left == right else f"{left} + {right}"
        value = (length + left + right - d * (k - 1) - 1) // s + 1
        latex = (
            f"L_\\text{{out}} = \\left\\lfloor \\frac{{{length} + {padded} - {d} \\cdot ({k} - 1) - 1}}{{{s}}}"
            f" \\right\\rfloor + 1 = {value}"
        )
    else:
        value = (length - 1) * s - 2 * left + d * (k - 1) + trace.output_padding + 1
        latex = (
            f"L_\\text{{out}} = ({length} - 1) \\cdot {s} - 2 \\cdot {left} + {d} \\cdot ({k} - 1)"
            f" + {trace.output_padding} + 1 = {value}"
        )
    if value != trace.output_length:  # the formula and the computation must agree, or the page would lie
        raise ValueError(f"the length formula gives {value} but the trace has {trace.output_length} outputs")
    return latex


# --- math ------------------------------------------------------------------------------------------------------------


def to_mathml(latex: str, display: bool = False) -> str:
    """LaTeX to MathML, done while the site builds, so that no script is needed to show it.

    >>> to_mathml("s + 1").startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    True
    """
    from latex2mathml.converter import convert

    return convert(latex.strip(), display="block" if display else "inline")


def _reason(error: Exception) -> str:
    """latex2mathml's errors often have no message: name their kind, which says what is missing."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _math_block(mathml: str) -> str:
    """A displayed formula; it scrolls sideways on a narrow screen, so it can take the keyboard focus."""
    return f'<div class="conv-math" tabindex="0">{mathml}</div>'


def format_math(source: str, language: str, class_name: str, options: Any, md: Any, **kwargs: Any) -> str:
    """The superfences formatter of the ``math`` fence: a displayed formula, as MathML."""
    try:
        mathml = to_mathml(source, display=True)
    except Exception as error:  # latex2mathml raises several kinds of errors for bad LaTeX
        raise _fail("math", source, f"cannot read the LaTeX ({_reason(error)})") from error
    return _math_block(mathml)


def format_inline_math(src: str, language: str, class_name: str, md: Any) -> str:
    """The inlinehilite formatter of `` `#!math ...` ``: a formula inside a sentence, as MathML."""
    try:
        return to_mathml(src)
    except Exception as error:  # latex2mathml raises several kinds of errors for bad LaTeX
        raise FenceError(f"inline `#!math {src}`: cannot read the LaTeX ({_reason(error)})") from error
