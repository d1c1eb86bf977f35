"""Stochastic gradient descent, with PyTorch's momentum, Nesterov and weight decay."""

import numpy as np

from paramopt.optim.optimizer import Optimizer
from paramopt.validation import check_flag, check_real


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (as ``torch.optim.SGD``).

    input: γ (lr), θ_0 (params), λ (weight_decay), μ (momentum), τ (dampening),
           nesterov, maximize
    for t = 1, 2, ...
        g_t ← -∇f(θ_{t-1}) if maximize else ∇f(θ_{t-1})
        if λ ≠ 0:  g_t ← g_t + λ θ_{t-1}
        if μ ≠ 0:
            b_t ← g_t                          if t = 1   (no dampening at t = 1)
            b_t ← μ b_{t-1} + (1 - τ) g_t      if t > 1
            g_t ← g_t + μ b_t  if nesterov  else  b_t
        θ_t ← θ_{t-1} - γ g_t

    ``state[i]`` holds ``step`` (t) and, when μ ≠ 0, ``momentum_buffer`` (b_t).
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        momentum=0.0,
        dampening=0.0,
        weight_decay=0.0,
        nesterov=False,
        maximize=False,
    ):
        self.lr = check_real("lr", lr, low=0.0)
        self.momentum = check_real("momentum", momentum, low=0.0)
        self.dampening = check_real("dampening", dampening, low=0.0, high=1.0)
        self.weight_decay = check_real("weight_decay", weight_decay, low=0.0)
        self.nesterov = check_flag("nesterov", nesterov)
        self.maximize = check_flag("maximize", maximize)
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError(
                "nesterov=True requires momentum > 0 and dampening == 0, got "
                f"momentum={momentum!r}, dampening={dampening!r}"
            )
        super().__init__(params)

    def _init_state(self, theta):
        state = {"step": 0}
        if self.momentum != 0:
            state["momentum_buffer"] = np.zeros_like(theta)
        return state

    def _update(self, theta, grad, state, work):
        g = self._gradient(theta, grad, self.weight_decay, work)  # g_t (+ λθ)
        mu, w = self.momentum, work["w"]
        if mu != 0:
            b = state["momentum_buffer"]
            if state["step"] == 1:
                np.copyto(b, g)  # b_1 = g_1
            else:
                b *= mu  # b_t = μ b_{t-1} + (1 - τ) g_t
                b += g if self.dampening == 0 else np.multiply(1 - self.dampening, g, out=w)
            # g_t ← g_t + μ b_t (Nesterov) or g_t ← b_t
            g = np.add(g, np.multiply(mu, b, out=w), out=w) if self.nesterov else b
        theta -= np.multiply(self.lr, g, out=w)  # θ_t = θ_{t-1} - γ g_t
