"""RAdam: Adam that waits, with plain momentum steps, until its v̂_t can be trusted.

:func:`rho` and :func:`rectification` are the two curves of the algorithm, ρ_t and r_t, as
functions of the step t (a number or an array of steps, for a plot).
"""

import math

import numpy as np

from paramopt.optim.adam import adam_step, check_betas, check_step, update_moments
from paramopt.optim.optimizer import Optimizer
from paramopt.validation import check_flag, check_real

__all__ = ["RAdam", "rectification", "rho"]

#: RAdam adapts (divides by √v̂_t) only at the steps where ρ_t exceeds this
THRESHOLD = 5.0


class RAdam(Optimizer):
    """Rectified Adam (Liu et al., 2020), optionally RAdamW (as ``torch.optim.RAdam``).

    input: γ (lr), β1, β2 (betas), ε (eps), λ (weight_decay), decoupled_weight_decay,
           maximize
    ρ_∞ ← 2 / (1 - β2) - 1                             (the longest SMA length, t → ∞)
    for t = 1, 2, ...
        g_t ← -∇f(θ_{t-1}) if maximize else ∇f(θ_{t-1})
        if λ ≠ 0 and decoupled_weight_decay:
            θ_{t-1} ← θ_{t-1} (1 - γ λ)                (RAdamW: decay θ itself, as AdamW)
        if λ ≠ 0 and not decoupled_weight_decay:
            g_t ← g_t + λ θ_{t-1}                      (L2, goes through m and v)
        m_t ← β1 m_{t-1} + (1 - β1) g_t                (m_0 = 0)
        v_t ← β2 v_{t-1} + (1 - β2) g_t²               (v_0 = 0)
        m̂_t ← m_t / (1 - β1^t)
        ρ_t ← ρ_∞ - 2 t β2^t / (1 - β2^t)              (:func:`rho`; ρ_1 = 1, ρ_t ↑ ρ_∞)
        if ρ_t > 5:
            l_t ← √(1 - β2^t) / (√v_t + ε)             (ε added to √v_t, not to √v̂_t)
            r_t ← √[(ρ_t - 4)(ρ_t - 2) ρ_∞ / ((ρ_∞ - 4)(ρ_∞ - 2) ρ_t)]   (:func:`rectification`)
            θ_t ← θ_{t-1} - γ r_t m̂_t l_t
        else:
            θ_t ← θ_{t-1} - γ m̂_t                      (momentum SGD: no division at all)

    ρ_t is the length of the simple moving average that v_t approximates. While it is
    short, the adaptive rate 1/√v̂_t varies too much to be trusted (the variance the paper
    estimates is finite only for ρ_t > 4, where r_t is real; torch waits for ρ_t > 5), so
    the step is bias-corrected momentum SGD, not scaled by 1/√v̂_t at all: θ_1 = θ_0 - γ g_1,
    a step as large as the gradient. Afterwards r_t < 1 damps Adam's step, and r_t → 1.
    With β2 = 0.999, ρ_t ≈ t for small t: steps 1 to 5 are SGD steps and r_6 ≈ 0.026. With
    β2 ≤ 2/3, ρ_∞ ≤ 5 and RAdam never adapts.

    The rectified step is Adam's with rate γ r_t and ε_t = ε / √(1 - β2^t), since
    l_t = 1 / (√v̂_t + ε_t): early on RAdam's ε weighs more than Adam's.

    ``state[i]`` holds ``step`` (t), ``exp_avg`` (m_t) and ``exp_avg_sq`` (v_t).
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0.0,
        decoupled_weight_decay=False,
        maximize=False,
    ):
        self.lr = check_real("lr", lr, low=0.0)
        self.betas = check_betas(betas)
        self.eps = check_real("eps", eps, low=0.0)
        self.weight_decay = check_real("weight_decay", weight_decay, low=0.0)
        self.decoupled_weight_decay = check_flag("decoupled_weight_decay", decoupled_weight_decay)
        self.maximize = check_flag("maximize", maximize)
        super().__init__(params)

    def _init_state(self, theta):
        return {"step": 0, "exp_avg": np.zeros_like(theta), "exp_avg_sq": np.zeros_like(theta)}

    def _update(self, theta, grad, state, work):
        g = self._weight_decayed_gradient(
            theta, grad, self.weight_decay, self.decoupled_weight_decay, work
        )
        (beta1, beta2), t = self.betas, state["step"]
        m, v, w = state["exp_avg"], state["exp_avg_sq"], work["w"]
        update_moments(m, v, g, self.betas, w)  # m_t, v_t as Adam's
        r = _rectification(t, beta2)
        if math.isnan(r):  # ρ_t ≤ 5: θ_t = θ_{t-1} - γ m̂_t
            theta -= np.multiply(self.lr / (1 - beta1**t), m, out=w)
        else:  # θ_t = θ_{t-1} - γ r_t m̂_t √(1 - β2^t) / (√v_t + ε): Adam's step, γ r_t, ε_t
            eps_t = self.eps / (1 - beta2**t) ** 0.5
            adam_step(theta, m, v, t, self.lr * r, self.betas, eps_t, w)


def _rho(t, beta2):
    rho_inf = 2 / (1 - beta2) - 1
    return rho_inf - 2 * t * beta2**t / (1 - beta2**t)


def _rectification(t, beta2):
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = np.asarray(_rho(t, beta2))
    x = np.where(rho_t > THRESHOLD, rho_t, np.nan)  # nan where ρ_t ≤ 5, and so r_t
    r = np.sqrt((x - 4) * (x - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * x))
    return float(r) if r.ndim == 0 else r


def rho(step, beta2=0.999):
    """ρ_t = ρ_∞ - 2 t β2^t / (1 - β2^t), ρ_∞ = 2 / (1 - β2) - 1, at ``step`` t ≥ 1.

    The length of the simple moving average that Adam's v_t approximates: ρ_1 = 1, and
    ρ_t rises towards ρ_∞ (1999 for β2 = 0.999). ``step`` is a number ≥ 1 or an array of
    them; the result is a float, or an array of ``step``'s shape.
    """
    return _rho(check_step(step), _check_beta2(beta2))


def rectification(step, beta2=0.999):
    """RAdam's r_t = √[(ρ_t - 4)(ρ_t - 2) ρ_∞ / ((ρ_∞ - 4)(ρ_∞ - 2) ρ_t)], or nan where ρ_t ≤ 5.

    nan marks the steps RAdam does not adapt (it takes a momentum SGD step), so a plot
    of r_t against t leaves them out. Where defined, 0 < r_t < 1 and r_t → 1 as t → ∞.
    ``step`` is a number ≥ 1 or an array of them; the result is a float (nan if ρ_t ≤ 5),
    or an array of ``step``'s shape.
    """
    return _rectification(check_step(step), _check_beta2(beta2))


def _check_beta2(beta2):
    return check_real("beta2", beta2, low=0.0, high=1.0, high_open=True)
