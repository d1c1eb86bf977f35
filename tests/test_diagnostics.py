"""Layer reports show vanishing gradients, dead ReLUs and saturation where theory says."""

import numpy as np
import pytest

import paramopt as po
from paramopt.diagnostics import LayerStats, format_report, layer_report

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
