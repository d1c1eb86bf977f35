"""Minibatches and their noise: chapter 3's experiments.

* :func:`batch_sweep` trains softmax regression (:func:`softmax_regression`) on the digits
  for every batch size × learning rate, and :func:`step_noise` measures how much
  consecutive minibatch losses of one run differ;
* :func:`minibatch_noise` measures how far minibatch losses and gradients stray from the
  full-batch ones at a fixed θ, next to the sampling formula;
* :func:`noisy_descent` runs gradient descent with added Gaussian gradient noise for many
  runs at once, the model of SGD's noise used to study escapes from a local minimum.

The chapter's explorer, :func:`paramopt.widgets.sgd.sgd_explorer`, only shows the runs
of :func:`batch_sweep`.
"""

import copy
import functools

import numpy as np

from paramopt import nn, optim
from paramopt.captions import passed
from paramopt.style import number
from paramopt.surfaces import as_surface
from paramopt.train import fit
from paramopt.validation import (
    Diverged,
    as_rng,
    check_array,
    check_flag,
    check_increasing,
    check_int,
    check_positive_int,
    check_real,
)

__all__ = [
    "batch_sweep",
    "minibatch_noise",
    "noisy_descent",
    "softmax_regression",
    "step_noise",
]

_check_lr = functools.partial(check_real, low=0.0, low_open=True)


# -- batch size × learning rate on the digits --------------------------------------------


def softmax_regression(n_features, n_classes, rng):
    """The model of chapter 3: one ``Linear(n_features, n_classes)`` layer, drawn from ``rng``."""
    return nn.Linear(n_features, n_classes, rng=rng)


def batch_sweep(X, y, batch_sizes, lrs, *, epochs, rng=0):
    """Train softmax regression with plain SGD for every ``(batch_size, lr)``.

    Every run starts from the same θ₀ (``Linear(d, C, rng=rng)``, C = max label + 1) and
    shuffles with a Generator in the same state (``rng``: an int seed, or a Generator,
    which each run copies and none advances); the loss is cross-entropy and the update
    θ ← θ − lr · ∇L_B(θ) (``paramopt.optim.SGD(lr=lr)``). A batch size of ``len(X)`` is
    full-batch gradient descent.

    Returns ``{(batch_size, lr): History}``; a run that blows up is stored as the
    :class:`paramopt.Diverged` it raised, so a widget can show it.
    """
    X = check_array("X", X, ndim=2)
    batch_sizes = check_increasing("batch_sizes", batch_sizes, check_positive_int)
    if batch_sizes[-1] > len(X):
        raise ValueError(f"batch_sizes must be at most len(X) = {len(X)}, got {batch_sizes[-1]}")
    lrs = check_increasing("lrs", lrs, _check_lr)
    epochs = check_positive_int("epochs", epochs)
    rng = as_rng(rng)
    n_classes = int(np.max(y)) + 1
    results = {}
    for batch_size in batch_sizes:
        for lr in lrs:
            model = softmax_regression(X.shape[1], n_classes, copy.deepcopy(rng))
            opt = optim.SGD(model.parameters(), lr=lr)
            try:
                results[batch_size, lr] = fit(
                    model,
                    nn.CrossEntropyLoss(),
                    opt,
                    X,
                    y,
                    epochs=epochs,
                    batch_size=batch_size,
                    rng=copy.deepcopy(rng),
                )
            except Diverged as error:
                results[batch_size, lr] = error
    return results


def step_noise(history, *, skip=0.5):
    """The standard deviation of L_{k+1} − L_k over the last ``1 − skip`` of the steps.

    Consecutive minibatch losses differ because the batches differ (noise) and because θ
    improved (drift); late in training the drift is small, so this measures the noise.
    """
    skip = check_real("skip", skip, low=0.0, high=1.0, high_open=True)
    losses = history.loss[int(skip * history.steps) :]
    if len(losses) < 3:
        raise ValueError(f"need at least 3 steps after skipping, got {len(losses)}")
    return float(np.std(np.diff(losses)))


# -- how noisy is a minibatch? -----------------------------------------------------------


def minibatch_noise(model, loss, X, y, batch_sizes, *, draws=200, repeats=1, rng=0):
    r"""How far minibatch losses and gradients stray from the full-batch ones, at fixed θ.

    For each batch size B, ``draws`` minibatches of B distinct rows are drawn at random
    and the minibatch loss L_B and gradient g_B (all parameters, flattened) are computed;
    the measurement is repeated ``repeats`` times with fresh draws (from one Generator,
    ``rng``: a Generator or an int seed), so that its own sampling spread can be seen.
    Returned:

    * ``loss_std``, shape (repeats, len(batch_sizes)): the standard deviation of L_B over
      the draws of each repeat;
    * ``grad_dev``, same shape: the root-mean-square of ‖g_B − g‖ over the draws of each
      repeat, g the full-batch gradient;
    * ``loss_std_theory`` and ``grad_dev_theory``: the sampling formula for the mean of B
      of N values drawn without replacement,
      Var(L_B) = (σ²_ℓ / B) · (N − B) / (N − 1) with σ²_ℓ = (1/N) Σᵢ (ℓᵢ − L)², and
      E‖g_B − g‖² = (σ²_g / B) · (N − B) / (N − 1) with σ²_g = (1/N) Σᵢ ‖gᵢ − g‖²,
      computed from the per-example losses ℓᵢ and gradients gᵢ (shape (len(batch_sizes),),
      exact: they do not depend on the draws);
    * ``loss_sigma`` = σ_ℓ and ``grad_sigma`` = σ_g, ``full_loss`` = L.

    The model's parameters are not changed (its gradients are overwritten).
    """
    X = check_array("X", X, ndim=2).astype(model.dtype, copy=False)
    y = np.asarray(y)
    n = len(X)
    batch_sizes = check_increasing("batch_sizes", batch_sizes, check_positive_int)
    if batch_sizes[-1] > n:
        raise ValueError(f"batch_sizes must be at most len(X) = {n}, got {batch_sizes[-1]}")
    draws = check_int("draws", draws, low=2)
    repeats = check_positive_int("repeats", repeats)
    rng = as_rng(rng)

    def loss_and_grad(rows):
        value = loss.forward(model.forward(X[rows]), y[rows])
        model.backward(loss.backward())
        return value, np.concatenate([g.ravel() for g in model.gradients()])

    full_loss, full_grad = loss_and_grad(np.arange(n))
    per_loss, per_dev = np.empty(n), np.empty(n)
    for i in range(n):
        value, grad = loss_and_grad([i])
        per_loss[i], per_dev[i] = value, np.sum((grad - full_grad) ** 2)
    var_loss, var_grad = np.mean((per_loss - full_loss) ** 2), np.mean(per_dev)
    out = {k: np.empty((repeats, len(batch_sizes))) for k in ("loss_std", "grad_dev")}
    for r in range(repeats):
        for j, b in enumerate(batch_sizes):
            values, devs = np.empty(draws), np.empty(draws)
            for d in range(draws):
                values[d], grad = loss_and_grad(rng.choice(n, size=b, replace=False))
                devs[d] = np.sum((grad - full_grad) ** 2)
            out["loss_std"][r, j] = np.std(values)
            out["grad_dev"][r, j] = np.sqrt(np.mean(devs))
    b = np.array(batch_sizes, dtype=float)
    finite = (n - b) / (n - 1) if n > 1 else np.zeros_like(b)
    out["loss_std_theory"] = np.sqrt(var_loss / b * finite)
    out["grad_dev_theory"] = np.sqrt(var_grad / b * finite)
    out["batch_sizes"] = np.array(batch_sizes)
    out["full_loss"] = float(full_loss)
    out["loss_sigma"], out["grad_sigma"] = float(np.sqrt(var_loss)), float(np.sqrt(var_grad))
    return out


# -- noise and local minima ----------------------------------------------------------------


def noisy_descent(surface, start, *, lr, noise, steps, runs, rng=0, decay=False, limit=1e3):
    r"""Gradient descent with Gaussian gradient noise, ``runs`` independent runs at once.

    θ_{k+1} = θ_k − η_k (∇f(θ_k) + σ ξ_k),  ξ_k ~ N(0, I) independent,  θ_0 = ``start``

    with σ = ``noise`` (σ = 0 is plain gradient descent) and η_k = ``lr``, or with
    ``decay`` the linearly decaying η_k = lr · (1 − k/steps). The noise models the
    difference between a minibatch gradient and the full gradient. One Generator,
    ``rng`` (a Generator or an int seed), draws the noise of all runs, which are updated
    together as the columns of one array.

    Returns the paths as an array of shape ``(steps + 1, 2, runs)``. Raises
    :class:`paramopt.Diverged` at the first step where some run is not finite or
    leaves the disc ``|θ| ≤ limit``.
    """
    surface = as_surface(surface)
    start = check_array("start", start, shape=(2,))
    lr = check_real("lr", lr, low=0.0, low_open=True)
    noise = check_real("noise", noise, low=0.0)
    steps, runs = check_positive_int("steps", steps), check_positive_int("runs", runs)
    decay = check_flag("decay", decay)
    limit = check_real("limit", limit, low=0.0, low_open=True)
    rng = as_rng(rng)
    paths = np.empty((steps + 1, 2, runs))
    paths[0] = start[:, None]
    theta = paths[0].copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(steps):
            eta = lr * (1 - k / steps) if decay else lr
            grad = np.stack(surface.df(theta[0], theta[1]))
            if noise:
                grad += noise * rng.standard_normal(theta.shape)
            theta -= eta * grad
            if not np.isfinite(theta).all():
                raise Diverged(k + 1, "θ")
            if np.hypot(*theta).max() > limit:
                raise Diverged(k + 1, "θ", passed("|θ|", number(limit, 3, trim=True)))
            paths[k + 1] = theta
    return paths
