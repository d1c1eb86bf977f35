r"""Adafactor: a second moment in n + m numbers for an n×m matrix, and relative step sizes.

:func:`factored_second_moment` rebuilds the n×m estimate from its row and column factors;
:class:`Adafactor` uses it, and a chapter can call it to compare the estimate with g².
"""

import numpy as np

from paramopt.optim.optimizer import Optimizer, check_params, lerp
from paramopt.validation import check_array, check_flag, check_real

__all__ = ["Adafactor", "factored_second_moment"]


def check_eps(eps):
    """Return ``eps`` as (ε1, ε2): ε1 None or a float ≥ 0, ε2 a float ≥ 0."""
    if isinstance(eps, str | bytes) or not hasattr(eps, "__len__"):
        raise TypeError(f"eps must be a pair (eps1, eps2), got {eps!r}")
    if len(eps) != 2:
        raise ValueError(f"Invalid eps: {eps!r} (must be a pair (eps1, eps2), eps1 may be None)")
    eps1 = None if eps[0] is None else check_real("eps[0]", eps[0], low=0.0)
    return eps1, check_real("eps[1]", eps[1], low=0.0)


def _factored(row_var, col_var, eps1, out):
    """V̂ = R C / max(mean_i R, ε1) into ``out``, as torch: no checks."""
    np.multiply(row_var, col_var, out=out)  # R C, the outer product (torch: row_var @ col_var)
    mean = np.maximum(np.mean(row_var, axis=-2, keepdims=True), eps1)  # (…, 1, 1)
    return np.divide(out, mean, out=out)


def factored_second_moment(row_var, col_var, eps1=None):
    r"""Adafactor's estimate V̂ of the second moment of an n×m gradient, from n + m numbers.

    ``row_var`` R holds the n row means of g² (shape (n, 1), as Adafactor's state, or
    (n,)), ``col_var`` C the m column means (shape (1, m), or (m,)); leading dimensions,
    if any, are a batch of matrices, the same in both. Returns the n×m matrix

        V̂_ij = R_i C_j / max(mean_i R_i, ε1)

    the rank-one matrix with the row means R and the column means C (both sums of V̂ equal
    those of g² when ε1 does not bind). It equals g² when g² is itself rank one, g²_ij = x_i y_j.
    ``eps1`` None is the machine epsilon of the arrays' dtype (torch's default).
    """
    row_var = check_array("row_var", row_var)
    col_var = check_array("col_var", col_var)
    if row_var.ndim == col_var.ndim == 1:
        row_var, col_var = row_var[:, None], col_var[None, :]
    if (
        row_var.ndim < 2
        or row_var.ndim != col_var.ndim
        or row_var.shape[-1] != 1
        or col_var.shape[-2] != 1
        or row_var.shape[:-2] != col_var.shape[:-2]
    ):
        raise ValueError(
            "row_var and col_var must have shapes (..., n, 1) and (..., 1, m) (or (n,) and "
            f"(m,)), got {row_var.shape} and {col_var.shape}"
        )
    dtype = np.result_type(row_var, col_var)
    if eps1 is None:
        eps1 = float(np.finfo(dtype).eps)
    eps1 = check_real("eps1", eps1, low=0.0)
    shape = (*row_var.shape[:-1], col_var.shape[-1])
    return _factored(row_var, col_var, eps1, np.empty(shape, dtype))


class Adafactor(Optimizer):
    """Adafactor (as ``torch.optim.Adafactor``): factored second moment, relative step size.

    input: γ (lr), τ (beta2_decay), ε1, ε2 (eps), d, λ (weight_decay), maximize
    for t = 1, 2, ...
        g_t ← -∇f(θ_{t-1}) if maximize else ∇f(θ_{t-1})
        β2_t ← 1 - t^τ                                (β2_1 = 0: step 1 keeps g_1² alone)
        ρ_t ← min(γ, 1/√t)                             (relative step size)
        α_t ← max(ε2, RMS(θ_{t-1})) ρ_t               (RMS(x) = ‖x‖₂ / √(number of entries))
        if λ ≠ 0:  θ_{t-1} ← θ_{t-1} (1 - γ λ)         (decoupled decay, with γ, not α_t)
        if θ has 2 or more dimensions (factored over the last two, n×m):
            R_t ← β2_t R_{t-1} + (1 - β2_t) mean_j g_t²       (n×1, the row means; R_0 = 0)
            C_t ← β2_t C_{t-1} + (1 - β2_t) mean_i g_t²       (1×m, the column means; C_0 = 0)
            V̂_t ← R_t C_t / max(mean_i R_t, ε1)              (factored_second_moment)
        else:
            V̂_t ← V_t ← β2_t V_{t-1} + (1 - β2_t) g_t²         (V_0 = 0)
        U_t ← g_t / √max(V̂_t, ε1²)                    (= g_t / max(√V̂_t, ε1))
        θ_t ← θ_{t-1} - α_t U_t / max(1, RMS(U_t) / d)         (update clipping at RMS d)

    The step is relative: α_t is a fraction ρ_t of θ's own RMS (at least ε2, so that a
    parameter starting at 0 moves), and γ only caps ρ_t and scales the decay. β2_t rises
    towards 1 (0, 0.43, 0.58, ... for τ = -0.8), so early steps forget fast and no bias
    correction is needed. Torch's Adafactor and its paper differ (torch's docstring says
    how): γ caps ρ_t where the paper has 0.01, the decay is γλ, and ε1 enters after the
    averages, not in g_t² + ε1. ε1 = None is the machine epsilon of each θ's dtype
    (2.2e-16 for float64; torch takes the dtype of the group's first parameter for all,
    which differs only when float32 and float64 parameters share an optimiser).

    Memory: for an n×m matrix the state holds n + m numbers (``row_var`` of shape (n, 1)
    and ``col_var`` of shape (1, m)) instead of Adam's nm; a parameter of shape (…, n, m)
    keeps a pair per matrix of the batch. A vector (or a 0-D parameter) keeps ``variance``
    of its own shape. ``state[i]`` holds ``step`` (t) too. There is no momentum.
    """

    def __init__(
        self,
        params,
        lr=1e-2,
        beta2_decay=-0.8,
        eps=(None, 1e-3),
        d=1.0,
        weight_decay=0.0,
        maximize=False,
    ):
        self.lr = check_real("lr", lr, low=0.0)
        self.beta2_decay = check_real("beta2_decay", beta2_decay, high=0.0)
        self.eps = check_eps(eps)
        self.d = check_real("d", d, low=1.0)
        self.weight_decay = check_real("weight_decay", weight_decay, low=0.0)
        self.maximize = check_flag("maximize", maximize)
        params = check_params(params)
        for i, theta in enumerate(params):
            if theta.size == 0:  # its RMS would be 0/0 (torch fails at the first step)
                raise ValueError(f"params[{i}] has shape {theta.shape}: it holds no number")
        super().__init__(params)

    def _init_state(self, theta):
        if theta.ndim >= 2:
            return {
                "step": 0,
                "row_var": np.zeros((*theta.shape[:-1], 1), theta.dtype),
                "col_var": np.zeros((*theta.shape[:-2], 1, theta.shape[-1]), theta.dtype),
            }
        return {"step": 0, "variance": np.zeros_like(theta)}

    def _update(self, theta, grad, state, work):
        g = self._gradient(theta, grad, 0.0, work)  # g_t (no L2 term)
        t, w = float(state["step"]), work["w"]
        eps1, eps2 = self.eps
        if eps1 is None:
            eps1 = float(np.finfo(theta.dtype).eps)
        one_minus_beta2 = t**self.beta2_decay  # 1 - β2_t
        rho = min(self.lr, 1 / t**0.5)  # ρ_t
        alpha = max(eps2, _rms(theta, w)) * rho  # α_t, from θ before the decay
        self._decay(theta, self.weight_decay)  # θ ← θ (1 - γλ)
        v = work["v"]
        if theta.ndim >= 2:
            row, col = state["row_var"], state["col_var"]
            if "row" not in work:  # scratch pairs of the factors' shapes
                work["row"] = np.empty_like(row), np.empty_like(row)
                work["col"] = np.empty_like(col), np.empty_like(col)
            square = np.square(g, out=w)
            for axis, factor, (mean, tmp) in ((-1, row, work["row"]), (-2, col, work["col"])):
                np.sum(square, axis=axis, keepdims=True, out=mean)
                mean /= theta.shape[axis]  # the row (column) means of g_t²
                lerp(factor, mean, one_minus_beta2, out=factor, tmp=tmp)  # R_t (C_t)
            _factored(row, col, eps1, out=v)  # V̂_t
        else:
            variance = state["variance"]
            lerp(variance, np.square(g, out=v), one_minus_beta2, out=variance, tmp=w)
            np.copyto(v, variance)  # V̂_t = V_t
        # U_t = g_t / √max(V̂_t, ε1²), written as torch: rsqrt, then times g_t
        u = np.multiply(np.reciprocal(np.sqrt(np.maximum(v, eps1 * eps1, out=v), out=v), out=v),
                        g, out=v)  # fmt: skip
        denom = max(1.0, _norm(u, w) / (u.size**0.5 * self.d))  # max(1, RMS(U_t)/d)
        theta += np.multiply(-alpha / denom, u, out=w)  # θ_t = θ_{t-1} - α_t Û_t


def _norm(x, w):
    """‖x‖₂ over all entries, using the scratch array ``w`` of ``x``'s shape."""
    return float(np.sqrt(np.sum(np.square(x, out=w))))


def _rms(x, w):
    """RMS(x) = ‖x‖₂ / √(number of entries), as torch writes it."""
    return _norm(x, w) / x.size**0.5
