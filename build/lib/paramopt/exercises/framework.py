"""Checkers for chapter 0, the framework: margin losses and their gradients."""

import numpy as np

from paramopt import classifier, nn, train
from paramopt.data import two_blobs
from paramopt.exercises.checking import Hint, as_float, call, call_elementwise, compare, exercise

Z_TEST = np.array([-3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 2.0, 3.5])


@exercise("framework-squared", "ℓ'(z) for the squared margin loss ℓ(z) = (1 - z)²")
def _squared(answer):
    z = Z_TEST
    compare(
        call_elementwise(answer, z),
        -2 * (1 - z),
        at=z,
        mistakes={
            "Sign error: d(1 - z)/dz = -1, so the chain rule gives ℓ'(z) = 2(1 - z)·(-1).": 2
            * (1 - z),
            "Missing factor 2: the derivative of u² is 2u.": -(1 - z),
            "That is the loss ℓ(z) itself; the exercise asks for its derivative ℓ'(z).": (1 - z)
            ** 2,
        },
    )
    return "ℓ'(z) = -2(1 - z) is positive for z > 1: very confident points push back."


@exercise("framework-logistic-derivative", "ℓ'(z) for the logistic loss ℓ(z) = log(1 + e^(-z))")
def _logistic_derivative(answer):
    z = Z_TEST
    compare(
        call_elementwise(answer, z),
        classifier.logistic_grad(z),
        at=z,
        mistakes={
            "Sign error: the logistic loss decreases in z, so ℓ'(z) = -σ(-z) < 0.": nn.sigmoid(-z),
            "Check the argument: ℓ'(z) = -σ(-z) = σ(z) - 1, not -σ(z).": -nn.sigmoid(z),
            "You dropped the denominator: ℓ'(z) = -e^(-z) / (1 + e^(-z)).": -np.exp(-z),
        },
    )
    extreme = np.array([-1000.0, -50.0, 50.0, 1000.0])
    compare(
        call_elementwise(answer, extreme),
        classifier.logistic_grad(extreme),
        at=extreme,
        rtol=1e-6,
        atol=1e-12,
        mistakes={
            "Right formula, but not numerically stable: for z = -1000, e^(-z) overflows and "
            "inf/inf gives nan. Write it as -1 / (1 + e^z) or σ(z) - 1 "
            "(po.nn.sigmoid is stable).": np.array([np.nan, -1.0, -np.exp(-50.0), 0.0]),
        },
    )
    return "And it is stable for extreme margins."


def _logistic_problem(seed, n):
    X, y = two_blobs(n, distance=2.5, spread=1.0, rng=seed)
    rng = np.random.default_rng(seed)
    return X, y, rng.normal(size=2), float(rng.normal())


def _logistic_mean_grad(X, y, w, b, *, factor=1.0, with_y=True, derivative=None):
    dz = (derivative or classifier.logistic_grad)(y * (X @ w + b))
    coef = dz * y if with_y else dz
    return factor * coef @ X / len(y), factor * np.sum(coef) / len(y)


@exercise("framework-mean-grad", "gradient (∇_w L, ∂L/∂b) of the mean logistic loss")
def _mean_grad(answer):
    for seed, n in ((0, 20), (1, 7)):
        X, y, w, b = _logistic_problem(seed, n)
        N = len(y)
        _, grad_w, grad_b, _ = classifier.mean_loss_and_grad("logistic", X, y, w, b)
        compare(
            call(answer, X, y, w, b),
            (grad_w, np.asarray(grad_b)),
            names=["grad_w", "grad_b"],
            mistakes={
                f"Your gradient is N = {N} times too large: L is the *mean* of the N losses, "
                "so divide the sum by N.": _logistic_mean_grad(X, y, w, b, factor=N),
                "Sign error: ∇_w L = (1/N) Σ ℓ'(z_i) y_i x_i with ℓ'(z) = -σ(-z) < 0.": (
                    _logistic_mean_grad(X, y, w, b, factor=-1.0)
                ),
                "The chain rule through z_i = y_i (w·x_i + b) gives a factor y_i: "
                "∇_w L = (1/N) Σ ℓ'(z_i) y_i x_i.": _logistic_mean_grad(X, y, w, b, with_y=False),
                "Use ℓ'(z) = -σ(-z) for the logistic loss (you used -σ(z)).": _logistic_mean_grad(
                    X, y, w, b, derivative=lambda z: -nn.sigmoid(z)
                ),
            },
        )
    return "It matches po.classifier.mean_loss_and_grad('logistic', ...)."


PERCEPTRON_RATES = (0.02, 0.2, 2.0)


def _perceptron_first_zero(lr):
    """The chapter's run: the first step whose perceptron gradient is exactly zero."""
    X, y = two_blobs(20, distance=4.0, spread=0.7, rng=0)
    w, b = np.array([1.0, -0.5]), 0.5
    run = train.gradient_descent("perceptron", X, y, w, b, lr=lr, steps=300)
    return int(np.flatnonzero(run["grad_norm"] == 0)[0])


@exercise(
    "framework-perceptron-stop",
    "the first step with a zero perceptron gradient, {lr: step} for lr = 0.02, 0.2, 2",
)
def _perceptron_stop(answer):
    if isinstance(answer, dict):
        try:
            answer = [answer[lr] for lr in PERCEPTRON_RATES]
        except KeyError as missing:
            raise Hint(
                f"give a step for each learning rate {PERCEPTRON_RATES}; missing {missing}"
            ) from None
    if not isinstance(answer, list | tuple) or len(answer) != len(PERCEPTRON_RATES):
        raise Hint(f"expected {{lr: step}} for the rates {PERCEPTRON_RATES}, got {answer!r:.60}")
    got = np.array([as_float(step) for step in answer])
    steps = np.array([_perceptron_first_zero(lr) for lr in PERCEPTRON_RATES])
    compare(
        got,
        steps,
        names=["steps"],
        atol=0,
        mistakes={
            "Off by one: the run's arrays start with step 0, the starting point, so the index "
            "of the first zero in run['grad_norm'] is the step.": steps + 1,
            "The step does depend on the rate: the updates add up to α times the mistakes' "
            "gradients while the start θ₀ stays as it is, so a larger α outweighs θ₀, and "
            "separates the points, in fewer steps.": np.full(len(steps), steps[1]),
        },
    )
    return (
        "The larger the rate, the sooner the perceptron stops — at a different boundary: the "
        "updates scale with α, the start θ₀ does not, and the mistakes change along the way."
    )
