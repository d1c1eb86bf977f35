"""Adamax: Adam with the ∞-norm of past gradients in place of their root mean square."""

import numpy as np

from paramopt.optim.adam import check_betas, update_first_moment
from paramopt.optim.optimizer import Optimizer
from paramopt.validation import check_flag, check_real

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """Adamax (Kingma & Ba, 2015, section 7; as ``torch.optim.Adamax``).

    input: γ (lr), β1, β2 (betas), ε (eps), λ (weight_decay), maximize
    for t = 1, 2, ...
        g_t ← -∇f(θ_{t-1}) if maximize else ∇f(θ_{t-1})
        if λ ≠ 0:  g_t ← g_t + λ θ_{t-1}
        m_t ← β1 m_{t-1} + (1 - β1) g_t                (m_0 = 0)
        u_t ← max(β2 u_{t-1}, |g_t| + ε)               (u_0 = 0; ε inside the max)
        θ_t ← θ_{t-1} - γ m_t / ((1 - β1^t) u_t)

    u_t is a decaying maximum of |g|: Adam with the L^p norm, v_t = β2^p v_{t-1} +
    (1 - β2^p)|g_t|^p and u_t = v_t^{1/p}, in the limit p → ∞ (without ε). u_t needs no
    bias correction (u_1 = |g_1| + ε), so the first step is Adam's,
    θ_1 = θ_0 - γ g_1 / (|g_1| + ε). torch adds ε to |g_t| inside the max, where the paper
    adds nothing: u_t ≥ ε, so a coordinate whose gradients vanish never divides by 0.
    After one large gradient, u_t forgets it only by the factor β2 per step (0.1% at the
    default), so the steps of that coordinate stay small for thousands of steps.

    ``state[i]`` holds ``step`` (t), ``exp_avg`` (m_t) and ``exp_inf`` (u_t).
    """

    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0.0,
        maximize=False,
    ):
        self.lr = check_real("lr", lr, low=0.0)
        self.betas = check_betas(betas)
        self.eps = check_real("eps", eps, low=0.0)
        self.weight_decay = check_real("weight_decay", weight_decay, low=0.0)
        self.maximize = check_flag("maximize", maximize)
        super().__init__(params)

    def _init_state(self, theta):
        return {"step": 0, "exp_avg": np.zeros_like(theta), "exp_inf": np.zeros_like(theta)}

    def _update(self, theta, grad, state, work):
        g = self._gradient(theta, grad, self.weight_decay, work)  # g_t (+ λθ)
        (beta1, beta2), t = self.betas, state["step"]
        m, u, w = state["exp_avg"], state["exp_inf"], work["w"]
        update_first_moment(m, g, beta1, w)  # m_t as Adam's
        u *= beta2  # u_t = max(β2 u_{t-1}, |g_t| + ε)
        np.maximum(u, np.add(np.abs(g, out=w), self.eps, out=w), out=u)
        # θ_t = θ_{t-1} - γ m_t / ((1 - β1^t) u_t)
        theta -= np.multiply(self.lr / (1 - beta1**t), np.divide(m, u, out=w), out=w)
