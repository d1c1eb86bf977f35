"""paramopt.nn against torch.nn: outputs, every gradient, running statistics, errors, inits."""

import contextlib
import math
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paramopt as po

RTOL, ATOL = 1e-10, 1e-10  # atol: exact zeros (bias before BatchNorm) vs rounding noise
ACTIVATION_NAMES = ["relu", "leaky_relu", "sigmoid", "tanh"]


# ---------------------------------------------------------------- helpers


def torch_module(torch, module):
    """The torch.nn twin of a paramopt module, with the same parameters and state."""
    nn = torch.nn
    if isinstance(module, po.nn.Sequential):
        twin = nn.Sequential(*[torch_module(torch, layer) for layer in module])
    elif isinstance(module, po.nn.Linear):
        twin = nn.Linear(module.in_features, module.out_features, dtype=torch.float64)
    elif isinstance(module, po.nn.BatchNorm1d):
        twin = nn.BatchNorm1d(module.num_features, module.eps, module.momentum, dtype=torch.float64)
        with torch.no_grad():
            twin.running_mean.copy_(torch.from_numpy(module.running_mean))
            twin.running_var.copy_(torch.from_numpy(module.running_var))
            twin.num_batches_tracked.fill_(module.num_batches_tracked)
    elif isinstance(module, po.nn.LeakyReLU):
        twin = nn.LeakyReLU(module.negative_slope)
    else:
        twin = {po.nn.ReLU: nn.ReLU, po.nn.Sigmoid: nn.Sigmoid, po.nn.Tanh: nn.Tanh}[type(module)]()
    if not isinstance(module, po.nn.Sequential):
        with torch.no_grad():
            for p, q in zip(twin.parameters(), module.parameters(), strict=True):
                p.copy_(torch.from_numpy(q))
    return twin.train(module.training)


def randomize(module, rng):
    """Random parameters, and for BatchNorm random running statistics too."""
    layers = module if isinstance(module, po.nn.Sequential) else [module]
    for layer in layers:
        for p in layer.parameters():
            p[...] = rng.normal(size=p.shape)
        if isinstance(layer, po.nn.BatchNorm1d):
            layer.running_mean[...] = rng.normal(size=layer.num_features)
            layer.running_var[...] = rng.uniform(0.5, 2.0, size=layer.num_features)
    return module


def close(actual, expected, rtol=RTOL, atol=ATOL):
    expected = expected.detach().numpy() if hasattr(expected, "detach") else expected
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def check_against_torch(torch, module, x, rng):
    """forward, ∂L/∂x and every ∂L/∂θ for L = Σ r ⊙ y with random r, vs torch autograd."""
    twin = torch_module(torch, module)
    xt = torch.tensor(x, requires_grad=True)
    yt = twin(xt)
    y = module.forward(x)
    close(y, yt)
    r = rng.normal(size=y.shape)
    yt.backward(torch.from_numpy(r))
    close(module.backward(r), xt.grad)
    for g, p in zip(module.gradients(), twin.parameters(), strict=True):
        close(g, p.grad)
    return twin


def snapshot(*objects):
    return pickle.dumps(objects)


def simple_modules():
    return {
        "Linear": lambda: po.nn.Linear(4, 3, rng=0),
        "ReLU": po.nn.ReLU,
        "LeakyReLU": lambda: po.nn.LeakyReLU(0.2),
        "Sigmoid": po.nn.Sigmoid,
        "Tanh": po.nn.Tanh,
        "BatchNorm1d": lambda: po.nn.BatchNorm1d(4),
        "Sequential": lambda: po.nn.mlp([4, 5, 3], "tanh", batchnorm=True, rng=0),
    }


MODULES = simple_modules()


# ---------------------------------------------------------------- parity with torch


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("name", MODULES)
def test_module_matches_torch(torch, name, training):
    rng = np.random.default_rng(1)
    module = randomize(MODULES[name](), rng).train(training)
    check_against_torch(torch, module, rng.normal(size=(6, 4)), rng)


@settings(max_examples=20, deadline=None)
@given(
    n=st.integers(2, 9),
    d_in=st.integers(1, 7),
    d_out=st.integers(1, 7),
    seed=st.integers(0, 2**16),
    training=st.booleans(),
)
def test_linear_and_batchnorm_random_shapes(torch, n, d_in, d_out, seed, training):
    rng = np.random.default_rng(seed)
    model = po.nn.Sequential(po.nn.Linear(d_in, d_out, rng=rng), po.nn.BatchNorm1d(d_out))
    randomize(model, rng).train(training)
    check_against_torch(torch, model, rng.normal(size=(n, d_in)) * 3, rng)


def test_activations_at_extreme_inputs_match_torch_without_warnings(torch):
    x = np.array([[-1000.0, -50.0, -1e-300, 0.0, 1e-300, 50.0, 1000.0]])
    rng = np.random.default_rng(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for module in [po.nn.ReLU(), po.nn.LeakyReLU(), po.nn.Sigmoid(), po.nn.Tanh()]:
            check_against_torch(torch, module, x, rng)


def test_relu_gradient_at_zero_is_zero_and_leaky_is_slope():
    x = np.zeros((1, 2))
    relu, leaky = po.nn.ReLU(), po.nn.LeakyReLU(0.3)
    relu.forward(x), leaky.forward(x)
    assert relu.backward(np.ones((1, 2))).tolist() == [[0.0, 0.0]]
    assert leaky.backward(np.ones((1, 2))).tolist() == [[0.3, 0.3]]


@pytest.mark.parametrize("batchnorm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_mlp_training_steps_match_torch(torch, activation, batchnorm):
    """Four SGD steps in train mode, then eval: losses, gradients and BN state agree."""
    rng = np.random.default_rng(2)
    model = po.nn.mlp([3, 6, 5, 4], activation, "kaiming", batchnorm=batchnorm, rng=3)
    twin = torch_module(torch, model)
    loss, twin_loss = po.nn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    for _ in range(4):
        x, labels = rng.normal(size=(8, 3)), rng.integers(0, 4, 8)
        xt = torch.tensor(x, requires_grad=True)
        twin.zero_grad()
        lt = twin_loss(twin(xt), torch.from_numpy(labels))
        lt.backward()
        assert loss.forward(model.forward(x), labels) == pytest.approx(lt.item(), rel=RTOL)
        close(model.backward(loss.backward()), xt.grad)
        with torch.no_grad():
            for p, g, q in zip(
                model.parameters(), model.gradients(), twin.parameters(), strict=True
            ):
                close(g, q.grad)
                p -= 0.5 * g
                q -= 0.5 * q.grad
    for layer, ref in zip(model, twin, strict=True):
        if isinstance(layer, po.nn.BatchNorm1d):
            close(layer.running_mean, ref.running_mean)
            close(layer.running_var, ref.running_var)
            assert layer.num_batches_tracked == ref.num_batches_tracked.item() == 4
    model.eval(), twin.eval()
    assert not any(layer.training for layer in model)
    check_against_torch(torch, model, rng.normal(size=(5, 3)), rng)


def test_batchnorm_cumulative_momentum_none_matches_torch(torch):
    rng = np.random.default_rng(4)
    bn = po.nn.BatchNorm1d(3, momentum=None)
    twin = torch_module(torch, bn)
    for n in (2, 5, 9):
        x = rng.normal(2.0, 3.0, size=(n, 3))
        bn.forward(x), twin(torch.from_numpy(x))
    close(bn.running_mean, twin.running_mean)
    close(bn.running_var, twin.running_var)


def test_batchnorm_eval_accepts_batch_of_one_and_uses_running_stats():
    bn = randomize(po.nn.BatchNorm1d(2), np.random.default_rng(0)).eval()
    before = bn.running_mean.copy()
    y = bn.forward(np.array([[1.0, 2.0]]))
    expected = (np.array([1.0, 2.0]) - bn.running_mean) / np.sqrt(bn.running_var + 1e-5)
    close(y[0], expected * bn.weight + bn.bias)
    assert np.array_equal(bn.running_mean, before) and bn.num_batches_tracked == 0


def test_mse_loss_matches_torch(torch):
    rng = np.random.default_rng(5)
    for shape in [(7,), (4, 3)]:
        pred, target = rng.normal(size=shape), rng.normal(size=shape)
        pt = torch.tensor(pred, requires_grad=True)
        lt = torch.nn.MSELoss()(pt, torch.from_numpy(target))
        lt.backward()
        loss = po.nn.MSELoss()
        assert loss.forward(pred, target) == pytest.approx(lt.item(), rel=RTOL)
        close(loss.backward(), pt.grad)


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 8), c=st.integers(1, 6), scale=st.sampled_from([1.0, 30.0, 1e3]))
def test_cross_entropy_matches_torch(torch, n, c, scale):
    rng = np.random.default_rng(n * 100 + c)
    logits, labels = rng.normal(size=(n, c)) * scale, rng.integers(0, c, n)
    zt = torch.tensor(logits, requires_grad=True)
    lt = torch.nn.CrossEntropyLoss()(zt, torch.from_numpy(labels))
    lt.backward()
    loss = po.nn.CrossEntropyLoss()
    value = loss.forward(logits, labels)
    assert math.isfinite(value)
    assert value == pytest.approx(lt.item(), rel=RTOL, abs=ATOL)
    close(loss.backward(), zt.grad)


def test_cross_entropy_accepts_integral_float_labels():
    loss = po.nn.CrossEntropyLoss()
    logits = np.array([[1.0, 2.0], [0.5, -1.0]])
    assert loss.forward(logits, np.array([1.0, 0.0])) == loss.forward(logits, [1, 0])


# ---------------------------------------------------------------- dtypes


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_float32_stays_float32_and_agrees_with_float64(activation):
    rng = np.random.default_rng(6)
    model64 = po.nn.mlp([5, 8, 3], activation, batchnorm=True, rng=7)
    model32 = po.nn.mlp([5, 8, 3], activation, batchnorm=True, rng=7, dtype=np.float32)
    x, labels = rng.normal(size=(6, 5)), rng.integers(0, 3, 6)
    results = {}
    for model, dtype in [(model64, np.float64), (model32, np.float32)]:
        loss = po.nn.CrossEntropyLoss()
        y = model.forward(x.astype(dtype))
        value = loss.forward(y, labels)
        grad = loss.backward()
        gx = model.backward(grad)
        assert {y.dtype, grad.dtype, gx.dtype} == {np.dtype(dtype)}
        assert {a.dtype for a in model.parameters() + model.gradients()} == {np.dtype(dtype)}
        assert all(layer.running_var.dtype == dtype for layer in model[1:2])
        results[dtype] = (value, gx, model.gradients())
    assert results[np.float32][0] == pytest.approx(results[np.float64][0], rel=1e-5)
    close(results[np.float32][1], results[np.float64][1], rtol=1e-3, atol=1e-5)
    for g32, g64 in zip(results[np.float32][2], results[np.float64][2], strict=True):
        close(g32, g64, rtol=1e-3, atol=1e-5)


def test_to_converts_parameters_gradients_and_buffers():
    model = po.nn.mlp([2, 3, 1], batchnorm=True, rng=0).to(np.float32)
    assert model.dtype == np.float32
    assert all(a.dtype == np.float32 for a in model.parameters() + model.gradients())
    assert model[1].running_mean.dtype == np.float32
    pred = po.nn.MSELoss().forward(model.forward(np.ones((4, 2), np.float32)), np.zeros((4, 1)))
    assert math.isfinite(pred)
    with pytest.raises(TypeError, match="float32 or float64"):
        model.to(np.int64)


# ---------------------------------------------------------------- bad input changes nothing


def bad_forward_cases():
    """(module factory, bad input, error type, message pattern)."""
    x = np.ones((5, 4))
    linear = lambda: po.nn.Linear(3, 2, rng=0)  # noqa: E731
    return {
        "wrong width": (
            linear,
            x,
            ValueError,
            r"^Linear expected input with 3 features, got shape \(5, 4\)$",
        ),
        "int input": (linear, np.ones((5, 3), int), TypeError, "float32 or float64"),
        "bool input": (po.nn.ReLU, np.ones((5, 3), bool), TypeError, "dtype bool"),
        "1-D input": (linear, np.ones(3), ValueError, r"2-D input .* shape \(3,\)"),
        "3-D input": (po.nn.Tanh, np.ones((2, 3, 3)), ValueError, r"2-D .* \(2, 3, 3\)"),
        "empty batch": (linear, np.ones((0, 3)), ValueError, "empty batch"),
        "nan input": (linear, np.array([[1.0, np.nan, 0.0]]), ValueError, "must be finite"),
        "inf input": (po.nn.Sigmoid, np.array([[np.inf]]), ValueError, "must be finite"),
        "float32 into float64": (linear, np.ones((5, 3), np.float32), TypeError, "float64 param"),
        "bn batch of one": (
            lambda: po.nn.BatchNorm1d(3),
            np.ones((1, 3)),
            ValueError,
            "Expected more than 1 value per channel when training",
        ),
        "bn width": (lambda: po.nn.BatchNorm1d(3), x, ValueError, "3 features"),
        "batch of one reaches BN in a chain": (
            lambda: po.nn.mlp([3, 4, 2], batchnorm=True, rng=0),
            np.ones((1, 3)),
            ValueError,
            "layer 1: Expected more than 1 value",
        ),
        "mis-built chain": (
            lambda: po.nn.Sequential(po.nn.Linear(3, 4, rng=0), po.nn.Linear(5, 2, rng=0)),
            np.ones((2, 3)),
            ValueError,
            r"layer 1: Linear expected input with 5 features, got shape \(2, 4\)",
        ),
    }


BAD_FORWARD = bad_forward_cases()


@pytest.mark.parametrize("case", BAD_FORWARD)
def test_bad_forward_input_raises_and_changes_nothing(case):
    factory, x, error, pattern = BAD_FORWARD[case]
    module = factory()
    rng = np.random.default_rng(0)
    good = rng.normal(size=(2, module[0].in_features if hasattr(module, "layers") else 3))
    with contextlib.suppress(ValueError):
        module.forward(good)  # so that there is cached state to protect
    before = snapshot(module)
    with pytest.raises(error, match=pattern):
        module.forward(x)
    assert snapshot(module) == before


@pytest.mark.parametrize("name", MODULES)
def test_backward_before_forward_raises_runtime_error(name):
    module = MODULES[name]()
    before = snapshot(module)
    with pytest.raises(RuntimeError, match="backward called before forward"):
        module.backward(np.ones((6, 3)))
    assert snapshot(module) == before


@pytest.mark.parametrize("name", MODULES)
def test_backward_with_wrong_gradient_raises_and_changes_nothing(name):
    module = MODULES[name]()
    y = module.forward(np.random.default_rng(0).normal(size=(6, 4)))
    before = snapshot(module)
    with pytest.raises(ValueError, match="must have the output's shape"):
        module.backward(np.ones((y.shape[0] + 1, y.shape[1])))
    bad = np.ones_like(y)
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="must be finite"):
        module.backward(bad)
    with pytest.raises(TypeError, match="dtype int"):
        module.backward(np.ones(y.shape, int))
    assert snapshot(module) == before


@pytest.mark.parametrize(
    ("labels", "error", "pattern"),
    [
        ([0, 3, 1], ValueError, r"in \[0, 3\).* got 3 at index 1"),
        ([0, -1, 1], ValueError, "got -1 at index 1"),
        ([0.0, 1.5, 1.0], ValueError, r"integer class indices, got 1\.5 at index 1"),
        ([0.0, np.nan, 1.0], ValueError, "got nan at index 1"),
        (["a", "b", "c"], TypeError, "integer class indices"),
        ([0, 1], ValueError, r"shape \(3,\)"),
        ([[0], [1], [2]], ValueError, r"shape \(3,\)"),
    ],
)
def test_cross_entropy_bad_labels(labels, error, pattern):
    loss = po.nn.CrossEntropyLoss()
    loss.forward(np.zeros((3, 3)), [0, 1, 2])
    before = snapshot(loss)
    with pytest.raises(error, match=pattern):
        loss.forward(np.ones((3, 3)), labels)
    assert snapshot(loss) == before


@pytest.mark.parametrize(
    ("loss", "pred", "target", "error", "pattern"),
    [
        (po.nn.MSELoss, np.ones(4), np.ones((4, 1)), ValueError, r"same shape.*\(4,\).*\(4, 1\)"),
        (po.nn.MSELoss, np.ones(2), np.array([1.0, np.inf]), ValueError, "target must be finite"),
        (po.nn.MSELoss, np.array([np.nan, 1]), np.ones(2), ValueError, "pred must be finite"),
        (po.nn.MSELoss, np.ones(2, int), np.ones(2), TypeError, "pred must be a float"),
        (po.nn.CrossEntropyLoss, np.ones(3), [0, 1, 2], ValueError, "logits must be 2-D"),
        (po.nn.CrossEntropyLoss, np.ones((3, 2), int), [0, 1, 1], TypeError, "logits"),
    ],
)
def test_loss_bad_prediction(loss, pred, target, error, pattern):
    loss = loss()
    with pytest.raises(error, match=pattern):
        loss.forward(pred, target)
    with pytest.raises(RuntimeError, match="backward called before forward"):
        loss.backward()


@pytest.mark.parametrize(
    ("factory", "error", "pattern"),
    [
        (lambda: po.nn.Linear(0, 3), ValueError, "in_features"),
        (lambda: po.nn.Linear(2.5, 3), TypeError, "in_features"),
        (lambda: po.nn.Linear(2, True), TypeError, "out_features"),
        (lambda: po.nn.Linear(2, 3, rng="seed"), TypeError, "rng"),
        (lambda: po.nn.Linear(2, 3, dtype=np.int32), TypeError, "dtype"),
        (lambda: po.nn.BatchNorm1d(3, momentum=1.5), ValueError, "momentum"),
        (lambda: po.nn.BatchNorm1d(3, eps=0), ValueError, "eps"),
        (lambda: po.nn.LeakyReLU(float("nan")), ValueError, "negative_slope"),
        (lambda: po.nn.Sequential(po.nn.ReLU(), "relu"), TypeError, "item 1"),
        (lambda: po.nn.mlp([3]), ValueError, "widths"),
        (lambda: po.nn.mlp([3, 0]), ValueError, "widths"),
        (lambda: po.nn.mlp([3, 2], activation="swish"), ValueError, "activation"),
        (lambda: po.nn.mlp([3, 2], init="orthogonal"), ValueError, "init"),
    ],
)
def test_bad_constructor_arguments(factory, error, pattern):
    with pytest.raises(error, match=pattern):
        factory()


# ---------------------------------------------------------------- initialisation


def test_linear_default_init_is_torch_uniform_bound():
    layer = po.nn.Linear(400, 300, rng=0)
    bound = 1 / math.sqrt(400)
    for a in (layer.weight, layer.bias):
        assert np.abs(a).max() <= bound and np.abs(a).max() > 0.95 * bound
    assert layer.weight.std() == pytest.approx(bound / math.sqrt(3), rel=0.02)
    assert np.array_equal(po.nn.Linear(400, 300, rng=0).weight, layer.weight)
    assert not np.array_equal(po.nn.Linear(400, 300, rng=1).weight, layer.weight)


def test_calculate_gain_matches_torch(torch):
    for name, param in [
        ("linear", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
        ("selu", None),
    ]:
        expected = torch.nn.init.calculate_gain(name, param)
        assert po.nn.init.calculate_gain(name, param) == pytest.approx(expected, rel=1e-15)


INIT_CASES = [
    # (function, kwargs, distribution, expected bound for uniform / std for normal)
    ("xavier_uniform_", {"gain": 2.0}, "uniform", 2.0 * math.sqrt(6 / (300 + 200))),
    ("xavier_normal_", {"gain": 1.5}, "normal", 1.5 * math.sqrt(2 / (300 + 200))),
    ("kaiming_uniform_", {"nonlinearity": "relu"}, "uniform", math.sqrt(2) * math.sqrt(3 / 300)),
    ("kaiming_normal_", {"nonlinearity": "relu"}, "normal", math.sqrt(2) / math.sqrt(300)),
    ("kaiming_normal_", {"mode": "fan_out"}, "normal", math.sqrt(2) / math.sqrt(200)),
    ("kaiming_uniform_", {"a": math.sqrt(5)}, "uniform", 1 / math.sqrt(300)),
    ("normal_", {"std": 0.05}, "normal", 0.05),
]


@pytest.mark.parametrize(("name", "kwargs", "kind", "scale"), INIT_CASES)
def test_init_distribution_matches_formula_and_torch(torch, name, kwargs, kind, scale):
    w = np.empty((200, 300))
    assert getattr(po.nn.init, name)(w, rng=0, **kwargs) is w
    wt = getattr(torch.nn.init, name)(torch.empty(200, 300), **kwargs).numpy()
    if kind == "uniform":
        assert np.abs(w).max() <= scale and np.abs(w).max() > 0.999 * scale
        assert np.abs(wt).max() <= scale and np.abs(wt).max() > 0.999 * scale
        scale = scale / math.sqrt(3)
    assert w.std() == pytest.approx(scale, rel=0.02)
    assert wt.std() == pytest.approx(scale, rel=0.02)
    assert abs(w.mean()) < 0.02 * scale


def test_init_errors_and_float32():
    w = np.empty((3, 2), np.float32)
    assert po.nn.init.xavier_uniform_(w, rng=0).dtype == np.float32
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        po.nn.init.kaiming_normal_(np.empty(4))
    with pytest.raises(TypeError, match="float numpy array"):
        po.nn.init.normal_(np.zeros((2, 2), int))
    with pytest.raises(ValueError, match="mode"):
        po.nn.init.kaiming_uniform_(w, mode="fan_avg")
    with pytest.raises(ValueError, match="nonlinearity"):
        po.nn.init.kaiming_uniform_(w, nonlinearity="swish")
    with pytest.raises(ValueError, match="std"):
        po.nn.init.normal_(w, -1.0)


@pytest.mark.parametrize("batchnorm", [False, True])
def test_mlp_structure_and_named_inits(batchnorm):
    model = po.nn.mlp([10, 400, 300, 2], "sigmoid", "xavier", batchnorm=batchnorm, rng=0)
    kinds = [type(layer).__name__ for layer in model]
    hidden = ["Linear", "BatchNorm1d", "Sigmoid"] if batchnorm else ["Linear", "Sigmoid"]
    assert kinds == hidden * 2 + ["Linear"]
    bound = math.sqrt(6 / (400 + 300))
    assert np.abs(model[-1 - len(hidden)].weight).max() <= bound
    assert all(not layer.bias.any() for layer in model if isinstance(layer, po.nn.Linear))
    names = [name for name, _ in model.named_parameters()]
    assert names[:2] == ["0.weight", "0.bias"] and len(names) == len(model.parameters())
    he = po.nn.mlp([300, 400, 2], "relu", "kaiming", rng=0)
    assert he[0].weight.std() == pytest.approx(math.sqrt(2 / 300), rel=0.02)
    normal = po.nn.mlp([300, 400, 2], "tanh", "normal", std=0.1, rng=np.random.default_rng(0))
    assert normal[0].weight.std() == pytest.approx(0.1, rel=0.02)
    leaky = po.nn.mlp([300, 400, 2], po.nn.LeakyReLU, "kaiming_uniform", rng=0)
    bound = math.sqrt(2 / (1 + 0.01**2)) * math.sqrt(3 / 300)
    assert np.abs(leaky[0].weight).max() <= bound and np.abs(leaky[0].weight).max() > 0.99 * bound


# ---------------------------------------------------------------- Sequential specifics


def test_backward_without_input_grad_gives_the_same_parameter_gradients():
    rng = np.random.default_rng(8)
    x = rng.normal(size=(5, 3))
    inner = po.nn.Sequential(po.nn.Linear(3, 4, rng=0), po.nn.Tanh())
    model = po.nn.Sequential(po.nn.ReLU(), inner, po.nn.Linear(4, 2, rng=1))
    r = rng.normal(size=(5, 2))
    model.forward(x)
    grad_x = model.backward(r)
    expected = [g.copy() for g in model.gradients()]
    for g in model.gradients():
        g[...] = np.nan
    model.forward(x)
    assert model.backward(r, input_grad=False) is None
    for g, e in zip(model.gradients(), expected, strict=True):
        np.testing.assert_array_equal(g, e)
    assert grad_x.shape == x.shape
    relu_only = po.nn.Sequential(po.nn.ReLU(), po.nn.Tanh())
    relu_only.forward(x)
    assert relu_only.backward(np.ones_like(x), input_grad=False) is None


def test_nonfinite_scan_happens_at_the_boundaries():
    model = po.nn.mlp([2, 3, 2], rng=0)
    assert model.scan_nonfinite and not any(layer.scan_nonfinite for layer in model)
    assert po.nn.Linear(2, 3).scan_nonfinite
    model[0].weight[0, 0] = np.inf  # a diverged parameter: the loss reports it
    logits = model.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match="logits must be finite"):
        po.nn.CrossEntropyLoss().forward(logits, [0, 1, 0, 1])


def test_parameters_and_gradients_are_stable_objects_overwritten_by_backward():
    model = po.nn.mlp([3, 4, 2], batchnorm=True, rng=0)
    params, grads = model.parameters(), model.gradients()
    assert all(not g.any() for g in grads)  # zero before the first backward
    rng = np.random.default_rng(0)
    for _ in range(2):
        model.forward(rng.normal(size=(5, 3)))
        model.backward(np.ones((5, 2)))
        assert all(a is b for a, b in zip(model.parameters(), params, strict=True))
        assert all(a is b for a, b in zip(model.gradients(), grads, strict=True))
    first = [g.copy() for g in grads]
    model.forward(rng.normal(size=(5, 3)))
    model.backward(np.ones((5, 2)))
    assert not np.array_equal(first[0], grads[0])  # overwritten, not accumulated
    assert repr(model).startswith("Sequential(\n  (0): Linear(in_features=3, out_features=4)")


def test_batchnorm_defaults_match_torch(torch):
    bn, ref = po.nn.BatchNorm1d(3), torch.nn.BatchNorm1d(3)
    for ours, theirs in [
        (bn.weight, ref.weight),
        (bn.bias, ref.bias),
        (bn.running_mean, ref.running_mean),
        (bn.running_var, ref.running_var),
    ]:
        np.testing.assert_array_equal(ours, theirs.detach().numpy())
    assert (bn.eps, bn.momentum, bn.num_batches_tracked) == (ref.eps, ref.momentum, 0)
    params = bn.parameters()
    assert all(a is b for a, b in zip(bn.to(np.float64).parameters(), params, strict=True))


def test_the_one_sigmoid_is_stable_keeps_dtype_and_matches_torch(torch):
    x = np.array([-1000.0, -50.0, -1.0, 0.0, 1.0, 50.0, 1000.0])
    with np.errstate(over="raise", invalid="raise"):  # no overflow, no nan
        y = po.nn.sigmoid(x)
    np.testing.assert_allclose(y, torch.sigmoid(torch.from_numpy(x)).numpy(), rtol=1e-15, atol=0)
    assert po.nn.sigmoid(x.astype(np.float32)).dtype == np.float32
    assert not hasattr(po.classifier, "sigmoid")  # one sigmoid, not re-exported


def test_sequential_returns_every_activation_and_every_input_gradient():
    model = po.nn.mlp([3, 4, 2], "tanh", "xavier", rng=0)
    x = np.random.default_rng(1).normal(size=(5, 3))
    outputs = model.forward_all(x)
    assert [o.shape for o in outputs] == [(5, 4), (5, 4), (5, 2)]
    np.testing.assert_array_equal(outputs[1], np.tanh(outputs[0]))
    np.testing.assert_array_equal(outputs[-1], model.forward(x))
    grads = model.backward_all(np.ones((5, 2)))
    assert [g.shape for g in grads] == [(5, 3), (5, 4), (5, 4)]
    np.testing.assert_allclose(grads[1], grads[2] * (1 - outputs[1] ** 2))
    model.forward(x)
    np.testing.assert_array_equal(grads[0], model.backward(np.ones((5, 2))))
    with pytest.raises(ValueError, match="grad_y must have the output's shape"):
        model.backward_all(np.ones((5, 3)))
