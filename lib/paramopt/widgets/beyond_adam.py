"""Chapter 9's explorer: what Muon's Newton–Schulz iteration does to singular values.

The maps and spectra come from :mod:`paramopt.variants`; this module only draws and
describes them.
"""

import functools

import numpy as np

from paramopt import variants
from paramopt.captions import Caption
from paramopt.style import OKABE_ITO, number
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = ["describe_newton_schulz", "draw_newton_schulz", "newton_schulz_explorer"]

STEPS = list(range(9))
SHAPE = (64, 64)
SIGMA = np.logspace(-4, 0, 401)


@functools.cache
def _matrix():
    return variants.spectrum_matrix(SHAPE, decay=8.0, rng=0)


def newton_schulz_run(steps, coefficients):
    """p applied ``steps`` times on σ ∈ [10⁻⁴, 1], and the spectrum of the 64×64 matrix."""
    abc = variants.COEFFICIENTS[coefficients]
    return {
        "sigma": SIGMA,
        "mapped": variants.newton_schulz_map(SIGMA, abc, steps),
        **variants.spectrum(_matrix(), abc, steps),
    }


def draw_newton_schulz(fig, result, steps, coefficients):
    """Left: σ ↦ p^k(σ) on [10⁻⁴, 1] (log σ). Right: the matrix's singular values before and after.

    Returns the updater: every setting shares the axes, so it only moves the curves.
    """
    left = fig.add_axes((0.09, 0.16, 0.36, 0.72))
    right = fig.add_axes((0.59, 0.16, 0.38, 0.72))
    color = OKABE_ITO["orange"]
    left.semilogx(SIGMA, SIGMA, color="#999999", lw=1.4, label="before (σ itself)")
    left.axhline(1.0, color="black", lw=0.8, ls="--")
    (curve,) = left.semilogx(SIGMA, result["mapped"], color=color, lw=1.8, label="after k steps")
    left.set(xlim=(1e-4, 1), ylim=(0, 1.6), xlabel="singular value σ of G / ‖G‖",
             ylabel="after k steps")  # fmt: skip
    left.legend(fontsize=8, loc="upper left")
    left_title = left.set_title("", fontsize=10)
    left.grid(alpha=0.3)
    index = np.arange(1, len(result["before"]) + 1)
    right.semilogy(index, result["before"], color="#999999", lw=1.4, label="before")
    (after,) = right.semilogy(index, result["after"], color=color, lw=1.8, marker="o", ms=2.5,
                              label="after k steps")  # fmt: skip
    right.axhline(1.0, color="black", lw=0.8, ls="--")
    right.set(xlim=(0, index[-1] + 1), ylim=(1e-4, 3), xlabel="index i (largest first)",
              ylabel="singular value")  # fmt: skip
    right.legend(fontsize=8, loc="lower left")
    right_title = right.set_title("", fontsize=10)

    def update(result, steps, coefficients):
        curve.set_ydata(result["mapped"])
        after.set_ydata(result["after"])
        left_title.set_text(f"{coefficients}, k = {steps}")
        right_title.set_text(f"a {SHAPE[0]}×{SHAPE[1]} momentum matrix")
        return [curve, after, left_title, right_title]

    update(result, steps, coefficients)
    return update


#: the names of the coefficient sets in the Chinese captions
COEFFICIENTS_ZH = {
    "Muon's quintic": "Muon 的五次多项式",
    "classical quintic": "经典五次多项式",
    "cubic": "三次多项式",
}


def describe_newton_schulz(result, steps, coefficients):
    a, b, c = variants.COEFFICIENTS[coefficients]
    after = result["after"]
    at = number(float(variants.newton_schulz_map(0.01, (a, b, c), steps)), 3, trim=True)
    abc = ", ".join(f"{x:g}".replace("-", "−") for x in (a, b, c))
    rows, cols = SHAPE
    before_low = number(result["before"].min(), 2, trim=True)
    before_high = number(result["before"].max(), 2, trim=True)
    after_low, after_high = number(after.min(), 2, trim=True), number(after.max(), 3, trim=True)
    coefficients_zh = COEFFICIENTS_ZH.get(coefficients, f"{coefficients} ")
    return Caption(
        f"{steps} Newton–Schulz steps, {coefficients} (a, b, c) = ({abc}): "
        f"σ = 0.01 becomes {at}; the {rows}×{cols} matrix's normalised singular values, from "
        f"{before_low} to {before_high} before, lie between {after_low} and {after_high} after.",
        zh=f"牛顿–舒尔茨迭代 {steps} 步，{coefficients_zh}系数 (a, b, c) = ({abc})："
        f"σ = 0.01 变为 {at}；{rows}×{cols} 矩阵归一化后的奇异值迭代前介于 {before_low} 与 "
        f"{before_high} 之间，迭代后介于 {after_low} 与 {after_high} 之间。",
    )


def newton_schulz_explorer():
    """Steps × coefficient set: 27 frames."""
    return Explorer(
        functools.cache(newton_schulz_run),
        draw_newton_schulz,
        describe_newton_schulz,
        figsize=(7.4, 3.3),
        steps=Slider.from_values("Newton–Schulz steps k", STEPS, value=5),
        coefficients=Choice(
            "coefficients", {name: name for name in variants.COEFFICIENTS}, "Muon's quintic"
        ),  # fmt: skip
    )
