"""The optimiser playground: paths of paramopt.optim optimisers on a 2-D surface.

Shared by the optimiser chapters. The caller picks the surface, the start and the number
of steps, and which hyperparameters the reader may change::

    playground(Quadratic(kappa=25), start=(-4, 1.5), steps=50,
               optimizer=Choice("optimiser", {"SGD": ("sgd", {}),
                                              "Adam": ("adam", {})}),
               lr=Slider.from_values("learning rate", [0.01, 0.03, 0.1]))

Every control other than ``optimizer`` is passed to the optimiser as a keyword argument.
All frames of one playground share the loss axis, so their curves compare. A setting
that blows up draws its path and loss up to the step it diverged at, marks that step
with ✕ and says so in the caption ("Adam with learning rate γ = 0.3 on the rosenbrock
surface diverged at step 12: |θ| passed 10⁶."), in English and in Chinese
(:mod:`paramopt.captions` translates the controls' labels).
"""

import itertools
from functools import cache

import numpy as np

from paramopt import surfaces
from paramopt.captions import Caption, bilingual, chinese
from paramopt.style import OKABE_ITO, number
from paramopt.validation import Diverged
from paramopt.widgets.controls import Choice
from paramopt.widgets.explorer import Explorer

#: how the caption names an optimiser given by name only (``optimizer=("sgd", {})``)
NAMES = {"sgd": "SGD", "adam": "Adam", "adagrad": "AdaGrad", "rmsprop": "RMSProp"}
#: how the Chinese captions name each surface (by its ``title``)
SURFACES_ZH = {
    "surface": "曲面",
    "quadratic": "二次曲面",
    "shifted quadratic": "平移的二次曲面",
    "Rosenbrock": "Rosenbrock 曲面",
    "Beale": "Beale 曲面",
    "saddle": "鞍形曲面",
    "double-well": "双井曲面",
}
FLOOR = 1e-16  # f(θ) − f* is drawn on a log scale: exact zeros sit on this floor
PATH = OKABE_ITO["vermillion"]


def playground(surface, *, start, steps, optimizer, loss_range=None, **hyperparameters):
    """An :class:`Explorer` of optimiser paths on ``surface``.

    ``optimizer`` is a :class:`Choice` whose values are ``(name, fixed_kwargs)`` pairs,
    or one such pair; ``hyperparameters`` are controls named after optimiser arguments.
    ``loss_range = (low, high)`` fixes the loss axis; by default it spans the losses of
    every setting that does not diverge (computed at the first frame; a diverged curve
    leaves through the top). Each setting's path is computed once and kept.
    """
    surface = surfaces.as_surface(surface)
    start = np.asarray(start, dtype=np.float64)
    controls = dict(hyperparameters)
    if isinstance(optimizer, Choice):
        controls["optimizer"] = optimizer
    else:
        fixed_choice = optimizer
    paths = {}

    def compute(optimizer=None, **values):
        """The path, or the :class:`Diverged` error carrying its finite part."""
        key = tuple(controls[k].values.index(v) for k, v in sorted(values.items()))
        key += (controls["optimizer"].values.index(optimizer),) if optimizer is not None else ()
        if key not in paths:
            name, fixed = optimizer if optimizer is not None else fixed_choice
            try:
                paths[key] = surfaces.run(surface, name, start, steps, **fixed, **values)
            except Diverged as error:
                paths[key] = error
        return paths[key]

    @cache
    def shared_range():
        if loss_range is not None:
            return tuple(loss_range)
        names = list(controls)
        every = [
            compute(**dict(zip(names, combo, strict=True)))
            for combo in itertools.product(*(c.values for c in controls.values()))
        ]
        return _loss_range(surface, every)

    def draw(fig, path):
        return draw_path(fig, surface, path, loss_range=shared_range(), steps=steps)

    def describe(path, **values):
        subject, subject_zh = _subject(controls, values, optimizer)
        where = f"on the {surface.title} surface"
        surface_zh = SURFACES_ZH.get(surface.title, f"{surface.title} 曲面")
        where_zh = f"在 {surface_zh}上" if surface_zh[0].isascii() else f"在{surface_zh}上"
        if isinstance(path, Diverged):
            return Caption(
                f"{subject} {where} diverged at step {path.step}: {path.reason}.",
                zh=f"{subject_zh}{where_zh}于第 {path.step} 步发散：{chinese(path.reason)}。",
            )
        x, y = (number(v, 3, trim=True) for v in path.theta[-1])
        value = number(path.loss[-1], 3, trim=True)
        return Caption(
            f"{subject} {where}: after {steps} steps θ = ({x}, {y}) and f(θ) = {value}.",
            zh=f"{subject_zh}{where_zh}走 {steps} 步后，θ = ({x}, {y})，f(θ) = {value}。",
        )

    return Explorer(compute, draw, describe, figsize=(7.2, 3.3), **controls)


def _subject(controls, values, fixed):
    """The optimiser and the other controls, in English and Chinese: "Adam with learning
    rate γ = 0.1" and "Adam（学习率 γ = 0.1）"."""
    if "optimizer" in values:
        choice = controls["optimizer"]
        name = choice.labels[choice.values.index(values["optimizer"])]
    else:
        name = NAMES.get(fixed[0].lower(), fixed[0]) if isinstance(fixed, tuple) else "SGD"
    settings = [
        (controls[k].label, controls[k].labels[controls[k].values.index(v)])
        for k, v in values.items()
        if k != "optimizer"
    ]
    name_zh = "，".join(chinese(bilingual(part)) for part in name.split(", "))
    if not settings:
        return name, f"{name_zh} "
    english = ", ".join(f"{label} = {shown}" for label, shown in settings)
    zh = "，".join(f"{chinese(label)} = {shown}" for label, shown in settings)
    return f"{name} with {english}", f"{name_zh}（{zh}）"


def _gaps(surface, path):
    """What the loss panel plots: f(θ_k) − f* on a log scale, or f(θ_k)."""
    trajectory = path.trajectory if isinstance(path, Diverged) else path
    if len(surface.minima):
        best = surface.value(surface.minima[0])
        return np.maximum(trajectory.loss - best, FLOOR)
    return trajectory.loss


def _loss_range(surface, paths):
    """One loss axis for all ``paths``: the range of those that did not diverge (a
    diverged curve leaves through the top), or of the finite parts if all diverged."""
    finished = [p for p in paths if not isinstance(p, Diverged)] or paths
    values = np.concatenate([_gaps(surface, p) for p in finished])
    values = values[np.isfinite(values)]
    low, high = values.min(), values.max()
    if len(surface.minima):
        return low / 3, high * 3
    pad = 0.05 * (high - low or 1.0)
    return low - pad, high + pad


@cache
def _contours(surface_repr, surface):
    return surface.grid(121)


def draw_path(fig, surface, path, *, loss_range=None, steps=None):
    """Contours with the path on the left, the loss against the step k on the right.

    ``path`` is a :class:`paramopt.surfaces.Trajectory`, or the :class:`Diverged` error of
    :func:`paramopt.surfaces.run`, whose finite part is drawn up to the step it diverged
    at, marked ✕ in both panels and named in a note. ``loss_range`` fixes the loss axis
    (default: this path's own) and ``steps`` its step axis. Returns the updater
    ``update(path)`` that draws another path of the same surface on these axes and
    returns the artists it changed (see :mod:`paramopt.widgets`).
    """
    left = fig.add_axes((0.1, 0.15, 0.38, 0.75))
    right = fig.add_axes((0.64, 0.15, 0.33, 0.75))
    X, Y, Z = _contours(repr(surface), surface)
    levels = np.quantile(Z, np.linspace(0.0, 0.95, 14) ** 2)
    left.contour(X, Y, Z, levels=np.unique(levels), colors="#999999", linewidths=0.6)
    # the changing artists sit above the contours (z-order 2), which stay in the background
    (route,) = left.plot([], [], "-o", color=PATH, ms=2.5, lw=1.2, zorder=2.1)
    (left_x,) = left.plot([], [], "x", color="black", ms=10, mew=2.5, clip_on=False, zorder=4)
    left.plot(*path_start(path), "s", color="black", ms=6, label="start", zorder=3)
    if len(surface.minima):
        left.plot(*surface.minima.T, "*", color=OKABE_ITO["blue"], ms=11, label="minimum",
                  zorder=3)  # fmt: skip
    (x0, x1), (y0, y1) = surface.bounds
    left.set(xlim=(x0, x1), ylim=(y0, y1), xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
    left.legend(loc="upper right", fontsize=8)
    if len(surface.minima):
        right.set_yscale("log")
        right.set(ylabel=r"$f(\theta_k) - f^\star$")
    else:
        right.set(ylabel=r"$f(\theta_k)$")
    (curve,) = right.plot([], [], color=PATH, zorder=2.1)
    (right_x,) = right.plot([], [], "x", color="black", ms=10, mew=2.5, clip_on=False, zorder=4)
    note = right.text(0.97, 0.95, "", transform=right.transAxes, ha="right", va="top",
                      fontsize=9, color="black", zorder=5,
                      bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fbe3d6",
                            "edgecolor": OKABE_ITO["vermillion"]})  # fmt: skip
    gaps = _gaps(surface, path)
    right.set(xlabel="step $k$", ylim=loss_range or _loss_range(surface, [path]))
    right.set_xlim(-0.02 * (steps or len(gaps)), steps or len(gaps))
    right.grid(alpha=0.3)

    def update(path):
        diverged = isinstance(path, Diverged)
        theta = (path.trajectory if diverged else path).theta
        gaps = _gaps(surface, path)
        route.set_data(theta[:, 0], theta[:, 1])
        curve.set_data(np.arange(len(gaps)), gaps)
        for artist in (left_x, right_x, note):
            artist.set_visible(diverged)
        if diverged:
            # the last finite θ, pulled inside the window; the loss's step on the top edge
            left_x.set_data([np.clip(theta[-1, 0], x0, x1)], [np.clip(theta[-1, 1], y0, y1)])
            right_x.set_data([path.step], [right.get_ylim()[1]])
            note.set_text(f"✕ diverged at step {path.step}:\n{path.reason}")
        return [route, left_x, curve, right_x, note]

    update(path)
    return update


def path_start(path):
    """θ₀ of a path or of a diverged run's finite part."""
    return (path.trajectory if isinstance(path, Diverged) else path).theta[0]
