"""RMSprop: AdaGrad with a forgetting average of squared gradients."""

import numpy as np

from paramopt.optim.optimizer import Optimizer
from paramopt.validation import check_flag, check_real


class RMSprop(Optimizer):
    """RMSprop, optionally centered and with momentum (as ``torch.optim.RMSprop``).

    input: γ (lr), α (alpha), ε (eps), λ (weight_decay), μ (momentum), centered,
           maximize
    for t = 1, 2, ...
        g_t ← -∇f(θ_{t-1}) if maximize else ∇f(θ_{t-1})
        if λ ≠ 0:  g_t ← g_t + λ θ_{t-1}
        v_t ← α v_{t-1} + (1 - α) g_t²                 (v_0 = 0)
        ṽ_t ← v_t
        if centered:
            ḡ_t ← α ḡ_{t-1} + (1 - α) g_t              (ḡ_0 = 0)
            ṽ_t ← v_t - ḡ_t²
        if μ > 0:
            b_t ← μ b_{t-1} + g_t / (√ṽ_t + ε)         (b_0 = 0)
            θ_t ← θ_{t-1} - γ b_t
        else:
            θ_t ← θ_{t-1} - γ g_t / (√ṽ_t + ε)

    ``state[i]`` holds ``step`` (t), ``square_avg`` (v_t), ``grad_avg`` (ḡ_t, if
    centered) and ``momentum_buffer`` (b_t, if μ > 0). There is no bias correction:
    v_t starts at 0, so early steps are large.
    """

    def __init__(
        self,
        params,
        lr=1e-2,
        alpha=0.99,
        eps=1e-8,
        weight_decay=0.0,
        momentum=0.0,
        centered=False,
        maximize=False,
    ):
        self.lr = check_real("lr", lr, low=0.0)
        self.alpha = check_real("alpha", alpha, low=0.0, high=1.0)
        self.eps = check_real("eps", eps, low=0.0)
        self.weight_decay = check_real("weight_decay", weight_decay, low=0.0)
        self.momentum = check_real("momentum", momentum, low=0.0)
        self.centered = check_flag("centered", centered)
        self.maximize = check_flag("maximize", maximize)
        super().__init__(params)

    def _init_state(self, theta):
        state = {"step": 0, "square_avg": np.zeros_like(theta)}
        if self.centered:
            state["grad_avg"] = np.zeros_like(theta)
        if self.momentum > 0:
            state["momentum_buffer"] = np.zeros_like(theta)
        return state

    def _update(self, theta, grad, state, work):
        g = self._gradient(theta, grad, self.weight_decay, work)  # g_t (+ λθ)
        alpha, v, w = self.alpha, state["square_avg"], work["w"]
        v *= alpha  # v_t = α v_{t-1} + (1 - α) g_t²
        v += np.multiply(1 - alpha, np.square(g, out=w), out=w)
        if self.centered:
            g_avg = state["grad_avg"]  # ḡ_t = ḡ_{t-1} + (1 - α)(g_t - ḡ_{t-1})
            g_avg += np.multiply(1 - alpha, np.subtract(g, g_avg, out=w), out=w)
            var = np.subtract(v, np.square(g_avg, out=w), out=w)  # ṽ_t = v_t - ḡ_t²
            denom = np.add(np.sqrt(var, out=w), self.eps, out=w)  # √ṽ_t + ε
        else:
            denom = np.add(np.sqrt(v, out=w), self.eps, out=w)  # √v_t + ε
        if self.momentum > 0:
            b = state["momentum_buffer"]
            b *= self.momentum  # b_t = μ b_{t-1} + g_t / (√ṽ_t + ε)
            b += np.divide(g, denom, out=w)
            theta -= np.multiply(self.lr, b, out=w)  # θ_t = θ_{t-1} - γ b_t
        else:
            # θ_t = θ_{t-1} - γ g_t / (√ṽ_t + ε)
            theta -= np.multiply(self.lr, np.divide(g, denom, out=w), out=w)
