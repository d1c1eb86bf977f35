"""paramopt.nn.utils: gradient clipping as torch.nn.utils, in place, and bad input."""

import math

import numpy as np
import pytest

import paramopt as po
from paramopt.nn.utils import clip_grad_norm_, clip_grad_value_, total_norm

RNG = np.random.default_rng(11)
SHAPES = [(3, 4), (7,), (2, 2, 5), (1,)]


def grads(scale=1.0):
    return [scale * RNG.normal(size=shape) for shape in SHAPES]


def torch_grads(torch, arrays):
    tensors = [torch.zeros(a.shape, requires_grad=True) for a in arrays]
    for t, a in zip(tensors, arrays, strict=True):
        t.grad = torch.from_numpy(a.copy())
    return tensors


@pytest.mark.parametrize("norm_type", [1, 2.0, 3, math.inf])
@pytest.mark.parametrize("max_norm", [0.0, 0.5, 3.0, 1e6])
@pytest.mark.parametrize("scale", [1e-3, 1.0, 100.0])
def test_clip_grad_norm_matches_torch(torch, norm_type, max_norm, scale):
    arrays = grads(scale)
    tensors = torch_grads(torch, arrays)
    norm = clip_grad_norm_(arrays, max_norm, norm_type)
    torch_norm = torch.nn.utils.clip_grad_norm_(tensors, max_norm, norm_type)
    assert isinstance(norm, float)
    assert norm == pytest.approx(torch_norm.item(), rel=1e-12)
    for a, t in zip(arrays, tensors, strict=True):
        np.testing.assert_allclose(a, t.grad.numpy(), rtol=1e-12, atol=0)


def test_clip_grad_norm_follows_the_formula_and_returns_the_norm_before():
    arrays = grads(10.0)
    before = [a.copy() for a in arrays]
    norm = clip_grad_norm_(arrays, 1.0)
    expected = math.sqrt(sum(float(np.sum(a**2)) for a in before))
    assert norm == pytest.approx(expected, rel=1e-14)
    coef = 1.0 / (expected + 1e-6)
    for a, b in zip(arrays, before, strict=True):
        np.testing.assert_allclose(a, coef * b, rtol=1e-14)
    assert total_norm(arrays) == pytest.approx(1.0 - 1e-6 / expected, rel=1e-12)  # just under
    small = [np.array([0.3, 0.4])]
    assert clip_grad_norm_(small, 1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(small[0], [0.3, 0.4])  # coefficient clamped to 1
    assert total_norm([np.array([1.0, -5.0]), np.array([[2.0]])], math.inf) == 5.0
    assert total_norm([np.array([1.0, -5.0]), np.array([[2.0]])], 1) == 8.0
    assert clip_grad_norm_([], 1.0) == 0.0


def test_clip_grad_norm_keeps_float32():
    g = np.array([3.0, 4.0], dtype=np.float32)
    clip_grad_norm_([g], 1.0)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, [0.6, 0.8], rtol=1e-6)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("norm_type", [2.0, math.inf])
def test_non_finite_norm_as_torch_and_an_error_on_request(torch, bad, norm_type):
    arrays = grads()
    arrays[1][3] = bad
    tensors = torch_grads(torch, arrays)
    before = [a.copy() for a in arrays]
    with pytest.raises(RuntimeError, match=r"total norm of order .* is (nan|inf)") as info:
        clip_grad_norm_(arrays, 1.0, norm_type, error_if_nonfinite=True)
    assert f"order {float(norm_type)}" in str(info.value)
    with pytest.raises(RuntimeError, match="non-finite"):
        torch.nn.utils.clip_grad_norm_(tensors, 1.0, norm_type, error_if_nonfinite=True)
    for a, b in zip(arrays, before, strict=True):
        np.testing.assert_array_equal(a, b)  # unchanged
    norm = clip_grad_norm_(arrays, 1.0, norm_type)
    torch_norm = torch.nn.utils.clip_grad_norm_(tensors, 1.0, norm_type)
    np.testing.assert_array_equal(norm, torch_norm.item())
    for a, t in zip(arrays, tensors, strict=True):
        np.testing.assert_array_equal(a, t.grad.numpy())  # NaN where torch has NaN


@pytest.mark.parametrize("clip_value", [0.0, 0.1, 1.0, 5.0])
def test_clip_grad_value_matches_torch(torch, clip_value):
    arrays = grads(2.0)
    arrays[0][0, 0] = np.nan
    tensors = torch_grads(torch, arrays)
    assert clip_grad_value_(arrays, clip_value) is None
    torch.nn.utils.clip_grad_value_(tensors, clip_value)
    for a, t in zip(arrays, tensors, strict=True):
        np.testing.assert_array_equal(a, t.grad.numpy())
        assert np.all(np.abs(a[~np.isnan(a)]) <= clip_value)


def test_clipping_is_in_place_on_views():
    storage = np.arange(12, dtype=float).reshape(3, 4)
    view = storage[:, 1]
    clip_grad_value_([view], 5.0)
    np.testing.assert_array_equal(storage[:, 1], [1.0, 5.0, 5.0])
    single = np.array([3.0, 4.0])
    assert clip_grad_norm_(single, 0.5) == 5.0  # a single array, as torch's single tensor
    np.testing.assert_allclose(single, [0.3, 0.4], rtol=1e-6)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda g: clip_grad_norm_(g, -1.0), ValueError, r"max_norm: -1\.0"),
        (lambda g: clip_grad_norm_(g, math.nan), ValueError, r"max_norm: nan"),
        (lambda g: clip_grad_norm_(g, "1"), TypeError, r"max_norm.*'1'"),
        (lambda g: clip_grad_norm_(g, 1.0, norm_type=0), ValueError, r"norm_type: 0"),
        (lambda g: clip_grad_norm_(g, 1.0, norm_type=-2.0), ValueError, r"norm_type: -2\.0"),
        (lambda g: clip_grad_norm_(g, 1.0, norm_type="fro"), TypeError, r"norm_type.*'fro'"),
        (lambda g: clip_grad_norm_(g, 1.0, error_if_nonfinite=1), TypeError, r"nonfinite.*1"),
        (lambda g: clip_grad_value_(g, -0.5), ValueError, r"clip_value: -0\.5"),
        (lambda g: clip_grad_value_(g, None), TypeError, r"clip_value.*None"),
        (lambda g: clip_grad_value_([*g, [1.0, 2.0]], 1.0), TypeError, r"grads\[4\].*\[1\.0"),
        (lambda g: clip_grad_norm_([*g, np.arange(3)], 1.0), TypeError, r"grads\[4\].*int"),
        (lambda g: clip_grad_norm_(5.0, 1.0), TypeError, r"grads.*5\.0"),
    ],
)
def test_bad_input_is_named_and_changes_nothing(call, error, match):
    arrays = grads(10.0)
    before = [a.copy() for a in arrays]
    with pytest.raises(error, match=match):
        call(arrays)
    for a, b in zip(arrays, before, strict=True):
        np.testing.assert_array_equal(a, b)


def test_read_only_gradients_are_rejected():
    g = np.ones(3)
    g.setflags(write=False)
    with pytest.raises(ValueError, match=r"grads\[0\] is read-only"):
        clip_grad_norm_([g], 1.0)


def test_exported_as_paramopt_nn_utils():
    assert po.nn.utils.clip_grad_norm_ is clip_grad_norm_
    assert po.nn.utils.clip_grad_value_ is clip_grad_value_
