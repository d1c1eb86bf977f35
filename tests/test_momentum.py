"""paramopt.momentum: the three momentum conventions and heavy-ball rates."""

import numpy as np
import pytest

import paramopt as po
from paramopt import momentum

VALLEY = po.surfaces.Quadratic(kappa=50.0, angle=0.3)
START = np.array([-2.0, 1.0])


def test_ema_form_equals_pytorch_with_rescaled_lr_from_the_first_step():
    ema = momentum.ema_momentum(VALLEY.grad, START, 120, lr=0.02, beta=0.9)
    torch_form = momentum.sgd_path(VALLEY.grad, START, 120, lr=0.002, momentum=0.9)
    np.testing.assert_allclose(ema, torch_form, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ema[1] - START, -0.002 * VALLEY.grad(START), rtol=1e-12)


def test_heavy_ball_equals_pytorch_and_its_velocity_is_minus_lr_times_buffer():
    ball = momentum.heavy_ball(VALLEY.grad, START, 120, lr=0.01, beta=0.8)
    np.testing.assert_allclose(
        ball, momentum.sgd_path(VALLEY.grad, START, 120, 0.01, momentum=0.8), rtol=0, atol=1e-12
    )
    theta = START.copy()
    opt = po.optim.SGD([theta], lr=0.01, momentum=0.8)
    for t in range(1, 20):
        opt.step([VALLEY.grad(theta)])
        np.testing.assert_allclose(
            ball[t] - ball[t - 1], -0.01 * opt.state[0]["momentum_buffer"], rtol=1e-10, atol=1e-14
        )


def test_dampening_beta_is_not_the_ema_its_first_step_is_too_long():
    ema = momentum.ema_momentum(VALLEY.grad, START, 50, lr=0.02, beta=0.9)
    damped = momentum.sgd_path(VALLEY.grad, START, 50, lr=0.02, momentum=0.9, dampening=0.9)
    np.testing.assert_allclose(damped[1] - START, 10 * (ema[1] - START), rtol=1e-12)
    assert np.abs(damped - ema).max() > 0.1


def test_schedules_the_ema_form_follows_pytorch_the_heavy_ball_does_not():
    lrs = np.where(np.arange(80) < 40, 0.02, 0.002)
    ema = momentum.ema_momentum(VALLEY.grad, START, 80, lr=lrs, beta=0.9)
    torch_form = momentum.sgd_path(VALLEY.grad, START, 80, lr=0.1 * lrs, momentum=0.9)
    ball = momentum.heavy_ball(VALLEY.grad, START, 80, lr=0.1 * lrs, beta=0.9)
    np.testing.assert_allclose(ema, torch_form, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ball[:41], torch_form[:41], rtol=0, atol=1e-12)
    assert np.abs(ball[41:] - torch_form[41:]).min() > 1e-6


def test_beta_zero_is_gradient_descent():
    ball = momentum.heavy_ball(VALLEY.grad, START, 5, lr=0.01, beta=0.0)
    ema = momentum.ema_momentum(VALLEY.grad, START, 5, lr=0.01, beta=0.0)
    theta, expected = START.copy(), [START.copy()]
    for _ in range(5):
        theta = theta - 0.01 * VALLEY.grad(theta)
        expected.append(theta)
    np.testing.assert_allclose(ball, expected, rtol=1e-14)
    np.testing.assert_allclose(ema, expected, rtol=1e-14)


@pytest.mark.parametrize("lr, beta", [(0.05, 0.0), (0.3, 0.5), (0.15, 0.9), (1.9, 0.95)])
def test_heavy_ball_rate_is_the_measured_decay_rate(lr, beta):
    lam = 1.0
    path = momentum.heavy_ball(lambda x: lam * x, np.array([1.0]), 600, lr=lr, beta=beta)
    errors = np.abs(path[:, 0])
    # a rolling maximum removes the oscillation; its geometric slope is ρ
    window = 40
    peaks = np.array([errors[k : k + window].max() for k in range(300, 560, window)])
    measured = (peaks[-1] / peaks[0]) ** (1 / (window * (len(peaks) - 1)))
    assert measured == pytest.approx(momentum.heavy_ball_rate(lr, beta, [lam]), rel=0.02)


def test_stability_limit_is_two_times_one_plus_beta_over_lambda():
    for beta in (0.0, 0.5, 0.9):
        limit = 2 * (1 + beta) / 10.0
        assert momentum.heavy_ball_rate(0.999 * limit, beta, [1.0, 10.0]) < 1
        assert momentum.heavy_ball_rate(1.001 * limit, beta, [1.0, 10.0]) > 1


def test_optimal_tunings_reach_their_rates_and_are_optimal():
    lr, rho = momentum.optimal_gradient_descent(largest=100.0, smallest=1.0)
    assert momentum.heavy_ball_rate(lr, 0.0, [1.0, 100.0]) == pytest.approx(rho)
    assert momentum.heavy_ball_rate(1.05 * lr, 0.0, [1.0, 100.0]) > rho
    lr, beta, rho = momentum.optimal_heavy_ball(largest=100.0, smallest=1.0)
    assert rho == pytest.approx(9 / 11) and beta == pytest.approx(rho**2)
    assert momentum.heavy_ball_rate(lr, beta, [1.0, 100.0]) == pytest.approx(rho, rel=1e-6)
    for dlr, dbeta in [(1.05, 1.0), (0.95, 1.0), (1.0, 0.95)]:
        assert momentum.heavy_ball_rate(dlr * lr, dbeta * beta, [1.0, 100.0]) > rho


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: momentum.ema_momentum(VALLEY.grad, START, 5, lr=-0.1, beta=0.9), "lr"),
        (lambda: momentum.heavy_ball(VALLEY.grad, START, 5, lr=0.1, beta=1.0), "beta"),
        (lambda: momentum.heavy_ball(VALLEY.grad, START, 5, lr=[0.1, 0.1], beta=0.5), "lr"),
        (lambda: momentum.ema_momentum(VALLEY.grad, START, -1, lr=0.1, beta=0.5), "steps"),
        (lambda: momentum.heavy_ball_rate(0.1, 0.5, [1.0, -2.0]), "curvatures"),
        (lambda: momentum.optimal_heavy_ball(largest=1.0, smallest=2.0), "largest"),
    ],
)
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_grad_must_be_callable():
    with pytest.raises(TypeError, match="grad"):
        momentum.heavy_ball(np.zeros(2), START, 5, lr=0.1, beta=0.5)
