"""Synthetic data sets, generated from a seed."""

import numpy as np

from paramopt.validation import check_real

__all__ = ["two_blobs"]


def two_blobs(n_per_class=20, *, distance=3.0, spread=0.8, rng=0):
    """Two Gaussian clouds in the plane with labels ``+1`` and ``-1``.

    Class +1 is centred at ``(d/2)·(cos 45°, sin 45°)``, class −1 at the mirror point,
    each with standard deviation ``spread`` per coordinate. Returns ``X`` of shape
    ``(2·n_per_class, 2)`` and ``y`` of shape ``(2·n_per_class,)``, seeded by ``rng``
    (an int or a ``numpy.random.Generator``).
    """
    if isinstance(n_per_class, bool) or not isinstance(n_per_class, int) or n_per_class < 1:
        raise ValueError(f"n_per_class must be a positive int, got {n_per_class!r}")
    distance = check_real("distance", distance, low=0)
    spread = check_real("spread", spread, low=0, low_open=True)
    rng = np.random.default_rng(rng)
    centre = distance / 2 * np.array([np.sqrt(0.5), np.sqrt(0.5)])
    X = np.concatenate(
        [
            rng.normal(centre, spread, (n_per_class, 2)),
            rng.normal(-centre, spread, (n_per_class, 2)),
        ]
    )
    y = np.concatenate([np.ones(n_per_class), -np.ones(n_per_class)])
    return X, y
