"""Chapter 0's explorer: turn a linear decision boundary and see which points pull on it."""

from functools import partial

import numpy as np

from paramopt import classifier
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
    """Points sized by their pull on the gradient; points that do not pull are hollow."""
    X, y = state["X"], state["y"]
    ax = fig.add_axes((0.09, 0.15, 0.6, 0.75))
    lim = np.abs(X).max() * 1.1
    for label, style in CLASS_STYLE.items():
        rows = y == label
        pull = state["pull"][rows]
        on = pull > 0
        ax.scatter(
            *X[rows][on].T,
            s=15 + 160 * pull[on],
            c=style["color"],
            marker=style["marker"],
            edgecolors="black",
            linewidths=0.6,
            label=f"{style['label']}, pulls",
        )
        ax.scatter(
            *X[rows][~on].T,
            s=15,
            facecolors="none",
            edgecolors=style["color"],
            marker=style["marker"],
            linewidths=1,
            label=f"{style['label']}, no pull",
        )
    w, b = state["w"], state["b"]
    t = np.linspace(-2 * lim, 2 * lim, 2)
    ax.plot(-b * w[0] - t * w[1], -b * w[1] + t * w[0], color="black", lw=1.5)
    ax.annotate(
        "",
        xy=-b * w + w,
        xytext=-b * w,
        arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.5},
    )
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
    ax.set_title(f"{loss} loss: mean {state['loss']:.3f}", fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    fig.text(
        0.71,
        0.3,
        f"{state['pulling']} of {len(y)} points pull\n"
        f"{state['misclassified']} misclassified\n|∇L| = {state['grad_norm']:.3f}",
        fontsize=9,
        va="top",
    )


def describe_boundary(state, loss):
    """One sentence: the line, the loss and how many points pull or are misclassified."""
    return (
        f"Decision line with normal angle {np.degrees(np.arctan2(*state['w'][::-1])):.0f}° "
        f"and offset {state['b']:g}; {loss} loss {state['loss']:.3f}; "
        f"{state['pulling']} of {len(state['y'])} points contribute to the gradient, "
        f"{state['misclassified']} are misclassified."
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
