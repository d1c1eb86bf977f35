"""Chapter 7's explorer: L2 versus decoupled weight decay on a 2-D least-squares problem.

The paths come from :mod:`paramopt.decay`; this module only draws and describes them.
"""

import functools

import numpy as np

from paramopt import decay
from paramopt.captions import Caption
from paramopt.style import DECAY_STYLE, OKABE_ITO
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = ["decay_explorer", "describe_decay", "draw_decay"]


def draw_decay(fig, paths, optimizer, kind, weight_decay, surface=decay.SURFACE, *,
               norm_range=None):  # fmt: skip
    """Left: contours, the chosen path, the L2 minima of every λ. Right: ‖θ_k‖ of all kinds.

    ``norm_range`` fixes the right panel's ‖θ‖ axis (default: from 0 to 1.45 times the
    largest norm of ``paths``, leaving the top free for the legend). Returns the updater
    ``update(paths, optimizer, kind, weight_decay)`` that draws another setting on these
    axes and returns the artists it changed, or None (a redraw) when the left legend's
    entries change (the decoupled limit is drawn for decoupled decay only).
    """
    left = fig.add_axes((0.1, 0.14, 0.4, 0.76))
    right = fig.add_axes((0.61, 0.14, 0.37, 0.76))
    X, Y, Z = surface.grid(81)
    left.contour(X, Y, Z, levels=np.geomspace(0.05, 40, 9), colors="#aaaaaa", linewidths=0.6)
    ridge = decay.ridge_curve(surface)
    green = OKABE_ITO["green"]
    purple = OKABE_ITO["purple"]
    left.plot(*ridge.T, color=green, lw=1.2, ls="-.", label="L2 minima, every λ")
    (ridge_min,) = left.plot([], [], "D", color=green, ms=7, label=" ", zorder=2.2)
    left.plot(*surface.center, "*", color="black", ms=11, label="minimum of f", zorder=2.2)
    left.plot(0, 0, "+", color="black", ms=9)
    # the changing artists sit above the contours (z-order 2), which stay in the background
    (route,) = left.plot([], [], lw=1.4, zorder=2.1)
    (dots,) = left.plot([], [], ls="none", ms=3.5, zorder=2.1)
    (end,) = left.plot([], [], ls="none", ms=8, mec="black", zorder=2.1)
    decoupled = kind == "decoupled"
    (limit,) = left.plot([], [], "h", color=purple, ms=14, mfc="none", mew=2, label=" ",
                         zorder=2.2)  # fmt: skip
    (box,) = left.plot([], [], color=purple, lw=0.8, zorder=2.1)
    (x0, x1), (y0, y1) = surface.bounds
    left.set(xlim=(x0, x1), ylim=(y0, y1), xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
    left_title = left.set_title("", fontsize=10)
    handles = [h for h in left.get_lines() if not h.get_label().startswith("_")]
    if not decoupled:
        handles.remove(limit)
    left_legend = left.legend(handles=handles, loc="lower right", fontsize=8, framealpha=0.9)
    curves = {}
    for name in DECAY_STYLE:
        s = DECAY_STYLE[name]
        (curves[name],) = right.plot([], [], color=s["color"], ls=s["linestyle"], label=" ")
    right.set(xlabel="step $k$", ylabel=r"$\|\theta_k\|$")
    norms = [np.linalg.norm(p.theta, axis=1) for p in paths.values()]
    right.set_xlim(-0.02 * len(norms[0]), len(norms[0]))
    right.set_ylim(norm_range or (0, 1.45 * max(n.max() for n in norms)))
    right_title = right.set_title("", fontsize=10)
    right_legend = right.legend(fontsize=8, loc="upper right")
    right.grid(alpha=0.3)

    def update(paths, optimizer, kind, weight_decay):
        if (kind == "decoupled") != decoupled:
            return None
        ridge_min.set_data(*([v] for v in surface.ridge_minimum(weight_decay)))
        style = DECAY_STYLE[kind]
        theta = paths[kind].theta
        line = {"color": style["color"]}
        route.set(data=theta.T, linestyle=style["linestyle"], **line)
        dots.set(data=theta[::15].T, marker=style["marker"], **line)
        end.set(data=([theta[-1, 0]], [theta[-1, 1]]), marker=style["marker"], **line)
        texts = left_legend.get_texts()
        texts[1].set_text(f"L2 minimum, λ = {weight_decay:g}")
        if decoupled:
            point = decay.decoupled_limit(optimizer, weight_decay, surface)
            limit.set_data([point[0]], [point[1]])
            what = "(1 − μ)λ" if optimizer == "sgd" else "box |θᵢ| ≤ 1/λ"
            texts[3].set_text(f"decoupled limit: {what}")
            b = 1 / weight_decay
            box.set_data([-b, b, b, -b, -b], [-b, -b, b, b, -b])
            box.set_visible(optimizer == "adam")
        left_title.set_text(f"{style['label']} path")
        for (name, path), text in zip(paths.items(), right_legend.get_texts(), strict=True):
            chosen = name == kind
            curves[name].set(data=(np.arange(len(path.theta)), np.linalg.norm(path.theta, axis=1)),
                             lw=2.6 if chosen else 1.0, alpha=1.0 if chosen else 0.6)  # fmt: skip
            text.set_text(DECAY_STYLE[name]["label"] + (" (shown left)" if chosen else ""))
        for handle, name in zip(right_legend.legend_handles, paths, strict=True):
            handle.set(lw=2.6 if name == kind else 1.0, alpha=1.0 if name == kind else 0.6)
        title = "SGD + momentum 0.9" if optimizer == "sgd" else "Adam"
        lr = decay.OPTIMIZERS[optimizer][1]["lr"]
        right_title.set_text(f"{title}, lr {lr:g}, λ = {weight_decay:g}")
        changed = [ridge_min, route, dots, end, limit, box, left_title, left_legend]
        return changed + [*curves.values(), right_title, right_legend]

    update(paths, optimizer, kind, weight_decay)
    return update


#: the decay kinds (the labels of :data:`paramopt.style.DECAY_STYLE`) in the Chinese captions
DECAY_ZH = {"none": "无衰减", "l2": "L2", "decoupled": "解耦"}


def describe_decay(paths, optimizer, kind, weight_decay, surface=decay.SURFACE):
    if optimizer == "sgd":
        name, name_zh = "SGD with momentum 0.9", "带动量 0.9 的 SGD"
    else:
        name = name_zh = "Adam"
    how = {"none": "no weight decay", "l2": "L2 weight decay", "decoupled": "decoupled decay"}
    how_zh = {"none": "无权重衰减", "l2": "L2 权重衰减", "decoupled": "解耦权重衰减"}
    lam, steps = f"{weight_decay:g}", len(paths[kind].theta) - 1
    end = "({:.2f}, {:.2f})".format(*paths[kind].theta[-1])
    ridge = "({:.2f}, {:.2f})".format(*surface.ridge_minimum(weight_decay))
    norms = {k: f"{np.linalg.norm(p.theta[-1]):.2f}" for k, p in paths.items()}
    limit = limit_zh = ""
    if kind == "decoupled":
        point = "({:.2f}, {:.2f})".format(*decay.decoupled_limit(optimizer, weight_decay, surface))
        limit = f" and the predicted limit of decoupled decay is {point}"
        limit_zh = f"，解耦权重衰减的预测极限为 {point}"
    return Caption(
        f"{name} with {how[kind]}, λ = {lam}: after {steps} "
        f"steps θ = {end}; the L2-regularised minimum is {ridge}{limit}. Final ‖θ‖: "
        + ", ".join(f"{DECAY_STYLE[k]['label']} {v}" for k, v in norms.items())
        + ".",
        zh=f"{name_zh}，{how_zh[kind]}，λ = {lam}：{steps} 步后 θ = {end}；L2 正则化极小值为 "
        f"{ridge}{limit_zh}。最终的 ‖θ‖："
        + "，".join(f"{DECAY_ZH[k]} {v}" for k, v in norms.items())
        + "。",
    )


def decay_explorer(surface=decay.SURFACE):
    """Optimiser × decay kind × λ: 18 frames comparing L2 and decoupled weight decay."""

    @functools.cache
    def paths(optimizer, weight_decay):  # the decay kind only changes the drawing
        return decay.decay_paths(optimizer, weight_decay, surface=surface)

    controls = {
        "optimizer": Choice("optimiser", {"SGD + momentum 0.9": "sgd", "Adam": "adam"}, "adam"),
        "kind": Choice(
            "weight decay",
            {"none": "none", "L2 (weight_decay)": "l2", "decoupled (SGDW / AdamW)": "decoupled"},
            "l2",
        ),
        "weight_decay": Slider.from_values("λ", [0.5, 1.0, 2.0], value=1.0),
    }

    @functools.cache
    def norm_range():
        """One ‖θ‖ axis for every frame, from all settings' paths."""
        top = max(
            np.linalg.norm(path.theta, axis=1).max()
            for optimizer in controls["optimizer"].values
            for lam in controls["weight_decay"].values
            for path in paths(optimizer, lam).values()
        )
        return (0.0, 1.45 * top)

    def draw(fig, paths, optimizer, kind, weight_decay):
        return draw_decay(fig, paths, optimizer, kind, weight_decay, surface,
                          norm_range=norm_range())  # fmt: skip

    return Explorer(
        paths,
        draw,
        functools.partial(describe_decay, surface=surface),
        figsize=(7.6, 3.5),
        **controls,
    )
