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
option, or a formula that cannot be read, fails the build with one line that names the page, the line of the
fence and the problem (the hook :mod:`conv_docs.site.build_errors` writes it, see :func:`collect_errors`).

>>> parse_options("conv1d", "input: [2, 3, 4]  # three values\\nstride: 2")
{'input': [2, 3, 4], 'stride': 2}
>>> "<figure" in format_fence("input: [2, 3, 4]\\nkernel_size: 2", "conv1d", "conv1d", {}, None)
True
"""

from __future__ import annotations

import difflib
import hashlib
import html
import importlib
import inspect
import json
import os
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pymdownx.inlinehilite import InlineHiliteException
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


FIGURE_KINDS = ("conv1d", "conv_transpose1d", "plot")
FENCE_KINDS = (*FIGURE_KINDS, "math", "exercise")  # every fence of the site (exercise: site/exercises.py)


class FenceError(SuperFencesException, InlineHiliteException):
    """A fence (or inline formula) that cannot be rendered.

    superfences and inlinehilite let this kind of error through, so without the hook that collects them
    (:func:`collect_errors`) the build stops at the first one. ``kind`` is the fence's name (``"inline math"`` for
    `` `#!math ...` ``), ``source`` its body, ``problem`` what is wrong.
    """

    def __init__(self, kind: str, source: str, problem: str) -> None:
        self.kind, self.source, self.problem = kind, source, problem
        if kind == "inline math":
            where = f"inline `#!math {source}`"
        else:
            first = next((line.strip() for line in source.splitlines() if line.strip()), "")
            where = f"```{kind} fence (first line {first!r})"
        super().__init__(f"{where}: {problem}")


def _fail(kind: str, source: str, problem: str) -> FenceError:
    return FenceError(kind, source, problem)


def did_you_mean(word: str, choices: Any) -> str:
    """``"; did you mean 'x'?"`` for the choice closest to a misspelled word, or ``""`` if none is close.

    >>> did_you_mean("kernel_sise", ("input", "kernel_size", "stride"))
    "; did you mean 'kernel_size'?"
    >>> did_you_mean("colour", ("input", "stride"))
    ''
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


# --- errors collected per page ---------------------------------------------------------------------------------------

_collected: list[FenceError] | None = None  # while a page renders under the hook: the errors of its fences


def collect_errors() -> None:
    """From now on a bad fence does not stop the build: its error is kept and the page shows it in its place.

    The hook :mod:`conv_docs.site.build_errors` calls this before a page is rendered and :func:`collected_errors`
    after, and logs each error as one line naming the page and the fence's line, which fails a strict build.

    >>> collect_errors()
    >>> "cannot draw this figure" in format_fence("input: [2, 3, 4]", "conv1d", "conv1d", {}, None)
    True
    >>> [error.problem for error in collected_errors()]
    ["give 'weight: [w0, w1, ...]' or 'kernel_size: N' with an int N >= 1"]
    """
    global _collected
    _collected = []


def collected_errors() -> list[FenceError]:
    """The errors kept since :func:`collect_errors`, which stops collecting (errors are raised again)."""
    global _collected
    errors, _collected = _collected or [], None
    return errors


def report_error(error: FenceError, inline: bool = False) -> str:
    """Keep the error if errors are collected and return what the page shows instead; else raise it."""
    if _collected is None:
        raise error
    _collected.append(error)
    problem = html.escape(error.problem)
    if inline:
        return f'<code class="conv-fence-error" title="{problem}">{html.escape(error.source)}</code>'
    kind = {"math": "formula", "exercise": "exercise"}.get(error.kind, "figure")
    return (
        f'<div class="admonition failure conv-fence-error"><p class="admonition-title">The build cannot draw this'
        f" {kind}</p><p>{html.escape(str(error))}</p></div>"
    )


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
        hint = did_you_mean(unknown[0], (*allowed, "view"))
        raise _fail(kind, source, f"unknown option {unknown[0]!r}{hint} (allowed: {', '.join((*allowed, 'view'))})")
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
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):  # a builtin without a signature: let the call say what is wrong
        parameters = {}
    takes_any = any(parameter.kind is parameter.VAR_KEYWORD for parameter in parameters.values())
    unknown = [key for key in options if parameters and not takes_any and key not in parameters]
    if unknown:
        hint = did_you_mean(unknown[0], parameters)
        allowed = ", ".join(parameters) or "none"
        raise _fail(kind, source, f"{name} takes no option {unknown[0]!r}{hint} (it takes: {allowed})")
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
    try:
        parsed = parse_options(kind, source)
        if kind == "plot":
            return cached(kind, parsed, lambda: _render_plot(source, dict(parsed)))
        if kind not in CONV_OPTIONS:
            raise _fail(kind, source, f"unknown fence; known: {', '.join(FIGURE_KINDS)}")
        return cached(kind, parsed, lambda: _render_conv(kind, source, parsed))
    except FenceError as error:
        return report_error(error)
    except Exception as error:  # superfences would swallow it and show the fence as plain text
        return report_error(_fail(kind, source, f"drawing it failed with {_reason(error)}"))


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
    r"""LaTeX to MathML, done while the site builds, so that no script is needed to show it.

    latex2mathml turns some mistakes into a formula silently (an unknown ``\frca`` is printed as its name, an
    unclosed ``{`` is closed, ``\text{kernel\_size}`` keeps its backslash), so the LaTeX and the MathML are
    checked: anything that would not show as written raises ``ValueError`` saying what.

    >>> to_mathml("s + 1").startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    True
    >>> to_mathml(r"\text{kernel_size} - 1").count("<mtext>kernel_size</mtext>")
    1
    >>> to_mathml(r"\frca{a}{b}")
    Traceback (most recent call last):
    ...
    ValueError: unknown command '\frca'
    """
    from latex2mathml.converter import convert

    latex = latex.strip()
    _check_latex(latex)
    try:
        mathml = convert(latex, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises several kinds of errors for bad LaTeX
        raise ValueError(f"cannot read the LaTeX ({_reason(error)})") from error
    _check_mathml(mathml)
    return mathml


_TEXT = re.compile(r"\\(?:text|textrm|textit|textbf|texttt|textsf|mbox)\s*\{([^{}]*)\}")


def _check_latex(latex: str) -> None:
    """Refuse what latex2mathml would turn into a wrong formula without a word: braces, text, environments."""
    from latex2mathml.commands import MATRICES

    depth, index = 0, 0
    while index < len(latex):
        char = latex[index]
        if char == "\\":
            index += 2  # an escaped character (\{, \}, \\) or the first letter of a command
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise ValueError(f"the '}}' at character {index + 1} closes no '{{'")
        index += 1
    if depth:
        raise ValueError(f"{depth} unclosed '{{'")
    for text in _TEXT.finditer(latex):
        if "\\" in text.group(1):
            plain = re.sub(r"\\([_%&#$ ])", r"\1", text.group(1))
            raise ValueError(
                f"'{text.group(0)}' would show its backslash: latex2mathml keeps the text of \\text as written,"
                f" so write \\text{{{plain}}}"
            )
    for environment in re.findall(r"\\begin\s*\{([^{}]*)\}", latex):
        if "\\" + environment not in MATRICES:
            known = ", ".join(sorted(name[1:] for name in MATRICES))
            raise ValueError(f"unknown environment {environment!r} (latex2mathml reads: {known})")


# MathML elements and the number of children they need: latex2mathml writes \frac{a} as a fraction of one.
_ARITY = {"mfrac": 2, "msub": 2, "msup": 2, "msubsup": 3, "mroot": 2, "munder": 2, "mover": 2, "munderover": 3}


def _check_mathml(mathml: str) -> None:
    """Refuse MathML that shows a TeX command (an unknown one is kept as text) or lacks a part of a fraction."""
    for element in ET.fromstring(mathml).iter():
        tag = element.tag.rpartition("}")[2]
        text = element.text or ""
        if "\\" in text:
            command = re.search(r"\\[A-Za-z]+|\\.?", text)
            raise ValueError(f"unknown command '{command.group(0) if command else text}'")
        if tag in _ARITY and len(element) != _ARITY[tag]:
            raise ValueError(f"a {tag} with {len(element)} parts instead of {_ARITY[tag]} (is an argument missing?)")


def _reason(error: Exception) -> str:
    """latex2mathml's errors often have no message: name their kind, which says what is missing."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _math_block(mathml: str) -> str:
    """A displayed formula; it scrolls sideways on a narrow screen, so it can take the keyboard focus."""
    return f'<div class="conv-math" tabindex="0">{mathml}</div>'


def format_math(source: str, language: str, class_name: str, options: Any, md: Any, **kwargs: Any) -> str:
    """The superfences formatter of the ``math`` fence: a displayed formula, as MathML."""
    try:
        return _math_block(to_mathml(source, display=True))
    except Exception as error:  # superfences would swallow anything but its own exception
        return report_error(_fail("math", source, str(error) or _reason(error)))


def format_inline_math(src: str, language: str, class_name: str, md: Any) -> str:
    """The inlinehilite formatter of `` `#!math ...` ``: a formula inside a sentence, as MathML."""
    try:
        return to_mathml(src)
    except Exception as error:  # inlinehilite would swallow anything but its own exception
        return report_error(_fail("inline math", src, str(error) or _reason(error)), inline=True)
