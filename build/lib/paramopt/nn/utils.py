r"""Gradient clipping, as ``torch.nn.utils``: scale or clamp a list of gradients in place.

Call it between computing the gradients and ``optimizer.step(grads)``::

    total = paramopt.nn.utils.clip_grad_norm_(grads, max_norm=1.0)
    opt.step(grads)

torch clips ``p.grad`` of each parameter; here the gradients are the arrays themselves
(the list you pass to ``step``).
"""

import math
import numbers

import numpy as np

from paramopt.validation import check_flag, check_real

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def check_grads(grads):
    """Return ``grads`` as a list of writable float arrays (a single array is wrapped)."""
    if isinstance(grads, np.ndarray):
        grads = [grads]
    if isinstance(grads, str) or not hasattr(grads, "__iter__"):
        raise TypeError(f"grads must be a list of float arrays, got {grads!r}")
    grads = list(grads)
    for i, grad in enumerate(grads):
        if not isinstance(grad, np.ndarray) or grad.dtype.kind != "f":
            what = f"dtype {grad.dtype}" if isinstance(grad, np.ndarray) else repr(grad)
            raise TypeError(
                f"grads[{i}] must be a float ndarray (it is scaled in place), got {what}"
            )
        if not grad.flags.writeable:
            raise ValueError(f"grads[{i}] is read-only, so it cannot be clipped in place")
    return grads


def check_norm_type(norm_type):
    if isinstance(norm_type, bool) or not isinstance(norm_type, numbers.Real):
        raise TypeError(f"norm_type must be a real number or inf, got {norm_type!r}")
    p = float(norm_type)
    if not (p > 0):
        raise ValueError(f"Invalid norm_type: {norm_type!r} (must be > 0 or inf)")
    return p


def total_norm(grads, norm_type=2.0):
    """‖(g_1, ..., g_n)‖_p: the p-norm of all gradients as one vector, as torch computes it.

        ‖g‖_p = (Σ_i ‖g_i‖_p^p)^(1/p) = ‖(‖g_1‖_p, ..., ‖g_n‖_p)‖_p,   ‖g‖_∞ = max_i max |g_i|

    torch's order: the norm of each array, then the norm of those norms. 0.0 for no
    gradients.
    """
    grads = check_grads(grads)
    p = check_norm_type(norm_type)
    if not grads:
        return 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        norms = np.array(
            [np.linalg.norm(g.ravel().astype(np.float64), p) if g.size else 0.0 for g in grads]
        )
        return float(np.linalg.norm(norms, p))


def clip_grad_norm_(grads, max_norm, norm_type=2.0, error_if_nonfinite=False):
    r"""Scale ``grads`` in place so that their total norm is at most about ``max_norm``.

        N = ‖(g_1, ..., g_n)‖_p                       (:func:`total_norm`, p = norm_type)
        c = min(1, max_norm / (N + 10⁻⁶))
        g_i ← c · g_i                                 (every array, in place)

    exactly as ``torch.nn.utils.clip_grad_norm_``, which also multiplies when c = 1
    (nothing changes then) and adds 10⁻⁶, so the clipped norm is a little under
    ``max_norm``. Returns N, the norm *before* clipping, as a float. ``norm_type`` is
    p > 0 or ``inf`` (max |g|); torch also accepts orders ≤ 0, which are not norms.

    A non-finite N (a NaN or infinite gradient) scales every gradient by c = 0 or NaN, as
    in torch; with ``error_if_nonfinite=True`` it raises instead a RuntimeError (torch's
    type) naming the norm, and the gradients are left unchanged. ``max_norm`` < 0 raises a
    ValueError.
    """
    grads = check_grads(grads)
    max_norm = check_real("max_norm", max_norm, low=0.0)
    p = check_norm_type(norm_type)
    error_if_nonfinite = check_flag("error_if_nonfinite", error_if_nonfinite)
    norm = total_norm(grads, p)
    if error_if_nonfinite and not math.isfinite(norm):
        raise RuntimeError(
            f"The total norm of order {p} of the gradients is {norm}, so it cannot be clipped "
            "(the gradients are left unchanged). To scale them by the non-finite norm "
            "anyway, set error_if_nonfinite=False"
        )
    clip_coef = max_norm / (norm + 1e-6)  # 0 if N = ∞, NaN if N is NaN, as in torch
    if clip_coef > 1.0:
        clip_coef = 1.0
    with np.errstate(invalid="ignore"):
        for g in grads:
            g *= clip_coef
    return norm


def clip_grad_value_(grads, clip_value):
    r"""Clamp every entry of ``grads`` to [-clip_value, clip_value], in place.

        g_i ← min(max(g_i, -c), c)          c = clip_value ≥ 0, entry by entry

    as ``torch.nn.utils.clip_grad_value_``; unlike :func:`clip_grad_norm_` it changes
    the direction of the gradient. NaN stays NaN. ``clip_value`` < 0 raises a ValueError.
    """
    grads = check_grads(grads)
    c = check_real("clip_value", clip_value, low=0.0)
    for g in grads:
        np.clip(g, -c, c, out=g)
