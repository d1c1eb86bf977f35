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


# -- the closed-form rate over (α, β) and the measured valley runs (the κ explorer)
KAPPAS = [10.0, 30.0, 100.0, 300.0, 1000.0]


@pytest.mark.parametrize("kappa", KAPPAS)
def test_gradient_descent_at_its_best_rate_is_kappa_minus_one_over_kappa_plus_one(kappa):
    lr, _ = momentum.optimal_gradient_descent(largest=kappa, smallest=1.0)
    rho = momentum.rate_map(kappa, [lr], [0.0])[0, 0]
    assert rho == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-12)


@pytest.mark.parametrize("kappa", KAPPAS)
def test_polyaks_tuning_reaches_root_kappa_rate_and_beats_the_grid_around_it(kappa):
    lr, beta, _ = momentum.optimal_heavy_ball(largest=kappa, smallest=1.0)
    root = np.sqrt(kappa)
    rho = momentum.rate_map(kappa, [lr], [beta])[0, 0]
    assert rho == pytest.approx((root - 1) / (root + 1), rel=1e-6)
    lrs, betas = (
        lr * np.linspace(0.5, 1.5, 41),
        np.clip(beta + np.linspace(-0.1, 0.1, 41), 0, 0.999),
    )
    assert momentum.rate_map(kappa, lrs, betas).min() >= rho * (1 - 1e-6)


def test_root_modulus_is_the_largest_root_of_the_characteristic_polynomial():
    rng = np.random.default_rng(0)
    for lr, beta, lam in zip(rng.uniform(0, 4, 300), rng.uniform(0, 0.999, 300),
                             rng.uniform(0.01, 2, 300), strict=True):  # fmt: skip
        roots = np.roots([1.0, -(1 + beta - lr * lam), beta])
        assert momentum.root_modulus(lr, beta, lam) == pytest.approx(
            np.abs(roots).max(), rel=1e-6, abs=1e-7
        )
    grid = momentum.root_modulus(np.array([0.5, 1.0]), np.array([[0.0], [0.81]]), 1.0)
    np.testing.assert_allclose(grid, [[0.5, 0.0], [0.9, 0.9]], atol=1e-12)


def test_rate_map_agrees_with_heavy_ball_rate_over_the_whole_interval():
    kappa, lrs, betas = 30.0, np.linspace(0.0, 0.14, 15), np.linspace(0.0, 0.95, 9)
    grid = momentum.rate_map(kappa, lrs, betas)
    lams = np.linspace(1.0, kappa, 200)
    for i, beta in enumerate(betas):
        for j, lr in enumerate(lrs):
            assert grid[i, j] == pytest.approx(momentum.heavy_ball_rate(lr, beta, lams), rel=1e-6)


def test_valley_run_follows_the_heavy_ball_and_stops_at_the_tolerance():
    kappa, lr, beta = 100.0, 0.03, 0.7
    run = momentum.valley_run(kappa, lr, beta)
    valley = po.surfaces.Quadratic(kappa=kappa)
    ball = momentum.heavy_ball(valley.grad, momentum.VALLEY_START, run.steps, lr=lr, beta=beta)
    np.testing.assert_allclose(run.path, ball, rtol=1e-10, atol=1e-14)
    assert run.distance[-1] <= momentum.VALLEY_TOL < run.distance[-2]
    assert run.diverged_at is None and len(run.path) == run.steps + 1


@pytest.mark.parametrize("kappa", KAPPAS)
def test_measured_steps_are_within_bounds_of_the_prediction(kappa):
    lr, beta, rho = momentum.optimal_heavy_ball(largest=kappa, smallest=1.0)
    hb = momentum.valley_run(kappa, lr, beta)
    # the double root: the error decays like t ρ^t, a little slower than ρ^t
    assert hb.predicted <= hb.steps <= 1.6 * hb.predicted
    measured = momentum.VALLEY_TOL ** (1 / hb.steps)
    assert rho < measured < rho ** (1 / 1.6)
    lr, rho = momentum.optimal_gradient_descent(largest=kappa, smallest=1.0)
    gd = momentum.valley_run(kappa, lr, 0.0)
    assert abs(gd.steps - gd.predicted) <= 2  # distinct real roots: ρ^t itself
    assert gd.steps / hb.steps > 0.5 * np.sqrt(kappa)


def test_a_diverging_setting_reports_its_step_and_keeps_the_finite_path():
    run = momentum.valley_run(100.0, 0.032, 0.5)  # αL = 3.2 > 2(1 + β) = 3
    assert run.rate > 1 and run.steps is None and run.predicted is None
    assert run.diverged_at == len(run.path) and np.all(np.isfinite(run.path))
    assert np.hypot(*run.path[-1]) <= 1e6 * np.hypot(*momentum.VALLEY_START)


def test_predicted_steps():
    assert momentum.predicted_steps(9 / 11, 1e-6) == 69
    assert momentum.predicted_steps(99 / 101, 1e-6) == 691
    assert momentum.predicted_steps(0.5, 0.25) == 2 and momentum.predicted_steps(1.0) is None


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: momentum.root_modulus(-0.1, 0.5, 1.0), "lr"),
        (lambda: momentum.root_modulus(0.1, 1.0, 1.0), "beta"),
        (lambda: momentum.root_modulus(0.1, np.array([0.5, 1.2]), 1.0), r"beta: 1\.2"),
        (lambda: momentum.root_modulus(0.1, 0.5, 0.0), "curvature"),
        (lambda: momentum.rate_map(0.5, [0.1], [0.5]), "kappa: 0.5"),
        (lambda: momentum.valley_run(100.0, 0.01, 0.9, tol=0.0), "tol"),
        (lambda: momentum.valley_run(100.0, -0.01, 0.9), "lr: -0.01"),
        (lambda: momentum.valley_run(100.0, 0.01, 0.9, start=(0.0, 0.0)), "start"),
        (lambda: momentum.predicted_steps(0.5, tol=2.0), "tol"),
    ],
)
def test_bad_input_of_the_rate_theory_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
