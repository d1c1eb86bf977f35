"""Checkers for chapter 2, vanishing gradients: initialisation scales and depth."""

import numpy as np

from paramopt.exercises.checking import as_float, call, compare, exercise
from paramopt.nn.init import calculate_gain


def _values(answer, cases):
    return np.array([as_float(call(answer, *case)) for case in cases])


@exercise("vanishing-leaky", "the He standard deviation for LeakyReLU: leaky_std(n, a)")
def _leaky(answer):
    cases = [(64, 0.0), (64, 0.01), (100, 0.2), (10, 1.0), (256, 0.5)]
    n, a = np.array(cases).T
    compare(
        _values(answer, cases),
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
        _values(answer, cases),
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
        _values(answer, cases),
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
