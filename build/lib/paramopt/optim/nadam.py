"""NAdam: Adam whose momentum looks one step ahead, as Nesterov's does, on a warming schedule."""

import numpy as np

from paramopt.optim.adam import adam_denominator, check_betas, check_step, update_moments
from paramopt.optim.optimizer import Optimizer
from paramopt.validation import check_flag, check_real

__all__ = ["NAdam", "momentum_schedule"]


class NAdam(Optimizer):
    """NAdam (Dozat, 2016), optionally NAdamW (as ``torch.optim.NAdam``).

    input: γ (lr), β1, β2 (betas), ε (eps), λ (weight_decay), ψ (momentum_decay),
           decoupled_weight_decay, maximize
    for t = 1, 2, ...
        g_t ← -∇f(θ_{t-1}) if maximize else ∇f(θ_{t-1})
        if λ ≠ 0 and decoupled_weight_decay:
            θ_{t-1} ← θ_{t-1} (1 - γ λ)                (NAdamW: decay θ itself, as AdamW)
        if λ ≠ 0 and not decoupled_weight_decay:
            g_t ← g_t + λ θ_{t-1}                      (L2, goes through m and v)
        μ_t ← β1 (1 - ½ · 0.96^{t ψ})                  (the momentum schedule; μ_t → β1)
        μ_{t+1} ← β1 (1 - ½ · 0.96^{(t+1) ψ})
        Π_t ← Π_{t-1} μ_t                              (Π_0 = 1, so Π_t = μ_1 μ_2 ⋯ μ_t)
        m_t ← β1 m_{t-1} + (1 - β1) g_t                (m_0 = 0; β1, not μ_t, averages)
        v_t ← β2 v_{t-1} + (1 - β2) g_t²               (v_0 = 0)
        v̂_t ← v_t / (1 - β2^t)
        m̂_t ← μ_{t+1} m_t / (1 - Π_t μ_{t+1}) + (1 - μ_t) g_t / (1 - Π_t)
        θ_t ← θ_{t-1} - γ m̂_t / (√v̂_t + ε)             (ε outside the square root)

    m̂_t is the Nesterov look-ahead: the next step's momentum μ_{t+1} m_t plus the part
    (1 - μ_t) g_t of the current gradient, each divided by its own bias correction. The
    schedule :func:`momentum_schedule` starts at μ_1 ≈ β1/2 and approaches β1 slowly: with
    the default ψ = 0.004, 0.96^{tψ} = e^{-t/6124}: μ_t is 0.58 β1 at t = 1000, 0.78 β1
    at t = 5000 and 0.98 β1 only at t = 20000.

    ``state[i]`` holds ``step`` (t), ``mu_product`` (Π_t, a Python float, as torch keeps
    a scalar), ``exp_avg`` (m_t) and ``exp_avg_sq`` (v_t).
    """

    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0.0,
        momentum_decay=4e-3,
        decoupled_weight_decay=False,
        maximize=False,
    ):
        self.lr = check_real("lr", lr, low=0.0)
        self.betas = check_betas(betas)
        self.eps = check_real("eps", eps, low=0.0)
        self.weight_decay = check_real("weight_decay", weight_decay, low=0.0)
        self.momentum_decay = check_real("momentum_decay", momentum_decay, low=0.0)
        self.decoupled_weight_decay = check_flag("decoupled_weight_decay", decoupled_weight_decay)
        self.maximize = check_flag("maximize", maximize)
        super().__init__(params)

    def _init_state(self, theta):
        return {
            "step": 0,
            "mu_product": 1.0,
            "exp_avg": np.zeros_like(theta),
            "exp_avg_sq": np.zeros_like(theta),
        }

    def _update(self, theta, grad, state, work):
        g = self._weight_decayed_gradient(
            theta, grad, self.weight_decay, self.decoupled_weight_decay, work
        )
        (beta1, beta2), t, psi = self.betas, state["step"], self.momentum_decay
        mu, mu_next = _mu(t, beta1, psi), _mu(t + 1, beta1, psi)  # μ_t, μ_{t+1}
        state["mu_product"] *= mu  # Π_t = Π_{t-1} μ_t
        product = state["mu_product"]
        m, v, w = state["exp_avg"], state["exp_avg_sq"], work["w"]
        update_moments(m, v, g, self.betas, w)  # m_t, v_t as Adam's
        denom = adam_denominator(v, t, beta2, self.eps, work["d"])  # √v̂_t + ε
        # θ_t = θ_{t-1} - γ m̂_t / (√v̂_t + ε), one term of m̂_t at a time:
        # (1 - μ_t) g_t / (1 - Π_t), then μ_{t+1} m_t / (1 - Π_t μ_{t+1})
        theta -= np.multiply(self.lr * (1 - mu) / (1 - product), np.divide(g, denom, out=w), out=w)
        theta -= np.multiply(
            self.lr * mu_next / (1 - product * mu_next), np.divide(m, denom, out=w), out=w
        )


def _mu(t, beta1, momentum_decay):
    return beta1 * (1.0 - 0.5 * 0.96 ** (t * momentum_decay))


def momentum_schedule(step, beta1=0.9, momentum_decay=4e-3):
    """NAdam's momentum μ_t = β1 (1 - ½ · 0.96^{t ψ}) at ``step`` t (ψ = ``momentum_decay``).

    ``step`` is a number ≥ 1 or an array of them (``np.arange(1, 10_001)`` to plot the
    schedule); the result is a float, or an array of ``step``'s shape. μ_t rises from
    β1 (1 - ½ · 0.96^ψ) ≈ β1/2 towards β1; with ψ = 0 it stays at β1/2.
    """
    step = check_step(step)
    beta1 = check_real("beta1", beta1, low=0.0, high=1.0, high_open=True)
    momentum_decay = check_real("momentum_decay", momentum_decay, low=0.0)
    return _mu(step, beta1, momentum_decay)
