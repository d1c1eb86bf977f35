r"""Learning-rate schedules, warmup and gradient clipping: chapter 8's experiments.

Every schedule here is one of torch's schedulers (:mod:`paramopt.optim.lr_scheduler`),
built by :func:`make_scheduler` and used as in torch: ``opt.step(grads); sched.step()``.
The experiments, each a pure function of its arguments:

* :func:`noisy_quadratic`: SGD (or any optimiser) on f(θ) = hθ²/2 with gradient
  hθ + ξ, ξ ~ N(0, σ²), many independent chains at once; its stationary variance under a
  constant rate is :func:`noise_ball_variance`;
* :func:`adam_moment_spread`: how far Adam's v̂_t is from E[g²] in the first steps, and
  how large its normalised step |m̂_t|/√v̂_t is;
* :func:`warmup_regression`: Adam at a large rate on a least-squares problem with
  correlated features, with and without linear warmup;
* :func:`paper_adamw` and :func:`decay_factor`: Loshchilov & Hutter's decoupled decay
  η_t λ against torch's γ_t λ under a schedule;
* :func:`adam_clipped_steps`, :func:`chain_loss_and_grad` and :func:`train_chain`:
  clipping by norm in front of Adam, and an exploding gradient in a deep scalar chain;
* :func:`digits_runs`: the digits network under each schedule (:func:`paramopt.train.fit`).
"""

import math

import numpy as np

from paramopt import nn, optim
from paramopt.optim import lr_scheduler
from paramopt.train import fit
from paramopt.validation import (
    Diverged,
    as_rng,
    check_array,
    check_int,
    check_positive_int,
    check_real,
)

__all__ = [
    "SCHEDULES",
    "adam_clipped_steps",
    "adam_moment_spread",
    "chain_loss_and_grad",
    "decay_factor",
    "digits_runs",
    "make_scheduler",
    "noise_ball_variance",
    "noisy_quadratic",
    "paper_adamw",
    "power_decay",
    "rates",
    "train_chain",
    "warmup_regression",
    "warmup_steps",
]

#: the schedules of the chapter, by name (see :func:`make_scheduler`)
SCHEDULES = ("constant", "step", "cosine", "linear", "onecycle", "warmup-cosine")


def power_decay(power, tau):
    r"""The factor η_t = (1 + t/τ)^(-p) for :class:`~paramopt.optim.lr_scheduler.LambdaLR`.

    p = 1 is the classical 1/t decay of Robbins and Monro; p = 0 is a constant rate.
    """
    power = check_real("power", power, low=0.0)
    tau = check_real("tau", tau, low=0.0, low_open=True)
    return lambda t: (1.0 + t / tau) ** -power


def warmup_steps(beta2):
    """Ma & Yarats's untuned linear warmup length: 2 / (1 − β₂) steps, rounded."""
    beta2 = check_real("beta2", beta2, low=0.0, high=1.0, low_open=True, high_open=True)
    return round(2 / (1 - beta2))


def make_scheduler(name, optimizer, total_steps, *, warmup=None):
    """torch's scheduler for schedule ``name`` over ``total_steps`` steps (None: constant).

    ``"step"``: StepLR, ×0.1 after 50 % and 75 % of the steps (MultiStepLR);
    ``"cosine"``: CosineAnnealingLR(T_max=total_steps); ``"linear"``: LinearLR from 1
    to 0; ``"onecycle"``: OneCycleLR with max_lr the optimiser's lr (torch's defaults
    otherwise, ``cycle_momentum=False``); ``"warmup-cosine"``: LinearLR from 1/w to 1 over
    ``warmup`` = w steps, then cosine over the rest (SequentialLR). ``"warmup"`` alone:
    linear warmup over w steps, then constant.
    """
    total_steps = check_positive_int("total_steps", total_steps)
    if name == "constant":
        return None
    if name == "step":
        return lr_scheduler.MultiStepLR(
            optimizer, [total_steps // 2, 3 * total_steps // 4], gamma=0.1
        )
    if name == "cosine":
        return lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)
    if name == "linear":
        return lr_scheduler.LinearLR(
            optimizer, start_factor=1.0, end_factor=0.0, total_iters=total_steps
        )
    if name == "onecycle":
        return lr_scheduler.OneCycleLR(
            optimizer, max_lr=optimizer.lr, total_steps=total_steps, cycle_momentum=False
        )
    if name in ("warmup", "warmup-cosine"):
        w = check_int("warmup", warmup, low=1)
        ramp = lr_scheduler.LinearLR(optimizer, start_factor=1 / w, total_iters=w)
        if name == "warmup":
            return ramp
        if w >= total_steps:
            raise ValueError(f"warmup={w} must be shorter than total_steps={total_steps}")
        cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps - w)
        return lr_scheduler.SequentialLR(optimizer, [ramp, cosine], milestones=[w])
    raise ValueError(f"name must be one of {(*SCHEDULES, 'warmup')}, got {name!r}")


def rates(name, lr, total_steps, *, warmup=None):
    """The rates γ_0 … γ_{T−1} that schedule ``name`` gives optimiser steps 1 … T."""
    opt = optim.SGD([np.zeros(1)], lr=check_real("lr", lr, low=0.0, low_open=True))
    sched = make_scheduler(name, opt, total_steps, warmup=warmup)
    out = np.empty(total_steps)
    for t in range(total_steps):
        out[t] = opt.lr
        if sched is not None and t < total_steps - 1:
            sched.step()
    return out


def noise_ball_variance(lr, curvature=1.0, sigma=1.0):
    r"""Stationary Var θ of SGD on f = hθ²/2 with gradient noise N(0, σ²): ασ²/(h(2 − αh)).

    Finite for 0 < αh < 2 (the rates at which gradient descent on f is stable).
    """
    lr = check_real("lr", lr, low=0.0, low_open=True)
    h = check_real("curvature", curvature, low=0.0, low_open=True)
    sigma = check_real("sigma", sigma, low=0.0)
    if lr * h >= 2:
        raise ValueError(f"lr * curvature must be < 2 for a stationary variance, got {lr * h}")
    return lr * sigma**2 / (h * (2 - lr * h))


def noisy_quadratic(
    schedule="constant",
    *,
    lr,
    steps,
    optimizer="SGD",
    curvature=1.0,
    sigma=1.0,
    start=5.0,
    chains=500,
    rng=0,
    lr_lambda=None,
    warmup=None,
    limit=1e6,
):
    r"""Run ``chains`` independent copies of an optimiser on the noisy quadratic.

    f(θ) = hθ²/2; every step each chain receives g = hθ + ξ with its own ξ ~ N(0, σ²).
    ``optimizer`` is a name for :func:`paramopt.optim.create` built with ``lr``; the
    schedule is ``make_scheduler(schedule, opt, steps)`` or, with ``lr_lambda``, a
    :class:`~paramopt.optim.lr_scheduler.LambdaLR`. All chains start at ``start``.

    Returns a dict: ``mean_square`` (steps + 1,) the mean of θ_t² over the chains,
    ``rates`` (steps,) the rate of each step, ``path`` (steps + 1,) the first chain,
    ``final`` (chains,) every θ_T. Raises :class:`paramopt.Diverged` when |θ| exceeds
    ``limit``.
    """
    steps = check_positive_int("steps", steps)
    chains = check_positive_int("chains", chains)
    h = check_real("curvature", curvature, low=0.0, low_open=True)
    sigma = check_real("sigma", sigma, low=0.0)
    generator = as_rng(rng)
    theta = np.full(chains, float(check_real("start", start)))
    opt = optim.create(optimizer, [theta], lr=lr)
    if lr_lambda is not None:
        sched = lr_scheduler.LambdaLR(opt, lr_lambda)
    else:
        sched = make_scheduler(schedule, opt, steps, warmup=warmup)
    mean_square, path, used = np.empty(steps + 1), np.empty(steps + 1), np.empty(steps)
    mean_square[0], path[0] = float(np.mean(theta**2)), theta[0]
    noise = generator.normal(0.0, sigma, size=(steps, chains))
    for t in range(steps):
        used[t] = opt.lr
        opt.step([h * theta + noise[t]])
        if sched is not None:
            sched.step()
        if not np.abs(theta).max() < limit:
            raise Diverged(t + 1, "parameters")
        mean_square[t + 1], path[t + 1] = float(np.mean(theta**2)), theta[0]
    return {"mean_square": mean_square, "rates": used, "path": path, "final": theta.copy()}


def adam_moment_spread(steps, *, beta1=0.9, beta2=0.999, streams=4000, rng=0):
    r"""Adam's bias-corrected moments in the first ``steps`` steps, on pure noise.

    ``streams`` independent coordinates receive g ~ N(0, 1), so E[g²] = 1. Returns
    ``(v_hat, ratio)``, each of shape (steps, streams): v̂_t / E[g²] and the normalised
    step |m̂_t| / √v̂_t of every stream at t = 1 … steps (the library's Adam, ε = 0).
    """
    steps = check_positive_int("steps", steps)
    streams = check_positive_int("streams", streams)
    generator = as_rng(rng)
    opt = optim.Adam([np.zeros(streams)], betas=(beta1, beta2), eps=0.0)
    v_hat, ratio = np.empty((steps, streams)), np.empty((steps, streams))
    for t in range(1, steps + 1):
        opt.step([generator.normal(size=streams)])
        state = opt.state[0]
        m_hat = state["exp_avg"] / (1 - beta1**t)
        v_hat[t - 1] = state["exp_avg_sq"] / (1 - beta2**t)
        ratio[t - 1] = np.abs(m_hat) / np.sqrt(v_hat[t - 1])
    return v_hat, ratio


def warmup_problem(seed, *, features=50, examples=512, noise=1.0):
    """Least squares with strongly correlated features: x = s·1 + 0.3·n, y = s + noise.

    Every feature carries the same signal s ~ N(0, 1), so a step that moves every
    weight by the same amount moves every prediction by ``features`` times as much.
    Returns ``(X, y)`` drawn from ``seed``.
    """
    generator = as_rng(seed)
    s = generator.normal(size=examples)
    X = s[:, None] + 0.3 * generator.normal(size=(examples, features))
    return X, s + noise * generator.normal(size=examples)


def warmup_regression(seed, *, lr=0.1, warmup=0, beta2=0.999, steps=1000, batch_size=16):
    r"""Adam on :func:`warmup_problem` from θ = 0, with linear warmup over ``warmup`` steps.

    Minibatches of ``batch_size`` drawn with replacement; gradient of the mean of
    ½(x·θ − y)². ``warmup = 0`` is the constant rate. Returns a dict: ``loss`` (steps + 1,)
    the full-data loss after each step (index 0: the start) and ``rates`` (steps,).
    Raises :class:`paramopt.Diverged` if the loss stops being finite.
    """
    steps = check_positive_int("steps", steps)
    warmup = check_int("warmup", warmup, low=0)
    X, y = warmup_problem(seed)
    generator = as_rng(seed + 10_000)
    theta = np.zeros(X.shape[1])
    opt = optim.Adam([theta], lr=check_real("lr", lr, low=0.0, low_open=True), betas=(0.9, beta2))
    sched = make_scheduler("warmup", opt, steps, warmup=warmup) if warmup > 1 else None
    loss, used = np.empty(steps + 1), np.empty(steps)
    loss[0] = 0.5 * float(np.mean((X @ theta - y) ** 2))
    batches = generator.integers(
        0, len(y), size=(steps, check_positive_int("batch_size", batch_size))
    )
    for t, rows in enumerate(batches):
        used[t] = opt.lr
        Xb = X[rows]
        opt.step([Xb.T @ (Xb @ theta - y[rows]) / len(rows)])
        if sched is not None:
            sched.step()
        loss[t + 1] = 0.5 * float(np.mean((X @ theta - y) ** 2))
        if not math.isfinite(loss[t + 1]):
            raise Diverged(t + 1, "loss")
    return {"loss": loss, "rates": used}


def paper_adamw(params, lr, weight_decay, **adam):
    r"""Loshchilov & Hutter's AdamW (their Algorithm 2) with the paper's λ = ``weight_decay``.

    The paper decays θ ← θ − η_t λ θ, with η_t the schedule multiplier, and steps by
    η_t α m̂/(√v̂ + ε). torch's ``lr`` is γ_t = η_t α, and
    :class:`~paramopt.optim.DecoupledWeightDecay` decays by γ_t λ' with its own λ'. So
    λ' = λ/α gives γ_t λ' = η_t λ at every step, whatever the schedule: the wrapper
    around ``Adam(params, lr=α)`` with λ/α is the paper's algorithm.
    """
    lr = check_real("lr", lr, low=0.0, low_open=True)
    weight_decay = check_real("weight_decay", weight_decay, low=0.0)
    return optim.DecoupledWeightDecay(optim.Adam(params, lr=lr, **adam), weight_decay / lr)


def decay_factor(make_optimizer, schedule, steps):
    r"""θ_T / θ_0 under decay alone: the optimiser on zero gradients for ``steps`` steps.

    With a zero gradient Adam's step is 0/(0 + ε) = 0, so only the decoupled decay
    moves θ and the ratio is Π_t (1 − γ_t λ') exactly. ``make_optimizer(params)`` builds
    the optimiser, ``schedule`` is a name for :func:`make_scheduler`.
    """
    theta = np.ones(1)
    opt = make_optimizer([theta])
    sched = make_scheduler(schedule, opt, steps)
    zero = np.zeros(1)
    for _ in range(check_positive_int("steps", steps)):
        opt.step([zero])
        if sched is not None:
            sched.step()
    return float(theta[0])


def adam_clipped_steps(grads, *, max_norm=None, lr=0.01):
    r"""Adam's updates θ_{t+1} − θ_t for the gradient sequence ``grads`` (rows: steps).

    With ``max_norm``, each gradient is clipped by :func:`paramopt.nn.utils.clip_grad_norm_`
    before the step. The gradients do not depend on θ.
    """
    grads = check_array("grads", grads, ndim=2)
    theta = np.zeros(grads.shape[1])
    opt = optim.Adam([theta], lr=lr)
    updates = np.empty_like(grads, dtype=float)
    for t, row in enumerate(grads):
        g = row.astype(float)
        if max_norm is not None:
            nn.utils.clip_grad_norm_([g], max_norm)
        before = theta.copy()
        opt.step([g])
        updates[t] = theta - before
    return updates


def chain_loss_and_grad(weights, target=1.0):
    r"""A deep scalar linear chain: loss ½(Π_l w_l − t)² and its gradient.

    ∂/∂w_l = (P − t) · Π_{k≠l} w_k with P = Π w: with L weights a little above 1, P and
    every partial derivative grow like (1 + δ)^L — an exploding gradient.
    """
    w = check_array("weights", weights, ndim=1)
    product = float(np.prod(w))
    others = np.array([np.prod(np.delete(w, k)) for k in range(len(w))])
    return 0.5 * (product - target) ** 2, (product - target) * others


def train_chain(start, *, lr=0.01, steps=300, max_norm=None, limit=1e6):
    """SGD on :func:`chain_loss_and_grad` from ``start``, clipped by norm if ``max_norm``.

    Returns the loss before each step and after the last, shape (steps + 1,). Raises
    :class:`paramopt.Diverged` when a weight exceeds ``limit`` or the loss is not finite.
    """
    w = check_array("start", start, ndim=1).astype(float).copy()
    opt = optim.SGD([w], lr=lr)
    losses = np.empty(check_positive_int("steps", steps) + 1)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            losses[t], grad = chain_loss_and_grad(w)
            if not (math.isfinite(losses[t]) and np.isfinite(grad).all()):
                raise Diverged(t, "loss")
            if max_norm is not None:
                nn.utils.clip_grad_norm_([grad], max_norm)
            opt.step([grad])
            if not np.abs(w).max() < limit:
                raise Diverged(t + 1, "parameters")
        losses[-1] = chain_loss_and_grad(w)[0]
    return losses


def digits_runs(X, y, X_val, y_val, *, optimizers, schedules, seeds, epochs=6, batch_size=64,
                warmup=20, hidden=(64,)):  # fmt: skip
    r"""Train the digits network once per (optimiser, schedule, seed): ``{key: History}``.

    ``optimizers`` maps a name for :func:`paramopt.optim.create` to its rate; every run
    of one seed starts from the same He-initialised ``64 → hidden → 10`` ReLU network in
    float32 and sees the same batches; only the schedule (:func:`make_scheduler` over all
    the run's steps, ``warmup`` steps for "warmup-cosine") changes. A run that blows up
    is stored as the :class:`paramopt.Diverged` it raised.
    """
    X, X_val = np.asarray(X, np.float32), np.asarray(X_val, np.float32)
    total = epochs * -(-len(X) // batch_size)
    widths = [X.shape[1], *hidden, int(np.max(y)) + 1]
    results = {}
    for name, lr in optimizers.items():
        for schedule in schedules:
            for seed in seeds:
                model = nn.mlp(widths, "relu", "kaiming", rng=seed, dtype=np.float32)
                opt = optim.create(name, model.parameters(), lr=lr)
                sched = make_scheduler(schedule, opt, total, warmup=warmup)
                try:
                    results[name, schedule, seed] = fit(
                        model, nn.CrossEntropyLoss(), opt, X, y, epochs=epochs,
                        batch_size=batch_size, rng=seed, X_val=X_val, y_val=y_val,
                        scheduler=sched,
                    )  # fmt: skip
                except Diverged as error:
                    results[name, schedule, seed] = error
    return results
