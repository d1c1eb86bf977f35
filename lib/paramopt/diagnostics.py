"""What one forward/backward pass looks like inside a network, layer by layer: chapter 2's
experiments on vanishing gradients and dying ReLUs.

``layer_report(model, x, y, loss)`` runs a batch through a ``Sequential`` and returns, for
each ``Linear`` layer, the size of its weight gradient and statistics of its *block
output* ``a``: the array that leaves the layer's block (after its BatchNorm and
activation, if any), i.e. the input of the next Linear, or the network's output for the
last one. These are the numbers behind vanishing gradients:

* ``weight_grad_norm`` ‖∂L/∂W‖_F shrinking from the last layer to the first means the
  gradient vanishes on its way back (sigmoid with a poor initialisation);
* ``frac_zero`` / ``frac_dead``: ReLU outputs that are 0, and units that are 0 on every
  example of the batch (dead units pass no gradient back at all);
* ``frac_saturated``: sigmoid/tanh outputs within ``saturation`` of an asymptote, where
  the derivative is nearly 0.

The chapter's experiments use it: :func:`gradient_profile` measures ‖∂L/∂W⁽ˡ⁾‖ for every
layer l of a freshly initialised MLP on a fixed batch (:func:`probe_batch`), and
:func:`dying_relu` trains a small ReLU classifier and counts the units that died on the
way. The explorer that shows the profiles is :mod:`paramopt.widgets.vanishing`.
"""

import copy
from dataclasses import dataclass

import numpy as np

from paramopt import data, nn, optim
from paramopt.nn import BatchNorm1d, Linear, Sequential
from paramopt.train import fit
from paramopt.validation import (
    Diverged,
    as_rng,
    check_flag,
    check_int,
    check_positive_int,
    check_real,
)

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "LayerStats",
    "dying_relu",
    "format_report",
    "gradient_profile",
    "layer_report",
    "probe_batch",
]


@dataclass(frozen=True)
class LayerStats:
    """Statistics of one Linear layer (``depth`` 1 is the first) and its block output a."""

    index: int  # position of the Linear in the Sequential
    depth: int  # 1, 2, ... counting Linear layers only
    shape: tuple  # weight shape (out, in)
    weight_norm: float  # ‖W‖_F
    weight_grad_norm: float  # ‖∂L/∂W‖_F
    bias_grad_norm: float  # ‖∂L/∂b‖
    activation: str | None  # class name of the block's activation, None if it has none
    mean_abs: float  # mean |a| over the batch and the units
    std: float  # standard deviation of a over the batch and the units
    frac_zero: float  # fraction of entries of a that are exactly 0
    frac_dead: float  # fraction of units (columns) of a that are 0 for every example
    frac_saturated: float | None  # sigmoid/tanh only: fraction near an asymptote


def _saturated(a, nonlinearity, s):
    if nonlinearity == "sigmoid":
        return float(np.mean((a < s) | (a > 1 - s)))
    if nonlinearity == "tanh":
        return float(np.mean(np.abs(a) > 1 - s))
    return None


def layer_report(model, x, y, loss, *, saturation=0.01):
    """Run ``loss.forward(model.forward(x), y)`` and backward; return a list of LayerStats.

    The pass runs on a copy of ``model`` (in its current train/eval mode), so the model's
    gradients and BatchNorm running statistics are left as they were. Raises
    :class:`paramopt.Diverged` (``step`` = l) if the forward pass is not finite in the
    block of the l-th Linear layer.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"layer_report needs a Sequential, got {type(model).__name__}")
    s = check_real("saturation", saturation, low=0, high=0.5)
    model = copy.deepcopy(model)
    with np.errstate(over="ignore", invalid="ignore"):
        outputs = model.forward_all(x)  # outputs[i]: the output of model[i]
        bad = next((i for i, h in enumerate(outputs) if not np.isfinite(h).all()), None)
        if bad is not None:
            layer = sum(isinstance(m, Linear) for m in model[: bad + 1])
            raise Diverged(layer, f"the forward pass at layer {layer}")
        loss.forward(outputs[-1], y)
        model.backward_all(loss.backward())  # every layer's gradients, first layer's too

    starts = [i for i, layer in enumerate(model) if isinstance(layer, Linear)]
    records = []
    for depth, (start, stop) in enumerate(
        zip(starts, starts[1:] + [len(model)], strict=True), start=1
    ):
        linear, last = model[start], model[stop - 1]
        a = outputs[stop - 1]
        has_activation = not isinstance(last, Linear | BatchNorm1d)
        records.append(
            LayerStats(
                index=start,
                depth=depth,
                shape=linear.weight.shape,
                weight_norm=float(np.linalg.norm(linear.weight)),
                weight_grad_norm=float(np.linalg.norm(linear.grad_weight)),
                bias_grad_norm=float(np.linalg.norm(linear.grad_bias)),
                activation=type(last).__name__ if has_activation else None,
                mean_abs=float(np.mean(np.abs(a))),
                std=float(np.std(a)),
                frac_zero=float(np.mean(a == 0)),
                frac_dead=float(np.mean(np.all(a == 0, axis=0))),
                frac_saturated=_saturated(a, getattr(last, "nonlinearity", None), s),
            )
        )
    return records


def format_report(records):
    """The records as a plain-text table, one line per Linear layer."""
    lines = [
        f"{'layer':>5} {'shape':>10} {'‖∂L/∂W‖':>10} {'mean|a|':>9} {'std a':>9} "
        f"{'zero':>6} {'dead':>6} {'satur.':>6}  activation"
    ]
    for r in records:
        saturated = "" if r.frac_saturated is None else f"{r.frac_saturated:.2f}"
        lines.append(
            f"{r.depth:>5} {'x'.join(map(str, r.shape)):>10} {r.weight_grad_norm:>10.2e} "
            f"{r.mean_abs:>9.3g} {r.std:>9.3g} {r.frac_zero:>6.2f} {r.frac_dead:>6.2f} "
            f"{saturated:>6}  {r.activation or '-'}"
        )
    return "\n".join(lines)


# -- gradient profiles of deep networks ---------------------------------------------------

#: the activations compared in chapter 2 (names for ``paramopt.nn.mlp``)
ACTIVATIONS = ("sigmoid", "tanh", "relu")

#: the initialisations compared, by the name used in the book → ``paramopt.nn.mlp`` name
INITS = {
    "normal": "normal",  # W ~ N(0, std²), std = 1 unless given
    "xavier": "xavier",  # U(±√(6/(fan_in + fan_out))), Glorot & Bengio (2010)
    "he": "kaiming",  # N(0, 2/fan_in) for ReLU (gain of the activation), He et al. (2015)
    "default": "default",  # torch.nn.Linear's own: U(±1/√fan_in)
}


def probe_batch(n_inputs=16, batch=128, rng=0):
    """A fixed regression batch: X ~ N(0, 1) of shape (batch, n_inputs), y = x₁ + 0.1·noise.

    ``rng`` (an int seed or a Generator) draws X, then the noise.
    """
    n_inputs, batch = check_positive_int("n_inputs", n_inputs), check_positive_int("batch", batch)
    rng = as_rng(rng)
    X = rng.standard_normal((batch, n_inputs))
    return X, X[:, :1] + 0.1 * rng.standard_normal((batch, 1))


def gradient_profile(
    depth,
    activation="sigmoid",
    init="xavier",
    batchnorm=False,
    *,
    width=32,
    n_inputs=16,
    batch=128,
    std=1.0,
    bias=None,
    rng=0,
):
    """Per-layer weight-gradient norms of a freshly initialised MLP, one batch, MSE loss.

    The network is ``paramopt.nn.mlp([n_inputs] + [width]·(depth − 1) + [1], activation,
    INITS[init], batchnorm=batchnorm, std=std, rng=rng)``: ``depth`` Linear layers, each
    but the last followed by [BatchNorm1d →] the activation. ``bias=None`` keeps the
    biases of the initialisation (zero for every init but "default", whose biases are
    U(±1/√fan_in)); a number sets every Linear's bias to it. It sees
    ``probe_batch(n_inputs, batch, rng)`` once, in training mode, and
    :func:`layer_report` measures ‖∂L/∂W⁽ˡ⁾‖_F for l = 1 … depth. The batch and the
    weights are drawn from two copies of ``rng`` (an int seed, or a Generator that is
    not advanced), as two calls with the same seed would draw them.

    Returns a dict: ``norms`` (array, layer 1 first), ``ratio`` = norms[0] / norms[-1],
    ``records`` (the LayerStats), and the settings. Raises :class:`paramopt.Diverged`
    (with ``step`` = the layer) if the forward pass or a gradient norm is not finite.
    """
    depth = check_int("depth", depth, low=2)
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {list(ACTIVATIONS)}, got {activation!r}")
    if init not in INITS:
        raise ValueError(f"init must be one of {list(INITS)}, got {init!r}")
    batchnorm = check_flag("batchnorm", batchnorm)
    width = check_positive_int("width", width)
    std = check_real("std", std, low=0)
    if bias is not None:
        bias = check_real("bias", bias)
    rng = as_rng(rng)
    X, y = probe_batch(n_inputs, batch, copy.deepcopy(rng))
    widths = [n_inputs] + [width] * (depth - 1) + [1]
    model = nn.mlp(
        widths, activation, INITS[init], batchnorm=batchnorm, std=std, rng=copy.deepcopy(rng)
    )
    if bias is not None:
        for module in model:
            if isinstance(module, nn.Linear):
                module.bias[...] = bias
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow raises Diverged, below
        records = layer_report(model, X, y, nn.MSELoss())  # or in layer_report itself
    norms = np.array([r.weight_grad_norm for r in records])
    bad = np.flatnonzero(~np.isfinite(norms))
    if bad.size:
        raise Diverged(int(bad[-1]) + 1, f"the weight gradient of layer {bad[-1] + 1}")
    return {
        "norms": norms,
        "ratio": float(norms[0] / norms[-1]) if norms[-1] > 0 else float("inf"),
        "records": records,
        "depth": depth,
        "activation": activation,
        "init": init,
        "batchnorm": batchnorm,
    }


# -- dying ReLU ---------------------------------------------------------------------------


def _dead_fractions(model, X, labels):
    """Fraction of hidden ReLU units whose output is 0 for every row of X, in all and by layer."""
    records = layer_report(model, X, labels, nn.CrossEntropyLoss())[:-1]
    units = sum(r.shape[0] for r in records)
    total = sum(r.frac_dead * r.shape[0] for r in records) / units
    return total, tuple(r.frac_dead for r in records)


def dying_relu(lr, bias=0.0, *, hidden=(64, 64), epochs=30, batch_size=20, rng=0):
    """Train a ReLU classifier with SGD and count its dead units before and after.

    Data: ``paramopt.data.two_blobs(100, distance=3, spread=1, rng=0)`` (200 points in
    the plane, labels 0/1). Model: ``mlp([2, *hidden, 2], "relu", "kaiming", rng=rng)``
    (He init), then every hidden bias set to ``bias``; loss CrossEntropyLoss; optimiser
    ``paramopt.optim.SGD(lr=lr)``, trained by :func:`paramopt.train.fit` on shuffled
    minibatches of ``batch_size`` for ``epochs`` epochs (200/batch_size steps per epoch).
    The weights and the shuffling are drawn from two copies of ``rng`` (an int seed, or a
    Generator that is not advanced).

    A unit is *dead* if its ReLU outputs 0 on every one of the 200 training points: it
    then passes no gradient back, so plain SGD does not change its incoming weights and
    bias. A dead unit of the first hidden layer stays dead (its inputs are the fixed
    data); one of a deeper layer can revive when the layers below change its inputs.

    Returns ``{"dead_before", "dead_after"`` (fractions of all hidden units),
    ``"dead_before_by_layer", "dead_after_by_layer"`` (tuples, one fraction per hidden
    layer, the first hidden layer first), ``"loss"``, ``"accuracy"`` (on the training
    points after training), ``"steps"}``. Raises
    :class:`paramopt.Diverged` if the loss, a gradient or a parameter stops being finite.
    """
    lr = check_real("lr", lr, low=0)
    bias = check_real("bias", bias)
    hidden = [check_positive_int(f"hidden[{i}]", h) for i, h in enumerate(hidden)]
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    rng = as_rng(rng)
    X, y = data.two_blobs(100, distance=3.0, spread=1.0, rng=0)
    labels = (y > 0).astype(int)
    model = nn.mlp([2, *hidden, 2], "relu", "kaiming", rng=copy.deepcopy(rng))
    for layer in model[:-1]:
        if isinstance(layer, nn.Linear):
            layer.bias[...] = bias
    dead_before, by_layer_before = _dead_fractions(model, X, labels)
    history = fit(
        model,
        nn.CrossEntropyLoss(),
        optim.SGD(model.parameters(), lr=lr),
        X,
        labels,
        epochs=epochs,
        batch_size=batch_size,
        rng=copy.deepcopy(rng),
    )
    dead_after, by_layer_after = _dead_fractions(model, X, labels)
    return {
        "dead_before": dead_before,
        "dead_after": dead_after,
        "dead_before_by_layer": by_layer_before,
        "dead_after_by_layer": by_layer_after,
        "loss": float(history.train_loss[-1]),
        "accuracy": float(history.train_accuracy[-1]),
        "steps": history.steps,
    }
