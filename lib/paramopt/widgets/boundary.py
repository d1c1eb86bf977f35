"""Chapter 0's widget: turn a linear decision boundary and see which points pull on it."""

import numpy as np

from paramopt import losses
from paramopt.style import CLASS_STYLE
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer


def boundary_state(X, y, angle, shift, loss):
    r"""Everything the figure shows for the boundary :math:`w^\top x + b = 0`.

    :math:`w = (\cos a, \sin a)` is the unit normal at angle ``angle`` (degrees) and
    :math:`b` = ``shift``. Returns a dict with the mean loss, each point's pull
    :math:`|\ell'(z_i)|` and the number of points that pull at all.
    """
    a = np.radians(angle)
    w = np.array([np.cos(a), np.sin(a)])
    value, grad_w, grad_b, dz = losses.mean_loss_and_grad(loss, X, y, w, shift)
    z = losses.margins(X, y, w, shift)
    pull = np.abs(dz)
    return {
        "w": w,
        "b": float(shift),
        "loss": value,
        "grad_norm": float(np.hypot(np.linalg.norm(grad_w), grad_b)),
        "pull": pull,
        "pulling": int(np.count_nonzero(pull)),
        "misclassified": int(np.count_nonzero(z <= 0)),
    }


def draw_boundary(fig, state, X, y, loss):
    """Points sized by their pull on the gradient; points that do not pull are hollow."""
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


def describe_boundary(state, X, y, loss):
    return (
        f"Decision line with normal angle {np.degrees(np.arctan2(*state['w'][::-1])):.0f}° "
        f"and offset {state['b']:g}; {loss} loss {state['loss']:.3f}; "
        f"{state['pulling']} of {len(y)} points contribute to the gradient, "
        f"{state['misclassified']} are misclassified."
    )


def boundary_explorer(X, y):
    """Rotate and shift the boundary, pick the loss; see who pulls on the gradient."""
    return Explorer(
        lambda angle, shift, loss: boundary_state(X, y, angle, shift, loss),
        lambda fig, state, angle, shift, loss: draw_boundary(fig, state, X, y, loss),
        lambda state, angle, shift, loss: describe_boundary(state, X, y, loss),
        angle=Slider("normal angle (°)", -15, 105, 20, value=45),
        shift=Slider("offset b", -1.0, 1.0, 1.0, value=0.0),
        loss=Choice("loss", ["perceptron", "hinge", "logistic"], value="logistic"),
    )
