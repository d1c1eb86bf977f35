"""The handwritten digits: 1,797 images of 8×8 pixels, shipped with the package (see DIGITS.txt)."""

import gzip
from functools import cache
from importlib import resources

import numpy as np


@cache
def _raw():
    with resources.files(__package__).joinpath("digits.csv.gz").open("rb") as handle:
        table = np.loadtxt(gzip.open(handle), delimiter=",")
    table.setflags(write=False)
    return table


def load_digits(dtype=np.float64):
    """Return ``X`` of shape (1797, 64), pixels scaled to [0, 1], and labels ``y`` in 0..9.

    Each row of ``X`` is an 8×8 image read row by row (``X[i].reshape(8, 8)`` shows it).
    ``X`` has the requested float ``dtype``; ``y`` is int64. Fresh arrays every call.
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a float dtype, got {dtype}")
    table = _raw()
    return (table[:, :64] / 16.0).astype(dtype), table[:, 64].astype(np.int64)
