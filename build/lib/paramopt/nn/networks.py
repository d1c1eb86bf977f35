"""Building multilayer perceptrons in one call."""

import numpy as np

from paramopt.nn import init as nn_init
from paramopt.nn.activations import LeakyReLU, ReLU, Sigmoid, Tanh
from paramopt.nn.batchnorm import BatchNorm1d
from paramopt.nn.linear import Linear
from paramopt.nn.module import Module, Sequential
from paramopt.validation import as_rng, check_positive_int, check_real

__all__ = ["ACTIVATIONS", "INITS", "mlp"]

ACTIVATIONS = {"relu": ReLU, "leaky_relu": LeakyReLU, "sigmoid": Sigmoid, "tanh": Tanh}

INITS = (
    "default",  # torch.nn.Linear's own: W, b ~ U(−1/√in, 1/√in)
    "normal",  # W ~ N(0, std²)
    "xavier",  # = xavier_uniform (Glorot & Bengio 2010), gain 1
    "xavier_uniform",
    "xavier_normal",
    "kaiming",  # = kaiming_normal (He et al. 2015), gain of the activation
    "kaiming_uniform",
    "kaiming_normal",
)


def initialise(linear, init, activation, std, rng):
    """Re-initialise ``linear.weight`` by name; every init but "default" zeroes the bias.

    Kaiming's gain comes from ``activation.nonlinearity`` (and its ``negative_slope``).
    """
    if init == "default":
        return
    w = linear.weight
    if init == "normal":
        nn_init.normal_(w, std, rng)
    elif init in ("xavier", "xavier_uniform"):
        nn_init.xavier_uniform_(w, 1.0, rng)
    elif init == "xavier_normal":
        nn_init.xavier_normal_(w, 1.0, rng)
    else:
        kaiming = nn_init.kaiming_uniform_ if init == "kaiming_uniform" else nn_init.kaiming_normal_
        slope = getattr(activation, "negative_slope", None)
        nonlinearity = getattr(activation, "nonlinearity", "linear")
        kaiming(w, a=slope or 0.0, nonlinearity=nonlinearity, rng=rng)
    nn_init.zeros_(linear.bias)


def mlp(
    widths,
    activation="relu",
    init="default",
    *,
    batchnorm=False,
    rng=None,
    std=1.0,
    dtype=np.float64,
):
    """A multilayer perceptron ``Linear → [BatchNorm1d →] activation → … → Linear``.

    ``widths = [d₀, d₁, …, d_L]`` gives L Linear layers, dᵢ₋₁ → dᵢ; every layer but the
    last is followed by ``BatchNorm1d`` (if ``batchnorm``) and the activation (a name in
    ``ACTIVATIONS`` or a Module class). ``init`` is one of ``INITS``; "normal" uses
    ``std``; Kaiming uses the activation's gain (√2 for ReLU); Xavier uses gain 1.
    ``rng`` (Generator, int seed or None) draws every layer's weights in order.

    >>> mlp([2, 64, 64, 1], activation="sigmoid", init="xavier", rng=0)  # doctest: +SKIP
    """
    widths = list(widths)
    if len(widths) < 2:
        raise ValueError(f"widths needs at least an input and an output width, got {widths}")
    widths = [check_positive_int(f"widths[{i}]", w) for i, w in enumerate(widths)]
    if isinstance(activation, str):
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        activation = ACTIVATIONS[activation]
    elif not (isinstance(activation, type) and issubclass(activation, Module)):
        raise TypeError(f"activation must be a name or a Module class, got {activation!r}")
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    std = check_real("std", std, low=0)
    rng = as_rng(rng)
    gain_of = activation()  # an instance, for its nonlinearity name and slope
    layers = []
    for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        linear = Linear(n_in, n_out, rng=rng, dtype=dtype)
        initialise(linear, init, gain_of, std, rng)
        layers.append(linear)
        if i < len(widths) - 2:
            if batchnorm:
                layers.append(BatchNorm1d(n_out, dtype=dtype))
            layers.append(activation())
    return Sequential(*layers)
