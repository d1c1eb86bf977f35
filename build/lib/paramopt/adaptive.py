"""Adaptive learning rates: AdaGrad, RMSprop and Adam fed with chosen gradients.

The chapters on AdaGrad and on RMSProp/Adam ask what an optimiser does with a *given*
gradient sequence (a constant slope, a sudden drop, a single spike), independent of any
loss surface. :func:`replay` feeds such a sequence to a :mod:`paramopt.optim` optimiser
and returns the updates it makes.

Two other frameworks place ε differently from PyTorch; :func:`keras_adagrad` and
:func:`keras_adam` are few-line references of Keras 3's updates (``keras.optimizers``)
for comparison:

* Keras Adagrad:  s_t = s_0 + Σ g_i²,   θ_t = θ_{t-1} - γ g_t / √(s_t + ε)
* Keras Adam:     α_t = γ √(1 - β2^t) / (1 - β1^t),   θ_t = θ_{t-1} - α_t m_t / (√v_t + ε̂)

:func:`reddi_counterexample` is the online problem of Reddi, Kale and Kumar (2018) on
which Adam converges to the worst point while AMSGrad does not.
"""

import numpy as np

from paramopt import optim
from paramopt.optim.adam import check_betas
from paramopt.validation import check_array, check_int, check_real

__all__ = ["keras_adagrad", "keras_adam", "reddi_counterexample", "replay"]


def replay(optimizer, grads, *, start=None, **hyperparameters):
    """Feed ``grads[t]`` to the optimiser at step t + 1; return ``(updates, opt)``.

    ``optimizer`` is a name :func:`paramopt.optim.create` knows (``"adagrad"``, ``"adam"``,
    ...; any case) built with ``**hyperparameters`` on one parameter θ of shape ``grads.shape[1:]``,
    starting at ``start`` (zeros by default). The gradients do not depend on θ: this is
    the optimiser seen as a machine that turns gradients into steps.
    ``updates[t]`` = θ_{t+1} - θ_t, shape ``grads.shape``; ``opt`` keeps its final state.
    """
    grads = check_array("grads", grads).astype(np.float64)
    if grads.ndim == 0:
        raise ValueError("grads must have one row per step, got a scalar")
    theta = (
        np.zeros(grads.shape[1:])
        if start is None
        else check_array("start", start, shape=grads.shape[1:]).astype(np.float64)
    )
    opt = optim.create(optimizer, [theta], **hyperparameters)
    updates = np.empty_like(grads)
    for t, grad in enumerate(grads):
        before = theta.copy()
        opt.step([grad])
        updates[t] = theta - before
    return updates, opt


def keras_adagrad(grads, lr=1e-3, initial_accumulator_value=0.1, epsilon=1e-7):
    """Updates of Keras 3's Adagrad for the gradient sequence ``grads`` (ε inside the root).

    s_0 = initial_accumulator_value; s_t = s_{t-1} + g_t²; Δθ_t = -γ g_t / √(s_t + ε).
    """
    grads, lr = _check_grads(grads), check_real("lr", lr, low=0.0)
    s0 = check_real("initial_accumulator_value", initial_accumulator_value, low=0.0)
    epsilon = check_real("epsilon", epsilon, low=0.0)
    s = s0 + np.cumsum(grads**2, axis=0)  # s_t for t = 1 … T
    return -lr * grads / np.sqrt(s + epsilon)


def keras_adam(grads, lr=1e-3, betas=(0.9, 0.999), epsilon=1e-7):
    """Updates of Keras 3's Adam for the gradient sequence ``grads`` ("epsilon hat" form).

    m_t, v_t as in Adam (zero start, no bias correction stored);
    Δθ_t = -α_t m_t / (√v_t + ε̂) with α_t = γ √(1 - β2^t) / (1 - β1^t).
    """
    grads, lr = _check_grads(grads), check_real("lr", lr, low=0.0)
    beta1, beta2 = check_betas(betas)
    epsilon = check_real("epsilon", epsilon, low=0.0)
    m, v = np.zeros_like(grads[0]), np.zeros_like(grads[0])
    updates = np.empty_like(grads)
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        alpha_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
        updates[t - 1] = -alpha_t * m / (np.sqrt(v) + epsilon)
    return updates


def _check_grads(grads):
    grads = check_array("grads", grads).astype(np.float64)
    if grads.ndim == 0:
        raise ValueError("grads must have one row per step, got a scalar")
    return grads


def reddi_counterexample(C=3.0, steps=3000, lr=0.5, *, amsgrad=False, beta2=None):
    """x_0 … x_steps of Adam (β1 = 0) on Reddi et al.'s online problem; x_0 = 0.

    On the feasible set x ∈ [-1, 1] the loss at step t is f_t(x) = C x if t ≡ 1 (mod 3),
    else -x (C > 2). The average loss (C - 2) x / 3 is minimised at x = -1. Each step
    uses the gradient of f_t, learning rate ``lr`` / √t (set as ``opt.lr`` before the
    step) and projects back onto [-1, 1]. With β2 = 1 / (1 + C²) (the default) Adam is
    drawn to the worst point x = +1, AMSGrad (``amsgrad=True``) to the best, x = -1.
    """
    C = check_real("C", C, low=2.0, low_open=True)
    lr = check_real("lr", lr, low=0.0, low_open=True)
    steps = check_int("steps", steps, low=0)
    beta2 = 1 / (1 + C * C) if beta2 is None else beta2
    x = np.zeros(1)
    opt = optim.Adam([x], lr=lr, betas=(0.0, beta2), amsgrad=amsgrad)
    path = np.empty(steps + 1)
    path[0] = 0.0
    for t in range(1, steps + 1):
        opt.lr = lr / np.sqrt(t)
        opt.step([np.array([C if t % 3 == 1 else -1.0])])
        np.clip(x, -1.0, 1.0, out=x)  # projection onto the feasible set
        path[t] = x[0]
    return path
