"""What one forward/backward pass looks like inside a network, layer by layer.

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
"""

import copy
from dataclasses import dataclass

import numpy as np

from paramopt.nn import BatchNorm1d, Linear, Sequential
from paramopt.validation import check_real

__all__ = ["LayerStats", "format_report", "layer_report"]


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
    gradients and BatchNorm running statistics are left as they were.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"layer_report needs a Sequential, got {type(model).__name__}")
    s = check_real("saturation", saturation, low=0, high=0.5)
    model = copy.deepcopy(model)
    h = model.check_input(x)
    outputs = []
    for layer in model:
        h = layer.forward(h)
        outputs.append(h)
    loss.forward(h, y)
    grad = loss.backward()
    for layer in reversed(model.layers):
        grad = layer.backward(grad)

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
