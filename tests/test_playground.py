"""The playground in a real browser: its arithmetic against conv_docs, the address, errors, linked cells, the stack,
the phone layout, safety and accessibility.

The test vectors are made here, in Python, from the conv_docs traces (``trace_conv1d``, ``trace_conv_transpose1d``,
``causal.trace_causal_conv1d`` / ``causal_padding``, ``receptive_field``) on seeded random configurations; nothing
expected is typed by hand except the few cases worked out in comments.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from conv_docs import conv1d, conv_transpose1d, output_length, pad, trace_conv1d, trace_conv_transpose1d
from conv_docs.causal import causal_conv1d, causal_padding, trace_causal_conv1d
from conv_docs.params import PADDING_MODES
from conv_docs.receptive_field import Layer, reads, receptive_field, receptive_fields
from tests.support.browser import axe_findings, open_tab, start_axe
from tests.support.serving import serve

ROOT = Path(__file__).resolve().parent.parent
SHOTS = os.environ.get("PLAYGROUND_SHOTS")  # a folder to keep the screenshots in; a temporary one otherwise

# --- configurations, made here from a seeded generator ------------------------------------------------------------


def text(values: list[float]) -> str:
    return ",".join(repr(value) for value in values)


def number(rng: random.Random, low: int, high: int, spread: float) -> float:
    return rng.choice([rng.randint(low, high), round(rng.uniform(-spread, spread), rng.randint(1, 3))])


def random_config(rng: random.Random, kind: str) -> dict[str, str]:
    """One configuration as the address spells it; kind is single, channels, causal or transposed.

    Channel counts and groups are drawn independently, so some configurations are refused (groups that do not
    divide a channel count), as are some paddings (reflect wider than the input, 'same' with a stride).
    """
    single = kind == "single"
    groups = 1 if single else rng.choice([1, 1, 2, 3])
    c_in = 1 if single else rng.choice([1, 2, 3, 4]) if rng.random() < 0.2 else groups * rng.randint(1, 2)
    c_out = 1 if single else rng.choice([1, 2, 3, 4]) if rng.random() < 0.2 else groups * rng.randint(1, 2)
    length, k = rng.randint(1, 9), rng.randint(1, 4)
    transposed = kind == "transposed"
    first, second = (c_in, max(1, c_out // groups)) if transposed else (c_out, max(1, c_in // groups))
    weight = ";".join(
        "|".join(text([number(rng, -3, 3, 2) for _ in range(k)]) for _ in range(second)) for _ in range(first)
    )
    bias_count = second * groups if transposed else c_out
    config = {
        "input": ";".join(text([number(rng, -9, 9, 5) for _ in range(length)]) for _ in range(c_in)),
        "weight": weight,
        "bias": rng.choice(["", text([number(rng, -3, 3, 1) for _ in range(bias_count)])]),
        "groups": str(groups),
        "stride": str(rng.randint(1, 3)),
        "dilation": str(rng.randint(1, 3)),
        "padding_mode": rng.choice(PADDING_MODES),
        "padding": str(rng.choice([0, 0, 1, 2, 3, "same", "valid"])),
        "causal": "",
        "transposed": "",
        "output_padding": "0",
    }
    if kind == "causal":
        config.update(causal="1", padding="0", padding_mode="zeros", stride=rng.choice(["1", "1", "2"]))
    if transposed:
        config.update(transposed="1", padding_mode="zeros", padding=str(rng.randint(0, 3)))
        config["output_padding"] = str(rng.randint(0, 2))
    return config


def close(got: Any, want: Any, rel: float = 1e-6, abs: float = 1e-12) -> bool:
    """Same shape, and every number within the tolerances (pytest.approx does not nest lists)."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rel, atol=abs))


def numbers(value: str) -> list[float]:
    return [float(part) for part in value.split(",")]


def arrays(config: dict[str, str]) -> tuple[list, list, list | None]:
    """input (C, L), weight as torch lays it out, bias (C_out,) or None; ragged text gives ragged lists."""
    x = [numbers(row) for row in config["input"].split(";")]
    w = [[numbers(kernel) for kernel in row.split("|")] for row in config["weight"].split(";")]
    b = numbers(config["bias"]) if config["bias"] else None
    return x, w, b


def library_trace(config: dict[str, str]):
    """conv_docs' trace of the configuration (for causal: of the left-padded input), or None when refused."""
    x, w, b = arrays(config)
    padding: Any = config["padding"] if config["padding"] in ("same", "valid") else int(config["padding"])
    stride, dilation, groups = int(config["stride"]), int(config["dilation"]), int(config["groups"])
    try:
        if config["transposed"]:
            return trace_conv_transpose1d(x, w, b, stride, padding, int(config["output_padding"]), groups, dilation)
        if config["causal"]:
            left = causal_padding(len(w[0][0]), dilation)
            return trace_conv1d(pad(np.array(x), left, 0), w, b, stride, 0, dilation, groups)
        return trace_conv1d(x, w, b, stride, padding, dilation, groups, config["padding_mode"])
    except (ValueError, TypeError):
        return None


KINDS = ["single", "channels", "causal", "transposed"]
CONFIGS = [random_config(random.Random(seed), KINDS[seed % 4]) for seed in range(640)]


def random_stack(rng: random.Random) -> dict[str, str]:
    layers = [
        ",".join(str(v) for v in (rng.randint(1, 5), rng.randint(1, 3), rng.randint(1, 3), rng.randint(0, 2)))
        for _ in range(rng.randint(1, 4))
    ]
    return {"layers": ";".join(layers), "stack_length": str(rng.randint(1, 40))}


STACKS = [random_stack(random.Random(1000 + seed)) for seed in range(160)]


def library_stack(config: dict[str, str]) -> dict[str, Any] | None:
    """Lengths, receptive fields and each top cell's footprint from conv_docs, or None when a layer has no output."""
    layers = [Layer(*(int(v) for v in part.split(","))) for part in config["layers"].split(";")]
    lengths = [int(config["stack_length"])]
    for layer in layers:
        lengths.append(output_length(lengths[-1], layer.kernel_size, layer.stride, layer.padding, layer.dilation))
        if lengths[-1] < 1:
            return None
    footprints = []
    for t in range(lengths[-1]):
        levels = [[t]]
        for n in range(len(layers), 0, -1):  # a padding cell of layer n's input reads nothing below
            levels.append(reads(layers[n - 1], [c for c in levels[-1] if 0 <= c < lengths[n]]))
        footprints.append(levels[::-1])
    return {"lengths": lengths, "fields": receptive_fields(layers), "field": receptive_field(layers),
            "footprints": footprints}  # fmt: skip


# Refused whatever the numbers: each names the setting at fault.
BROKEN = [
    ({"input": "2,x,4"}, "input"),
    ({"input": ""}, "input"),
    ({"input": "2,3,4;1,2"}, "input channels"),
    ({"input": "1;2;3;4;5;6;7;8;9"}, "input"),
    ({"weight": "1,2;3"}, "weight"),
    ({"weight": "1,1|1,1;2,2"}, "weight"),
    ({"weight": "0x10"}, "weight"),
    ({"input": "1e999"}, "input"),
    ({"bias": "1,2"}, "bias"),
    ({"bias": "x"}, "bias"),
    ({"stride": "0"}, "stride"),
    ({"stride": "1.5"}, "stride"),
    ({"stride": "-1"}, "stride"),
    ({"dilation": "0"}, "dilation"),
    ({"groups": "0"}, "groups"),
    ({"groups": "2"}, "groups=2 must divide in_channels=1"),
    ({"input": "1,2;3,4", "weight": "1|1;1|1;1|1", "bias": "", "groups": "2"}, "groups=2 must divide out_channels=3"),
    ({"input": "1,2;3,4", "weight": "1,1"}, "weight needs in_channels/groups = 2"),
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
    ({"transposed": "1", "input": "1,2;3,4"}, "input channel"),
    ({"causal": "1", "transposed": "1"}, "causal"),
]
BROKEN_STACKS = [
    ({"layers": ""}, "layers"),
    ({"layers": "3,1,1,0;3,1,1,0;3,1,1,0;3,1,1,0;3,1,1,0"}, "layers"),
    ({"layers": "3,1,1"}, "layer 1"),
    ({"layers": "3,1,1,0;0,1,1,0"}, "layer 2 kernel"),
    ({"layers": "3,x,1,0"}, "layer 1 stride"),
    ({"layers": "9,1,1,0", "stack_length": "4"}, "layer 1"),
    ({"stack_length": "0"}, "stack_length"),
]
BASE = {"input": "2,3,4", "weight": "1,1", "bias": "0", "groups": "1", "stride": "1", "padding": "0",
        "padding_mode": "zeros", "dilation": "1", "causal": "", "transposed": "", "output_padding": "0"}  # fmt: skip
MULTI = {**BASE, "input": "2,3,4,5;1,0,-1,2;0,1,2,3;3,3,1,0", "weight": "1,1|0,1;2,0|1,-1", "bias": "0,1",
         "groups": "2", "padding": "1", "padding_mode": "reflect"}  # fmt: skip
CAUSAL = {**BASE, "input": "1,2,3,4,5,6", "weight": "1,-1,0.5", "causal": "1", "dilation": "2"}
TRANSPOSED = {**BASE, "input": "1,2,3", "weight": "1,2,-1", "stride": "2", "padding": "1", "transposed": "1",
              "output_padding": "1"}  # fmt: skip


def address(config: dict[str, str]) -> str:
    """The page address; an empty bias stays in it (``bias=``: no bias), a missing one would take the default."""
    return "playground/?" + urlencode(config)


# --- one page, many configurations ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(browser, site_url: str) -> Iterator[Any]:
    """The playground page, with what goes wrong in it (console errors, page errors, dialogs) in ``page.tab``."""
    tab = open_tab(browser, viewport={"width": 1280, "height": 900})
    page, context = tab.page, tab.page.context
    page.tab = tab  # what goes wrong in it: tab.script_problems
    page.goto(site_url + "playground/")
    page.wait_for_selector("[data-testid=output-0]")
    yield page
    context.close()


def show(page, config: dict[str, str] | str) -> None:
    """Draw a configuration as the reader arrives at its address, without loading the page again: history.pushState,
    then the popstate event the playground redraws on (as it does for Back and Forward). Much cheaper than a load."""
    query = config if isinstance(config, str) else urlencode(config)
    page.evaluate(
        "q => { history.pushState(null, '', location.pathname + '?' + q);"
        " window.dispatchEvent(new PopStateEvent('popstate')); }",
        query,
    )


def summaries(page, configs: list[dict[str, str]]) -> list[dict[str, Any]]:
    return page.evaluate("configs => configs.map(c => window.convPlayground.summary(c))", configs)


def test_the_javascript_arithmetic_matches_conv_docs(page) -> None:
    results = summaries(page, CONFIGS)  # one batch: 640 configurations
    checked = {kind: 0 for kind in KINDS} | {"invalid": 0, "groups": 0, "multi": 0, "modes": set(), "same/valid": 0,
                                             "causal traced": 0}  # fmt: skip
    for n, (config, shown) in enumerate(zip(CONFIGS, results, strict=True)):
        trace = library_trace(config)
        if trace is None:
            assert "error" in shown, f"conv_docs refuses {config}, the playground shows {shown}"
            checked["invalid"] += 1
            continue
        assert "error" not in shown, f"{config}: {shown['error']}"
        assert close(shown["output"], trace.output, rel=1e-12), config
        assert shown["formulas"] == [step.formula() for step in trace.steps], config
        assert shown["arithmetic"] == [step.arithmetic() for step in trace.steps], config
        shift = causal_padding(len(trace.weight[0][0]), trace.dilation) if config["causal"] else 0
        for step, read, group in zip(trace.steps, shown["reads"], shown["groups"], strict=True):
            # the input cells a step reads, by (channel, input position); causal: the library padded the input itself
            sources = {(t.channel, t.source - shift) for t in step.terms if t.source is not None}
            assert sorted(map(tuple, read)) == sorted((c, i) for c, i in sources if i >= 0), config
            assert {t.channel for t in step.terms} <= set(group), config
            if trace.op == "conv1d":  # every step reads exactly the channels of its group
                assert {t.channel for t in step.terms} == set(group), config
        if config["causal"]:
            left = causal_padding(len(trace.weight[0][0]), trace.dilation)
            assert shown["padding"] == [left, 0], config
            assert close(shown["cells"], [[cell.value for cell in row] for row in trace.cells]), config
            if config["stride"] == "1" and config["groups"] == "1":
                causal = trace_causal_conv1d(*arrays(config), dilation=trace.dilation)
                assert shown["sources"] == [[cell.source for cell in row] for row in causal.cells], config
                assert [tuple(u) for u in shown["unread"]] == list(causal.unread), config
                assert shown["formulas"] == [step.formula() for step in causal.steps], config
                checked["causal traced"] += 1
        else:
            assert close(shown["cells"], [[cell.value for cell in row] for row in trace.cells]), config
            assert shown["sources"] == [[cell.source for cell in row] for row in trace.cells], config
            assert [tuple(u) for u in shown["unread"]] == list(trace.unread), config
            assert shown["padding"] == list(trace.padding), config
            assert shown["cropped"] == trace.cropped, config
        checked[KINDS[n % 4]] += 1
        checked["groups"] += trace.groups > 1
        checked["multi"] += len(trace.input) > 1 and len(trace.output) > 1
        checked["same/valid"] += config["padding"] in ("same", "valid")
        if not config["transposed"] and not config["causal"] and trace.padding != (0, 0):
            checked["modes"].add(config["padding_mode"])
    assert all(checked[kind] >= 60 for kind in KINDS) and checked["invalid"] >= 50, checked
    assert checked["groups"] >= 60 and checked["multi"] >= 100 and checked["causal traced"] >= 20, checked
    assert checked["same/valid"] >= 30 and checked["modes"] == set(PADDING_MODES), checked
    assert page.tab.script_problems == []


def test_the_stack_matches_conv_docs_receptive_field(page) -> None:
    results = page.evaluate("configs => configs.map(c => window.convPlayground.stack(c))", STACKS)
    valid = 0
    for config, shown in zip(STACKS, results, strict=True):
        expected = library_stack(config)
        if expected is None:
            assert "error" in shown, (config, shown)
            continue
        assert "error" not in shown, (config, shown)
        assert shown["lengths"] == expected["lengths"], config
        assert shown["fields"] == expected["fields"] and shown["fields"][-1] == expected["field"], config
        assert shown["footprints"] == expected["footprints"], config
        valid += 1
    assert valid >= 80 and len(STACKS) - valid >= 10, valid  # both paths, many times
    assert page.tab.script_problems == []


@pytest.mark.parametrize("change, name", BROKEN, ids=[name for _, name in BROKEN])
def test_invalid_configurations_name_the_setting(page, site_url: str, change: dict[str, str], name: str) -> None:
    """Through the address, as a reader gets there: a message on the page, no output, no console error."""
    show(page, {**BASE, **change})
    assert name in page.text_content("[data-testid=error]")
    assert page.is_visible("[data-testid=error]")
    assert page.locator("[data-testid^=output-]").count() == 0
    assert page.tab.script_problems == []


@pytest.mark.parametrize("change, name", BROKEN_STACKS, ids=[name for _, name in BROKEN_STACKS])
def test_invalid_stacks_name_the_setting(page, site_url: str, change: dict[str, str], name: str) -> None:
    show(page, {**BASE, **change})
    assert name in page.text_content("[data-testid=stack-error]")
    assert page.locator("[data-testid^=stack-0-]").count() == 0
    assert page.text_content("[data-testid=error]") == ""  # the convolution above is unaffected
    assert page.tab.script_problems == []


def expected_output(config: dict[str, str]) -> np.ndarray:
    """The configuration computed by conv_docs' reference functions."""
    x, w, b = arrays(config)
    stride, dilation, groups = int(config["stride"]), int(config["dilation"]), int(config["groups"])
    if config["transposed"]:
        padding, extra = int(config["padding"]), int(config["output_padding"])
        return conv_transpose1d([x], w, b, stride, padding, extra, groups, dilation)[0]
    if config["causal"]:
        if stride == 1:
            return causal_conv1d(x, w, b, dilation, groups)
        left = causal_padding(len(w[0][0]), dilation)
        return conv1d([pad(np.array(x), left, 0)], w, b, stride, 0, dilation, groups)[0]
    padding = config["padding"] if config["padding"] in ("same", "valid") else int(config["padding"])
    return conv1d([x], w, b, stride, padding, dilation, groups, config["padding_mode"])[0]


def test_pytorch_code_reproduces_the_outputs(page) -> None:
    """Run the code the page shows, with torch, for a sample of valid configurations of every kind."""
    sample = [config for config in CONFIGS if library_trace(config) is not None][::6]
    assert {KINDS[CONFIGS.index(config) % 4] for config in sample} == set(KINDS)
    for config, shown in zip(sample, summaries(page, sample), strict=True):
        namespace: dict[str, Any] = {}
        exec(shown["code"].replace("print(y)", "pass"), namespace)
        got = namespace["y"].detach().to(torch.float64).numpy()[0]
        assert got == pytest.approx(expected_output(config), rel=1e-5, abs=1e-5), (config, shown["code"])
        if config["causal"]:
            assert "F.pad(x, (" in shown["code"] and "padding=" not in shown["code"], shown["code"]


# --- full page loads through the address ---------------------------------------------------------------------------


def output_grid(page) -> list[list[tuple[str, float]]]:
    """[output channel][position] -> (text shown, exact value), read from the output-<c>-<i> cells."""
    found = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid^=output-]')]
               .filter(el => /^output-\\d+-\\d+$/.test(el.dataset.testid))
               .map(el => [el.dataset.testid, el.textContent,
                           Number(el.querySelector('[data-value]').dataset.value)])"""
    )
    grid: dict[int, dict[int, tuple[str, float]]] = {}
    for testid, shown, value in found:
        _, c, i = testid.split("-")
        grid.setdefault(int(c), {})[int(i)] = (shown, value)
    return [[grid[c][i] for i in sorted(grid[c])] for c in sorted(grid)]


def shown_outputs(page) -> list[list[float]]:
    return [[value for _, value in row] for row in output_grid(page)]


def library_outputs(config: dict[str, str]) -> list[list[float]]:
    return [list(row) for row in library_trace(config).output]


def cell_texts(page) -> dict[str, str]:
    """The text of every element with a data-testid, read in one call: {testid: text}."""
    return page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('[data-testid]')]"
        ".map(el => [el.dataset.testid, el.textContent]))"
    )


# Configurations conv_docs accepts, eight of each kind (the refused ones have their own tests)
ACCEPTED = [
    n
    for kind in KINDS
    for n in [n for n, config in enumerate(CONFIGS) if KINDS[n % 4] == kind and library_trace(config)][:8]
]


@pytest.mark.parametrize("n", ACCEPTED)
def test_the_address_opens_that_configuration_and_round_trips(page, site_url: str, n: int) -> None:
    config = CONFIGS[n]
    trace = library_trace(config)
    show(page, config)
    assert page.text_content("[data-testid=error]") == ""
    grid = output_grid(page)
    assert close([[value for _, value in row] for row in grid], trace.output, rel=1e-12)
    assert close([[float(shown) for shown, _ in row] for row in grid], trace.output, rel=1e-5, abs=1e-5)
    shown = cell_texts(page)
    if len(trace.output) == 1:  # one output channel: output-<i> holds the same value
        assert [shown.get(f"output-{i}") for i in range(len(grid[0]))] == [s for s, _ in grid[0]]
    x = arrays(config)[0]
    for c, row in enumerate(x):
        assert [float(shown[f"input-{c}-{j}"]) for j in range(len(row))] == pytest.approx(row, rel=1e-5, abs=1e-5)
    assert page.input_value("#cp-input") == config["input"]
    assert page.input_value("#cp-in_channels") == str(len(x))
    assert page.input_value("#cp-out_channels") == str(len(trace.output))
    # round trip: any edit writes the whole configuration back into the address
    page.fill("#cp-input", config["input"])
    query = {key: values[0] for key, values in parse_qs(urlparse(page.url).query, keep_blank_values=True).items()}
    written = {key: value for key, value in config.items() if not (key in ("causal", "transposed") and not value)}
    if config["causal"]:
        written = {key: value for key, value in written.items() if key not in ("padding", "padding_mode")}
    if not config["transposed"]:
        written.pop("output_padding")
    assert {key: query.get(key) for key in written} == written
    show(page, urlparse(page.url).query)  # the address alone, read as on arrival
    assert [[value for _, value in row] for row in output_grid(page)] == [[value for _, value in row] for row in grid]
    assert page.tab.script_problems == []


def test_the_seed_address_from_the_issue(page, site_url: str) -> None:
    page.goto(site_url + "playground/?input=2,3,4&weight=1,1&bias=0&stride=2&padding=1&padding_mode=zeros&dilation=1")
    page.wait_for_selector("[data-testid=output-0]")
    # by hand: padded 0 2 3 4 0, windows (0, 2) and (3, 4)
    assert [page.text_content(f"[data-testid=output-{i}]") for i in range(2)] == ["2", "7"]


def test_a_partial_link_takes_the_rest_from_the_defaults(page, site_url: str) -> None:
    page.goto(site_url + "playground/?input=5,6,7")
    page.wait_for_selector("[data-testid=error]", state="attached")
    assert page.text_content("[data-testid=error]") == ""
    # the defaults: weight 1,1, bias 0, stride 2, padding 1; by hand: padded 0 5 6 7 0, windows (0, 5), (6, 7)
    assert [page.text_content(f"[data-testid=output-{i}]") for i in range(2)] == ["5", "13"]
    show(page, "input=2,3,4;1,0,-1&weight=1,1|0,1;2,0|1,-1&bias=0,1")
    expected = trace_conv1d([[2, 3, 4], [1, 0, -1]], [[[1, 1], [0, 1]], [[2, 0], [1, -1]]], [0, 1], 2, 1).output
    assert [[value for _, value in row] for row in output_grid(page)] == [list(row) for row in expected]
    assert page.tab.script_problems == []


def test_the_example_from_the_issue_reads_only_its_group(page, site_url: str) -> None:
    show(page, {**BASE, "input": "2,3,4;1,0,-1", "weight": "1,1;2,0", "bias": "0,1", "groups": "2"})
    status = page.text_content("[data-testid=status]")
    # by hand: y[0][0] = 2*1 + 3*1 + 0 = 5 reads channel 0 only; y[1][0] = 1*2 + 0*0 + 1 = 3 reads channel 1
    assert status.startswith("Step 1 of 4: y[0][0] = 2*w[0][0][0] + 3*w[0][0][1] + bias = 2*1 + 3*1 + 0 = 5")
    assert "reads input channel 0 (group 0 of 2)" in status
    page.click("[data-testid=output-1-0]")
    assert "reads input channel 1 (group 1 of 2)" in page.text_content("[data-testid=status]")
    assert page.text_content("[data-testid=output-1-0]") == "3"
    assert "channel 1: 1*2 + 0*0 = 2" in page.text_content("[data-testid=channel-sums]")
    assert page.tab.script_problems == []


def test_changing_a_control_updates_the_address(page, site_url: str) -> None:
    page.goto(site_url + "playground/?input=2,3,4&weight=1,1&bias=0&stride=2&padding=1&padding_mode=zeros&dilation=1")
    page.fill("#cp-input", "1,2,3,4,5")
    page.select_option("#cp-padding_mode", "reflect")
    query = parse_qs(urlparse(page.url).query)
    assert query["input"] == ["1,2,3,4,5"] and query["padding_mode"] == ["reflect"] and query["stride"] == ["2"]
    expected = trace_conv1d([1, 2, 3, 4, 5], [1, 1], bias=0, stride=2, padding=1, padding_mode="reflect").output
    assert close([[value for _, value in row] for row in output_grid(page)], expected)
    page.fill("#cp-in_channels", "2")  # reshapes the input and the weight
    assert page.input_value("#cp-input") == "1,2,3,4,5;1,2,3,4,5" and page.input_value("#cp-weight") == "1,1|1,1"
    assert page.locator("[data-testid=input-1-4]").count() == 1
    page.fill("#cp-out_channels", "2")
    assert page.input_value("#cp-bias") == "0,0" and page.locator("[data-testid=output-1-0]").count() == 1
    page.reload()  # the address alone brings the same configuration back
    page.wait_for_selector("[data-testid=output-1-0]")
    assert page.input_value("#cp-input") == "1,2,3,4,5;1,2,3,4,5"
    page.fill("#cp-stride", "0")
    assert "stride" in page.text_content("[data-testid=error]")
    assert page.locator("[data-testid^=output-]").count() == 0
    assert page.tab.script_problems == []


# --- causal ----------------------------------------------------------------------------------------------------------


def test_causal_output_equals_torch(page, site_url: str) -> None:
    for config in (CAUSAL, {**CAUSAL, "input": "1,2,3;0,1,-1", "weight": "1,2|0,1", "bias": "0.5", "dilation": "1"}):
        show(page, config)
        page.wait_for_selector("[data-testid=pytorch-code]")  # drawn in a task after the steps
        x, w, b = arrays(config)
        left = causal_padding(len(w[0][0]), int(config["dilation"]))
        with torch.no_grad():  # torch itself, written here: F.pad on the left, then conv1d without padding
            expected = F.conv1d(
                F.pad(torch.tensor([x], dtype=torch.float64), (left, 0)),
                torch.tensor(w, dtype=torch.float64),
                None if b is None else torch.tensor(b, dtype=torch.float64),
                dilation=int(config["dilation"]),
            )[0].numpy()
        assert close([[value for _, value in row] for row in output_grid(page)], expected)
        assert expected == pytest.approx(causal_conv1d(x, w, b, int(config["dilation"])))
        # the padding is shown as zeros on the left only, and the page says padding is not used
        row = page.locator(".cp-channel").first.locator(".cp-cell:not(.cp-slot)")
        assert row.count() == left + len(x[0])
        assert [row.nth(q).get_attribute("class").split()[1] for q in range(left + 1)] == ["cp-zeros"] * left + [
            "cp-input"
        ]
        assert page.is_disabled("#cp-padding") and page.is_disabled("#cp-padding_mode")
        assert "padding and padding mode are not used" in page.text_content(".cp-legend")
        code = page.text_content("[data-testid=pytorch-code]")
        assert f"F.pad(x, ({left}, 0))" in code
    assert page.tab.script_problems == []


# --- linked cells ----------------------------------------------------------------------------------------------------


def linked(page, prefix: str) -> set[str]:
    return set(
        page.evaluate(
            "p => [...document.querySelectorAll(`[data-testid^=${p}][data-linked=true]`)].map(e => e.dataset.testid)",
            prefix,
        )
    )


def read_cells(config: dict[str, str], trace: Any, step: Any) -> set[str]:
    """The input cells the trace's step reads, by their test ids."""
    shift = causal_padding(trace.kernel_size, trace.dilation) if config["causal"] else 0  # traced pre-padded
    read = {(t.channel, t.source - shift) for t in step.terms if t.source is not None}
    return {f"input-{c}-{i}" for c, i in read if i >= 0}


@pytest.mark.parametrize("config", [MULTI, TRANSPOSED, CAUSAL], ids=["groups-reflect", "transposed", "causal"])
def test_linked_cells_in_both_directions(page, site_url: str, config: dict[str, str]) -> None:
    trace = library_trace(config)
    show(page, config)
    for step in trace.steps:
        page.hover(f"[data-testid=output-{step.channel}-{step.position}]")
        assert linked(page, "input-") == read_cells(config, trace, step), step
        assert linked(page, "output-") == {f"output-{step.channel}-{step.position}"}
    for c, row in enumerate(arrays(config)[0]):
        for i in range(len(row)):
            page.hover(f"[data-testid=input-{c}-{i}]")
            source = i + (causal_padding(trace.kernel_size, trace.dilation) if config["causal"] else 0)
            fed = {f"output-{s.channel}-{s.position}" for s in trace.steps
                   if any(t.channel == c and t.source == source for t in s.terms)}  # fmt: skip
            assert linked(page, "output-") == fed, (c, i)
    page.mouse.move(0, 0)
    assert linked(page, "input-") == set() and linked(page, "output-") == set()
    assert page.tab.script_problems == []


def test_linked_cells_by_keyboard_and_tap(page, site_url: str) -> None:
    show(page, MULTI)
    page.focus("[data-testid=output-0-0]")  # one tab stop per row; arrow keys move along it
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.testid") == "output-0-1"
    trace = library_trace(MULTI)
    step = next(s for s in trace.steps if (s.channel, s.position) == (0, 1))
    assert linked(page, "input-") == {f"input-{t.channel}-{t.source}" for t in step.terms}
    page.keyboard.press("Tab")  # leaving the row clears the marks
    page.click("[data-testid=input-2-0]")  # a tap keeps its marks after the pointer leaves
    page.mouse.move(0, 0)
    fed = {
        f"output-{s.channel}-{s.position}" for s in trace.steps if any((t.channel, t.source) == (2, 0) for t in s.terms)
    }
    assert fed and linked(page, "output-") == fed
    assert "x[2][0] feeds" in page.text_content("[data-testid=link-note]")
    assert page.tab.script_problems == []


def op_configs() -> list[dict[str, str]]:
    """Transposed configurations with output padding, some with padding (their op cells read inputs) and some
    without (past the last kernel copy), and the worked one: stride 2, padding 1, output padding 1 on [2, 3, 4]."""
    rng = random.Random(30)
    configs = [{**BASE, "input": "2,3,4", "weight": "1,2", "bias": "0.5", "stride": "2", "padding": "1",
                "transposed": "1", "output_padding": "1"}]  # fmt: skip
    while len(configs) < 12:
        stride = rng.randint(2, 3)
        config = {**BASE, "input": text([rng.randint(-3, 5) for _ in range(rng.randint(2, 5))]),
                  "weight": text([rng.randint(-2, 2) for _ in range(rng.randint(1, 3))]), "stride": str(stride),
                  "padding": str(rng.randint(0, 2)), "transposed": "1",
                  "output_padding": str(rng.randint(1, stride - 1)), "bias": rng.choice(["", "0.5"])}  # fmt: skip
        if library_trace(config) is not None:
            configs.append(config)
    return configs


def test_what_the_cells_say_is_what_the_trace_says(page) -> None:
    """The titles of the op cells and the notes of linked cells, checked against conv_docs' trace: an op cell says
    it holds only the bias exactly when no input reaches it, and hovering an output names exactly what it reads."""
    bare = reading = 0
    for config in op_configs():
        trace = library_trace(config)
        show(page, config)
        extra = int(config["output_padding"])
        for step in trace.steps[-extra:]:
            title = page.get_attribute(f"[data-testid=output-0-{step.position}]", "title")
            assert "output_padding" in title, title
            assert ("only the bias" in title) == (not step.terms), (config, step, title)
            bare += not step.terms
            reading += bool(step.terms)
        for step in trace.steps:
            page.hover(f"[data-testid=output-0-{step.position}]")
            note = page.text_content("[data-testid=link-note]")
            sources = sorted({t.source for t in step.terms})
            named = [  # in reading order, each with the weights it meets
                f"x[{i}] (" + ", ".join(f"\u00d7w{j}" for j in sorted(t.tap for t in step.terms if t.source == i)) + ")"
                for i in sources
            ]
            assert note == (
                f"y[{step.position}] reads " + ", ".join(named) + "; its gradient flows back to each of "
                "them through the weights beside it."
                if sources
                else f"y[{step.position}] reads no input cell: it is {'the bias' if config['bias'] else '0'} alone."
            )
    assert bare and reading  # both kinds of op cell were met
    # the worked example: the last output is 4*w1 + bias, a cell output padding keeps, which reads x[2]
    show(page, op_configs()[0])
    assert page.text_content("[data-testid=output-4]") == "8.5"
    assert "padding would crop" in page.get_attribute("[data-testid=output-0-4]", "title")
    # inputs nothing reads say why, as the trace's unread list has them
    for config, why in (({**BASE, "stride": "2", "padding": "0"}, "no window reads it"),
                        ({**BASE, "input": "1,2,3", "weight": "1", "padding": "1", "transposed": "1"},
                         "every copy of the kernel it spreads is cropped")):  # fmt: skip
        unread = {i for _, i in library_trace(config).unread}
        assert unread, config
        show(page, config)
        for i in range(3):
            assert (why in page.get_attribute(f"[data-testid=input-0-{i}]", "title")) == (i in unread), (config, i)
    assert page.tab.script_problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_linked_cells_are_visible_in_both_palettes(browser, site_url: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + address(MULTI))
    page.wait_for_selector("[data-testid=output-0-0]")
    plain = page.eval_on_selector("[data-testid=input-0-3]", "e => getComputedStyle(e).boxShadow")
    page.hover("[data-testid=output-0-3]")  # by hand: padded cells 3 and 4, inputs x[0][2] and x[0][3]
    style = page.eval_on_selector(
        "[data-testid=input-0-3][data-linked=true]",
        """e => [getComputedStyle(e).boxShadow, getComputedStyle(e).borderTopColor,
                 getComputedStyle(document.body).backgroundColor]""",
    )
    assert plain == "none" and style[0] != "none"
    assert style[1] not in (style[2], "rgba(0, 0, 0, 0)")  # a border that shows against the page
    context.close()


# --- the stack -------------------------------------------------------------------------------------------------------


def test_stack_receptive_fields_equal_conv_docs(page, site_url: str) -> None:
    deep = [config for config in STACKS if config["layers"].count(";") >= 2 and library_stack(config)][:2]
    for config in ({"layers": "3,1,1,0;3,2,1,0;3,1,1,0", "stack_length": "16"}, *deep):
        expected = library_stack(config)
        show(page, {**BASE, **config})
        top = len(expected["lengths"]) - 1
        shown = page.text_content("[data-testid=receptive-field]")
        assert f"= {expected['field']} input cells" in shown
        assert "after " + ", ".join(f"layer {n + 1}: {f}" for n, f in enumerate(expected["fields"])) in shown
        for level, length in enumerate(expected["lengths"]):
            assert page.locator(f"[data-testid^=stack-{level}-]").count() == length
        for t in range(0, expected["lengths"][top], max(1, expected["lengths"][top] // 4)):
            page.hover(f"[data-testid=stack-{top}-{t}]")
            for level in range(top):
                want = {f"stack-{level}-{p}" for p in expected["footprints"][t][level] if p >= 0}
                want = {name for name in want if int(name.split("-")[2]) < expected["lengths"][level]}
                assert linked(page, f"stack-{level}-") == want, (config, t, level)
            assert f"a window {expected['field']} input cells wide" in page.text_content("[data-testid=stack-note]")
    page.goto(site_url + "playground/")
    page.wait_for_selector("[data-testid=stack-0-0]")
    page.fill("#cp-layer1-kernel", "5")  # a control of the stack writes the address too (after its input event)
    page.wait_for_function("() => location.search.includes('layers=5,1,1,0;')", timeout=10_000)
    assert "layers=5,1,1,0;" in page.url
    page.click("text=Add a layer")
    assert page.locator(".cp-layer").count() == 4 and page.is_disabled("text=Add a layer")
    page.wait_for_function("() => location.search.includes('layers=5,1,1,0;3,2,1,0;3,1,1,0;2,1,1,0')", timeout=10_000)
    assert "layers=5,1,1,0;3,2,1,0;3,1,1,0;2,1,1,0" in page.url
    assert page.tab.script_problems == []


# --- sharing -------------------------------------------------------------------------------------------------------


def test_copy_reset_and_random(browser, site_url: str) -> None:
    tab = open_tab(browser, permissions=["clipboard-read", "clipboard-write"])
    page, context = tab.page, tab.page.context
    page.goto(site_url + address(MULTI))
    page.wait_for_selector("[data-testid=output-0-0]")
    page.click("text=Copy link")
    page.wait_for_function("document.querySelector('.cp-tool-status').textContent === 'Link copied'")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    page.click("text=Copy code")
    page.wait_for_function("document.querySelector('.cp-tool-status').textContent === 'Code copied'")
    assert page.evaluate("navigator.clipboard.readText()") == page.text_content("[data-testid=pytorch-code]")
    page.click("text=Reset")
    assert [page.text_content(f"[data-testid=output-{i}]") for i in range(2)] == ["2", "7"]  # the defaults again
    assert parse_qs(urlparse(page.url).query)["input"] == ["2,3,4"]
    for _ in range(8):
        page.click("text=Random")
        assert page.text_content("[data-testid=error]") == ""
        query = {key: values[0] for key, values in parse_qs(urlparse(page.url).query, keep_blank_values=True).items()}
        config = {**BASE, **query}
        assert close([[value for _, value in row] for row in output_grid(page)], expected_output(config)), config
    assert tab.script_problems == []
    context.close()


def test_copying_without_permission_says_so(browser, site_url: str) -> None:
    tab = open_tab(browser)
    page, context = tab.page, tab.page.context
    # a browser that refuses both ways of copying, as one without the permission does (headless Chromium may
    # allow them anyway)
    page.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.',"
        " 'NotAllowedError')); document.execCommand = () => false;"
    )
    page.goto(site_url + "playground/")
    page.wait_for_selector("[data-testid=output-0]")
    page.click("text=Copy link")
    page.wait_for_function("document.querySelector('.cp-tool-status').textContent !== ''")
    assert page.text_content(".cp-tool-status") == "Copying is blocked here: select the address bar and copy it"
    assert tab.script_problems == []
    context.close()


# --- safety --------------------------------------------------------------------------------------------------------

ATTACKS = {
    "input": '<img src=x onerror="window.__pwned=1">',
    "weight": "<script>window.__pwned=1</script>",
    "bias": '"><svg onload="window.__pwned=1">',
    "padding": "<iframe src=javascript:window.__pwned=1>",
    "padding_mode": "<b onmouseover=window.__pwned=1>zeros</b>",
    "layers": "<img src=x onerror=window.__pwned=1>",
}


@pytest.mark.parametrize("key", ATTACKS)
def test_markup_in_the_address_never_runs(browser, site_url: str, key: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    config = {**BASE, key: ATTACKS[key]}
    page.goto(site_url + address(config) + "&x=<script>alert(1)</script>")
    page.wait_for_selector(".cp-stack-results > *", state="attached")
    page.wait_for_timeout(300)
    root = "[data-conv-playground]"
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    own = "[data-testid=connector]"  # the playground's own drawing: the lines from a window to its output
    assert page.locator(f"{root} img, {root} script, {root} svg:not({own}), {root} iframe, {root} b").count() == 0
    errors = page.text_content("[data-testid=error]") + page.text_content("[data-testid=stack-error]")
    assert "<" in errors  # shown as plain text
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
    show(page, "input=2,3,4&weight=1,1&stride=1")
    status = page.locator("[aria-live]")
    assert status.count() == 1
    assert status.text_content().startswith("Step 1 of 4")  # the default padding 1: 0 2 3 4 0, four windows
    page.get_by_role("button", name="Next").focus()
    page.keyboard.press("Enter")
    assert status.text_content().startswith("Step 2 of 4: y[1] = 2*w0 + 3*w1")
    page.focus("#cp-step")
    page.keyboard.press("ArrowLeft")
    assert status.text_content().startswith("Step 1 of 4: y[0] = 0*w0 + 2*w1")
    assert "cp-current" in page.get_attribute("[data-testid=output-0] >> xpath=..", "class")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("document.querySelector('[aria-live]').textContent.startsWith('Step 2 of 4')")
    assert page.tab.script_problems == []


SHOWN = {"channels": MULTI, "causal": CAUSAL, "transposed": TRANSPOSED,
         "long": {**BASE, "input": ",".join(str(v) for v in range(30)), "weight": "1,-1,0.5"}}  # fmt: skip


@pytest.mark.parametrize("name", SHOWN)
def test_on_a_phone_the_steps_are_on_the_first_screen(screens, name: str) -> None:
    page = screens["phone"]
    show(page, SHOWN[name])
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    steps_top = page.evaluate("document.querySelector('.cp-steps').getBoundingClientRect().top")
    assert steps_top < SIZES["phone"]["height"] - 60
    assert page.evaluate("document.querySelector('.cp-settings').open") is False  # the form folds away
    strip = page.locator(".cp-strip").first
    assert strip.get_attribute("tabindex") == "0" and strip.get_attribute("role") == "region"
    assert strip.get_attribute("aria-label")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('[data-conv-playground] *')]
               .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
               .filter(e => !e.closest('.cp-strip') && !e.matches('input, select'))  // a text box scrolls its own text
               .map(e => e.tagName + '.' + e.className)"""
    )
    assert wide == []  # nothing but the cell strips scrolls sideways
    if name == "long":  # the cells scroll sideways inside their strip, not the page
        assert page.evaluate("(e => e.scrollWidth > e.clientWidth)(document.querySelector('.cp-strip'))")
    page.mouse.move(0, 0)  # a tap moves no mouse: one left over a cell by an earlier click would hover it
    page.locator("[data-testid=output-0-1]").scroll_into_view_if_needed()
    where = "() => [scrollY, ...[...document.querySelectorAll('.cp-strip')].map(strip => strip.scrollLeft)]"
    before = page.evaluate(where)
    page.tap("[data-testid=output-0-1]")
    assert page.evaluate(where) == before  # nothing moves under the finger: not the page, not a strip
    trace = library_trace(SHOWN[name])
    step = next(step for step in trace.steps if (step.channel, step.position) == (0, 1))
    assert linked(page, "input-") == read_cells(SHOWN[name], trace, step)
    page.click(".cp-settings summary")
    assert page.is_visible("#cp-input")
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    assert page.tab.script_problems == []


# --- at real sizes: the step stays in view ---------------------------------------------------------------------

SIZES = {"phone": {"width": 375, "height": 740}, "laptop": {"width": 1280, "height": 800}}
LONG = {**BASE, "input": ",".join(str((7 * i) % 11 - 5) for i in range(48)), "weight": "1,-2,0.5", "stride": "2",
        "padding": "1"}  # fmt: skip
LONG_TRANSPOSED = {**BASE, "input": ",".join(str(i % 5) for i in range(48)), "weight": "1,2,-1", "stride": "2",
                   "padding": "1", "transposed": "1", "output_padding": "1"}  # fmt: skip


@pytest.fixture(scope="module")
def screens(browser, site_url: str) -> Iterator[dict[str, Any]]:
    """The playground on a 375x740 phone (touch) and on a 1280x800 laptop, each with its problems collected."""
    contexts, pages = [], {}
    for name, size in SIZES.items():
        phone = name == "phone"
        tab = open_tab(browser, viewport=size, is_mobile=phone, has_touch=phone)
        page, context = tab.page, tab.page.context
        page.tab = tab  # what goes wrong in it: tab.script_problems
        page.goto(site_url + "playground/")
        page.wait_for_selector("[data-testid=output-0]")
        contexts.append(context)
        pages[name] = page
    yield pages
    for context in contexts:
        context.close()


# Every cell marked as the current step: where it is, whether the reader sees it (inside the screen, under the
# theme's header, and the topmost thing at its middle: not scrolled out of its strip, not under the sticky
# controls), and the smallest text it holds, its caption (a ::after) included.
CURRENT = """() => {
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  const width = document.documentElement.clientWidth, height = document.documentElement.clientHeight;
  return [...document.querySelectorAll('[data-conv-playground] [aria-current=step]')].map(e => {
    const r = e.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    const hit = document.elementFromPoint(x, y);
    const sizes = [e, ...e.querySelectorAll('*')].filter(n => n.textContent.trim())
      .map(n => parseFloat(getComputedStyle(n).fontSize));
    if (e.dataset.caption) sizes.push(parseFloat(getComputedStyle(e, '::after').fontSize));
    return {id: e.dataset.testid || e.className, left: r.left, right: r.right, centre: x,
            seen: r.left >= 0 && r.right <= width && r.top >= header && r.bottom <= height
                  && hit !== null && e.contains(hit),
            font: Math.min(...sizes)};
  });
}"""


def in_reach(page, name: str) -> Any:
    """The button, which the reader can press where it is: on the screen, nothing over it (no scrolling to it)."""
    button = page.get_by_role("button", name=name, exact=False).first
    assert button.evaluate(
        """e => { const r = e.getBoundingClientRect();
                  return r.top >= 0 && r.bottom <= document.documentElement.clientHeight
                         && e.contains(document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2)); }"""
    ), f"{name} is not where the reader can press it"
    return button


def check_step(page, trace, n: int) -> None:
    """Step n is shown: its window and its output on screen, text of 11 px or more, the output under the window."""
    status = page.text_content("[data-testid=status]")
    assert status.startswith(f"Step {n + 1} of {len(trace.steps)}:"), status
    cells = page.evaluate(CURRENT)
    step = trace.steps[n]
    assert [c for c in cells if not c["seen"]] == [], (page.viewport_size, n, cells)
    assert min(c["font"] for c in cells) >= 11, (page.viewport_size, cells)
    ids = {c["id"] for c in cells}
    if trace.op == "conv1d":  # the cells of the window (padding ones have no test id) and the output
        assert len(cells) == len({t.cell for t in step.terms}) + 1, cells
        assert ids >= {f"input-0-{t.source}" for t in step.terms if t.source is not None} | {f"output-0-{n}"}
        window = [c for c in cells if not c["id"].startswith("output")]
        output = next(c for c in cells if c["id"] == f"output-0-{n}")
        middle = (min(c["left"] for c in window) + max(c["right"] for c in window)) / 2
        assert abs(output["centre"] - middle) < 1.5, (n, output, window)  # under the middle of its window
    else:  # the inputs that feed the output, their copies that land on it, and the output
        assert ids >= {f"input-0-{t.source}" for t in step.terms} | {f"output-0-{n}"}
        assert len(cells) == 2 * len(step.terms) + 1, cells


@pytest.mark.parametrize("size", SIZES)
def test_stepping_keeps_the_window_and_its_output_on_screen(screens, size: str) -> None:
    """48 inputs, kernel 3, stride 2, padding 1: after every Next, Previous, slider move and Play step, every cell
    of the window and its output are on screen, read at 11 px or more, and the reader never scrolled."""
    page = screens[size]
    show(page, LONG)
    page.evaluate("window.scrollTo(0, 0)")
    trace = library_trace(LONG)
    assert len(trace.steps) == 24  # by hand: floor((48 + 2 - 3) / 2) + 1
    for n in range(1, len(trace.steps)):
        in_reach(page, "Next").click()
        check_step(page, trace, n)
    for n in (22, 21, 20):
        in_reach(page, "Previous").click()
        check_step(page, trace, n)
    page.focus("#cp-step")  # the slider, by keys
    for key, n in (("Home", 0), ("End", 23), ("ArrowLeft", 22), ("PageDown", None)):
        page.keyboard.press(key)
        check_step(page, trace, n if n is not None else int(page.input_value("#cp-step")))
    box = page.locator("#cp-step").bounding_box()  # the slider, dragged: the page follows when it is let go
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SIZES[size]["height"]
    page.mouse.move(box["x"] + 0.3 * box["width"], box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 0.6 * box["width"], box["y"] + box["height"] / 2, steps=4)
    page.mouse.up()
    check_step(page, trace, int(page.input_value("#cp-step")))
    page.focus("#cp-step")
    page.keyboard.press("Home")
    in_reach(page, "Play").click()
    for n in (1, 2):
        started = f"document.querySelector('[data-testid=status]').textContent.startsWith('Step {n + 1} ')"
        page.wait_for_function(started)
        check_step(page, trace, n)
    in_reach(page, "Pause").click()
    # the reader scrolls the cells up under the controls (on a phone they stick above them), and steps on: the
    # page brings the step back, and nothing comes over the controls (the theme's "Back to top" would, on scrolling up)
    page.evaluate("window.scrollBy(0, document.querySelector('.cp-strip').getBoundingClientRect().top - 60)")
    for n in (3, 4, 5):
        in_reach(page, "Next").click()
        check_step(page, trace, n)
    # a tap marks the cells linked to a cell; a new step clears the marks
    if size == "phone":
        page.tap("[data-testid=output-0-3]")
    else:
        page.click("[data-testid=output-0-3]")
    assert linked(page, "input-") and page.text_content("[data-testid=link-note]")
    in_reach(page, "Next").click()
    assert linked(page, "input-") == set() and linked(page, "output-") == set()
    assert page.text_content("[data-testid=link-note]") == ""
    assert page.tab.script_problems == []


@pytest.mark.parametrize("size", SIZES)
def test_a_transposed_step_stays_on_screen_too(screens, size: str) -> None:
    page = screens[size]
    show(page, LONG_TRANSPOSED)
    page.evaluate("window.scrollTo(0, 0)")
    trace = library_trace(LONG_TRANSPOSED)
    for n in range(1, 13):
        in_reach(page, "Next").click()
        check_step(page, trace, n)
        # the lines: one from each input that feeds the output to its column, dashed ones to the other landings
        lines = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid=connector] line')].map(l =>
                   [Number(l.getAttribute('x1')), Number(l.getAttribute('x2')), l.classList.contains('cp-fan')])"""
        )
        column = n + int(LONG_TRANSPOSED["padding"]) + 0.5  # output n on the uncropped output's columns
        solid = sorted(x1 for x1, x2, fan in lines if not fan and x2 == column)
        assert solid == sorted(t.source * 2 + 1.5 for t in trace.steps[n].terms)  # above the middle of its copy
        assert len(lines) == 3 * len(trace.steps[n].terms)  # kernel 3: each input's three landings
    assert page.tab.script_problems == []


# Every control shown, as [what, width, height]: buttons (cells too), selects, the slider, text fields, and each
# checkbox with its label (the label is what a finger hits).
TARGETS = """() => {
  const root = document.querySelector('[data-conv-playground]');
  const targets = [...root.querySelectorAll('button, select, input[type=range], input[type=text]')];
  root.querySelectorAll('input[type=checkbox]').forEach(box => targets.push(box.closest('label')));
  return targets.filter(e => e.getClientRects().length).map(e => [
    e.tagName + ' ' + (e.textContent || e.id).trim().slice(0, 20),
    e.getBoundingClientRect().width, e.getBoundingClientRect().height]);
}"""


def test_on_a_phone_every_control_is_a_44px_target(screens) -> None:
    page = screens["phone"]
    show(page, {**MULTI, "groups": "x"})  # an error: its button too
    error_state = page.evaluate(TARGETS)
    assert any(name.startswith("BUTTON Go to Groups") for name, _, _ in error_state)
    show(page, {**BASE, "input": "1,2,3,4,5,6,7,8", "transposed": "1", "padding_mode": "zeros"})
    page.evaluate("document.querySelector('.cp-settings').open = true")
    shown = error_state + page.evaluate(TARGETS)
    assert len(shown) > 60  # buttons, cells, fields, the slider, the checkboxes with their labels
    assert [target for target in shown if target[1] < 44 or target[2] < 44] == []
    assert page.tab.script_problems == []


SUMMARY_MAX = 110  # characters: the first values and how many, never the whole input


@pytest.mark.parametrize(
    "change, key, words",
    [
        ({"groups": "x"}, "groups", "groups must be a whole number, got \u201cx\u201d"),
        ({"transposed": "maybe"}, "transposed", "transposed must be 1 (on) or 0 (off), got \u201cmaybe\u201d"),
        ({"input": "1,2,,3"}, "input", "input has nothing between two commas"),
        ({"stride": "0"}, "stride", "stride must be at least 1, got 0"),
        ({"bias": "1,2"}, "bias", "bias needs one number per output channel"),
        ({"input": ",".join(["1"] * 10_000)}, "input", "input can hold at most 64 values here, got 10000"),
        ({**MULTI, "groups": "3"}, "groups", "groups=3 must divide in_channels=4"),
    ],
    ids=["groups=x", "transposed=maybe", "empty value", "stride 0", "bias count", "10000 values", "groups 3"],
)
def test_an_error_names_its_field_where_the_reader_sees_it(screens, change, key: str, words: str) -> None:
    for size, page in screens.items():
        show(page, {**BASE, **change})
        page.evaluate("window.scrollTo(0, 0)")
        alert = page.locator("[data-testid=error]")
        assert words in alert.text_content() and alert.is_visible()
        box = alert.bounding_box()
        assert box is not None and box["y"] + 30 < SIZES[size]["height"], (size, box)  # on the first screen
        assert len(page.text_content("[data-testid=summary]")) < SUMMARY_MAX
        control = page.locator(f"#cp-{key}")
        assert control.get_attribute("aria-invalid") == "true"
        message = page.locator(f"[data-testid=field-error-{key}]")
        assert words in message.text_content()
        assert f"cp-{key}-error" in control.get_attribute("aria-describedby")
        if not message.is_visible():  # the settings fold away on a phone: the alert's button opens them
            assert size == "phone"
            alert.get_by_role("button").click()
            assert page.evaluate("document.activeElement.id") == f"cp-{key}"
        assert message.is_visible() and control.is_visible()
        assert page.locator("[data-testid^=output-]").count() == 0
        assert page.tab.script_problems == []


def test_values_from_the_address_are_used_or_named(page) -> None:
    show(page, {**BASE, "transposed": "yes", "stride": "2"})  # yes is on
    assert page.text_content("[data-testid=error]") == ""
    assert shown_outputs(page) == library_outputs({**BASE, "transposed": "1", "stride": "2"})
    show(page, {**BASE, "strid": "2"})  # a misspelt setting: used nowhere, and said so
    assert "strid=2 (did you mean stride?)" in page.text_content("[data-testid=notes]")
    assert page.is_visible("[data-testid=notes]")
    show(page, {**BASE, "groups": "x"})
    assert page.input_value("#cp-groups") == "x"  # the field shows what the address holds
    page.fill("#cp-groups", "1")
    assert page.text_content("[data-testid=error]") == ""
    assert page.get_attribute("#cp-groups", "aria-invalid") is None
    assert page.tab.script_problems == []


def test_a_mode_transposed_rules_out_is_switched_with_a_note(page) -> None:
    show(page, {**BASE, "padding": "1", "padding_mode": "reflect"})
    page.check("#cp-transposed")
    assert page.input_value("#cp-padding_mode") == "zeros"
    note = page.text_content("[data-testid=notes]")
    assert "reflect" in note and "zeros" in note and page.is_visible("[data-testid=notes]")
    assert page.text_content("[data-testid=error]") == ""
    page.uncheck("#cp-transposed")  # back to Conv1d: the mode it had
    assert page.input_value("#cp-padding_mode") == "reflect" and "reflect" in page.text_content("[data-testid=notes]")
    expected = trace_conv1d([2, 3, 4], [1, 1], bias=0, stride=1, padding=1, padding_mode="reflect").output
    assert [[value for _, value in row] for row in output_grid(page)] == [list(row) for row in expected]
    show(page, {**BASE, "padding_mode": "reflect", "transposed": "1"})  # from the address, the same
    assert page.input_value("#cp-padding_mode") == "zeros" and "reflect" in page.text_content("[data-testid=notes]")
    assert page.tab.script_problems == []


def test_groups_reshape_the_weight_as_the_channel_counts_do(page) -> None:
    show(page, {**BASE, "input": "2,3,4;1,0,-1", "weight": "1,1|0,1;2,0|1,-1", "bias": "0,1"})
    page.fill("#cp-groups", "2")  # in = out = 2: one kernel per output channel now
    assert page.text_content("[data-testid=error]") == ""
    assert page.input_value("#cp-weight") == "1,1;2,0"
    config = {**BASE, "input": "2,3,4;1,0,-1", "weight": "1,1;2,0", "bias": "0,1", "groups": "2"}
    assert shown_outputs(page) == library_outputs(config)
    page.fill("#cp-in_channels", "4")  # groups 2 still divides: two kernels per output channel
    assert page.text_content("[data-testid=error]") == ""
    query = {key: values[0] for key, values in parse_qs(urlparse(page.url).query, keep_blank_values=True).items()}
    assert query["groups"] == "2" and len(query["input"].split(";")) == 4
    assert shown_outputs(page) == library_outputs({**BASE, **query})
    page.fill("#cp-out_channels", "3")  # 2 does not divide 3: back to one group, with a note
    assert page.input_value("#cp-groups") == "1" and "Groups is 1 now" in page.text_content("[data-testid=notes]")
    assert page.text_content("[data-testid=error]") == ""
    assert page.tab.script_problems == []


def test_back_and_forward_bring_back_the_address(page) -> None:
    first, second = {**BASE, "input": "1,2,3,4"}, {**BASE, "input": "5,6,7", "stride": "2"}
    show(page, first)
    show(page, second)
    for config, move in ((first, page.go_back), (second, page.go_forward)):
        move()
        page.wait_for_function("c => document.querySelector('#cp-input').value === c", arg=config["input"])
        assert shown_outputs(page) == library_outputs(config)
    assert page.tab.script_problems == []


def stack_values(config: dict[str, str]) -> list[list[float]]:
    """Each level of the stack computed by torch: Conv1d layers with every weight 1 and no bias, on the given input
    or, without one, on an impulse at the middle."""
    length = int(config["stack_length"])
    given = config.get("stack_input", "")
    x = [float(v) for v in given.split(",")] if given else [1.0 if i == length // 2 else 0.0 for i in range(length)]
    levels, h = [x], torch.tensor([[x]], dtype=torch.float64)
    for part in config["layers"].split(";"):
        k, stride, dilation, padding = (int(v) for v in part.split(","))
        h = F.conv1d(h, torch.ones(1, 1, k, dtype=torch.float64), None, stride, padding, dilation)
        levels.append(h[0, 0].tolist())
    return levels


def test_the_stack_shows_each_cells_value_as_torch_computes_it(page) -> None:
    rng = random.Random(7)
    configs = [dict(config) for config in STACKS]
    for config in configs[::2]:  # half with values of their own
        config["stack_input"] = text([rng.randint(-5, 5) for _ in range(int(config["stack_length"]))])
    results = page.evaluate("configs => configs.map(c => window.convPlayground.stack(c))", configs)
    valid = 0
    for config, shown in zip(configs, results, strict=True):
        if library_stack(config) is None:
            assert "error" in shown, config
            continue
        want = stack_values(config)
        assert len(shown["values"]) == len(want), config
        assert all(close(got, level) for got, level in zip(shown["values"], want, strict=True)), config
        valid += 1
    assert valid >= 80
    show(page, {**BASE, "layers": "3,1,1,1;3,2,1,0", "stack_length": "9"})  # on the page: every cell's value
    want = stack_values({"layers": "3,1,1,1;3,2,1,0", "stack_length": "9"})
    assert want[2] == [0.0, 2.0, 2.0, 0.0]  # by hand: h1[3..5] are 1; h2[1] reads h1[2..4], h2[2] reads h1[4..6]
    shown = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('[data-testid^=stack-] [data-value]')]
               .map(e => [e.parentElement.dataset.testid, Number(e.dataset.value)]))"""
    )
    assert {name: value for name, value in shown.items()} == {
        f"stack-{level}-{p}": value for level, row in enumerate(want) for p, value in enumerate(row)
    }
    lengths = page.text_content("[data-testid=stack-lengths]")
    assert lengths == "Lengths: input 9 \u2192 layer 1: 9 \u2192 layer 2: 4 cells."  # (9+2-3)/1+1, (9-3)//2+1
    show(page, {**BASE, "stack_input": "1,2,,3"})
    assert "stack_input has nothing between two commas" in page.text_content("[data-testid=stack-error]")
    assert page.get_attribute("#cp-stack_input", "aria-invalid") == "true"
    assert page.tab.script_problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_nothing(browser, site_url: str, tmp_path: Path, scheme: str, width: int) -> None:
    """Every axe-core rule, with linked cells marked and the settings open; a screenshot of each view goes into
    PLAYGROUND_SHOTS where it names a folder, and of a failing view always.

    Each width and palette checks the groups view and one other (causal, transposed, a long input) in turn, so that
    every view meets both palettes and both widths without running axe sixteen times.
    """
    tab = open_tab(browser, viewport={"width": width, "height": 900 if width > 400 else 667}, color_scheme=scheme)
    page, context = tab.page, tab.page.context
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    others = ["causal", "transposed", "long"]
    turn = others[(["light", "dark"].index(scheme) + 2 * [1280, 375].index(width)) % 3]
    page.goto(site_url + "playground/")
    page.wait_for_selector("[data-testid=stack-0-0]")
    for name in ("channels", turn, *(n for n in others if n != turn and scheme == "light" and width == 375)):
        show(page, SHOWN[name])
        assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
        page.click("[data-testid=output-0-1]")
        page.click("[data-testid=stack-2-1]")
        page.evaluate("document.querySelector('.cp-settings').open = true")
        start_axe(page)
        found = axe_findings(page)
        if SHOTS or found:  # to look at, or to see what failed
            page.screenshot(path=shots / f"{name}-{scheme}-{width}.png", full_page=True)
        assert found == [], f"{name}: {found} (screenshot in {shots})"
    assert tab.script_problems == []
    context.close()


SCRIPTS = ["playground-core.js", "playground.js"]  # the arithmetic, then the view that draws it


def test_the_scripts_load_only_on_the_playground(built_site: Path) -> None:
    pages = {p.relative_to(built_site).as_posix(): p.read_text("utf-8") for p in built_site.rglob("*.html")}
    for script in SCRIPTS:
        assert [name for name, html in pages.items() if f"/{script}" in html] == ["playground/index.html"], script
    html = pages["playground/index.html"]
    assert html.index("/playground-core.js") < html.index("/playground.js")  # deferred: they run in this order
    for script in SCRIPTS:
        text = (built_site / "assets" / script).read_text("utf-8")
        assert len(text.encode()) < 80_000, script  # plain JavaScript, deferred; bench/lighthouse.py measures the page
        assert "http" not in text.replace("http://www.w3.org/2000/svg", ""), script  # no request to another host
        assert not re.search(r"^\s*(import|export)\b|\brequire\(", text, re.M), script  # no build step, no modules
    core = (built_site / "assets" / "playground-core.js").read_text("utf-8")
    assert "document.querySelector" not in core and "createElement" not in core  # the arithmetic draws nothing


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
    with serve(out) as url:  # serving before the build: the build must know the address
        result = subprocess.run(
            [sys.executable, "-c", BUILD_INSTANT, str(ROOT / "mkdocs.yml"), str(out), url],
            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        yield url


def test_it_starts_after_instant_navigation(browser, instant_site: str) -> None:
    tab = open_tab(browser)
    page, context = tab.page, tab.page.context
    # the theme takes over only links to pages in its sitemap.xml, which it fetches after the load: a click before
    # that is an ordinary page load (on a busy machine it came first)
    page.goto(instant_site, wait_until="networkidle")
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
    assert page.locator("[data-conv-playground] form.cp-form").count() == 2  # the convolution's and the stack's
    page.locator("nav a[href$='reference/cli/']").first.click()
    page.wait_for_url("**/reference/cli/")
    page.locator("nav a[href$='playground/']").first.click()  # a second visit: the script is not run twice
    page.wait_for_selector("[data-testid=output-0]")
    assert page.locator("[data-conv-playground] .cp-settings").count() == 1
    assert tab.script_problems == []
    context.close()
