"""Chapter 1's experiments: a 2–2–1 network's pass, gradients by paths, operation counts."""

import numpy as np
import pytest

import paramopt as po
from paramopt.backprop import (
    DEFAULT_WEIGHTS,
    gradient_by_paths,
    network_pass,
    operation_counts,
    tiny_network,
)


def hand_pass(x, y, W1, b1, W2, b2):
    """The chapter's formulas, written out independently of paramopt.nn."""
    z1 = W1 @ x + b1
    a1 = 1 / (1 + np.exp(-z1))
    y_hat = float((W2 @ a1 + b2)[0])
    delta2 = 2 * (y_hat - y)
    delta1 = W2[0] * delta2 * a1 * (1 - a1)
    return {
        "z1": z1,
        "a1": a1,
        "y_hat": y_hat,
        "loss": (y_hat - y) ** 2,
        "delta2": delta2,
        "grad_W2": delta2 * a1[None, :],
        "grad_b2": np.array([delta2]),
        "grad_a1": W2[0] * delta2,
        "delta1": delta1,
        "grad_W1": np.outer(delta1, x),
        "grad_b1": delta1,
    }


@pytest.mark.parametrize("x", [(0.5, 1.0), (-1.0, 2.0), (2.0, 1.0)])
def test_network_pass_matches_the_hand_formulas(x):
    x = np.array(x)
    state = network_pass(x, 1.0)
    expected = hand_pass(x, 1.0, **DEFAULT_WEIGHTS)
    for key, value in expected.items():
        np.testing.assert_allclose(state[key], value, rtol=1e-12, err_msg=key)
    np.testing.assert_allclose(state["sigma_prime"], state["a1"] * (1 - state["a1"]))


def test_network_pass_gradients_match_finite_differences():
    x, y = np.array([0.7, -1.2]), 0.3
    state = network_pass(x, y)
    for name in ("W1", "b1", "W2", "b2"):

        def loss_at(value, name=name):
            weights = {**DEFAULT_WEIGHTS, name: value}
            return network_pass(x, y, **weights)["loss"]

        numeric = po.gradcheck.numerical_gradient(loss_at, DEFAULT_WEIGHTS[name])
        np.testing.assert_allclose(state["grad_" + name], numeric, rtol=1e-7, atol=1e-10)


def test_network_pass_validates_its_input():
    with pytest.raises(ValueError, match="x must have shape"):
        network_pass(np.zeros(3), 1.0)
    with pytest.raises(ValueError, match="W1 must have shape"):
        network_pass(np.zeros(2), 1.0, W1=np.zeros((3, 2)))
    with pytest.raises(TypeError, match="y must be a real number"):
        network_pass(np.zeros(2), "1")
    with pytest.raises(ValueError, match="Invalid y"):
        network_pass(np.zeros(2), float("nan"))


def test_tiny_network_copies_the_weights():
    W1 = DEFAULT_WEIGHTS["W1"].copy()
    model = tiny_network(W1, DEFAULT_WEIGHTS["b1"], DEFAULT_WEIGHTS["W2"], DEFAULT_WEIGHTS["b2"])
    model[0].weight[0, 0] = 99.0
    assert W1[0, 0] == DEFAULT_WEIGHTS["W1"][0, 0]


@pytest.mark.parametrize("widths", [[2, 2, 1], [3, 3, 3, 1], [2, 4, 3, 2, 1], [5, 1]])
def test_gradient_by_paths_agrees_with_backprop_and_its_count(widths):
    model = po.nn.mlp(widths, "sigmoid", rng=3)
    x, y = np.linspace(-1, 1, widths[0]), 0.4
    grads, mults = gradient_by_paths(model, x, y)
    loss = po.nn.MSELoss()
    loss.forward(model.forward(x[None, :]), np.array([[y]]))
    model.backward(loss.backward())
    for mine, theirs in zip(grads, model.gradients(), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-15)
    assert mults == operation_counts(widths)["paths"]


def test_operation_counts_by_hand_for_the_chapter_network():
    counts = operation_counts([2, 2, 1])
    # forward: W1 x (4) + W2 a (2); backward: δ2 (1), ∂W2 (2), W2ᵀδ2 (2), σ′ and ⊙ (2 + 2), ∂W1 (4)
    assert counts == {
        "parameters": 9,
        "forward": 6,
        "backward": 13,
        "finite_differences": 2 * 9 * 6,
        "paths": 21,
    }


def test_backprop_is_a_few_forward_passes_and_paths_explode():
    for width in (2, 10, 100):
        for depth in (2, 5, 10):
            c = operation_counts([width] * depth + [1])
            assert c["backward"] < 3 * c["forward"]
            assert c["finite_differences"] == 2 * c["parameters"] * c["forward"]
    deep = operation_counts([10] * 10 + [1])
    assert deep["paths"] > 1e6 * (deep["forward"] + deep["backward"])


@pytest.mark.parametrize(
    ("widths", "error", "match"),
    [
        ([2], ValueError, "at least two"),
        ([2, 3], ValueError, "last width must be 1"),
        ([2, 0, 1], ValueError, r"Invalid widths\[1\]: 0 \(must be >= 1\)"),
        ([2, 2.0, 1], TypeError, r"widths\[1\] must be an int"),
        ([2, True, 1], TypeError, r"widths\[1\] must be an int"),
    ],
)
def test_operation_counts_rejects_bad_widths(widths, error, match):
    with pytest.raises(error, match=match):
        operation_counts(widths)


def test_gradient_by_paths_needs_a_sigmoid_mlp():
    with pytest.raises(ValueError, match="alternate Linear and Sigmoid"):
        gradient_by_paths(po.nn.mlp([2, 2, 1], "relu", rng=0), np.zeros(2), 0.0)
    with pytest.raises(TypeError, match="Sequential"):
        gradient_by_paths(po.nn.Linear(2, 1), np.zeros(2), 0.0)


def test_gradient_by_paths_uses_the_stable_sigmoid():
    model = po.nn.mlp([2, 2, 1], "sigmoid", rng=0)
    model[0].weight[...] = [[1000.0, 0.0], [-1000.0, 0.0]]  # z = ±1000: saturated, no overflow
    with np.errstate(over="raise"):
        grads, _ = gradient_by_paths(model, np.array([1.0, 0.0]), 0.5)
    assert all(np.isfinite(g).all() for g in grads)
