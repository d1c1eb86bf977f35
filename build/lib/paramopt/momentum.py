"""Momentum in three conventions, and how fast each gets to the bottom of a valley.

The book's momentum chapter compares three ways of writing the same idea:

* the article's exponential moving average (EMA) form, :func:`ema_momentum`::

      m_t = β m_{t-1} + (1 - β) g_t,   θ_t = θ_{t-1} - α_t m_t,   m_0 = 0

* Polyak's heavy ball, :func:`heavy_ball` (also the "velocity" form of Sutskever et al.
  and Keras: v_t = β v_{t-1} - α_t g_t, θ_t = θ_{t-1} + v_t)::

      θ_t = θ_{t-1} - α_t g_t + β (θ_{t-1} - θ_{t-2}),   θ_{-1} = θ_0

* PyTorch's buffer form, :class:`paramopt.optim.SGD`, driven by :func:`sgd_path`::

      b_1 = g_1,   b_t = μ b_{t-1} + (1 - τ) g_t,   θ_t = θ_{t-1} - γ_t b_t

where g_t = ∇f(θ_{t-1}). ``lr`` may be one number or one rate per step (a schedule).

:func:`heavy_ball_rate` / :func:`optimal_heavy_ball` give the linear convergence rate of
the heavy ball on a quadratic and Polyak's optimal tuning.
"""

import numpy as np

from paramopt import optim
from paramopt.validation import check_array, check_int, check_real

__all__ = [
    "ema_momentum",
    "heavy_ball",
    "heavy_ball_rate",
    "optimal_gradient_descent",
    "optimal_heavy_ball",
    "sgd_path",
]


def ema_momentum(grad, start, steps, lr, beta):
    """The article's EMA form; returns θ_0 … θ_steps stacked (shape (steps + 1, *start.shape))."""
    theta, lrs, beta = _setup(grad, start, steps, lr, beta)
    m = np.zeros_like(theta)
    path = [theta.copy()]
    for t in range(steps):
        m = beta * m + (1 - beta) * grad(theta)  # m_t = β m_{t-1} + (1 - β) g_t
        theta = theta - lrs[t] * m  # θ_t = θ_{t-1} - α_t m_t
        path.append(theta)
    return np.array(path)


def heavy_ball(grad, start, steps, lr, beta):
    """Polyak's heavy ball; returns θ_0 … θ_steps stacked (shape (steps + 1, *start.shape))."""
    theta, lrs, beta = _setup(grad, start, steps, lr, beta)
    previous = theta.copy()  # θ_{-1} = θ_0: the ball starts at rest
    path = [theta.copy()]
    for t in range(steps):
        # θ_t = θ_{t-1} - α_t g_t + β (θ_{t-1} - θ_{t-2})
        theta, previous = theta - lrs[t] * grad(theta) + beta * (theta - previous), theta
        path.append(theta)
    return np.array(path)


def sgd_path(grad, start, steps, lr, **hyperparameters):
    """θ_0 … θ_steps of :class:`paramopt.optim.SGD` (``**hyperparameters``: momentum, ...).

    With a schedule, ``opt.lr`` is set to ``lr[t]`` before step t + 1, as a PyTorch
    learning-rate scheduler does between steps.
    """
    theta, lrs, _ = _setup(grad, start, steps, lr, 0.0)
    opt = optim.SGD([theta], lr=lrs[0] if steps else 0.0, **hyperparameters)
    path = [theta.copy()]
    for t in range(steps):
        opt.lr = lrs[t]
        opt.step([grad(theta)])
        path.append(theta.copy())
    return np.array(path)


def _setup(grad, start, steps, lr, beta):
    if not callable(grad):
        raise TypeError(f"grad must be a function theta -> gradient, got {grad!r}")
    theta = check_array("start", start).astype(np.float64)  # a copy
    steps = check_int("steps", steps, low=0)
    beta = check_real("beta", beta, low=0.0, high=1.0, high_open=True)
    if np.ndim(lr) == 0:
        lrs = np.full(steps, check_real("lr", lr, low=0.0))
    else:
        lrs = check_array("lr", lr, shape=(steps,))
        if np.any(lrs < 0):
            raise ValueError(f"Invalid lr: every rate must be >= 0, got min {lrs.min()!r}")
    return theta, lrs, beta


def heavy_ball_rate(lr, beta, curvatures):
    """Linear rate ρ of the heavy ball on a quadratic with Hessian eigenvalues ``curvatures``.

    Along an eigenvector with eigenvalue λ the error obeys
    e_{t+1} = (1 + β - αλ) e_t - β e_{t-1}, so it shrinks like ρ_λ^t where ρ_λ is the
    largest |root| of r² - (1 + β - αλ) r + β = 0. Returns max over λ of ρ_λ: the run
    converges iff ρ < 1, which holds iff 0 < αλ < 2(1 + β) for every λ (0 ≤ β < 1).
    β = 0 is gradient descent, ρ = max |1 - αλ|.
    """
    lr = check_real("lr", lr, low=0.0)
    beta = check_real("beta", beta, low=0.0, high=1.0, high_open=True)
    lam = check_array("curvatures", np.atleast_1d(curvatures), ndim=1)
    if np.any(lam <= 0):
        raise ValueError(f"curvatures must be > 0, got {lam.min()!r}")
    b = 1 + beta - lr * lam
    disc = np.sqrt((b * b - 4 * beta).astype(complex))
    roots = np.abs(np.stack([(b + disc) / 2, (b - disc) / 2]))
    return float(roots.max())


def optimal_gradient_descent(largest, smallest):
    """(α, ρ) minimising gradient descent's rate for curvatures in [``smallest``, ``largest``].

    With L = largest, ℓ = smallest and κ = L / ℓ: α = 2 / (L + ℓ), ρ = (κ - 1) / (κ + 1).
    """
    L, ell = _check_curvatures(largest, smallest)
    kappa = L / ell
    return 2 / (L + ell), (kappa - 1) / (kappa + 1)


def optimal_heavy_ball(largest, smallest):
    """Polyak's (α, β, ρ) minimising the heavy ball's rate for curvatures in [ℓ, L].

    With L = largest, ℓ = smallest and κ = L / ℓ: α = 4 / (√L + √ℓ)²,
    β = ((√κ - 1) / (√κ + 1))² and ρ = √β = (√κ - 1) / (√κ + 1).
    """
    L, ell = _check_curvatures(largest, smallest)
    root = np.sqrt(L / ell)
    rho = (root - 1) / (root + 1)
    return 4 / (np.sqrt(L) + np.sqrt(ell)) ** 2, rho**2, rho


def _check_curvatures(largest, smallest):
    smallest = check_real("smallest", smallest, low=0.0, low_open=True)
    largest = check_real("largest", largest, low=smallest)
    return largest, smallest
