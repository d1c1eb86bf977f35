"""Layer reports show vanishing gradients, dead ReLUs and saturation where theory says."""

import numpy as np
import pytest

import paramopt as po
from paramopt.diagnostics import (
    LayerStats,
    dying_relu,
    format_report,
    gradient_profile,
    layer_report,
    probe_batch,
)

DEEP = [10] + [32] * 19 + [3]  # 20 Linear layers


@pytest.fixture(scope="module")
def batch():
    rng = np.random.default_rng(0)
    return rng.normal(size=(128, 10)), rng.integers(0, 3, 128)


def report(model, batch):
    return layer_report(model, *batch, po.nn.CrossEntropyLoss())


def grad_ratio(model, batch):
    """‖∂L/∂W‖ of the first Linear over that of the last."""
    records = report(model, batch)
    assert [r.depth for r in records] == list(range(1, 21))
    return records[0].weight_grad_norm / records[-1].weight_grad_norm


def test_deep_sigmoid_with_normal_init_vanishes(batch):
    assert grad_ratio(po.nn.mlp(DEEP, "sigmoid", "normal", rng=1), batch) < 1e-2
    # Xavier keeps the activations unsaturated, but σ′ ≤ 1/4 still shrinks every layer
    assert grad_ratio(po.nn.mlp(DEEP, "sigmoid", "xavier", rng=1), batch) < 1e-6


@pytest.mark.parametrize(
    ("activation", "init", "batchnorm"),
    [("relu", "kaiming", False), ("relu", "normal", True), ("sigmoid", "normal", True)],
)
def test_relu_he_or_batchnorm_keep_gradients_within_two_orders(batch, activation, init, batchnorm):
    model = po.nn.mlp(DEEP, activation, init, batchnorm=batchnorm, rng=1)
    assert 1e-2 < grad_ratio(model, batch) < 1e2


def test_records_match_a_manual_pass(batch):
    x, y = batch
    model = po.nn.mlp([10, 6, 5, 3], "tanh", batchnorm=True, rng=2)
    records = report(model, batch)
    assert [(r.index, r.depth, r.shape, r.activation) for r in records] == [
        (0, 1, (6, 10), "Tanh"),
        (3, 2, (5, 6), "Tanh"),
        (6, 3, (3, 5), None),
    ]
    loss = po.nn.CrossEntropyLoss()
    a = model[2].forward(model[1].forward(model[0].forward(x)))
    loss.forward(model.forward(x), y)
    model.backward(loss.backward())
    first = records[0]
    assert first.weight_grad_norm == pytest.approx(np.linalg.norm(model[0].grad_weight))
    assert first.bias_grad_norm == pytest.approx(np.linalg.norm(model[0].grad_bias))
    assert first.weight_norm == pytest.approx(np.linalg.norm(model[0].weight))
    assert first.mean_abs == pytest.approx(np.abs(a).mean())
    assert first.std == pytest.approx(a.std())
    assert first.frac_saturated == pytest.approx(np.mean(np.abs(a) > 0.99))
    assert records[-1].frac_saturated is None
    assert all(isinstance(r, LayerStats) for r in records)


def test_report_leaves_the_model_alone(batch):
    model = po.nn.mlp([10, 6, 3], "relu", batchnorm=True, rng=2)
    before = [a.copy() for a in model.parameters() + model.gradients()]
    report(model, batch)
    after = model.parameters() + model.gradients()
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))
    assert model[1].num_batches_tracked == 0 and not model[1].running_mean.any()


def test_dead_relu_units_are_counted_and_pass_no_gradient(batch):
    model = po.nn.mlp([10, 8, 8, 3], "relu", "kaiming", rng=3)
    model[0].bias[:4] = -1e3  # half the first layer's units never fire
    first = report(model, batch)[0]
    assert first.frac_dead == 0.5 and first.frac_zero >= 0.5
    model[0].bias[:] = -1e3  # now all of them: nothing reaches the first layer
    records = report(model, batch)
    assert records[0].frac_dead == 1.0 and records[0].frac_zero == 1.0
    assert records[0].weight_grad_norm == 0.0
    assert records[-1].bias_grad_norm > 0  # the output layer still learns its bias
    healthy = report(po.nn.mlp([10, 8, 8, 3], "relu", "kaiming", rng=3), batch)
    assert all(r.frac_dead < 0.5 and 0.2 < r.frac_zero < 0.8 for r in healthy[:-1])


def test_saturation_grows_with_the_weight_scale(batch):
    for activation in ("sigmoid", "tanh"):
        big = report(po.nn.mlp([10, 32, 32, 3], activation, "normal", std=10.0, rng=4), batch)
        small = report(po.nn.mlp([10, 32, 32, 3], activation, "xavier", rng=4), batch)
        assert all(r.frac_saturated > 0.5 for r in big[:-1])
        assert all(r.frac_saturated < 0.05 for r in small[:-1])


def test_format_report_and_errors(batch):
    text = format_report(report(po.nn.mlp([10, 4, 3], "sigmoid", rng=0), batch))
    lines = text.splitlines()
    assert len(lines) == 3 and "Sigmoid" in lines[1] and lines[2].endswith("-")
    with pytest.raises(TypeError, match="Sequential"):
        layer_report(po.nn.Linear(10, 3), *batch, po.nn.CrossEntropyLoss())
    with pytest.raises(ValueError, match="saturation"):
        layer_report(po.nn.mlp([10, 3]), *batch, po.nn.CrossEntropyLoss(), saturation=0.7)
    with pytest.raises(ValueError, match="10 features"):
        layer_report(po.nn.mlp([10, 3]), np.ones((2, 4)), [0, 1], po.nn.CrossEntropyLoss())


def test_report_uses_one_forward_pass_and_names_an_overflow(batch):
    x, y = batch
    model = po.nn.mlp([10, 6, 5, 3], "relu", "normal", std=1e200, rng=0)
    with pytest.raises(po.Diverged, match="forward pass at layer 2") as info:
        layer_report(model, x, y, po.nn.CrossEntropyLoss())
    assert info.value.step == 2


# -- gradient profiles (chapter 2) ---------------------------------------------------------


def test_profile_matches_a_manual_backward_pass():
    profile = gradient_profile(4, "tanh", "he", width=8, rng=3)
    X, y = probe_batch(rng=3)
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
    X, y = probe_batch(rng=2)
    model = po.nn.mlp([16, 8, 8, 1], "relu", "default", rng=2)
    for m in model:
        if isinstance(m, po.nn.Linear):
            m.bias[...] = 0.0
    loss = po.nn.MSELoss()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    expected = [np.linalg.norm(m.grad_weight) for m in model if isinstance(m, po.nn.Linear)]
    zeroed = gradient_profile(3, "relu", "default", width=8, bias=0.0, rng=2)
    np.testing.assert_allclose(zeroed["norms"], expected, rtol=1e-12)
    kept = gradient_profile(3, "relu", "default", width=8, rng=2)
    assert not np.allclose(kept["norms"], expected)  # the default's own biases are not zero


def test_default_init_vanishes_because_of_its_biases():
    # the same weights with zero biases: activations and error signals shrink together
    for seed in range(3):
        with_bias = gradient_profile(20, "relu", "default", rng=seed)["ratio"]
        without = gradient_profile(20, "relu", "default", bias=0.0, rng=seed)["ratio"]
        assert with_bias < 1e-4 and 0.1 < without < 10


def test_overflow_is_reported_as_divergence():
    with pytest.raises(po.Diverged, match="forward pass at layer"):
        gradient_profile(50, "relu", "normal", std=1e8)
    with pytest.raises(po.Diverged, match="weight gradient of layer"):
        gradient_profile(50, "relu", "normal", std=1e3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"depth": 1}, ValueError, "Invalid depth"),
        ({"depth": 5.0}, TypeError, "depth must be an int"),
        ({"depth": 5, "activation": "gelu"}, ValueError, "activation must be one of"),
        ({"depth": 5, "init": "orthogonal"}, ValueError, "init must be one of"),
        ({"depth": 5, "batchnorm": "yes"}, TypeError, "batchnorm must be True or False"),
        ({"depth": 5, "width": 0}, ValueError, "Invalid width"),
        ({"depth": 5, "rng": 1.5}, TypeError, "rng must be"),
        ({"depth": 5, "std": -1.0}, ValueError, "Invalid std"),
        ({"depth": 5, "bias": float("nan")}, ValueError, "bias"),
        ({"depth": 5, "bias": "zero"}, TypeError, "bias"),
    ],
)
def test_profile_rejects_bad_settings(kwargs, error, match):
    with pytest.raises(error, match=match):
        gradient_profile(**kwargs)


def test_dying_relu_trends():
    slow, fast = dying_relu(0.01), dying_relu(1.0)
    assert slow["dead_before"] == fast["dead_before"]  # same initialisation
    dead = {
        lr: np.mean([dying_relu(lr, rng=s)["dead_after"] for s in range(3)]) for lr in (0.01, 1.0)
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


def test_profile_and_dying_relu_take_a_generator():
    seeded = gradient_profile(5, "tanh", "he", width=8, rng=4)
    generator = np.random.default_rng(4)
    drawn = gradient_profile(5, "tanh", "he", width=8, rng=generator)
    np.testing.assert_array_equal(seeded["norms"], drawn["norms"])
    assert generator.bit_generator.state == np.random.default_rng(4).bit_generator.state
    X, _ = probe_batch(rng=np.random.default_rng(4))
    np.testing.assert_array_equal(X, probe_batch(rng=4)[0])
    assert dying_relu(0.1, epochs=2, rng=np.random.default_rng(1)) == dying_relu(
        0.1, epochs=2, rng=1
    )
