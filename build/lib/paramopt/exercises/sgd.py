"""Checkers for chapter 3, SGD: minibatch variance, escape times, the stability limit."""

import numpy as np

from paramopt import surfaces
from paramopt.exercises.checking import Hint, as_float, call, call_each, compare, exercise


@exercise("sgd-variance", "Var of a minibatch mean of B distinct indices: batch_variance")
def _variance(answer):
    cases = [(1.0, 1, 10), (2.0, 5, 10), (0.5, 10, 10), (3.0, 32, 1000), (1.0, 2, 3)]
    sigma2, B, N = np.array(cases).T
    got = call_each(answer, cases)
    compare(
        got,
        sigma2 / B * (N - B) / (N - 1),
        names=["variance"],
        mistakes={
            "That is the variance with replacement, σ²/B. Distinct indices vary less: "
            "multiply by (N - B)/(N - 1), which is 0 for B = N.": sigma2 / B,
            "Close: the correction is (N - B)/(N - 1), not (N - B)/N. Check B = 1, which "
            "must give σ².": sigma2 / B * (N - B) / N,
            "Divide by B: the mean of B terms has 1/B² times the variance of their sum.": sigma2
            * (N - B)
            / (N - 1),
        },
    )
    return "At B = 1 it is σ², at B = N it is 0."


def _escape_paths():
    """Paths of shape (steps + 1, 2, runs) with known first crossings of x < s."""
    well = surfaces.DoubleWell(tilt=0.25)
    steps, runs = 12, 5
    rng = np.random.default_rng(2)
    paths = np.empty((steps + 1, 2, runs))
    paths[:, 0, :] = 1.0 + 0.1 * rng.random((steps + 1, runs))  # right of the saddle
    paths[:, 1, :] = -1.0  # y far below s: a y-based answer finds a crossing at step 0
    for run, first in enumerate([3, 7, 1, None, 12]):  # run 3 never escapes
        if first is not None:
            paths[first:, 0, run] = -1.0 + 0.1 * rng.random(steps + 1 - first)
    paths[8, 0, 1] = 0.9  # run 1 wanders back over the saddle after its first crossing
    expected = np.array([3, 7, 1, np.inf, 12])
    return paths, well.tilt, expected


@exercise("sgd-escape-time", "the first step with x < s in each run: first_escape(paths, saddle)")
def _escape_time(answer):
    paths, saddle, expected = _escape_paths()
    try:
        got = np.asarray(call(answer, paths, saddle), dtype=float)
    except (TypeError, ValueError):
        raise Hint(
            "expected an array of steps, one per run (np.inf for a run that never crosses)"
        ) from None
    crossed = paths[:, 0, :] < saddle
    if got.shape != expected.shape:
        raise Hint(
            f"expected one step per run, shape {expected.shape}, got shape {got.shape}: "
            "paths has shape (steps + 1, 2, runs)."
        )
    compare(
        got,
        expected,
        names=["first step"],
        atol=0,
        mistakes={
            "A run that never crosses got step 0: argmax of an all-False column is 0. Give such "
            "runs np.inf (check crossed.any(axis=0)).": np.where(np.isinf(expected), 0, expected),
            "Off by one: paths[0] is the start θ₀, so row k is the position after step k.": (
                expected + 1
            ),
            "Every run escaped at step 0? The saddle separates the wells along x: test "
            "paths[:, 0, :] < saddle (the runs start right of the saddle, at x = 1).": (
                np.zeros_like(expected)
            ),
            "You counted the steps spent left of the saddle; the exercise asks for the first "
            "one.": crossed.sum(axis=0),
            "The first crossing, not the last: the index of the first True in each column.": (
                np.where(
                    crossed.any(axis=0), len(crossed) - 1 - crossed[::-1].argmax(axis=0), np.inf
                )
            ),
        },
    )
    return "Use it on noisy_descent's paths and take np.median of the result."


def _hessians():
    rng = np.random.default_rng(4)
    q = np.linalg.qr(rng.normal(size=(3, 3)))[0]
    yield surfaces.Quadratic(kappa=100.0).hessian
    yield surfaces.Quadratic(kappa=10.0, angle=np.radians(30)).hessian
    yield q @ np.diag([0.5, 3.0, 7.0]) @ q.T


@exercise("sgd-gd-rate", "gradient descent's largest stable learning rate: max_stable_lr(H)")
def _gd_rate(answer):
    for hessian in _hessians():
        eig = np.linalg.eigvalsh(hessian)
        compare(
            as_float(call(answer, hessian.copy())),
            2 / eig[-1],
            names=["rate"],
            mistakes={
                "Stable means |1 - ηλ| < 1 for every eigenvalue λ: that allows η up to 2/λ_max, "
                "not 1/λ_max (which is the fastest rate for the stiffest direction).": 1 / eig[-1],
                "The stiffest direction limits the rate: use the largest eigenvalue, not the "
                "smallest.": 2 / eig[0],
                "Use the Hessian's largest eigenvalue (np.linalg.eigvalsh(H)[-1]), not its "
                "largest entry.": 2 / hessian.max() if hessian[0, 1] else None,
                "The trace is the sum of all eigenvalues; only the largest limits the rate.": 2
                / np.trace(hessian),
            },
        )
    return "On a quadratic, η < 2/λ_max is exact; for the cross-entropy it holds near a minimum."
