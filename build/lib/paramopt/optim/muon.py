r"""Muon: momentum whose update matrix is orthogonalised by a Newton–Schulz iteration.

:func:`newton_schulz` is the iteration itself (it maps G = UΣVᵀ to ≈ UVᵀ) and
:func:`adjusted_lr` the shape-dependent rate; :class:`Muon` uses both, and a chapter can
call them on any matrix to see what they do.
"""

import math

import numpy as np

from paramopt.optim.optimizer import Optimizer, check_params, lerp
from paramopt.validation import check_array, check_flag, check_int, check_real

__all__ = ["ADJUST_LR_FNS", "Muon", "adjusted_lr", "newton_schulz"]

#: torch's constants, from Keller Jordan's Muon (a, b, c maximise the slope at 0)
NS_COEFFICIENTS = (3.4445, -4.775, 2.0315)

#: the values of ``adjust_lr_fn`` (None means "original", as in torch)
ADJUST_LR_FNS = (None, "original", "match_rms_adamw")


def check_coefficients(name, coefficients):
    """Return ``coefficients`` as a tuple of three finite floats (a, b, c)."""
    if isinstance(coefficients, str | bytes) or not hasattr(coefficients, "__len__"):
        raise TypeError(f"{name} must be a tuple of three numbers (a, b, c), got {coefficients!r}")
    if len(coefficients) != 3:
        raise ValueError(
            f"Invalid {name}: {coefficients!r} (must be exactly three numbers (a, b, c))"
        )
    return tuple(check_real(f"{name}[{i}]", value) for i, value in enumerate(coefficients))


def check_adjust_lr_fn(adjust_lr_fn):
    """Return ``adjust_lr_fn`` after checking it is one of :data:`ADJUST_LR_FNS`."""
    if adjust_lr_fn is not None and not isinstance(adjust_lr_fn, str):
        raise TypeError(
            f"adjust_lr_fn must be None, 'original' or 'match_rms_adamw', got {adjust_lr_fn!r}"
        )
    if adjust_lr_fn not in ADJUST_LR_FNS:
        raise ValueError(
            f"Invalid adjust_lr_fn: {adjust_lr_fn!r} (choose from None, 'original', "
            "'match_rms_adamw')"
        )
    return adjust_lr_fn


def _newton_schulz(G, coefficients, steps, eps, buffers=None):
    """:func:`newton_schulz` without the checks; ``buffers`` are reused scratch arrays."""
    a, b, c = coefficients
    tall = G.shape[0] > G.shape[1]
    X0 = G.T if tall else G  # short × long: the Gram matrix XXᵀ is the smaller one
    if buffers is None:
        buffers = _buffers(X0.shape, G.dtype)
    X, Y, A, B = buffers
    np.copyto(X, X0)
    scale = max(float(np.linalg.norm(X)), eps)  # torch: ‖G‖_F clamped below at ε
    if scale > 0:  # (ε = 0 and G = 0: torch divides 0 by 0; here the zero matrix stays 0)
        X /= scale
    for _ in range(steps):
        np.matmul(X, X.T, out=A)  # A = XXᵀ
        np.matmul(A, A, out=B)
        B *= c
        B += np.multiply(b, A, out=A)  # B = bA + cA²
        np.matmul(B, X, out=Y)
        X *= a
        X += Y  # X ← aX + (bA + cA²)X
    return X.T if tall else X


def _buffers(shape, dtype):
    """X and Y of ``shape`` (short × long), A and B of short × short."""
    short = (shape[0], shape[0])
    return (
        np.empty(shape, dtype),
        np.empty(shape, dtype),
        np.empty(short, dtype),
        np.empty(short, dtype),
    )


def newton_schulz(G, coefficients=NS_COEFFICIENTS, steps=5, eps=1e-7):
    r"""The orthogonalised matrix X ≈ UVᵀ of G = UΣVᵀ, by torch's quintic Newton–Schulz iteration.

    G is any 2-D float array (an integer one is taken as float64); X has G's shape and
    dtype and is computed in that dtype (torch's ``_zeropower_via_newtonschulz``
    computes in bfloat16; paramopt in the parameter's dtype)::

        if G is tall (more rows than columns): G ← Gᵀ        (so A below is the smaller Gram)
        X_0 ← G / max(‖G‖_F, ε)                              (all singular values ≤ 1)
        for j = 1, ..., steps:
            A ← X Xᵀ
            X ← a X + (b A + c A²) X
        return X, transposed back if G was tall

    With (a, b, c) = ``coefficients``, each step maps X = U S Vᵀ to U p(S) Vᵀ with the odd
    polynomial p(σ) = aσ + bσ³ + cσ⁵: the iteration keeps G's singular vectors and moves
    each singular value σ of G to p(p(⋯p(σ / max(‖G‖_F, ε))⋯)), p applied ``steps`` times.
    Torch's (3.4445, −4.775, 2.0315) has a steep slope at 0 (p'(0) = a) that lifts small
    singular values fast; after 5 steps they land roughly between 0.7 and 1.2 rather than
    at 1 exactly, which Muon tolerates. Zero singular values stay 0.

    The normalisation is torch's ``norm().clamp(min=eps)``, max(‖G‖_F, ε) (Keller Jordan's
    original writes ‖G‖_F + ε); the two differ only for ‖G‖_F near ε. With ε = 0 the zero
    matrix maps to itself (torch would divide 0 by 0). ``steps`` = 0 is the normalisation
    alone.
    """
    G = check_array("G", G, ndim=2)
    coefficients = check_coefficients("coefficients", coefficients)
    steps = check_int("steps", steps, low=0)
    eps = check_real("eps", eps, low=0.0)
    return _newton_schulz(G, coefficients, steps, eps)


def _adjust_lr(lr, adjust_lr_fn, shape):
    """torch's ``_adjust_lr``, written as it is, without checks."""
    A, B = shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        ratio = math.sqrt(max(1, A / B))
    else:  # "match_rms_adamw"
        ratio = 0.2 * math.sqrt(max(A, B))
    return lr * ratio


def adjusted_lr(lr, adjust_lr_fn, shape):
    """The rate γ' with which :class:`Muon` applies its orthogonalised update to an A×B matrix.

    An orthogonalised A×B matrix UVᵀ has min(A, B) singular values 1, so the root mean
    square of its entries is 1/√max(A, B): it shrinks as the matrix grows.
    ``adjust_lr_fn`` None or "original" (Keller Jordan's, torch's default):
    γ' = γ √max(1, A/B), which makes a step's RMS γ/√B for every shape (B = the columns,
    a layer's inputs). "match_rms_adamw" (Moonshot's): γ' = 0.2 γ √max(A, B), which makes
    it 0.2 γ, about AdamW's, so that AdamW's γ and λ can be reused. ``shape`` is (A, B),
    e.g. a parameter's ``.shape``; γ = ``lr`` ≥ 0.
    """
    lr = check_real("lr", lr, low=0.0)
    adjust_lr_fn = check_adjust_lr_fn(adjust_lr_fn)
    if isinstance(shape, str) or not hasattr(shape, "__len__") or len(shape) != 2:
        raise ValueError(f"Invalid shape: {shape!r} (must be a matrix's shape (A, B))")
    shape = tuple(check_int(f"shape[{i}]", n, low=1) for i, n in enumerate(shape))
    return _adjust_lr(lr, adjust_lr_fn, shape)


class Muon(Optimizer):
    """Muon (as ``torch.optim.Muon``): momentum, orthogonalised by Newton–Schulz, for matrices.

    input: γ (lr), λ (weight_decay), μ (momentum), nesterov, (a, b, c) (ns_coefficients),
           ε (eps), k (ns_steps), adjust_lr_fn
    for t = 1, 2, ...
        g_t ← ∇f(θ_{t-1})                             (an A×B matrix)
        B_t ← μ B_{t-1} + (1 - μ) g_t                 (B_0 = 0: an average, torch's lerp)
        U_t ← μ B_t + (1 - μ) g_t  if nesterov  else  B_t
        O_t ← newton_schulz(U_t, (a, b, c), k, ε)     (≈ the UVᵀ of U_t = UΣVᵀ)
        θ_{t-1} ← θ_{t-1} (1 - γ λ)                   (decoupled decay, with γ itself)
        θ_t ← θ_{t-1} - γ' O_t,   γ' = adjusted_lr(γ, adjust_lr_fn, (A, B))

    The step O_t has all its singular values near 1 whatever the scale of the gradient:
    Muon steps every direction of the matrix by about γ', where SGD's step is large in the
    gradient's dominant directions and tiny in the rest.

    Torch's code is followed, not its docstring: the docstring writes B_t ← μB_{t-1} + g_t
    and g_t + μB_t, the code ``buf.lerp_(grad, 1 - momentum)`` and
    ``grad.lerp(buf, momentum)``, an average, (1 − μ) times the docstring's. The Frobenius
    normalisation inside newton_schulz removes that factor (unless ‖U_t‖_F < ε), so only
    μ = 1 behaves differently: B_t stays 0 and Muon only decays θ. Newton–Schulz:
    torch computes this in bfloat16; paramopt in the parameter's dtype (numpy has no
    bfloat16). So a run agrees with torch's to bfloat16's ~3 significant digits per step,
    and to 1e-10 with torch's iteration done in float64 (as the tests run it).

    Muon takes 2-D parameters only (torch raises for others too): give biases, gains and
    embeddings to AdamW, as one optimiser with :class:`~paramopt.optim.Composite`.
    ``state[i]`` holds ``step`` (t; torch keeps none) and ``momentum_buffer`` (B_t).
    Torch checks only γ, λ, μ ≥ 0 and ``adjust_lr_fn``; here also μ ≤ 1 (an average's
    weight), ``nesterov`` a bool, ``ns_coefficients`` three numbers, ε ≥ 0 and ``ns_steps``
    an int in 0..99 (torch raises for ≥ 100 at the first step and takes a negative count
    as 0).
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        weight_decay=0.1,
        momentum=0.95,
        nesterov=True,
        ns_coefficients=NS_COEFFICIENTS,
        eps=1e-7,
        ns_steps=5,
        adjust_lr_fn=None,
    ):
        self.lr = check_real("lr", lr, low=0.0)
        self.weight_decay = check_real("weight_decay", weight_decay, low=0.0)
        self.momentum = check_real("momentum", momentum, low=0.0, high=1.0)
        self.nesterov = check_flag("nesterov", nesterov)
        self.ns_coefficients = check_coefficients("ns_coefficients", ns_coefficients)
        self.eps = check_real("eps", eps, low=0.0)
        self.ns_steps = check_int("ns_steps", ns_steps, low=0)
        if self.ns_steps >= 100:
            raise ValueError(f"Invalid ns_steps: {ns_steps!r} (must be < 100, as torch's)")
        self.adjust_lr_fn = check_adjust_lr_fn(adjust_lr_fn)
        params = check_params(params)
        for i, theta in enumerate(params):
            if theta.ndim != 2:
                raise ValueError(
                    f"params[{i}] has shape {theta.shape}: Muon only orthogonalises matrices "
                    "(2-D parameters); give the others (biases, gains, ...) to AdamW, e.g. "
                    "with paramopt.optim.Composite"
                )
            if theta.size == 0:
                raise ValueError(
                    f"params[{i}] has shape {theta.shape}: Muon needs a matrix with at least "
                    "one row and one column"
                )
        super().__init__(params)

    def _init_state(self, theta):
        return {"step": 0, "momentum_buffer": np.zeros_like(theta)}

    def _update(self, theta, grad, state, work):
        mu, w, buf = self.momentum, work["w"], state["momentum_buffer"]
        lerp(buf, grad, 1 - mu, out=buf, tmp=w)  # B_t = μ B_{t-1} + (1 - μ) g_t
        # U_t = μ B_t + (1 - μ) g_t (Nesterov) or B_t
        update = lerp(grad, buf, mu, out=work["u"], tmp=w) if self.nesterov else buf
        if "ns" not in work:
            work["ns"] = _buffers(tuple(sorted(theta.shape)), theta.dtype)
        ortho = _newton_schulz(update, self.ns_coefficients, self.ns_steps, self.eps, work["ns"])
        self._decay(theta, self.weight_decay)  # θ ← θ (1 - γλ), the unadjusted γ
        # θ_t = θ_{t-1} - γ' O_t
        theta -= np.multiply(_adjust_lr(self.lr, self.adjust_lr_fn, theta.shape), ortho, out=w)
