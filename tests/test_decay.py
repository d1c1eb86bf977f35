"""paramopt.decay: chapter 7's 2-D comparison and its digits loop."""

import numpy as np
import pytest

import paramopt as po
from paramopt import surfaces
from paramopt.decay import (
    KINDS,
    decay_optimizer,
    decay_paths,
    decoupled_limit,
    effective_decay,
    parameter_norm,
    train_mlp,
)
from paramopt.surfaces import ShiftedQuadratic

RNG = np.random.default_rng(0)
THETA0 = [RNG.normal(size=(3, 4)), RNG.normal(size=4)]


# -- the 2-D problem and the paths --------------------------------------------------------


def test_shifted_quadratic_gradient_and_ridge_minimum():
    surface = ShiftedQuadratic(center=(2.0, -1.0), kappa=5.0)
    theta, h = np.array([0.3, 0.7]), 1e-6
    numeric = [
        (surface.value(theta + e) - surface.value(theta - e)) / (2 * h) for e in np.eye(2) * h
    ]
    np.testing.assert_allclose(surface.grad(theta), numeric, rtol=1e-7)
    for lam in (0.0, 0.5, 3.0):
        ridge = surface.ridge_minimum(lam)
        np.testing.assert_allclose(surface.grad(ridge) + lam * ridge, 0.0, atol=1e-12)
    with pytest.raises(ValueError, match="kappa"):
        ShiftedQuadratic(kappa=0.5)
    with pytest.raises(ValueError, match="center must have shape"):
        ShiftedQuadratic(center=(1.0, 2.0, 3.0))


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_l2_paths_end_at_the_l2_minimum(optimizer):
    surface = ShiftedQuadratic()
    for lam in (0.5, 2.0):
        paths = decay_paths(optimizer, lam)
        assert set(paths) == set(KINDS)
        np.testing.assert_allclose(paths["l2"].theta[-1], surface.ridge_minimum(lam), atol=1e-5)
        np.testing.assert_allclose(paths["none"].theta[-1], surface.center, atol=1e-5)


def test_sgdw_ends_at_the_l2_minimum_of_a_weaker_coefficient():
    surface = ShiftedQuadratic()
    lam = 1.0
    end = decay_paths("sgd", lam)["decoupled"].theta[-1]
    np.testing.assert_allclose(end, surface.ridge_minimum(0.1 * lam), atol=1e-6)  # (1 - μ)λ
    np.testing.assert_allclose(end, decoupled_limit("sgd", lam), atol=1e-6)
    assert np.abs(end - surface.ridge_minimum(lam)).max() > 0.5


def test_adamw_settles_in_the_box_of_radius_one_over_lambda():
    surface = ShiftedQuadratic()
    end = decay_paths("adam", 2.0, steps=3000)["decoupled"].theta[-1]
    np.testing.assert_allclose(end, [0.5, 0.5], atol=5e-3)
    np.testing.assert_allclose(decoupled_limit("adam", 2.0), [0.5, 0.5])
    np.testing.assert_allclose(decoupled_limit("adam", 0.5), [2.0, 1.5])
    assert np.abs(end - surface.ridge_minimum(2.0)).max() > 0.3


def test_decay_optimizer_and_limit_reject_bad_input():
    with pytest.raises(ValueError, match="optimizer must be one of"):
        decay_optimizer("rmsprop", "l2", 0.1)
    with pytest.raises(ValueError, match="kind must be one of"):
        decay_optimizer("sgd", "L1", 0.1)
    with pytest.raises(ValueError, match="Invalid weight_decay"):
        decay_optimizer("sgd", "l2", -0.1)
    with pytest.raises(ValueError, match="Invalid weight_decay"):
        decoupled_limit("adam", 0.0)


def test_a_blown_up_path_raises_diverged():
    huge = ShiftedQuadratic(kappa=1e4)
    with pytest.raises(po.Diverged):
        surfaces.run(huge, decay_optimizer("sgd", "l2", 0.1), (0.0, 1.0), 200)


# -- effective decay and the digits loop --------------------------------------------------


def test_effective_decay_of_adam_and_adamw():
    grads = [[np.full((3, 4), 10.0), np.full(4, 0.01)]] * 3
    adam = po.optim.Adam([p.copy() for p in THETA0], lr=0.01, weight_decay=0.1)
    adamw = po.optim.AdamW([p.copy() for p in THETA0], lr=0.01, weight_decay=0.1)
    with pytest.raises(ValueError, match="taken a step"):
        effective_decay(adam)
    for g in grads:
        adam.step(g)
        adamw.step(g)
    for rate in effective_decay(adamw):
        np.testing.assert_allclose(rate, 1e-3)
    big, small = effective_decay(adam)
    t, state = 3, adam.state[0]
    v_hat = state["exp_avg_sq"] / (1 - 0.999**t)
    np.testing.assert_allclose(big, 1e-3 / (np.sqrt(v_hat) + 1e-8))
    assert small.min() > 10 * big.max()  # large gradient history: decayed far less
    with pytest.raises(TypeError, match="Adam or AdamW"):
        effective_decay(po.optim.SGD([np.ones(2)]))


@pytest.fixture(scope="module")
def digits():
    X, y = po.data.load_digits()
    return X[:150], y[:150]


def test_train_mlp_is_deterministic_and_learns(digits):
    X, y = digits
    make = lambda p: po.optim.Adam(p, lr=1e-2)  # noqa: E731
    net, opt = train_mlp(X, y, make, hidden=16, epochs=15, rng=3)
    again, _ = train_mlp(X, y, make, hidden=16, epochs=15, rng=3)
    for a, b in zip(net.parameters(), again.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert po.train.accuracy(net, X, y) > 0.9
    assert opt.state[0]["step"] == 15 * 5  # 150 rows in batches of 32: 5 per epoch
    norm = parameter_norm(net)
    assert norm == pytest.approx(np.sqrt(sum(np.sum(p**2) for p in net.parameters())))


def test_weight_decay_shrinks_the_weights(digits):
    X, y = digits
    norms = [
        parameter_norm(
            train_mlp(
                X,
                y,
                lambda p, lam=lam: po.optim.AdamW(p, 1e-2, weight_decay=lam),
                hidden=16,
                epochs=10,
            )[0]
        )  # fmt: skip
        for lam in (0.0, 1.0, 5.0)
    ]
    assert norms[0] > norms[1] > norms[2]


def test_train_mlp_rejects_bad_input_and_reports_divergence(digits):
    X, y = digits
    make = lambda p: po.optim.SGD(p, lr=0.1)  # noqa: E731
    with pytest.raises(ValueError, match="one per row"):
        train_mlp(X, y[:-1], make)
    with pytest.raises(ValueError, match="Invalid epochs: 0"):
        train_mlp(X, y, make, epochs=0)
    with pytest.raises(ValueError, match="Invalid hidden: 0"):
        train_mlp(X, y, make, hidden=0)
    with pytest.raises(TypeError, match="make_optimizer must be callable"):
        train_mlp(X, y, "adam")
    with pytest.raises(TypeError, match="paramopt.optim optimiser"):
        train_mlp(X, y, lambda params: object())
    with pytest.raises(po.Diverged, match="diverged at step [0-9]+: loss"):
        train_mlp(X, y, lambda p: po.optim.SGD(p, lr=1e300), epochs=1)
