"""Synthetic data sets, generated from a seed."""

import numpy as np

from paramopt.validation import as_rng, check_positive_int, check_real

__all__ = ["two_blobs"]


def two_blobs(n_per_class=20, *, distance=3.0, spread=0.8, rng=0):
    """Two Gaussian clouds in the plane with labels ``+1`` and ``-1``.

    Class +1 is centred at ``(d/2)·(cos 45°, sin 45°)``, class −1 at the mirror point,
    each with standard deviation ``spread`` per coordinate. Returns ``X`` of shape
    ``(2·n_per_class, 2)`` and ``y`` of shape ``(2·n_per_class,)``, seeded by ``rng``
    (an int or a ``numpy.random.Generator``).
    """
    n_per_class = check_positive_int("n_per_class", n_per_class)
    distance = check_real("distance", distance, low=0)
    spread = check_real("spread", spread, low=0, low_open=True)
    rng = as_rng(rng)
    centre = distance / 2 * np.array([np.sqrt(0.5), np.sqrt(0.5)])
    X = np.concatenate(
        [
            rng.normal(centre, spread, (n_per_class, 2)),
            rng.normal(-centre, spread, (n_per_class, 2)),
        ]
    )
    y = np.concatenate([np.ones(n_per_class), -np.ones(n_per_class)])
    return X, y
