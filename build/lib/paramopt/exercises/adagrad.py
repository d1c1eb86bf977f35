"""Checkers for chapter 5, AdaGrad: distance travelled, effective rates, a rotated Hessian."""

import numpy as np

from paramopt import optim, surfaces
from paramopt.exercises.checking import call, call_each, compare, exercise


def _adagrad_distance(steps, lr, g, s0):
    """Distance travelled by po.optim.Adagrad (eps = 0) under the constant gradient g."""
    theta = np.zeros(1)
    opt = optim.Adagrad([theta], lr=lr, initial_accumulator_value=s0, eps=0.0)
    for _ in range(steps):
        opt.step([np.array([g])])
    return float(abs(theta[0]))


def _sum(steps, lr, g, s0, first=1):
    t = np.arange(first, steps + first)
    with np.errstate(divide="ignore"):
        return float(np.sum(lr * abs(g) / np.sqrt(s0 + t * g * g)))


@exercise("adagrad-distance", "AdaGrad's distance after T steps of gradient g: adagrad_distance")
def _distance(answer):
    cases = [
        (1, 0.01, 1.0, 0.0),
        (100, 0.03, 1.0, 0.0),
        (2550, 0.01, 1.0, 0.0),
        (50, 0.1, 2.0, 0.0),
        (50, 0.1, 2.0, 3.0),
        (10, 1.0, 0.5, 0.1),
    ]
    got = call_each(answer, cases)
    compare(
        got,
        np.array([_adagrad_distance(*case) for case in cases]),
        names=["distance"],
        rtol=1e-6,
        mistakes={
            "2α√T is the integral bound, not the distance: sum the steps α g/√(s₀ + t g²) "
            "for t = 1 … T.": np.array([2 * lr * np.sqrt(T) for T, lr, _, _ in cases]),
            "Off by one: the accumulator already holds g₁² at the first step, s₁ = s₀ + g², so "
            "t runs from 1 to T.": np.array([_sum(*case, first=0) for case in cases]),
            "You ignored initial_accumulator_value: the denominator is √(s₀ + t g²).": np.array(
                [_sum(T, lr, g, 0.0) for T, lr, g, _ in cases]
            ),
            "The accumulator sums g², so the step is α g/√(s₀ + t g²) (you wrote it for "
            "g = 1).": np.array([_sum(T, lr, 1.0, s0) for T, lr, _, s0 in cases]),
        },
    )
    return "About 2550 steps to move by 1 at α = 0.01: AdaGrad slows down for good."


@exercise("adagrad-preconditioner", "AdaGrad's per-coordinate rates: effective_rates(sum, lr, eps)")
def _preconditioner(answer):
    rng = np.random.default_rng(9)
    for state_sum, lr, eps in (
        (rng.uniform(0, 50, 4), 1.0, 1e-10),
        (np.array([0.0, 4.0]), 0.1, 0.5),
    ):
        compare(
            call(answer, state_sum, lr, eps),
            lr / (np.sqrt(state_sum) + eps),
            names=["rates"],
            mistakes={
                "ε goes outside the square root in PyTorch: lr/(√sum + ε).": lr
                / np.sqrt(state_sum + eps),
                "The accumulator holds squared gradients: divide by its square root, "
                "lr/(√sum + ε).": lr / (state_sum + eps),
                "Upside down: the rate is lr divided by √sum + ε.": (np.sqrt(state_sum) + eps) / lr,
            },
        )
    return "Their ratio is κ exactly when the two coordinates have equal magnitudes."


def _rotated(kappa, angle, *, transpose=False, swap=False):
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, s], [-s, c]])  # (u, v) = R (x, y)
    D = np.diag([kappa, 1.0] if swap else [1.0, kappa])
    return R @ D @ R.T if transpose else R.T @ D @ R


@exercise("adagrad-rotate", "the Hessian of the rotated valley: hessian(kappa, angle)")
def _rotate(answer):
    for kappa, degrees in ((100.0, 0.0), (100.0, 30.0), (10.0, 45.0), (4.0, 100.0)):
        angle = np.radians(degrees)
        compare(
            call(answer, kappa, angle),
            surfaces.Quadratic(kappa, angle).hessian,
            names=["hessian"],
            rtol=1e-9,
            atol=1e-9,
            mistakes={
                "Rotated the wrong way: with u = x cos φ + y sin φ and v = -x sin φ + y cos φ, "
                "H = Rᵀ diag(1, κ) R and the off-diagonal entry is (1 - κ) cos φ sin φ.": (
                    _rotated(kappa, angle, transpose=True) if degrees % 90 else None
                ),
                "The curvatures are swapped: f = ½(u² + κ v²) has curvature 1 along u and κ "
                "along v.": _rotated(kappa, angle, swap=True),
                "You forgot the rotation: H = Rᵀ diag(1, κ) R.": (
                    np.diag([1.0, kappa]) if degrees else None
                ),
            },
        )
    return "It matches po.surfaces.Quadratic(kappa, angle).hessian."
