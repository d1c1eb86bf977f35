"""Chapter 0's explorer: turn a linear decision boundary and see which points pull on it."""

from functools import partial

import numpy as np

from paramopt import classifier
from paramopt.captions import Caption
from paramopt.style import CLASS_STYLE
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = ["boundary_explorer", "boundary_state", "describe_boundary", "draw_boundary"]


def boundary_state(X, y, angle, shift, loss):
    r"""The boundary :math:`w^\top x + b = 0` of the figure and what
    :func:`paramopt.classifier.pulls` says about it.

    :math:`w = (\cos a, \sin a)` is the unit normal at angle ``angle`` (degrees) and
    :math:`b` = ``shift``. Returns the dict of ``pulls`` with the data ``X``, ``y`` and the
    parameters ``w``, ``b`` added.
    """
    a = np.radians(angle)
    w = np.array([np.cos(a), np.sin(a)])
    return {"X": X, "y": y, "w": w, "b": float(shift), **classifier.pulls(loss, X, y, w, shift)}


def draw_boundary(fig, state, loss):
    """Points sized by their pull on the gradient; points that do not pull are hollow.

    Returns the updater ``update(state, loss)`` that draws another boundary (and its
    pulls) of the same data on these axes and returns the artists it changed.
    """
    X, y = state["X"], state["y"]
    ax = fig.add_axes((0.09, 0.15, 0.6, 0.75))
    lim = np.abs(X).max() * 1.1
    points = []
    for label, style in CLASS_STYLE.items():
        rows = y == label
        # z-order 2: above the axis, so that ticks and labels stay in the cached background
        pulling = ax.scatter(*X[rows].T, s=15, c=style["color"], marker=style["marker"],
                             edgecolors="black", linewidths=0.6, zorder=2,
                             label=f"{style['label']}, pulls")  # fmt: skip
        idle = ax.scatter(*X[rows].T, s=15, facecolors="none", edgecolors=style["color"],
                          marker=style["marker"], linewidths=1, zorder=2,
                          label=f"{style['label']}, no pull")  # fmt: skip
        points.append((rows, pulling, idle))
    (line,) = ax.plot([], [], color="black", lw=1.5)
    arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0),
                        arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.5})  # fmt: skip
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
    title = ax.set_title("", fontsize=10)
    # a figure legend below the changing text (z-order 3): drawn once, in the background
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8,
               frameon=False, bbox_transform=ax.transAxes).set_zorder(2.9)  # fmt: skip
    counts = fig.text(0.71, 0.3, "", fontsize=9, va="top")

    def update(state, loss):
        for rows, pulling, idle in points:
            pull = state["pull"][rows]
            on = pull > 0
            pulling.set_offsets(X[rows][on])
            pulling.set_sizes(15 + 160 * pull[on])
            idle.set_offsets(X[rows][~on])
        w, b = state["w"], state["b"]
        t = np.linspace(-2 * lim, 2 * lim, 2)
        line.set_data(-b * w[0] - t * w[1], -b * w[1] + t * w[0])
        arrow.xy, arrow.xyann = tuple(-b * w + w), tuple(-b * w)
        title.set_text(f"{loss} loss: mean {state['loss']:.3f}")
        counts.set_text(
            f"{state['pulling']} of {len(y)} points pull\n"
            f"{state['misclassified']} misclassified\n|∇L| = {state['grad_norm']:.3f}"
        )
        return [*(c for _, p, i in points for c in (p, i)), line, arrow, title, counts]

    update(state, loss)
    return update


#: the losses in the Chinese captions
LOSSES_ZH = {"perceptron": "感知机损失", "hinge": "合页损失", "logistic": "逻辑损失"}


def describe_boundary(state, loss):
    """One sentence, in English and Chinese: the line, the loss and how many points pull
    or are misclassified."""
    angle = f"{np.degrees(np.arctan2(*state['w'][::-1])):.0f}"
    offset, value = f"{state['b']:g}", f"{state['loss']:.3f}"
    pulling, total, wrong = state["pulling"], len(state["y"]), state["misclassified"]
    return Caption(
        f"Decision line with normal angle {angle}° and offset {offset}; {loss} loss {value}; "
        f"{pulling} of {total} points contribute to the gradient, {wrong} are misclassified.",
        zh=f"决策边界的法向角为 {angle}°，偏移为 {offset}；"
        f"{LOSSES_ZH.get(loss, f'{loss} 损失')}为 {value}；{total} 个点中有 {pulling} 个对梯度有"
        f"贡献，{wrong} 个被错误分类。",
    )


def boundary_explorer(X, y):
    """Rotate and shift the boundary, pick the loss; see who pulls on the gradient."""
    return Explorer(
        partial(boundary_state, X, y),
        draw_boundary,
        describe_boundary,
        angle=Slider("normal angle (°)", -15, 105, 20, value=45),
        shift=Slider("offset b", -1.0, 1.0, 1.0, value=0.0),
        loss=Choice("loss", ["perceptron", "hinge", "logistic"], value="logistic"),
    )
