"""Checkers for chapter 2, vanishing gradients: initialisation, depth, BatchNorm, dead units."""

import numpy as np

from paramopt.exercises.checking import as_float, call, call_each, compare, exercise
from paramopt.nn.batchnorm import BatchNorm1d
from paramopt.nn.init import calculate_gain


@exercise("vanishing-leaky", "the He standard deviation for LeakyReLU: leaky_std(n, a)")
def _leaky(answer):
    cases = [(64, 0.0), (64, 0.01), (100, 0.2), (10, 1.0), (256, 0.5)]
    n, a = np.array(cases).T
    compare(
        call_each(answer, cases),
        np.array([calculate_gain("leaky_relu", float(s)) / np.sqrt(k) for k, s in cases]),
        names=["std"],
        mistakes={
            "The negative side still carries signal: E[f(z)²] = (1 + a²)/2 · Var z, so the "
            "variance must be 2/((1 + a²) n), not He's 2/n.": np.sqrt(2 / n),
            "That is the variance v = 2/((1 + a²) n); the exercise asks for the standard "
            "deviation √v.": 2 / ((1 + a * a) * n),
            "On the negative side f(z) = a z, so f(z)² = a² z²: the factor is (1 + a²)/2, "
            "not (1 + a)/2.": np.sqrt(2 / ((1 + a) * n)),
            "Upside down: constant variance needs n · v · (1 + a²)/2 = 1, so "
            "v = 2/((1 + a²) n).": np.sqrt((1 + a * a) / (2 * n)),
        },
    )
    return "It is calculate_gain('leaky_relu', a) / √n, the kaiming_normal_ formula."


@exercise("vanishing-critical", "the per-layer variance factor of a ReLU layer: variance_factor")
def _critical(answer):
    cases = [(0.1, 32), (0.25, 32), (0.5, 32), (0.05, 800), (1.0, 2)]
    std, width = np.array(cases).T
    compare(
        call_each(answer, cases),
        0.5 * width * std**2,
        names=["factor"],
        mistakes={
            "ReLU zeroes half of a symmetric input: E[relu(z)²] = ½ Var z, so the factor is "
            "½ · width · std², not width · std².": width * std**2,
            "That is the factor for the standard deviation; the variance factor is its square, "
            "½ · width · std².": np.sqrt(0.5 * width) * std,
            "Each of the `width` inputs adds its variance: the factor grows with the width, "
            "½ · width · std².": 0.5 * std**2,
        },
    )
    return "It is 1 at std = √(2/width): 0.25 for width 32, He's initialisation."


@exercise("vanishing-predict", "the first/last gradient ratio of a deeper network: predicted_ratio")
def _predict(answer):
    cases = [(0.23, 50), (0.25, 20), (0.9, 100), (1.1, 10)]
    factor, layers = np.array(cases).T
    compare(
        call_each(answer, cases),
        factor ** (layers - 1),
        names=["ratio"],
        rtol=1e-6,
        mistakes={
            "Count the steps, not the layers: from the last layer down to the first there "
            "are layers - 1 of them.": factor**layers,
            "Upside down: the first layer's gradient is the last's times factor^(layers - 1), "
            "so the ratio first/last is factor^(layers - 1).": factor ** -(layers - 1),
            "The factors multiply, layer after layer: factor^(layers - 1), not "
            "factor · (layers - 1).": factor * (layers - 1),
        },
    )
    return "Now read the ratio off the explorer and compare."


def _bn_cases():
    rng = np.random.default_rng(21)
    for n, features in ((8, 3), (5, 1), (64, 4)):
        x = rng.normal(
            loc=rng.normal(size=features), scale=rng.uniform(0.5, 3, features), size=(n, features)
        )
        yield x, rng.normal(size=(n, features))


def _bn_variant(x, delta, eps, *, mean_term=True, hat_term=True, ddof=0, scale=True):
    """BatchNorm's input gradient in training mode (γ = 1), with optional typical mistakes."""
    sigma = np.sqrt(x.var(axis=0, ddof=ddof) + eps)
    x_hat = (x - x.mean(axis=0)) / sigma
    g = delta.copy()
    if mean_term:
        g -= delta.mean(axis=0)
    if hat_term:
        g -= x_hat * (delta * x_hat).mean(axis=0)
    return g / sigma if scale else g


@exercise("vanishing-bn-bias", "BatchNorm's input gradient in training mode: bn_input_grad")
def _bn_input_grad(answer):
    eps = 1e-5
    for x, delta in _bn_cases():
        bn = BatchNorm1d(x.shape[1], eps=eps, dtype=np.float64)
        bn.forward(x)
        expected = bn.backward(delta)
        got = call(answer, x, delta, eps)
        compare(
            got,
            expected,
            names=["∂L/∂x"],
            rtol=1e-7,
            atol=1e-9,
            mistakes={
                "The mean of the batch depends on every x_i: subtract the mean of the incoming "
                "gradient, g_i - (1/N) Σ g_n - ...": _bn_variant(x, delta, eps, mean_term=False),
                "The variance depends on every x_i too: subtract x̂_i (1/N) Σ g_n x̂_n.": (
                    _bn_variant(x, delta, eps, hat_term=False)
                ),
                "Only the forward pass's chain rule: σ is part of the computation, so every "
                "path through it counts (you kept neither the mean nor the x̂ term).": (
                    _bn_variant(x, delta, eps, mean_term=False, hat_term=False)
                ),
                "BatchNorm normalises with the biased variance (divide by N, not N - 1; "
                "np.var's default).": _bn_variant(x, delta, eps, ddof=1) if len(x) > 1 else None,
                "Divide by σ = √(Var + ε) at the end: x̂ = (x - μ)/σ.": (
                    _bn_variant(x, delta, eps, scale=False)
                ),
            },
        )
    return "Its columns sum to zero, so a bias before BatchNorm gets no gradient."


def _relu_outputs():
    rng = np.random.default_rng(8)
    a = np.maximum(rng.normal(size=(10, 8)), 0.0)
    a[:, [1, 5]] = 0.0  # two dead units
    a[:3, 6] = 0.0  # a unit that is often, but not always, silent
    a[:, 7] = np.where(np.arange(10) < 9, 0.0, 1e-3)  # alive on one example only
    return a


@exercise("vanishing-revive", "the fraction of dead units in a ReLU layer: dead_fraction(a)")
def _dead_fraction(answer):
    a = _relu_outputs()
    compare(
        as_float(call(answer, a.copy())),
        np.mean(np.all(a == 0, axis=0)),
        names=["fraction"],
        mistakes={
            "That is the fraction of zero outputs. A unit is dead when its column of a is zero "
            "for every example: np.all(a == 0, axis=0).": np.mean(a == 0),
            "A unit is dead only if it is silent on *every* example; one that is zero on some "
            "examples still learns from the others.": np.mean(np.any(a == 0, axis=0)),
            "Units are the columns of a (one row per example): reduce over axis 0.": np.mean(
                np.all(a == 0, axis=1)
            ),
            "The exercise asks for the fraction of units, not their number.": np.sum(
                np.all(a == 0, axis=0)
            ),
        },
    )
    return "It is what po.diagnostics.layer_report reports as frac_dead."
