r"""Instant checks for the book's coding and numeric exercises, with specific hints.

The reader writes an answer (usually a function) and asks for a check::

    import paramopt as po

    def squared_grad(z):
        return -2 * (1 - z)

    po.exercises.check("framework-squared", squared_grad)
    # ✓ framework-squared: correct. ...

A check tries the answer on several inputs against the library's reference and, when
the answer is wrong, says *why* if it recognises the mistake (a sign error, a missing
factor 1/N, ε inside the square root, a forgotten bias correction, ...). It never
raises because an answer is wrong, nor because the reader's function crashed: it
returns a :class:`Result` whose ``ok`` says whether the answer passed and whose
``message`` is the hint. Only an unknown exercise id raises ``ValueError``, listing the
valid ones; :func:`available` lists them too.

Adding a checker
----------------
A checker is a function of the answer, registered with :func:`exercise`. It raises
:class:`Hint` for a wrong answer and returns normally (optionally a remark) for a
right one. :func:`call` runs the reader's function safely and :func:`compare` matches
its output against the reference and a catalogue of typical mistakes::

    @exercise("chapter-topic", "implement d/dz of (1 - z)^2")
    def _(answer):
        z = np.linspace(-2, 3, 11)
        compare(
            call(answer, z), -2 * (1 - z), at=z,
            mistakes={"Sign error: ...": 2 * (1 - z), "Missing factor 2: ...": -(1 - z)},
        )

Ids are ``<chapter file>-<topic>`` (``framework-squared``, ``weight_decay-adamw-step``),
the same as the exercise's label in the book without the ``ex-`` prefix.
"""

import copy
import html
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from paramopt import losses, optim
from paramopt.data import two_blobs

__all__ = ["Hint", "Result", "available", "call", "check", "compare", "exercise"]


@dataclass(frozen=True)
class Result:
    """The outcome of :func:`check`: ``ok`` and a ``message`` (the hint when not ok).

    ``bool(result)`` is ``result.ok``; in a notebook the result shows as one line.
    """

    exercise: str
    ok: bool
    message: str

    def __bool__(self):
        return self.ok

    def __str__(self):
        mark = "✓" if self.ok else "✗"
        return f"{mark} {self.exercise}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self):
        colour = "#009E73" if self.ok else "#D55E00"  # Okabe–Ito green / vermillion
        mark = "✓" if self.ok else "✗"
        return (
            f'<div class="po-check" style="border-left: 4px solid {colour}; '
            f'padding: 0.3em 0.8em; white-space: normal">'
            f"<strong>{mark} {html.escape(self.exercise)}</strong>: "
            f"{html.escape(self.message)}</div>"
        )


class Hint(Exception):
    """Raised by a checker (or by :func:`call`/:func:`compare`) to reject an answer."""


@dataclass(frozen=True)
class Exercise:
    id: str
    task: str
    checker: Callable


_REGISTRY: dict[str, Exercise] = {}


def exercise(exercise_id, task):
    """Decorator: register ``checker(answer)`` under ``exercise_id`` (unique)."""
    if not isinstance(exercise_id, str) or not exercise_id:
        raise TypeError(f"exercise_id must be a non-empty string, got {exercise_id!r}")

    def register(checker):
        if exercise_id in _REGISTRY:
            raise ValueError(f"exercise {exercise_id!r} is already registered")
        _REGISTRY[exercise_id] = Exercise(exercise_id, str(task), checker)
        return checker

    return register


def available():
    """``{exercise id: task}`` for every registered checker, sorted by id."""
    return {key: _REGISTRY[key].task for key in sorted(_REGISTRY)}


def check(exercise_id, answer):
    """Check ``answer`` for ``exercise_id``; return a :class:`Result` (never raises for it)."""
    if exercise_id not in _REGISTRY:
        valid = ", ".join(sorted(_REGISTRY))
        raise ValueError(f"unknown exercise id {exercise_id!r}; valid ids: {valid}")
    try:
        remark = _REGISTRY[exercise_id].checker(answer)
    except Hint as hint:
        return Result(exercise_id, False, str(hint))
    message = "correct." + (f" {remark}" if remark else "")
    return Result(exercise_id, True, message)


# -- tools for writing checkers ------------------------------------------------------
def call(answer, *args, **kwargs):
    """Call the reader's function on copies of the arguments; turn any failure into a Hint.

    Floating-point warnings are silenced (a non-finite result is judged by
    :func:`compare`, which can then name the cause).
    """
    if not callable(answer):
        raise Hint(f"expected a function, got {type(answer).__name__} {answer!r:.60}")
    args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return answer(*args, **kwargs)
    except Exception as error:  # the reader's code, whatever it raises
        raise Hint(f"your function raised {type(error).__name__}: {error}") from None


def call_elementwise(answer, z):
    """``answer(z)`` for an array ``z``; a function written for one number is mapped over it."""
    try:
        raw = call(answer, z)
        out = np.asarray(raw, dtype=float)
    except Hint as error:
        first = error
    except (TypeError, ValueError):
        first = Hint(
            f"expected a number or an array of numbers, got {type(raw).__name__} {raw!r:.60}"
        )
    else:
        if out.shape == z.shape:
            return out
        first = Hint(f"your function returned shape {out.shape} for an input of shape {z.shape}")
    try:  # perhaps it was written for one number at a time
        return np.array([_as_float(call(answer, float(x))) for x in z])
    except Hint:
        raise Hint(str(first)) from None


def _as_float(value):
    try:
        return float(np.asarray(value, dtype=float))
    except (TypeError, ValueError):
        raise Hint(f"expected a number, got {type(value).__name__} {value!r:.60}") from None


def _as_arrays(value, n, names):
    """The answer as a tuple of ``n`` float arrays (a bare array if ``n`` is 1)."""
    parts = (value,) if n == 1 else value
    if n > 1 and (not isinstance(parts, tuple | list) or len(parts) != n):
        raise Hint(f"expected a tuple ({', '.join(names)}), got {type(value).__name__}")
    try:
        return tuple(np.asarray(p, dtype=float) for p in parts)
    except (TypeError, ValueError):
        raise Hint(f"expected numbers for ({', '.join(names)})") from None


def _close(got, want, rtol, atol):
    return all(
        g.shape == w.shape and np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=True)
        for g, w in zip(got, want, strict=True)
    )


def compare(got, expected, *, mistakes=None, at=None, names=None, rtol=1e-7, atol=1e-10):
    """Raise a :class:`Hint` unless ``got`` matches ``expected``.

    ``expected`` is a number, an array or a tuple of arrays (then ``names`` names the
    parts). ``mistakes`` maps a hint to the value a typical wrong answer produces: if
    ``got`` matches one, that hint is raised. Otherwise the hint says where ``got``
    first differs, at input ``at[i]`` when ``at`` is given.
    """
    n = len(expected) if isinstance(expected, tuple) else 1
    names = list(names or (["value"] if n == 1 else [f"output {i}" for i in range(n)]))
    want = _as_arrays(expected, n, names)
    got = _as_arrays(got, n, names)
    for g, w, name in zip(got, want, names, strict=True):
        if g.shape != w.shape:
            raise Hint(f"{name} has shape {g.shape}, expected {w.shape}")
    if _close(got, want, rtol, atol):
        return
    for hint, wrong in (mistakes or {}).items():
        if _close(got, _as_arrays(wrong, n, names), rtol, atol):
            raise Hint(hint)
    for g, w, name in zip(got, want, names, strict=True):
        bad = ~np.isclose(g, w, rtol=rtol, atol=atol, equal_nan=True)
        if np.any(bad):
            i = int(np.flatnonzero(bad.ravel())[0])
            where = f" at input {np.ravel(at)[i]:g}" if at is not None and n == 1 else ""
            if not np.isfinite(g.ravel()[i]):
                raise Hint(f"{name} is {g.ravel()[i]}{where}: it must be finite")
            raise Hint(
                f"{name} is wrong{where}: expected {w.ravel()[i]:.6g}, got {g.ravel()[i]:.6g} "
                f"(element {i})"
            )


# -- chapter 0: the framework ---------------------------------------------------------
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


def _sigmoid(z):
    return losses.sigmoid(z)


@exercise("framework-logistic-derivative", "ℓ'(z) for the logistic loss ℓ(z) = log(1 + e^(-z))")
def _logistic_derivative(answer):
    z = Z_TEST
    compare(
        call_elementwise(answer, z),
        losses.logistic_grad(z),
        at=z,
        mistakes={
            "Sign error: the logistic loss decreases in z, so ℓ'(z) = -σ(-z) < 0.": _sigmoid(-z),
            "Check the argument: ℓ'(z) = -σ(-z) = σ(z) - 1, not -σ(z).": -_sigmoid(z),
            "You dropped the denominator: ℓ'(z) = -e^(-z) / (1 + e^(-z)).": -np.exp(-z),
        },
    )
    extreme = np.array([-1000.0, -50.0, 50.0, 1000.0])
    compare(
        call_elementwise(answer, extreme),
        losses.logistic_grad(extreme),
        at=extreme,
        rtol=1e-6,
        atol=1e-12,
        mistakes={
            "Right formula, but not numerically stable: for z = -1000, e^(-z) overflows and "
            "inf/inf gives nan. Write it as -1 / (1 + e^z) or σ(z) - 1 "
            "(po.losses.sigmoid is stable).": np.array([np.nan, -1.0, -np.exp(-50.0), 0.0]),
        },
    )
    return "And it is stable for extreme margins."


def _logistic_problem(seed, n):
    X, y = two_blobs(n, distance=2.5, spread=1.0, rng=seed)
    rng = np.random.default_rng(seed)
    return X, y, rng.normal(size=2), float(rng.normal())


def _logistic_mean_grad(X, y, w, b, *, factor=1.0, with_y=True, derivative=None):
    dz = (derivative or losses.logistic_grad)(y * (X @ w + b))
    coef = dz * y if with_y else dz
    return factor * coef @ X / len(y), factor * np.sum(coef) / len(y)


@exercise("framework-mean-grad", "gradient (∇_w L, ∂L/∂b) of the mean logistic loss")
def _mean_grad(answer):
    for seed, n in ((0, 20), (1, 7)):
        X, y, w, b = _logistic_problem(seed, n)
        N = len(y)
        _, grad_w, grad_b, _ = losses.mean_loss_and_grad("logistic", X, y, w, b)
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
                    X, y, w, b, derivative=lambda z: -_sigmoid(z)
                ),
            },
        )
    return "It matches po.losses.mean_loss_and_grad('logistic', ...)."


# -- chapter 7: weight decay ----------------------------------------------------------
@exercise("weight_decay-torch-lambda", "torch's weight_decay for the article's λ = 0.001, α = 0.1")
def _torch_lambda(answer):
    lam, alpha = 0.001, 0.1
    value = _as_float(answer)
    compare(
        value,
        lam / alpha,
        mistakes={
            "You multiplied by α. The article's step shrinks θ by λ, torch's by α·λ', "
            "so λ = α·λ' and λ' = λ / α.": lam * alpha,
            "The two λ are not the same number: the article's λ is the shrink per step, "
            "torch's λ' multiplies θ in the gradient, and λ = α·λ'.": lam,
            "λ/(2α) is the coefficient of ‖θ‖² in the loss; torch's weight_decay is the "
            "coefficient of θ in its gradient, twice that.": lam / (2 * alpha),
        },
        rtol=1e-6,
    )
    return "torch.optim.SGD(params, lr=0.1, weight_decay=0.01) shrinks θ by 1 - 0.1·0.01 = 0.999."


def _adamw_reference(theta, grad, m, v, t, lr, betas, eps, weight_decay):
    """One step of the library's AdamW from state (m, v) at step t - 1."""
    theta = theta.copy()
    opt = optim.AdamW([theta], lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
    opt.state[0].update(step=t - 1, exp_avg=m.copy(), exp_avg_sq=v.copy())
    opt.step([grad])
    return theta, opt.state[0]["exp_avg"], opt.state[0]["exp_avg_sq"]


def _adamw_variant(theta, grad, m, v, t, lr, betas, eps, weight_decay, mistake):
    """AdamW written out, with one typical ``mistake`` (for the hint catalogue)."""
    (b1, b2), lam = betas, weight_decay
    g = grad + lam * theta if mistake == "l2" else grad
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m_hat = m if mistake in ("no-bias", "no-bias-m") else m / (1 - b1**t)
    v_hat = v if mistake in ("no-bias", "no-bias-v") else v / (1 - b2**t)
    step = lr * m_hat / (np.sqrt(v_hat + eps) if mistake == "eps-inside" else np.sqrt(v_hat) + eps)
    shrink = {"l2": 1.0, "none": 1.0, "no-lr": 1 - lam}.get(mistake, 1 - lr * lam)
    if mistake == "after":
        return (theta - step) * (1 - lr * lam), m, v
    if mistake == "sign":
        return theta * shrink + step, m, v
    return theta * shrink - step, m, v


ADAMW_HINTS = {
    "l2": "You added λθ to the gradient: that is Adam with L2 (torch.optim.Adam(weight_decay=λ)). "
    "AdamW keeps λθ out of m and v and shrinks θ ← θ(1 - γλ) directly.",
    "none": "No weight decay happened: AdamW shrinks θ ← θ(1 - γλ) at every step.",
    "no-lr": "The decay is multiplied by the learning rate: θ ← θ(1 - γλ), not θ(1 - λ) "
    "(torch's AdamW; that is why its default λ = 1e-2 is so gentle).",
    "after": "Decay θ_{t-1} first, then subtract the Adam update: "
    "θ_t = θ_{t-1}(1 - γλ) - γ m̂/(√v̂ + ε). You decayed the already updated θ.",
    "no-bias": "You forgot the bias correction: m̂ = m / (1 - β1^t) and v̂ = v / (1 - β2^t).",
    "no-bias-m": "You forgot to bias-correct m: m̂ = m / (1 - β1^t).",
    "no-bias-v": "You forgot to bias-correct v: v̂ = v / (1 - β2^t).",
    "eps-inside": "ε goes outside the square root: divide by √v̂ + ε, not √(v̂ + ε).",
    "sign": "Sign error: the update is subtracted, θ ← θ - γ m̂/(√v̂ + ε).",
}


def _adamw_cases():
    rng = np.random.default_rng(7)
    cases = []
    for t, scale in ((1, 1.0), (2, 0.01), (10, 3.0)):
        theta, grad = rng.normal(size=5), scale * rng.normal(size=5)
        m = np.zeros(5) if t == 1 else scale * rng.normal(size=5)
        v = np.zeros(5) if t == 1 else (scale * rng.normal(size=5)) ** 2
        cases.append((theta, grad, m, v, t))
    return cases


@exercise(
    "weight_decay-adamw-step", "one step of AdamW: (θ, m, v) ← adamw_step(θ, g, m, v, t, ...)"
)
def _adamw_step(answer):
    hyper = {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.1}
    for theta, grad, m, v, t in _adamw_cases():
        expected = _adamw_reference(theta, grad, m, v, t, **hyper)
        got = call(answer, theta, grad, m, v, t, **hyper)
        compare(
            got,
            expected,
            names=["theta", "m", "v"],
            rtol=1e-9,
            mistakes={
                hint: _adamw_variant(theta, grad, m, v, t, **hyper, mistake=key)
                for key, hint in ADAMW_HINTS.items()
            },
        )
    return "It matches torch.optim.AdamW step for step."


def _sgd_reference(theta, grad, buf, lr, momentum, weight_decay, decoupled):
    from paramopt.widgets.decay import DecoupledWeightDecay

    theta = theta.copy()
    if decoupled:
        opt = DecoupledWeightDecay(optim.SGD([theta], lr=lr, momentum=momentum), weight_decay)
        state = opt.optimizer.state[0]
    else:
        opt = optim.SGD([theta], lr=lr, momentum=momentum, weight_decay=weight_decay)
        state = opt.state[0]
    state.update(step=1, momentum_buffer=buf.copy())  # the next step is t = 2: b ← μb + g
    opt.step([grad])
    return theta, state["momentum_buffer"]


def _sgd_variant(theta, grad, buf, lr, momentum, weight_decay, decoupled, mistake):
    """SGD with momentum and decay written out, with one typical ``mistake``."""
    lam = weight_decay
    if mistake == "l2-outside":  # λθ added to the step but not to the buffer
        buf = momentum * buf + grad
        return theta - lr * (buf + lam * theta), buf
    l2 = not decoupled or mistake == "always-l2"
    g = grad + lam * theta if l2 else grad
    buf = momentum * buf + g
    shrink = 1.0 if l2 else (1 - lam if mistake == "no-lr" else 1 - lr * lam)
    if mistake == "no-momentum":
        return theta * shrink - lr * g, buf
    return theta * shrink - lr * buf, buf


SGD_HINTS = {
    "always-l2": "With decoupled=True the decay must stay out of the momentum buffer: shrink "
    "θ ← θ(1 - γλ) and feed only ∇f to the buffer (SGDW).",
    "l2-outside": "With decoupled=False (torch's weight_decay), λθ is added to the gradient "
    "*before* the momentum buffer: b ← μb + (∇f + λθ), θ ← θ - γb.",
    "no-lr": "Decoupled decay is multiplied by the learning rate: θ ← θ(1 - γλ), not θ(1 - λ).",
    "no-momentum": "The step uses the momentum buffer: b ← μb + g, then θ ← θ - γb "
    "(you stepped along g alone).",
}


@exercise(
    "weight_decay-sgd-step",
    "SGD with momentum and L2 or decoupled decay: (θ, b) ← sgd_step(θ, g, b, ...)",
)
def _sgd_step(answer):
    rng = np.random.default_rng(3)
    for decoupled in (False, True):
        theta, grad, buf = rng.normal(size=4), rng.normal(size=4), rng.normal(size=4)
        hyper = {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.5, "decoupled": decoupled}
        got = call(answer, theta, grad, buf, **hyper)
        # each mistake is only a mistake for one kind (for the other it is the reference)
        keys = ["always-l2", "no-lr"] if decoupled else ["l2-outside"]
        mistakes = {
            SGD_HINTS[key]: _sgd_variant(theta, grad, buf, **hyper, mistake=key)
            for key in [*keys, "no-momentum"]
        }
        compare(
            got,
            _sgd_reference(theta, grad, buf, **hyper),
            names=["theta", "buf"],
            rtol=1e-9,
            mistakes=mistakes,
        )
    return "Both kinds match: L2 is torch.optim.SGD(weight_decay=λ), decoupled is SGDW."
