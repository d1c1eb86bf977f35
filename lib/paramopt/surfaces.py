"""Two-dimensional test functions for the optimiser playground, and :func:`run`.

Every surface gives the value f(θ) and the analytic gradient ∇f(θ) of θ = (x, y).
Both accept θ of shape ``(2,)`` (one point: ``value`` returns a float) or ``(2, ...)``
(many points at once, e.g. ``np.stack([X, Y])`` from a meshgrid), and :meth:`Surface.grid`
returns ``X, Y, Z`` ready for ``plt.contour``. Each surface also knows its ``name``, a
plotting window ``bounds = ((x_min, x_max), (y_min, y_max))``, its minimisers ``minima``
(one row per point, the global minimum first) and its saddle points ``saddles``.

:func:`run` drives any optimiser of :mod:`paramopt.optim` over a surface and returns
the path; it raises :class:`paramopt.Diverged` when the path leaves for infinity.
"""

from typing import NamedTuple

import numpy as np

from paramopt import optim
from paramopt.captions import passed
from paramopt.style import number
from paramopt.validation import Diverged, check_array, check_int, check_real

__all__ = [
    "SURFACES",
    "Beale",
    "DoubleWell",
    "Quadratic",
    "Rosenbrock",
    "Saddle",
    "ShiftedQuadratic",
    "Surface",
    "Trajectory",
    "as_surface",
    "run",
    "steps_to_tolerance",
]


def _points(rows):
    points = np.array(rows, dtype=np.float64).reshape(-1, 2)
    points.setflags(write=False)
    return points


class Surface:
    """Base class: subclasses set ``name``, ``bounds``, ``minima`` and write ``f``, ``df``.

    ``f(x, y)`` and ``df(x, y)`` are the raw formulas: they work elementwise on arrays
    and skip the input checks, for loops that call them many times. :meth:`value` and
    :meth:`grad` take a checked θ.
    """

    name = "surface"  # a key of SURFACES
    title = "surface"  # as the text names it
    bounds = ((-2.0, 2.0), (-2.0, 2.0))
    minima = _points([])
    saddles = _points([])

    def value(self, theta):
        """f(θ): a float for θ of shape (2,), an array of shape ``...`` for (2, ...)."""
        x, y = _check_theta(theta)
        z = self.f(x, y)
        return float(z) if np.ndim(z) == 0 else z

    def grad(self, theta):
        """∇f(θ), an array of the same shape as θ: (∂f/∂x, ∂f/∂y) along the first axis."""
        x, y = _check_theta(theta)
        return np.stack(np.broadcast_arrays(*self.df(x, y)))

    def grid(self, num=201):
        """``X, Y, Z`` on a ``num`` × ``num`` grid spanning ``bounds``, for contour plots."""
        num = check_int("num", num, low=2)
        (x0, x1), (y0, y1) = self.bounds
        X, Y = np.meshgrid(np.linspace(x0, x1, num), np.linspace(y0, y1, num))
        return X, Y, self.f(X, Y)

    def f(self, x, y):
        raise NotImplementedError

    def df(self, x, y):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class Quadratic(Surface):
    """Ill-conditioned quadratic f = ½ (u² + κ v²), the axes (u, v) rotated by ``angle``.

    u = x cos φ + y sin φ and v = -x sin φ + y cos φ, so the Hessian has eigenvalues 1
    and κ (the condition number, κ ≥ 1) and ``angle`` = 0 aligns the valley with x.
    The minimum is f(0, 0) = 0.
    """

    name = "quadratic"
    title = "quadratic"
    bounds = ((-3.0, 3.0), (-2.0, 2.0))
    minima = _points([0.0, 0.0])

    def __init__(self, kappa=10.0, angle=0.0):
        self.kappa = check_real("kappa", kappa, low=1.0)
        self.angle = check_real("angle", angle)
        self._cos, self._sin = np.cos(self.angle), np.sin(self.angle)

    @property
    def hessian(self):
        """The constant 2 × 2 Hessian ∇²f = Rᵀ diag(1, κ) R."""
        c, s, k = self._cos, self._sin, self.kappa
        off = (1 - k) * c * s
        return np.array([[c * c + k * s * s, off], [off, s * s + k * c * c]])

    def f(self, x, y):
        u, v = self._cos * x + self._sin * y, -self._sin * x + self._cos * y
        return 0.5 * (u * u + self.kappa * v * v)

    def df(self, x, y):
        u, v = self._cos * x + self._sin * y, -self._sin * x + self._cos * y
        kv = self.kappa * v
        return self._cos * u - self._sin * kv, self._sin * u + self._cos * kv

    def __repr__(self):
        return f"Quadratic(kappa={self.kappa!r}, angle={self.angle!r})"


class ShiftedQuadratic(Surface):
    r"""f(θ) = ½ (θ − c)ᵀ H (θ − c) with H = diag(1, κ): a least-squares problem in 2-D.

    The minimum is at ``center`` c, away from the origin, so that weight decay (which
    pulls towards 0) has something to do; κ ≥ 1 makes θ₂ the steep coordinate. The
    L2-regularised loss f(θ) + (λ/2)‖θ‖² has the minimiser
    :meth:`ridge_minimum` (H + λI)⁻¹ H c, i.e. c_i h_i / (h_i + λ) coordinate by
    coordinate.
    """

    name = "shifted quadratic"
    title = "shifted quadratic"
    bounds = ((-1.0, 4.0), (-0.8, 2.6))

    def __init__(self, center=(2.5, 1.5), kappa=10.0):
        self.center = check_array("center", center, shape=(2,)).astype(np.float64)
        self.kappa = check_real("kappa", kappa, low=1.0)
        self.curvature = np.array([1.0, self.kappa])
        self.minima = _points(self.center)

    def f(self, x, y):
        (c1, c2), k = self.center, self.kappa
        return 0.5 * ((x - c1) ** 2 + k * (y - c2) ** 2)

    def df(self, x, y):
        (c1, c2), k = self.center, self.kappa
        return x - c1, k * (y - c2)

    def ridge_minimum(self, weight_decay):
        """argmin f(θ) + (λ/2)‖θ‖² = (H + λI)⁻¹ H c for λ = ``weight_decay`` ≥ 0."""
        lam = check_real("weight_decay", weight_decay, low=0.0)
        return self.center * self.curvature / (self.curvature + lam)

    def __repr__(self):
        return f"ShiftedQuadratic(center={tuple(self.center.tolist())!r}, kappa={self.kappa!r})"


class Rosenbrock(Surface):
    """Rosenbrock's banana valley f = (a - x)² + b (y - x²)², minimum f(a, a²) = 0."""

    name = "rosenbrock"
    title = "Rosenbrock"

    def __init__(self, a=1.0, b=100.0):
        self.a = check_real("a", a)
        self.b = check_real("b", b, low=0.0, low_open=True)
        self.minima = _points([self.a, self.a**2])
        self.bounds = (
            (min(-2.0, self.a - 1.0), max(2.0, self.a + 1.0)),
            (-1.0, max(3.0, self.a**2 + 1.0)),
        )

    def f(self, x, y):
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def df(self, x, y):
        r = y - x * x
        return -2 * (self.a - x) - 4 * self.b * x * r, 2 * self.b * r

    def __repr__(self):
        return f"Rosenbrock(a={self.a!r}, b={self.b!r})"


class Beale(Surface):
    """Beale's function f = Σₙ (cₙ - x + x yⁿ)² over n = 1, 2, 3, c = (1.5, 2.25, 2.625).

    Flat plateaus and steep walls; the minimum is f(3, ½) = 0 and (0, 1) is a saddle.
    """

    name = "beale"
    title = "Beale"
    bounds = ((-4.5, 4.5), (-4.5, 4.5))
    minima = _points([3.0, 0.5])
    saddles = _points([0.0, 1.0])
    _c = (1.5, 2.25, 2.625)

    def f(self, x, y):
        return sum((c - x + x * y**n) ** 2 for n, c in enumerate(self._c, start=1))

    def df(self, x, y):
        dx = dy = 0.0
        for n, c in enumerate(self._c, start=1):
            r = c - x + x * y**n  # residual: ∂r/∂x = yⁿ - 1, ∂r/∂y = n x yⁿ⁻¹
            dx = dx + 2 * r * (y**n - 1)
            dy = dy + 2 * r * n * x * y ** (n - 1)
        return dx, dy


class Saddle(Surface):
    """The saddle f = x² - y²: a stationary point at (0, 0) and no minimum at all."""

    name = "saddle"
    title = "saddle"
    saddles = _points([0.0, 0.0])

    def f(self, x, y):
        return x * x - y * y

    def df(self, x, y):
        return 2 * x, -2 * y


class DoubleWell(Surface):
    """Tilted double well f = (x² - 1)² + 4s (x - x³/3) + y², with s = ``tilt`` in (-1, 1).

    ∂f/∂x = 4 (x² - 1)(x - s): the minima stay at (±1, 0) whatever the tilt and the
    saddle between them sits at (s, 0). For s > 0 the left well is the deeper one,
    f(-1, 0) = -8s/3 < f(1, 0) = 8s/3, so gradient descent started on the right stalls
    in a local minimum.
    """

    name = "double_well"
    title = "double-well"
    bounds = ((-2.0, 2.0), (-1.5, 1.5))

    def __init__(self, tilt=0.25):
        self.tilt = check_real("tilt", tilt, low=-1.0, high=1.0, low_open=True, high_open=True)
        deep = -1.0 if self.tilt >= 0 else 1.0
        self.minima = _points([[deep, 0.0], [-deep, 0.0]])
        self.saddles = _points([self.tilt, 0.0])

    def f(self, x, y):
        return (x * x - 1) ** 2 + 4 * self.tilt * (x - x**3 / 3) + y * y

    def df(self, x, y):
        return 4 * (x * x - 1) * (x - self.tilt), 2 * y

    def __repr__(self):
        return f"DoubleWell(tilt={self.tilt!r})"


#: The surfaces by ``name``, for menus: ``SURFACES["rosenbrock"](b=10)``.
SURFACES = {cls.name: cls for cls in (Quadratic, Rosenbrock, Beale, Saddle, DoubleWell)}


class Trajectory(NamedTuple):
    """The path of :func:`run`: ``theta[k]`` is θ_k (shape (steps + 1, 2)), ``loss[k]`` f(θ_k)."""

    theta: np.ndarray
    loss: np.ndarray


def run(surface, optimizer, start, steps, *, limit=1e6, **hyperparameters):
    """Minimise ``surface`` from ``start`` for ``steps`` steps; return a :class:`Trajectory`.

    ``optimizer`` is a name :func:`paramopt.optim.create` knows (``"sgd"``, ``"adam"``,
    ``"Nesterov"``, ...; any case) built with ``**hyperparameters``, or a factory
    ``optimizer([theta])`` returning an object with ``step(grads)``. ``surface`` is a
    :class:`Surface` or a key of :data:`SURFACES`.

    Raises :class:`paramopt.Diverged` with ``.step = k`` at the first step k whose θ_k or
    f(θ_k) is not finite or where ``|θ_k| > limit`` (``limit=np.inf`` sets no bound). The
    finite part of the path, θ_0 … θ_{k-1}, is attached to the error as ``.trajectory``.
    """
    surface = as_surface(surface)
    make = _optimizer_factory(optimizer, hyperparameters)
    theta = check_array("start", start, shape=(2,)).astype(np.float64)  # a copy
    steps = check_int("steps", steps, low=0)
    if limit != np.inf:  # inf: no bound on |θ|
        limit = check_real("limit", limit, low=0.0, low_open=True)

    path, loss = np.empty((steps + 1, 2)), np.empty(steps + 1)
    path[0], loss[0] = theta, surface.f(*theta)
    opt = make([theta])
    with np.errstate(over="ignore", invalid="ignore"):
        if not np.isfinite(loss[0]):
            raise _diverged(0, "loss", path, loss)
        for k in range(1, steps + 1):
            grad = np.array(surface.df(*theta), dtype=np.float64)
            if not np.all(np.isfinite(grad)):
                raise _diverged(k, "gradient", path, loss)
            opt.step([grad])
            path[k], loss[k] = theta, surface.f(*theta)
            if not np.all(np.isfinite(theta)):
                raise _diverged(k, "θ", path, loss)
            if np.hypot(*theta) > limit:
                raise _diverged(k, "θ", path, loss, passed("|θ|", number(limit, 3, trim=True)))
            if not np.isfinite(loss[k]):
                raise _diverged(k, "loss", path, loss)
    return Trajectory(path, loss)


def steps_to_tolerance(surface, optimizer, start, *, tol, max_steps, limit=1e6, **hyperparameters):
    """The first k ≤ ``max_steps`` with f(θ_k) - f(θ*) < ``tol``, or None if none is.

    Runs ``optimizer`` as :func:`run` does but stops as soon as the gap to the global
    minimum θ* = ``surface.minima[0]`` falls below ``tol``. Raises
    :class:`paramopt.Diverged` when θ_k or f(θ_k) stops being finite or |θ_k| > ``limit``.
    """
    surface = as_surface(surface)
    if not len(surface.minima):
        raise ValueError(f"surface {surface!r} has no minimum to converge to")
    tol = check_real("tol", tol, low=0.0, low_open=True)
    max_steps = check_int("max_steps", max_steps, low=0)
    limit = check_real("limit", limit, low=0.0, low_open=True)
    make = _optimizer_factory(optimizer, hyperparameters)
    theta = check_array("start", start, shape=(2,)).astype(np.float64)
    best = surface.f(*surface.minima[0])
    opt = make([theta])
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(max_steps + 1):
            gap = surface.f(*theta) - best
            if not np.isfinite(gap):
                raise Diverged(k, "loss")
            if np.hypot(*theta) > limit:
                raise Diverged(k, "θ", passed("|θ|", number(limit, 3, trim=True)))
            if gap < tol:
                return k
            if k < max_steps:
                opt.step([np.array(surface.df(*theta), dtype=np.float64)])
    return None


def _diverged(step, what, path, loss, reason=None):
    error = Diverged(step, what, reason)
    error.trajectory = Trajectory(path[:step].copy(), loss[:step].copy())
    return error


def _check_theta(theta):
    theta = check_array("theta", theta)
    if theta.ndim == 0 or theta.shape[0] != 2:
        raise ValueError(f"theta must have shape (2,) or (2, ...), got {theta.shape}")
    return theta[0], theta[1]


def as_surface(surface):
    """``surface`` itself, or a new surface of :data:`SURFACES` by its name (checked)."""
    if isinstance(surface, str):
        if surface not in SURFACES:
            raise ValueError(f"Invalid surface: {surface!r} (choose from {sorted(SURFACES)})")
        return SURFACES[surface]()
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be a Surface or a name, got {surface!r}")
    return surface


def _optimizer_factory(optimizer, hyperparameters):
    if isinstance(optimizer, str):
        return lambda params: optim.create(optimizer, params, **hyperparameters)
    if not callable(optimizer):
        raise TypeError(f"optimizer must be a name or a factory, got {optimizer!r}")
    if hyperparameters:
        raise TypeError(
            f"hyperparameters {sorted(hyperparameters)} go to the factory itself, not to run()"
        )
    return optimizer
