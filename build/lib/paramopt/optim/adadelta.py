"""Adadelta: a step in θ's own units, the RMS of past steps over the RMS of gradients."""

import numpy as np

from paramopt.optim.optimizer import Optimizer
from paramopt.validation import check_flag, check_real

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012; as ``torch.optim.Adadelta``).

    input: γ (lr), ρ (rho), ε (eps), λ (weight_decay), maximize
    for t = 1, 2, ...
        g_t ← -∇f(θ_{t-1}) if maximize else ∇f(θ_{t-1})
        if λ ≠ 0:  g_t ← g_t + λ θ_{t-1}
        v_t ← ρ v_{t-1} + (1 - ρ) g_t²                 (v_0 = 0: mean square of g)
        Δθ_t ← √(u_{t-1} + ε) / √(v_t + ε) · g_t        (u_0 = 0; ε inside both roots)
        u_t ← ρ u_{t-1} + (1 - ρ) Δθ_t²                (mean square of the updates)
        θ_t ← θ_{t-1} - γ Δθ_t

    The update is RMS[Δθ]_{t-1} / RMS[g]_t · g_t: the ratio carries θ's units, so
    Zeiler's method needs no learning rate. torch scales the update by γ before applying
    it; γ = 1 (the default) is Zeiler's unit-consistent method. Another γ scales the step
    taken, but u_t still averages the unscaled Δθ_t, not the step γ Δθ_t.

    ε sets the first steps: with u_0 = 0, Δθ_1 = √ε g_1 / √((1 - ρ) g_1² + ε), close to
    √(ε / (1 - ρ)) sign(g_1) ≈ 0.0032 sign(g_1) for the defaults once |g_1| ≫ 0.003,
    whatever the scale of g; the steps then grow as u_t accumulates them.

    ``state[i]`` holds ``step`` (t), ``square_avg`` (v_t) and ``acc_delta`` (u_t).
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False):
        self.lr = check_real("lr", lr, low=0.0)
        self.rho = check_real("rho", rho, low=0.0, high=1.0)
        self.eps = check_real("eps", eps, low=0.0)
        self.weight_decay = check_real("weight_decay", weight_decay, low=0.0)
        self.maximize = check_flag("maximize", maximize)
        super().__init__(params)

    def _init_state(self, theta):
        return {"step": 0, "square_avg": np.zeros_like(theta), "acc_delta": np.zeros_like(theta)}

    def _update(self, theta, grad, state, work):
        g = self._gradient(theta, grad, self.weight_decay, work)  # g_t (+ λθ)
        rho, v, u = self.rho, state["square_avg"], state["acc_delta"]
        w, delta = work["w"], work["delta"]
        v *= rho  # v_t = ρ v_{t-1} + (1 - ρ) g_t²
        v += np.multiply(1 - rho, np.square(g, out=w), out=w)
        std = np.sqrt(np.add(v, self.eps, out=w), out=w)  # √(v_t + ε)
        # Δθ_t = √(u_{t-1} + ε) / √(v_t + ε) · g_t
        np.sqrt(np.add(u, self.eps, out=delta), out=delta)
        np.multiply(np.divide(delta, std, out=delta), g, out=delta)
        u *= rho  # u_t = ρ u_{t-1} + (1 - ρ) Δθ_t²
        u += np.multiply(1 - rho, np.square(delta, out=w), out=w)
        theta -= np.multiply(self.lr, delta, out=w)  # θ_t = θ_{t-1} - γ Δθ_t
