"""Checkers for chapter 8, schedules: the noise ball, OneCycleLR's rate, AdamW's λ."""

import math

import numpy as np

from paramopt import optim, schedules
from paramopt.exercises.checking import call_each, compare, exercise

NOISE_CASES = [(0.1, 1.0, 1.0), (0.5, 1.0, 2.0), (0.02, 10.0, 0.5), (1.5, 1.0, 1.0)]


@exercise("schedules-noise-ball", "the stationary variance of SGD on hθ²/2 with noise σ")
def _noise_ball(answer):
    got = call_each(answer, NOISE_CASES)
    a, h, s = (np.array(column) for column in zip(*NOISE_CASES, strict=True))
    compare(
        got,
        np.array([schedules.noise_ball_variance(*case) for case in NOISE_CASES]),
        at=a,
        mistakes={
            "That is the small-rate approximation ασ²/(2h): it forgets the factor 1/(1 − αh/2), "
            "which matters when αh is not small (try α = 1.5, h = 1).": a * s**2 / (2 * h),
            "Check the powers: the noise enters the step as αξ, so it adds α²σ² per step, and "
            "the stationary variance is α²σ² / (1 − (1 − αh)²).": a**2 * s**2 / (h * (2 - a * h)),
            "σ is a standard deviation: the noise adds α²σ² (σ squared) per step.": a
            * s
            / (h * (2 - a * h)),
            "Solve V = (1 − αh)² V + α²σ² for V: 1 − (1 − αh)² = αh(2 − αh), not αh(2 + αh).": a
            * s**2
            / (h * (2 + a * h)),
        },
        rtol=1e-9,
    )
    return "Var θ = ασ²/(h(2 − αh)): it grows with α and diverges as αh → 2."


ONE_CYCLE = {"max_lr": 0.1, "total_steps": 100, "pct_start": 0.3}


def _one_cycle_reference(total_steps=100, **kwargs):
    opt = optim.SGD([np.zeros(1)], lr=1.0)
    sched = optim.lr_scheduler.OneCycleLR(opt, cycle_momentum=False,
                                          total_steps=total_steps, **kwargs)  # fmt: skip
    out = []
    for t in range(total_steps):
        out.append(opt.lr)
        if t < total_steps - 1:
            sched.step()
    return np.array(out)


def _one_cycle_variant(t, mistake, max_lr=0.1, total_steps=100, pct_start=0.3):
    start, low = max_lr / 25, max_lr / 25 / 1e4
    end_up = pct_start * total_steps - (0 if mistake == "phase" else 1)
    if mistake == "min":
        low = max_lr / 1e4

    def cos(a, b, p):
        return (
            b + (a - b) * (1 + math.cos(math.pi * p)) / 2
            if mistake != "linear"
            else a + (b - a) * p
        )

    if t <= end_up:
        return cos(start, max_lr, t / end_up)
    return cos(max_lr, low, (t - end_up) / (total_steps - 1 - end_up))


@exercise("schedules-one-cycle", "the rate of torch's OneCycleLR at step t")
def _one_cycle(answer):
    t = np.arange(ONE_CYCLE["total_steps"])
    got = call_each(answer, [(int(k), *ONE_CYCLE.values()) for k in t])
    compare(
        got,
        _one_cycle_reference(**ONE_CYCLE),
        at=t,
        mistakes={
            "torch's first phase ends at step pct_start·N − 1 (counting from 0), not at "
            "pct_start·N.": [_one_cycle_variant(k, "phase") for k in t],
            "The default anneal_strategy is 'cos': γ = b + (a − b)(1 + cos πp)/2, not a "
            "straight line.": [_one_cycle_variant(k, "linear") for k in t],
            "The final rate is the *initial* rate divided by final_div_factor: "
            "max_lr / div_factor / final_div_factor.": [_one_cycle_variant(k, "min") for k in t],
        },
        rtol=1e-9,
    )
    return "It matches torch's OneCycleLR at every step."


@exercise("schedules-paper-lambda", "torch's AdamW weight_decay for the paper's λ at base lr α")
def _paper_lambda(answer):
    cases = [(1e-3, 1e-3), (1e-2, 3e-4), (0.05, 1e-2)]
    got = call_each(answer, cases)
    lam, lr = (np.array(column) for column in zip(*cases, strict=True))
    compare(
        got,
        lam / lr,
        mistakes={
            "You multiplied by α: torch decays by γ_t λ' = η_t α λ', the paper by η_t λ, so "
            "λ' = λ / α.": lam * lr,
            "The two λ are not the same number: torch's decay is multiplied by the whole "
            "learning rate η_t α, the paper's by η_t only.": lam,
            "No factor for the schedule is needed: both decays follow η_t step by step, so "
            "λ' = λ / α holds at every step, not only on average (cosine's mean η is "
            "1/2).": lam / (lr / 2),
        },
        rtol=1e-9,
    )
    return "λ' = λ/α: the same decay η_t λ at every step, whatever the schedule."
