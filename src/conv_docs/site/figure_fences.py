"""The figure fences, ``conv1d``, ``conv_transpose1d`` and ``plot``: finding them in a page, and drawing them.

:func:`draw` gives the HTML of a figure fence from its kind and body, drawn by the library (a captioned SVG, the
steps in words, or the length formula) and kept in the figure cache (:mod:`conv_docs.site.figure_cache`); a fence
that cannot be drawn raises :class:`~conv_docs.site.fence_errors.FenceError` naming the problem.
:func:`missing_figures` lists the figure fences of a page that are not in the cache yet, which
:mod:`conv_docs.site.parallel_figures` draws ahead of the build. The formatter that puts the figures in the pages
is :func:`conv_docs.site.fences.format_fence`.

>>> draw("conv1d", "input: [2, 3, 4]\\nkernel_size: 2\\nview: steps")[:38]
'<ol class="conv-steps"><li>Step 1: w0 '
>>> try:
...     draw("conv1d", "input: [2, 3, 4]")
... except FenceError as error:
...     print(error.problem)
give 'weight: [w0, w1, ...]' or 'kernel_size: N' with an int N >= 1
"""

from __future__ import annotations

import html
import importlib
import inspect
import re
from typing import Any

from conv_docs.site.fence_errors import FenceError, did_you_mean, reason
from conv_docs.site.fence_options import CONV_OPTIONS, FIGURE_KINDS, VIEWS, parse_options
from conv_docs.site.figure_cache import cache_path, cached
from conv_docs.site.mathml import length_latex, math_block, to_mathml

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
            drawn = cache_path(kind, parse_options(kind, body)).exists()
        except FenceError:
            drawn = False
        if not drawn:
            missing.append((kind, body))
    return missing


def draw(kind: str, source: str) -> str:
    """The HTML of a figure fence of this kind with this body, as the page gets it (from the cache if there).

    Whatever keeps it from being drawn raises :class:`FenceError`: a bad option, a configuration the library
    refuses, or a figure function that fails (``"drawing it failed with ..."``).
    """
    try:
        options = parse_options(kind, source)
        if kind == "plot":
            return cached(kind, options, lambda: _render_plot(source, dict(options)))
        if kind not in CONV_OPTIONS:
            raise FenceError(kind, source, f"unknown fence; known: {', '.join(FIGURE_KINDS)}")
        return cached(kind, options, lambda: _render_conv(kind, source, options))
    except FenceError:
        raise
    except Exception as error:  # a figure function that fails is a problem of the fence, named like the others
        raise FenceError(kind, source, f"drawing it failed with {reason(error)}") from error


# --- convolution fences ----------------------------------------------------------------------------------------------


def _trace(kind: str, source: str, options: dict[str, Any]) -> Any:
    from conv_docs.trace import trace_conv1d, trace_conv_transpose1d

    arguments = {key: value for key, value in options.items() if key != "view"}
    allowed = CONV_OPTIONS[kind]
    unknown = sorted(set(arguments) - set(allowed))
    if unknown:
        hint = did_you_mean(unknown[0], (*allowed, "view"))
        problem = f"unknown option {unknown[0]!r}{hint} (allowed: {', '.join((*allowed, 'view'))})"
        raise FenceError(kind, source, problem)
    if "input" not in arguments:
        raise FenceError(kind, source, "the option 'input' is required, for example 'input: [2, 3, 4]'")
    kernel_size = arguments.pop("kernel_size", None)
    if "weight" not in arguments:
        if not isinstance(kernel_size, int) or isinstance(kernel_size, bool) or kernel_size < 1:
            raise FenceError(kind, source, "give 'weight: [w0, w1, ...]' or 'kernel_size: N' with an int N >= 1")
        arguments["weight"] = [1] * kernel_size
    elif kernel_size is not None:
        raise FenceError(kind, source, "give either 'weight' or 'kernel_size', not both")
    function = trace_conv1d if kind == "conv1d" else trace_conv_transpose1d
    try:
        return function(**arguments)
    except (TypeError, ValueError) as error:
        raise FenceError(kind, source, str(error)) from error


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
        raise FenceError(kind, source, f"view must be one of {', '.join(VIEWS)}, got {view!r}")
    trace = _trace(kind, source, options)
    if view == "length":
        return math_block(to_mathml(length_latex(trace), display=True))
    if view == "steps":
        items = "".join(f"<li>{html.escape(describe_step(trace, step))}</li>" for step in trace.steps)
        return f'<ol class="conv-steps">{items}</ol>'
    from conv_docs.figures.steps import trace_plot
    from conv_docs.figures.svg import to_svg

    plot = trace_plot(trace)
    try:
        svg = to_svg(plot)
    except ValueError as error:
        raise FenceError(kind, source, str(error)) from error
    return _figure(svg, plot.title, kind)


# --- plot fences -----------------------------------------------------------------------------------------------------


def _render_plot(source: str, options: dict[str, Any]) -> str:
    from conv_docs.figures.svg import Plot, to_svg

    kind = "plot"
    name = options.pop("function", None)
    if not isinstance(name, str) or not re.fullmatch(r"conv_docs(\.\w+)+", name):
        example = "conv_docs.figures.length_curves.length_against_input"
        problem = f"'function' must name a function in conv_docs, such as {example}; got {name!r}"
        raise FenceError(kind, source, problem)
    module_name, _, attribute = name.rpartition(".")
    try:
        function = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise FenceError(kind, source, f"cannot find the function {name!r}: {error}") from error
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):  # a builtin without a signature: let the call say what is wrong
        parameters = {}
    takes_any = any(parameter.kind is parameter.VAR_KEYWORD for parameter in parameters.values())
    unknown = [key for key in options if parameters and not takes_any and key not in parameters]
    if unknown:
        hint = did_you_mean(unknown[0], parameters)
        allowed = ", ".join(parameters) or "none"
        raise FenceError(kind, source, f"{name} takes no option {unknown[0]!r}{hint} (it takes: {allowed})")
    try:
        plot = function(**options)
    except (TypeError, ValueError) as error:
        raise FenceError(kind, source, f"{name} refused these options: {error}") from error
    if not isinstance(plot, Plot):
        raise FenceError(kind, source, f"{name} returned {type(plot).__name__}, not a conv_docs.figures.svg.Plot")
    try:
        svg = to_svg(plot)
    except ValueError as error:
        raise FenceError(kind, source, str(error)) from error
    return _figure(svg, plot.title, kind)
