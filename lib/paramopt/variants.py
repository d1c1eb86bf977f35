r"""Chapter 9's experiments: the optimisers after Adam, each against the problem it fixes.

RAdam's rectified steps (:func:`first_rectified_step`), Adamax as the limit of L^p Adam
(:func:`lp_denominator`), Adafactor's β2 schedule, relative step and state memory
(:func:`adafactor_beta2`, :func:`adafactor_step_size`, :func:`state_floats`), what Muon's
Newton–Schulz iteration does to singular values (:func:`newton_schulz_map`,
:func:`spectrum`), every optimiser's hyperparameters and memory (:func:`optimizer_table`)
and the digits comparison (:func:`digits_comparison`). The optimisers themselves are
:mod:`paramopt.optim`'s.
"""

import inspect
import math

import numpy as np

from paramopt import nn, optim
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
    "COEFFICIENTS",
    "RATES",
    "TABLE",
    "adafactor_beta2",
    "adafactor_step_size",
    "digits_comparison",
    "first_rectified_step",
    "lp_denominator",
    "make_optimizer",
    "newton_schulz_map",
    "optimizer_table",
    "rho_infinity",
    "spectrum",
    "spectrum_matrix",
    "state_floats",
]

#: Newton–Schulz coefficient sets (a, b, c) of p(σ) = aσ + bσ³ + cσ⁵
COEFFICIENTS = {
    "Muon's quintic": optim.muon.NS_COEFFICIENTS,
    "classical quintic": (15 / 8, -10 / 8, 3 / 8),
    "cubic": (1.5, -0.5, 0.0),
}


def rho_infinity(beta2):
    """ρ_∞ = 2 / (1 − β2) − 1, the length of the SMA that v_t approximates as t → ∞."""
    beta2 = check_real("beta2", beta2, low=0.0, high=1.0, high_open=True)
    return 2 / (1 - beta2) - 1


def first_rectified_step(beta2=0.999, threshold=5.0):
    """The first step t at which RAdam's ρ_t exceeds ``threshold``: its first adaptive step.

    Raises ValueError when ρ_∞ ≤ ``threshold`` (then RAdam never adapts).
    """
    threshold = check_real("threshold", threshold)
    if rho_infinity(beta2) <= threshold:
        raise ValueError(
            f"Invalid beta2: {beta2!r} (ρ_∞ = {rho_infinity(beta2):g} ≤ {threshold:g}: "
            "RAdam never adapts)"
        )
    t = 1
    while optim.radam.rho(t, beta2) <= threshold:
        t += 1
    return t


def lp_denominator(grads, p, beta2=0.999):
    """Adam's denominator with the L^p norm: v_t^{1/p}, v_t = β2^p v_{t−1} + (1 − β2^p)|g_t|^p.

    ``grads`` is a 1-D sequence g_1, …, g_T of one coordinate's gradients; returns the T
    values v_t^{1/p}. As p → ∞ they approach Adamax's u_t = max(β2 u_{t−1}, |g_t|) (Kingma
    and Ba, section 7). Computed in logarithms, so that large p does not overflow.
    """
    grads = check_array("grads", grads, ndim=1)
    p = check_real("p", p, low=1.0)
    beta2 = check_real("beta2", beta2, low=0.0, high=1.0, high_open=True)
    log_v, out = -np.inf, np.empty(len(grads))
    for t, g in enumerate(np.abs(grads)):
        fresh = math.log1p(-(beta2**p)) + p * math.log(g) if g > 0 else -np.inf
        log_v = np.logaddexp(p * math.log(beta2) + log_v, fresh)  # log v_t
        out[t] = math.exp(log_v / p)
    return out


def adafactor_beta2(step, beta2_decay=-0.8):
    """Adafactor's β2_t = 1 − t^τ (τ = ``beta2_decay``): 0 at t = 1, then rising towards 1."""
    step = np.asarray(step, dtype=float)
    if step.size == 0 or np.any(step < 1):
        raise ValueError(f"Invalid step: {step!r} (must be ≥ 1)")
    beta2_decay = check_real("beta2_decay", beta2_decay, high=0.0)
    return 1 - step**beta2_decay


def adafactor_step_size(param, lr, step, eps2=1e-3):
    """Adafactor's α_t = max(ε2, RMS(θ)) · min(γ, 1/√t): a step relative to θ's own size."""
    param = check_array("param", param)
    lr = check_real("lr", lr, low=0.0)
    step = check_positive_int("step", step)
    eps2 = check_real("eps2", eps2, low=0.0)
    rms = float(np.sqrt(np.mean(np.square(param))))
    return max(eps2, rms) * min(lr, 1 / math.sqrt(step))


def state_floats(optimizer):
    """The numbers an optimiser keeps per parameter: a list, the sizes of its state arrays.

    Counts every array in ``optimizer.state[i]`` (moments, buffers, factors), not the step
    counter or other scalars.
    """
    return [
        sum(v.size for v in state.values() if isinstance(v, np.ndarray))
        for state in optimizer.state
    ]


def make_optimizer(name, params, lr):
    """:func:`paramopt.optim.create`, and "Muon": Muon on the matrices, AdamW on the rest.

    The Muon Composite gives the weight matrices (2-D) to ``Muon(lr=lr)`` and everything
    else (biases) to ``AdamW(lr=1e-2)``.
    """
    if name != "Muon":
        return optim.create(name, params, lr=lr)
    matrices = [p for p in params if p.ndim == 2]
    others = [p for p in params if p.ndim != 2]
    parts = [optim.Muon(matrices, lr=lr)] + ([optim.AdamW(others, lr=1e-2)] if others else [])
    return optim.Composite(params, parts)


#: the table's rows: name → (class name, the preset's defining hyperparameters)
TABLE = {
    "SGD": ("SGD", {}),
    "Momentum": ("SGD", {"momentum": 0.9}),
    "Adam": ("Adam", {}),
    "AdamW": ("AdamW", {}),
    "NAdam": ("NAdam", {}),
    "RAdam": ("RAdam", {}),
    "Adamax": ("Adamax", {}),
    "Adadelta": ("Adadelta", {}),
    "Adafactor": ("Adafactor", {}),
    "Muon": ("Muon", {}),
}

#: hyperparameters that switch a variant on or off rather than tune it
_SWITCHES = {"maximize", "decoupled_weight_decay", "amsgrad", "nesterov", "adjust_lr_fn"}


def optimizer_table(shape=(64, 64)):
    """Per optimiser of :data:`TABLE`: its hyperparameters and defaults, and its memory.

    Returns ``{name: {"defaults": {argument: default}, "switches": {...}, "matrix": floats
    of state per parameter number for a ``shape`` matrix, "vector": the same for a vector
    of ``shape[0]`` numbers}}``. Defaults come from the class's signature (with a preset's
    own values, e.g. Momentum's 0.9); memory is measured after one step.
    """
    shape = tuple(check_positive_int(f"shape[{i}]", n) for i, n in enumerate(shape))
    if len(shape) != 2:
        raise ValueError(f"Invalid shape: {shape!r} (must be a matrix's shape (n, m))")
    rows = {}
    for name, (cls_name, preset) in TABLE.items():
        cls = optim.CLASSES[cls_name]
        signature = inspect.signature(cls.__init__).parameters
        defaults = {k: preset.get(k, p.default) for k, p in signature.items()
                    if k not in ("self", "params")}  # fmt: skip
        memory = {}
        for kind, p in (("matrix", np.zeros(shape)), ("vector", np.zeros(shape[0]))):
            if name == "Muon" and kind == "vector":
                memory[kind] = None  # Muon takes matrices only
                continue
            opt = cls([p], **preset)
            opt.step([np.ones_like(p)])
            memory[kind] = state_floats(opt)[0] / p.size
        rows[name] = {
            "defaults": {k: v for k, v in defaults.items() if k not in _SWITCHES},
            "switches": {k: v for k, v in defaults.items() if k in _SWITCHES},
            **memory,
        }
    return rows


def newton_schulz_map(sigma, coefficients, steps):
    """p(p(⋯p(σ)⋯)), ``steps`` times, p(σ) = aσ + bσ³ + cσ⁵: what Newton–Schulz does to σ.

    ``sigma`` is a number or an array of singular values (after the normalisation by
    ‖G‖_F); the result has its shape.
    """
    sigma = np.array(sigma, dtype=float)
    a, b, c = optim.muon.check_coefficients("coefficients", coefficients)
    steps = check_int("steps", steps, low=0)
    for _ in range(steps):
        sigma = sigma * (a + sigma**2 * (b + c * sigma**2))
    return sigma


def spectrum_matrix(shape=(64, 64), decay=8.0, rng=0):
    """A random matrix with the singular values exp(−k/``decay``), k = 0, 1, …: a momentum-like G.

    Gradients of a layer are dominated by a few directions; this matrix has random
    singular vectors and a spectrum that falls by e every ``decay`` values.
    """
    n, m = (check_positive_int(f"shape[{i}]", k) for i, k in enumerate(shape))
    decay = check_real("decay", decay, low=0.0, low_open=True)
    rng = as_rng(rng)
    u, _ = np.linalg.qr(rng.standard_normal((n, n)))
    v, _ = np.linalg.qr(rng.standard_normal((m, m)))
    k = min(n, m)
    return (u[:, :k] * np.exp(-np.arange(k) / decay)) @ v[:, :k].T


def spectrum(G, coefficients, steps):
    """Singular values of G / ‖G‖_F and of :func:`paramopt.optim.newton_schulz` (G), sorted.

    Returns ``{"before": σ_i / ‖G‖_F, "after": the singular values of the iterate,
    "predicted": newton_schulz_map(before)}``, each in decreasing order (p is not monotonic
    on [0, 1], so "predicted" is sorted again; it equals "after" up to rounding).
    """
    G = check_array("G", G, ndim=2)
    before = np.linalg.svd(G, compute_uv=False) / np.linalg.norm(G)
    X = optim.newton_schulz(G, coefficients, steps)
    after = np.sort(np.linalg.svd(X, compute_uv=False))[::-1]
    predicted = np.sort(newton_schulz_map(before, coefficients, steps))[::-1]
    return {"before": before, "after": after, "predicted": predicted}


#: each optimiser's rate in the digits comparison, from a coarse look on a √10-ish grid
RATES = {
    "Momentum": 0.1,
    "AdamW": 0.01,
    "NAdam": 0.01,
    "RAdam": 0.03,
    "Adamax": 0.03,
    "Adadelta": 1.0,
    "Adafactor": 0.03,
    "Muon": 0.03,
}


def digits_comparison(X, y, X_val, y_val, *, rates=None, seeds=range(5), epochs=8,
                      batch_size=64, hidden=(64,)):  # fmt: skip
    """Train the digits network per (name, rate) and seed: ``{(name, lr, seed): History}``.

    ``rates`` maps a name of :func:`make_optimizer` ("Muon" is Muon on the weight matrices
    and AdamW on the biases) to a rate or a tuple of rates (default :data:`RATES`). Every run
    of one seed starts from the same He-initialised ``64 → hidden → 10`` ReLU network in
    float32 and sees the same batches. A run that blows up is stored as the
    :class:`paramopt.Diverged` it raised.
    """
    rates = dict(RATES if rates is None else rates)
    seeds = [check_int("seed", s, low=0) for s in seeds]
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    X, X_val = np.asarray(X, np.float32), np.asarray(X_val, np.float32)
    widths = [X.shape[1], *hidden, int(np.max(y)) + 1]
    results = {}
    for name, lrs in rates.items():
        for lr in np.atleast_1d(lrs):
            lr = check_real("lr", float(lr), low=0.0, low_open=True)
            for seed in seeds:
                model = nn.mlp(widths, "relu", "kaiming", rng=seed, dtype=np.float32)
                try:
                    results[name, lr, seed] = fit(
                        model, nn.CrossEntropyLoss(), make_optimizer(name, model.parameters(), lr),
                        X, y, epochs=epochs, batch_size=batch_size, rng=seed, X_val=X_val,
                        y_val=y_val,
                    )  # fmt: skip
                except Diverged as error:
                    results[name, lr, seed] = error
    return results
