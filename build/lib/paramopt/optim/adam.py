"""Adam and AdamW: one update; they differ only in where weight decay enters."""

import numpy as np

from paramopt.optim.optimizer import Optimizer
from paramopt.validation import check_array, check_flag, check_real


def check_betas(betas):
    """Return ``betas`` as a pair of floats, each in [0, 1)."""
    if isinstance(betas, str) or not hasattr(betas, "__len__"):
        raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    if len(betas) != 2:
        raise ValueError(f"Invalid betas: {betas!r} (must be a pair (beta1, beta2))")
    return tuple(
        check_real(f"betas[{i}]", beta, low=0.0, high=1.0, high_open=True)
        for i, beta in enumerate(betas)
    )


def check_step(step):
    """Return ``step`` (t) as a float >= 1, or as a float array of them (a curve against t)."""
    if np.ndim(step) == 0 and not isinstance(step, np.ndarray):
        return check_real("step", step, low=1.0)
    steps = check_array("step", step)
    if np.any(steps < 1):
        raise ValueError(f"Invalid step: {float(steps[steps < 1][0])!r} (every step must be >= 1)")
    return steps


class Adam(Optimizer):
    """Adam, optionally AMSGrad (as ``torch.optim.Adam``); weight decay is an L2 term.

    input: γ (lr), β1, β2 (betas), ε (eps), λ (weight_decay), amsgrad, maximize
    for t = 1, 2, ...
        g_t ← -∇f(θ_{t-1}) if maximize else ∇f(θ_{t-1})
        if λ ≠ 0:  g_t ← g_t + λ θ_{t-1}              (Adam: L2, goes through m and v)
        m_t ← β1 m_{t-1} + (1 - β1) g_t               (m_0 = 0)
        v_t ← β2 v_{t-1} + (1 - β2) g_t²              (v_0 = 0)
        m̂_t ← m_t / (1 - β1^t)
        if amsgrad:
            v_t^max ← max(v_{t-1}^max, v_t)           (max of the raw v; v_0^max = 0)
            v̂_t ← v_t^max / (1 - β2^t)
        else:
            v̂_t ← v_t / (1 - β2^t)
        θ_t ← θ_{t-1} - γ m̂_t / (√v̂_t + ε)            (ε outside the square root)

    ``state[i]`` holds ``step`` (t), ``exp_avg`` (m_t), ``exp_avg_sq`` (v_t) and, with
    amsgrad, ``max_exp_avg_sq`` (v_t^max).
    """

    decoupled_weight_decay = False  # AdamW sets True

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0.0,
        amsgrad=False,
        maximize=False,
    ):
        self.lr = check_real("lr", lr, low=0.0)
        self.betas = check_betas(betas)
        self.eps = check_real("eps", eps, low=0.0)
        self.weight_decay = check_real("weight_decay", weight_decay, low=0.0)
        self.amsgrad = check_flag("amsgrad", amsgrad)
        self.maximize = check_flag("maximize", maximize)
        super().__init__(params)

    def _init_state(self, theta):
        state = {"step": 0, "exp_avg": np.zeros_like(theta), "exp_avg_sq": np.zeros_like(theta)}
        if self.amsgrad:
            state["max_exp_avg_sq"] = np.zeros_like(theta)
        return state

    def _update(self, theta, grad, state, work):
        # Adam: g_t ← g_t + λθ (L2); AdamW: θ ← θ (1 - γλ), outside m and v
        g = self._weight_decayed_gradient(
            theta, grad, self.weight_decay, self.decoupled_weight_decay, work
        )
        self._adam_step(theta, g, state, work["w"])

    def _adam_step(self, theta, g, state, w):
        m, v = state["exp_avg"], state["exp_avg_sq"]
        update_moments(m, v, g, self.betas, w)
        if self.amsgrad:
            v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        adam_step(theta, m, v, state["step"], self.lr, self.betas, self.eps, w)


# Adam's pieces, shared by the optimisers built on it (NAdam, RAdam, Adamax): each writes
# into the scratch array ``w`` (shaped like θ) and updates its first argument in place.


def update_first_moment(m, g, beta1, w):
    """m_t ← β1 m_{t-1} + (1 - β1) g_t, in place (torch's ``exp_avg.lerp_(g, 1 - β1)``)."""
    m += np.multiply(1 - beta1, np.subtract(g, m, out=w), out=w)  # m + (1 - β1)(g - m)


def update_moments(m, v, g, betas, w):
    """Adam's two averages, in place: m_t as :func:`update_first_moment`, and
    v_t ← β2 v_{t-1} + (1 - β2) g_t²."""
    beta1, beta2 = betas
    update_first_moment(m, g, beta1, w)
    v *= beta2
    v += np.multiply(1 - beta2, np.square(g, out=w), out=w)


def adam_denominator(v, t, beta2, eps, out):
    """√v̂_t + ε, with v̂_t = v_t / (1 - β2^t), written into ``out`` (ε outside the root)."""
    sqrt_v_hat = np.divide(np.sqrt(v, out=out), (1 - beta2**t) ** 0.5, out=out)
    return np.add(sqrt_v_hat, eps, out=out)


def adam_step(theta, m, v, t, lr, betas, eps, w):
    """θ_t ← θ_{t-1} - γ m̂_t / (√v̂_t + ε), m̂_t = m_t / (1 - β1^t), v̂_t = v_t / (1 - β2^t)."""
    beta1, beta2 = betas
    denom = adam_denominator(v, t, beta2, eps, w)
    theta -= np.multiply(lr / (1 - beta1**t), np.divide(m, denom, out=w), out=w)


class AdamW(Adam):
    """AdamW (as ``torch.optim.AdamW``): Adam with decoupled weight decay.

    input: as :class:`Adam`, with λ (weight_decay) defaulting to 1e-2
    for t = 1, 2, ...: :class:`Adam`'s algorithm, with its weight decay line
        if λ ≠ 0:  g_t ← g_t + λ θ_{t-1}              (Adam: L2, goes through m and v)
    replaced by
        θ_{t-1} ← θ_{t-1} (1 - γ λ)                   (AdamW: decay θ itself, scaled by γ)

    So λθ never enters g_t: it is neither averaged into m_t nor divided by √v̂_t.
    """

    decoupled_weight_decay = True

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=1e-2,
        amsgrad=False,
        maximize=False,
    ):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize)
