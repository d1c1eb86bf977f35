"""Gradient checks: compare a backward pass with central finite differences.

The central difference  (f(x + ε eᵢ) − f(x − ε eᵢ)) / 2ε  approximates ∂f/∂xᵢ with an
error of order ε² (truncation) plus about (machine epsilon)·|f|/ε (rounding), so in
float64 with ε = 10⁻⁶ a correct backward agrees to about 10⁻⁹ and a wrong one is off by
order 1. Everything here runs in float64.

Relative error of an analytic gradient a against a numerical one b (all entries at once):

    e(a, b) = ‖a − b‖ / max(‖a‖, ‖b‖, atol)        (Euclidean norms; 0 if a = b = 0)

``atol`` (default 0) makes gradients smaller than ``atol`` compare absolutely. It matters
for a gradient that is zero in theory, such as the bias of a Linear followed by
BatchNorm1d in training mode: there both a and b are pure rounding noise.
"""

import copy

import numpy as np

from paramopt.validation import as_rng, check_real

__all__ = ["check_loss", "check_module", "numerical_gradient", "relative_error"]


def relative_error(a, b, atol=0.0):
    """e(a, b) = ‖a − b‖ / max(‖a‖, ‖b‖, atol), with e = 0 when a = b = 0."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_error: shapes differ, {a.shape} and {b.shape}")
    scale = max(np.linalg.norm(a), np.linalg.norm(b), check_real("atol", atol, low=0))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def perturbation_gradient(f, a, eps):
    """∂f/∂a by central differences, nudging the entries of ``a`` IN PLACE (then restoring).

    ``f()`` takes no argument: it must read ``a`` (e.g. a parameter of a module).
    """
    grad = np.empty(a.shape)
    flat, out = a.reshape(-1), grad.reshape(-1)  # views of a and grad
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + eps
        f_plus = f()
        flat[i] = original - eps
        f_minus = f()
        flat[i] = original
        out[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def numerical_gradient(f, x, eps=1e-6):
    """∇f(x) of a scalar function f of an array, by central differences in float64.

    Entry i is (f(x + ε eᵢ) − f(x − ε eᵢ)) / 2ε. ``x`` itself is not modified.
    """
    eps = check_real("eps", eps, low=0, low_open=True)
    x = np.array(x, dtype=np.float64)  # a copy
    return perturbation_gradient(lambda: float(f(x)), x, eps)


def check_module(module, x, rng=0, eps=1e-6, atol=0.0):
    """Relative errors of ``module.backward`` against finite differences, in float64.

    The module's output is reduced to a scalar by a fixed random projection,
    L(x, θ) = Σ r ⊙ module.forward(x) with r ~ N(0, 1) seeded by ``rng``, so that
    ``backward(r)`` should return ∂L/∂x and set ∂L/∂θ for every parameter θ.

    Returns ``{"input": e, "<parameter name>": e, ...}`` with e = relative_error (see
    the module docstring). Works on a float64 copy: ``module`` is not changed.
    """
    eps = check_real("eps", eps, low=0, low_open=True)
    module = copy.deepcopy(module).to(np.float64)
    x = np.array(x, dtype=np.float64)
    y = module.forward(x)
    r = as_rng(rng).standard_normal(y.shape)
    analytic = {"input": module.backward(r)}
    for (name, _), grad in zip(module.named_parameters(), module.gradients(), strict=True):
        analytic[name] = grad.copy()

    def projected_output():
        return float(np.vdot(r, module.forward(x)))

    arrays = {"input": x, **dict(module.named_parameters())}
    return {
        name: relative_error(analytic[name], perturbation_gradient(projected_output, a, eps), atol)
        for name, a in arrays.items()
    }


def check_loss(loss, prediction, target, eps=1e-6, atol=0.0):
    """``{"input": e}``: relative error of ``loss.backward()`` (∂L/∂prediction) against
    finite differences of ``loss.forward(prediction, target)``, in float64.

    Works on a copy of ``loss``; ``prediction`` is not modified.
    """
    loss = copy.deepcopy(loss)
    prediction = np.array(prediction, dtype=np.float64)
    loss.forward(prediction, target)
    analytic = loss.backward()
    numerical = numerical_gradient(lambda p: loss.forward(p, target), prediction, eps)
    return {"input": relative_error(analytic, numerical, atol)}
