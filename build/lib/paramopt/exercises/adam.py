"""Checkers for chapter 6, RMSProp and Adam: the largest step, Keras's ε, Reddi's problem."""

from functools import cache

import numpy as np

from paramopt.adaptive import reddi_counterexample
from paramopt.exercises.checking import Hint, as_float, call_each, compare, exercise


@exercise("adam-bias", "Adam's step after a quiet period, in units of γ: spike_step(β1, β2)")
def _spike(answer):
    cases = [(0.9, 0.999), (0.9, 0.99), (0.5, 0.9), (0.0, 0.999)]
    b1, b2 = np.array(cases).T
    got = call_each(answer, cases)
    compare(
        got,
        (1 - b1) / np.sqrt(1 - b2),
        names=["step / γ"],
        rtol=1e-6,
        mistakes={
            "Adam's step is γ only when the bias corrections are exact, as at t = 1. After a "
            "long quiet period they are ≈ 1: m = (1 - β1)G, v = (1 - β2)G².": np.ones_like(b1),
            "v holds G², so divide by its square root: (1 - β1)/√(1 - β2).": (1 - b1) / (1 - b2),
            "Upside down: the step is γ m/√v = γ (1 - β1)|G|/(√(1 - β2)|G|).": np.sqrt(1 - b2)
            / (1 - b1),
            "m = (1 - β1)G and v = (1 - β2)G² after one gradient: the weights of the new value "
            "are 1 - β, not β.": b1 / np.sqrt(b2),
        },
    )
    return "≈ 3.16 γ for the defaults: a spike after silence is Adam's longest step."


@exercise("adam-epsilon", "PyTorch's eps equal to Keras's ε̂ at step t: torch_eps(ε̂, t, β2)")
def _epsilon(answer):
    cases = [(1e-4, 1, 0.999), (1e-4, 5000, 0.999), (1e-7, 10, 0.999), (1e-3, 3, 0.9)]
    eps_hat, t, b2 = np.array(cases).T
    got = call_each(answer, cases)
    correction = np.sqrt(1 - b2**t)
    compare(
        got,
        eps_hat / correction,
        names=["eps"],
        rtol=1e-6,
        atol=0,
        mistakes={
            "Upside down: Keras adds ε̂ to √v, PyTorch adds ε to √v̂ = √v/√(1 - β2^t); equal "
            "updates need ε̂ = ε √(1 - β2^t), so ε = ε̂/√(1 - β2^t).": eps_hat * correction,
            "The correction is on √v, so it enters as a square root: ε̂/√(1 - β2^t).": eps_hat
            / (1 - b2**t),
            "They are not the same number: Keras's ε̂ meets √v, PyTorch's ε meets √v̂, and "
            "the two differ by √(1 - β2^t).": eps_hat,
        },
    )
    return "No constant eps matches Keras at every step; the difference fades as t grows."


REDDI_BETA2 = (0.1, 0.5, 0.9, 0.999)


@cache  # deterministic, and a few tenths of a second each
def _ends_near_plus_one(beta2):
    return bool(reddi_counterexample(beta2=beta2)[-300:].mean() > 0.5)


@exercise("adam-reddi", "the β2 in {0.1, 0.5, 0.9, 0.999} for which Adam still ends near x = +1")
def _reddi(answer):
    try:
        chosen = {as_float(value) for value in answer}
    except TypeError:  # not iterable
        raise Hint(
            f"expected a collection of β2 values such as [0.1, 0.5], got {answer!r:.60}"
        ) from None
    if not chosen <= set(REDDI_BETA2):
        raise Hint(f"choose among the β2 of the exercise, {REDDI_BETA2}; got {sorted(chosen)}")
    bad = {b for b in REDDI_BETA2 if _ends_near_plus_one(b)}
    if chosen == bad:
        return "A short memory forgets C² before the small gradients arrive."
    if chosen == set(REDDI_BETA2) - bad:
        raise Hint(
            "Backwards: those end near x = -1, the best point. Adam goes wrong where "
            "v forgets the large gradient C² quickly, i.e. for small β2."
        )
    if chosen > bad:
        raise Hint(
            f"Too many: with β2 = {min(chosen - bad)}, v still holds much of C² when the "
            "two small gradients arrive, so their steps are short and the large step "
            "wins. Run reddi_counterexample(beta2=...) and look at the end of the path."
        )
    raise Hint(
        "Not all of them: run adaptive.reddi_counterexample(beta2=b) for each b and "
        "look at the mean of the last 300 points."
    )
