"""Checkers for chapter 7, weight decay: torch's λ, AdamW and SGD(W) steps."""

import numpy as np

from paramopt import optim
from paramopt.exercises.checking import as_float, call, call_each, compare, exercise


@exercise("weight_decay-torch-lambda", "torch's weight_decay for the article's λ = 0.001, α = 0.1")
def _torch_lambda(answer):
    lam, alpha = 0.001, 0.1
    value = as_float(answer)
    compare(
        value,
        lam / alpha,
        mistakes={
            "You multiplied by α. The article's step shrinks θ by λ, torch's by α·λ', "
            "so λ = α·λ' and λ' = λ / α.": lam * alpha,
            "The two λ are not the same number: the article's λ is the shrink per step, "
            "torch's λ' multiplies θ in the gradient, and λ = α·λ'.": lam,
            "λ/(2α) is the coefficient of ‖θ‖² in the loss; torch's weight_decay is the "
            "coefficient of θ in its gradient, twice that.": lam / (2 * alpha),
        },
        rtol=1e-6,
    )
    return "torch.optim.SGD(params, lr=0.1, weight_decay=0.01) shrinks θ by 1 - 0.1·0.01 = 0.999."


def _adamw_reference(theta, grad, m, v, t, lr, betas, eps, weight_decay):
    """One step of the library's AdamW from state (m, v) at step t - 1."""
    theta = theta.copy()
    opt = optim.AdamW([theta], lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
    opt.state[0].update(step=t - 1, exp_avg=m.copy(), exp_avg_sq=v.copy())
    opt.step([grad])
    return theta, opt.state[0]["exp_avg"], opt.state[0]["exp_avg_sq"]


def _adamw_variant(theta, grad, m, v, t, lr, betas, eps, weight_decay, mistake):
    """AdamW written out, with one typical ``mistake`` (for the hint catalogue)."""
    (b1, b2), lam = betas, weight_decay
    g = grad + lam * theta if mistake == "l2" else grad
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m_hat = m if mistake in ("no-bias", "no-bias-m") else m / (1 - b1**t)
    v_hat = v if mistake in ("no-bias", "no-bias-v") else v / (1 - b2**t)
    step = lr * m_hat / (np.sqrt(v_hat + eps) if mistake == "eps-inside" else np.sqrt(v_hat) + eps)
    shrink = {"l2": 1.0, "none": 1.0, "no-lr": 1 - lam}.get(mistake, 1 - lr * lam)
    if mistake == "after":
        return (theta - step) * (1 - lr * lam), m, v
    if mistake == "sign":
        return theta * shrink + step, m, v
    return theta * shrink - step, m, v


ADAMW_HINTS = {
    "l2": "You added λθ to the gradient: that is Adam with L2 (torch.optim.Adam(weight_decay=λ)). "
    "AdamW keeps λθ out of m and v and shrinks θ ← θ(1 - γλ) directly.",
    "none": "No weight decay happened: AdamW shrinks θ ← θ(1 - γλ) at every step.",
    "no-lr": "The decay is multiplied by the learning rate: θ ← θ(1 - γλ), not θ(1 - λ) "
    "(torch's AdamW; that is why its default λ = 1e-2 is so gentle).",
    "after": "Decay θ_{t-1} first, then subtract the Adam update: "
    "θ_t = θ_{t-1}(1 - γλ) - γ m̂/(√v̂ + ε). You decayed the already updated θ.",
    "no-bias": "You forgot the bias correction: m̂ = m / (1 - β1^t) and v̂ = v / (1 - β2^t).",
    "no-bias-m": "You forgot to bias-correct m: m̂ = m / (1 - β1^t).",
    "no-bias-v": "You forgot to bias-correct v: v̂ = v / (1 - β2^t).",
    "eps-inside": "ε goes outside the square root: divide by √v̂ + ε, not √(v̂ + ε).",
    "sign": "Sign error: the update is subtracted, θ ← θ - γ m̂/(√v̂ + ε).",
}


def _adamw_cases():
    rng = np.random.default_rng(7)
    cases = []
    for t, scale in ((1, 1.0), (2, 0.01), (10, 3.0)):
        theta, grad = rng.normal(size=5), scale * rng.normal(size=5)
        m = np.zeros(5) if t == 1 else scale * rng.normal(size=5)
        v = np.zeros(5) if t == 1 else (scale * rng.normal(size=5)) ** 2
        cases.append((theta, grad, m, v, t))
    return cases


@exercise(
    "weight_decay-adamw-step", "one step of AdamW: (θ, m, v) ← adamw_step(θ, g, m, v, t, ...)"
)
def _adamw_step(answer):
    hyper = {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.1}
    for theta, grad, m, v, t in _adamw_cases():
        expected = _adamw_reference(theta, grad, m, v, t, **hyper)
        got = call(answer, theta, grad, m, v, t, **hyper)
        compare(
            got,
            expected,
            names=["theta", "m", "v"],
            rtol=1e-9,
            mistakes={
                hint: _adamw_variant(theta, grad, m, v, t, **hyper, mistake=key)
                for key, hint in ADAMW_HINTS.items()
            },
        )
    return "It matches torch.optim.AdamW step for step."


def _sgd_reference(theta, grad, buf, lr, momentum, weight_decay, decoupled):
    theta = theta.copy()
    if decoupled:
        opt = optim.DecoupledWeightDecay(optim.SGD([theta], lr=lr, momentum=momentum), weight_decay)
        state = opt.optimizer.state[0]
    else:
        opt = optim.SGD([theta], lr=lr, momentum=momentum, weight_decay=weight_decay)
        state = opt.state[0]
    state.update(step=1, momentum_buffer=buf.copy())  # the next step is t = 2: b ← μb + g
    opt.step([grad])
    return theta, state["momentum_buffer"]


def _sgd_variant(theta, grad, buf, lr, momentum, weight_decay, decoupled, mistake):
    """SGD with momentum and decay written out, with one typical ``mistake``."""
    lam = weight_decay
    if mistake == "l2-outside":  # λθ added to the step but not to the buffer
        buf = momentum * buf + grad
        return theta - lr * (buf + lam * theta), buf
    l2 = not decoupled or mistake == "always-l2"
    g = grad + lam * theta if l2 else grad
    buf = momentum * buf + g
    shrink = 1.0 if l2 else (1 - lam if mistake == "no-lr" else 1 - lr * lam)
    if mistake == "no-momentum":
        return theta * shrink - lr * g, buf
    return theta * shrink - lr * buf, buf


SGD_HINTS = {
    "always-l2": "With decoupled=True the decay must stay out of the momentum buffer: shrink "
    "θ ← θ(1 - γλ) and feed only ∇f to the buffer (SGDW).",
    "l2-outside": "With decoupled=False (torch's weight_decay), λθ is added to the gradient "
    "*before* the momentum buffer: b ← μb + (∇f + λθ), θ ← θ - γb.",
    "no-lr": "Decoupled decay is multiplied by the learning rate: θ ← θ(1 - γλ), not θ(1 - λ).",
    "no-momentum": "The step uses the momentum buffer: b ← μb + g, then θ ← θ - γb "
    "(you stepped along g alone).",
}


@exercise(
    "weight_decay-sgd-step",
    "SGD with momentum and L2 or decoupled decay: (θ, b) ← sgd_step(θ, g, b, ...)",
)
def _sgd_step(answer):
    rng = np.random.default_rng(3)
    for decoupled in (False, True):
        theta, grad, buf = rng.normal(size=4), rng.normal(size=4), rng.normal(size=4)
        hyper = {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.5, "decoupled": decoupled}
        got = call(answer, theta, grad, buf, **hyper)
        # each mistake is only a mistake for one kind (for the other it is the reference)
        keys = ["always-l2", "no-lr"] if decoupled else ["l2-outside"]
        mistakes = {
            SGD_HINTS[key]: _sgd_variant(theta, grad, buf, **hyper, mistake=key)
            for key in [*keys, "no-momentum"]
        }
        compare(
            got,
            _sgd_reference(theta, grad, buf, **hyper),
            names=["theta", "buf"],
            rtol=1e-9,
            mistakes=mistakes,
        )
    return "Both kinds match: L2 is torch.optim.SGD(weight_decay=λ), decoupled is SGDW."


@exercise("weight_decay-dead-weight", "AdamW's half-life of a weight without gradient")
def _dead_weight(answer):
    cases = [(0.01, 1e-3), (0.01, 0.1), (1e-3, 1e-2), (0.1, 1e-3)]
    lr, lam = np.array(cases).T
    got = call_each(answer, cases)
    exact = np.log(2) / -np.log1p(-lr * lam)  # (1 - αλ)^k = ½
    compare(
        got,
        exact,
        names=["half-life"],
        rtol=2e-3,  # ln 2/(αλ) is as good while αλ is small
        mistakes={
            "AdamW's decay is multiplied by the learning rate: θ shrinks by 1 - αλ per step, "
            "so the half-life is ln 2/(αλ), not ln 2/λ.": np.log(2) / lam,
            "1/(αλ) is the time to shrink by a factor e; halving takes ln 2 times that.": 1
            / (lr * lam),
            "That is Adam + L2, where each step moves θ by about α whatever λ is. AdamW's "
            "Adam step is 0/(0 + ε) = 0 here; only the shrink by 1 - αλ acts.": 0.05 / lr,
        },
    )
    return "About 69,000 steps for α = 0.01, λ = 10⁻³: AdamW barely touches such a weight."
