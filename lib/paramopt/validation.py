"""Checks shared by the whole library.

Every public function validates its input before it touches any state, and a failed
check raises an error that names the argument and shows the offending value, as
``torch.optim`` does (``ValueError: Invalid learning rate: -0.1``).
"""

import numbers

import numpy as np


class Diverged(FloatingPointError):
    """An iterative computation produced a non-finite value at step ``step``.

    Widgets catch it and show "diverged at step k" instead of a traceback.
    """

    def __init__(self, step, what="value"):
        self.step = int(step)
        self.what = what
        super().__init__(f"diverged at step {self.step}: {what} is not finite")


def check_real(name, value, *, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a float after checking it is a finite real in the given range.

    ``low``/``high`` are inclusive bounds unless ``low_open``/``high_open`` is set.
    Raises TypeError for non-numbers (bool included) and ValueError otherwise.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    x = float(value)
    if not np.isfinite(x):
        raise ValueError(f"Invalid {name}: {value!r} (must be finite)")
    if low is not None and (x < low or (low_open and x == low)):
        bound = f"> {low}" if low_open else f">= {low}"
        raise ValueError(f"Invalid {name}: {value!r} (must be {bound})")
    if high is not None and (x > high or (high_open and x == high)):
        bound = f"< {high}" if high_open else f"<= {high}"
        raise ValueError(f"Invalid {name}: {value!r} (must be {bound})")
    return x


def check_positive_int(name, value):
    """Return ``value`` as an int after checking it is an integer >= 1 (bool excluded).

    Raises TypeError for non-integers and ValueError for values below 1.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < 1:
        raise ValueError(f"Invalid {name}: {value!r} (must be >= 1)")
    return int(value)


def check_array(name, value, *, ndim=None, shape=None, finite=True):
    """Return ``value`` as a float ndarray after checking dims, shape and finiteness.

    Integer and boolean arrays are converted to float64; anything that is not
    numeric raises TypeError naming ``name``.
    """
    array = np.asarray(value)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"{name} must be a numeric array, got dtype {array.dtype}")
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if shape is not None and array.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {array.shape}")
    if finite and not np.all(np.isfinite(array)):
        bad = np.flatnonzero(~np.isfinite(array.ravel()))[0]
        raise ValueError(f"{name} must be finite, got {array.ravel()[bad]!r} at flat index {bad}")
    return array
