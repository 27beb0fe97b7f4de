"""The Markdown fences: options, errors that fail the build, the figure cache, and math as MathML."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from conv_docs.figures import steps
from conv_docs.site import figure_cache, figure_fences, mathml
from conv_docs.site.fence_errors import ERROR_CLASS, FenceError, errors_in_html
from conv_docs.site.fence_options import parse_options
from conv_docs.site.fences import format_fence, format_inline_math, format_math, typeset

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Every test gets an empty cache of its own."""
    monkeypatch.setenv(figure_cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def render(kind: str, body: str) -> str:
    """The figure of a fence; one that cannot be drawn raises FenceError (the formatter shows it in its place)."""
    return figure_fences.draw(kind, textwrap.dedent(body))


def test_options_are_yaml_values_one_per_line():
    body = """
        input: [2, 3, 4]   # the seed input
        # a comment line

        padding: same
        bias: -0.5
        weight: [1, 1]
    """
    assert parse_options("conv1d", textwrap.dedent(body)) == {
        "input": [2, 3, 4],
        "padding": "same",
        "bias": -0.5,
        "weight": [1, 1],
    }


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("input: [2, 3, 4]\ninput: [1]", "'input' is given twice"),
        ("input [2, 3, 4]", "is not 'key: value'"),
        ("input: [2, 3", "not valid YAML"),
    ],
)
def test_malformed_bodies_are_refused(body, problem):
    with pytest.raises(FenceError, match=problem) as error:
        parse_options("conv1d", body)
    assert "```conv1d fence" in str(error.value)


def test_the_diagram_fence_renders_a_captioned_inline_figure():
    html = render("conv1d", "input: [2, 3, 4]\nkernel_size: 2\nbias: 0\nstride: 2\npadding: 1")
    assert html.startswith('<figure class="conv-figure')
    assert ">conv1d of [2, 3, 4]: kernel 2, stride 2, padding 1</figcaption>" in html
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    assert ET.fromstring(svg).get("role") == "img"
    assert "Step 1: w0 and w1 read the padding zero and 2, giving 0*w0 + 2*w1 + bias" in svg


def test_a_figure_is_a_named_group_that_shrinks_with_the_column_and_never_scrolls():
    html = render("conv1d", "input: [[1, 2, 3], [4, 5, 6]]\nweight: [[[1, 0], [2, -1]]]\nstride: 1")
    figure = ET.fromstring(html)
    box = figure.find("div")
    caption = figure.find("figcaption")
    assert box.get("class") == "conv-drawing" and box.get("tabindex") is None  # nothing to scroll, no tab stop
    assert box.get("aria-labelledby") == caption.get("id") and caption.text.startswith("conv1d of")
    svg = box.find("{http://www.w3.org/2000/svg}svg")
    assert svg.get("style") is None  # no min-width: the drawing may shrink to the column
    view_width = float(svg.get("viewBox").split()[2])
    sizes = [float(size) for size in re.findall(r"font-size: ?([\d.]+)px", html)]
    assert sizes
    # in a phone's 343 px column the drawing is at most 343 CSS px wide for view_width units: text stays >= 9 px
    assert min(sizes) * min(343, view_width * 4 / 3) / view_width >= 9


def test_the_steps_view_lists_one_sentence_per_output_of_torch():
    html = render("conv1d", "input: [2, 3, 4]\nweight: [0.5, 2]\nstride: 1\nview: steps")
    expected = torch.nn.functional.conv1d(torch.tensor([[[2.0, 3.0, 4.0]]]), torch.tensor([[[0.5, 2.0]]]))
    items = html.count("<li>")
    assert items == expected.shape[-1]
    for value in expected[0, 0].tolist():
        assert f"= {value:g}." in html


def test_the_transposed_fence_accepts_output_padding():
    html = render("conv_transpose1d", "input: [1, 2]\nkernel_size: 2\nstride: 2\noutput_padding: 1")
    expected = torch.nn.functional.conv_transpose1d(
        torch.tensor([[[1.0, 2.0]]]), torch.ones(1, 1, 2), stride=2, output_padding=1
    )
    assert html.count("Step ") >= expected.shape[-1]
    assert f"Step {expected.shape[-1]}:" in html


@pytest.mark.parametrize(
    ("kind", "body", "problem"),
    [
        ("conv1d", "input: [2, 3, 4]\nkernel_size: 2\nstrid: 2", "unknown option 'strid'"),
        ("conv1d", "kernel_size: 2", "'input' is required"),
        ("conv1d", "input: [2, 3, 4]", "'kernel_size: N'"),
        ("conv1d", "input: [2, 3, 4]\nweight: [1, 1]\nkernel_size: 2", "not both"),
        ("conv1d", "input: [2, 3, 4]\nkernel_size: 2\nstride: 2\npadding: same", "padding='same' needs stride=1"),
        ("conv1d", "input: [2, 3, 4]\nkernel_size: 2\npadding_mode: mirror", "padding_mode must be one of"),
        ("conv1d", "input: [2, 3, 4]\nkernel_size: 2\nview: table", "view must be one of diagram, steps"),
        ("conv_transpose1d", "input: [1, 2]\nkernel_size: 2\npadding_mode: zeros", "unknown option 'padding_mode'"),
        ("plot", "function: os.system\ncommand: ls", "must name a function in conv_docs"),
        ("plot", "function: conv_docs.nothing_here", "cannot find the function"),
        ("plot", "function: conv_docs.trace.fmt\nvalue: 2", "returned str, not a conv_docs.figures.svg.Plot"),
        ("plot", "function: conv_docs.figures.steps.trace_title\nwrong: 1", "takes no option 'wrong'"),
        ("plot", "function: conv_docs.figures.steps.trace_title\ntrace: 1", "failed with AttributeError"),
        ("conv1d", "input: [2, 3, 4]\nkernel_sise: 2", "unknown option 'kernel_sise'; did you mean 'kernel_size'?"),
        ("conv1d", "input: [2, 3, 4]\nkernel_size: 2\nveiw: steps", "did you mean 'view'?"),
        ("conv_transpose1d", "input: [1]\nkernel_size: 2\noutput_pad: 1", "did you mean 'output_padding'?"),
        (
            "plot",
            "function: conv_docs.figures.length_curves.length_against_input\nmax_lenght: 8",
            "did you mean 'max_length'?",
        ),
    ],
)
def test_bad_fences_raise_an_error_naming_the_fence_and_the_problem(kind, body, problem):
    with pytest.raises(FenceError, match=problem) as error:
        render(kind, body)
    assert str(error.value).startswith(f"```{kind} fence")
    # the formatter never raises: it shows the same error in the fence's place, where the build hook finds it
    shown = format_fence(body, kind, kind, {}, None)
    assert shown.startswith(f'<div class="admonition failure {ERROR_CLASS}"') and "<svg" not in shown
    [found] = errors_in_html(f"<p>Text.</p>{shown}<p>More text.</p>")
    assert (found.kind, found.source, found.problem) == (kind, body, error.value.problem)


def test_an_unchanged_figure_comes_from_the_cache(monkeypatch, own_cache):
    body = "input: [2, 3, 4]\nkernel_size: 2\nstride: 2"
    first = render("conv1d", body)
    assert len(list(own_cache.glob("*.html"))) == 1

    def no_drawing(trace):
        raise AssertionError("the figure was drawn again")

    monkeypatch.setattr(steps, "trace_plot", no_drawing)
    assert render("conv1d", body) == first  # a hit: nothing is drawn
    assert render("conv1d", "# same options, other comment\n" + body) == first
    with pytest.raises(FenceError, match="AssertionError: the figure was drawn again"):
        render("conv1d", body + "\npadding: 1")  # other options: a miss


def test_the_cache_key_follows_the_library_source(monkeypatch, own_cache):
    body = "input: [2, 3, 4]\nkernel_size: 1"
    render("conv1d", body)
    monkeypatch.setattr(figure_cache, "library_fingerprint", lambda: "another version of the library")
    render("conv1d", body)
    assert len(list(own_cache.glob("*.html"))) == 2


def test_math_becomes_mathml_at_build_time():
    block = format_math(r"L_\text{out} = \left\lfloor \frac{L + 2p}{s} \right\rfloor + 1", "math", "", {}, None)
    math = ET.fromstring(block).find("{http://www.w3.org/1998/Math/MathML}math")
    assert math is not None and math.get("display") == "block"
    assert "<mfrac>" in block and "&#x0230A;" in block  # a fraction and the floor bracket
    inline = format_inline_math("s + 1", "math", "", None)
    assert inline.startswith("<math") and 'display="inline"' in inline


TINY_CONFIG = """\
site_name: fences
hooks:
  - {hook}
markdown_extensions:
  - admonition  # the "unknown macro" page has its fence in one
  - pymdownx.inlinehilite:
      custom_inline:
        - name: math
          class: conv-math
          format: !!python/name:conv_docs.site.fences.format_inline_math
  - pymdownx.superfences:
      custom_fences:
        - name: conv1d
          class: conv1d
          format: !!python/name:conv_docs.site.fences.format_fence
        - name: math
          class: conv-math
          format: !!python/name:conv_docs.site.fences.format_math
        - name: exercise
          class: conv-exercise
          format: !!python/name:conv_docs.site.exercises.format_exercise
"""


def build_tiny(tmp_path: Path, page: str, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """Build a one-page project with the site's fences and the hook that reports their errors."""
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "index.md").write_text(page)
    (tmp_path / "mkdocs.yml").write_text(TINY_CONFIG.format(hook=ROOT / "src/conv_docs/site/build_errors.py"))
    command = [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict"]
    return subprocess.run(
        [*command, "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", figure_cache.CACHE_ENV: str(tmp_path / "cache")},
    )


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("ERROR")]


@pytest.mark.parametrize(
    ("page", "line", "problem"),
    [
        (
            "# Home\n\nText.\n\n```conv1d\ninput: [2, 3, 4]\nkernel_size: 2\nstrid: 2\n```\n",
            5,
            "```conv1d fence: unknown option 'strid'; did you mean 'stride'?",
        ),
        (
            "# Home\n\n```conv_1d\ninput: [2, 3, 4]\n```\n",
            3,
            "```conv_1d is not a fence this site knows; did you mean ```conv1d```?",
        ),
        (
            "# Home\n\n!!! note\n\n    ```math\n    \\frca{a}{b}\n    ```\n",
            5,
            "```math fence: unknown command '\\frca'",
        ),
        ("# Home\n\nThe length `#!math {L + 1` is.\n", 3, "inline formula `#!math {L + 1`: 1 unclosed '{'"),
        (
            "# Home\n\n## Exercises\n\n```exercise\nask: lenght\nconv1d: {input_length: 7, kernel_size: 3}\n```\n",
            5,
            "```exercise fence: ask must be one of",
        ),
    ],
    ids=["bad option", "misspelled fence", "unknown macro", "unbalanced brace", "bad exercise"],
)
def test_a_bad_fence_fails_the_strict_build_with_one_line_naming_page_and_line(tmp_path, page, line, problem):
    result = build_tiny(tmp_path, page)
    assert result.returncode == 1
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith(f"ERROR   -  index.md:{line}: {problem}")
    assert "Traceback" not in result.stdout + result.stderr


def test_every_bad_fence_of_a_page_is_reported_and_shown_where_it_stands(tmp_path):
    page = (
        "# Home\n\n```conv1d\ninput: [2, 3, 4]\nkernel_size: 2\nstrid: 2\n```\n\n"  # line 3
        "```conv1d\ninput: [2, 3, 4]\nkernel_size: 2\n```\n\n"  # line 9: fine
        "```conv1d\ninput: [2, 3, 4]\nkernel_size: 2\nstrid: 2\n```\n\n"  # line 14: the same mistake again
        "```math\n\\text{kernel\\_size} - 1\n```\n"  # line 20
    )
    result = build_tiny(tmp_path, page, strict=False)  # as make serve builds: the pages are written
    lines = error_lines(result)
    assert [line.split(":")[1] for line in lines] == ["3", "14", "20"]
    assert "would show its backslash" in lines[2] and "write \\text{kernel_size}" in lines[2]
    html = (tmp_path / "site" / "index.html").read_text()
    assert html.count('class="admonition failure conv-fence-error"') == 3  # in place of the figures
    assert html.count("<svg") == 1  # the good one is drawn


@pytest.mark.parametrize(
    ("kind", "options", "torch_length"),
    [
        ("conv1d", {"kernel_size": 2, "stride": 2}, lambda x, w: F.conv1d(x, w, stride=2)),
        ("conv1d", {"kernel_size": 2, "stride": 2, "padding": 1}, lambda x, w: F.conv1d(x, w, stride=2, padding=1)),
        ("conv1d", {"kernel_size": 2, "padding": "same"}, lambda x, w: F.conv1d(x, w, padding="same")),
        ("conv1d", {"kernel_size": 3, "dilation": 2, "padding": 2}, lambda x, w: F.conv1d(x, w, padding=2, dilation=2)),
        (
            "conv_transpose1d",
            {"kernel_size": 3, "stride": 2, "padding": 1, "output_padding": 1},
            lambda x, w: F.conv_transpose1d(x, w, stride=2, padding=1, output_padding=1),
        ),
    ],
)
def test_the_length_view_ends_with_the_length_torch_gives(kind, options, torch_length):
    body = "input: [2, 3, 4, 5, 6]\n" + "\n".join(f"{key}: {value}" for key, value in options.items())
    html = render(kind, body + "\nview: length")
    x, w = torch.tensor([[[2.0, 3.0, 4.0, 5.0, 6.0]]]), torch.ones(1, 1, options["kernel_size"])
    math = ET.fromstring(html).find("{http://www.w3.org/1998/Math/MathML}math")
    numbers = [element.text for element in math.iter("{http://www.w3.org/1998/Math/MathML}mn")]
    assert int(numbers[-1]) == torch_length(x, w).shape[-1]


@pytest.mark.parametrize(
    ("latex", "problem"),
    [
        (r"\frca{a}{b}", r"unknown command '\\frca'"),
        (r"\frac{a + b", "1 unclosed '{'"),
        (r"a + b}", "the '}' at character 6 closes no '{'"),
        (r"\text{kernel\_size} - 1", r"would show its backslash.*write \\text\{kernel_size\}"),
        (r"\frac{a}", "a mfrac with 1 parts instead of 2"),
        (r"\begin{aligned} a \end{aligned}", "unknown environment 'aligned'"),
        (r"\left( x", r"cannot read the LaTeX \(ExtraLeftOrMissingRightError"),
    ],
)
def test_a_formula_that_would_not_show_as_written_is_refused(latex, problem):
    with pytest.raises(ValueError, match=problem):
        mathml.to_mathml(latex)


def test_text_in_a_formula_shows_as_written():
    math = ET.fromstring(mathml.to_mathml(r"\text{kernel_size} - 1"))
    texts = [element.text for element in math.iter("{http://www.w3.org/1998/Math/MathML}mtext")]
    assert texts == ["kernel_size"]


def test_no_formula_of_the_site_shows_a_backslash():
    formulas = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        formulas += re.findall(r"^[ \t]*```math\n(.*?)^[ \t]*```", text, re.M | re.S)
        formulas += re.findall(r"`#!math ([^`]+)`", text)
    assert len(formulas) > 20
    for latex in formulas:
        math = ET.fromstring(mathml.to_mathml(latex))
        assert all("\\" not in (element.text or "") for element in math.iter()), latex


@pytest.mark.parametrize("latex", [r"\left( x", "x^"])
def test_unreadable_latex_is_a_fence_error_the_page_shows_in_its_place(latex):
    with pytest.raises(FenceError, match=r"cannot read the LaTeX \(\w+") as block:
        typeset(latex)
    with pytest.raises(FenceError, match=r"inline `#!math") as inline:
        typeset(latex, inline=True)
    shown = format_math(latex, "math", "", {}, None)
    assert shown.startswith(f'<div class="admonition failure {ERROR_CLASS}"') and "<math" not in shown
    assert [(error.kind, error.problem) for error in errors_in_html(shown)] == [("math", block.value.problem)]
    shown = format_inline_math(latex, "math", "", None)
    assert shown.startswith(f'<code class="{ERROR_CLASS}"') and "<math" not in shown
    assert [(error.kind, error.problem) for error in errors_in_html(shown)] == [("inline math", inline.value.problem)]


# --- finding the figures of a page ------------------------------------------------------------------------------

PAGE = """# A page

```conv1d
input: [2, 3, 4]
kernel_size: 2
```

!!! note "Inside an admonition"

    ````plot
    function: conv_docs.figures.dilation_taps.taps
    ````

```python
print("not a figure")
```

```{.python continuation}
x = 1
```
"""


def test_figure_fences_are_found_at_any_indentation_and_only_figures():
    found = [
        (match.group("kind"), parse_options(match.group("kind"), match.group("body")))
        for match in figure_fences.FIGURE_FENCE.finditer(PAGE)
    ]
    assert found == [
        ("conv1d", {"input": [2, 3, 4], "kernel_size": 2}),
        ("plot", {"function": "conv_docs.figures.dilation_taps.taps"}),
    ]
    # what the baseline of the benchmarks takes out: the figures, and nothing else
    stripped = figure_fences.FIGURE_FENCE.sub("", PAGE)
    assert "conv1d" not in stripped and "plot" not in stripped
    assert 'print("not a figure")' in stripped and "x = 1" in stripped and "Inside an admonition" in stripped


def test_missing_figures_are_those_not_drawn_yet(own_cache):
    assert [kind for kind, body in figure_fences.missing_figures(PAGE)] == ["conv1d", "plot"]
    drawn = figure_fences.draw("conv1d", "input: [2, 3, 4]\nkernel_size: 2")
    # the page gets the very same figure
    assert drawn == format_fence("input: [2, 3, 4]\nkernel_size: 2", "conv1d", "conv1d", {}, None)
    assert [kind for kind, body in figure_fences.missing_figures(PAGE)] == ["plot"]
    # a fence that cannot be read is missing: drawing it is what reports the problem
    assert figure_fences.missing_figures("```conv1d\nnot an option\n```\n") == [("conv1d", "not an option\n")]


# --- the docs' Python fences as tests -----------------------------------------------------------------------------


def test_a_failing_assert_in_a_doc_fence_shows_the_values_compared(tmp_path):
    from pytest_markdown_docs._runners import get_runner

    assert type(get_runner(None)).__name__ == "RewritingRunner"  # the conftest.py at the root made it the default
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n```{.python}\nx = [1, 2, 3]\nassert [v * 2 for v in x] == [2, 4, 7]\n```\n")
    options = ["--markdown-docs", "--markdown-docs-syntax=superfences", "-p", "no:cacheprovider", "-p", "no:xdist"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", *options, str(page)],
        cwd=ROOT,  # where `-p conftest` finds the root conftest.py
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "AssertionError: assert [2, 4, 6] == [2, 4, 7]" in result.stdout
    assert "At index 2 diff: 6 != 7" in result.stdout
    assert f'{page}", line 5' in result.stdout  # the line in the Markdown file


# --- the formulas as a reader sees them ----------------------------------------------------------------------------
# tests/test_browser.py opens every page and checks each formula there: no TeX shows, none is wider than the column
# at 1280 px, the lines of a formula over several lines start at one place.


def test_the_pages_have_formulas_for_the_browser_to_check(built_site):
    pages = [path for path in built_site.rglob("*.html") if path.name != "404.html"]
    formulas = [math for path in pages for math in re.findall(r"<math\b.*?</math>", path.read_text("utf-8"), re.S)]
    assert len(formulas) > 30, len(formulas)
    tex = [math[:80] for math in formulas if "\\" in re.sub(r"<[^>]+>", "", math)]
    assert not tex, f"TeX in a formula's text: {tex}"
