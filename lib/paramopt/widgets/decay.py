r"""Chapter 7's computations: weight decay as an L2 term versus decoupled weight decay.

Two ways to make the weights θ smaller at every step, for an optimiser with learning
rate γ and weight-decay coefficient λ (torch's ``weight_decay``):

* **L2** (``torch.optim.SGD``/``Adam`` with ``weight_decay=λ``): add λθ to the gradient,
  g ← ∇f(θ) + λθ, and let the optimiser treat it like the rest of the gradient (average
  it into momentum, divide it by √v̂);
* **decoupled** (SGDW, ``torch.optim.AdamW``): shrink θ ← θ(1 − γλ) and give the
  optimiser ∇f(θ) alone (Loshchilov & Hutter, 2019).

For plain SGD the two are the same update; with momentum or Adam they are not.

This module holds what the chapter computes (decoupled decay itself is
:class:`paramopt.optim.DecoupledWeightDecay`): the 2-D problem :class:`ShiftedQuadratic`
with its L2-regularised minima, the explorer :func:`decay_explorer`,
:func:`effective_decay` (the per-weight decay rate that Adam's L2 term really applies)
and :func:`train_mlp`, a minimal training loop for the digits experiment.
"""

import functools

import numpy as np

from paramopt import nn, optim, surfaces
from paramopt.optim import DecoupledWeightDecay
from paramopt.style import OKABE_ITO
from paramopt.train import fit
from paramopt.validation import check_array, check_positive_int, check_real
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = [
    "KINDS",
    "OPTIMIZERS",
    "ShiftedQuadratic",
    "decay_explorer",
    "decay_optimizer",
    "decay_paths",
    "decoupled_limit",
    "effective_decay",
    "parameter_norm",
    "train_mlp",
]

#: how the decay enters: not at all, as an L2 gradient term, or decoupled from the gradient
KINDS = ("none", "l2", "decoupled")

#: the two optimisers of the explorer: paramopt.optim class and fixed hyperparameters
OPTIMIZERS = {
    "sgd": (optim.SGD, {"lr": 0.05, "momentum": 0.9}),
    "adam": (optim.Adam, {"lr": 0.05}),
}

#: colour and line style of each kind, the same in every figure of the chapter
KIND_STYLE = {
    "none": {"color": OKABE_ITO["black"], "linestyle": ":", "marker": "o", "label": "no decay"},
    "l2": {"color": OKABE_ITO["blue"], "linestyle": "--", "marker": "^", "label": "L2"},
    "decoupled": {
        "color": OKABE_ITO["vermillion"],
        "linestyle": "-",
        "marker": "s",
        "label": "decoupled",
    },
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
    cls, fixed = OPTIMIZERS[optimizer]
    if kind == "none":
        return lambda params: cls(params, **fixed)
    if kind == "l2":
        return lambda params: cls(params, weight_decay=weight_decay, **fixed)
    return lambda params: DecoupledWeightDecay(cls(params, **fixed), weight_decay)


class ShiftedQuadratic(surfaces.Surface):
    r"""f(θ) = ½ (θ − c)ᵀ H (θ − c) with H = diag(1, κ): a least-squares problem in 2-D.

    The minimum is at ``center`` c, away from the origin, so that weight decay (which
    pulls towards 0) has something to do; κ ≥ 1 makes θ₂ the steep coordinate. The
    L2-regularised loss f(θ) + (λ/2)‖θ‖² has the minimiser
    :meth:`ridge_minimum` (H + λI)⁻¹ H c, i.e. c_i h_i / (h_i + λ) coordinate by
    coordinate.
    """

    name = "shifted quadratic"
    bounds = ((-1.0, 4.0), (-0.8, 2.6))

    def __init__(self, center=(2.5, 1.5), kappa=10.0):
        self.center = check_array("center", center, shape=(2,)).astype(np.float64)
        self.kappa = check_real("kappa", kappa, low=1.0)
        self.curvature = np.array([1.0, self.kappa])
        self.minima = surfaces._points(self.center)

    def _f(self, x, y):
        (c1, c2), k = self.center, self.kappa
        return 0.5 * ((x - c1) ** 2 + k * (y - c2) ** 2)

    def _df(self, x, y):
        (c1, c2), k = self.center, self.kappa
        return x - c1, k * (y - c2)

    def ridge_minimum(self, weight_decay):
        """argmin f(θ) + (λ/2)‖θ‖² = (H + λI)⁻¹ H c for λ = ``weight_decay`` ≥ 0."""
        lam = check_real("weight_decay", weight_decay, low=0.0)
        return self.center * self.curvature / (self.curvature + lam)

    def __repr__(self):
        return f"ShiftedQuadratic(center={tuple(self.center.tolist())!r}, kappa={self.kappa!r})"


SURFACE = ShiftedQuadratic()
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


def _ridge_curve(surface, num=60):
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
        return surface.ridge_minimum((1 - OPTIMIZERS["sgd"][1]["momentum"]) * lam)
    if optimizer == "adam":
        return np.clip(surface.center, -1 / lam, 1 / lam)
    raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}, got {optimizer!r}")


def draw_decay(fig, paths, optimizer, kind, weight_decay, surface=SURFACE):
    """Left: contours, the chosen path, the L2 minima of every λ. Right: ‖θ_k‖ of all kinds."""
    left = fig.add_axes((0.08, 0.14, 0.42, 0.76))
    right = fig.add_axes((0.61, 0.14, 0.37, 0.76))
    X, Y, Z = surface.grid(81)
    left.contour(X, Y, Z, levels=np.geomspace(0.05, 40, 9), colors="#aaaaaa", linewidths=0.6)
    ridge = _ridge_curve(surface)
    green = OKABE_ITO["green"]
    left.plot(*ridge.T, color=green, lw=1.2, ls="-.", label="L2 minima, every λ")
    left.plot(*surface.ridge_minimum(weight_decay), "D", color=green, ms=7,
              label=f"L2 minimum, λ = {weight_decay:g}")  # fmt: skip
    left.plot(*surface.center, "*", color="black", ms=11, label="minimum of f")
    left.plot(0, 0, "+", color="black", ms=9)
    style = KIND_STYLE[kind]
    theta = paths[kind].theta
    left.plot(*theta.T, color=style["color"], ls=style["linestyle"], lw=1.4)
    left.plot(*theta[::15].T, style["marker"], color=style["color"], ms=3.5)
    left.plot(*theta[-1], style["marker"], color=style["color"], ms=8, mec="black")
    if kind == "decoupled":
        limit = decoupled_limit(optimizer, weight_decay, surface)
        what = "(1 − μ)λ" if optimizer == "sgd" else "box |θᵢ| ≤ 1/λ"
        left.plot(*limit, "h", color=OKABE_ITO["purple"], ms=14, mfc="none", mew=2,
                  label=f"decoupled limit: {what}")  # fmt: skip
        if optimizer == "adam":
            b = 1 / weight_decay
            left.plot([-b, b, b, -b, -b], [-b, -b, b, b, -b], color=OKABE_ITO["purple"], lw=0.8)
    (x0, x1), (y0, y1) = surface.bounds
    left.set(xlim=(x0, x1), ylim=(y0, y1), xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
    left.set_title(f"{style['label']} path", fontsize=10)
    left.legend(loc="lower right", fontsize=6.5, framealpha=0.9)
    for name, path in paths.items():
        s = KIND_STYLE[name]
        chosen = name == kind
        right.plot(
            np.linalg.norm(path.theta, axis=1),
            color=s["color"],
            ls=s["linestyle"],
            lw=2.6 if chosen else 1.0,
            alpha=1.0 if chosen else 0.6,
            label=s["label"] + (" (shown left)" if chosen else ""),
        )
    right.set(xlabel="step $k$", ylabel=r"$\|\theta_k\|$")
    title = "SGD + momentum 0.9" if optimizer == "sgd" else "Adam"
    right.set_title(f"{title}, lr {OPTIMIZERS[optimizer][1]['lr']:g}, λ = {weight_decay:g}",
                    fontsize=10)  # fmt: skip
    right.legend(fontsize=7, loc="upper right")
    right.grid(alpha=0.3)


def describe_decay(paths, optimizer, kind, weight_decay, surface=SURFACE):
    name = "SGD with momentum 0.9" if optimizer == "sgd" else "Adam"
    how = {"none": "no weight decay", "l2": "L2 weight decay", "decoupled": "decoupled decay"}
    end = paths[kind].theta[-1]
    ridge = surface.ridge_minimum(weight_decay)
    norms = ", ".join(
        f"{KIND_STYLE[k]['label']} {np.linalg.norm(p.theta[-1]):.2f}" for k, p in paths.items()
    )
    limit = ""
    if kind == "decoupled":
        x, y = decoupled_limit(optimizer, weight_decay, surface)
        limit = f" and the predicted limit of decoupled decay is ({x:.2f}, {y:.2f})"
    return (
        f"{name} with {how[kind]}, λ = {weight_decay:g}: after {len(paths[kind].theta) - 1} "
        f"steps θ = ({end[0]:.2f}, {end[1]:.2f}); the L2-regularised minimum is "
        f"({ridge[0]:.2f}, {ridge[1]:.2f}){limit}. Final ‖θ‖: {norms}."
    )


def decay_explorer(surface=SURFACE):
    """Optimiser × decay kind × λ: 18 frames comparing L2 and decoupled weight decay."""
    paths = functools.cache(lambda optimizer, lam: decay_paths(optimizer, lam, surface=surface))
    return Explorer(
        lambda optimizer, kind, weight_decay: paths(optimizer, weight_decay),  # kind: drawing only
        lambda fig, paths, **values: draw_decay(fig, paths, surface=surface, **values),
        lambda paths, **values: describe_decay(paths, surface=surface, **values),
        figsize=(7.6, 3.5),
        optimizer=Choice("optimiser", {"SGD + momentum 0.9": "sgd", "Adam": "adam"}, "adam"),
        kind=Choice(
            "weight decay",
            {"none": "none", "L2 (weight_decay)": "l2", "decoupled (SGDW / AdamW)": "decoupled"},
            "l2",
        ),
        weight_decay=Slider.from_values("λ", [0.5, 1.0, 2.0], value=1.0),
    )


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
    generator = np.random.default_rng(rng)
    net = nn.mlp([X.shape[1], hidden, int(y.max()) + 1], rng=generator, dtype=X.dtype)
    opt = make_optimizer(net.parameters())
    fit(net, nn.CrossEntropyLoss(), opt, X, y, epochs=epochs, batch_size=batch_size, rng=generator)
    return net, opt


def parameter_norm(net):
    """‖θ‖: the Euclidean norm of all parameters (weights and biases) together."""
    return float(np.sqrt(sum(float(np.sum(p * p)) for p in net.parameters())))
