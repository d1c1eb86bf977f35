"""paramopt.optim: parity with torch.optim, first steps by hand, and bad input rejected."""

import copy
import inspect
import itertools
import re

import numpy as np
import pytest

import paramopt as po

SHAPES = [(1,), (3,), (4, 5)]
STEPS = 200
RTOL = 1e-10

_rng = np.random.default_rng(20240601)
THETA0 = [_rng.normal(size=shape) for shape in SHAPES]
CURVATURE = [_rng.uniform(0.5, 2.0, size=shape) for shape in SHAPES]
NOISE = [_rng.normal(scale=0.1, size=(STEPS, *shape)) for shape in SHAPES]


def gradients(k, thetas):
    """∇f at step k of f = Σ ½ c θ² plus seeded noise: the same for both libraries."""
    return [c * theta + noise[k] for c, theta, noise in zip(CURVATURE, thetas, NOISE, strict=True)]


GRIDS = {
    "SGD": {
        "lr": [0.01],
        "momentum": [0.0, 0.9],
        "dampening": [0.0, 0.5],
        "nesterov": [False, True],
        "weight_decay": [0.0, 0.1],
        "maximize": [False, True],
    },
    "Adagrad": {
        "lr": [0.1],
        "lr_decay": [0.0, 0.01],
        "initial_accumulator_value": [0.0, 0.5],
        "weight_decay": [0.0, 0.1],
        "eps": [1e-10, 1e-2],
        "maximize": [False, True],
    },
    "RMSprop": {
        "lr": [0.01],
        "alpha": [0.99, 0.5],
        "centered": [False, True],
        "momentum": [0.0, 0.9],
        "weight_decay": [0.0, 0.1],
        "maximize": [False, True],
    },
    "Adam": {
        "lr": [0.01],
        "betas": [(0.9, 0.999), (0.5, 0.9)],
        "amsgrad": [False, True],
        "weight_decay": [0.0, 0.1],
        "maximize": [False, True],
    },
}
GRIDS["AdamW"] = GRIDS["Adam"] | {"eps": [1e-3]}  # large ε: its place in the formula shows
GRIDS |= {
    "NAdam": {
        "lr": [0.01],
        "betas": [(0.9, 0.999), (0.5, 0.9)],
        "eps": [1e-8, 1e-3],
        "momentum_decay": [4e-3, 0.5],  # 0.5: μ_t is within 1% of β1 from t = 192
        "weight_decay": [0.0, 0.1],
        "decoupled_weight_decay": [False, True],
        "maximize": [False, True],
    },
    "RAdam": {
        "lr": [0.01],
        # β2 = 0.999 adapts from t = 6 on, 0.9 from t = 6 with larger r_t, 0.6 never (ρ_∞ < 5)
        "betas": [(0.9, 0.999), (0.5, 0.9), (0.9, 0.6)],
        "eps": [1e-8, 1e-3],
        "weight_decay": [0.0, 0.1],
        "decoupled_weight_decay": [False, True],
        "maximize": [False, True],
    },
    "Adamax": {
        "lr": [0.01],
        "betas": [(0.9, 0.999), (0.5, 0.9)],
        "eps": [1e-8, 1e-2],  # 1e-2: the floor of u_t shows once the gradients are small
        "weight_decay": [0.0, 0.1],
        "maximize": [False, True],
    },
    "Adadelta": {
        "lr": [0.5],
        "rho": [0.9, 0.5, 1.0],  # ρ = 1: v and u stay 0, the step is plain γ g
        "eps": [1e-6, 1e-2],
        "weight_decay": [0.0, 0.1],
        "maximize": [False, True],
    },
}


def _valid(name, kwargs):
    return (
        name != "SGD" or not kwargs["nesterov"] or (kwargs["momentum"] and not kwargs["dampening"])
    )


CASES = [
    pytest.param(name, kwargs, id=f"{name}-" + "-".join(f"{k}={v}" for k, v in kwargs.items()))
    for name, grid in GRIDS.items()
    for kwargs in (
        dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())
    )
    if _valid(name, kwargs)
] + [pytest.param(name, {}, id=f"{name}-defaults") for name in GRIDS]
# One configuration per optimiser that fills every kind of state it has.
FULL = {
    "SGD": {"lr": 0.01, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1, "maximize": True},
    "Adagrad": {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.5, "weight_decay": 0.1},
    "RMSprop": {"lr": 0.01, "alpha": 0.9, "centered": True, "momentum": 0.9, "weight_decay": 0.1},
    "Adam": {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1, "maximize": True},
    "AdamW": {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1},
    "NAdam": {
        "lr": 0.01,
        "momentum_decay": 0.1,
        "weight_decay": 0.1,
        "decoupled_weight_decay": True,
        "maximize": True,
    },
    "RAdam": {"lr": 0.01, "eps": 1e-3, "weight_decay": 0.1, "maximize": True},
    "Adamax": {"lr": 0.01, "eps": 1e-3, "weight_decay": 0.1},
    "Adadelta": {"lr": 0.5, "rho": 0.8, "weight_decay": 0.1, "maximize": True},
}
NEW = ["NAdam", "RAdam", "Adamax", "Adadelta"]  # the optimisers added after AdamW


def run_paramopt(name, kwargs, dtype=np.float64, steps=STEPS, theta0=THETA0):
    params = [theta.astype(dtype) for theta in theta0]
    opt = getattr(po.optim, name)(params, **kwargs)
    for k in range(steps):
        opt.step(gradients(k, params))
    return params, opt.state


def run_torch(torch, name, configs, dtype=np.float64, steps=STEPS):
    """Run torch.optim.<name> once per kwargs in ``configs``, as param groups of as few
    optimisers as possible (hyperparameters are per group in torch), so that one ``step()``
    advances many configurations.

    torch's Adagrad fills its ``sum`` in ``__init__`` from the constructor's
    ``initial_accumulator_value``, ignoring a group's own value: one optimiser per value.
    """
    groups = [
        {"params": [torch.tensor(theta.astype(dtype), requires_grad=True) for theta in THETA0]}
        | kwargs
        for kwargs in configs
    ]
    by_init = {}
    for group in groups:
        by_init.setdefault(group.get("initial_accumulator_value"), []).append(group)
    optimizers = [
        getattr(torch.optim, name)(members, foreach=False)
        if init is None
        else getattr(torch.optim, name)(members, foreach=False, initial_accumulator_value=init)
        for init, members in by_init.items()
    ]
    for k in range(steps):
        for group in groups:
            grads = gradients(k, [p.detach().numpy() for p in group["params"]])
            for p, g in zip(group["params"], grads, strict=True):
                p.grad = torch.from_numpy(g.astype(dtype))
        for opt in optimizers:
            opt.step()
    states = {p: state for opt in optimizers for p, state in opt.state.items()}
    return [
        (
            [p.detach().numpy() for p in group["params"]],
            [states.get(p, {}) for p in group["params"]],
        )
        for group in groups
    ]


@pytest.fixture(scope="module")
def torch_grid(torch):
    """``torch_grid(name, kwargs)``: torch's run for one of CASES, all of ``name`` run at once."""
    runs = {}

    def get(name, kwargs):
        if name not in runs:
            configs = [case.values[1] for case in CASES if case.values[0] == name]
            runs[name] = dict(zip(map(repr, configs), run_torch(torch, name, configs), strict=True))
        return runs[name][repr(kwargs)]

    return get


def assert_same_run(ours, theirs, rtol=RTOL, atol=0.0):
    """Parameters and every state array torch keeps (same names) agree to ``rtol``."""
    (params, states), (torch_params, torch_states) = ours, theirs
    for i, (theta, torch_theta) in enumerate(zip(params, torch_params, strict=True)):
        np.testing.assert_allclose(theta, torch_theta, rtol=rtol, atol=atol, err_msg=f"params[{i}]")
    for i, (state, torch_state) in enumerate(zip(states, torch_states, strict=True)):
        assert set(torch_state) <= set(state), f"state[{i}] lacks {set(torch_state) - set(state)}"
        for key, value in torch_state.items():
            if key == "step":
                assert state["step"] == int(value.item())
            else:
                np.testing.assert_allclose(
                    state[key], value.numpy(), rtol=rtol, atol=atol, err_msg=f"state[{i}][{key!r}]"
                )


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_matches_torch_for_every_combination(torch_grid, name, kwargs):
    assert_same_run(run_paramopt(name, kwargs), torch_grid(name, kwargs))


@pytest.mark.parametrize("name", FULL)
def test_signature_and_defaults_are_torchs(torch, name):
    ours = inspect.signature(getattr(po.optim, name)).parameters
    theirs = inspect.signature(getattr(torch.optim, name)).parameters
    assert list(ours)[0] == "params"
    for key in list(ours)[1:]:
        assert ours[key].default == theirs[key].default, key
        assert type(ours[key].default) is type(theirs[key].default) or key != "betas"


@pytest.mark.parametrize("name", FULL)
def test_parity_check_notices_a_relative_change_of_1e_8_in_lr(torch, name):
    nudged = FULL[name] | {"lr": FULL[name]["lr"] * (1 + 1e-8)}
    with pytest.raises(AssertionError):
        assert_same_run(run_paramopt(name, FULL[name]), run_torch(torch, name, [nudged])[0])


@pytest.mark.parametrize("name", FULL)
def test_float32_stays_float32_and_follows_float64(torch, name):
    params, states = run_paramopt(name, FULL[name], dtype=np.float32)
    arrays = params + [v for state in states for v in state.values() if isinstance(v, np.ndarray)]
    assert all(a.dtype == np.float32 for a in arrays)
    exact, _ = run_paramopt(name, FULL[name])
    for theta, reference in zip(params, exact, strict=True):
        np.testing.assert_allclose(theta, reference, rtol=1e-4, atol=1e-5)
    assert_same_run(
        (params, states), run_torch(torch, name, [FULL[name]], np.float32)[0], rtol=1e-5, atol=1e-6
    )


LR_CHANGES = {"SGD": {"lr": 0.05, "momentum": 0.9}} | {name: FULL[name] for name in NEW}


@pytest.mark.parametrize("name", LR_CHANGES)
def test_lr_can_change_between_steps_like_a_param_group_lr(torch, name):
    kwargs = LR_CHANGES[name]
    params = [theta.copy() for theta in THETA0]
    opt = getattr(po.optim, name)(params, **kwargs)
    tensors = [torch.tensor(theta, requires_grad=True) for theta in THETA0]
    reference = getattr(torch.optim, name)(tensors, foreach=False, **kwargs)
    for k in range(20):
        opt.lr = reference.param_groups[0]["lr"] = kwargs["lr"] / (1 + k)
        opt.step(gradients(k, params))
        for t, g in zip(tensors, gradients(k, [t.detach().numpy() for t in tensors]), strict=True):
            t.grad = torch.from_numpy(g)
        reference.step()
    for theta, tensor in zip(params, tensors, strict=True):
        np.testing.assert_allclose(theta, tensor.detach().numpy(), rtol=RTOL)


# First steps worked out by hand: the torch conventions the book explains.

THETA = np.array([1.0, -2.0, 0.5])
GRAD = np.array([0.3, -4.0, 0.0])


def one_step(cls, steps=1, **kwargs):
    theta = THETA.copy()
    opt = cls([theta], **kwargs)
    for _ in range(steps):
        opt.step([GRAD])
    return theta, opt.state[0]


def test_sgd_first_momentum_step_skips_dampening():
    theta, state = one_step(po.optim.SGD, lr=0.1, momentum=0.9, dampening=0.5)
    np.testing.assert_array_equal(state["momentum_buffer"], GRAD)  # b_1 = g_1, not (1 - τ) g_1
    np.testing.assert_allclose(theta, THETA - 0.1 * GRAD, rtol=1e-15)
    theta, state = one_step(po.optim.SGD, steps=2, lr=0.1, momentum=0.9, dampening=0.5)
    np.testing.assert_allclose(state["momentum_buffer"], (0.9 + 0.5) * GRAD, rtol=1e-15)


def test_sgd_nesterov_looks_ahead_and_maximize_climbs():
    theta, _ = one_step(po.optim.SGD, lr=0.1, momentum=0.9, nesterov=True)
    np.testing.assert_allclose(theta, THETA - 0.1 * (GRAD + 0.9 * GRAD), rtol=1e-15)
    theta, _ = one_step(po.optim.SGD, lr=0.1, weight_decay=0.2, maximize=True)
    np.testing.assert_allclose(theta, THETA - 0.1 * (-GRAD + 0.2 * THETA), rtol=1e-15)


def test_adagrad_first_steps_use_the_accumulator_and_decayed_rate():
    theta, state = one_step(po.optim.Adagrad, steps=2, lr=0.1, lr_decay=0.5, eps=0.01)
    s1 = GRAD**2
    theta1 = THETA - 0.1 * GRAD / (np.sqrt(s1) + 0.01)
    expected = theta1 - 0.1 / 1.5 * GRAD / (np.sqrt(2 * s1) + 0.01)  # γ/(1 + (t-1)η) at t = 2
    np.testing.assert_allclose(theta, expected, rtol=1e-14)
    theta, state = one_step(po.optim.Adagrad, lr=0.1, initial_accumulator_value=2.0)
    np.testing.assert_allclose(state["sum"], 2.0 + GRAD**2, rtol=1e-15)


def test_rmsprop_first_step_is_large_without_bias_correction():
    theta = THETA.copy()
    po.optim.RMSprop([theta], lr=0.01, alpha=0.99, eps=0.0).step([np.array([0.3, -4.0, 1e-9])])
    # v_1 = (1 - α) g_1², so every coordinate moves by γ/√(1 - α) = 10 γ, whatever |g_1|
    np.testing.assert_allclose(theta, THETA - 0.1 * np.array([1, -1, 1]), rtol=1e-14)


def test_rmsprop_centered_divides_by_the_variance():
    theta, state = one_step(po.optim.RMSprop, lr=0.01, alpha=0.5, eps=1.0, centered=True)
    np.testing.assert_allclose(state["grad_avg"], 0.5 * GRAD, rtol=1e-15)
    variance = 0.5 * GRAD**2 - (0.5 * GRAD) ** 2
    np.testing.assert_allclose(theta, THETA - 0.01 * GRAD / (np.sqrt(variance) + 1.0), rtol=1e-14)


def test_adam_first_step_is_lr_g_over_abs_g_plus_eps():
    theta, _ = one_step(po.optim.Adam, lr=0.1, eps=0.5)
    # m̂_1 = g_1 and v̂_1 = g_1²: bias correction undoes the zero initial state.
    np.testing.assert_allclose(theta, THETA - 0.1 * GRAD / (np.abs(GRAD) + 0.5), rtol=1e-14)


def test_amsgrad_keeps_the_largest_raw_second_moment():
    theta = np.array([0.0])
    opt = po.optim.Adam([theta], lr=0.1, betas=(0.0, 0.5), amsgrad=True, eps=0.0)
    opt.step([np.array([4.0])])  # v_1 = 8
    opt.step([np.array([1.0])])  # v_2 = 4.5 < v_1^max = 8, corrected by 1 - β2² = 0.75
    np.testing.assert_array_equal(opt.state[0]["max_exp_avg_sq"], [8.0])
    step2 = 0.1 * 1.0 / np.sqrt(8.0 / 0.75)
    np.testing.assert_allclose(theta, [-0.1 * 4.0 / np.sqrt(8.0 / 0.5) - step2], rtol=1e-14)


def test_adamw_decays_theta_before_and_outside_the_adam_step():
    theta, state = one_step(po.optim.AdamW, lr=0.1, weight_decay=0.5, eps=0.5)
    np.testing.assert_allclose(
        theta, THETA * (1 - 0.1 * 0.5) - 0.1 * GRAD / (np.abs(GRAD) + 0.5), rtol=1e-14
    )
    np.testing.assert_allclose(state["exp_avg"], 0.1 * GRAD, rtol=1e-15)  # λθ never reaches m
    _, l2 = one_step(po.optim.Adam, lr=0.1, weight_decay=0.5)
    np.testing.assert_allclose(l2["exp_avg"], 0.1 * (GRAD + 0.5 * THETA), rtol=1e-15)


def test_nadam_first_step_adds_the_look_ahead_momentum_to_the_gradient():
    # ψ = 0: μ_t = β1/2 = 0.45 at every step, Π_1 = μ_1, m_1 = (1 - β1) g_1, v̂_1 = g_1²
    theta, state = one_step(po.optim.NAdam, lr=0.1, eps=0.5, momentum_decay=0.0)
    mu = 0.45
    m_hat = mu * 0.1 * GRAD / (1 - mu * mu) + (1 - mu) * GRAD / (1 - mu)
    np.testing.assert_allclose(theta, THETA - 0.1 * m_hat / (np.abs(GRAD) + 0.5), rtol=1e-14)
    assert state["mu_product"] == mu


def test_nadam_keeps_the_product_of_its_momentum_schedule_as_a_float():
    _, state = one_step(po.optim.NAdam, steps=3)
    mus = [0.9 * (1 - 0.5 * 0.96 ** (t * 4e-3)) for t in (1, 2, 3)]
    assert type(state["mu_product"]) is float and state["step"] == 3
    assert state["mu_product"] == pytest.approx(np.prod(mus), rel=1e-15)
    schedule = po.optim.nadam.momentum_schedule(np.arange(1, 4))
    np.testing.assert_allclose(schedule, mus, rtol=1e-15)
    assert po.optim.nadam.momentum_schedule(1, 0.9, 0.0) == 0.45  # ψ = 0: β1/2 for ever
    late = po.optim.nadam.momentum_schedule(np.array([1000.0, 5000.0, 20000.0]))
    np.testing.assert_allclose(late / 0.9, [0.575, 0.779, 0.981], atol=1e-3)  # the docstring


def test_radam_first_steps_are_momentum_sgd_then_rectified_adam():
    # constant g: m̂_t = g, so while ρ_t ≤ 5 (t ≤ 5 for β2 = 0.999) each step is γ g
    for t in range(1, 6):
        theta, _ = one_step(po.optim.RAdam, steps=t, lr=0.1, eps=0.5)
        np.testing.assert_allclose(theta, THETA - t * 0.1 * GRAD, rtol=1e-14, atol=1e-15)
    theta, state = one_step(po.optim.RAdam, steps=6, lr=0.1, eps=0.5)
    r6, c2 = po.optim.radam.rectification(6), 1 - 0.999**6  # v_6 = (1 - β2^6) g²
    assert 0.025 < r6 < 0.026
    l6 = np.sqrt(c2) / (np.sqrt(c2) * np.abs(GRAD) + 0.5)  # ε added to √v_6, not to √v̂_6
    expected = THETA - 5 * 0.1 * GRAD - 0.1 * r6 * GRAD * l6  # θ_5[1] = -2 + 5 · 0.4 = 0
    np.testing.assert_allclose(theta, expected, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(state["exp_avg_sq"], c2 * GRAD**2, rtol=1e-13)


def test_radam_with_beta2_at_most_two_thirds_never_adapts():
    # ρ_∞ = 2/(1 - β2) - 1 ≤ 5: ρ_t never passes 5, and with β1 = 0 RAdam is plain SGD
    theta, _ = one_step(po.optim.RAdam, steps=40, lr=0.01, betas=(0.0, 0.6))
    np.testing.assert_allclose(theta, THETA - 40 * 0.01 * GRAD, rtol=1e-13)
    assert np.all(np.isnan(po.optim.radam.rectification(np.arange(1, 10_000), 2 / 3)))


def test_radam_rho_and_rectification_are_curves_of_t():
    radam = po.optim.radam
    for beta2 in (0.0, 0.5, 0.9, 0.999):
        assert radam.rho(1, beta2) == pytest.approx(1.0, rel=1e-12)  # ρ_1 = 1 always
    t = np.arange(1, 100_001)
    rho, r = radam.rho(t, 0.999), radam.rectification(t, 0.999)
    assert rho.shape == r.shape == t.shape and np.all(np.diff(rho[:10_000]) > 0)
    assert rho[-1] == pytest.approx(1999.0, rel=1e-12)  # ρ_t → ρ_∞ = 2/(1 - β2) - 1
    np.testing.assert_array_equal(np.isnan(r), rho <= 5)
    assert np.flatnonzero(~np.isnan(r))[0] == 5 and np.all(np.diff(r[5:10_000]) > 0)
    assert 0 < r[5] and np.all(r[5:10_000] < 1) and r[-1] == pytest.approx(1.0, abs=1e-3)
    assert isinstance(radam.rho(7, 0.9), float) and np.isnan(radam.rectification(3))
    assert radam.rectification(7.0) == radam.rectification(7)  # a float step, as an int one
    # ... and as the array's entry, up to rounding: numpy's vectorised power may take
    # another SIMD kernel than the scalar one, and ρ_7 - 4 cancels most digits
    assert radam.rectification(7) == pytest.approx(r[6], rel=1e-9)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: po.optim.radam.rho(0), ValueError, r"step: 0"),
        (lambda: po.optim.radam.rho(np.array([3, 0.5])), ValueError, r"step: 0\.5"),
        (lambda: po.optim.radam.rectification(5, beta2=1.0), ValueError, r"beta2: 1\.0"),
        (lambda: po.optim.radam.rectification("5"), TypeError, r"step.*'5'"),
        (lambda: po.optim.radam.rho(np.array([1.0, np.nan])), ValueError, r"step.*nan"),
        (lambda: po.optim.nadam.momentum_schedule(1, beta1=-0.1), ValueError, r"beta1: -0\.1"),
        (
            lambda: po.optim.nadam.momentum_schedule(1, momentum_decay=-1),
            ValueError,
            r"momentum_decay: -1",
        ),
    ],
)
def test_schedule_functions_reject_bad_steps_and_betas(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_adamax_first_step_is_adams_and_eps_floors_the_inf_norm():
    theta, state = one_step(po.optim.Adamax, lr=0.1, eps=0.5)
    np.testing.assert_allclose(theta, THETA - 0.1 * GRAD / (np.abs(GRAD) + 0.5), rtol=1e-14)
    np.testing.assert_array_equal(state["exp_inf"], np.abs(GRAD) + 0.5)  # u_1 = |g_1| + ε
    # after a spike u_t halves (β2 = 0.5) until it meets |g| + ε = ε, and stays there
    opt = po.optim.Adamax([np.zeros(1)], betas=(0.9, 0.5), eps=0.1)
    seen = []
    for g in [4.0] + [0.0] * 7:
        opt.step([np.array([g])])
        seen.append(opt.state[0]["exp_inf"][0])
    np.testing.assert_allclose(seen, [4.1, 2.05, 1.025, 0.5125, 0.25625, 0.128125, 0.1, 0.1])


def test_adadelta_first_step_is_set_by_eps():
    theta, state = one_step(po.optim.Adadelta, lr=0.5, rho=0.9, eps=1e-6)
    delta = np.sqrt(1e-6) * GRAD / np.sqrt(0.1 * GRAD**2 + 1e-6)  # √(u_0 + ε) / √(v_1 + ε) g
    np.testing.assert_allclose(theta, THETA - 0.5 * delta, rtol=1e-14)
    np.testing.assert_allclose(state["acc_delta"], 0.1 * delta**2, rtol=1e-14)
    np.testing.assert_allclose(np.abs(delta[:2]), np.sqrt(1e-5), rtol=1e-4)  # ≈ √(ε/(1-ρ))
    theta, state = one_step(po.optim.Adadelta, steps=2, lr=0.5, rho=0.9, eps=1e-6)
    delta2 = np.sqrt(0.1 * delta**2 + 1e-6) * GRAD / np.sqrt(0.19 * GRAD**2 + 1e-6)
    np.testing.assert_allclose(theta, THETA - 0.5 * (delta + delta2), rtol=1e-14)


def test_adadelta_lr_scales_the_step_but_not_what_u_remembers():
    theta, state = one_step(po.optim.Adadelta, steps=5)  # lr = 1: Zeiler's method
    scaled, scaled_state = one_step(po.optim.Adadelta, steps=5, lr=0.1)
    np.testing.assert_allclose(THETA - scaled, 0.1 * (THETA - theta), rtol=1e-13)
    np.testing.assert_array_equal(scaled_state["acc_delta"], state["acc_delta"])
    # ρ = 1: v_t = u_t = 0 for ever, Δθ_t = √ε/√ε g_t = g_t: gradient descent with rate γ
    theta, state = one_step(po.optim.Adadelta, steps=3, lr=0.1, rho=1.0)
    np.testing.assert_allclose(theta, THETA - 3 * 0.1 * GRAD, rtol=1e-15)
    assert not state["square_avg"].any() and not state["acc_delta"].any()


# Parameters that are views into a larger array.


@pytest.mark.parametrize("name", FULL)
def test_non_contiguous_params_are_updated_in_place(name):
    storage = np.zeros((5, 8))
    views = [storage[1, ::2][:1], storage[2:5, 3], storage[:5, 4:8].T]  # strided, Fortran
    for view, theta in zip(views, THETA0, strict=True):
        view[...] = theta
    opt = getattr(po.optim, name)(views, **FULL[name])
    for k in range(30):
        opt.step(gradients(k, views))
    expected, _ = run_paramopt(name, FULL[name], steps=30)
    for view, theta in zip(views, expected, strict=True):
        np.testing.assert_allclose(view, theta, rtol=1e-14)


# Bad input: a clear error, and nothing changes.

INVALID = [
    (po.optim.SGD, {"lr": -0.1}, ValueError, r"lr.*-0\.1"),
    (po.optim.SGD, {"lr": float("nan")}, ValueError, r"lr.*nan"),
    (po.optim.SGD, {"lr": "0.1"}, TypeError, r"lr.*'0\.1'"),
    (po.optim.SGD, {"momentum": -0.5}, ValueError, r"momentum.*-0\.5"),
    (po.optim.SGD, {"dampening": -0.1}, ValueError, r"dampening.*-0\.1"),
    (po.optim.SGD, {"dampening": 1.5}, ValueError, r"dampening.*1\.5"),
    (po.optim.SGD, {"weight_decay": -1e-4}, ValueError, r"weight_decay.*-0\.0001"),
    (po.optim.SGD, {"nesterov": True}, ValueError, r"nesterov.*momentum=0\.0"),
    (
        po.optim.SGD,
        {"nesterov": True, "momentum": 0.9, "dampening": 0.1},
        ValueError,
        r"nesterov.*dampening=0\.1",
    ),
    (po.optim.SGD, {"nesterov": "yes"}, TypeError, r"nesterov.*'yes'"),
    (po.optim.SGD, {"maximize": 1}, TypeError, r"maximize.*1"),
    (po.optim.Adagrad, {"lr": -1.0}, ValueError, r"lr.*-1\.0"),
    (po.optim.Adagrad, {"lr_decay": -0.1}, ValueError, r"lr_decay.*-0\.1"),
    (po.optim.Adagrad, {"weight_decay": -0.1}, ValueError, r"weight_decay.*-0\.1"),
    (
        po.optim.Adagrad,
        {"initial_accumulator_value": -0.1},
        ValueError,
        r"initial_accumulator_value.*-0\.1",
    ),
    (po.optim.Adagrad, {"eps": -1e-10}, ValueError, r"eps.*-1e-10"),
    (po.optim.Adagrad, {"maximize": None}, TypeError, r"maximize.*None"),
    (po.optim.RMSprop, {"lr": -0.01}, ValueError, r"lr.*-0\.01"),
    (po.optim.RMSprop, {"alpha": -0.1}, ValueError, r"alpha.*-0\.1"),
    (po.optim.RMSprop, {"alpha": 1.01}, ValueError, r"alpha.*1\.01"),
    (po.optim.RMSprop, {"eps": -1.0}, ValueError, r"eps.*-1\.0"),
    (po.optim.RMSprop, {"weight_decay": -1.0}, ValueError, r"weight_decay.*-1\.0"),
    (po.optim.RMSprop, {"momentum": -0.9}, ValueError, r"momentum.*-0\.9"),
    (po.optim.RMSprop, {"centered": "no"}, TypeError, r"centered.*'no'"),
    (po.optim.RMSprop, {"maximize": 0}, TypeError, r"maximize.*0"),
]
for _cls in (po.optim.Adam, po.optim.AdamW):
    INVALID += [
        (_cls, {"lr": -0.001}, ValueError, r"lr.*-0\.001"),
        (_cls, {"betas": (1.0, 0.999)}, ValueError, r"betas\[0\].*1\.0"),
        (_cls, {"betas": (-0.1, 0.999)}, ValueError, r"betas\[0\].*-0\.1"),
        (_cls, {"betas": (0.9, 1.0)}, ValueError, r"betas\[1\].*1\.0"),
        (_cls, {"betas": (0.9, float("inf"))}, ValueError, r"betas\[1\].*inf"),
        (_cls, {"betas": (0.9, 0.99, 0.999)}, ValueError, r"betas.*0\.999"),
        (_cls, {"betas": 0.9}, TypeError, r"betas.*0\.9"),
        (_cls, {"eps": -1e-8}, ValueError, r"eps.*-1e-08"),
        (_cls, {"weight_decay": -0.01}, ValueError, r"weight_decay.*-0\.01"),
        (_cls, {"amsgrad": "True"}, TypeError, r"amsgrad.*'True'"),
        (_cls, {"maximize": 1.0}, TypeError, r"maximize.*1\.0"),
    ]
for _cls in (po.optim.NAdam, po.optim.RAdam, po.optim.Adamax):
    INVALID += [
        (_cls, {"lr": -0.002}, ValueError, r"lr.*-0\.002"),
        (_cls, {"lr": float("inf")}, ValueError, r"lr.*inf"),
        (_cls, {"betas": (1.0, 0.999)}, ValueError, r"betas\[0\].*1\.0"),
        (_cls, {"betas": (0.9, -0.5)}, ValueError, r"betas\[1\].*-0\.5"),
        (_cls, {"betas": [0.9]}, ValueError, r"betas.*\[0\.9\]"),
        (_cls, {"betas": "0.9, 0.999"}, TypeError, r"betas.*'0\.9, 0\.999'"),
        (_cls, {"eps": -1e-8}, ValueError, r"eps.*-1e-08"),
        (_cls, {"eps": None}, TypeError, r"eps.*None"),
        (_cls, {"weight_decay": -0.1}, ValueError, r"weight_decay.*-0\.1"),
        (_cls, {"maximize": "False"}, TypeError, r"maximize.*'False'"),
    ]
for _cls in (po.optim.NAdam, po.optim.RAdam):
    INVALID += [
        (_cls, {"decoupled_weight_decay": 1}, TypeError, r"decoupled_weight_decay.*1"),
        (_cls, {"decoupled_weight_decay": "yes"}, TypeError, r"decoupled_weight_decay.*'yes'"),
    ]
INVALID += [
    (po.optim.NAdam, {"momentum_decay": -0.004}, ValueError, r"momentum_decay.*-0\.004"),
    (po.optim.NAdam, {"momentum_decay": float("nan")}, ValueError, r"momentum_decay.*nan"),
    (po.optim.NAdam, {"momentum_decay": "4e-3"}, TypeError, r"momentum_decay.*'4e-3'"),
    # torch's Adamax has no decoupled decay (wrap it in DecoupledWeightDecay instead)
    (po.optim.Adamax, {"decoupled_weight_decay": True}, TypeError, r"decoupled_weight_decay"),
    (po.optim.Adadelta, {"lr": -1.0}, ValueError, r"lr.*-1\.0"),
    (po.optim.Adadelta, {"lr": "1"}, TypeError, r"lr.*'1'"),
    (po.optim.Adadelta, {"rho": -0.1}, ValueError, r"rho.*-0\.1"),
    (po.optim.Adadelta, {"rho": 1.5}, ValueError, r"rho.*1\.5"),
    (po.optim.Adadelta, {"rho": True}, TypeError, r"rho.*True"),
    (po.optim.Adadelta, {"eps": -1e-6}, ValueError, r"eps.*-1e-06"),
    (po.optim.Adadelta, {"weight_decay": -0.5}, ValueError, r"weight_decay.*-0\.5"),
    (po.optim.Adadelta, {"maximize": None}, TypeError, r"maximize.*None"),
]


@pytest.mark.parametrize(
    ("cls", "kwargs", "error", "match"),
    INVALID,
    ids=[f"{c.__name__}-{next(iter(kw.items()))}" for c, kw, _, _ in INVALID],
)
def test_invalid_hyperparameter_is_named(cls, kwargs, error, match):
    with pytest.raises(error, match=match):
        cls([np.zeros(3)], **kwargs)


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ([], ValueError, "empty"),
        ([np.zeros(2), np.arange(3)], TypeError, r"params\[1\].*int"),
        ([[1.0, 2.0]], TypeError, r"params\[0\].*list"),
        (np.zeros(3), TypeError, "single array"),
        (None, TypeError, "params"),
    ],
)
def test_invalid_params_are_rejected(params, error, match):
    with pytest.raises(error, match=match):
        po.optim.SGD(params)


def test_read_only_or_repeated_params_are_rejected():
    frozen = np.zeros(3)
    frozen.setflags(write=False)
    with pytest.raises(ValueError, match=r"params\[0\].*read-only"):
        po.optim.Adam([frozen])
    twice = np.zeros(3)
    with pytest.raises(ValueError, match=r"params\[1\].*twice"):
        po.optim.Adam([twice, twice])


def snapshot(opt):
    return [p.copy() for p in opt.params], copy.deepcopy(opt.state)


def assert_bitwise_equal(before, after):
    (params, states), (params_after, states_after) = before, after
    for a, b in zip(params, params_after, strict=True):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    for s, t in zip(states, states_after, strict=True):
        assert s.keys() == t.keys()
        for key in s:
            if isinstance(s[key], np.ndarray):
                assert s[key].dtype == t[key].dtype and s[key].tobytes() == t[key].tobytes()
            else:
                assert s[key] == t[key]


def _bad(grads, i, value):
    grads = list(grads)
    grads[i] = value
    return grads


BAD_GRADS = [
    (lambda g: g[:-1], r"2 grads for 3 params"),
    (lambda g: [*g, g[0]], r"4 grads for 3 params"),
    (lambda g: _bad(g, 2, np.zeros((5, 4))), r"grads\[2\].*\(4, 5\).*\(5, 4\)"),
    (lambda g: _bad(g, 1, np.zeros(4)), r"grads\[1\].*\(3,\).*\(4,\)"),
    (lambda g: _bad(g, 2, np.where(np.arange(20).reshape(4, 5) == 7, np.nan, g[2])), "nan"),
    (lambda g: _bad(g, 1, np.array([0.0, np.inf, 1.0])), r"grads\[1\].*inf"),
    (lambda g: _bad(g, 2, np.full((4, 5), -np.inf)), r"grads\[2\].*-inf"),
]


@pytest.mark.parametrize("name", FULL)
@pytest.mark.parametrize(("corrupt", "match"), BAD_GRADS)
def test_bad_grads_raise_and_change_nothing(name, corrupt, match):
    params, _ = run_paramopt(name, {}, steps=0)
    opt = getattr(po.optim, name)(params, **FULL[name])
    for k in range(3):
        opt.step(gradients(k, params))
    before = snapshot(opt)
    with pytest.raises(ValueError, match=match):
        opt.step(corrupt(gradients(3, params)))
    assert_bitwise_equal(before, snapshot(opt))
    opt.step(gradients(3, params))  # and the optimiser still works
    assert all(s["step"] == 4 for s in opt.state)


@pytest.mark.parametrize("name", FULL)
def test_step_never_writes_into_grads(name):
    params, _ = run_paramopt(name, {}, steps=0)
    opt = getattr(po.optim, name)(params, **FULL[name])
    for k in range(3):
        grads = gradients(k, params)
        copies = [g.copy() for g in grads]
        opt.step(grads)
        for g, c in zip(grads, copies, strict=True):
            np.testing.assert_array_equal(g, c)


def test_grads_of_another_dtype_or_aliasing_params_are_handled():
    theta = np.ones(3, dtype=np.float32)
    opt = po.optim.SGD([theta], lr=0.5)
    opt.step([np.array([2, 0, -2])])  # integers, converted to float32
    np.testing.assert_array_equal(theta, np.array([0.0, 1.0, 2.0], dtype=np.float32))
    assert theta.dtype == np.float32
    opt.step([theta])  # the parameter as its own gradient: θ ← θ - ½θ
    np.testing.assert_array_equal(theta, [0.0, 0.5, 1.0])
    with pytest.raises(TypeError, match=r"grads\[0\]"):
        opt.step([np.array(["a", "b", "c"])])


def test_state_is_named_like_torch_and_counts_steps():
    params = [np.zeros(2), np.zeros((2, 2))]
    opt = po.optim.Adam(params, amsgrad=True)
    assert [set(s) for s in opt.state] == [{"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}] * 2
    opt.step([np.ones(2), np.ones((2, 2))])
    assert [s["step"] for s in opt.state] == [1, 1]
    assert set(po.optim.RMSprop(params).state[0]) == {"step", "square_avg"}
    assert set(po.optim.SGD(params).state[0]) == {"step"}
    assert "lr=0.001" in repr(opt) and "amsgrad=True" in repr(opt)


@pytest.mark.parametrize("name", NEW)
def test_state_has_torchs_keys_and_no_more(torch, name):
    _, states = run_paramopt(name, FULL[name], steps=2)
    _, torch_states = run_torch(torch, name, [FULL[name]], steps=2)[0]
    for state, torch_state in zip(states, torch_states, strict=True):
        assert set(state) == set(torch_state)


def test_error_messages_show_values_like_torch():
    with pytest.raises(ValueError, match=re.escape("Invalid lr: -0.1")):
        po.optim.SGD([np.zeros(1)], lr=-0.1)
