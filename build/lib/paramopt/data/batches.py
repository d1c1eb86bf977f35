"""Minibatches and epochs, as frameworks realise the randomness of SGD."""

import numpy as np

from paramopt.validation import as_rng, check_positive_int, check_real


def _check_rows(X, y):
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim < 1 or y.ndim < 1 or len(X) != len(y):
        raise ValueError(f"X and y must have as many rows, got shapes {X.shape} and {y.shape}")
    return X, y


def minibatches(X, y, batch_size, *, rng, shuffle=True, drop_last=False):
    """Yield the ``(X_batch, y_batch)`` pairs of one epoch.

    An epoch visits every example once: with ``shuffle`` the rows are put in a fresh
    random order drawn from ``rng`` (a ``numpy.random.Generator``: pass the same one every
    epoch, so each epoch is shuffled anew, as ``torch.utils.data.DataLoader(shuffle=True)``
    does), then cut into consecutive batches of ``batch_size``. The last batch holds the
    ``N mod batch_size`` remaining examples unless ``drop_last`` drops it.
    ``batch_size = N`` is full-batch gradient descent; ``batch_size = 1`` is "pure" SGD.
    """
    X, y = _check_rows(X, y)
    batch_size = check_positive_int("batch_size", batch_size)
    if shuffle and not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {rng!r}")
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    stop = len(X) - len(X) % batch_size if drop_last else len(X)
    for begin in range(0, stop, batch_size):
        rows = order[begin : begin + batch_size]
        yield X[rows], y[rows]


def train_test_split(X, y, *, test_fraction=0.25, rng=0):
    """Split rows at random into ``X_train, X_test, y_train, y_test`` (seeded by ``rng``)."""
    X, y = _check_rows(X, y)
    test_fraction = check_real(
        "test_fraction", test_fraction, low=0, high=1, low_open=True, high_open=True
    )
    order = as_rng(rng).permutation(len(X))
    n_test = max(1, round(test_fraction * len(X)))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
