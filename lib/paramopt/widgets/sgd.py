"""Chapter 3's experiments and widget: minibatch size, gradient noise, escaping a local minimum.

* :func:`batch_sweep` trains softmax regression on the digits for every batch size × learning
  rate, and :func:`sgd_explorer` shows the resulting loss curves (no training at display);
* :func:`minibatch_noise` measures how far minibatch losses and gradients stray from the
  full-batch ones at a fixed θ, next to the sampling formula;
* :func:`noisy_descent` runs gradient descent with added Gaussian gradient noise for many
  seeds at once, the model of SGD's noise used to study escapes from a local minimum.
"""

import numpy as np
from matplotlib.ticker import NullLocator

from paramopt import nn, optim, surfaces
from paramopt.style import OKABE_ITO
from paramopt.train import fit
from paramopt.validation import Diverged, check_array, check_positive_int, check_real
from paramopt.widgets.controls import Slider
from paramopt.widgets.explorer import Explorer

__all__ = [
    "batch_sweep",
    "describe_curves",
    "draw_curves",
    "minibatch_noise",
    "noisy_descent",
    "sgd_explorer",
    "step_noise",
]


def _increasing(name, values, check):
    values = [check(f"{name}[{i}]", v) for i, v in enumerate(values)]
    if not values or any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise ValueError(f"{name} must be a non-empty increasing sequence, got {values!r}")
    return values


def _lr(name, value):
    return check_real(name, value, low=0.0, low_open=True)


# -- batch size × learning rate on the digits --------------------------------------------


def softmax_regression(n_features, n_classes, seed):
    """The model of chapter 3: one ``Linear(n_features, n_classes)`` layer, seeded."""
    return nn.Linear(n_features, n_classes, rng=seed)


def batch_sweep(X, y, batch_sizes, lrs, *, epochs, seed=0):
    """Train softmax regression with plain SGD for every ``(batch_size, lr)``.

    Every run starts from the same θ₀ (``Linear(d, C, rng=seed)``, C = max label + 1) and
    shuffles with ``numpy.random.default_rng(seed)``; the loss is cross-entropy and the
    update θ ← θ − lr · ∇L_B(θ) (``paramopt.optim.SGD(lr=lr)``). A batch size of
    ``len(X)`` is full-batch gradient descent.

    Returns ``{(batch_size, lr): History}``; a run that blows up is stored as the
    :class:`paramopt.Diverged` it raised, so a widget can show it.
    """
    X = check_array("X", X, ndim=2)
    batch_sizes = _increasing("batch_sizes", batch_sizes, check_positive_int)
    if batch_sizes[-1] > len(X):
        raise ValueError(f"batch_sizes must be at most len(X) = {len(X)}, got {batch_sizes[-1]}")
    lrs = _increasing("lrs", lrs, _lr)
    epochs = check_positive_int("epochs", epochs)
    n_classes = int(np.max(y)) + 1
    results = {}
    for batch_size in batch_sizes:
        for lr in lrs:
            model = softmax_regression(X.shape[1], n_classes, seed)
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
                    rng=seed,
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


CURVE_STYLE = {
    "minibatch": {"color": OKABE_ITO["blue"], "marker": "o", "linestyle": "-"},
    "steps": {"color": OKABE_ITO["sky"], "marker": "", "linestyle": "-"},
    "gd": {"color": OKABE_ITO["vermillion"], "marker": "s", "linestyle": "--"},
}


def draw_curves(fig, history, reference=None):
    """Training loss against epochs (passes over the data), on a log scale.

    ``history`` is drawn with its per-step minibatch losses L_k (thin line; L_k is measured
    at θ_{k-1}, so it is placed at the fraction of an epoch seen before step k) and its full
    training loss after each epoch (circles);
    ``reference`` (a History, e.g. full-batch GD with the same learning rate) as a dashed
    line with squares.
    """
    ax = fig.add_axes((0.1, 0.15, 0.86, 0.75))
    seen = np.concatenate([[0], history.examples[:-1]]) / history.n_train
    ax.plot(seen, history.loss, lw=0.6, **CURVE_STYLE["steps"])  # L_k is measured at θ_{k-1}
    for h, key in ((history, "minibatch"), (reference, "gd")):
        if h is None or isinstance(h, Diverged):
            continue
        label = "full batch (GD)" if h.batch_size == h.n_train else f"batch size {h.batch_size}"
        ax.plot(np.arange(h.epochs + 1), h.train_loss, ms=4, label=label, **CURVE_STYLE[key])
    ticks = [0.05, 0.1, 0.2, 0.5, 1, 2, 5]
    ax.set_yscale("log")
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.yaxis.set_minor_locator(NullLocator())  # fixed ticks only: the frame draws faster
    ax.set(
        xlabel="epochs (passes over the training set)",
        ylabel="training loss",
        ylim=(0.04, 6),
        xlim=(-0.2, history.epochs + 0.2),
    )
    ax.grid(alpha=0.3)
    ax.legend(
        fontsize=8, loc="lower left", title="thin: each step's minibatch loss", title_fontsize=8
    )


def describe_curves(history, lr, reference=None):
    """One sentence: the setting, the final losses and the per-step noise."""
    text = (
        f"Softmax regression on the digits, minibatches of {history.batch_size} and learning "
        f"rate {lr:g}: after {history.epochs} epochs ({history.steps} steps) the training "
        f"loss is {history.train_loss[-1]:.3g}"
    )
    if reference is not None and not isinstance(reference, Diverged):
        text += f", against {reference.train_loss[-1]:.3g} for full-batch GD with the same rate"
    if history.batch_size < history.n_train and history.steps >= 3:
        text += f"; consecutive minibatch losses differ by {step_noise(history):.2g} (std)"
    return text + "."


def sgd_explorer(results):
    """Batch size × learning rate → the loss curves of :func:`batch_sweep`'s ``results``.

    The largest batch size is the reference drawn in every frame (full-batch GD if it is
    ``len(X)``). Nothing is trained here.
    """
    keys = list(results)
    batch_sizes = sorted({b for b, _ in keys})
    lrs = sorted({lr for _, lr in keys})
    if len(batch_sizes) < 2 or len(lrs) < 2 or len(keys) != len(batch_sizes) * len(lrs):
        raise ValueError("results must hold every (batch_size, lr) of a grid with 2+ of each")
    full = batch_sizes[-1]

    def compute(batch_size, lr):
        result = results[batch_size, lr]
        if isinstance(result, Diverged):
            raise result
        return result

    def draw(fig, history, batch_size, lr):
        reference = None if batch_size == full else results[full, lr]
        draw_curves(fig, history, reference)

    def describe(history, batch_size, lr):
        reference = None if batch_size == full else results[full, lr]
        return describe_curves(history, lr, reference)

    middle = lrs[len(lrs) // 2]
    return Explorer(
        compute,
        draw,
        describe,
        figsize=(7.4, 3.3),
        batch_size=Slider.from_values("batch size", batch_sizes, value=batch_sizes[1]),
        lr=Slider.from_values("learning rate", lrs, value=middle),
    )


# -- how noisy is a minibatch? -----------------------------------------------------------


def minibatch_noise(model, loss, X, y, batch_sizes, *, draws=200, repeats=1, rng=0):
    r"""How far minibatch losses and gradients stray from the full-batch ones, at fixed θ.

    For each batch size B, ``draws`` minibatches of B distinct rows are drawn at random
    and the minibatch loss L_B and gradient g_B (all parameters, flattened) are computed;
    the measurement is repeated ``repeats`` times with fresh draws (from one Generator,
    seeded by ``rng``), so that its own sampling spread can be seen. Returned:

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
    batch_sizes = _increasing("batch_sizes", batch_sizes, check_positive_int)
    if batch_sizes[-1] > n:
        raise ValueError(f"batch_sizes must be at most len(X) = {n}, got {batch_sizes[-1]}")
    draws = check_positive_int("draws", draws)
    if draws < 2:
        raise ValueError(f"Invalid draws: {draws} (must be >= 2)")
    repeats = check_positive_int("repeats", repeats)
    rng = np.random.default_rng(rng)

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


def noisy_descent(surface, start, *, lr, noise, steps, runs, seed=0, decay=False, limit=1e3):
    r"""Gradient descent with Gaussian gradient noise, ``runs`` independent runs at once.

    θ_{k+1} = θ_k − η_k (∇f(θ_k) + σ ξ_k),  ξ_k ~ N(0, I) independent,  θ_0 = ``start``

    with σ = ``noise`` (σ = 0 is plain gradient descent) and η_k = ``lr``, or with
    ``decay`` the linearly decaying η_k = lr · (1 − k/steps). The noise models the
    difference between a minibatch gradient and the full gradient. One
    ``numpy.random.default_rng(seed)`` draws the noise of all runs, which are updated
    together as the columns of one array.

    Returns the paths as an array of shape ``(steps + 1, 2, runs)``. Raises
    :class:`paramopt.Diverged` at the first step where some run is not finite or
    leaves the disc ``|θ| ≤ limit``.
    """
    surface = surfaces._check_surface(surface)
    start = check_array("start", start, shape=(2,))
    lr = check_real("lr", lr, low=0.0, low_open=True)
    noise = check_real("noise", noise, low=0.0)
    steps, runs = check_positive_int("steps", steps), check_positive_int("runs", runs)
    if not isinstance(decay, bool | np.bool_):
        raise TypeError(f"decay must be True or False, got {decay!r}")
    limit = check_real("limit", limit, low=0.0, low_open=True)
    rng = np.random.default_rng(seed)
    paths = np.empty((steps + 1, 2, runs))
    paths[0] = start[:, None]
    theta = paths[0].copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(steps):
            eta = lr * (1 - k / steps) if decay else lr
            grad = np.stack(surface._df(theta[0], theta[1]))
            if noise:
                grad += noise * rng.standard_normal(theta.shape)
            theta -= eta * grad
            if not (np.isfinite(theta).all() and np.hypot(*theta).max() <= limit):
                raise Diverged(k + 1, "theta")
            paths[k + 1] = theta
    return paths
