r"""Weight decay as an L2 term versus decoupled weight decay: chapter 7's experiments.

Two ways to make the weights θ smaller at every step, for an optimiser with learning
rate γ and weight-decay coefficient λ (torch's ``weight_decay``):

* **L2** (``torch.optim.SGD``/``Adam`` with ``weight_decay=λ``): add λθ to the gradient,
  g ← ∇f(θ) + λθ, and let the optimiser treat it like the rest of the gradient (average
  it into momentum, divide it by √v̂);
* **decoupled** (SGDW, ``torch.optim.AdamW``): shrink θ ← θ(1 − γλ) and give the
  optimiser ∇f(θ) alone (Loshchilov & Hutter, 2019).

For plain SGD the two are the same update; with momentum or Adam they are not.

Decoupled decay itself is :class:`paramopt.optim.DecoupledWeightDecay`; the 2-D problem
is :class:`paramopt.surfaces.ShiftedQuadratic`. This module holds what the chapter
computes with them: the paths of each kind (:func:`decay_paths`) and where decoupled
decay settles (:func:`decoupled_limit`), :func:`effective_decay` (the per-weight decay
rate that Adam's L2 term really applies), and :func:`train_mlp` with
:func:`parameter_norm` for the digits experiment.
"""

import numpy as np

from paramopt import nn, optim, surfaces
from paramopt.train import fit
from paramopt.validation import as_rng, check_array, check_positive_int, check_real

__all__ = [
    "KINDS",
    "OPTIMIZERS",
    "SURFACE",
    "decay_optimizer",
    "decay_paths",
    "decoupled_limit",
    "effective_decay",
    "parameter_norm",
    "ridge_curve",
    "train_mlp",
]

#: how the decay enters: not at all, as an L2 gradient term, or decoupled from the gradient
KINDS = ("none", "l2", "decoupled")

#: the two optimisers of the 2-D comparison: a name for :func:`paramopt.optim.create` and
#: its fixed hyperparameters ("Momentum" is SGD with momentum 0.9)
OPTIMIZERS = {
    "sgd": ("Momentum", {"lr": 0.05}),
    "adam": ("Adam", {"lr": 0.05}),
}


def decay_optimizer(optimizer, kind, weight_decay):
    """A factory ``make(params)`` for ``surfaces.run``: ``optimizer`` with decay ``kind``.

    ``optimizer`` is a key of :data:`OPTIMIZERS`; ``kind`` one of :data:`KINDS`:
    ``"none"`` ignores ``weight_decay``, ``"l2"`` passes it as torch's ``weight_decay``,
    ``"decoupled"`` wraps the optimiser in :class:`paramopt.optim.DecoupledWeightDecay`.
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}, got {optimizer!r}")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    weight_decay = check_real("weight_decay", weight_decay, low=0.0)
    name, fixed = OPTIMIZERS[optimizer]
    if kind == "none":
        return lambda params: optim.create(name, params, **fixed)
    if kind == "l2":
        return lambda params: optim.create(name, params, weight_decay=weight_decay, **fixed)
    return lambda params: optim.DecoupledWeightDecay(
        optim.create(name, params, **fixed), weight_decay
    )


#: the chapter's problem, start and length of the 2-D comparison
SURFACE = surfaces.ShiftedQuadratic()
START = (-0.5, 2.2)
STEPS = 300


def decay_paths(optimizer, weight_decay, *, surface=SURFACE, start=START, steps=STEPS):
    """The paths of ``optimizer`` with each decay kind: ``{kind: surfaces.Trajectory}``.

    All three start at ``start`` and take ``steps`` steps on ``surface`` with the same
    hyperparameters (:data:`OPTIMIZERS`) and the same λ = ``weight_decay``. Raises
    :class:`paramopt.Diverged` if a path blows up.
    """
    return {
        kind: surfaces.run(surface, decay_optimizer(optimizer, kind, weight_decay), start, steps)
        for kind in KINDS
    }


def ridge_curve(surface, num=60):
    """The L2 minima of every λ ≥ 0: a curve from c (λ = 0) to the origin (λ → ∞)."""
    lams = np.concatenate([[0.0], np.geomspace(1e-3, 1e3, num)])[:, None]
    return surface.center * surface.curvature / (surface.curvature + lams)


def decoupled_limit(optimizer, weight_decay, surface=SURFACE):
    r"""Where decoupled decay settles on ``surface`` (derived in the chapter).

    SGDW with momentum μ: the L2 minimum for the weaker coefficient (1 − μ)λ. AdamW
    (full batch, ε → 0): the minimum of f over the box |θ_i| ≤ 1/λ, which for the
    separable ``ShiftedQuadratic`` is the centre clipped to the box.
    """
    lam = check_real("weight_decay", weight_decay, low=0.0, low_open=True)
    if optimizer == "sgd":
        return surface.ridge_minimum((1 - optim.PRESETS["Momentum"][1]["momentum"]) * lam)
    if optimizer == "adam":
        return np.clip(surface.center, -1 / lam, 1 / lam)
    raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}, got {optimizer!r}")


def effective_decay(optimizer):
    r"""The decay rate each weight of an Adam/AdamW optimiser received at its last step.

    For ``AdamW`` the decay is θ ← θ(1 − γλ): the rate is γλ for every weight. For
    ``Adam`` with ``weight_decay=λ`` the term λθ joins the gradient and is divided,
    like the gradient, by √v̂ + ε. While θ changes slowly, m̂ contains λθ almost
    unchanged, so that weight shrinks by the fraction

    .. math::  d_i = \frac{\gamma \lambda}{\sqrt{\hat v_i} + \epsilon},
               \qquad \hat v = v_t / (1 - \beta_2^t)

    per step: small where the gradient history v̂ is large. Returns one array per
    parameter, shaped like it.
    """
    if not isinstance(optimizer, optim.Adam):
        raise TypeError(f"optimizer must be a paramopt.optim.Adam or AdamW, got {optimizer!r}")
    rate = optimizer.lr * optimizer.weight_decay
    rates = []
    for theta, state in zip(optimizer.params, optimizer.state, strict=True):
        t = state["step"]
        if t == 0:
            raise ValueError("effective_decay needs an optimiser that has taken a step")
        if optimizer.decoupled_weight_decay:
            rates.append(np.full_like(theta, rate))
            continue
        v = state["max_exp_avg_sq"] if optimizer.amsgrad else state["exp_avg_sq"]
        v_hat = v / (1 - optimizer.betas[1] ** t)
        rates.append(rate / (np.sqrt(v_hat) + optimizer.eps))
    return rates


def train_mlp(X, y, make_optimizer, *, hidden=32, epochs=100, batch_size=32, rng=0):
    r"""Train a ``d → hidden → ReLU → classes`` MLP with cross-entropy; return ``(net, opt)``.

    For each epoch, for each shuffled minibatch B, :func:`paramopt.train.fit` computes the
    mean cross-entropy L_B(θ), its gradient by backpropagation, and calls
    ``opt.step(∇L_B(θ))``, where ``opt = make_optimizer(net.parameters())``. The
    weights are initialised and the batches shuffled from the one seed ``rng``, so two
    calls with the same arguments give the same network. Raises
    :class:`paramopt.Diverged` when the loss, a gradient or a parameter stops being finite.
    """
    X = check_array("X", X, ndim=2)
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != len(X) or y.dtype.kind not in "iu":
        raise ValueError(f"y must be integer labels, one per row of X, got shape {y.shape}")
    if not callable(make_optimizer):
        raise TypeError(f"make_optimizer must be callable, got {make_optimizer!r}")
    hidden = check_positive_int("hidden", hidden)
    generator = as_rng(rng)
    net = nn.mlp([X.shape[1], hidden, int(y.max()) + 1], rng=generator, dtype=X.dtype)
    opt = make_optimizer(net.parameters())
    fit(net, nn.CrossEntropyLoss(), opt, X, y, epochs=epochs, batch_size=batch_size, rng=generator)
    return net, opt


def parameter_norm(net):
    """‖θ‖: the Euclidean norm of all parameters (weights and biases) together."""
    return float(np.sqrt(sum(float(np.sum(p * p)) for p in net.parameters())))
