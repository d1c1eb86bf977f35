"""The optimiser playground: paths of paramopt.optim optimisers on a 2-D surface.

Shared by the optimiser chapters. The caller picks the surface, the start and the number
of steps, and which hyperparameters the reader may change::

    playground(Quadratic(kappa=25), start=(-4, 1.5), steps=50,
               optimizer=Choice("optimiser", {"SGD": ("sgd", {}),
                                              "Adam": ("adam", {})}),
               lr=Slider.from_values("learning rate", [0.01, 0.03, 0.1]))

Every control other than ``optimizer`` is passed to the optimiser as a keyword argument.
Settings that blow up show "diverged at step k".
"""

from functools import cache

import numpy as np

from paramopt import surfaces
from paramopt.style import OKABE_ITO
from paramopt.widgets.controls import Choice
from paramopt.widgets.explorer import Explorer


def playground(surface, *, start, steps, optimizer, **hyperparameters):
    """An :class:`Explorer` of optimiser paths on ``surface``.

    ``optimizer`` is a :class:`Choice` whose values are ``(name, fixed_kwargs)`` pairs,
    or one such pair; ``hyperparameters`` are controls named after optimiser arguments.
    """
    surface = surfaces.as_surface(surface)
    start = np.asarray(start, dtype=np.float64)
    controls = dict(hyperparameters)
    if isinstance(optimizer, Choice):
        controls["optimizer"] = optimizer
    else:
        fixed_choice = optimizer

    def compute(optimizer=None, **values):
        name, fixed = optimizer if optimizer is not None else fixed_choice
        return surfaces.run(surface, name, start, steps, **fixed, **values)

    def draw(fig, path, **values):
        draw_path(fig, surface, path)

    def describe(path, **values):
        setting = ", ".join(
            f"{controls[k].label} {controls[k].labels[controls[k].values.index(v)]}"
            for k, v in values.items()
        )
        x, y = path.theta[-1]
        return (
            f"Path on the {surface.name} surface with {setting}: after {steps} steps "
            f"θ = ({x:.3g}, {y:.3g}) and f(θ) = {path.loss[-1]:.3g}."
        )

    return Explorer(compute, draw, describe, figsize=(7.2, 3.3), **controls)


@cache
def _contours(surface_repr, surface):
    return surface.grid(121)


def draw_path(fig, surface, path):
    """Contours with the path on the left, f(θ_k) against k on the right."""
    left = fig.add_axes((0.07, 0.14, 0.42, 0.76))
    right = fig.add_axes((0.6, 0.14, 0.37, 0.76))
    X, Y, Z = _contours(repr(surface), surface)
    levels = np.quantile(Z, np.linspace(0.0, 0.95, 14) ** 2)
    left.contour(X, Y, Z, levels=np.unique(levels), colors="#999999", linewidths=0.6)
    theta = path.theta
    left.plot(theta[:, 0], theta[:, 1], "-o", color=OKABE_ITO["vermillion"], ms=2.5, lw=1.2)
    left.plot(*theta[0], "s", color="black", ms=6, label="start")
    if len(surface.minima):
        left.plot(*surface.minima.T, "*", color=OKABE_ITO["blue"], ms=11, label="minimum")
    (x0, x1), (y0, y1) = surface.bounds
    left.set(xlim=(x0, x1), ylim=(y0, y1), xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
    left.legend(loc="upper right", fontsize=7)
    if len(surface.minima):
        best = surface.value(surface.minima[0])
        gap = np.maximum(path.loss - best, 1e-16)
        right.semilogy(gap, color=OKABE_ITO["vermillion"])
        right.set(ylabel=r"$f(\theta_k) - f^\star$")
    else:
        right.plot(path.loss, color=OKABE_ITO["vermillion"])
        right.set(ylabel=r"$f(\theta_k)$")
    right.set(xlabel="step $k$")
    right.grid(alpha=0.3)
