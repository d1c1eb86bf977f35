"""Chapter 7's explorer: L2 versus decoupled weight decay on a 2-D least-squares problem.

The paths come from :mod:`paramopt.decay`; this module only draws and describes them.
"""

import functools

import numpy as np

from paramopt import decay
from paramopt.style import DECAY_STYLE, OKABE_ITO
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = ["decay_explorer", "describe_decay", "draw_decay"]


def draw_decay(fig, paths, optimizer, kind, weight_decay, surface=decay.SURFACE):
    """Left: contours, the chosen path, the L2 minima of every λ. Right: ‖θ_k‖ of all kinds."""
    left = fig.add_axes((0.08, 0.14, 0.42, 0.76))
    right = fig.add_axes((0.61, 0.14, 0.37, 0.76))
    X, Y, Z = surface.grid(81)
    left.contour(X, Y, Z, levels=np.geomspace(0.05, 40, 9), colors="#aaaaaa", linewidths=0.6)
    ridge = decay.ridge_curve(surface)
    green = OKABE_ITO["green"]
    left.plot(*ridge.T, color=green, lw=1.2, ls="-.", label="L2 minima, every λ")
    left.plot(*surface.ridge_minimum(weight_decay), "D", color=green, ms=7,
              label=f"L2 minimum, λ = {weight_decay:g}")  # fmt: skip
    left.plot(*surface.center, "*", color="black", ms=11, label="minimum of f")
    left.plot(0, 0, "+", color="black", ms=9)
    style = DECAY_STYLE[kind]
    theta = paths[kind].theta
    left.plot(*theta.T, color=style["color"], ls=style["linestyle"], lw=1.4)
    left.plot(*theta[::15].T, style["marker"], color=style["color"], ms=3.5)
    left.plot(*theta[-1], style["marker"], color=style["color"], ms=8, mec="black")
    if kind == "decoupled":
        limit = decay.decoupled_limit(optimizer, weight_decay, surface)
        what = "(1 − μ)λ" if optimizer == "sgd" else "box |θᵢ| ≤ 1/λ"
        left.plot(*limit, "h", color=OKABE_ITO["purple"], ms=14, mfc="none", mew=2,
                  label=f"decoupled limit: {what}")  # fmt: skip
        if optimizer == "adam":
            b = 1 / weight_decay
            left.plot([-b, b, b, -b, -b], [-b, -b, b, b, -b], color=OKABE_ITO["purple"], lw=0.8)
    (x0, x1), (y0, y1) = surface.bounds
    left.set(xlim=(x0, x1), ylim=(y0, y1), xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
    left.set_title(f"{style['label']} path", fontsize=10)
    left.legend(loc="lower right", fontsize=6.5, framealpha=0.9)
    for name, path in paths.items():
        s = DECAY_STYLE[name]
        chosen = name == kind
        right.plot(
            np.linalg.norm(path.theta, axis=1),
            color=s["color"],
            ls=s["linestyle"],
            lw=2.6 if chosen else 1.0,
            alpha=1.0 if chosen else 0.6,
            label=s["label"] + (" (shown left)" if chosen else ""),
        )
    right.set(xlabel="step $k$", ylabel=r"$\|\theta_k\|$")
    title = "SGD + momentum 0.9" if optimizer == "sgd" else "Adam"
    right.set_title(f"{title}, lr {decay.OPTIMIZERS[optimizer][1]['lr']:g}, λ = {weight_decay:g}",
                    fontsize=10)  # fmt: skip
    right.legend(fontsize=7, loc="upper right")
    right.grid(alpha=0.3)


def describe_decay(paths, optimizer, kind, weight_decay, surface=decay.SURFACE):
    name = "SGD with momentum 0.9" if optimizer == "sgd" else "Adam"
    how = {"none": "no weight decay", "l2": "L2 weight decay", "decoupled": "decoupled decay"}
    end = paths[kind].theta[-1]
    ridge = surface.ridge_minimum(weight_decay)
    norms = ", ".join(
        f"{DECAY_STYLE[k]['label']} {np.linalg.norm(p.theta[-1]):.2f}" for k, p in paths.items()
    )
    limit = ""
    if kind == "decoupled":
        x, y = decay.decoupled_limit(optimizer, weight_decay, surface)
        limit = f" and the predicted limit of decoupled decay is ({x:.2f}, {y:.2f})"
    return (
        f"{name} with {how[kind]}, λ = {weight_decay:g}: after {len(paths[kind].theta) - 1} "
        f"steps θ = ({end[0]:.2f}, {end[1]:.2f}); the L2-regularised minimum is "
        f"({ridge[0]:.2f}, {ridge[1]:.2f}){limit}. Final ‖θ‖: {norms}."
    )


def decay_explorer(surface=decay.SURFACE):
    """Optimiser × decay kind × λ: 18 frames comparing L2 and decoupled weight decay."""

    @functools.cache
    def paths(optimizer, weight_decay):  # the decay kind only changes the drawing
        return decay.decay_paths(optimizer, weight_decay, surface=surface)

    return Explorer(
        paths,
        functools.partial(draw_decay, surface=surface),
        functools.partial(describe_decay, surface=surface),
        figsize=(7.6, 3.5),
        optimizer=Choice("optimiser", {"SGD + momentum 0.9": "sgd", "Adam": "adam"}, "adam"),
        kind=Choice(
            "weight decay",
            {"none": "none", "L2 (weight_decay)": "l2", "decoupled (SGDW / AdamW)": "decoupled"},
            "l2",
        ),
        weight_decay=Slider.from_values("λ", [0.5, 1.0, 2.0], value=1.0),
    )
