r"""A linear classifier and its losses, as functions of the margin (chapter 0).

A linear classifier scores a point :math:`x` with :math:`s = w^\top x + b` and predicts
the sign of :math:`s`. With labels :math:`y \in \{-1, +1\}` the *margin*
:math:`z = y\,s` is positive exactly when the point is classified correctly, and large
when it is classified confidently. Each loss is a function :math:`\ell(z)`:

=============  ===========================  ==================================
loss           :math:`\ell(z)`              :math:`\ell'(z)`
=============  ===========================  ==================================
perceptron     :math:`\max(0, -z)`          :math:`-1` if :math:`z < 0`, else 0
hinge (SVM)    :math:`\max(0, 1 - z)`       :math:`-1` if :math:`z < 1`, else 0
logistic       :math:`\log(1 + e^{-z})`     :math:`-\sigma(-z) = -1/(1 + e^{z})`
=============  ===========================  ==================================

At the kinks (:math:`z = 0` for the perceptron, :math:`z = 1` for the hinge) we use
the subgradient 0, as scikit-learn and PyTorch's ``relu`` do. By the chain rule,
:math:`\nabla_w \ell = \ell'(z)\, y\, x` and :math:`\partial \ell / \partial b = \ell'(z)\, y`:
a point whose :math:`\ell'(z)` is zero does not move the parameters at all
(:func:`pulls` counts those that do). :func:`paramopt.train.gradient_descent` trains the
classifier.
"""

import numpy as np

from paramopt import nn
from paramopt.validation import check_array

__all__ = [
    "LOSSES",
    "binary_cross_entropy",
    "hinge",
    "hinge_grad",
    "logistic",
    "logistic_grad",
    "margins",
    "mean_loss_and_grad",
    "perceptron",
    "perceptron_grad",
    "pulls",
]


def _margin(z):
    return check_array("margin", z)


def perceptron(z):
    r"""Perceptron loss :math:`\max(0, -z)`, elementwise."""
    return np.maximum(0.0, -_margin(z))


def perceptron_grad(z):
    r""":math:`d\ell/dz` of the perceptron loss: :math:`-1` where :math:`z < 0`, else 0."""
    z = _margin(z)
    return np.where(z < 0, -1.0, 0.0).astype(z.dtype)


def hinge(z):
    r"""Hinge (SVM) loss :math:`\max(0, 1 - z)`, elementwise."""
    return np.maximum(0.0, 1.0 - _margin(z))


def hinge_grad(z):
    r""":math:`d\ell/dz` of the hinge loss: :math:`-1` where :math:`z < 1`, else 0."""
    z = _margin(z)
    return np.where(z < 1, -1.0, 0.0).astype(z.dtype)


def logistic(z):
    r"""Logistic loss :math:`\log(1 + e^{-z})`, computed without overflow."""
    return np.logaddexp(0.0, -_margin(z))


def logistic_grad(z):
    r""":math:`d\ell/dz` of the logistic loss: :math:`-\sigma(-z)`, never exactly 0."""
    return -nn.sigmoid(-_margin(z))


def binary_cross_entropy(p, t):
    r"""Cross-entropy :math:`-t \log p - (1 - t) \log(1 - p)` of probabilities ``p``.

    With :math:`p = \sigma(s)` and :math:`t = (y + 1)/2` it equals the logistic loss
    of the margin :math:`z = y s`: the two names describe one loss.
    """
    p = check_array("p", p)
    t = check_array("t", t)
    if p.shape != t.shape:
        raise ValueError(f"p and t must have the same shape, got {p.shape} and {t.shape}")
    if np.any((p <= 0) | (p >= 1)):
        raise ValueError(f"p must lie strictly between 0 and 1, got {p[(p <= 0) | (p >= 1)][0]!r}")
    if np.any((t != 0) & (t != 1)):
        raise ValueError(f"t must be 0 or 1, got {t[(t != 0) & (t != 1)][0]!r}")
    return -(t * np.log(p) + (1 - t) * np.log1p(-p))


LOSSES = {
    "perceptron": (perceptron, perceptron_grad),
    "hinge": (hinge, hinge_grad),
    "logistic": (logistic, logistic_grad),
}


def _check_problem(X, y, w, b):
    X = check_array("X", X, ndim=2)
    y = check_array("y", y, ndim=1)
    if len(y) != len(X):
        raise ValueError(f"X and y must have as many rows, got X {X.shape} and y {y.shape}")
    bad = (y != -1) & (y != 1)
    if np.any(bad):
        raise ValueError(f"y must hold labels -1 or +1, got {y[bad][0]!r}")
    w = check_array("w", w, shape=(X.shape[1],))
    b = check_array("b", b, ndim=0)
    return X, y, w, float(b)


def margins(X, y, w, b):
    r"""Margins :math:`z_i = y_i (w^\top x_i + b)` of the rows of ``X``."""
    X, y, w, b = _check_problem(X, y, w, b)
    return y * (X @ w + b)


def mean_loss_and_grad(loss, X, y, w, b):
    r"""Mean loss :math:`L = \frac1N \sum_i \ell(z_i)` and its gradient.

    Returns ``(L, grad_w, grad_b, dz)`` where ``dz`` holds each point's
    :math:`\ell'(z_i)`: :math:`\nabla_w L = \frac1N \sum_i \ell'(z_i)\, y_i\, x_i` and
    :math:`\partial L / \partial b = \frac1N \sum_i \ell'(z_i)\, y_i`.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}")
    X, y, w, b = _check_problem(X, y, w, b)
    value, derivative = LOSSES[loss]
    z = y * (X @ w + b)
    dz = derivative(z)
    n = len(y)
    return float(np.mean(value(z))), (dz * y) @ X / n, float(np.sum(dz * y) / n), dz


def pulls(loss, X, y, w, b):
    r"""Which points pull on the gradient of the mean loss at :math:`(w, b)`, and how hard.

    Returns a dict: ``loss`` (the mean loss :math:`L`), ``grad_norm``
    (:math:`\|\nabla L\|` over :math:`(w, b)`), ``pull`` (each point's :math:`|\ell'(z_i)|`),
    ``pulling`` (how many points have :math:`\ell'(z_i) \ne 0`) and ``misclassified``
    (how many have :math:`z_i \le 0`).
    """
    value, grad_w, grad_b, dz = mean_loss_and_grad(loss, X, y, w, b)
    pull = np.abs(dz)
    return {
        "loss": value,
        "grad_norm": float(np.hypot(np.linalg.norm(grad_w), grad_b)),
        "pull": pull,
        "pulling": int(np.count_nonzero(pull)),
        "misclassified": int(np.count_nonzero(margins(X, y, w, b) <= 0)),
    }
