"""Checkers for chapter 4, momentum: the stability limit, Nesterov, converting conventions."""

import numpy as np

from paramopt import momentum, surfaces
from paramopt.exercises.checking import Hint, call, call_each, compare, exercise


@exercise("momentum-stability", "the heavy ball's largest stable rate: heavy_ball_limit(λ, β)")
def _stability(answer):
    cases = [(100.0, 0.9), (100.0, 0.0), (1.0, 0.5), (4.0, 0.99)]
    lam, beta = np.array(cases).T
    got = call_each(answer, cases)
    compare(
        got,
        2 * (1 + beta) / lam,
        names=["limit"],
        mistakes={
            "That is gradient descent's limit 2/λ; momentum raises it: p(-1) = 2(1 + β) - ηλ "
            "> 0 gives η < 2(1 + β)/λ.": 2 / lam,
            "Sign: p(-1) = 1 + b + β with b = 1 + β - ηλ, which is 2(1 + β) - ηλ.": 2
            * (1 - beta)
            / lam,
            "Missing factor 2: p(-1) = 2(1 + β) - ηλ > 0.": (1 + beta) / lam,
        },
    )
    return "For β = 0.9 and λ = 100 that is 0.038, as momentum.heavy_ball_rate confirms."


def _sutskever(grad, start, steps, lr, mu, *, lookahead=True, return_theta=False):
    """Sutskever's form, or a typical mistake (gradient at θ, or θ returned instead of φ)."""
    theta, v = start.copy(), np.zeros_like(start)
    thetas, phis = [theta.copy()], [theta.copy()]
    for _ in range(steps):
        v = mu * v - lr * grad(theta + mu * v if lookahead else theta)
        theta = theta + v
        thetas.append(theta.copy())
        phis.append(theta + mu * v)
    return np.array(thetas if return_theta else phis)


@exercise(
    "momentum-nesterov",
    "Sutskever's Nesterov momentum, returning the look-ahead points: sutskever_nesterov",
)
def _nesterov(answer):
    valley = surfaces.Quadratic(kappa=100.0)
    rosenbrock = surfaces.Rosenbrock()
    for surface, start, lr in (
        (valley, np.array([-2.5, 1.5]), 0.01),
        (rosenbrock, np.array([-1.2, 1.0]), 2e-4),
    ):
        steps, mu = 30, 0.9
        args = (surface.grad, start, steps, lr, mu)
        got = call(answer, *args)
        expected = momentum.sgd_path(surface.grad, start, steps, lr=lr, momentum=mu, nesterov=True)
        if np.shape(got) != expected.shape:
            raise Hint(
                f"return the points φ_0 … φ_steps stacked, shape {expected.shape} (start "
                f"included), got shape {np.shape(got)}"
            )
        compare(
            got,
            expected,
            names=["phi"],
            rtol=1e-9,
            mistakes={
                "You returned θ_t; PyTorch's iterates are the look-ahead points "
                "φ_t = θ_t + μ v_t.": _sutskever(*args, return_theta=True),
                "Nesterov takes the gradient at the look-ahead point θ + μv, not at θ (that "
                "is the heavy ball).": _sutskever(*args, lookahead=False),
                "That is the heavy ball's path: Nesterov takes the gradient at θ + μv.": (
                    _sutskever(*args, lookahead=False, return_theta=True)
                ),
            },
        )
    return "Its φ_t is SGD(momentum=μ, nesterov=True) step for step."


@exercise("momentum-convert", "torch.optim.SGD's (lr, momentum) for the EMA form: torch_arguments")
def _convert(answer):
    for alpha, beta in ((0.1, 0.95), (0.01, 0.9), (1.0, 0.8)):
        got = call(answer, alpha, beta)
        compare(
            got,
            (alpha * (1 - beta), beta),
            names=["lr", "momentum"],
            mistakes={
                "Same letters, different steps: torch's buffer adds whole gradients, "
                "b ← βb + g, which is the EMA times 1/(1 - β), so lr = α(1 - β).": (alpha, beta),
                "The other way round: torch's buffer is 1/(1 - β) times the EMA, so its lr "
                "must be smaller, α(1 - β).": (alpha / (1 - beta), beta),
                "momentum is β itself, the weight of the old buffer (dampening 0).": (
                    alpha * (1 - beta),
                    1 - beta,
                ),
            },
        )
    return "SGD(lr=α(1 - β), momentum=β) reproduces the EMA form from the first step."


@exercise("momentum-optimal-beta", "Polyak's optimal momentum for condition number κ: optimal_beta")
def _optimal_beta(answer):
    kappas = np.array([4.0, 10.0, 100.0, 1000.0, 1e6])
    got = call_each(answer, [(k,) for k in kappas])
    expected = np.array([momentum.optimal_heavy_ball(largest=k, smallest=1.0)[1] for k in kappas])
    root = np.sqrt(kappas)
    compare(
        got,
        expected,
        at=kappas,
        names=["beta"],
        mistakes={
            "That is the rate ρ* = (√κ - 1)/(√κ + 1); the momentum is its square, β* = ρ*² "
            "(the complex roots have modulus √β).": (root - 1) / (root + 1),
            "That is gradient descent's rate (κ - 1)/(κ + 1): the heavy ball replaces κ by √κ, "
            "and β* is the square of its rate.": (kappas - 1) / (kappas + 1),
            "Square roots missing: β* = ((√κ - 1)/(√κ + 1))², not ((κ - 1)/(κ + 1))².": (
                (kappas - 1) / (kappas + 1)
            )
            ** 2,
        },
    )
    return "β* = ((√κ - 1)/(√κ + 1))²: 0.669 at κ = 100, with rate √β* = 9/11."
