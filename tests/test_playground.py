"""The playground in a real browser: its arithmetic against conv_docs, the address, errors, safety, accessibility."""

from __future__ import annotations

import functools
import http.server
import os
import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import torch

from conv_docs import conv1d, conv_transpose1d, trace_conv1d, trace_conv_transpose1d
from conv_docs.params import PADDING_MODES

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("input", "weight", "bias", "stride", "padding", "padding_mode", "dilation", "transposed", "output_padding")

# --- configurations, made here from a seeded generator ------------------------------------------------------------


def text(values: list[float]) -> str:
    return ",".join(repr(value) for value in values)


def random_config(rng: random.Random, transposed: bool) -> dict[str, str]:
    """One configuration as the address spells it; about a third of them are refused by conv_docs."""
    values = [rng.choice([rng.randint(-9, 9), round(rng.uniform(-5, 5), rng.randint(1, 4))]) for _ in range(9)]
    config = {
        "input": text(values[: rng.randint(1, 9)]),
        "weight": text(
            [rng.choice([rng.randint(-3, 3), round(rng.uniform(-2, 2), 2)]) for _ in range(rng.randint(1, 4))]
        ),
        "bias": rng.choice(["", str(rng.randint(-3, 3)), repr(round(rng.uniform(-1, 1), 3))]),
        "stride": str(rng.randint(1, 3)),
        "dilation": str(rng.randint(1, 3)),
        "padding_mode": rng.choice(PADDING_MODES),
        "padding": str(rng.choice([0, 0, 1, 2, 3, "same", "valid"])),
        "transposed": "",
        "output_padding": "0",
    }
    if transposed:
        config.update(transposed="1", padding_mode="zeros", padding=str(rng.randint(0, 3)))
        config["output_padding"] = str(rng.randint(0, 2))
    return config


def numbers(value: str) -> list[float]:
    return [float(part) for part in value.split(",")]


def library_trace(config: dict[str, str]):
    """conv_docs' trace of the configuration, or None when conv_docs refuses it."""
    x, w = numbers(config["input"]), numbers(config["weight"])
    bias = float(config["bias"]) if config["bias"] else None
    padding: Any = config["padding"] if config["padding"] in ("same", "valid") else int(config["padding"])
    stride, dilation = int(config["stride"]), int(config["dilation"])
    try:
        if config["transposed"]:
            return trace_conv_transpose1d(x, w, bias, stride, padding, int(config["output_padding"]), 1, dilation)
        return trace_conv1d(x, w, bias, stride, padding, dilation, 1, config["padding_mode"])
    except (ValueError, TypeError):
        return None


CONFIGS = [random_config(random.Random(seed), transposed=seed % 4 == 3) for seed in range(600)]

# Refused whatever the numbers: each names the setting at fault.
BROKEN = [
    ({"input": "2,x,4"}, "input"),
    ({"input": ""}, "input"),
    ({"weight": "1;2"}, "weight"),
    ({"weight": "0x10"}, "weight"),
    ({"input": "1e999"}, "input"),
    ({"bias": "1,2"}, "bias"),
    ({"stride": "0"}, "stride"),
    ({"stride": "1.5"}, "stride"),
    ({"stride": "-1"}, "stride"),
    ({"dilation": "0"}, "dilation"),
    ({"padding": "-1"}, "padding"),
    ({"padding": "full"}, "padding"),
    ({"padding_mode": "mirror"}, "padding_mode"),
    ({"weight": "1,1,1,1,1"}, "kernel"),
    ({"padding": "same", "stride": "2"}, "same"),
    ({"padding": "3", "padding_mode": "reflect"}, "reflect"),
    ({"padding": "4", "padding_mode": "circular"}, "circular"),
    ({"transposed": "1", "padding": "same"}, "padding"),
    ({"transposed": "1", "output_padding": "1"}, "output_padding"),
    ({"transposed": "1", "padding": "9", "input": "1"}, "output length"),
]
BASE = {"input": "2,3,4", "weight": "1,1", "bias": "0", "stride": "1", "padding": "0", "padding_mode": "zeros",
        "dilation": "1", "transposed": "", "output_padding": "0"}  # fmt: skip


def address(config: dict[str, str]) -> str:
    return "playground/?" + urlencode({key: value for key, value in config.items() if value != ""})


# --- one page, many configurations ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(browser, site_url: str) -> Iterator[Any]:
    """The playground page, with every console error and page error collected in ``page.problems``."""
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.problems = problems
    page.goto(site_url + "playground/")
    page.wait_for_selector("[data-testid=output-0]")
    yield page
    context.close()


def summaries(page, configs: list[dict[str, str]]) -> list[dict[str, Any]]:
    return page.evaluate("configs => configs.map(c => window.convPlayground.summary(c))", configs)


def test_the_javascript_arithmetic_matches_conv_docs(page) -> None:
    results = summaries(page, CONFIGS)
    checked = {"valid": 0, "invalid": 0, "transposed": 0, "modes": set(), "same/valid": 0, "dilated": 0}
    for config, shown in zip(CONFIGS, results, strict=True):
        trace = library_trace(config)
        if trace is None:
            assert "error" in shown, f"conv_docs refuses {config}, the playground shows {shown}"
            checked["invalid"] += 1
            continue
        assert "error" not in shown, f"{config}: {shown['error']}"
        assert shown["output"] == pytest.approx(list(trace.output[0]), rel=1e-12, abs=1e-12), config
        assert shown["formulas"] == [step.formula() for step in trace.steps], config
        assert shown["arithmetic"] == [step.arithmetic() for step in trace.steps], config
        assert shown["cells"] == pytest.approx([cell.value for cell in trace.cells[0]]), config
        assert shown["sources"] == [cell.source for cell in trace.cells[0]], config
        assert shown["unread"] == [position for _, position in trace.unread], config
        checked["valid"] += 1
        checked["transposed"] += bool(config["transposed"])
        checked["same/valid"] += config["padding"] in ("same", "valid")
        checked["dilated"] += config["dilation"] != "1"
        if not config["transposed"] and trace.padding != (0, 0):
            checked["modes"].add(config["padding_mode"])
    assert checked["valid"] >= 300 and checked["invalid"] >= 50, checked
    assert checked["transposed"] >= 50 and checked["same/valid"] >= 50 and checked["dilated"] >= 100, checked
    assert checked["modes"] == set(PADDING_MODES), checked
    assert page.problems == []


@pytest.mark.parametrize("change, name", BROKEN, ids=[name for _, name in BROKEN])
def test_invalid_configurations_name_the_setting(page, change: dict[str, str], name: str) -> None:
    (shown,) = summaries(page, [{**BASE, **change}])
    assert name in shown.get("error", ""), shown
    assert page.problems == []


def test_pytorch_code_reproduces_the_outputs(page) -> None:
    """Run the code the page shows, with torch, for a sample of valid configurations."""
    sample = [config for config in CONFIGS if library_trace(config) is not None][::15]
    for config, shown in zip(sample, summaries(page, sample), strict=True):
        namespace: dict[str, Any] = {}
        exec(shown["code"].replace("print(y)", "pass"), namespace)
        x, w = [[numbers(config["input"])]], [[numbers(config["weight"])]]
        bias = [float(config["bias"])] if config["bias"] else None
        stride, dilation = int(config["stride"]), int(config["dilation"])
        if config["transposed"]:
            padding, extra = int(config["padding"]), int(config["output_padding"])
            expected = conv_transpose1d(x, w, bias, stride, padding, extra, 1, dilation)
        else:
            padding = config["padding"] if config["padding"] in ("same", "valid") else int(config["padding"])
            expected = conv1d(x, w, bias, stride, padding, dilation, 1, config["padding_mode"])
        got = namespace["y"].detach().to(torch.float64).numpy()
        assert got == pytest.approx(expected, rel=1e-5, abs=1e-5), (config, shown["code"])


# --- full page loads through the address ---------------------------------------------------------------------------


def output_cells(page) -> list[tuple[str, float]]:
    cells = page.locator("[data-testid^=output-]")
    return [
        (
            page.text_content(f"[data-testid=output-{i}]"),
            float(page.get_attribute(f"[data-testid=output-{i}]", "data-value")),
        )
        for i in range(cells.count())
    ]


@pytest.mark.parametrize("seed", range(0, 600, 20))
def test_the_address_opens_that_configuration(page, site_url: str, seed: int) -> None:
    config = CONFIGS[seed]
    trace = library_trace(config)
    page.goto(site_url + address(config))
    page.wait_for_selector("[data-testid=error]", state="attached")
    error = page.text_content("[data-testid=error]")
    if trace is None:
        assert error, config
        assert page.locator("[data-testid^=output-]").count() == 0
    else:
        assert error == ""
        cells = output_cells(page)
        assert [value for _, value in cells] == pytest.approx(list(trace.output[0]), rel=1e-12, abs=1e-12)
        assert [float(shown) for shown, _ in cells] == pytest.approx(list(trace.output[0]), rel=1e-5, abs=1e-5)
        assert page.input_value("#cp-input") == config["input"]
        assert page.input_value("#cp-padding_mode") == config["padding_mode"]
    assert page.problems == []


def test_the_seed_address_from_the_issue(page, site_url: str) -> None:
    page.goto(site_url + "playground/?input=2,3,4&weight=1,1&bias=0&stride=2&padding=1&padding_mode=zeros&dilation=1")
    page.wait_for_selector("[data-testid=output-0]")
    # by hand: padded 0 2 3 4 0, windows (0, 2) and (3, 4)
    assert [shown for shown, _ in output_cells(page)] == ["2", "7"]


def test_changing_a_control_updates_the_address(page, site_url: str) -> None:
    page.goto(site_url + "playground/?input=2,3,4&weight=1,1&bias=0&stride=2&padding=1&padding_mode=zeros&dilation=1")
    page.fill("#cp-input", "1,2,3,4,5")
    page.select_option("#cp-padding_mode", "reflect")
    query = parse_qs(urlparse(page.url).query)
    assert query["input"] == ["1,2,3,4,5"] and query["padding_mode"] == ["reflect"] and query["stride"] == ["2"]
    expected = trace_conv1d([1, 2, 3, 4, 5], [1, 1], bias=0, stride=2, padding=1, padding_mode="reflect").output[0]
    assert [value for _, value in output_cells(page)] == pytest.approx(list(expected))
    page.reload()  # the address alone brings the same configuration back
    page.wait_for_selector("[data-testid=output-0]")
    assert page.input_value("#cp-input") == "1,2,3,4,5"
    assert [value for _, value in output_cells(page)] == pytest.approx(list(expected))
    page.fill("#cp-stride", "0")
    assert "stride" in page.text_content("[data-testid=error]")
    assert page.locator("[data-testid^=output-]").count() == 0
    assert page.problems == []


# --- safety --------------------------------------------------------------------------------------------------------

ATTACKS = {
    "input": '<img src=x onerror="window.__pwned=1">',
    "weight": "<script>window.__pwned=1</script>",
    "bias": '"><svg onload="window.__pwned=1">',
    "padding": "<iframe src=javascript:window.__pwned=1>",
    "padding_mode": "<b onmouseover=window.__pwned=1>zeros</b>",
}


@pytest.mark.parametrize("key", ATTACKS)
def test_markup_in_the_address_never_runs(browser, site_url: str, key: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    config = {**BASE, key: ATTACKS[key]}
    page.goto(site_url + address(config) + "&x=<script>alert(1)</script>")
    page.wait_for_selector("[data-testid=error]", state="attached")
    page.wait_for_timeout(300)
    root = "[data-conv-playground]"
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.locator(f"{root} img, {root} script, {root} svg, {root} iframe, {root} b").count() == 0
    if key != "padding_mode":  # an unknown mode is left out of the select; the others show as plain text
        assert "<" in page.text_content("[data-testid=error]")
    context.close()


# --- accessibility and looks ---------------------------------------------------------------------------------------


def test_every_control_has_a_label(page, site_url: str) -> None:
    page.goto(site_url + "playground/")
    page.wait_for_selector("[data-testid=output-0]")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('[data-conv-playground] input, [data-conv-playground] select')]
               .filter(el => !el.labels || el.labels.length === 0).map(el => el.id)"""
    )
    assert unlabelled == []


def test_keyboard_steps_are_announced(page, site_url: str) -> None:
    page.goto(site_url + "playground/?input=2,3,4&weight=1,1&stride=1")
    page.wait_for_selector("[data-testid=output-0]")
    status = page.locator("[aria-live]")
    assert status.count() == 1
    assert status.text_content().startswith("Step 1 of 2")
    page.get_by_role("button", name="Next").focus()
    page.keyboard.press("Enter")
    assert status.text_content().startswith("Step 2 of 2: y[1] = 3*w0 + 4*w1")
    page.focus("#cp-step")
    page.keyboard.press("ArrowLeft")
    assert status.text_content().startswith("Step 1 of 2: y[0] = 2*w0 + 3*w1")
    assert "cp-current" in page.get_attribute("[data-testid=output-0] >> xpath=..", "class")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("document.querySelector('[aria-live]').textContent.startsWith('Step 2 of 2')")
    assert page.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_it_fits_the_screen(browser, site_url: str, tmp_path, scheme: str, width: int) -> None:
    """No sideways scrolling of the page at desktop and phone widths, in light and dark."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + "playground/?input=1,2,3,4,5,6,7,8&weight=1,-1,0.5&padding=2&padding_mode=circular")
    page.wait_for_selector("[data-testid=output-0]")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=tmp_path / f"playground-{scheme}-{width}.png", full_page=True)
    context.close()


def test_the_page_reads_without_javascript(browser, site_url: str, built_site) -> None:
    html = (built_site / "playground" / "index.html").read_text(encoding="utf-8")
    noscript = html[html.index("<noscript>") : html.index("</noscript>")]
    assert "needs JavaScript" in noscript and "conv-docs explain" in noscript
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "playground/")
    assert page.get_by_role("heading", name="How to use it").is_visible()
    assert page.get_by_text("Every setting is kept in the page address").is_visible()
    assert page.locator("[data-testid^=output-]").count() == 0
    context.close()


# --- with mkdocs-material's instant navigation ---------------------------------------------------------------------


# mkdocs.yml as it is, plus navigation.instant, served at the site_url instant loading expects
BUILD_INSTANT = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

config = load_config(sys.argv[1], site_dir=sys.argv[2], site_url=sys.argv[3])
config.theme["features"].append("navigation.instant")
build(config)
"""


@pytest.fixture(scope="module")
def instant_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built with navigation.instant on, served where its site_url says (instant loading needs that)."""
    out = tmp_path_factory.mktemp("instant-site")
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = None
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        result = subprocess.run(
            [sys.executable, "-c", BUILD_INSTANT, str(ROOT / "mkdocs.yml"), str(out), url],
            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield url
    finally:
        if thread is not None:
            server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_it_starts_after_instant_navigation(browser, instant_site: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(instant_site)
    page.evaluate("window.sameDocument = true")  # gone if the browser loads a new document
    page.locator("nav a[href$='playground/']").first.click()
    page.wait_for_selector("[data-testid=output-1]")
    assert page.evaluate("window.sameDocument") is True
    assert [page.text_content(f"[data-testid=output-{i}]") for i in range(2)] == ["2", "7"]  # 0+2, 3+4 by hand
    page.fill("#cp-input", "1,2,3,4")
    assert "input=1,2,3,4" in page.evaluate("location.search")
    page.locator("nav a[href$='reference/cli/']").first.click()
    page.wait_for_url("**/reference/cli/")
    page.go_back()
    page.wait_for_selector("[data-testid=output-0]")
    assert page.evaluate("window.sameDocument") is True
    assert page.input_value("#cp-input") == "1,2,3,4"
    assert page.locator("[data-conv-playground] form").count() == 1
    assert problems == []
    context.close()
