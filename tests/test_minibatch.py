"""Chapter 3's experiments: batch-size sweeps, minibatch noise, noisy descent."""

import numpy as np
import pytest

import paramopt as po
from paramopt.minibatch import (
    batch_sweep,
    minibatch_noise,
    noisy_descent,
    softmax_regression,
    step_noise,
)


@pytest.fixture(scope="module")
def digits():
    X, y = po.data.load_digits()
    return X[:400], y[:400]


@pytest.fixture(scope="module")
def sweep(digits):
    X, y = digits
    return batch_sweep(X, y, [10, 40, 400], [0.1, 1.0, 10.0], epochs=3)


def test_sweep_runs_the_grid_from_one_start(sweep, digits):
    X, _ = digits
    assert list(sweep) == [(b, lr) for b in (10, 40, 400) for lr in (0.1, 1.0, 10.0)]
    for (b, _lr), h in sweep.items():
        if isinstance(h, po.Diverged):
            continue
        assert h.batch_size == b and h.steps == 3 * -(-len(X) // b)
        assert h.train_loss[0] == sweep[10, 0.1].train_loss[0]  # the same θ₀
    assert sweep[400, 1.0].steps == 3  # full batch: one step per epoch
    # per pass over the data, small batches get further
    assert sweep[10, 1.0].train_loss[-1] < sweep[400, 1.0].train_loss[-1]


def test_noise_falls_with_the_batch_size(sweep):
    noise = [step_noise(sweep[b, 0.1]) for b in (10, 40)]
    assert noise[1] < noise[0]
    assert step_noise(sweep[400, 0.1], skip=0.0) < 0.3 * noise[1]  # full batch: drift only
    with pytest.raises(ValueError, match="at least 3 steps"):
        step_noise(sweep[400, 0.1])


def test_minibatch_noise_matches_the_sampling_formula(digits):
    X, y = digits
    model = softmax_regression(64, 10, rng=0)
    before = [p.copy() for p in model.parameters()]
    out = minibatch_noise(model, po.nn.CrossEntropyLoss(), X, y, [4, 16, 64, 400], draws=300)
    assert out["loss_std"].shape == out["grad_dev"].shape == (1, 4)  # one repeat
    np.testing.assert_allclose(out["loss_std"][0, :3], out["loss_std_theory"][:3], rtol=0.15)
    np.testing.assert_allclose(out["grad_dev"][0, :3], out["grad_dev_theory"][:3], rtol=0.15)
    assert out["loss_std_theory"][-1] == 0 and out["loss_std"][0, -1] < 1e-12  # B = N: exact
    ratio = out["grad_dev"][0, 0] / out["grad_dev"][0, 1]
    assert 1.7 < ratio < 2.3  # 4× the batch, half the noise
    for p, q in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p, q)


def test_minibatch_noise_repeats_draw_afresh(digits):
    X, y = digits
    model = softmax_regression(64, 10, rng=0)
    loss = po.nn.CrossEntropyLoss()
    one = minibatch_noise(model, loss, X, y, [4, 16], draws=50, rng=3)
    three = minibatch_noise(model, loss, X, y, [4, 16], draws=50, repeats=3, rng=3)
    assert three["grad_dev"].shape == three["loss_std"].shape == (3, 2)
    np.testing.assert_array_equal(three["grad_dev"][0], one["grad_dev"][0])  # same first draws
    assert len(set(three["grad_dev"][:, 0])) == 3  # fresh draws in every repeat
    np.testing.assert_array_equal(three["grad_dev_theory"], one["grad_dev_theory"])
    # the spread over repeats is the sampling noise of the measurement: around the formula
    many = minibatch_noise(model, loss, X, y, [16], draws=100, repeats=8, rng=4)
    assert abs(many["grad_dev"].mean() / many["grad_dev_theory"][0] - 1) < 0.1


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"repeats": 0}, ValueError, "Invalid repeats"),
        ({"repeats": 1.5}, TypeError, "repeats must be an int"),
        ({"draws": 1}, ValueError, "Invalid draws"),
    ],
)
def test_minibatch_noise_rejects_bad_settings(digits, kwargs, error, match):
    X, y = digits
    model = softmax_regression(64, 10, rng=0)
    with pytest.raises(error, match=match):
        minibatch_noise(model, po.nn.CrossEntropyLoss(), X, y, [4], **kwargs)


def test_noisy_descent_gd_stays_noise_escapes():
    well = po.surfaces.DoubleWell(0.25)
    gd = noisy_descent(well, (1.0, 0.0), lr=0.05, noise=0.0, steps=200, runs=5)
    assert gd.shape == (201, 2, 5)
    np.testing.assert_array_equal(gd[-1], np.array([[1.0] * 5, [0.0] * 5]))
    noisy = noisy_descent(well, (1.0, 0.0), lr=0.05, noise=3.0, steps=400, runs=200)
    escaped = np.mean(noisy[-1, 0] < well.tilt)
    assert 0.5 < escaped < 1.0
    again = noisy_descent(well, (1.0, 0.0), lr=0.05, noise=3.0, steps=400, runs=200)
    np.testing.assert_array_equal(noisy, again)
    annealed = noisy_descent(well, (1.0, 0.0), lr=0.05, noise=4.0, steps=400, runs=200, decay=True)
    spread = np.abs(annealed[-1, 0] + 1)[annealed[-1, 0] < well.tilt]
    assert np.median(spread) < 0.1  # the decaying rate lets the runs settle


def test_noisy_descent_reports_divergence():
    with pytest.raises(po.Diverged, match="diverged at step") as info:
        noisy_descent("double_well", (1.0, 0.0), lr=0.05, noise=50.0, steps=400, runs=50)
    assert info.value.step >= 1


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lr": 0.0}, ValueError, "Invalid lr"),
        ({"noise": -1.0}, ValueError, "Invalid noise"),
        ({"steps": 0}, ValueError, "Invalid steps"),
        ({"runs": 2.5}, TypeError, "runs must be an int"),
        ({"decay": "yes"}, TypeError, "decay must be True or False"),
        ({"start": (1.0, 0.0, 0.0)}, ValueError, "start must have shape"),
    ],
)
def test_noisy_descent_rejects_bad_settings(kwargs, error, match):
    args = {"start": (1.0, 0.0), "lr": 0.1, "noise": 1.0, "steps": 10, "runs": 3, **kwargs}
    start = args.pop("start")
    with pytest.raises(error, match=match):
        noisy_descent("double_well", start, **args)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_sizes": [10, 5]}, ValueError, "batch_sizes must be a non-empty increasing"),
        ({"batch_sizes": [10, 500]}, ValueError, "at most len"),
        ({"lrs": [0.1, -1.0]}, ValueError, "Invalid lrs"),
        ({"epochs": 0}, ValueError, "Invalid epochs"),
    ],
)
def test_sweep_rejects_bad_settings(digits, kwargs, error, match):
    X, y = digits
    args = {"batch_sizes": [10, 400], "lrs": [0.1], "epochs": 1, **kwargs}
    with pytest.raises(error, match=match):
        batch_sweep(X, y, **args)


def test_sweep_takes_a_generator_and_leaves_it_alone(digits):
    X, y = digits
    by_seed = batch_sweep(X, y, [40, 400], [0.1, 1.0], epochs=1, rng=5)
    generator = np.random.default_rng(5)
    state = generator.bit_generator.state
    by_generator = batch_sweep(X, y, [40, 400], [0.1, 1.0], epochs=1, rng=generator)
    assert generator.bit_generator.state == state  # every run copies it
    for key, history in by_seed.items():
        np.testing.assert_array_equal(history.loss, by_generator[key].loss)


def test_noisy_descent_takes_a_generator():
    args = {"lr": 0.05, "noise": 3.0, "steps": 20, "runs": 4}
    seeded = noisy_descent("double_well", (1.0, 0.0), rng=2, **args)
    drawn = noisy_descent("double_well", (1.0, 0.0), rng=np.random.default_rng(2), **args)
    np.testing.assert_array_equal(seeded, drawn)
    with pytest.raises(TypeError, match="rng must be"):
        noisy_descent("double_well", (1.0, 0.0), rng=1.5, **args)
