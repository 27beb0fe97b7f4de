"""Every public function at its edges: whatever it is given, it returns what torch computes or raises a clear
ValueError or TypeError, never another exception.

The house rule is one test file per module (tests/test_<module>.py); this one crosses the modules on purpose, because
the property is the same for every public function of the package. The functions are found by introspection
(``conv_docs.__all__`` and the public names of each module of MODULES), so that a new public function either gets a
case in CASES or fails test_every_public_function_has_a_case.

Each example draws valid arguments; half of the time one of them is then replaced by junk (tests/strategies.py:
bools, None, strings, nan, complex numbers, zero and negative ints, ints past torch's 64 bits or past the library's
bounds, ragged, complex, boolean and string arrays). The call must then raise a ValueError or TypeError whose message
is one short line, or return what torch computes in float64 (meta tensors give torch's lengths for any size). The
cases of one module's own behaviour stay in its own test file; this file holds only the property.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import stack_cases
import torch
import torch.nn.functional as F
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from stack_cases import Spec
from strategies import (
    JUNK_ARRAYS,
    Config,
    conv1d_configs,
    junk,
    real_arrays,
    special_values,
    torch_conv1d,
    torch_conv_transpose1d,
    transpose_configs,
)
from torch.utils.flop_counter import conv_flop_count

from conv_docs import Cell, Step, Term, Trace, trace_conv1d, trace_conv_transpose1d
from conv_docs.porting import keras_transpose_pads, transpose_args_from_pads
from conv_docs.receptive_field import Layer
from conv_docs.stack import StackLayer, refusal
from conv_docs.streaming import StreamingConv1d

MODULES = (
    "conv_docs",
    "conv_docs.causal",
    "conv_docs.matrix",
    "conv_docs.receptive_field",
    "conv_docs.fast",
    "conv_docs.porting",
    "conv_docs.overlap",
    "conv_docs.streaming",
    "conv_docs.variable_length",
    "conv_docs.stack",
    "conv_docs.solve",  # when present
)

# Each public function gets this many examples: the whole file takes seconds, not minutes, under the full profile.
EACH = settings(max_examples=max(10, settings().max_examples // 10))
ORACLE_CELLS = 10**5  # above this many cells, an accepted call is checked by its lengths alone (meta tensors)


def public_functions() -> dict[str, Callable[..., Any]]:
    """``"module.name"`` -> the callable, for ``__all__`` where a module has one, else its public names defined
    in the module itself (not those it imports)."""
    found = {}
    for module_name in MODULES:
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [
                name
                for name, value in vars(module).items()
                if not name.startswith("_") and getattr(value, "__module__", None) == module_name
            ]
        for name in names:
            if callable(getattr(module, name)):
                found[f"{module_name}.{name}"] = getattr(module, name)
    return found


PUBLIC = public_functions()


@dataclass
class Case:
    """One call: ``call(**kwargs)``, then ``check(result, kwargs)`` compares an accepted result with torch.
    Junk for a name in ``arrays`` is drawn from the junk arrays as well."""

    call: Callable[..., Any]
    kwargs: dict[str, Any]
    check: Callable[[Any, dict[str, Any]], None]
    arrays: tuple[str, ...] = ()


CASES: dict[str, Callable[[Callable[..., Any]], st.SearchStrategy[Case]]] = {}


def case(*names: str):
    """Register a maker of cases (``function -> strategy of Case``) for the named public functions."""

    def register(make):
        for name in names:
            CASES[name] = make
        return make

    return register


# --- arguments as torch takes them --------------------------------------------------------------------------------


def plain(value: Any) -> int:
    """An int argument the library accepted, as torch takes it: ``(2,)``, ``[2]`` and ``np.int64(2)`` are 2; a bool
    fails the test (torch refuses it where it wants an int)."""
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    assert not isinstance(value, (bool, np.bool_)), f"accepted the bool {value!r} for an int"
    return operator.index(value)


def padding_of(value: Any) -> int | str:
    return value if isinstance(value, str) else plain(value)


def array(value: Any) -> np.ndarray:
    """An array argument the library accepted, in float64."""
    if isinstance(value, torch.Tensor):
        return value.detach().double().numpy()
    return np.asarray(value, dtype=np.float64)


def tensor(value: Any) -> torch.Tensor:
    return torch.from_numpy(array(value).copy())


def close(got: Any, expected: Any, *arrays: Any) -> None:
    """Equal shapes, and equal values up to float64 rounding of sums of products of ``arrays``' numbers."""
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert got.shape == expected.shape, f"shape {got.shape}, torch {expected.shape}"
    scale = 1.0
    for each in arrays:
        finite = array(each)[np.isfinite(array(each))]
        scale *= 1.0 + float(np.abs(finite).sum())
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12 * scale)


def meta(*shape: int) -> torch.Tensor:
    """A tensor of shape alone; of bytes, so that torch can size one of up to 2**63 - 1 cells."""
    return torch.empty(*shape, device="meta", dtype=torch.int8)


def meta_length(length: int, kernel_size: int, stride=1, padding: Any = 0, dilation=1, **transposed) -> int:
    """torch's output length, from shapes alone; raises where torch refuses."""
    x, w = meta(1, 1, length), meta(1, 1, kernel_size)
    if transposed:
        return F.conv_transpose1d(x, w, None, stride, padding, transposed["output_padding"], 1, dilation).shape[-1]
    return F.conv1d(x, w, None, stride, padding, dilation).shape[-1]


def conv_length(length: int, kernel: int, stride=1, padding: Any = 0, dilation=1, output_padding=None) -> int | None:
    """torch's output length of conv1d (or, given ``output_padding``, conv_transpose1d); None where torch refuses
    it. Where the sizes pass what a meta tensor holds (about 2**62), the formula of torch's documentation."""
    transposed = {} if output_padding is None else dict(output_padding=output_padding)
    try:
        return meta_length(length, kernel, stride, padding, dilation, **transposed)
    except (RuntimeError, TypeError) as error:
        if "overflow" not in str(error).lower():
            return None
    if output_padding is not None:
        out = (length - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1
    elif padding == "same":
        out = length
    else:
        padding = 0 if padding == "valid" else padding
        out = (length + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
    return out if out >= 1 else None


def torch_refuses(call: Callable[[], Any]) -> bool:
    try:
        call()
    except (RuntimeError, ValueError, TypeError, OverflowError):
        return True
    return False


def with_special(draw, values_: np.ndarray) -> np.ndarray:
    """One time in eight, one cell becomes a nan, an inf or a signed zero."""
    if values_.size and draw(st.integers(0, 7)) == 0:
        values_ = values_.copy()
        values_.flat[draw(st.integers(0, values_.size - 1))] = draw(special_values)
    return values_


def finite(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    return real_arrays(shape)


def torch_conv(kw: dict[str, Any]) -> np.ndarray:
    """nn.Conv1d of the arguments of ``conv_docs.conv1d`` (or of a trace: one example, maybe one channel)."""
    x, w = array(kw["input"]), array(kw["weight"])
    x = x[np.newaxis] if x.ndim == 1 else x
    w = w[np.newaxis, np.newaxis] if w.ndim == 1 else w
    b = None if kw.get("bias") is None else np.broadcast_to(array(kw["bias"]), (w.shape[0],)).copy()
    options = dict(
        stride=plain(kw.get("stride", 1)),
        padding=padding_of(kw.get("padding", 0)),
        dilation=plain(kw.get("dilation", 1)),
        groups=plain(kw.get("groups", 1)),
        padding_mode=kw.get("padding_mode", "zeros"),
    )
    return torch_conv1d(Config(x, w, b, options))


def torch_transposed(kw: dict[str, Any]) -> np.ndarray:
    x, w = array(kw["input"]), array(kw["weight"])
    x = x[np.newaxis] if x.ndim == 1 else x
    w = w[np.newaxis, np.newaxis] if w.ndim == 1 else w
    b = None if kw.get("bias") is None else np.broadcast_to(array(kw["bias"]), (w.shape[1] * plain(kw["groups"]),))
    options = {name: plain(kw.get(name, default)) for name, default in TRANSPOSED_DEFAULTS.items()}
    return torch_conv_transpose1d(Config(x, w, None if b is None else b.copy(), options))


TRANSPOSED_DEFAULTS = dict(stride=1, padding=0, output_padding=0, groups=1, dilation=1)


@st.composite
def conv_kwargs(draw, transposed: bool = False, example: bool = False) -> dict[str, Any]:
    """Arguments of conv1d (or conv_transpose1d); ``example``: one example (C, L), as the traces take it."""
    config = draw(transpose_configs() if transposed else conv1d_configs())
    x, w = with_special(draw, config.x), with_special(draw, config.w)
    if example and x.ndim == 3:
        x = x[0]
    return dict(input=x, weight=w, bias=config.b, **config.kwargs)


# --- the convolutions ---------------------------------------------------------------------------------------------


@case("conv_docs.conv1d", "conv_docs.fast.conv1d_im2col", "conv_docs.fast.conv1d_fft")
def conv1d_cases(function):
    def check(result, kw):
        close(result, torch_conv(kw), kw["input"], kw["weight"], 1 if kw["bias"] is None else kw["bias"])

    return conv_kwargs().map(lambda kw: Case(function, kw, check, ("input", "weight", "bias")))


@case("conv_docs.conv_transpose1d")
def conv_transpose1d_cases(function):
    def check(result, kw):
        close(result, torch_transposed(kw), kw["input"], kw["weight"], 1 if kw["bias"] is None else kw["bias"])

    return conv_kwargs(transposed=True).map(lambda kw: Case(function, kw, check, ("input", "weight", "bias")))


def check_trace(trace, kw: dict[str, Any]) -> None:
    """The trace's output is torch's, and its cells are the (padded) input torch reads."""
    transposed = trace.op == "conv_transpose1d"
    expected = torch_transposed(kw) if transposed else torch_conv(kw)
    close(trace.output, expected, kw["input"], kw["weight"], 1 if kw.get("bias") is None else kw["bias"])
    x = array(kw["input"])
    x = x[np.newaxis] if x.ndim == 1 else x
    if transposed:
        read = x
    else:
        left, right = trace.padding
        mode = {"zeros": "constant"}.get(trace.padding_mode, trace.padding_mode)
        read = F.pad(torch.from_numpy(x)[np.newaxis], (left, right), mode=mode)[0].numpy()
    close([[cell.value for cell in row] for row in trace.cells], read)


@case("conv_docs.trace_conv1d", "conv_docs.trace_conv_transpose1d")
def trace_cases(function):
    transposed = function.__name__ == "trace_conv_transpose1d"
    return conv_kwargs(transposed, example=True).map(
        lambda kw: Case(function, kw, check_trace, ("input", "weight", "bias"))
    )


@st.composite
def traces(draw):
    """A trace of conv1d or conv_transpose1d that torch computes, with its arguments."""
    transposed = draw(st.booleans())
    kw = draw(conv_kwargs(transposed, example=True))
    try:
        return (trace_conv_transpose1d if transposed else trace_conv1d)(**kw), kw
    except ValueError:
        reject()


def torch_outputs(trace, kw) -> list[float]:
    """torch's outputs in the order of the trace's steps (by output channel, then position)."""
    expected = torch_transposed(kw) if trace.op == "conv_transpose1d" else torch_conv(kw)
    return [float(v) for v in np.asarray(expected).reshape(-1)]


@case("conv_docs.describe")
def describe_cases(function):
    def check(text, kw):
        trace = kw["trace"]
        arguments = KWARGS[id(trace)]
        values = torch_outputs(trace, arguments)
        starts = [text.index(f"Step {number}:") for number in range(1, len(values) + 1)]
        for value, start, end in zip(values, starts, [*starts[1:], len(text)], strict=True):
            same_number(re.search(r" = (\S+)\.(?: |$)", text[start:end]).group(1), value, arguments)

    return traces().map(lambda pair: Case(function, dict(trace=remember(*pair)), check))


def same_number(shown: str, value: float, kw: dict[str, Any]) -> None:
    """A number a text shows (6 significant digits) is torch's value: within half a unit of the sixth digit, or
    (near 0, where a sum cancels) within float64's rounding of the sum."""
    if np.isfinite(value) and abs(float(shown) - value) <= 5e-6 * abs(value):
        return
    bias = 1 if kw.get("bias") is None else kw["bias"]
    close(float(shown), value, np.asarray(1e5 * value), kw["input"], kw["weight"], bias)


KWARGS: dict[int, dict[str, Any]] = {}  # a drawn trace's arguments, by the trace's id


def remember(trace, kw):
    KWARGS[id(trace)] = kw
    return trace


@case("conv_docs.Trace", "conv_docs.Step", "conv_docs.Term", "conv_docs.Cell")
def record_cases(record):
    """The records a trace is made of, as the trace functions build them: their fields and methods against torch.
    Junk goes to the trace function's arguments, or to ``Step.weight_name``."""

    def call(transposed: bool, term: Any = None, **kw):
        trace = (trace_conv_transpose1d if transposed else trace_conv1d)(**kw)
        step = next((step for step in trace.steps if step.terms), None)
        if step is None:
            return trace, None
        return trace, step.weight_name(step.terms[0] if term is None else term)

    def check(result, kw):
        trace, name = result
        kw = {key: value for key, value in kw.items() if key != "term"}
        assert isinstance(trace, Trace)
        check_trace(trace, kw)
        expected = torch_outputs(trace, kw)
        data = trace.to_dict()
        close(np.ravel(data["output"]), expected)
        for step, step_data, value in zip(trace.steps, data["steps"], expected, strict=True):
            assert isinstance(step, Step)
            same_number(step_data["arithmetic"].rpartition(" = ")[2], value, kw)
            assert step.formula().count("*w") == len(step.terms)
            for term in step.terms:
                assert isinstance(term, Term) and isinstance(trace.cells[term.channel][term.cell], Cell)
                np.testing.assert_equal(term.value, trace.cells[term.channel][term.cell].value)
                np.testing.assert_equal(term.weight, np.asarray(trace.weight)[term.weight_index])
                np.testing.assert_equal(term.product, term.weight * term.value)
        assert name is None or re.fullmatch(r"w\d+|w(\[\d+\]){3}", name), name

    @st.composite
    def make(draw):
        transposed = draw(st.booleans())
        kw = draw(conv_kwargs(transposed, example=True))
        run = lambda term=None, **kw: call(transposed, term, **kw)  # noqa: E731
        return Case(run, dict(term=None, **kw), check, ("input", "weight", "bias"))

    return make()


@case("conv_docs.pad")
def pad_cases(function):
    @st.composite
    def make(draw):
        mode = draw(st.sampled_from(["zeros", "reflect", "replicate", "circular"]))
        shape = [*draw(st.lists(st.integers(1, 3), min_size=0, max_size=2)), draw(st.integers(1, 6))]
        x = with_special(draw, draw(real_arrays(tuple(shape))))
        kw = dict(x=x, left=draw(st.integers(0, 7)), right=draw(st.integers(0, 7)), padding_mode=mode)
        return Case(function, kw, check, ("x",))

    def check(result, kw):
        x = array(kw["x"])
        left, right, mode = plain(kw["left"]), plain(kw["right"]), kw["padding_mode"]
        if x.size == 0:
            close(result, np.zeros((*x.shape[:-1], x.shape[-1] + left + right)))
            return
        rows = torch.from_numpy(x.reshape(-1, 1, x.shape[-1]))
        padded = F.pad(rows, (left, right), mode={"zeros": "constant"}.get(mode, mode))
        close(result, padded.numpy().reshape(*x.shape[:-1], -1))

    return make()


# --- lengths and padding ------------------------------------------------------------------------------------------

SIZES = st.integers(1, 6) | st.integers(1, 10**9)


@case("conv_docs.output_length")
def output_length_cases(function):
    @st.composite
    def make(draw):
        transposed = draw(st.booleans())
        stride, dilation = draw(SIZES), draw(SIZES)
        kw = dict(input_length=draw(SIZES), kernel_size=draw(SIZES), stride=stride, dilation=dilation)
        if transposed:
            kw.update(padding=draw(st.integers(0, 9)), transposed=True)
            kw["output_padding"] = draw(st.integers(0, min(max(stride, dilation) - 1, 5)))
        else:
            kw["padding"] = draw(st.integers(0, 9) | st.sampled_from(["valid", "same"]))
        return Case(function, kw, check)

    def check(result, kw):
        length, kernel = plain(kw["input_length"]), plain(kw["kernel_size"])
        stride, padding, dilation = plain(kw["stride"]), padding_of(kw["padding"]), plain(kw["dilation"])
        output_padding = plain(kw["output_padding"]) if kw.get("transposed") else None
        expected = conv_length(length, kernel, stride, padding, dilation, output_padding)
        assert result < 1 if expected is None else result == expected  # below 1 where the kernel does not fit

    return make()


@case("conv_docs.resolve_padding")
def resolve_padding_cases(function):
    @st.composite
    def make(draw):
        padding = draw(st.integers(0, 9) | st.sampled_from(["valid", "same"]))
        kw = dict(padding=padding, kernel_size=draw(SIZES), dilation=draw(SIZES), stride=draw(st.integers(1, 3)))
        return Case(function, kw, check)

    def check(result, kw):
        module = torch.nn.Conv1d(
            1, 1, plain(kw["kernel_size"]), plain(kw["stride"]), padding_of(kw["padding"]), plain(kw["dilation"]),
            device="meta",
        )  # fmt: skip
        assert tuple(result) == tuple(module._reversed_padding_repeated_twice)

    return make()


@case("conv_docs.causal.causal_padding")
def causal_padding_cases(function):
    def check(result, kw):
        length, kernel, dilation = 5, plain(kw["kernel_size"]), plain(kw["dilation"])
        if result > 2**60:  # past what torch can size even as a meta tensor: the hand formula
            assert result == dilation * (kernel - 1)
            return
        x = F.pad(meta(1, 1, length), (result, 0))  # that many zeros on the left: one output per input, no more
        assert F.conv1d(x, meta(1, 1, kernel), dilation=dilation).shape[-1] == length

    return st.builds(
        lambda k, d: Case(function, dict(kernel_size=k, dilation=d), check), st.integers(1, 9) | SIZES, SIZES
    )


# --- causal, matrix, fast -----------------------------------------------------------------------------------------


def torch_causal(kw: dict[str, Any]) -> np.ndarray:
    x, w = array(kw["input"]), array(kw["weight"])
    x, w = x[np.newaxis] if x.ndim == 1 else x, w[np.newaxis, np.newaxis] if w.ndim == 1 else w
    left = plain(kw["dilation"]) * (w.shape[-1] - 1)
    b = None if kw.get("bias") is None else torch.from_numpy(np.broadcast_to(array(kw["bias"]), w.shape[:1]).copy())
    groups = plain(kw.get("groups", 1))
    return F.conv1d(F.pad(torch.from_numpy(x), (left, 0)), torch.from_numpy(w), b, dilation=plain(kw["dilation"]),
                    groups=groups).numpy()  # fmt: skip


@st.composite
def causal_kwargs(draw, example: bool = False) -> dict[str, Any]:
    groups = 1 if example else draw(st.integers(1, 2))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel, length = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    shape = (c_in, length) if example or draw(st.booleans()) else (2, c_in, length)
    kw = dict(
        input=with_special(draw, draw(real_arrays(shape))),
        weight=with_special(draw, draw(real_arrays((c_out, c_in // groups, kernel)))),
        bias=draw(st.none() | real_arrays((c_out,))),
        dilation=draw(st.integers(1, 3)),
    )
    if not example:
        kw["groups"] = groups
    return kw


@case("conv_docs.causal.causal_conv1d")
def causal_conv1d_cases(function):
    def check(result, kw):
        close(result, torch_causal(kw), kw["input"], kw["weight"], 1 if kw["bias"] is None else kw["bias"])

    return causal_kwargs().map(lambda kw: Case(function, kw, check, ("input", "weight", "bias")))


@case("conv_docs.causal.trace_causal_conv1d")
def trace_causal_cases(function):
    def check(trace, kw):
        close(trace.output, torch_causal(kw), kw["input"], kw["weight"], 1 if kw["bias"] is None else kw["bias"])

    return causal_kwargs(example=True).map(lambda kw: Case(function, kw, check, ("input", "weight", "bias")))


def torch_matrix(kw: dict[str, Any], transposed: bool) -> np.ndarray:
    """Column i of the matrix is the convolution of the i-th unit vector (the convolution is linear)."""
    length, w = plain(kw["length"]), array(kw["weight"]).reshape(1, 1, -1)
    units = np.eye(length).reshape(length, 1, length)
    options = {name: plain(kw[name]) for name in ("stride", "padding", "dilation")}
    if transposed:
        options.update(output_padding=plain(kw["output_padding"]), groups=1)
        columns = torch_conv_transpose1d(Config(units, w, None, options))
    else:
        options.update(groups=1, padding_mode=kw["padding_mode"])
        columns = torch_conv1d(Config(units, w, None, options))
    return columns[:, 0, :].T


@case("conv_docs.matrix.conv1d_matrix", "conv_docs.matrix.conv_transpose1d_matrix")
def matrix_cases(function):
    transposed = function.__name__ == "conv_transpose1d_matrix"

    @st.composite
    def make(draw):
        kernel = draw(st.integers(1, 4))
        weight = draw(finite((kernel,)))
        weight = weight.reshape(1, 1, kernel) if draw(st.booleans()) else weight
        stride, dilation = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        kw = dict(length=draw(st.integers(1, 7)), weight=weight, stride=stride, padding=draw(st.integers(0, 3)),
                  dilation=dilation)  # fmt: skip
        if transposed:
            kw["output_padding"] = draw(st.integers(0, max(stride, dilation) - 1))
        else:
            kw["padding_mode"] = draw(st.sampled_from(["zeros", "reflect", "replicate", "circular"]))
        return Case(
            function, kw, lambda result, kw: close(result, torch_matrix(kw, transposed), kw["weight"]), ("weight",)
        )

    return make()


@case("conv_docs.matrix.numpy_mode_padding")
def numpy_mode_padding_cases(function):
    def check(result, kw):
        mode, kernel = kw["mode"], plain(kw["kernel_size"])
        left, right = result
        length = kernel + 3
        if kernel > 2**60:  # past what torch can size: NumPy's documented padding, by hand
            assert (left, right) == {"valid": (0, 0), "same": (kernel // 2, (kernel - 1) // 2),
                                     "full": (kernel - 1, kernel - 1)}[mode]  # fmt: skip
            return
        if kernel > 64:  # lengths only: np.convolve's documented lengths, from torch's shapes
            expected = {"valid": length - kernel + 1, "same": length, "full": length + kernel - 1}[mode]
            assert F.conv1d(F.pad(meta(1, 1, length), (left, right)), meta(1, 1, kernel)).shape[-1] == expected
            return
        x, k = np.linspace(-1, 2, length) ** 2, np.linspace(1, -3, kernel) ** 3
        flipped = torch.from_numpy(k[::-1].copy()).reshape(1, 1, -1)
        got = F.conv1d(F.pad(torch.from_numpy(x).reshape(1, 1, -1), (left, right)), flipped)[0, 0].numpy()
        close(got, np.convolve(x, k, mode), x, k)

    return st.builds(
        lambda mode, k: Case(function, dict(mode=mode, kernel_size=k), check),
        st.sampled_from(["valid", "same", "full"]),
        st.integers(1, 9) | SIZES,
    )


def torch_windows(length: int, kernel: int, stride: int, dilation: int) -> torch.Tensor:
    """(L_out, K): the cells each window reads, from Tensor.unfold over the cell numbers."""
    span = dilation * (kernel - 1) + 1
    return torch.arange(length).unfold(0, span, stride)[:, ::dilation]


@case("conv_docs.fast.window_indices")
def window_indices_cases(function):
    def check(result, kw):
        count, kernel = plain(kw["output_length"]), plain(kw["kernel_size"])
        stride, dilation = plain(kw["stride"]), plain(kw["dilation"])
        length = (count - 1) * stride + dilation * (kernel - 1) + 1
        if count * kernel > ORACLE_CELLS:
            assert result.shape == (kernel, count) and result[-1, -1] == length - 1
            return
        np.testing.assert_array_equal(result, torch_windows(length, kernel, stride, dilation).T.numpy())

    return st.builds(
        lambda n, k, s, d: Case(function, dict(output_length=n, kernel_size=k, stride=s, dilation=d), check),
        st.integers(1, 8), st.integers(1, 5), st.integers(1, 4), st.integers(1, 4),
    )  # fmt: skip


@case("conv_docs.fast.im2col")
def im2col_cases(function):
    @st.composite
    def make(draw):
        shape = (*draw(st.lists(st.integers(1, 2), min_size=0, max_size=1)), draw(st.integers(1, 3)),
                 draw(st.integers(1, 9)))  # fmt: skip
        kw = dict(padded=with_special(draw, draw(real_arrays(shape))), kernel_size=draw(st.integers(1, 4)),
                  stride=draw(st.integers(1, 3)), dilation=draw(st.integers(1, 3)))  # fmt: skip
        return Case(function, kw, check, ("padded",))

    def check(result, kw):
        padded = tensor(kw["padded"])
        kernel, stride, dilation = plain(kw["kernel_size"]), plain(kw["stride"]), plain(kw["dilation"])
        span = dilation * (kernel - 1) + 1
        windows = padded.unfold(-1, span, stride)[..., ::dilation]  # (..., C, L_out, K)
        expected = windows.transpose(-1, -2).reshape(*padded.shape[:-2], padded.shape[-2] * kernel, -1)
        close(result, expected.numpy())

    return make()


@case("conv_docs.fast.multiplications")
def multiplications_cases(function):
    def check(result, kw):
        length, kernel, count = plain(kw["input_length"]), plain(kw["kernel_size"]), plain(kw["output_length"])
        if kw["method"] == "fft":  # the cost model: three transforms of n = L + K - 1 points, and n products
            n = length + kernel - 1
            assert abs(result - (3 * n * math.log2(n) + n)) <= 1 + 1e-12 * result
            return
        # torch's FLOP counter (FlopCounterMode) counts 2 FLOPs, a multiply and an add, per multiplication
        flops = conv_flop_count([1, 1, count + kernel - 1], [1, 1, kernel], [1, 1, count])
        assert result == flops // 2

    return st.builds(
        lambda n, k, m, method: Case(function, dict(input_length=n, kernel_size=k, output_length=m, method=method),
                                     check),
        SIZES, SIZES, SIZES, st.sampled_from(["direct", "im2col", "fft"]),
    )  # fmt: skip


# --- receptive field and variable lengths -------------------------------------------------------------------------

small_layers = st.builds(Layer, st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(0, 3))
stacks = st.lists(small_layers, min_size=1, max_size=4)


def torch_reads(layer, positions: list[int]) -> list[int]:
    """The cells (padded positions minus the padding) whose gradient reaches the outputs at ``positions``."""
    if not positions:
        return []
    base = min(positions)  # the reads of positions shifted by base are shifted by base*stride
    positions = [p - base for p in positions]
    length = max(positions) * layer.stride + layer.dilation * (layer.kernel_size - 1) + 1
    z = torch.zeros(1, 1, length, dtype=torch.float64, requires_grad=True)
    out = F.conv1d(z, torch.ones(1, 1, layer.kernel_size, dtype=torch.float64), stride=layer.stride,
                   dilation=layer.dilation)  # fmt: skip
    out[0, 0, positions].sum().backward()
    return [q - layer.padding + base * layer.stride for q in torch.nonzero(z.grad[0, 0]).flatten().tolist()]


@case("conv_docs.receptive_field.Layer")
def layer_cases(function):
    def check(layer, kw):
        assert (layer.kernel_size, layer.stride, layer.dilation, layer.padding) == tuple(
            plain(kw[name]) for name in ("kernel_size", "stride", "dilation", "padding")
        )
        span = layer.span  # the shortest input one window fits in
        assert F.conv1d(meta(1, 1, span), meta(1, 1, layer.kernel_size), dilation=layer.dilation).shape[-1] == 1
        if span > 1:
            assert torch_refuses(lambda: F.conv1d(meta(1, 1, span - 1), meta(1, 1, layer.kernel_size),
                                                  dilation=layer.dilation))  # fmt: skip

    return st.builds(
        lambda k, s, d, p: Case(function, dict(kernel_size=k, stride=s, dilation=d, padding=p), check),
        SIZES, SIZES, SIZES, st.integers(0, 5),
    )  # fmt: skip


def torch_fields(layers) -> list[int]:
    """After each layer, first-to-last input cell whose gradient reaches output 0 (weights 1, no padding)."""
    length = 1 + sum((layer.span + layer.stride) * math.prod(x.stride for x in layers[:k]) for k, layer in
                     enumerate(layers))  # fmt: skip
    x = torch.ones(1, 1, length, dtype=torch.float64, requires_grad=True)
    fields, h = [], x
    for layer in layers:
        h = F.conv1d(h, torch.ones(1, 1, layer.kernel_size, dtype=torch.float64), stride=layer.stride,
                     dilation=layer.dilation)  # fmt: skip
        (grad,) = torch.autograd.grad(h[0, 0, 0], x, retain_graph=True)
        cells = torch.nonzero(grad[0, 0]).flatten()
        fields.append(int(cells[-1] - cells[0] + 1))
    return fields


@case("conv_docs.receptive_field.receptive_fields", "conv_docs.receptive_field.receptive_field")
def receptive_field_cases(function):
    def check(result, kw):
        fields = torch_fields(kw["layers"])
        assert result == (fields if function.__name__ == "receptive_fields" else fields[-1])

    return stacks.map(lambda layers: Case(function, dict(layers=layers), check))


@case("conv_docs.receptive_field.reads")
def reads_cases(function):
    def check(result, kw):
        assert result == torch_reads(kw["layer"], [plain(p) for p in kw["positions"]])

    return st.builds(
        lambda layer, positions: Case(function, dict(layer=layer, positions=positions), check),
        small_layers, st.lists(st.integers(0, 6), max_size=4),
    )  # fmt: skip


def torch_footprint(layers, position: int) -> list[list[int]]:
    levels = [[position]]
    for layer in reversed(layers):
        levels.append(torch_reads(layer, [cell for cell in levels[-1] if cell >= 0]))
    return levels[::-1]


@case("conv_docs.receptive_field.footprint", "conv_docs.receptive_field.holes")
def footprint_cases(function):
    def check(result, kw):
        levels = torch_footprint(kw["layers"], plain(kw["position"]))
        if function.__name__ == "footprint":
            assert result == levels
            return
        seen = levels[0]
        assert result == (sorted(set(range(seen[0], seen[-1] + 1)) - set(seen)) if seen else [])

    return st.builds(
        lambda layers, position: Case(function, dict(layers=layers, position=position), check),
        stacks, st.integers(0, 5),
    )  # fmt: skip


def torch_length(length: int, layers) -> int:
    """A sequence's length through the stack in torch, 0 where a layer refuses it."""
    for layer in layers:
        length = conv_length(length, layer.kernel_size, layer.stride, layer.padding, layer.dilation)
        if length is None:
            return 0
    return length


@case("conv_docs.variable_length.layer_length")
def layer_length_cases(function):
    def check(result, kw):
        assert result == torch_length(plain(kw["length"]), [kw["layer"]])

    return st.builds(lambda n, layer: Case(function, dict(length=n, layer=layer), check), SIZES, small_layers)


@case("conv_docs.variable_length.output_lengths")
def output_lengths_cases(function):
    def check(result, kw):
        assert result == [torch_length(plain(n), kw["layers"]) for n in kw["lengths"]]

    return st.builds(
        lambda lengths, layers: Case(function, dict(lengths=lengths, layers=layers), check),
        st.lists(SIZES, min_size=1, max_size=4), stacks,
    )  # fmt: skip


def torch_valid(lengths: list[int], layers, width: int) -> np.ndarray:
    """Outputs that read no padded position: the batch with nan past each sequence's end, and nan again past each
    layer's own-length outputs (what the sequence alone would not have), through convolutions of ones."""
    rows = []
    for length in lengths:
        h = torch.tensor([[[0.0 if q < length else math.nan for q in range(width)]]], dtype=torch.float64)
        own = length
        for layer in layers:
            own = torch_length(own, [layer]) if own else 0
            h = F.conv1d(h, torch.ones(1, 1, layer.kernel_size, dtype=torch.float64), stride=layer.stride,
                         padding=layer.padding, dilation=layer.dilation)  # fmt: skip
            h[..., own:] = math.nan
        rows.append(~torch.isnan(h[0, 0]).numpy())
    return np.array(rows, dtype=bool)


@case("conv_docs.variable_length.length_mask", "conv_docs.variable_length.valid_mask")
def mask_cases(function):
    @st.composite
    def make(draw):
        lengths = draw(st.lists(st.integers(1, 12), min_size=1, max_size=3))
        padded = draw(st.none() | st.integers(max(lengths), max(lengths) + 3))
        return Case(function, dict(lengths=lengths, layers=draw(stacks), padded_length=padded), check)

    def check(result, kw):
        lengths, layers = [plain(n) for n in kw["lengths"]], kw["layers"]
        width = max(lengths) if kw["padded_length"] is None else plain(kw["padded_length"])
        if function.__name__ == "valid_mask":
            np.testing.assert_array_equal(result, torch_valid(lengths, layers, width))
            return
        batch = torch_length(width, layers)
        expected = [[t < torch_length(n, layers) for t in range(batch)] for n in lengths]
        np.testing.assert_array_equal(result, np.array(expected, dtype=bool).reshape(len(lengths), batch))

    return make()


# --- porting ------------------------------------------------------------------------------------------------------


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def check_same(result, length: int, kernel: int, stride: int, dilation: int) -> None:
    """TF/Keras/JAX "SAME": ceil(L/stride) outputs, from the fewest zeros, the odd one on the right."""
    left, right = result
    assert left == (left + right) // 2
    if length + dilation * kernel > 2**60:  # past what torch can size: the total of TensorFlow's rule, by hand
        outputs = ceil_div(length, stride)
        assert left + right == max((outputs - 1) * stride + dilation * (kernel - 1) + 1 - length, 0)
        return
    x = F.pad(meta(1, 1, length), (left, right))
    assert F.conv1d(x, meta(1, 1, kernel), stride=stride, dilation=dilation).shape[-1] == ceil_div(length, stride)
    if left + right:  # one zero fewer and the last window no longer fits
        fewer = F.pad(meta(1, 1, length), (left, right - 1))
        count = lambda: F.conv1d(fewer, meta(1, 1, kernel), stride=stride, dilation=dilation).shape[-1]  # noqa: E731
        assert torch_refuses(count) or count() < ceil_div(length, stride)


@case("conv_docs.porting.same_padding")
def same_padding_cases(function):
    def check(result, kw):
        check_same(result, *(plain(kw[name]) for name in ("length", "kernel_size", "stride", "dilation")))

    return st.builds(
        lambda n, k, s, d: Case(function, dict(length=n, kernel_size=k, stride=s, dilation=d), check),
        st.integers(1, 12) | SIZES, st.integers(1, 6) | SIZES, st.integers(1, 4), st.integers(1, 3),
    )  # fmt: skip


@case("conv_docs.porting.keras_padding")
def keras_padding_cases(function):
    def check(result, kw):
        name = kw["padding"].lower()
        length, kernel = plain(kw["length"]), plain(kw["kernel_size"])
        stride, dilation = plain(kw["stride"]), plain(kw["dilation"])
        assert stride == 1 or dilation == 1  # Keras refuses both
        if name == "valid":
            assert tuple(result) == (0, 0)
        elif name == "same":
            check_same(result, length, kernel, stride, dilation)
        else:  # causal: dilation*(kernel_size-1) zeros on the left only (Keras's rule), one output per stride step
            assert tuple(result) == (dilation * (kernel - 1), 0)
            x = F.pad(meta(1, 1, length), result)
            outputs = F.conv1d(x, meta(1, 1, kernel), stride=stride, dilation=dilation).shape[-1]
            assert outputs == ceil_div(length, stride)
            assert F.conv1d(F.pad(meta(1, 1, 1), result), meta(1, 1, kernel), dilation=dilation).shape[-1] == 1

    return st.builds(
        lambda p, n, k, s, d: Case(function, dict(padding=p, length=n, kernel_size=k, stride=s, dilation=d), check),
        st.sampled_from(["valid", "same", "causal", "SAME", "Causal"]), st.integers(1, 12), st.integers(1, 6),
        st.integers(1, 3), st.integers(1, 3),
    )  # fmt: skip


def keras_correlate(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Keras Conv1D, written out: y[t, o] = sum over j, c of x[t + j, c] * kernel[j, c, o], x is (L, C_in)."""
    windows = np.lib.stride_tricks.sliding_window_view(x, kernel.shape[0], axis=0)  # (L_out, C_in, K)
    return np.einsum("tcj,jco->to", windows, kernel)


def keras_depthwise(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Keras DepthwiseConv1D, written out: y[t, c*M + m] = sum over j of x[t + j, c] * kernel[j, c, m]."""
    windows = np.lib.stride_tricks.sliding_window_view(x, kernel.shape[0], axis=0)  # (L_out, C_in, K)
    return np.einsum("tcj,jcm->tcm", windows, kernel).reshape(windows.shape[0], -1)


def signal(length: int, channels: int) -> np.ndarray:
    return np.cos(np.arange(length * channels).reshape(length, channels) * 0.7) + 0.1  # (L, C)


@case(
    "conv_docs.porting.torch_weight_from_keras",
    "conv_docs.porting.keras_kernel_from_torch",
    "conv_docs.porting.torch_weight_from_keras_depthwise",
    "conv_docs.porting.keras_depthwise_kernel_from_torch",
)
def weight_layout_cases(function):
    name = function.__name__
    depthwise = "depthwise" in name
    to_torch = name.startswith("torch_")
    argument = "kernel" if to_torch else "weight"

    @st.composite
    def make(draw):
        k, c, m = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
        # Keras (K, C_in, C_out) or (K, C_in, M); torch (C_out, C_in, K) or (C_in*M, 1, K)
        shape = (k, c, m) if to_torch else (c * m, 1, k) if depthwise else (m, c, k)
        kw = {argument: draw(finite(shape))}
        if name == "keras_depthwise_kernel_from_torch":
            kw["in_channels"] = c
        return Case(function, kw, check, (argument,))

    def check(result, kw):
        given = array(kw[argument])
        torch_weight, keras_kernel = (array(result), given) if to_torch else (given, array(result))
        kernel_size = keras_kernel.shape[0]
        x = signal(kernel_size + 2, keras_kernel.shape[1])
        groups = keras_kernel.shape[1] if depthwise else 1
        ours = (keras_depthwise if depthwise else keras_correlate)(x, keras_kernel)
        expected = F.conv1d(torch.from_numpy(x.T.copy())[None], torch.from_numpy(torch_weight), groups=groups)
        close(ours.T, expected[0].numpy(), x, keras_kernel)

    return make()


def jax_conv_transpose(x: np.ndarray, w: np.ndarray, stride: int, pads: tuple[int, int], dilation: int) -> np.ndarray:
    """``jax.lax.conv_transpose(x, w, (stride,), [pads], rhs_dilation=(dilation,), transpose_kernel=True)`` as JAX
    defines it, written with torch: stride - 1 zeros between the inputs, ``pads`` zeros around (a negative pad
    crops), then the flipped kernel, its channels swapped, slid over that. x is (N, C_in, L), w torch's
    (C_in, C_out, K); an output with no room is empty, as JAX returns it."""
    n, channels, length = x.shape
    stretched = torch.zeros(n, channels, (length - 1) * stride + 1, dtype=torch.float64)
    stretched[..., ::stride] = torch.from_numpy(x)
    before, after = pads
    span = dilation * (w.shape[-1] - 1) + 1
    if stretched.shape[-1] + before + after < span:
        return np.zeros((n, w.shape[1], 0))
    kernel = torch.from_numpy(w[..., ::-1].copy()).transpose(0, 1)
    return F.conv1d(F.pad(stretched, (before, after)), kernel, dilation=dilation).numpy()


def jax_length(length: int, stride: int, pads: tuple[int, int], span: int) -> int:
    return max((length - 1) * stride + 1 + pads[0] + pads[1] - span + 1, 0)


def torch_then_crop(args, x: np.ndarray, w: np.ndarray, stride: int, dilation: int) -> np.ndarray:
    """``args.crop(F.conv_transpose1d(...))``; an output torch refuses (shorter than 1) is taken as empty."""
    try:
        y = F.conv_transpose1d(torch.from_numpy(x), torch.from_numpy(w), None, stride, args.padding,
                               args.output_padding, dilation=dilation)  # fmt: skip
    except RuntimeError:
        return np.zeros((x.shape[0], w.shape[1], 0))
    return args.crop(y).numpy()


def check_transposed_args(args, pads: tuple[int, int], kernel: int, stride: int, dilation: int, lengths) -> None:
    """On each input length: the arguments and the crop give JAX's numbers for the pads (for a kernel or a length
    too large to run, JAX's length: the stretched input, padded, less the kernel's span, plus one)."""
    span = dilation * (kernel - 1) + 1
    if span > 64 or max(lengths) * stride > 10**4:
        for length in lengths:
            torch_length = conv_length(length, kernel, stride, args.padding, dilation, args.output_padding) or 0
            assert max(torch_length - args.trim, 0) == jax_length(length, stride, pads, span)
        return
    for length in lengths:
        x = signal(length, 2).T[np.newaxis].copy()
        w = np.cos(np.arange(2 * kernel).reshape(2, 1, kernel) + 0.3)
        expected = jax_conv_transpose(x, w, stride, pads, dilation)
        assert expected.shape[-1] == jax_length(length, stride, pads, span)
        close(torch_then_crop(args, x, w, stride, dilation), expected, x, w)


@st.composite
def transposed_sizes(draw) -> dict[str, int]:
    stride, dilation = draw(st.sampled_from([(1, 1), (2, 1), (3, 1), (1, 2), (1, 3), (2, 2)]))
    return dict(kernel_size=draw(st.integers(1, 4)), stride=stride, dilation=dilation)


LENGTHS = (1, 2, 3, 5)


@case("conv_docs.porting.transpose_args_from_pads")
def transpose_args_from_pads_cases(function):
    @st.composite
    def make(draw):
        kw = draw(transposed_sizes())
        span = kw["dilation"] * (kw["kernel_size"] - 1) + 1
        kw.update(before=draw(st.integers(0, span)), after=draw(st.integers(0, span + 2)))
        kw["input_length"] = draw(st.none() | st.integers(1, 5))
        return Case(function, kw, check)

    def check(args, kw):
        sizes = [plain(kw[name]) for name in ("kernel_size", "stride", "dilation")]
        lengths = LENGTHS if kw["input_length"] is None else [plain(kw["input_length"])]
        check_transposed_args(args, (plain(kw["before"]), plain(kw["after"])), *sizes, lengths)

    return make()


def keras_deconv_length(length: int, kernel: int, padding: str, output_padding: int | None, stride: int,
                        dilation: int) -> int:  # fmt: skip
    """Keras's ``deconv_output_length`` (keras/src/utils/conv_utils... backend_utils), as written there."""
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        return length * stride + max(kernel - stride, 0) if padding == "valid" else length * stride
    pad = kernel // 2 if padding == "same" else 0
    return (length - 1) * stride + kernel - 2 * pad + output_padding


@st.composite
def keras_transposed(draw) -> dict[str, Any]:
    kw = draw(transposed_sizes())
    kw["padding"] = draw(st.sampled_from(["valid", "same", "SAME"]))
    kw["output_padding"] = draw(st.none() | st.integers(0, kw["stride"] - 1))
    return kw


@case("conv_docs.porting.keras_transpose_pads")
def keras_transpose_pads_cases(function):
    def check(pads, kw):
        kernel, stride, dilation = (plain(kw[name]) for name in ("kernel_size", "stride", "dilation"))
        output_padding = None if kw["output_padding"] is None else plain(kw["output_padding"])
        span = dilation * (kernel - 1) + 1
        for length in LENGTHS:
            expected = keras_deconv_length(length, kernel, kw["padding"].lower(), output_padding, stride, dilation)
            assert jax_length(length, stride, pads, span) == max(expected, 0)

    return keras_transposed().map(lambda kw: Case(function, kw, check))


@case("conv_docs.porting.keras_conv_transpose1d_args")
def keras_conv_transpose1d_args_cases(function):
    @st.composite
    def make(draw):
        kw = draw(keras_transposed())
        kw["input_length"] = draw(st.none() | st.integers(1, 5))
        return Case(function, kw, check)

    def check(args, kw):
        sizes = [plain(kw[name]) for name in ("kernel_size", "stride", "dilation")]
        pads = keras_transpose_pads(sizes[0], sizes[1], kw["padding"], kw["output_padding"], sizes[2])
        lengths = LENGTHS if kw["input_length"] is None else [plain(kw["input_length"])]
        check_transposed_args(args, pads, *sizes, lengths)

    return make()


def jax_pads(span: int, stride: int, padding: str) -> tuple[int, int]:
    """JAX's own padding of conv_transpose for 'SAME' and 'VALID' (jax/_src/lax/convolution.py,
    _conv_transpose_padding), for the dilated kernel's span."""
    if padding == "SAME":
        total = span + stride - 2
        before = span - 1 if stride > span - 1 else math.ceil(total / 2)
    else:
        total = span + stride - 2 + max(span - stride, 0)
        before = span - 1
    return before, total - before


@case("conv_docs.porting.jax_conv_transpose_args")
def jax_conv_transpose_args_cases(function):
    @st.composite
    def make(draw):
        kw = draw(transposed_sizes())
        span = kw["dilation"] * (kw["kernel_size"] - 1) + 1
        kw["padding"] = draw(
            st.sampled_from(["SAME", "VALID"]) | st.tuples(st.integers(0, span), st.integers(0, span + 2))
        )
        kw["input_length"] = draw(st.none() | st.integers(1, 5))
        return Case(function, kw, check)

    def check(args, kw):
        kernel, stride, dilation = (plain(kw[name]) for name in ("kernel_size", "stride", "dilation"))
        span = dilation * (kernel - 1) + 1
        padding = kw["padding"]
        pads = jax_pads(span, stride, padding) if isinstance(padding, str) else tuple(plain(p) for p in padding)
        lengths = LENGTHS if kw["input_length"] is None else [plain(kw["input_length"])]
        check_transposed_args(args, pads, kernel, stride, dilation, lengths)
        if isinstance(padding, str):  # the lengths JAX documents
            for length in lengths:
                expected = length * stride if padding == "SAME" else (length - 1) * stride + max(span, stride)
                x, w = np.ones((1, 1, length)), np.ones((1, 1, kernel))
                assert torch_then_crop(args, x, w, stride, dilation).shape[-1] == expected

    return make()


@case("conv_docs.porting.TransposeArgs")
def transpose_args_record_cases(record):
    """The record's crop, on torch's output of the arguments for a pair of pads, gives JAX's numbers."""

    @st.composite
    def make(draw):
        sizes = draw(transposed_sizes())
        span = sizes["dilation"] * (sizes["kernel_size"] - 1) + 1
        pads = draw(st.integers(0, span - 1)), draw(st.integers(0, span - 1))
        try:
            args = transpose_args_from_pads(*pads, **sizes)
        except ValueError:
            reject()
        length = draw(st.integers(1, 4))
        x = signal(length, 1).T[np.newaxis].copy()
        w = np.cos(np.arange(sizes["kernel_size"]).reshape(1, 1, -1) + 0.3)
        try:
            y = F.conv_transpose1d(torch.from_numpy(x), torch.from_numpy(w), None, sizes["stride"], args.padding,
                                   args.output_padding, dilation=sizes["dilation"])  # fmt: skip
        except RuntimeError:
            reject()
        expected = jax_conv_transpose(x, w, sizes["stride"], pads, sizes["dilation"])
        kw = dict(padding=args.padding, output_padding=args.output_padding, trim=args.trim, y=y)
        return Case(call, kw, lambda result, given: check(result, given, kw, expected), ("y",))

    def call(padding, output_padding, trim, y):
        return record(padding, output_padding, trim).crop(y)

    def check(result, given, valid, expected):
        y, trim = given["y"], given["trim"]
        keep = max(y.shape[-1] - plain(trim), 0)  # the documented rule: the last trim samples cut, at most all
        assert tuple(result.shape) == (*y.shape[:-1], keep)
        if y is valid["y"] and trim is valid["trim"]:
            close(result.numpy(), expected)  # which are JAX's numbers

    return make()


@case("conv_docs.porting.trace_padded_conv1d")
def trace_padded_cases(function):
    @st.composite
    def make(draw):
        c_in, c_out, kernel, length = (draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 4)),
                                       draw(st.integers(1, 6)))  # fmt: skip
        kw = dict(
            input=with_special(draw, draw(real_arrays((c_in, length)))),
            weight=with_special(draw, draw(real_arrays((c_out, c_in, kernel)))),
            padding=(draw(st.integers(0, 3)), draw(st.integers(0, 3))),
            bias=draw(st.none() | real_arrays((c_out,))),
            stride=draw(st.integers(1, 3)),
            dilation=draw(st.integers(1, 3)),
        )
        return Case(function, kw, check, ("input", "weight", "bias"))

    def check(trace, kw):
        x, w = tensor(kw["input"]), tensor(kw["weight"])
        b = None if kw["bias"] is None else tensor(kw["bias"])
        left, right = (plain(p) for p in kw["padding"])
        expected = F.conv1d(F.pad(x[None], (left, right)), w, b, plain(kw["stride"]), dilation=plain(kw["dilation"]))
        close(trace.output, expected[0].numpy(), kw["input"], kw["weight"], 1 if kw["bias"] is None else kw["bias"])

    return make()


# --- overlap ------------------------------------------------------------------------------------------------------


def torch_ones_transposed(length: int, kernel: int, **options: int) -> list[int]:
    ones = torch.ones(1, 1, length, dtype=torch.float64)
    return [
        round(v)
        for v in F.conv_transpose1d(ones, torch.ones(1, 1, kernel, dtype=torch.float64), **options)[0, 0].tolist()
    ]


@case("conv_docs.overlap.overlap_count")
def overlap_count_cases(function):
    @st.composite
    def make(draw):
        stride, dilation = draw(st.integers(1, 4)), draw(st.integers(1, 3))
        kw = dict(length=draw(st.integers(1, 8)), kernel_size=draw(st.integers(1, 5)), stride=stride,
                  padding=draw(st.integers(0, 3)), dilation=dilation,
                  output_padding=draw(st.integers(0, max(stride, dilation) - 1)))  # fmt: skip
        return Case(function, kw, check)

    def check(result, kw):
        sizes = {name: plain(kw[name]) for name in kw}
        length, kernel = sizes.pop("length"), sizes.pop("kernel_size")
        if length * kernel * sizes["stride"] > ORACLE_CELLS:
            assert len(result) == meta_length(length, kernel, **sizes) and max(result) <= kernel
            return
        assert result == torch_ones_transposed(length, kernel, **sizes)

    return make()


@case("conv_docs.overlap.overlap_pattern")
def overlap_pattern_cases(function):
    def check(result, kw):
        kernel, stride, dilation = plain(kw["kernel_size"]), plain(kw["stride"]), plain(kw["dilation"])
        if kernel * stride * dilation > ORACLE_CELLS:
            assert len(result) == stride and sum(result) == kernel
            return
        first = ceil_div(dilation * (kernel - 1), stride) * stride  # from here on, every tap has an input
        counts = torch_ones_transposed(first // stride + 2, kernel, stride=stride, dilation=dilation)
        assert result == counts[first : first + stride]

    return st.builds(
        lambda k, s, d: Case(function, dict(kernel_size=k, stride=s, dilation=d), check),
        st.integers(1, 6), st.integers(1, 5), st.integers(1, 3),
    )  # fmt: skip


@case("conv_docs.overlap.upsample_nearest")
def upsample_cases(function):
    @st.composite
    def make(draw):
        shape = (*draw(st.lists(st.integers(1, 2), min_size=0, max_size=1)), draw(st.integers(1, 2)),
                 draw(st.integers(1, 5)))  # fmt: skip
        return Case(function, dict(input=with_special(draw, draw(real_arrays(shape))), scale=draw(st.integers(1, 4))),
                    check, ("input",))  # fmt: skip

    def check(result, kw):
        x = tensor(kw["input"])
        batch = x if x.ndim == 3 else x[None]
        expected = F.interpolate(batch, size=batch.shape[-1] * plain(kw["scale"]), mode="nearest")
        close(result, (expected if x.ndim == 3 else expected[0]).numpy())

    return make()


@case("conv_docs.overlap.resize_count")
def resize_count_cases(function):
    def check(result, kw):
        length, kernel, scale = plain(kw["length"]), plain(kw["kernel_size"]), plain(kw["scale"])
        padding = kw["padding"]  # torch takes "same" and "valid" as the library does
        padding = kernel // 2 if padding is None else padding if isinstance(padding, str) else plain(padding)
        ones = F.interpolate(torch.ones(1, 1, length, dtype=torch.float64), size=length * scale, mode="nearest")
        expected = F.conv1d(ones, torch.ones(1, 1, kernel, dtype=torch.float64), padding=padding)
        assert result == [round(v) for v in expected[0, 0].tolist()]

    return st.builds(
        lambda n, k, s, p: Case(function, dict(length=n, kernel_size=k, scale=s, padding=p), check),
        st.integers(1, 8), st.integers(1, 5), st.integers(1, 4), st.none() | st.integers(0, 3),
    )  # fmt: skip


# --- streaming ----------------------------------------------------------------------------------------------------


@st.composite
def streaming_layer_kwargs(draw, channels: int) -> dict[str, Any]:
    c_out, kernel = draw(st.integers(1, 2)), draw(st.integers(1, 4))
    return dict(weight=draw(finite((c_out, channels, kernel))), bias=draw(st.none() | finite((c_out,))),
                stride=draw(st.integers(1, 3)), dilation=draw(st.integers(1, 3)))  # fmt: skip


@st.composite
def chunks(draw, channels: int) -> dict[str, np.ndarray]:
    batch = draw(st.sampled_from([(), (2,)]))
    return {name: with_special(draw, draw(real_arrays((*batch, channels, draw(st.integers(0, 5))))))
            for name in CHUNKS}  # fmt: skip


def torch_streamed(layers: list[dict[str, Any]], whole: np.ndarray) -> np.ndarray | None:
    """The causal convolutions of the whole signal, one after the other; None when there is no output."""
    h = torch.from_numpy(whole if whole.ndim == 3 else whole[None])
    for kw in layers:
        if h.shape[-1] == 0:
            return None
        w, dilation = tensor(kw["weight"]), plain(kw["dilation"])
        b = None if kw["bias"] is None else tensor(kw["bias"])
        h = F.conv1d(F.pad(h, (dilation * (w.shape[-1] - 1), 0)), w, b, plain(kw["stride"]), dilation=dilation)
    return (h if whole.ndim == 3 else h[0]).numpy()


def streamed(layer, kw: dict[str, Any]) -> np.ndarray:
    return np.concatenate([layer(kw[name]) for name in CHUNKS], axis=-1)


CHUNKS = ("chunk_a", "chunk_b", "chunk_c")


def check_streamed(result, kw: dict[str, Any], layers: list[dict[str, Any]]) -> None:
    whole = np.concatenate([array(kw[name]) for name in CHUNKS], axis=-1)
    expected = torch_streamed(layers, whole)
    if expected is None:
        assert result.shape[-1] == 0
    else:
        close(result, expected, whole, *(layer["weight"] for layer in layers))


@case("conv_docs.streaming.StreamingConv1d")
def streaming_cases(record):
    @st.composite
    def make(draw):
        channels = draw(st.integers(1, 2))
        kw = {**draw(streaming_layer_kwargs(channels)), **draw(chunks(channels))}
        return Case(call, kw, lambda result, kw: check_streamed(result, kw, [kw]), ("weight", "bias", *CHUNKS))

    def call(weight, bias, stride, dilation, **chunks_):
        return streamed(record(weight, bias, stride, dilation), chunks_)

    return make()


@case("conv_docs.streaming.StreamingStack")
def streaming_stack_cases(record):
    @st.composite
    def make(draw):
        layers, channels = [], draw(st.integers(1, 2))
        for _ in range(draw(st.integers(1, 3))):
            layers.append(draw(streaming_layer_kwargs(channels)))
            channels = layers[-1]["weight"].shape[0]
        kw = dict(layers=layers, **draw(chunks(layers[0]["weight"].shape[1])))
        return Case(call, kw, lambda result, kw: check_streamed(result, kw, kw["layers"]), CHUNKS)

    def call(layers, **chunks_):
        if isinstance(layers, list) and all(isinstance(kw, dict) for kw in layers):
            layers = [StreamingConv1d(**kw) for kw in layers]
        return streamed(record(layers), chunks_)

    return make()


# --- stacks of layers (conv_docs.stack), against tests/stack_cases.py's torch oracles ------------------------------


def stack_spec(layer) -> Spec:
    """The torch module's (kind, kwargs) of an accepted StackLayer, from its fields as the library normalised them."""
    if layer.kind in STACK_PADS:
        return layer.kind, dict(
            padding=tuple(layer.padding), **({"value": 0.0} if layer.kind == "ConstantPad1d" else {})
        )
    names = ["kernel_size", "stride", "padding"]
    if layer.kind in ("MaxPool1d", "AvgPool1d"):
        names += ["ceil_mode"] + (["dilation"] if layer.kind == "MaxPool1d" else [])
    else:
        names += ["dilation", "in_channels", "out_channels", "groups", "bias"]
        names += ["output_padding"] if layer.kind == "ConvTranspose1d" else ["padding_mode"]
    return layer.kind, {name: getattr(layer, name) for name in names}


STACK_PADS = ("ConstantPad1d", "ZeroPad1d", "ReflectionPad1d", "ReplicationPad1d", "CircularPad1d")


def stack_layer_kwargs(spec: Spec) -> dict[str, Any]:
    kind, kwargs = spec
    return {"kind": kind, **{name: value for name, value in kwargs.items() if name != "value"}}


def torch_multiply_adds(spec: Spec, length: int, out: int) -> int:
    """Multiply-adds for one example, from torch's FLOP count of the module (two FLOPs each)."""
    kind, kwargs = spec
    if kind not in ("Conv1d", "ConvTranspose1d"):
        return 0
    weight = stack_cases.module(spec).weight.shape
    shapes = [1, kwargs["in_channels"], length], list(weight), [1, kwargs["out_channels"], out]
    return conv_flop_count(*shapes, transposed=kind == "ConvTranspose1d") // 2


def torch_stack_lengths(specs: list[Spec], length: Any) -> list[int]:
    """The input length and the length after each layer, running the modules (an empty input too, which a padding
    layer takes); the library accepted the call, so torch must run it."""
    assert not isinstance(length, bool) and plain(length) >= 0, f"accepted an input length of {length!r}"
    lengths = stack_cases.torch_lengths(specs, plain(length))
    assert lengths is not None, f"accepted a stack that torch refuses on {length} samples"
    return [plain(length), *lengths]


stack_specs = st.randoms(use_true_random=False).map(lambda rng: stack_cases.random_stack(rng))
STACK_LENGTHS = st.integers(1, 12)


def stack_of(specs: list[Spec]) -> list:
    return [StackLayer(**stack_layer_kwargs(spec)) for spec in specs]


@case("conv_docs.stack.StackLayer")
def stack_layer_cases(record):
    def check(layer, kw):
        spec = stack_spec(layer)
        assert layer.kind == kw["kind"]
        for name, value in kw.items():  # what was given, as torch takes it (None: torch's default)
            if name not in ("kind", "padding", "padding_mode", "bias", "ceil_mode") and value is not None:
                assert getattr(layer, name) == plain(value), name
        assert layer.params() == stack_cases.torch_params(spec)
        for length in (1, 3, 8):
            lengths = stack_cases.torch_lengths([spec], length, kw.get("in_channels") or 1)
            assert (lengths is None) == (refusal(layer, length) is not None), (length, lengths)
            if lengths:
                assert layer.output_length(length) == lengths[0]
                assert layer.multiplications(length, lengths[0]) == torch_multiply_adds(spec, length, lengths[0])

    return st.randoms(use_true_random=False).map(
        lambda rng: Case(record, stack_layer_kwargs(stack_cases.random_layer(rng, rng.randint(1, 2))), check)
    )


@case("conv_docs.stack.pool_output_length")
def pool_output_length_cases(function):
    @st.composite
    def make(draw):
        kernel = draw(st.integers(1, 5))
        kw = dict(length=draw(st.integers(1, 9)), kernel_size=kernel, stride=draw(st.integers(1, 3)),
                  padding=draw(st.integers(0, kernel // 2)), dilation=draw(st.integers(1, 2)),
                  ceil_mode=draw(st.booleans()))  # fmt: skip
        return Case(function, kw, check)

    def check(result, kw):
        length, kernel, stride, padding, dilation = (
            plain(kw[name]) for name in ("length", "kernel_size", "stride", "padding", "dilation")
        )
        x = torch.zeros(1, 1, length, dtype=torch.float64)
        pool = lambda: F.max_pool1d(x, kernel, stride, padding, dilation, bool(kw["ceil_mode"]))  # noqa: E731
        assert result < 1 if torch_refuses(pool) else result == pool().shape[-1]

    return make()


@case("conv_docs.stack.check_stack")
def check_stack_cases(function):
    def check(result, kw):
        assert result == list(kw["layers"])

    return stack_specs.map(lambda specs: Case(function, dict(layers=stack_of(specs)), check))


@case("conv_docs.stack.stack_lengths")
def stack_lengths_cases(function):
    def check(result, kw):
        assert result == torch_stack_lengths([stack_spec(layer) for layer in kw["layers"]], kw["input_length"])

    return st.builds(
        lambda specs, n: Case(function, dict(layers=stack_of(specs), input_length=n), check),
        stack_specs, st.integers(1, 50),
    )  # fmt: skip


@case("conv_docs.stack.refusal", "conv_docs.stack.unread")
def one_layer_cases(function):
    def check(result, kw):
        spec, length = stack_spec(kw["layer"]), kw["length"]
        assert not isinstance(length, bool) and plain(length) >= 1, f"accepted a length of {length!r}"
        length = plain(length)
        runs = stack_cases.torch_lengths([spec], length) is not None
        if function.__name__ == "refusal":
            assert (result is None) == runs, result
        elif runs:
            assert result == stack_cases.torch_unread(spec, length)

    return st.builds(
        lambda specs, n: Case(function, dict(layer=stack_of(specs)[0], length=n), check),
        stack_specs, STACK_LENGTHS,
    )  # fmt: skip


def in_place(specs: list[Spec]) -> bool:
    """No transposed layer and no padding that copies: what fields_by_windows takes."""
    return all(kind != "ConvTranspose1d" and kw.get("padding_mode", "zeros") == "zeros" and kind not in STACK_PADS[2:]
               for kind, kw in specs)  # fmt: skip


@case(
    "conv_docs.stack.receptive_fields",
    "conv_docs.stack.fields_on",
    "conv_docs.stack.fields_by_windows",
    "conv_docs.stack.field_length",
)
def stack_fields_cases(function):
    def check(result, kw):
        specs, length = [stack_spec(layer) for layer in kw["layers"]], kw["input_length"]
        length = torch_stack_lengths(specs, length)[0]
        if length > 64:  # too long to follow every output's gradient: the shape of the answer alone
            assert 1 <= result <= length if isinstance(result, int) else len(result) == len(specs)
            return
        expected = stack_cases.torch_fields(specs, length)
        if function.__name__ == "field_length":  # a length with the same fields, at most the given one
            assert 1 <= result <= length and stack_cases.torch_fields(specs, result) == expected
        else:
            assert result == expected

    def specs_for(specs):
        return [spec for spec in specs if in_place([spec])] or [("Conv1d", dict(in_channels=1, out_channels=1,
                                                                                  kernel_size=2))]  # fmt: skip

    windows = function.__name__ == "fields_by_windows"
    return st.builds(
        lambda specs, n: Case(function, dict(layers=stack_of(specs_for(specs) if windows else specs),
                                             input_length=n), check),
        stack_specs, st.integers(1, 40),
    )  # fmt: skip


@case("conv_docs.stack.period")
def period_cases(function):
    def check(result, kw):
        """Shifting a long input by a samples adds b outputs at the end, as torch runs the stack."""
        a, b = result
        specs = [stack_spec(layer) for layer in kw["layers"]]
        assert specs, "accepted an empty stack"
        before, after = stack_cases.torch_lengths(specs, 300), stack_cases.torch_lengths(specs, 300 + a)
        if before is not None and after is not None:
            assert after[-1] - before[-1] == b

    return stack_specs.map(lambda specs: Case(function, dict(layers=stack_of(specs)), check))


@case("conv_docs.stack.measure_stack", "conv_docs.stack.LayerRow", "conv_docs.stack.StackReport")
def measure_stack_cases(function):
    """measure_stack's report; the LayerRow and StackReport records as it builds them, with their JSON and table."""
    from conv_docs.stack import measure_stack

    def call(layers, input_length, notes=()):
        report = measure_stack(layers, input_length, notes)
        return report, report.to_dict(), report.table()

    def check(result, kw):
        report, data, table = result
        specs = [stack_spec(layer) for layer in kw["layers"]]
        lengths = torch_stack_lengths(specs, kw["input_length"])
        length = lengths[0]
        if length > 64:  # too long to follow every output's gradient
            assert [row.out_length for row in report.rows] == lengths[1:]
            return
        fields = stack_cases.torch_fields(specs, length)
        jump = Fraction(1)
        for number, (row, spec) in enumerate(zip(report.rows, specs, strict=True)):
            kind, kwargs = spec
            step = Fraction(1) if kind in STACK_PADS else Fraction(kwargs["stride"])
            jump = jump / step if kind == "ConvTranspose1d" else jump * step
            assert (row.in_length, row.out_length) == (lengths[number], lengths[number + 1])
            assert row.receptive_field == fields[number] and row.jump == jump
            assert row.params == stack_cases.torch_params(spec)
            assert row.multiplications == torch_multiply_adds(spec, row.in_length, row.out_length)
            assert row.unread == stack_cases.torch_unread(spec, row.in_length)
            assert row.layer.describe() in table
        assert data["out_length"] == lengths[-1] and data["receptive_field"] == fields[-1]
        assert [layer["out_length"] for layer in data["layers"]] == lengths[1:]
        assert tuple(report.notes) == tuple(kw["notes"])

    return st.builds(
        lambda specs, n, notes: Case(call, dict(layers=stack_of(specs), input_length=n, notes=notes), check),
        stack_specs, st.integers(1, 30), st.lists(st.text(max_size=5), max_size=2),
    )  # fmt: skip


@case("conv_docs.stack.fraction_text")
def fraction_text_cases(function):
    def check(result, kw):
        assert Fraction(result) == kw["value"]

    return st.fractions(max_denominator=300).map(lambda value: Case(function, dict(value=value), check))


@case("conv_docs.stack.inputs_of")
def inputs_of_cases(function):
    def check(result, kw):
        specs = stack_cases.one_channel([stack_spec(layer) for layer in kw["layers"]])
        length, position = torch_stack_lengths(specs, kw["input_length"])[0], plain(kw["position"])
        x = torch.ones(1, 1, length, dtype=torch.float64, requires_grad=True)
        stack_cases.gradient_net(specs)(x)[0, :, position].sum().backward()
        assert result == torch.nonzero(x.grad[0, 0]).flatten().tolist()

    return st.builds(
        lambda specs, n, t: Case(function, dict(layers=stack_of(specs), input_length=n, position=t), check),
        stack_specs, st.integers(1, 30), st.integers(0, 4),
    )  # fmt: skip


# --- the inverse questions (conv_docs.solve) -----------------------------------------------------------------------


@case("conv_docs.solve.paddings_for_length", "conv_docs.solve.PaddingAnswer")
def paddings_for_length_cases(function):
    """The paddings that give the wanted length are exactly those with which torch gives it; the nearest lengths
    are torch's. PaddingAnswer: the record paddings_for_length returns, and its sentence."""
    from conv_docs.solve import paddings_for_length

    def call(**kw):
        answer = paddings_for_length(**kw)
        return answer, answer.sentence()

    def check(result, kw):
        answer, sentence = result
        sizes = [plain(kw[name]) for name in ("input_length", "kernel_size", "stride")]
        transposed = kw["transposed"]
        assert isinstance(transposed, bool), f"accepted transposed={transposed!r}"
        output_padding = plain(kw["output_padding"]) if transposed else None

        def torch_length(padding: int) -> int | None:
            return conv_length(*sizes, padding, plain(kw["dilation"]), output_padding)

        wanted, paddings = plain(kw["wanted"]), answer.paddings
        # torch's length moves one way as the padding grows, so the paddings that give it are one run: each gives
        # it, and the paddings just outside the run do not
        if paddings:
            assert paddings == tuple(range(paddings[0], paddings[-1] + 1))
            assert all(torch_length(p) == wanted for p in paddings)
            assert all(torch_length(p) != wanted for p in (paddings[0] - 1, paddings[-1] + 1) if p >= 0)
        else:  # the nearest: neighbouring paddings, torch's lengths, on either side of the wanted one
            for padding, length in answer.nearest:
                assert torch_length(padding) == length != wanted
            around = sorted(answer.nearest)
            assert around and around[-1][0] - around[0][0] <= 1
            if len(around) == 2:
                assert min(around[0][1], around[1][1]) < wanted < max(around[0][1], around[1][1])
        assert str(wanted) in sentence and all(f"padding={p}" in sentence for p in answer.paddings)

    @st.composite
    def make(draw):
        stride, dilation = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        kw = dict(input_length=draw(st.integers(1, 40)), wanted=draw(st.integers(1, 50)),
                  kernel_size=draw(st.integers(1, 5)), stride=stride, dilation=dilation, transposed=draw(st.booleans()),
                  output_padding=draw(st.integers(0, max(stride, dilation) - 1)))  # fmt: skip
        return Case(call, kw, check)

    return make()


@case("conv_docs.solve.mirror_output_padding")
def mirror_output_padding_cases(function):
    def check(result, kw):
        length, kernel, stride, dilation = (plain(kw[n]) for n in ("input_length", "kernel_size", "stride", "dilation"))
        module = torch.nn.Conv1d(1, 1, kernel, stride, padding_of(kw["padding"]), dilation, device="meta")
        left, right = module._reversed_padding_repeated_twice
        assert left == right
        shorter = conv_length(length, kernel, stride, left, dilation)
        assert conv_length(shorter, kernel, stride, left, dilation, output_padding=result) == length

    return st.builds(
        lambda n, k, s, p, d: Case(function, dict(input_length=n, kernel_size=k, stride=s, padding=p, dilation=d),
                                   check),
        st.integers(1, 40), st.integers(1, 5), st.integers(1, 3),
        st.integers(0, 3) | st.sampled_from(["valid", "same"]), st.integers(1, 3),
    )  # fmt: skip


@case("conv_docs.solve.mirror_stack")
def mirror_stack_cases(function):
    def check(result, kw):
        specs = [stack_spec(layer) for layer in kw["layers"]]
        lengths = torch_stack_lengths(specs, kw["input_length"])
        mirror = [stack_spec(layer) for layer in result]
        back = stack_cases.torch_lengths(mirror, lengths[-1], mirror[0][1].get("in_channels") or 1)
        assert back is not None and back[-1] == lengths[0], (lengths, back)

    return st.builds(
        lambda specs, n: Case(function, dict(layers=stack_of(specs), input_length=n), check),
        stack_specs, st.integers(1, 60),
    )  # fmt: skip


# --- the property, over every case registered above -------------------------------------------------------------


def test_every_public_function_has_a_case() -> None:
    missing = sorted(set(PUBLIC) - set(CASES))
    assert not missing, f"public functions without a case in tests/test_edges.py CASES: {missing}"
    assert len(PUBLIC) >= 45  # the introspection finds the package's functions


@pytest.mark.parametrize("name", sorted(set(CASES) & set(PUBLIC)))
@EACH
@given(data=st.data())
def test_a_call_is_refused_clearly_or_equals_torch(name: str, data, count_example) -> None:
    count_example()
    example = data.draw(CASES[name](PUBLIC[name]), label="case")
    kwargs = dict(example.kwargs)
    where = data.draw(st.sampled_from([None] * len(kwargs) + sorted(kwargs)), label="junk goes to")
    if where is not None:
        kwargs[where] = data.draw(st.sampled_from(JUNK_ARRAYS) | junk if where in example.arrays else junk, label=where)
    try:
        result = example.call(**kwargs)
    except (ValueError, TypeError) as error:
        message = str(error)
        assert message, "an error without a message"
        assert "\n" not in message and len(message) <= 400, f"not one short line: {message!r}"
        return
    example.check(result, kwargs)
