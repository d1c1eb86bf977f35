"""paramopt.adaptive: replaying gradients, the Keras references, Reddi et al.'s problem."""

import numpy as np
import pytest

import paramopt as po
from paramopt import adaptive

RNG = np.random.default_rng(7)
GRADS = RNG.normal(size=(300, 3)) * np.array([1e-5, 1.0, 1e3])


def test_replay_matches_stepping_the_optimiser_by_hand():
    updates, opt = adaptive.replay("Adam", GRADS, lr=1e-2, betas=(0.8, 0.99))
    theta = np.zeros(3)
    manual = po.optim.Adam([theta], lr=1e-2, betas=(0.8, 0.99))
    previous = theta.copy()
    for t, g in enumerate(GRADS):
        manual.step([g])
        np.testing.assert_array_equal(updates[t], theta - previous)
        previous = theta.copy()
    assert opt.state[0]["step"] == len(GRADS)
    np.testing.assert_array_equal(opt.params[0], theta)


def test_replay_start_and_shapes():
    grads = np.ones((4, 2, 3))
    updates, opt = adaptive.replay("sgd", grads, start=np.full((2, 3), 5.0), lr=0.5)
    assert updates.shape == grads.shape
    np.testing.assert_allclose(opt.params[0], 5.0 - 4 * 0.5)


def test_adagrad_steps_under_a_constant_gradient_are_lr_over_root_t():
    updates, _ = adaptive.replay("adagrad", np.full((50, 1), -4.0), lr=0.3)
    np.testing.assert_allclose(updates[:, 0], 0.3 / np.sqrt(np.arange(1, 51)), rtol=1e-9)


def test_keras_adagrad_is_torch_adagrad_with_epsilon_in_the_accumulator():
    keras = adaptive.keras_adagrad(GRADS, lr=0.1, initial_accumulator_value=0.1, epsilon=1e-7)
    torch_form, _ = adaptive.replay(
        "adagrad", GRADS, lr=0.1, initial_accumulator_value=0.1 + 1e-7, eps=0.0
    )
    np.testing.assert_allclose(keras, torch_form, rtol=1e-9, atol=0)
    plain, _ = adaptive.replay("adagrad", GRADS, lr=0.1)  # torch defaults differ
    assert np.abs(plain - keras).max() > 1e-3


def test_keras_adam_equals_torch_adam_without_epsilon_and_differs_with_it():
    torch_0, _ = adaptive.replay("adam", GRADS, lr=1e-3, eps=0.0)
    np.testing.assert_allclose(adaptive.keras_adam(GRADS, epsilon=0.0), torch_0, rtol=1e-10)
    small = np.full((5, 1), 1e-7)
    keras = adaptive.keras_adam(small, lr=1.0, epsilon=1e-8)
    torch_form, _ = adaptive.replay("adam", small, lr=1.0, eps=1e-8)
    assert abs(keras[0, 0]) < abs(torch_form[0, 0]) / 3  # ε̂ counts 1/√(1-β2) more at t = 1


@pytest.mark.parametrize("t", [1, 7, 2000])
def test_keras_epsilon_hat_is_torch_epsilon_times_root_of_bias_correction(t):
    g = np.full((t, 1), 3e-4)
    eps = 1e-4
    torch_form, _ = adaptive.replay("adam", g, lr=1e-3, eps=eps)
    keras = adaptive.keras_adam(g, lr=1e-3, epsilon=eps * np.sqrt(1 - 0.999**t))
    assert keras[-1, 0] == pytest.approx(torch_form[-1, 0], rel=1e-10)


def test_reddi_counterexample_adam_goes_to_the_worst_point_amsgrad_to_the_best():
    adam = adaptive.reddi_counterexample(steps=1500)
    ams = adaptive.reddi_counterexample(steps=1500, amsgrad=True)
    assert adam[0] == 0 and len(adam) == 1501
    assert np.all(np.abs(adam) <= 1) and np.all(np.abs(ams) <= 1)
    assert adam[-300:].mean() > 0.95
    assert ams[-300:].mean() < -0.95


def test_reddi_counterexample_with_a_long_memory_is_harmless():
    assert adaptive.reddi_counterexample(steps=1500, beta2=0.999)[-300:].mean() < -0.9


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: adaptive.replay("lion", GRADS), "optimizer"),
        (lambda: adaptive.replay("adam", 1.0), "grads"),
        (lambda: adaptive.replay("adam", GRADS, start=np.zeros(2)), "start"),
        (lambda: adaptive.replay("adam", GRADS, lr=-1.0), "lr"),
        (lambda: adaptive.keras_adagrad(GRADS, initial_accumulator_value=-1), "initial"),
        (lambda: adaptive.keras_adam(GRADS, betas=(0.9, 1.0)), "betas"),
        (lambda: adaptive.keras_adam(GRADS, epsilon=-1e-8), "epsilon"),
        (lambda: adaptive.reddi_counterexample(C=2.0), "C"),
        (lambda: adaptive.reddi_counterexample(steps=-1), "steps"),
    ],
)
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_nan_gradients_are_rejected():
    bad = GRADS.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="grads"):
        adaptive.replay("adam", bad)
