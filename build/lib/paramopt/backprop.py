"""Chapter 1's experiments: one forward and one backward pass through a 2–2–1 network, and
what backpropagation saves.

The network takes one example x = (x₁, x₂) with target y and computes

    z⁽¹⁾ = W⁽¹⁾ x + b⁽¹⁾,   a⁽¹⁾ = σ(z⁽¹⁾),   ŷ = W⁽²⁾ a⁽¹⁾ + b⁽²⁾,   L = (ŷ − y)²

(W⁽¹⁾: 2×2, b⁽¹⁾: 2, W⁽²⁾: 1×2, b⁽²⁾: 1). L is ``paramopt.nn.MSELoss`` on a batch of one
example with one output. Backpropagation then computes, back to front,

    δ⁽²⁾ = ∂L/∂ŷ = 2(ŷ − y),        ∂L/∂W⁽²⁾ = δ⁽²⁾ a⁽¹⁾ᵀ,   ∂L/∂b⁽²⁾ = δ⁽²⁾,
    ∂L/∂a⁽¹⁾ = W⁽²⁾ᵀ δ⁽²⁾,          δ⁽¹⁾ = ∂L/∂z⁽¹⁾ = ∂L/∂a⁽¹⁾ ⊙ σ′(z⁽¹⁾),
    σ′(z⁽¹⁾) = a⁽¹⁾ ⊙ (1 − a⁽¹⁾),    ∂L/∂W⁽¹⁾ = δ⁽¹⁾ xᵀ,       ∂L/∂b⁽¹⁾ = δ⁽¹⁾.

:func:`network_pass` computes every one of these numbers with the modules of
``paramopt.nn`` (``paramopt.widgets.backprop`` steps through them on a drawing of the
network). :func:`operation_counts` and :func:`gradient_by_paths` make "why back to front"
concrete.
"""

import itertools
import math

import numpy as np

from paramopt import nn
from paramopt.validation import check_array, check_positive_int, check_real

__all__ = [
    "DEFAULT_WEIGHTS",
    "gradient_by_paths",
    "network_pass",
    "operation_counts",
    "tiny_network",
]

#: the weights of the chapter's network (w⁽¹⁾₁₁ is the one the explorer varies)
DEFAULT_WEIGHTS = {
    "W1": np.array([[0.5, -0.4], [-0.6, 0.8]]),
    "b1": np.array([0.1, -0.2]),
    "W2": np.array([[1.5, -1.0]]),
    "b2": np.array([0.3]),
}
SHAPES = {"W1": (2, 2), "b1": (2,), "W2": (1, 2), "b2": (1,)}


def tiny_network(W1, b1, W2, b2):
    """``Sequential(Linear(2, 2), Sigmoid(), Linear(2, 1))`` holding copies of the weights."""
    weights = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    weights = {k: check_array(k, v, shape=SHAPES[k]).astype(np.float64) for k, v in weights.items()}
    model = nn.Sequential(nn.Linear(2, 2, rng=0), nn.Sigmoid(), nn.Linear(2, 1, rng=0))
    model[0].weight[...], model[0].bias[...] = weights["W1"], weights["b1"]
    model[2].weight[...], model[2].bias[...] = weights["W2"], weights["b2"]
    return model


def network_pass(x, y, W1=None, b1=None, W2=None, b2=None):
    """Every value of one forward and one backward pass, computed by ``paramopt.nn``.

    ``x`` has shape (2,), ``y`` is a number; weights default to :data:`DEFAULT_WEIGHTS`.
    Returns a dict of float arrays: ``x, y, W1, b1, W2, b2`` (the inputs), ``z1, a1,
    y_hat, loss`` (forward), ``delta2, grad_W2, grad_b2, grad_a1, sigma_prime, delta1,
    grad_W1, grad_b1`` (backward; the formulas are in the module docstring).
    """
    x = check_array("x", x, shape=(2,)).astype(np.float64)
    y = check_real("y", y)
    given = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    weights = {k: DEFAULT_WEIGHTS[k] if v is None else v for k, v in given.items()}
    model = tiny_network(**weights)
    linear1, sigmoid, linear2 = model
    loss = nn.MSELoss()
    z1 = linear1.forward(x[None, :])  # a batch of one example
    a1 = sigmoid.forward(z1)
    y_hat = linear2.forward(a1)
    value = loss.forward(y_hat, np.array([[y]]))
    delta2 = loss.backward()  # ∂L/∂ŷ = 2(ŷ − y)
    grad_a1 = linear2.backward(delta2)  # W⁽²⁾ᵀ δ⁽²⁾, sets ∂L/∂W⁽²⁾ and ∂L/∂b⁽²⁾
    delta1 = sigmoid.backward(grad_a1)  # ∂L/∂a⁽¹⁾ ⊙ σ′(z⁽¹⁾)
    linear1.backward(delta1, input_grad=False)  # sets ∂L/∂W⁽¹⁾ and ∂L/∂b⁽¹⁾
    return {
        "x": x,
        "y": y,
        **{k: p.copy() for k, p in zip(SHAPES, model.parameters(), strict=True)},
        "z1": z1[0],
        "a1": a1[0],
        "y_hat": float(y_hat[0, 0]),
        "loss": value,
        "delta2": float(delta2[0, 0]),
        "grad_W2": linear2.grad_weight.copy(),
        "grad_b2": linear2.grad_bias.copy(),
        "grad_a1": grad_a1[0],
        "sigma_prime": a1[0] * (1 - a1[0]),
        "delta1": delta1[0],
        "grad_W1": linear1.grad_weight.copy(),
        "grad_b1": linear1.grad_bias.copy(),
    }


# -- operation counts ----------------------------------------------------------------


def _check_widths(widths):
    widths = list(widths)
    if len(widths) < 2:
        raise ValueError(f"widths must hold at least two layer widths, got {widths!r}")
    widths = [check_positive_int(f"widths[{i}]", w) for i, w in enumerate(widths)]
    if widths[-1] != 1:
        raise ValueError(f"the last width must be 1 (one output, a scalar loss), got {widths!r}")
    return widths


def operation_counts(widths):
    """Multiplications needed for all gradients of a sigmoid MLP on one example.

    ``widths = [d₀, d₁, …, d_K]`` with d_K = 1: K Linear layers, a sigmoid after every
    layer but the last, loss L = (ŷ − y)². Only multiplications are counted (additions,
    σ and the loss's subtraction cost about the same in every method). Layer k has
    n_k = d_k d_{k−1} weights and d_k biases; P = Σ_k (n_k + d_k) parameters in all.

    forward             F = Σ_k n_k                  (the products W⁽ᵏ⁾ a⁽ᵏ⁻¹⁾)
    backprop (backward) 1 + Σ_k n_k + Σ_{k≥2} (n_k + 2 d_{k−1})
                        (δ⁽ᴷ⁾ = 2(ŷ − y); δ⁽ᵏ⁾ a⁽ᵏ⁻¹⁾ᵀ for every k; W⁽ᵏ⁾ᵀ δ⁽ᵏ⁾, then
                        σ′ = a(1 − a) and ⊙ for every k ≥ 2)
    finite differences  2 P F                        (two forward passes per parameter)
    paths               Σ_{k<K} d_k + 1 + Σ_k [n_k (p_k·2(K − k) + 1) + d_k p_k·2(K − k)]
                        (every σ′ once, δ⁽ᴷ⁾ once, then each parameter on its own) where
                        p_k = Π_{m=k+1}^{K−1} d_m is the number of paths from a unit of
                        layer k to the output, each a product of K − k weights and K − k
                        values σ′ (see :func:`gradient_by_paths`).

    Returns ``{"parameters": P, "forward": F, "backward": …, "finite_differences": …,
    "paths": …}`` as Python ints (exact, however large).
    """
    d = _check_widths(widths)
    depth = len(d) - 1
    n = [None] + [d[m] * d[m - 1] for m in range(1, depth + 1)]  # n[m]: weights of layer m
    forward = sum(n[1:])
    backward = 1 + sum(n[1:]) + sum(n[m] + 2 * d[m - 1] for m in range(2, depth + 1))
    parameters = sum(n[1:]) + sum(d[1:])
    paths = sum(d[1:depth]) + 1  # every σ′ once, and δ⁽ᴷ⁾
    for m in range(1, depth + 1):
        routes = math.prod(d[m + 1 : depth])  # units in layers m+1 … K−1 (d_K = 1)
        hops = 2 * (depth - m)
        paths += n[m] * (routes * hops + 1) + d[m] * routes * hops
    return {
        "parameters": parameters,
        "forward": forward,
        "backward": backward,
        "finite_differences": 2 * parameters * forward,
        "paths": paths,
    }


def _sigmoid_mlp_layers(model):
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be a Sequential, got {type(model).__name__}")
    layers = list(model)
    linears = layers[0::2]
    ok = all(isinstance(m, nn.Linear) for m in linears) and all(
        isinstance(m, nn.Sigmoid) for m in layers[1::2]
    )
    if not ok or len(layers) % 2 == 0 or linears[-1].out_features != 1:
        raise ValueError(
            "model must alternate Linear and Sigmoid, starting and ending with a Linear "
            f"that has one output, got {model!r}"
        )
    return linears


def gradient_by_paths(model, x, y):
    """Gradients of L = (ŷ − y)² for a sigmoid MLP, each parameter on its own, by paths.

    Without reuse, ∂L/∂w⁽ˡ⁾ⱼᵢ = a⁽ˡ⁻¹⁾ᵢ · Σ_p δ⁽ᴷ⁾ Π_{hops of p} σ′(z) w for a network
    of K layers: the sum runs over every path p from unit j of layer l to the output,
    and each hop from a unit u of layer m−1 to a unit v of layer m multiplies by
    σ′(z⁽ᵐ⁻¹⁾ᵤ) and w⁽ᵐ⁾ᵥᵤ (∂L/∂b⁽ˡ⁾ⱼ is the same sum without the factor a). This is the
    chain rule applied path by path, the way one would differentiate by hand without
    naming the δs.

    ``model``: ``Sequential(Linear, Sigmoid, …, Linear)`` with one output; ``x`` shape
    (d₀,). Returns ``(gradients, multiplications)``: a list aligned with
    ``model.parameters()`` and the number of multiplications used after the forward pass
    (it equals ``operation_counts(widths)["paths"]``).
    """
    linears = _sigmoid_mlp_layers(model)
    x = check_array("x", x, shape=(linears[0].in_features,)).astype(np.float64)
    y = check_real("y", y)
    a = [x]  # a[m] = a⁽ᵐ⁾, a⁽⁰⁾ = x
    for i, layer in enumerate(linears):
        z = layer.weight @ a[-1] + layer.bias
        a.append(z if i == len(linears) - 1 else nn.sigmoid(z))
    depth = len(linears)
    mults = 0
    sigma_prime = [None] + [a[m] * (1 - a[m]) for m in range(1, depth)]
    mults += sum(len(a[m]) for m in range(1, depth))
    delta_out = 2 * (a[depth][0] - y)
    mults += 1

    def path_sum(layer, unit):
        """Σ over paths from ``unit`` of ``layer`` to the output, and its multiplications."""
        total, count = 0.0, 0
        widths = [linears[m - 1].out_features for m in range(layer + 1, depth)]
        for route in itertools.product(*(range(w) for w in widths)):
            units = (unit, *route, 0)
            product = delta_out
            for m in range(layer + 1, depth + 1):  # hop into layer m
                u, v = units[m - layer - 1], units[m - layer]
                product = product * sigma_prime[m - 1][u] * linears[m - 1].weight[v, u]
                count += 2
            total += product
        return total, count

    gradients = []
    for layer, linear in enumerate(linears, start=1):
        grad_w = np.empty_like(linear.weight)
        grad_b = np.empty_like(linear.bias)
        for j in range(linear.out_features):
            for k in range(linear.in_features):  # each weight on its own: no reuse
                total, count = path_sum(layer, j)
                grad_w[j, k] = total * a[layer - 1][k]
                mults += count + 1
            grad_b[j], count = path_sum(layer, j)
            mults += count
        gradients += [grad_w, grad_b]
    return gradients, mults
