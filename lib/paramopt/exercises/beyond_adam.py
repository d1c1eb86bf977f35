"""Checkers for chapter 9, beyond Adam: RAdam's ρ_t, Adafactor's memory, Muon's rate."""

import numpy as np

from paramopt import optim
from paramopt.exercises.checking import call_each, compare, exercise

RHO_CASES = [(t, beta2) for beta2 in (0.9, 0.99, 0.999) for t in (1, 2, 5, 6, 50, 1000)]


@exercise("beyond_adam-rho", "RAdam's ρ_t, the length of the SMA that v_t approximates")
def _rho(answer):
    got = call_each(answer, RHO_CASES)
    t, b = (np.array(column, dtype=float) for column in zip(*RHO_CASES, strict=True))
    inf = 2 / (1 - b) - 1
    compare(
        got,
        np.array([optim.radam.rho(*case) for case in RHO_CASES]),
        at=t,
        mistakes={
            "ρ_∞ is 2/(1 − β2) − 1, not 2/(1 − β2): the SMA of length ρ has centre of mass "
            "(ρ − 1)/2, and the EMA's is β2/(1 − β2).": 2 / (1 - b) - 2 * t * b**t / (1 - b**t),
            "The correction is 2tβ2^t/(1 − β2^t): the factor t is missing.": inf
            - 2 * b**t / (1 - b**t),
            "Check the bias correction's denominator: 1 − β2^t, not 1 − β2.": inf
            - 2 * t * b**t / (1 - b),
        },
        rtol=1e-9,
    )
    return "ρ_1 = 1 for every β2, and ρ_t rises towards ρ_∞ = 2/(1 − β2) − 1."


SHAPES = [(64, 64), (10, 64), (784, 256), (1, 5), (4096, 1024)]


@exercise("beyond_adam-adafactor-memory", "the second-moment numbers Adafactor keeps for n×m")
def _adafactor_memory(answer):
    got = call_each(answer, SHAPES)
    n, m = (np.array(column, dtype=float) for column in zip(*SHAPES, strict=True))
    expected = []
    for shape in SHAPES:
        opt = optim.Adafactor([np.zeros(shape)])
        opt.step([np.ones(shape)])
        expected.append(sum(v.size for v in opt.state[0].values() if isinstance(v, np.ndarray)))
    compare(
        got,
        np.array(expected, dtype=float),
        at=n,
        mistakes={
            "That is Adam's v: one number per entry, n·m. Adafactor keeps only the row and "
            "column means of g².": n * m,
            "That is Adam's whole state, m and v. Adafactor keeps no first moment and no "
            "full second moment.": 2 * n * m,
            "Adafactor keeps both factors: the n row means and the m column means.": np.maximum(
                n, m
            ),
            "One factor per row and one per column, each a single number: n + m, not 2(n + m).": 2
            * (n + m),
        },
        rtol=0,
        atol=0.5,
    )
    return (
        "n + m numbers instead of Adam's 2nm: for a 4096×1024 matrix, 5120 instead of 8.4 million."
    )


LR_CASES = [
    (0.02, shape, fn)
    for shape in ((64, 64), (10, 64), (256, 64), (1024, 4096))
    for fn in (None, "match_rms_adamw")
]


def _shaped(rule):
    return np.array([rule(lr, a, b, fn) for lr, (a, b), fn in LR_CASES])


@exercise("beyond_adam-muon-lr", "the rate with which Muon applies its update to an A×B matrix")
def _muon_lr(answer):
    got = call_each(answer, LR_CASES)
    compare(
        got,
        np.array([optim.adjusted_lr(lr, fn, shape) for lr, shape, fn in LR_CASES]),
        at=np.arange(len(LR_CASES)),
        mistakes={
            "Rows and columns swapped: torch's default scales by √max(1, A/B), A the rows "
            "(a layer's outputs), B the columns (its inputs).": _shaped(
                lambda lr, a, b, fn: (
                    lr * (max(1, b / a) ** 0.5 if fn is None else 0.2 * max(a, b) ** 0.5)
                )
            ),
            "Keep the square root: the RMS of an orthogonal A×B matrix's entries is "
            "1/√max(A, B).": _shaped(
                lambda lr, a, b, fn: lr * (max(1, a / b) if fn is None else 0.2 * max(a, b))
            ),
            "'match_rms_adamw' uses the larger side, 0.2 √max(A, B), not √(AB).": _shaped(
                lambda lr, a, b, fn: (
                    lr * (max(1, a / b) ** 0.5 if fn is None else 0.2 * (a * b) ** 0.5)
                )
            ),
        },
        rtol=1e-9,
    )
    return "γ√max(1, A/B) by default; 0.2γ√max(A, B) to match AdamW's update RMS."
