"""Porting rules, checked against the real libraries: Keras 3 (on JAX), JAX, NumPy and SciPy, with torch in float64.

tests/conftest.py sets KERAS_BACKEND=jax and JAX_ENABLE_X64=1 before anything imports them. JAX compiles once per
shape, so the tests that call JAX or Keras keep their examples few (``max_examples`` below) and their shapes small.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys

import jax
import keras
import numpy as np
import pytest
import scipy.signal
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from conv_docs.matrix import numpy_mode_padding
from conv_docs.params import resolve_padding
from conv_docs.porting import (
    TransposeArgs,
    jax_conv_transpose_args,
    keras_conv_transpose1d_args,
    keras_depthwise_kernel_from_torch,
    keras_kernel_from_torch,
    keras_padding,
    keras_transpose_pads,
    same_padding,
    torch_weight_from_keras,
    torch_weight_from_keras_depthwise,
    trace_padded_conv1d,
    transpose_args_from_pads,
)

TOL = {"rtol": 1e-10, "atol": 1e-10}
FEW = settings(max_examples=12)  # every new shape is a new JAX compilation (about 20-40 ms each)

small = st.integers(-9, 9).map(float)


def numbers(draw, shape: tuple[int, ...]) -> np.ndarray:
    count = math.prod(shape)
    return np.array(draw(st.lists(small, min_size=count, max_size=count)), dtype=np.float64).reshape(shape)


def torch_conv(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, left: int, right: int, **kwargs) -> np.ndarray:
    """The PyTorch recipe the page teaches: F.pad, then F.conv1d, all in float64."""
    bias = None if b is None else torch.from_numpy(b)
    return F.conv1d(F.pad(torch.from_numpy(x), (left, right)), torch.from_numpy(w), bias, **kwargs).numpy()


def test_the_environment_is_jax_in_float64() -> None:
    assert keras.backend.backend() == "jax"
    assert jax.config.jax_enable_x64
    assert jax.numpy.asarray(1.0).dtype == np.float64


def test_keras_on_jax_convolves_with_conv_general_dilated() -> None:
    import inspect

    from keras.src.backend.jax import nn

    assert "jax.lax.conv_general_dilated" in inspect.getsource(nn.conv)


def fresh_python(code: str, tmp_path, **environment: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a new Python with a home of its own (no ~/.keras) and without the set-up of this test run."""
    env = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND", "JAX_ENABLE_X64")}
    env.update(HOME=str(tmp_path), **environment)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)


def test_keras_takes_tensorflow_without_a_backend_and_keeps_the_first_one(tmp_path) -> None:
    """The index page's first trap, in fresh processes (this one has Keras on JAX already)."""
    found = fresh_python("import keras", tmp_path)
    assert found.returncode != 0 and "No module named 'tensorflow'" in found.stderr  # TensorFlow is not installed
    assert '"backend": "tensorflow"' in (tmp_path / ".keras" / "keras.json").read_text()  # what Keras wrote
    (tmp_path / ".keras" / "keras.json").write_text('{"backend": "jax"}')
    code = "import os, keras; os.environ['KERAS_BACKEND'] = 'torch'; print(keras.backend.backend())"
    chosen = fresh_python(code, tmp_path)
    assert chosen.stdout.split() == ["jax"], chosen.stderr  # from keras.json; setting the variable later: no change


def test_jax_computes_in_float32_without_x64(tmp_path) -> None:
    code = (
        "import jax, jax.numpy as jnp, numpy as np; print(jnp.asarray(np.ones(3)).dtype); "
        "jax.config.update('jax_enable_x64', True); print(jnp.asarray(np.ones(3)).dtype)"
    )
    assert fresh_python(code, tmp_path).stdout.split() == ["float32", "float64"]


@pytest.mark.parametrize(("c_in", "c_out", "k", "groups"), [(16, 32, 5, 1), (4, 8, 3, 2), (1, 1, 9, 1)])
def test_default_initialisations(c_in: int, c_out: int, k: int, groups: int) -> None:
    """PyTorch: weight and bias in U(-1/sqrt(fan_in), 1/sqrt(fan_in)); Keras: Glorot-uniform kernel, zero bias."""
    fan_in, fan_out = c_in // groups * k, c_out * k
    torch_layer = torch.nn.Conv1d(c_in, c_out, k, groups=groups)
    assert torch_layer.weight.abs().max() <= 1 / math.sqrt(fan_in)
    assert torch_layer.bias.abs().max() <= 1 / math.sqrt(fan_in) and torch_layer.bias.abs().min() > 0
    keras_layer = keras.layers.Conv1D(c_out, k, groups=groups, dtype="float64")
    keras_layer.build((1, 50, c_in))
    assert np.abs(np.asarray(keras_layer.kernel.value)).max() <= math.sqrt(6 / (fan_in + fan_out))
    assert not np.asarray(keras_layer.bias.value).any()
    many = torch.nn.Conv1d(64, 64, 9).weight.abs().max() * math.sqrt(64 * 9)  # 36864 draws: close to the bound
    assert 0.99 < many <= 1


# --- "SAME" ----------------------------------------------------------------------------------------------------------

lengths, kernels, strides, dilations = st.integers(1, 12), st.integers(1, 5), st.integers(1, 4), st.integers(1, 3)


@given(length=lengths, kernel=kernels, stride=strides, dilation=dilations)
def test_same_padding_is_jax_same(length: int, kernel: int, stride: int, dilation: int, count_example) -> None:
    count_example()
    left, right = same_padding(length, kernel, stride, dilation)
    span = dilation * (kernel - 1) + 1
    # JAX's own rule for "SAME" (the one conv_general_dilated and Keras call), taken from the library
    assert [(left, right)] == jax.lax.padtype_to_pads((length,), (span,), (stride,), "SAME")
    # and by hand: ceil(L / s) outputs, the odd zero on the right
    assert (length + left + right - span) // stride + 1 == math.ceil(length / stride)
    assert right - left in (0, 1)


@given(length=lengths, kernel=kernels, dilation=dilations)
def test_same_padding_with_stride_1_is_torch_same(length: int, kernel: int, dilation: int, count_example) -> None:
    count_example()
    assert same_padding(length, kernel, dilation=dilation) == resolve_padding("same", kernel, dilation)


def test_same_padding_with_stride_2_is_often_one_sided() -> None:
    one_sided = [length for length in range(1, 11) if len(set(same_padding(length, 3, stride=2))) == 2]
    assert one_sided == [2, 4, 6, 8, 10]  # even lengths: total 1, by hand (ceil(L/2)-1)*2 + 3 - L = 1


@st.composite
def jax_configs(draw):
    kernel, stride, dilation = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    length = draw(st.integers(1, 7))
    groups = draw(st.integers(1, 2))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups
    x = numbers(draw, (1, c_in, length))
    w = numbers(draw, (c_out, c_in // groups, kernel))
    return x, w, stride, dilation, groups, draw(st.sampled_from(["SAME", "VALID"]))


@FEW
@given(config=jax_configs())
def test_jax_conv_general_dilated_is_pad_then_conv1d(config, count_example) -> None:
    count_example()
    x, w, stride, dilation, groups, padding = config
    left, right = same_padding(x.shape[-1], w.shape[-1], stride, dilation) if padding == "SAME" else (0, 0)
    if (x.shape[-1] + left + right - dilation * (w.shape[-1] - 1) - 1) < 0:
        return  # no output at all: torch refuses, JAX returns an empty array
    # the default dimension_numbers of conv_general_dilated are torch's: (N, C, L) data, (C_out, C_in/groups, K)
    ours = jax.lax.conv_general_dilated(x, w, (stride,), padding, rhs_dilation=(dilation,), feature_group_count=groups)
    expected = torch_conv(x, w, None, left, right, stride=stride, dilation=dilation, groups=groups)
    np.testing.assert_allclose(np.asarray(ours), expected, **TOL)


# --- Keras Conv1D, DepthwiseConv1D, SeparableConv1D ------------------------------------------------------------------


@st.composite
def keras_configs(draw):
    padding = draw(st.sampled_from(["valid", "same"]))
    kernel, length = draw(st.integers(1, 4)), draw(st.integers(4, 7))
    stride, dilation = draw(st.sampled_from([(1, 1), (2, 1), (3, 1), (1, 2), (1, 3)]))
    groups = draw(st.integers(1, 2))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    x = numbers(draw, (2, c_in, length))
    w = numbers(draw, (c_out, c_in // groups, kernel))
    return padding, x, w, stride, dilation, groups, draw(st.booleans())


@FEW
@given(config=keras_configs())
def test_keras_conv_is_pad_then_conv1d(config, count_example) -> None:
    """keras.ops.conv is what Conv1D calls (the layer adds its bias, and pads "causal" itself: see below)."""
    count_example()
    padding, x, w, stride, dilation, groups, channels_first = config
    left, right = keras_padding(padding, x.shape[-1], w.shape[-1], stride, dilation)
    if x.shape[-1] + left + right < dilation * (w.shape[-1] - 1) + 1:
        return  # the kernel is longer than the padded input: no output
    data = x if channels_first else x.transpose(0, 2, 1)  # (N, C, L) -> (N, L, C)
    out = keras.ops.conv(data, keras_kernel_from_torch(w), stride, padding, dilation_rate=dilation,
                         data_format="channels_first" if channels_first else "channels_last")  # fmt: skip
    out = np.asarray(out) if channels_first else np.asarray(out).transpose(0, 2, 1)
    expected = torch_conv(x, w, None, left, right, stride=stride, dilation=dilation, groups=groups)
    np.testing.assert_allclose(out, expected, **TOL)


@FEW
@given(data=st.data())
def test_keras_depthwise_conv_is_torch_groups(data, count_example) -> None:
    count_example()
    c_in, multiplier, kernel = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 2)), data.draw(st.integers(1, 3))
    stride, padding = data.draw(st.integers(1, 2)), data.draw(st.sampled_from(["valid", "same"]))
    x = numbers(data.draw, (2, 6, c_in))  # Keras's (N, L, C)
    kernel_keras = numbers(data.draw, (kernel, c_in, multiplier))
    w = torch_weight_from_keras_depthwise(kernel_keras)
    assert w.shape == (c_in * multiplier, 1, kernel)
    left, right = keras_padding(padding, 6, kernel, stride)
    expected = torch_conv(x.transpose(0, 2, 1), w, None, left, right, stride=stride, groups=c_in)
    out = keras.ops.depthwise_conv(x, kernel_keras, stride, padding)
    np.testing.assert_allclose(np.asarray(out).transpose(0, 2, 1), expected, **TOL)
    np.testing.assert_array_equal(keras_depthwise_kernel_from_torch(w, c_in), kernel_keras)


# The layers themselves, a few configurations each: building a Keras layer costs far more than calling it.
LAYER_CASES = [
    ("causal", 3, 1, 2, 2, "channels_last"),  # padding, kernel, stride, dilation, groups, data_format
    ("same", 4, 2, 1, 1, "channels_first"),
]  # the page's fences build more: valid, same with stride 2, causal with dilation, depthwise, separable


@pytest.mark.parametrize(("padding", "kernel", "stride", "dilation", "groups", "data_format"), LAYER_CASES)
def test_keras_conv1d_layer(padding: str, kernel: int, stride: int, dilation: int, groups: int, data_format: str):
    rng = np.random.default_rng(kernel)
    x = rng.standard_normal((2, 4, 9))  # (N, C, L)
    w, b = rng.standard_normal((6, 4 // groups, kernel)), rng.standard_normal(6)
    layer = keras.layers.Conv1D(6, kernel, strides=stride, padding=padding, dilation_rate=dilation, groups=groups,
                                data_format=data_format, dtype="float64")  # fmt: skip
    data = x if data_format == "channels_first" else x.transpose(0, 2, 1)
    layer.build(data.shape)
    layer.set_weights([keras_kernel_from_torch(w), b])
    out = np.asarray(layer(data))
    out = out if data_format == "channels_first" else out.transpose(0, 2, 1)
    left, right = keras_padding(padding, 9, kernel, stride, dilation)
    expected = torch_conv(x, w, b, left, right, stride=stride, dilation=dilation, groups=groups)
    np.testing.assert_allclose(out, expected, **TOL)
    np.testing.assert_array_equal(torch_weight_from_keras(np.asarray(layer.kernel.value)), w)  # and back


def test_keras_depthwise_conv1d_layer() -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 7, 3))  # (N, L, C)
    layer = keras.layers.DepthwiseConv1D(3, strides=2, padding="same", depth_multiplier=2, dtype="float64")
    layer.build(x.shape)
    kernel, bias = rng.standard_normal((3, 3, 2)), rng.standard_normal(6)
    layer.set_weights([kernel, bias])
    left, right = same_padding(7, 3, stride=2)
    expected = torch_conv(x.transpose(0, 2, 1), torch_weight_from_keras_depthwise(kernel), bias, left, right,
                          stride=2, groups=3)  # fmt: skip
    np.testing.assert_allclose(np.asarray(layer(x)).transpose(0, 2, 1), expected, **TOL)


def test_keras_depthwise_conv1d_accepts_stride_with_dilation() -> None:
    """Unlike Conv1D: the page tells readers to use same_padding there, so check that it holds."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((1, 11, 2))
    layer = keras.layers.DepthwiseConv1D(3, strides=2, dilation_rate=2, padding="same", dtype="float64")
    layer.build(x.shape)
    kernel, bias = rng.standard_normal((3, 2, 1)), rng.standard_normal(2)
    layer.set_weights([kernel, bias])
    left, right = same_padding(11, 3, stride=2, dilation=2)
    expected = torch_conv(x.transpose(0, 2, 1), torch_weight_from_keras_depthwise(kernel), bias, left, right,
                          stride=2, dilation=2, groups=2)  # fmt: skip
    np.testing.assert_allclose(np.asarray(layer(x)).transpose(0, 2, 1), expected, **TOL)


def test_keras_separable_conv1d_is_depthwise_then_pointwise() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 9, 3))
    layer = keras.layers.SeparableConv1D(4, 3, strides=2, padding="same", depth_multiplier=2, dtype="float64")
    layer.build(x.shape)
    depthwise, pointwise = rng.standard_normal((3, 3, 2)), rng.standard_normal((1, 6, 4))
    bias = rng.standard_normal(4)
    layer.set_weights([depthwise, pointwise, bias])
    left, right = same_padding(9, 3, stride=2)
    inner = torch_conv(x.transpose(0, 2, 1), torch_weight_from_keras_depthwise(depthwise), None, left, right, stride=2,
                       groups=3)  # fmt: skip
    expected = torch_conv(inner, torch_weight_from_keras(pointwise), bias, 0, 0)
    np.testing.assert_allclose(np.asarray(layer(x)).transpose(0, 2, 1), expected, **TOL)


# --- transposed ------------------------------------------------------------------------------------------------------


def torch_transposed(
    x: np.ndarray, w: np.ndarray, b: np.ndarray | None, args: TransposeArgs, stride: int, dilation: int
):
    bias = None if b is None else torch.from_numpy(b)
    y = F.conv_transpose1d(torch.from_numpy(x), torch.from_numpy(w), bias, stride, args.padding, args.output_padding,
                           dilation=dilation)  # fmt: skip
    return y[..., : y.shape[-1] - args.trim].numpy()


@st.composite
def transpose_configs(draw):
    kernel, length = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride, dilation = draw(st.sampled_from([(1, 1), (2, 1), (3, 1), (1, 2)]))
    padding = draw(st.sampled_from(["valid", "same"]))
    output_padding = draw(st.none() | st.integers(0, stride - 1))
    c_in, c_out = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    x = numbers(draw, (1, c_in, length))
    w = numbers(draw, (c_in, c_out, kernel))
    return x, w, stride, dilation, padding, output_padding


@FEW
@given(config=transpose_configs())
def test_keras_conv_transpose_is_conv_transpose1d(config, count_example) -> None:
    """keras.ops.conv_transpose is what Conv1DTranspose calls (then it adds the bias)."""
    count_example()
    x, w, stride, dilation, padding, output_padding = config
    kernel = keras_kernel_from_torch(w)  # torch (C_in, C_out, K) -> Keras (K, C_out, C_in): the same swap
    assert kernel.shape == (w.shape[-1], w.shape[1], w.shape[0])
    out = keras.ops.conv_transpose(x.transpose(0, 2, 1), kernel, stride, padding, output_padding,
                                   dilation_rate=dilation)  # fmt: skip
    args = keras_conv_transpose1d_args(w.shape[-1], stride, padding, output_padding, dilation)
    if out.shape[1] == 0:  # "same", one input, an even kernel, no output_padding: (1-1)*s + K%2 + 0 = 0 outputs
        with pytest.raises(RuntimeError, match="Output size is too small"):
            torch_transposed(x, w, None, args, stride, dilation)  # torch refuses what Keras leaves empty
        return
    np.testing.assert_allclose(np.asarray(out).transpose(0, 2, 1), torch_transposed(x, w, None, args, stride, dilation),
                               **TOL)  # fmt: skip


@pytest.mark.parametrize(
    ("kernel", "stride", "padding", "output_padding", "dilation"),
    [(4, 2, "same", None, 1), (2, 3, "valid", None, 1), (3, 1, "same", None, 2)],  # (3, 2, "same", 1): the page
)
def test_keras_conv1d_transpose_layer(kernel: int, stride: int, padding: str, output_padding, dilation: int) -> None:
    rng = np.random.default_rng(kernel)
    x = rng.standard_normal((2, 3, 5))  # (N, C_in, L)
    w, b = rng.standard_normal((3, 2, kernel)), rng.standard_normal(2)  # torch (C_in, C_out, K)
    layer = keras.layers.Conv1DTranspose(2, kernel, strides=stride, padding=padding, output_padding=output_padding,
                                         dilation_rate=dilation, dtype="float64")  # fmt: skip
    layer.build((2, 5, 3))
    layer.set_weights([keras_kernel_from_torch(w), b])
    args = keras_conv_transpose1d_args(kernel, stride, padding, output_padding, dilation)
    expected = torch_transposed(x, w, b, args, stride, dilation)
    np.testing.assert_allclose(np.asarray(layer(x.transpose(0, 2, 1))).transpose(0, 2, 1), expected, **TOL)


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("kernel", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("stride", [1, 2, 3])
def test_keras_conv_transpose_lengths(padding: str, kernel: int, stride: int) -> None:
    """The page's lengths: "valid" (L-1)*s + max(K, s), or + K + op; "same" s*L, or (L-1)*s + K%2 + op."""
    for length in (1, 4):
        x = np.ones((1, length, 1))
        for output_padding in [None, *range(stride)]:
            out = keras.ops.conv_transpose(x, np.ones((kernel, 1, 1)), stride, padding, output_padding)
            if padding == "valid":
                extra = max(kernel, stride) - kernel if output_padding is None else output_padding
                expected = (length - 1) * stride + kernel + extra
            else:
                expected = (
                    stride * length if output_padding is None else (length - 1) * stride + kernel % 2 + output_padding
                )
            assert out.shape[1] == expected


@settings(max_examples=200)
@given(kernel=st.integers(1, 9), stride=st.integers(1, 5), data=st.data())
def test_keras_transpose_pads_are_keras_own(kernel: int, stride: int, data, count_example) -> None:
    from keras.src.backend.common.backend_utils import compute_conv_transpose_padding_args_for_jax

    count_example()
    dilation = 1 if stride > 1 else data.draw(st.integers(1, 3))
    padding = data.draw(st.sampled_from(["valid", "same"]))
    output_padding = data.draw(st.none() | st.integers(0, stride - 1))
    expected = compute_conv_transpose_padding_args_for_jax((1, 5, 1), (kernel, 1, 1), stride, padding, output_padding,
                                                           dilation)  # fmt: skip
    assert [keras_transpose_pads(kernel, stride, padding, output_padding, dilation)] == expected


@FEW
@given(config=transpose_configs(), transpose_kernel=st.booleans())
def test_jax_conv_transpose_is_conv_transpose1d(config, transpose_kernel: bool, count_example) -> None:
    count_example()
    x, w, stride, dilation, padding, _ = config
    padding = padding.upper()
    kernel = keras_kernel_from_torch(w)  # (K, C_out, C_in): with transpose_kernel=True, read as the forward kernel
    if not transpose_kernel:
        kernel = w[:, :, ::-1].transpose(2, 0, 1)  # (K, C_in, C_out), "HIO", taps reversed: JAX does not flip
    out = jax.lax.conv_transpose(x.transpose(0, 2, 1), kernel, (stride,), padding, rhs_dilation=(dilation,),
                                 transpose_kernel=transpose_kernel)  # default: ("NHC", "HIO", "NHC")  # fmt: skip
    args = jax_conv_transpose_args(w.shape[-1], stride, padding, dilation)
    expected = torch_transposed(x, w, None, args, stride, dilation)
    np.testing.assert_allclose(np.asarray(out).transpose(0, 2, 1), expected, **TOL)


@pytest.mark.parametrize(("before", "after"), [(0, 0), (1, 2), (2, 2), (2, 0), (0, 1)])
def test_jax_explicit_pairs(before: int, after: int) -> None:
    x = np.arange(1.0, 5.0).reshape(1, 4, 1)  # (N, L, C)
    w = np.array([[[1.0]], [[-2.0]], [[5.0]]])  # (K, C_in, C_out) = (3, 1, 1); transpose_kernel=False
    out = jax.lax.conv_transpose(x, w, (2,), [(before, after)])
    args = transpose_args_from_pads(before, after, 3, stride=2)
    torch_w = w[::-1].transpose(1, 2, 0).copy()  # JAX does not flip: flip for torch
    expected = torch_transposed(x.transpose(0, 2, 1), torch_w, None, args, 2, 1)
    np.testing.assert_allclose(np.asarray(out).transpose(0, 2, 1), expected, **TOL)


@pytest.mark.parametrize("length", [1, 2, 5])
def test_jax_pairs_that_crop_more_than_the_output(length: int) -> None:
    """(4, 0) zeros around L inputs, a kernel spanning 7 (4 taps, dilation 2): JAX gives L - 2 outputs, none for one
    or two inputs, and torch L + 2 before the trim of 4; given the input's length, the trim is at most torch's
    length, and crop leaves nothing, not a count from the back, without it too."""
    x = np.arange(1.0, length + 1.0).reshape(1, length, 1)  # (N, L, C)
    w = np.array([[[1.0]], [[-2.0]], [[5.0]], [[3.0]]])  # (K, C_in, C_out), transpose_kernel=False
    out = np.asarray(jax.lax.conv_transpose(x, w, (1,), [(4, 0)], rhs_dilation=(2,))).transpose(0, 2, 1)
    torch_w = w[::-1].transpose(1, 2, 0).copy()
    with_length = jax_conv_transpose_args(4, 1, (4, 0), 2, input_length=length)
    assert with_length.trim == min(4, length + 2)  # torch's output: (L-1) + 6 - 4 + 1 = L + 2 samples
    for args in (with_length, jax_conv_transpose_args(4, 1, (4, 0), 2)):
        data = torch.from_numpy(x.transpose(0, 2, 1).copy())
        y = F.conv_transpose1d(data, torch.from_numpy(torch_w), padding=args.padding, dilation=2)
        np.testing.assert_allclose(args.crop(y).numpy(), out, **TOL)
    assert out.shape[-1] == max(length - 2, 0)


def test_crop_checks_its_arguments() -> None:
    with pytest.raises(TypeError, match="y must be an array or a tensor"):
        TransposeArgs(0, 0, 1).crop(5.0)
    with pytest.raises(ValueError, match="trim must be an int >= 0, got -1"):
        TransposeArgs(0, 0, -1).crop(np.arange(3))
    with pytest.raises(ValueError, match=r"dilation must be below 2\*\*31 for conv_transpose1d"):
        transpose_args_from_pads(0, 0, 2, dilation=2**31)


@given(kernel=st.integers(2, 6), stride=st.integers(2, 4), data=st.data())
def test_the_obvious_translation_of_keras_same_is_wrong_with_output_padding(kernel, stride, data, count_example):
    """padding=K//2, output_padding=op crops from both ends; Keras crops the end only: never the same numbers."""
    count_example()
    output_padding = data.draw(st.integers(1, stride - 1))
    length = data.draw(st.integers(1, 6))
    x = np.random.default_rng(length).standard_normal((1, 1, length)) + 2.0
    w = np.random.default_rng(kernel).standard_normal((1, 1, kernel)) + 2.0
    right = torch_transposed(x, w, None, keras_conv_transpose1d_args(kernel, stride, "same", output_padding), stride, 1)
    obvious = F.conv_transpose1d(torch.from_numpy(x), torch.from_numpy(w), None, stride, kernel // 2, output_padding)
    assert obvious.shape == right.shape  # the same length...
    assert not np.allclose(obvious.numpy(), right)  # ...and other numbers
    assert keras_conv_transpose1d_args(kernel, stride, "same", output_padding).padding != kernel // 2


@pytest.mark.parametrize("length", [1, 2, 4, 7])
def test_keras_same_transpose_keeps_the_first_outputs_and_padding_1_output_padding_1_does_not(length: int) -> None:
    """Conv1DTranspose(kernel_size=3, strides=2, padding="same"): the first 2*L outputs of the full transposed
    convolution; nn.ConvTranspose1d(padding=1, output_padding=1) has as many, one sample further on."""
    x = np.arange(1.0, length + 1).reshape(1, length, 1)  # (N, L, C)
    w = np.array([1.0, 10.0, 100.0])
    keras_out = np.asarray(keras.ops.conv_transpose(x, w.reshape(3, 1, 1), 2, "same"))[0, :, 0]
    xt, wt = torch.from_numpy(x.transpose(0, 2, 1).copy()), torch.from_numpy(w).view(1, 1, 3)
    full = F.conv_transpose1d(xt, wt, stride=2)[0, 0].numpy()
    np.testing.assert_allclose(keras_out, full[: 2 * length], **TOL)
    obvious = F.conv_transpose1d(xt, wt, stride=2, padding=1, output_padding=1)[0, 0].numpy()
    assert obvious.shape == keras_out.shape and not np.allclose(obvious, keras_out)
    np.testing.assert_allclose(obvious, full[1 : 2 * length + 1], **TOL)


def test_keras_torch_back_end_uses_the_obvious_translation_and_warns() -> None:
    """What the page says of Keras's PyTorch back end: padding=K//2, output_padding=op, with a warning."""
    from keras.src.backend.common.backend_utils import _convert_conv_transpose_padding_args_from_keras_to_torch

    with pytest.warns(UserWarning, match="inconsistencies across backends"):
        assert _convert_conv_transpose_padding_args_from_keras_to_torch(3, 2, 1, "same", 1) == (1, 1)
    with pytest.warns(UserWarning, match="inconsistencies across backends"):  # without output_padding: the same
        assert _convert_conv_transpose_padding_args_from_keras_to_torch(3, 2, 1, "same", None) == (1, 1)
    assert keras_conv_transpose1d_args(3, 2, "same", 1) == (0, 0, 1)  # the JAX (and TensorFlow) back end's numbers


# --- NumPy and SciPy -------------------------------------------------------------------------------------------------


@settings(max_examples=40)  # four libraries, three modes each: 480 comparisons
@given(data=st.data())
def test_numpy_and_scipy_same_and_full(data, count_example) -> None:
    count_example()
    kernel = data.draw(st.integers(1, 6))
    x = numbers(data.draw, (data.draw(st.integers(kernel, 10)),))
    w = numbers(data.draw, (kernel,))
    for mode in ("valid", "same", "full"):
        left, right = numpy_mode_padding(mode, kernel)
        correlated = torch_conv(x[None, None], w[None, None], None, left, right)[0, 0]
        flipped = torch_conv(x[None, None], w[None, None, ::-1].copy(), None, left, right)[0, 0]
        np.testing.assert_allclose(np.correlate(x, w, mode), correlated, **TOL)
        np.testing.assert_allclose(scipy.signal.correlate(x, w, mode), correlated, **TOL)
        np.testing.assert_allclose(np.convolve(x, w, mode), flipped, **TOL)
        np.testing.assert_allclose(scipy.signal.convolve(x, w, mode), flipped, **TOL)
    if kernel % 2 == 0:  # even kernel: NumPy's "same" sits one sample right of torch's
        torch_same = F.conv1d(torch.from_numpy(x)[None, None], torch.from_numpy(w)[None, None], padding="same")
        np.testing.assert_allclose(np.correlate(np.r_[x, 0.0], w, "same")[1:], torch_same[0, 0].numpy(), **TOL)


# --- the trace of one-sided padding ----------------------------------------------------------------------------------


@settings(max_examples=60)
@given(length=st.integers(1, 8), kernel=st.integers(1, 4), stride=st.integers(1, 3), data=st.data())
def test_trace_padded_conv1d_matches_torch(length: int, kernel: int, stride: int, data, count_example) -> None:
    count_example()
    x, w = numbers(data.draw, (length,)), numbers(data.draw, (kernel,))
    left, right = same_padding(length, kernel, stride)
    trace = trace_padded_conv1d(x, w, (left, right), bias=1.5, stride=stride)
    expected = torch_conv(x[None, None], w[None, None], np.array([1.5]), left, right, stride=stride)[0, 0]
    np.testing.assert_allclose(trace.output[0], expected, **TOL)
    assert trace.padding == (left, right)
    kinds = [cell.kind for cell in trace.cells[0]]
    assert kinds == ["zeros"] * left + ["input"] * length + ["zeros"] * right
    assert [cell.source for cell in trace.cells[0]] == [None] * left + list(range(length)) + [None] * right
    read = {term.source for step in trace.steps for term in step.terms if term.source is not None}
    assert trace.unread == tuple((0, i) for i in range(length) if i not in read)


# --- bad input -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: same_padding(0, 3), "length must be an int >= 1"),
        (lambda: same_padding(5, 3, stride=0), "stride must be an int >= 1"),
        (lambda: keras_padding("full", 5, 3), "padding must be one of 'valid', 'same', 'causal'"),
        (lambda: keras_padding("same", 5, 3, stride=2, dilation=2), "stride > 1 with dilation > 1"),
        (lambda: keras_transpose_pads(3, 2, "causal"), "padding must be one of 'valid', 'same'"),
        (lambda: keras_transpose_pads(3, 2, "same", output_padding=2), "output_padding must be below stride=2"),
        (lambda: keras_conv_transpose1d_args(3, 2, "valid", dilation=2), "stride > 1 with dilation > 1"),
        (lambda: jax_conv_transpose_args(3, 2, "FULL"), "padding must be 'SAME', 'VALID' or a (before, after)"),
        (lambda: transpose_args_from_pads(3, 3, 3), "before must be at most dilation*(kernel_size-1) = 2"),
        (lambda: transpose_args_from_pads(0, 2, 3, stride=2), "after - before must be below max(stride, dilation)"),
        (lambda: torch_weight_from_keras(np.zeros((3, 2))), "kernel must have 3 dimensions (kernel_size"),
        (lambda: keras_depthwise_kernel_from_torch(np.zeros((5, 1, 3)), 2), "in_channels=2"),
        (lambda: trace_padded_conv1d([1, 2], [1], 1), "padding must be a"),
    ],
)
def test_bad_input_names_the_parameter(call, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_keras_refuses_what_we_refuse() -> None:
    with pytest.raises(ValueError, match="dilation_rate"):
        keras.layers.Conv1D(1, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="dilation_rate"):
        keras.layers.Conv1DTranspose(1, 3, strides=2, dilation_rate=2)
    keras.layers.SeparableConv1D(1, 3, strides=2, dilation_rate=2)  # accepted, as DepthwiseConv1D (tested above)
    with pytest.raises(ValueError, match="output_padding"):
        keras.layers.Conv1DTranspose(1, 3, strides=2, output_padding=2)
