"""Weight initialisations, with the formulas of ``torch.nn.init``.

For a weight ``W`` of shape ``(out, in)``: ``fan_in = in``, ``fan_out = out``.

==================  =====================================================
``normal_``         W ~ N(mean, std²)
``uniform_``        W ~ U(a, b)
``xavier_uniform_`` W ~ U(−B, B),  B = gain·√(6 / (fan_in + fan_out))
``xavier_normal_``  W ~ N(0, σ²),  σ = gain·√(2 / (fan_in + fan_out))
``kaiming_uniform_`` W ~ U(−B, B), B = gain·√(3 / fan)
``kaiming_normal_`` W ~ N(0, σ²),  σ = gain / √fan
==================  =====================================================

``gain`` comes from ``calculate_gain``: 1 for linear and sigmoid, 5/3 for tanh, √2 for
ReLU, √(2 / (1 + a²)) for leaky ReLU with slope ``a``. Each function fills its array in
place and returns it. Random numbers are drawn in float64 from ``rng`` (a
``numpy.random.Generator``, an int seed, or None for fresh entropy) and then cast.
"""

import math

import numpy as np

from paramopt.validation import as_rng, check_real

__all__ = [
    "calculate_gain",
    "constant_",
    "fan_in_and_fan_out",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]


def _weight(w):
    if not isinstance(w, np.ndarray) or w.dtype.kind != "f":
        raise TypeError(f"expected a float numpy array to fill in place, got {type(w).__name__}")
    return w


def calculate_gain(nonlinearity, param=None):
    """The gain torch recommends for ``nonlinearity`` (e.g. √2 for ``"relu"``)."""
    linear = ("linear", "identity", "conv1d", "conv2d", "conv3d", "sigmoid")
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else check_real("negative_slope", param)
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity!r}")


def fan_in_and_fan_out(w):
    """``(fan_in, fan_out)`` of a weight of shape ``(out, in, *receptive_field)``."""
    w = _weight(w)
    if w.ndim < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for an array with fewer than 2 "
            f"dimensions, got shape {w.shape}"
        )
    if w.size == 0:
        raise ValueError(f"cannot initialise an empty array of shape {w.shape}")
    receptive = math.prod(w.shape[2:])
    return w.shape[1] * receptive, w.shape[0] * receptive


def uniform_(w, a=0.0, b=1.0, rng=None):
    """Fill ``w`` with U(a, b)."""
    a, b = check_real("a", a), check_real("b", b)
    if a > b:
        raise ValueError(f"uniform_ needs a <= b, got a={a}, b={b}")
    w = _weight(w)
    w[...] = as_rng(rng).uniform(a, b, size=w.shape)
    return w


def normal_(w, std=1.0, rng=None, *, mean=0.0):
    """Fill ``w`` with N(mean, std²).

    Note the order: ``normal_(w, std, rng)``; ``torch.nn.init.normal_`` takes ``mean``
    before ``std``, so pass ``mean=`` by keyword.
    """
    std = check_real("std", std, low=0)
    mean = check_real("mean", mean)
    w = _weight(w)
    w[...] = as_rng(rng).normal(mean, std, size=w.shape)
    return w


def constant_(w, value):
    """Fill ``w`` with ``value``."""
    _weight(w)[...] = check_real("value", value)
    return w


def zeros_(w):
    """Fill ``w`` with zeros."""
    return constant_(w, 0.0)


def ones_(w):
    """Fill ``w`` with ones."""
    return constant_(w, 1.0)


def xavier_uniform_(w, gain=1.0, rng=None):
    """Glorot & Bengio (2010): U(−B, B) with B = gain·√(6 / (fan_in + fan_out))."""
    fan_in, fan_out = fan_in_and_fan_out(w)
    bound = check_real("gain", gain) * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(w, -bound, bound, rng)


def xavier_normal_(w, gain=1.0, rng=None):
    """Glorot & Bengio (2010): N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out))."""
    fan_in, fan_out = fan_in_and_fan_out(w)
    std = check_real("gain", gain) * math.sqrt(2.0 / (fan_in + fan_out))
    return normal_(w, abs(std), rng)


def _kaiming_gain_and_fan(w, a, mode, nonlinearity):
    fan_in, fan_out = fan_in_and_fan_out(w)
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a), fan


def kaiming_uniform_(w, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    """He et al. (2015): U(−B, B) with B = gain·√(3 / fan); gain √2 for ReLU (a = 0)."""
    gain, fan = _kaiming_gain_and_fan(w, a, mode, nonlinearity)
    bound = gain * math.sqrt(3.0 / fan)
    return uniform_(w, -bound, bound, rng)


def kaiming_normal_(w, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    """He et al. (2015): N(0, σ²) with σ = gain / √fan; gain √2 for ReLU (a = 0)."""
    gain, fan = _kaiming_gain_and_fan(w, a, mode, nonlinearity)
    return normal_(w, gain / math.sqrt(fan), rng)
