"""Checks shared by the whole library.

Every public function validates its input before it touches any state, and a failed
check raises an error that names the argument and shows the offending value, as
``torch.optim`` does (``ValueError: Invalid learning rate: -0.1``). One rule throughout:
TypeError for a value of the wrong type, ValueError for a wrong value of the right type.
Randomness always comes in as an argument named ``rng`` (:func:`as_rng`).
"""

import numbers

import numpy as np

from paramopt.captions import Caption, not_finite


class Diverged(FloatingPointError):
    """An iterative computation blew up at step ``step``.

    ``what`` names the quantity in the reader's symbols ("θ", "loss"); the message is
    "diverged at step k: " followed by ``reason``, by default "<what> is not finite"
    (e.g. "|θ| passed 10⁶" for a bound). Widgets show it instead of a traceback. A
    ``reason`` given as a :class:`paramopt.captions.Caption` carries its Chinese too.
    """

    def __init__(self, step, what="value", reason=None):
        self.step = int(step)
        self.what = what
        if reason is None:
            reason = not_finite(what)
        self.reason = reason if isinstance(reason, Caption) else str(reason)
        super().__init__(f"diverged at step {self.step}: {self.reason}")


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


def check_int(name, value, *, low=None):
    """Return ``value`` as an int after checking it is an integer >= ``low`` (bool excluded).

    Raises TypeError for non-integers and ValueError for values below ``low``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if low is not None and value < low:
        raise ValueError(f"Invalid {name}: {value!r} (must be >= {low})")
    return int(value)


def check_positive_int(name, value):
    """Return ``value`` as an int after checking it is an integer >= 1 (bool excluded)."""
    return check_int(name, value, low=1)


def check_flag(name, value):
    """Return ``value`` as a bool after checking it is one (``True``/``False`` only)."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_increasing(name, values, check=check_real):
    """Return ``values`` as a list, each passed through ``check(f"{name}[i]", v)``, after
    checking there is at least one and that they increase strictly.

    Raises TypeError for a value that is not a sequence, ValueError for an empty or
    non-increasing one (and whatever ``check`` raises for a bad element).
    """
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of numbers, got {values!r}")
    values = [check(f"{name}[{i}]", v) for i, v in enumerate(values)]
    if not values or any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise ValueError(f"{name} must be a non-empty increasing sequence, got {values!r}")
    return values


def as_rng(rng):
    """Return a ``numpy.random.Generator`` from a Generator, an int seed, or None.

    Every random function of the library takes such an ``rng``: an int makes it
    reproducible, a Generator lets several calls share one stream.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"Invalid rng: {rng!r} (a seed must be >= 0)")
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be a numpy.random.Generator, an int seed or None, got {rng!r}")


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
