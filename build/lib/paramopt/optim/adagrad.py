"""AdaGrad: per-parameter learning rates from the running sum of squared gradients."""

import numpy as np

from paramopt.optim.optimizer import Optimizer
from paramopt.validation import check_flag, check_real


class Adagrad(Optimizer):
    """AdaGrad (as ``torch.optim.Adagrad``).

    input: γ (lr), θ_0 (params), λ (weight_decay), η (lr_decay),
           s_0 (initial_accumulator_value), ε (eps), maximize
    for t = 1, 2, ...
        g_t ← -∇f(θ_{t-1}) if maximize else ∇f(θ_{t-1})
        if λ ≠ 0:  g_t ← g_t + λ θ_{t-1}
        γ_t ← γ / (1 + (t - 1) η)
        s_t ← s_{t-1} + g_t²
        θ_t ← θ_{t-1} - γ_t g_t / (√s_t + ε)          (ε outside the square root)

    ``state[i]`` holds ``step`` (t) and ``sum`` (s_t). The effective learning rate of
    each coordinate is γ_t / (√s_t + ε): it can only shrink.
    """

    def __init__(
        self,
        params,
        lr=1e-2,
        lr_decay=0.0,
        weight_decay=0.0,
        initial_accumulator_value=0.0,
        eps=1e-10,
        maximize=False,
    ):
        self.lr = check_real("lr", lr, low=0.0)
        self.lr_decay = check_real("lr_decay", lr_decay, low=0.0)
        self.weight_decay = check_real("weight_decay", weight_decay, low=0.0)
        self.initial_accumulator_value = check_real(
            "initial_accumulator_value", initial_accumulator_value, low=0.0
        )
        self.eps = check_real("eps", eps, low=0.0)
        self.maximize = check_flag("maximize", maximize)
        super().__init__(params)

    def _init_state(self, theta):
        return {"step": 0, "sum": np.full_like(theta, self.initial_accumulator_value)}

    def _update(self, theta, grad, state, work):
        g = self._gradient(theta, grad, self.weight_decay, work)  # g_t (+ λθ)
        t, s, w = state["step"], state["sum"], work["w"]
        lr_t = self.lr / (1 + (t - 1) * self.lr_decay)  # γ_t = γ / (1 + (t-1) η)
        s += np.square(g, out=w)  # s_t = s_{t-1} + g_t²
        denom = np.add(np.sqrt(s, out=w), self.eps, out=w)  # √s_t + ε
        # θ_t = θ_{t-1} - γ_t g_t / (√s_t + ε)
        theta -= np.multiply(lr_t, np.divide(g, denom, out=w), out=w)
