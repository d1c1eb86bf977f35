import numpy as np
import pytest

import paramopt as po


@pytest.fixture(scope="module")
def digits():
    X, y = po.data.load_digits()
    return po.data.train_test_split(X, y, test_fraction=0.25, rng=0)


def run(X, y, *, lr=0.3, epochs=3, batch_size=32, seed=0, model_seed=0, **kwargs):
    model = po.nn.mlp([64, 16, 10], "relu", "kaiming", rng=model_seed)
    opt = po.optim.SGD(model.parameters(), lr=lr)
    history = po.train.fit(
        model,
        po.nn.CrossEntropyLoss(),
        opt,
        X,
        y,
        epochs=epochs,
        batch_size=batch_size,
        rng=seed,
        **kwargs,
    )
    return model, history


def test_training_reduces_the_loss_and_learns_the_digits(digits):
    Xtr, Xva, ytr, yva = digits
    model, h = run(Xtr, ytr, epochs=5, X_val=Xva, y_val=yva)
    assert h.train_loss[-1] < 0.3 * h.train_loss[0]
    assert h.val_accuracy[-1] > 0.75 and h.train_accuracy[-1] > 0.75  # chance: 0.1
    assert h.val_accuracy[0] < 0.3  # an untrained net guesses
    assert po.train.accuracy(model, Xva, yva) == h.val_accuracy[-1]


def test_history_shapes_and_bookkeeping(digits):
    Xtr, _, ytr, _ = digits
    n = len(Xtr)  # 1348 = 42·32 + 4: the last batch of every epoch holds 4 examples
    _, h = run(Xtr, ytr, epochs=2, batch_size=32)
    per_epoch = -(-n // 32)
    assert h.steps == 2 * per_epoch and h.epochs == 2
    assert h.loss.shape == h.examples.shape == (h.steps,)
    assert h.examples[per_epoch - 1] == n and h.examples[-1] == 2 * n
    assert h.examples[per_epoch - 1] - h.examples[per_epoch - 2] == n % 32
    np.testing.assert_array_equal(h.eval_step, [0, per_epoch, 2 * per_epoch])
    assert h.train_loss.shape == h.train_accuracy.shape == (3,)
    assert h.val_loss is None and h.val_accuracy is None
    np.testing.assert_allclose(h.epoch_loss, [h.loss[:per_epoch].mean(), h.loss[per_epoch:].mean()])
    _, dropped = run(Xtr, ytr, epochs=1, batch_size=32, drop_last=True)
    assert dropped.steps == n // 32 and dropped.examples[-1] == 32 * (n // 32)


def test_the_first_step_loss_is_the_initial_minibatch_loss(digits):
    Xtr, _, ytr, _ = digits
    _, h = run(Xtr, ytr, epochs=1, batch_size=len(Xtr))  # full batch: step 1 sees all of X
    assert h.loss[0] == pytest.approx(h.train_loss[0], rel=1e-12)


def test_same_seed_same_history_other_seed_other_history(digits):
    Xtr, Xva, ytr, yva = digits
    _, a = run(Xtr, ytr, X_val=Xva, y_val=yva)
    _, b = run(Xtr, ytr, X_val=Xva, y_val=yva)
    for name in ("loss", "epoch_loss", "train_loss", "val_loss", "val_accuracy"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    _, c = run(Xtr, ytr, seed=1, X_val=Xva, y_val=yva)
    assert not np.array_equal(a.loss, c.loss)
    np.testing.assert_array_equal(a.train_loss[0], c.train_loss[0])  # same initial model
    gen = np.random.default_rng(0)  # a Generator gives the same as its seed
    model = po.nn.mlp([64, 16, 10], "relu", "kaiming", rng=0)
    d = po.train.fit(
        model,
        po.nn.CrossEntropyLoss(),
        po.optim.SGD(model.parameters(), lr=0.3),
        Xtr,
        ytr,
        epochs=3,
        batch_size=32,
        rng=gen,
    )
    np.testing.assert_array_equal(a.loss, d.loss)


def test_float32_models_train_on_float64_data(digits):
    Xtr, _, ytr, _ = digits
    model = po.nn.mlp([64, 16, 10], "relu", "kaiming", rng=0, dtype=np.float32)
    h = po.train.fit(
        model,
        po.nn.CrossEntropyLoss(),
        po.optim.Adam(model.parameters(), lr=1e-2),
        Xtr,
        ytr,
        epochs=2,
        batch_size=64,
        rng=0,
    )
    assert model.dtype == np.float32 and h.train_loss[-1] < 0.5 * h.train_loss[0]


def test_mse_regression_has_no_accuracy():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 3))
    y = X @ np.array([[1.0], [-2.0], [0.5]])
    model = po.nn.Linear(3, 1, rng=0)
    h = po.train.fit(
        model, po.nn.MSELoss(), po.optim.SGD(model.parameters(), lr=0.1), X, y,
        epochs=20, batch_size=10, rng=0,
    )  # fmt: skip
    assert h.train_accuracy is None and h.train_loss[-1] < 1e-3 * h.train_loss[0]


def test_mode_switches_train_for_steps_and_eval_for_evaluation(digits):
    Xtr, _, ytr, _ = digits
    modes = []

    class Spy(po.nn.ReLU):
        def forward(self, x):
            modes.append((self.training, len(x)))
            return super().forward(x)

    model = po.nn.Sequential(po.nn.Linear(64, 8, rng=0), Spy(), po.nn.Linear(8, 10, rng=1))
    model.eval()
    po.train.fit(
        model, po.nn.CrossEntropyLoss(), po.optim.SGD(model.parameters(), lr=0.1),
        Xtr[:100], ytr[:100], epochs=1, batch_size=50, rng=0,
    )  # fmt: skip
    assert modes == [(False, 100), (True, 50), (True, 50), (False, 100)]
    assert model.training  # left in training mode, as after a torch training loop


def test_a_huge_learning_rate_diverges_with_the_step(digits):
    Xtr, _, ytr, _ = digits
    model = po.nn.mlp([64, 16, 10], "relu", "kaiming", rng=0, dtype=np.float32)
    with pytest.raises(po.Diverged, match="diverged at step 2: loss is not finite") as info:
        po.train.fit(
            model, po.nn.CrossEntropyLoss(), po.optim.SGD(model.parameters(), lr=1e20),
            Xtr, ytr, epochs=2, batch_size=32, rng=0,
        )  # fmt: skip
    assert (info.value.step, info.value.what) == (2, "loss")


def test_regression_divergence_reports_the_loss():
    X = np.linspace(-1, 1, 20)[:, None] * 1e3
    model = po.nn.Linear(1, 1, rng=0)
    with pytest.raises(po.Diverged) as info:
        po.train.fit(
            model, po.nn.MSELoss(), po.optim.SGD(model.parameters(), lr=10.0), X, X,
            epochs=50, batch_size=20, rng=0,
        )  # fmt: skip
    assert info.value.step > 1  # GD with lr above 2/L: the error grows geometrically
    assert info.value.what in ("loss", "gradient", "parameters")


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"epochs": 0}, ValueError, "Invalid epochs: 0"),
        ({"epochs": 2.0}, TypeError, "epochs must be an int"),
        ({"batch_size": 0}, ValueError, "Invalid batch_size: 0"),
        ({"batch_size": True}, TypeError, "batch_size must be an int"),
        ({"rng": "seed"}, TypeError, "rng must be a numpy.random.Generator"),
        ({"X": np.ones((10, 64))}, ValueError, "y must have one row per row of X"),
        ({"X": np.ones(64)}, ValueError, "X must be a non-empty 2-D array"),
        ({"X": np.full((20, 64), "a")}, TypeError, "X must be a numeric array"),
        ({"X": np.full((20, 64), np.nan)}, ValueError, "X must be finite"),
        ({"X_val": np.ones((5, 64))}, ValueError, "give X_val and y_val together"),
        (
            {"X_val": np.ones((5, 3)), "y_val": np.zeros(5)},
            ValueError,
            "X_val must have the features",
        ),
        ({"loss": "ce"}, TypeError, "loss must be a paramopt.nn loss"),
        ({"optimizer": None}, TypeError, "optimizer must be a paramopt.optim"),
        ({"model": "mlp"}, TypeError, "model must be a paramopt.nn Module"),
        ({"model": po.nn.ReLU()}, ValueError, "model has no parameters"),
        ({"batch_size": 30, "drop_last": True}, ValueError, "leaves no batch"),
    ],
)
def test_bad_arguments_are_named(change, error, match):
    model = po.nn.mlp([64, 8, 10], rng=0)
    args = {
        "model": model,
        "loss": po.nn.CrossEntropyLoss(),
        "optimizer": po.optim.SGD(model.parameters(), lr=0.1),
        "X": np.zeros((20, 64)),
        "y": np.zeros(20, dtype=int),
        "epochs": 1,
        "batch_size": 4,
        "rng": 0,
    }
    args.update(change)
    before = [p.copy() for p in model.parameters()]
    with pytest.raises(error, match=match):
        po.train.fit(**args)
    for p, q in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p, q)  # nothing changed


def test_an_optimiser_of_other_parameters_is_refused():
    model, other = po.nn.Linear(4, 2, rng=0), po.nn.Linear(4, 2, rng=1)
    with pytest.raises(ValueError, match="optimizer must be built on model.parameters"):
        po.train.fit(
            model, po.nn.CrossEntropyLoss(), po.optim.SGD(other.parameters(), lr=0.1),
            np.zeros((4, 4)), np.zeros(4, dtype=int), epochs=1, batch_size=2, rng=0,
        )  # fmt: skip


def test_accuracy_counts_argmax_hits_and_restores_the_mode():
    model = po.nn.Linear(2, 2, rng=0)
    model.weight[...] = np.eye(2)
    model.bias[...] = 0
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0], [0.0, 3.0]])
    assert po.train.accuracy(model, X, [0, 1, 1, 1]) == 0.75
    assert model.training
    with pytest.raises(ValueError, match="y must have one row per row of X"):
        po.train.accuracy(model, X, [0, 1])
    with pytest.raises(ValueError, match="one output per class"):
        po.train.accuracy(po.nn.Linear(2, 1, rng=0), X, [0, 1, 1, 1])


# -- gradient_descent: chapter 0's loop on a linear classifier ---------------------------


def test_gradient_descent_stops_for_perceptron_but_not_logistic():
    X, y = po.data.two_blobs(20, distance=4.0, spread=0.7, rng=0)
    kwargs = dict(w=np.array([1.0, -0.5]), b=0.5, lr=0.2, steps=200)
    perceptron = po.train.gradient_descent("perceptron", X, y, **kwargs)
    logistic = po.train.gradient_descent("logistic", X, y, **kwargs)
    assert perceptron["grad_norm"][-1] == 0 and perceptron["misclassified"][-1] == 0
    assert np.all(logistic["grad_norm"] > 0)
    assert np.all(np.diff(np.linalg.norm(logistic["w"][100:], axis=1)) > 0)


def test_gradient_descent_leaves_its_start_unchanged():
    X, y = po.data.two_blobs(5, rng=1)
    w = np.array([1.0, 2.0])
    po.train.gradient_descent("logistic", X, y, w, 0.0, lr=0.5, steps=5)
    np.testing.assert_array_equal(w, [1.0, 2.0])


@pytest.mark.parametrize(
    ("lr", "steps", "match"),
    [
        (-1, 3, r"Invalid lr: -1 \(must be > 0.0\)"),
        (0.1, -3, r"Invalid steps: -3 \(must be >= 0\)"),
    ],
)
def test_gradient_descent_names_a_bad_argument(lr, steps, match):
    with pytest.raises(ValueError, match=match):
        po.train.gradient_descent(
            "hinge", np.ones((2, 2)), np.ones(2), np.ones(2), 0, lr=lr, steps=steps
        )
