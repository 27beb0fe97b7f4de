"""The SVG writer: deterministic bytes, small valid SVG with text as text, themed colours, unique ids, files."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from figure_cases import CASES, SVG, case_trace, svg_texts

from conv_docs import trace_conv1d
from conv_docs.figures.steps import trace_plot
from conv_docs.figures.svg import MAX_SVG_BYTES, THEME, Plot, save, to_svg


@pytest.mark.parametrize("case", CASES)
def test_two_renders_are_byte_identical(case):
    first = to_svg(trace_plot(case_trace(case)))
    second = to_svg(trace_plot(case_trace(case)))
    assert first == second


@pytest.mark.parametrize("case", CASES)
def test_svg_is_small_valid_and_keeps_text_as_text(case):
    svg = to_svg(trace_plot(case_trace(case)))
    assert len(svg.encode()) <= MAX_SVG_BYTES
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    contents = [text for _, _, text in svg_texts(svg)]
    assert "w0" in contents and "Step 1" in contents
    assert "<image" not in svg and "glyph" not in svg  # text is not turned into paths or pictures


def test_colours_follow_the_palette_and_styles_stay_inside_the_figure():
    svg = to_svg(trace_plot(case_trace(CASES[3])))
    bare = re.sub(r"var\(--[\w-]+, #[0-9a-f]{6}\)", "", svg)
    for colour in THEME:
        assert colour not in bare, colour
    figure_id = ET.fromstring(svg).get("id")
    style = re.search(r"<style>(.*?)</style>", svg, re.S).group(1)
    selectors = re.findall(r"([^{}]+)\{", style)
    assert selectors and all(selector.startswith(f"#{figure_id}") for selector in selectors)


def test_ids_differ_between_figures():
    one = ET.fromstring(to_svg(trace_plot(case_trace(CASES[2]))))
    two = ET.fromstring(to_svg(trace_plot(case_trace(CASES[3]))))
    ids_one = {element.get("id") for element in one.iter() if element.get("id")}
    ids_two = {element.get("id") for element in two.iter() if element.get("id")}
    assert ids_one and not ids_one & ids_two


def test_too_large_a_figure_is_refused_with_the_limit():
    assert len(to_svg(trace_plot(trace_conv1d(list(range(10)), [1, 1, 1])))) < 30_000  # 8 steps: within it
    trace = trace_conv1d(list(range(12)), [1, 1, 1])  # 10 steps: over it
    with pytest.raises(ValueError, match="30000"):
        to_svg(trace_plot(trace))


def test_save_writes_svg_and_png_and_refuses_other_suffixes(tmp_path):
    plot = trace_plot(case_trace(CASES[0]))
    save(plot, tmp_path / "figure.svg")
    assert (tmp_path / "figure.svg").read_text(encoding="utf-8") == to_svg(plot)
    save(plot, tmp_path / "figure.png")
    assert (tmp_path / "figure.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ValueError, match=r"'\.svg', '\.png'"):
        save(plot, tmp_path / "figure.jpg")


def test_plot_is_a_frozen_record():
    plot = trace_plot(case_trace(CASES[0]))
    assert isinstance(plot, Plot)
    with pytest.raises(AttributeError):
        plot.title = "other"  # type: ignore[misc]


def test_a_fresh_process_draws_the_same_bytes():
    code = (
        "import sys; from conv_docs import trace_conv1d; from conv_docs.figures.steps import trace_plot; "
        "from conv_docs.figures.svg import to_svg; "
        "sys.stdout.write(to_svg(trace_plot(trace_conv1d([2, 3, 4], [1, 1], bias=0, stride=2, padding=1))))"
    )
    other = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert other == to_svg(trace_plot(case_trace(CASES[3])))


# --- the same bytes on every machine --------------------------------------------------------------------------------


def _picture(nudge: int = 0, twin: bool = False) -> Plot:
    """A line plot in two stacked axes, as the notebook draws its learnt kernel. ``nudge`` moves the data and the
    second axes by that many units in the last place, as another SIMD path of torch or NumPy would; ``twin``
    lays a third axes exactly over the second (matplotlib then writes one clip path for both)."""
    import numpy as np
    from matplotlib.figure import Figure

    def bits(value: float) -> float:
        for _ in range(abs(nudge)):
            value = float(np.nextafter(value, np.inf if nudge > 0 else -np.inf))
        return value

    figure = Figure(figsize=(4, 3))
    top = figure.add_axes((0.1, 0.55, 0.85, 0.4))
    bottom = figure.add_axes((0.1, bits(0.1), 0.85, bits(0.4)))
    values = [bits(0.1 * i * i - 0.3 * i) for i in range(12)]
    top.plot(values, "o-", color="#3f51b5", markersize=3)
    bottom.plot(values[::-1], color="#e65100")
    if twin:
        over = figure.add_axes((0.1, 0.1, 0.85, 0.4))
        over.plot([0, 1], [1, 0], color="#2e7d32")
        over.axis("off")
    return Plot(figure, "A picture", "The same picture, whatever the last bits.")


def test_the_same_picture_from_floats_that_differ_in_the_last_bits_gives_the_same_bytes():
    from conv_docs.figures.svg import _raw_svg

    plots = [_picture(nudge) for nudge in (0, 1, -1, 3)]
    raw = [_raw_svg(plot.figure) for plot in plots]
    clip_ids = [re.findall(r'<clipPath id="([^"]+)"', svg) for svg in raw]
    # matplotlib's own SVG hashes the unrounded floats into its clip-path ids: the nudge changes them
    assert clip_ids[0] != clip_ids[1] and clip_ids[0] != clip_ids[2]
    svgs = [to_svg(plot) for plot in plots]
    assert svgs[1] == svgs[0] and svgs[2] == svgs[0] and svgs[3] == svgs[0]


def test_clip_paths_that_round_to_the_same_box_are_one():
    # nudged, the twin axes' box differs in its last bits from the one it lies on, and matplotlib writes a clip
    # path for each; where the boxes are equal it writes one. Rounded, they are one either way.
    from conv_docs.figures.svg import _raw_svg

    exact, nudged = _picture(0, twin=True), _picture(1, twin=True)
    assert len(re.findall("<clipPath", _raw_svg(nudged.figure))) > len(re.findall("<clipPath", _raw_svg(exact.figure)))
    assert to_svg(nudged) == to_svg(exact)


def test_ids_are_numbered_not_hashed():
    svg = to_svg(_picture())
    root = ET.fromstring(svg)
    figure_id = root.get("id")
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    inner = {name.removeprefix(f"{figure_id}-") for name in ids if name != figure_id}
    assert all(name.startswith(f"{figure_id}-") for name in ids if name != figure_id)
    assert {"clip1", "clip2", "marker1", "title", "desc"} <= inner
    assert not [name for name in inner if re.search(r"[0-9a-f]{10}", name)], inner  # no hash of unrounded floats
    # every reference points at an element of this figure
    for target in re.findall(r'url\(#([^)]+)\)|xlink:href="#([^"]+)"', svg):
        assert "".join(target) in ids


def test_the_figure_id_is_a_hash_of_what_is_drawn():
    first, second = to_svg(_picture()), to_svg(_picture())
    assert ET.fromstring(first).get("id") == ET.fromstring(second).get("id")
    other = to_svg(Plot(_picture().figure, "Another title", "The same picture, whatever the last bits."))
    assert ET.fromstring(other).get("id") != ET.fromstring(first).get("id")
