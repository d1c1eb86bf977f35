"""Finite-difference gradient checks pass on every layer and loss, and catch wrong backwards."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paramopt as po
from paramopt.gradcheck import check_loss, check_module, numerical_gradient, relative_error

TOL = 1e-6

LAYERS = {
    "Linear": lambda d, rng: po.nn.Linear(d, d + 1, rng=rng),
    "ReLU": lambda d, rng: po.nn.ReLU(),
    "LeakyReLU": lambda d, rng: po.nn.LeakyReLU(0.1),
    "Sigmoid": lambda d, rng: po.nn.Sigmoid(),
    "Tanh": lambda d, rng: po.nn.Tanh(),
    "BatchNorm1d": lambda d, rng: randomized_bn(d, rng),
}


def randomized_bn(d, rng):
    bn = po.nn.BatchNorm1d(d)
    bn.weight[...], bn.bias[...] = rng.normal(size=d), rng.normal(size=d)
    bn.running_mean[...], bn.running_var[...] = rng.normal(size=d), rng.uniform(0.5, 2, d)
    return bn


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(sorted(LAYERS)),
    n=st.integers(3, 6),  # n = 2 makes BatchNorm's x̂ = ±1: ∂L/∂x ≈ 0, all noise
    d=st.integers(1, 5),
    seed=st.integers(0, 2**16),
    training=st.booleans(),
)
def test_every_layer_passes(name, n, d, seed, training):
    rng = np.random.default_rng(seed)
    layer = LAYERS[name](d, rng).train(training)
    report = check_module(layer, rng.normal(size=(n, d)), rng=seed)
    assert set(report) == {"input"} | {name for name, _ in layer.named_parameters()}
    assert max(report.values()) < TOL, report


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 6), c=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_losses_pass(n, c, seed):
    rng = np.random.default_rng(seed)
    logits, labels = rng.normal(size=(n, c)) * 3, rng.integers(0, c, n)
    assert check_loss(po.nn.CrossEntropyLoss(), logits, labels)["input"] < TOL
    pred, target = rng.normal(size=(n, c)), rng.normal(size=(n, c))
    assert check_loss(po.nn.MSELoss(), pred, target)["input"] < TOL


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "sigmoid", "tanh"])
def test_mlp_passes_with_and_without_batchnorm(activation):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(7, 3))
    plain = po.nn.mlp([3, 5, 4, 2], activation, rng=1)
    assert max(check_module(plain, x).values()) < TOL
    bn = po.nn.mlp([3, 5, 4, 2], activation, batchnorm=True, rng=1)
    assert max(check_module(bn.eval(), x).values()) < TOL
    # In training mode the bias of a Linear right before BatchNorm has gradient zero in
    # theory: both sides are rounding noise, so compare it absolutely (atol).
    report = check_module(bn.train(), x, atol=1e-3)
    assert max(report.values()) < TOL, report


def test_check_module_leaves_the_module_alone():
    model = po.nn.mlp([3, 4, 2], "tanh", batchnorm=True, rng=0, dtype=np.float32)
    before = [a.copy() for a in model.parameters()] + [model[1].running_mean.copy()]
    report = check_module(model, np.random.default_rng(1).normal(size=(5, 3)), atol=1e-3)
    assert max(report.values()) < TOL  # the check itself runs in float64
    after = model.parameters() + [model[1].running_mean]
    assert all(a.dtype == np.float32 for a in after)
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))
    assert model[1].num_batches_tracked == 0


def test_numerical_gradient_of_known_functions():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    original = x.copy()
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**2), x), 2 * x, rtol=1e-8)
    np.testing.assert_allclose(
        numerical_gradient(lambda v: np.sin(v).prod(), x, eps=1e-5),
        np.cos(x) * np.sin(x).prod() / np.sin(x),
        rtol=1e-7,
    )
    assert np.array_equal(x, original)
    grad = numerical_gradient(lambda v: v @ v, np.arange(3, dtype=np.float32))
    assert grad.dtype == np.float64
    np.testing.assert_allclose(grad, [0.0, 2.0, 4.0], atol=1e-6)
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(np.sum, x, eps=0)


def test_relative_error_definition():
    a, b = np.array([3.0, 4.0]), np.array([3.0, 4.5])
    assert relative_error(a, b) == pytest.approx(0.5 / np.linalg.norm(b))
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.zeros(2), [1e-9, 0.0]) == 1.0
    assert relative_error(np.zeros(2), [1e-9, 0.0], atol=1e-3) == pytest.approx(1e-6)
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error(np.zeros(2), np.zeros(3))


# ---------------------------------------------------------------- wrong backwards are caught


class LinearDoubleBias(po.nn.Linear):
    def backward(self, grad_y):
        grad_x = super().backward(grad_y)
        self.grad_bias *= 2
        return grad_x


class LinearTransposedWeightGrad(po.nn.Linear):
    def backward(self, grad_y):
        grad_x = super().backward(grad_y)
        self.grad_weight[...] = self.grad_weight.T  # only possible for a square layer
        return grad_x


class BatchNormEvalFormulaInTraining(po.nn.BatchNorm1d):
    """The classic mistake: forget that μ and σ² depend on x."""

    def backward(self, grad_y):
        super().backward(grad_y)
        x_hat, inv_std, _ = self.cache
        return grad_y * self.weight * inv_std


class SigmoidWrongDerivative(po.nn.Sigmoid):
    def backward(self, grad_y):
        return grad_y * (1 - self.y)


class CrossEntropyForgetsMean(po.nn.CrossEntropyLoss):
    def backward(self):
        return super().backward() * len(self.cache[0])


@pytest.mark.parametrize(
    ("module", "wrong"),
    [
        (LinearDoubleBias(3, 4, rng=0), {"bias"}),
        (LinearTransposedWeightGrad(3, 3, rng=0), {"weight"}),
        (BatchNormEvalFormulaInTraining(3), {"input"}),
        (SigmoidWrongDerivative(), {"input"}),
        (
            po.nn.Sequential(po.nn.Linear(3, 3, rng=0), SigmoidWrongDerivative()),
            {"input", "0.weight", "0.bias"},
        ),
    ],
    ids=["double-bias", "transposed-weight", "bn-eval-formula", "sigmoid", "inside-sequential"],
)
def test_wrong_backward_is_detected(module, wrong):
    report = check_module(module, np.random.default_rng(3).normal(size=(5, 3)))
    assert {name for name, e in report.items() if e > 1e-2} == wrong, report


def test_wrong_loss_backward_is_detected():
    logits, labels = np.random.default_rng(4).normal(size=(4, 3)), [0, 2, 1, 1]
    assert check_loss(CrossEntropyForgetsMean(), logits, labels)["input"] > 0.5
