"""Chapter 4's figures: the heat map of step counts over learning rate × momentum.

The counts come from :func:`paramopt.surfaces.steps_to_tolerance`; this module draws them.
"""

import numpy as np

from paramopt.style import label_color
from paramopt.validation import check_array, check_int

__all__ = ["draw_step_counts"]


def draw_step_counts(ax, steps, lrs, mus, *, max_steps, cmap="viridis_r"):
    """Draw ``steps`` (one row per momentum in ``mus``, one column per rate in ``lrs``) on ``ax``.

    Each cell is coloured by log10 of its count and labelled with it: NaN (diverged) reads
    "diverges", inf (not within ``max_steps``) reads ">max_steps", and both show the axes'
    background. Every label is black or white, whichever contrasts more with its own cell
    (:func:`label_color`). Returns the image, for a colour bar.
    """
    steps = check_array("steps", steps, ndim=2, finite=False)
    lrs = check_array("lrs", lrs, shape=(steps.shape[1],))
    mus = check_array("mus", mus, shape=(steps.shape[0],))
    if np.any(steps[np.isfinite(steps)] < 1):
        raise ValueError("steps must be counts >= 1 (NaN: diverged, inf: not converged)")
    max_steps = check_int("max_steps", max_steps, low=1)
    shown = np.where(np.isfinite(steps), steps, np.nan)
    image = ax.imshow(np.log10(shown), cmap=cmap, aspect="auto")
    for (i, j), count in np.ndenumerate(steps):
        if np.isfinite(count):
            text, cell = f"{count:.0f}", image.cmap(image.norm(np.log10(count)))
        else:
            text, cell = ("diverges" if np.isnan(count) else f">{max_steps}"), ax.get_facecolor()
        ax.text(j, i, text, ha="center", va="center", fontsize=7, color=label_color(cell))
    ax.set_xticks(range(len(lrs)), [f"{lr:g}" for lr in lrs], fontsize=8)
    ax.set_yticks(range(len(mus)), [f"{mu:g}" for mu in mus])
    return image
