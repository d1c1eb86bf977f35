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
the heavy ball on a quadratic and Polyak's optimal tuning; :func:`root_modulus` and
:func:`rate_map` the closed-form rate over a grid of (α, β), and :func:`valley_run` the
measured run on the valley f(θ) = ½ (θ₁² + κ θ₂²) that the chapter's κ explorer shows.
"""

import math
from dataclasses import dataclass

import numpy as np

from paramopt import optim
from paramopt.validation import check_array, check_int, check_real

__all__ = [
    "ema_momentum",
    "heavy_ball",
    "heavy_ball_rate",
    "optimal_gradient_descent",
    "optimal_heavy_ball",
    "predicted_steps",
    "rate_map",
    "root_modulus",
    "sgd_path",
    "valley_run",
    "ValleyRun",
    "VALLEY_START",
    "VALLEY_TOL",
]

#: where :func:`valley_run` starts: (θ₁, θ₂), far along the valley floor and up its wall
VALLEY_START = (-2.5, 1.5)
#: :func:`valley_run` stops once ‖θ_t‖ ≤ VALLEY_TOL ‖θ_0‖ (the minimum is θ* = 0)
VALLEY_TOL = 1e-6


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


def root_modulus(lr, beta, curvature):
    """The largest |z| over the roots of z² - (1 + β - αλ) z + β = 0 (elementwise).

    ``lr`` = α ≥ 0, ``beta`` = β in [0, 1) and ``curvature`` = λ > 0 may be numbers or
    arrays that broadcast. With b = 1 + β - αλ: if b² ≤ 4β the roots are complex
    conjugates (or a double root) of modulus √β; otherwise they are real with the sign of
    b, and the larger modulus is (|b| + √(b² - 4β)) / 2. Returns a float for scalar input.
    """
    lr = _check_range("lr", lr, low=0.0)
    beta = _check_range("beta", beta, low=0.0, high=1.0)
    lam = _check_range("curvature", curvature, low=0.0, low_open=True)
    b = 1 + beta - lr * lam
    disc = b * b - 4 * beta
    real = (np.abs(b) + np.sqrt(np.maximum(disc, 0.0))) / 2
    rho = np.where(disc > 0, real, np.sqrt(beta) + 0 * b)
    return float(rho) if np.ndim(rho) == 0 else rho


def rate_map(kappa, lrs, betas, *, smallest=1.0):
    """The heavy ball's rate ρ(α, β) for curvatures in [μ, L], μ = ``smallest``, L = κμ.

    Returns an array of shape (len(betas), len(lrs)): row i, column j is
    max(root_modulus(α_j, β_i, μ), root_modulus(α_j, β_i, L)). The two ends suffice: the
    root modulus is a nondecreasing function of |b| = |1 + β - αλ|, which is convex in λ,
    so its maximum over [μ, L] sits at an end.
    """
    kappa = check_real("kappa", kappa, low=1.0)
    smallest = check_real("smallest", smallest, low=0.0, low_open=True)
    lrs = check_array("lrs", lrs, ndim=1)
    betas = check_array("betas", betas, ndim=1)
    alpha, beta = lrs[None, :], betas[:, None]
    return np.maximum(
        root_modulus(alpha, beta, smallest), root_modulus(alpha, beta, kappa * smallest)
    )


def predicted_steps(rate, tol=VALLEY_TOL):
    """Steps until ρ^t ≤ ``tol``: ⌈ln(1/tol) / ln(1/ρ)⌉, or None when ρ ≥ 1."""
    rate = check_real("rate", rate, low=0.0)
    tol = check_real("tol", tol, low=0.0, high=1.0, low_open=True, high_open=True)
    if rate >= 1:
        return None
    if rate == 0:
        return 1
    return math.ceil(math.log(tol) / math.log(rate) - 1e-9)


@dataclass(frozen=True)
class ValleyRun:
    """A heavy-ball run on the valley f(θ) = ½ (θ₁² + κ θ₂²), from :func:`valley_run`.

    ``path`` holds θ_0 … θ_n (n the last step run), ``distance`` ‖θ_t‖ / ‖θ_0‖ for the same
    t. ``steps`` is the first t with distance ≤ ``tol`` (None if not reached),
    ``diverged_at`` the first t at which θ_t left the bound or stopped being finite (None
    if it did not; the path then ends at the step before). ``rate`` is the closed-form ρ.
    """

    kappa: float
    lr: float
    beta: float
    tol: float
    path: np.ndarray
    distance: np.ndarray
    steps: int | None
    diverged_at: int | None
    rate: float

    @property
    def predicted(self):
        """The asymptotic prediction of ``steps``: ρ^t ≤ tol (None if ρ ≥ 1)."""
        return predicted_steps(self.rate, self.tol)


def valley_run(kappa, lr, beta, *, start=VALLEY_START, tol=VALLEY_TOL, max_steps=20000,
               limit=1e6):  # fmt: skip
    """Polyak's heavy ball θ_t = θ_{t-1} - α ∇f(θ_{t-1}) + β (θ_{t-1} - θ_{t-2}), θ_{-1} = θ_0,
    on f(θ) = ½ (θ₁² + κ θ₂²) (curvatures 1 and κ), until ‖θ_t‖ ≤ ``tol`` ‖θ_0‖.

    Stops at the tolerance, after ``max_steps``, or when ‖θ_t‖ > ``limit`` ‖θ_0‖ or θ_t is
    not finite (diverged: the path keeps the steps before). Returns a :class:`ValleyRun`.
    """
    kappa = check_real("kappa", kappa, low=1.0)
    lr = check_real("lr", lr, low=0.0)
    beta = check_real("beta", beta, low=0.0, high=1.0, high_open=True)
    start = check_array("start", start, shape=(2,))
    tol = check_real("tol", tol, low=0.0, high=1.0, low_open=True, high_open=True)
    max_steps = check_int("max_steps", max_steps, low=0)
    limit = check_real("limit", limit, low=1.0)
    x, y = float(start[0]), float(start[1])
    r0 = math.hypot(x, y)
    if r0 == 0:
        raise ValueError("Invalid start: (0, 0) is the minimum already")
    px, py = x, y  # θ_{-1} = θ_0: the ball starts at rest
    xs, ys = [x], [y]
    steps = diverged = None
    if r0 <= tol * r0:
        steps = 0
    t = 0
    while steps is None and t < max_steps:
        t += 1
        # ∇f(θ) = (θ₁, κ θ₂), one coordinate at a time (floats: fast and exact to the formula)
        x, px = x - lr * x + beta * (x - px), x
        y, py = y - lr * kappa * y + beta * (y - py), y
        r = math.hypot(x, y)
        if not math.isfinite(r) or r > limit * r0:
            diverged = t
            break
        xs.append(x)
        ys.append(y)
        if r <= tol * r0:
            steps = t
    path = np.column_stack([xs, ys])
    rate = max(root_modulus(lr, beta, 1.0), root_modulus(lr, beta, kappa))
    return ValleyRun(kappa, lr, beta, tol, path, np.hypot(path[:, 0], path[:, 1]) / r0,
                     steps, diverged, rate)  # fmt: skip


def _check_range(name, value, *, low=None, high=None, low_open=False):
    """A number (checked by check_real) or a finite array with every entry in range;
    β's ``high`` is open: [low, high)."""
    if np.ndim(value) == 0 and not isinstance(value, np.ndarray):
        return check_real(name, value, low=low, high=high, low_open=low_open, high_open=True)
    array = check_array(name, value)
    bad = np.zeros(array.shape, bool)
    if low is not None:
        bad |= (array <= low) if low_open else (array < low)
    if high is not None:
        bad |= array >= high
    if bad.any():
        interval = f"{'(' if low_open else '['}{low}, {high if high is not None else '∞'})"
        raise ValueError(
            f"Invalid {name}: {float(array[bad].ravel()[0])!r} (must be in {interval})"
        )
    return array
