"""Chapter 2's widget and experiments: gradient profiles of deep networks, dying ReLUs."""

import numpy as np
import pytest

import paramopt as po
from paramopt.widgets.depth import depth_explorer, dying_relu, gradient_profile, probe_batch


def test_profile_matches_a_manual_backward_pass():
    profile = gradient_profile(4, "tanh", "he", width=8, seed=3)
    X, y = probe_batch(seed=3)
    model = po.nn.mlp([16, 8, 8, 8, 1], "tanh", "kaiming", rng=3)
    loss = po.nn.MSELoss()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    expected = [np.linalg.norm(m.grad_weight) for m in model if isinstance(m, po.nn.Linear)]
    np.testing.assert_allclose(profile["norms"], expected, rtol=1e-12)
    assert profile["ratio"] == pytest.approx(expected[0] / expected[-1])


def test_deep_sigmoid_vanishes_and_relu_he_or_batchnorm_do_not():
    assert gradient_profile(20, "sigmoid", "xavier")["ratio"] < 1e-8
    assert gradient_profile(20, "relu", "default")["ratio"] < 1e-4  # torch's default init
    assert 1e-2 < gradient_profile(20, "relu", "he")["ratio"] < 1e2
    assert 1e-2 < gradient_profile(20, "sigmoid", "xavier", True)["ratio"] < 1e2


def test_profile_bias_sets_every_linear_bias():
    X, y = probe_batch(seed=2)
    model = po.nn.mlp([16, 8, 8, 1], "relu", "default", rng=2)
    for m in model:
        if isinstance(m, po.nn.Linear):
            m.bias[...] = 0.0
    loss = po.nn.MSELoss()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    expected = [np.linalg.norm(m.grad_weight) for m in model if isinstance(m, po.nn.Linear)]
    zeroed = gradient_profile(3, "relu", "default", width=8, bias=0.0, seed=2)
    np.testing.assert_allclose(zeroed["norms"], expected, rtol=1e-12)
    kept = gradient_profile(3, "relu", "default", width=8, seed=2)
    assert not np.allclose(kept["norms"], expected)  # the default's own biases are not zero


def test_default_init_vanishes_because_of_its_biases():
    # the same weights with zero biases: activations and error signals shrink together
    for seed in range(3):
        with_bias = gradient_profile(20, "relu", "default", seed=seed)["ratio"]
        without = gradient_profile(20, "relu", "default", bias=0.0, seed=seed)["ratio"]
        assert with_bias < 1e-4 and 0.1 < without < 10


def test_overflow_is_reported_as_divergence():
    with pytest.raises(po.Diverged, match="forward pass at layer"):
        gradient_profile(50, "relu", "normal", std=1e8)
    with pytest.raises(po.Diverged, match="weight gradient of layer"):
        gradient_profile(50, "relu", "normal", std=1e3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"depth": 1}, ValueError, "at least 2"),
        ({"depth": 5, "activation": "gelu"}, ValueError, "activation must be one of"),
        ({"depth": 5, "init": "orthogonal"}, ValueError, "init must be one of"),
        ({"depth": 5, "batchnorm": "yes"}, TypeError, "batchnorm must be a bool"),
        ({"depth": 5, "std": -1.0}, ValueError, "Invalid std"),
        ({"depth": 5, "bias": float("nan")}, ValueError, "bias"),
        ({"depth": 5, "bias": "zero"}, TypeError, "bias"),
    ],
)
def test_profile_rejects_bad_settings(kwargs, error, match):
    with pytest.raises(error, match=match):
        gradient_profile(**kwargs)


def test_explorer_grid_and_controls():
    explorer = depth_explorer()
    sizes = [len(c.values) for c in explorer.controls.values()]
    assert sizes == [2, 3, 3, 2] and np.prod(sizes) == 36
    default = {name: c.value for name, c in explorer.controls.items()}
    base = explorer.frame(**default)
    assert "20 layers of a sigmoid network with xavier" in base.text
    for name, control in explorer.controls.items():
        other = next(v for v in control.values if v != control.value)
        assert explorer.frame(**{**default, name: other}).png != base.png, name


def test_explorer_frame_says_diverged_instead_of_failing():
    explorer = depth_explorer(std=1e8)
    frame = explorer.frame(depth=50, activation="relu", init="normal", batchnorm=False)
    assert frame.text.startswith("diverged at step") and frame.diverged_at > 0


def test_dying_relu_trends():
    slow, fast = dying_relu(0.01), dying_relu(1.0)
    assert slow["dead_before"] == fast["dead_before"]  # same initialisation
    dead = {
        lr: np.mean([dying_relu(lr, seed=s)["dead_after"] for s in range(3)]) for lr in (0.01, 1.0)
    }
    assert dead[1.0] > dead[0.01] + 0.15  # a large step kills units (on average over seeds)
    assert dying_relu(0.01, bias=-1.5)["dead_before"] > slow["dead_before"] + 0.05
    assert 0 <= slow["dead_after"] <= 1 and slow["steps"] == 30 * 10


def test_dying_relu_counts_dead_units_per_layer():
    for lr, bias in ((1.0, 0.0), (0.01, -1.5)):
        run = dying_relu(lr, bias=bias, hidden=(64, 32), epochs=10)
        before, after = run["dead_before_by_layer"], run["dead_after_by_layer"]
        assert len(before) == len(after) == 2
        assert run["dead_before"] == pytest.approx((64 * before[0] + 32 * before[1]) / 96)
        assert run["dead_after"] == pytest.approx((64 * after[0] + 32 * after[1]) / 96)
        assert after[0] >= before[0]  # a dead first-layer unit gets no gradient: dead for good
    assert dying_relu(1.0, hidden=(64, 32), epochs=10)["dead_after_by_layer"][1] > 0.2


def test_dying_relu_validates_and_reports_divergence():
    with pytest.raises(ValueError, match="Invalid lr"):
        dying_relu(-0.1)
    with pytest.raises(po.Diverged):
        dying_relu(1e300, epochs=3)
