"""paramopt.schedules: chapter 8's experiments."""

import numpy as np
import pytest

import paramopt as po
from paramopt import schedules


def test_noise_ball_formula_and_measurement():
    assert schedules.noise_ball_variance(0.5) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="< 2"):
        schedules.noise_ball_variance(2.0)
    run = schedules.noisy_quadratic(lr=0.2, steps=1500, start=0.0, chains=400, rng=1)
    assert run["mean_square"][300:].mean() == pytest.approx(
        schedules.noise_ball_variance(0.2), rel=0.05
    )
    with pytest.raises(po.Diverged):
        schedules.noisy_quadratic(lr=2.5, steps=200, chains=4)


def test_every_schedule_is_torchs_and_starts_at_the_base_rate():
    for name in schedules.SCHEDULES:
        rates = schedules.rates(name, 0.5, 200, warmup=20)
        assert rates.shape == (200,) and rates.max() <= 0.5 + 1e-12
    np.testing.assert_allclose(schedules.rates("cosine", 1.0, 100).sum(), 101 / 2, rtol=1e-12)
    assert schedules.rates("warmup-cosine", 1.0, 100, warmup=10)[0] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="name"):
        schedules.rates("nope", 1.0, 10)


def test_robbins_monro_one_over_t_keeps_improving():
    ms = schedules.noisy_quadratic(lr=0.5, steps=4000, lr_lambda=schedules.power_decay(1, 4),
                                   rng=0)["mean_square"]  # fmt: skip
    assert ms[4000] < ms[400] / 4


def test_adam_moment_spread_first_step_is_a_sign_step():
    v_hat, ratio = schedules.adam_moment_spread(20, streams=500)
    np.testing.assert_allclose(ratio[0], 1.0)
    assert ratio[-1].mean() < 0.6


def test_warmup_removes_the_overshoot():
    plain = schedules.warmup_regression(0, warmup=0, beta2=0.99, steps=100)["loss"]
    warm = schedules.warmup_regression(0, warmup=200, beta2=0.99, steps=100)["loss"]
    assert plain[:51].max() > 5 * plain[0] and warm[:51].max() <= 1.05 * warm[0]
    assert schedules.warmup_steps(0.999) == 2000


def test_paper_adamw_is_algorithm_2_under_a_schedule():
    """The wrapper with λ/α against Loshchilov & Hutter's Algorithm 2 written out."""
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(50, 3))
    alpha, lam, (b1, b2), eps = 0.01, 0.1, (0.9, 0.999), 1e-8
    theta = np.ones(3)
    opt = schedules.paper_adamw([theta], alpha, lam)
    sched = po.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=50)
    ref, m, v = np.ones(3), np.zeros(3), np.zeros(3)
    for t, g in enumerate(grads, start=1):
        eta = (1 + np.cos(np.pi * (t - 1) / 50)) / 2
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        ref = ref - eta * (alpha * m_hat / (np.sqrt(v_hat) + eps) + lam * ref)
        opt.step([g])
        sched.step()
    np.testing.assert_allclose(theta, ref, rtol=1e-10)


def test_decay_factor_is_the_product():
    factor = schedules.decay_factor(lambda p: po.optim.AdamW(p, lr=0.01, weight_decay=0.5),
                                    "cosine", 100)  # fmt: skip
    eta = schedules.rates("cosine", 1.0, 100)
    assert factor == pytest.approx(np.prod(1 - 0.01 * eta * 0.5), rel=1e-12)


def test_clipping_a_constant_factor_does_not_change_adam():
    g = np.random.default_rng(0).normal(size=(30, 2))
    g = 10 * g / np.linalg.norm(g, axis=1, keepdims=True)
    np.testing.assert_allclose(schedules.adam_clipped_steps(g, max_norm=1.0),
                               schedules.adam_clipped_steps(g), rtol=1e-6)  # fmt: skip


def test_chain_gradient_and_clipping_rescues_it():
    w = np.array([1.2, 0.9, 1.1])
    _, grad = schedules.chain_loss_and_grad(w)
    h = 1e-6
    numeric = [(schedules.chain_loss_and_grad(w + e)[0] - schedules.chain_loss_and_grad(w - e)[0])
               / (2 * h) for e in np.eye(3) * h]  # fmt: skip
    np.testing.assert_allclose(grad, numeric, rtol=1e-6)
    w0 = np.random.default_rng(0).uniform(1.1, 1.3, 20)
    with pytest.raises(po.Diverged):
        schedules.train_chain(w0, lr=0.01, steps=50)
    assert schedules.train_chain(w0, lr=0.01, steps=300, max_norm=1.0)[-1] < 1e-20


def test_fit_calls_the_scheduler_after_every_step():
    X, y = po.data.load_digits()
    model = po.nn.mlp([64, 8, 10], "relu", "kaiming", rng=0)
    opt = po.optim.SGD(model.parameters(), lr=0.1)
    sched = po.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    history = po.train.fit(model, po.nn.CrossEntropyLoss(), opt, X[:100], y[:100], epochs=1,
                           batch_size=50, rng=0, scheduler=sched)  # fmt: skip
    assert history.steps == 2 and opt.lr == pytest.approx(0.025)
    other = po.optim.SGD(model.parameters(), lr=0.1)
    elsewhere = po.optim.lr_scheduler.StepLR(other, 1)
    with pytest.raises(ValueError, match="built on optimizer"):
        po.train.fit(model, po.nn.CrossEntropyLoss(), opt, X[:10], y[:10], epochs=1,
                     batch_size=5, rng=0, scheduler=elsewhere)  # fmt: skip
    with pytest.raises(TypeError, match="scheduler"):
        po.train.fit(model, po.nn.CrossEntropyLoss(), opt, X[:10], y[:10], epochs=1,
                     batch_size=5, rng=0, scheduler=object())  # fmt: skip
