"""Adafactor and Muon, the optimisers that treat a matrix as a matrix, and Composite.

Parity with torch 2.13 in lockstep, first steps by hand, the Newton–Schulz iteration on
singular values, memory, checkpoints and bad input.
"""

import contextlib
import inspect
import itertools
import pickle
import re

import numpy as np
import pytest
from test_optim import assert_bitwise_equal, assert_same_run, snapshot

import paramopt as po
from paramopt.optim import (
    Adafactor,
    Composite,
    Muon,
    adjusted_lr,
    factored_second_moment,
    newton_schulz,
)

STEPS = 200
RTOL = 1e-10
NS_DEFAULT = (3.4445, -4.775, 2.0315)
CUBIC = (1.5, -0.5, 0.0)  # the classical Newton–Schulz iteration: converges to UVᵀ

# Adafactor: a vector, square, wide and tall matrices, a batch of matrices and a scalar;
# Muon: matrices only.
SHAPES = {
    "Adafactor": [(5,), (4, 4), (3, 6), (6, 3), (2, 3, 4), ()],
    "Muon": [(4, 4), (3, 6), (6, 3)],
}
_rng = np.random.default_rng(20250101)
THETA0 = {name: [_rng.normal(size=s) for s in shapes] for name, shapes in SHAPES.items()}
CURVATURE = {
    name: [_rng.uniform(0.5, 2.0, size=s) for s in shapes] for name, shapes in SHAPES.items()
}
NOISE = {
    name: [_rng.normal(scale=0.1, size=(STEPS, *s)) for s in shapes]
    for name, shapes in SHAPES.items()
}


def gradients(name, k, thetas):
    """∇f at step k of f = Σ ½ c θ² plus seeded noise: the same for both libraries."""
    return [
        np.asarray(c * theta + noise[k])
        for c, theta, noise in zip(CURVATURE[name], thetas, NOISE[name], strict=True)
    ]


def zeropower_in_dtype(grad, ns_coefficients, ns_steps, eps):
    """torch 2.13's ``_zeropower_via_newtonschulz`` without its ``grad.bfloat16()``.

    torch computes this in bfloat16; paramopt in the parameter's dtype (numpy has no
    bfloat16). The parity tests put this copy, line for line torch's but for the cast,
    in torch's place, so that they compare the same iteration in the same dtype.
    """
    import torch

    if ns_steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    a, b, c = ns_coefficients
    ortho_grad = grad.clone()  # torch: grad.bfloat16()
    if grad.size(0) > grad.size(1):
        ortho_grad = ortho_grad.T
    ortho_grad.div_(ortho_grad.norm().clamp(min=eps))
    for _ in range(ns_steps):
        gram_matrix = ortho_grad @ ortho_grad.T
        gram_update = torch.addmm(gram_matrix, gram_matrix, gram_matrix, beta=b, alpha=c)
        ortho_grad = torch.addmm(ortho_grad, gram_update, ortho_grad, beta=a)
    if grad.size(0) > grad.size(1):
        ortho_grad = ortho_grad.T
    return ortho_grad


@contextlib.contextmanager
def torch_muon_in_dtype(torch):
    """A context in which torch's Muon runs Newton–Schulz in the parameter's dtype."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(torch.optim._muon, "_zeropower_via_newtonschulz", zeropower_in_dtype)
        yield


GRIDS = {
    "Adafactor": {
        "lr": [0.01, 0.3],  # 0.3: ρ_t = 1/√t from t = 12 on
        "beta2_decay": [-0.8, -0.5],
        "eps": [(None, 1e-3), (0.3, 1.0)],  # large: ε1 clamps V̂, ε2 sets α_t
        "d": [1.0, 1.5],
        "weight_decay": [0.0, 0.1],
        "maximize": [False, True],
    },
    "Muon": {
        # small enough that θ is still on its way down after 200 steps: around the minimum
        # Muon's steps keep their size γ' and θ hops about chaotically, which amplifies the
        # libraries' 1e-16 rounding differences (lr = 0.02: 1e-8 after 200 steps)
        "lr": [0.005],
        "nesterov": [True, False],
        "momentum": [0.95, 0.0],
        "weight_decay": [0.0, 0.1],
        "adjust_lr_fn": ["original", "match_rms_adamw"],  # None: the defaults' run
        "ns_steps": [5, 2],
        "ns_coefficients": [NS_DEFAULT, CUBIC],
        "eps": [1e-7, 10.0],  # 10: max(‖U‖_F, ε) = ε, the clamp binds
    },
}
# The full products would be 64 and 128 torch runs of 200 steps (torch takes ~0.4 ms per
# tensor and step here): a two-level fractional factorial design runs 16 and 32 of them,
# in which every pair of values of any two hyperparameters still meets (4 times or more).
GENERATORS = {
    "Adafactor": {
        "weight_decay": ("lr", "beta2_decay", "eps"),
        "maximize": ("beta2_decay", "eps", "d"),
    },
    "Muon": {
        "ns_coefficients": ("nesterov", "momentum", "weight_decay", "adjust_lr_fn"),
        "eps": ("nesterov", "momentum", "adjust_lr_fn", "ns_steps"),
    },
}


def two_level_design(grid, generators):
    """The runs of a two-level fractional factorial design (Box, Hunter & Hunter).

    Every hyperparameter of ``grid`` with two values and not in ``generators`` takes each
    combination of them (the full product); one in ``generators`` takes its second value
    where an odd number of the hyperparameters it names take theirs. One value: always it.
    """
    free = [k for k, values in grid.items() if len(values) == 2 and k not in generators]
    runs = []
    for levels in itertools.product((0, 1), repeat=len(free)):
        level = dict(zip(free, levels, strict=True))
        for name, word in generators.items():
            level[name] = sum(level[k] for k in word) % 2
        runs.append({k: values[level.get(k, 0)] for k, values in grid.items()})
    return runs


CASES = [
    pytest.param(name, kwargs, id=f"{name}-" + "-".join(f"{k}={v}" for k, v in kwargs.items()))
    for name, grid in GRIDS.items()
    for kwargs in two_level_design(grid, GENERATORS[name])
] + [pytest.param(name, {}, id=f"{name}-defaults") for name in GRIDS]
# One configuration per optimiser that uses every part of its update.
FULL = {
    "Adafactor": {"lr": 0.05, "weight_decay": 0.1, "d": 1.0},
    "Muon": {"lr": 0.005, "weight_decay": 0.1, "momentum": 0.9, "adjust_lr_fn": "match_rms_adamw"},
}


def run_paramopt(name, kwargs, dtype=np.float64, steps=STEPS):
    params = [theta.astype(dtype) for theta in THETA0[name]]
    opt = getattr(po.optim, name)(params, **kwargs)
    for k in range(steps):
        opt.step(gradients(name, k, params))
    return params, opt.state


def run_torch(torch, name, configs, dtype=np.float64, steps=STEPS):
    """torch.optim.<name>, one param group per kwargs of ``configs``, all in one optimiser."""
    groups = [
        {
            "params": [
                torch.tensor(theta.astype(dtype), requires_grad=True) for theta in THETA0[name]
            ]
        }
        | kwargs
        for kwargs in configs
    ]
    extra = {"foreach": False} if name == "Adafactor" else {}
    opt = getattr(torch.optim, name)(groups, **extra)
    with torch_muon_in_dtype(torch):
        for k in range(steps):
            for group in groups:
                grads = gradients(name, k, [p.detach().numpy() for p in group["params"]])
                for p, g in zip(group["params"], grads, strict=True):
                    p.grad = torch.from_numpy(g.astype(dtype))
            opt.step()
    return [
        ([p.detach().numpy() for p in group["params"]], [opt.state[p] for p in group["params"]])
        for group in groups
    ]


@pytest.fixture(scope="module")
def torch_grid(torch):
    """``torch_grid(name, kwargs)``: torch's run for one of CASES, all of ``name`` at once."""
    runs = {}

    def get(name, kwargs):
        if name not in runs:
            configs = [case.values[1] for case in CASES if case.values[0] == name]
            runs[name] = dict(zip(map(repr, configs), run_torch(torch, name, configs), strict=True))
        return runs[name][repr(kwargs)]

    return get


def largest_relative_difference(ours, theirs):
    """max |ours − torch| / |torch| over every parameter and state entry."""
    (params, states), (torch_params, torch_states) = ours, theirs
    pairs = list(zip(params, torch_params, strict=True))
    for state, torch_state in zip(states, torch_states, strict=True):
        pairs += [(state[k], v.numpy()) for k, v in torch_state.items() if k != "step"]
    return max(float(np.max(np.abs(a - b) / np.abs(b), initial=0.0)) for a, b in pairs)


@pytest.mark.parametrize("name", GRIDS)
def test_the_design_meets_every_pair_of_values(name):
    grid, runs = GRIDS[name], two_level_design(GRIDS[name], GENERATORS[name])
    assert len(runs) == {"Adafactor": 16, "Muon": 32}[name]
    for a, b in itertools.combinations(grid, 2):
        met = {(repr(run[a]), repr(run[b])) for run in runs}
        assert met == {(repr(x), repr(y)) for x in grid[a] for y in grid[b]}, (a, b)


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_matches_torch_for_every_combination(torch_grid, name, kwargs):
    ours, theirs = run_paramopt(name, kwargs), torch_grid(name, kwargs)
    assert_same_run(ours, theirs)
    assert largest_relative_difference(ours, theirs) < RTOL
    for state, torch_state in zip(ours[1], theirs[1], strict=True):  # state_dicts correspond
        assert set(state) == set(torch_state) | {"step"}
        assert all(state[k].shape == tuple(v.shape) for k, v in torch_state.items() if k != "step")


@pytest.mark.parametrize("name", FULL)
def test_signature_and_defaults_are_torchs(torch, name):
    ours = inspect.signature(getattr(po.optim, name)).parameters
    theirs = inspect.signature(getattr(torch.optim, name)).parameters
    assert list(ours)[0] == "params"
    # every argument of torch's but foreach (torch-only, as for the other classes)
    assert set(theirs) - set(ours) == ({"foreach"} if name == "Adafactor" else set())
    for key in list(ours)[1:]:
        assert ours[key].default == theirs[key].default, key
        assert type(ours[key].default) is type(theirs[key].default), key


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


def test_torch_runs_newton_schulz_in_bfloat16_and_the_tests_patch_it(torch):
    """The quirk the patch removes: torch's own Muon agrees with ours to ~1e-2 per step."""
    G = np.random.default_rng(3).normal(size=(6, 10))
    ours = newton_schulz(G)
    bf16 = torch.optim._muon._zeropower_via_newtonschulz(torch.from_numpy(G), NS_DEFAULT, 5, 1e-7)
    assert bf16.dtype == torch.bfloat16
    difference = np.max(np.abs(bf16.double().numpy() - ours)) / np.max(np.abs(ours))
    assert 1e-3 < difference < 0.1
    patched = zeropower_in_dtype(torch.from_numpy(G), NS_DEFAULT, 5, 1e-7)
    np.testing.assert_allclose(patched.numpy(), ours, rtol=0, atol=1e-14)


def torch_state_as_ours(torch_opt, tensors, opt):
    """torch's optimiser state as a paramopt state_dict for ``opt`` (torch's Muon counts no
    steps: ``step`` is taken from ``opt``)."""
    state = opt.state_dict()
    for i, p in enumerate(tensors):
        for key, value in torch_opt.state[p].items():
            state["state"][i][key] = int(value.item()) if key == "step" else value.numpy().copy()
    return state


@pytest.mark.parametrize("name", FULL)
def test_torchs_state_loads_into_ours_and_the_runs_continue_together(torch, name):
    tensors = [torch.tensor(theta, requires_grad=True) for theta in THETA0[name]]
    extra = {"foreach": False} if name == "Adafactor" else {}
    torch_opt = getattr(torch.optim, name)(tensors, **FULL[name], **extra)
    params = [theta.copy() for theta in THETA0[name]]
    opt = getattr(po.optim, name)(params, **FULL[name])
    with torch_muon_in_dtype(torch):
        for k in range(40):
            if k == 20:  # torch's state, not ours, from here on
                for theta, tensor in zip(params, tensors, strict=True):
                    theta[...] = tensor.detach().numpy()
                opt.load_state_dict(torch_state_as_ours(torch_opt, tensors, opt))
            opt.step(gradients(name, k, params))
            grads = gradients(name, k, [t.detach().numpy() for t in tensors])
            for p, g in zip(tensors, grads, strict=True):
                p.grad = torch.from_numpy(g)
            torch_opt.step()
    for theta, tensor in zip(params, tensors, strict=True):
        np.testing.assert_allclose(theta, tensor.detach().numpy(), rtol=1e-12)


# Adafactor: first steps by hand.


def adafactor_step(theta, grads, **kwargs):
    theta = np.array(theta, dtype=float)
    opt = Adafactor([theta], **kwargs)
    for g in grads:
        opt.step([np.asarray(g, dtype=float)])
    return theta, opt.state[0]


def rms(x):
    return np.sqrt(np.mean(np.square(x)))


def test_adafactor_first_step_is_alpha_sign_g_when_g2_is_rank_one():
    theta0 = np.arange(12.0).reshape(3, 4) / 10 - 0.5
    g = np.outer([1.0, -2.0, 0.5], [0.3, 1.0, -1.0, 2.0])  # g² = x yᵀ: the estimate is exact
    theta, state = adafactor_step(theta0, [g], lr=0.05)
    # β2_1 = 1 - 1^τ = 0: R_1 and C_1 are the row and column means of g_1² alone
    np.testing.assert_allclose(state["row_var"], np.mean(g**2, axis=1, keepdims=True), rtol=1e-15)
    np.testing.assert_allclose(state["col_var"], np.mean(g**2, axis=0, keepdims=True), rtol=1e-15)
    alpha = max(1e-3, rms(theta0)) * min(0.05, 1.0)  # α_1 = max(ε2, RMS(θ_0)) ρ_1
    np.testing.assert_allclose(theta, theta0 - alpha * np.sign(g), rtol=1e-14)


def test_adafactor_on_a_vector_and_the_relative_step():
    g = np.array([0.3, -4.0, 1e-3])
    theta, state = adafactor_step([1.0, -2.0, 0.5], [g], lr=0.5)
    np.testing.assert_array_equal(state["variance"], g**2)
    alpha = rms([1.0, -2.0, 0.5]) * 0.5  # the step is a fraction ρ of θ's own size
    np.testing.assert_allclose(theta, [1.0 - alpha, -2.0 + alpha, 0.5 - alpha], rtol=1e-14)
    # a parameter at 0 moves by ε2 ρ: ε2 is the floor of the relative step
    theta, _ = adafactor_step([0.0, 0.0, 0.0], [g], lr=0.5, eps=(None, 0.01))
    np.testing.assert_allclose(theta, -0.01 * 0.5 * np.sign(g), rtol=1e-15)
    # γ only caps ρ_t = min(γ, 1/√t); with g = 1 throughout, U_t = 1 and
    # θ_t = θ_{t-1} - max(ε2, |θ_{t-1}|) ρ_t
    for lr in (1.0, 0.4):
        theta, _ = adafactor_step([0.0], [[1.0]] * 4, lr=lr, eps=(None, 0.01))
        expected = 0.0
        for t in range(1, 5):
            expected -= max(0.01, abs(expected)) * min(lr, 1 / t**0.5)
        np.testing.assert_allclose(theta, [expected], rtol=1e-15)


def test_adafactor_beta2_rises_as_one_minus_t_to_the_decay():
    g1, g2 = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    _, state = adafactor_step([1.0, 1.0], [g1, g2], beta2_decay=-0.8)
    beta2 = 1 - 2**-0.8  # β2_2 = 0.4257...
    np.testing.assert_allclose(state["variance"], beta2 * g1**2 + (1 - beta2) * g2**2, rtol=1e-15)


def test_adafactor_clips_the_update_at_rms_d():
    theta = np.ones(4)
    opt = Adafactor([theta], lr=0.1)
    opt.step([np.full(4, 1e-3)])
    before = theta.copy()
    # a large g_2 after a small g_1: U_2 = g_2/√V_2 has RMS ≈ 1/√(1 - β2_2) = 1.32 > d = 1,
    # so the step is cut back to RMS α_2 d
    opt.step([np.array([1.0, -1.0, 2.0, -2.0])])
    alpha = rms(before) * min(0.1, 1 / 2**0.5)
    np.testing.assert_allclose(rms(theta - before), alpha * 1.0, rtol=1e-14)
    v2 = opt.state[0]["variance"]
    assert rms(np.array([1.0, -1.0, 2.0, -2.0]) / np.sqrt(v2)) > 1.3


def test_adafactor_decay_is_decoupled_and_scaled_by_lr_not_by_the_step():
    g = np.array([0.5, -0.5])
    theta, state = adafactor_step([2.0, 1.0], [g], lr=0.1, weight_decay=0.5)
    alpha = rms([2.0, 1.0]) * 0.1  # α_1 from θ_0, before the decay
    np.testing.assert_allclose(theta, np.array([2.0, 1.0]) * (1 - 0.1 * 0.5) - alpha * np.sign(g))
    np.testing.assert_array_equal(state["variance"], g**2)  # λθ never reaches V


def test_adafactor_eps1_floors_the_root_of_the_estimate_and_maximize_climbs():
    g = np.array([0.1, -0.2, 2.0])  # √V_1 = |g| < ε1 = 0.5 for the first two
    theta, _ = adafactor_step(np.ones(3), [g], lr=0.1, eps=(0.5, 1e-3), d=10.0)
    u = g / np.maximum(np.abs(g), 0.5)
    np.testing.assert_allclose(theta, 1 - 0.1 * u, rtol=1e-15)
    climbed, _ = adafactor_step(np.ones(3), [g], lr=0.1, eps=(0.5, 1e-3), d=10.0, maximize=True)
    np.testing.assert_allclose(climbed, 1 + 0.1 * u, rtol=1e-15)


def test_adafactor_eps1_none_is_the_dtypes_machine_epsilon():
    opt = Adafactor([np.zeros(2, np.float32), np.zeros(2)])
    assert opt.eps == (None, 1e-3)
    # a zero gradient: V̂ = 0 is floored at ε1², U = 0/ε1 = 0, and θ stays finite
    opt.step([np.zeros(2, np.float32), np.zeros(2)])
    assert all(np.all(theta == 0) for theta in opt.params)
    tiny = np.array([1e-30, 0.0])  # √V = 1e-30 < ε1 = 2.2e-16: U = g/ε1
    theta, _ = adafactor_step([1.0, 1.0], [tiny], lr=0.1, d=1e9)
    np.testing.assert_allclose(theta, [1 - 0.1 * 1e-30 / np.finfo(float).eps, 1.0], rtol=1e-15)


def test_adafactor_eps1_none_follows_each_parameters_dtype_where_torch_takes_the_first(torch):
    g = np.array([1e-10, 1.0])  # |g| > float64's ε but < float32's 1.2e-7
    mixed = [np.zeros(2, np.float32), np.ones(2)]
    Adafactor(mixed, lr=0.1).step([np.ones(2, np.float32), g])
    alone, _ = adafactor_step(np.ones(2), [g], lr=0.1)
    np.testing.assert_array_equal(mixed[1], alone)  # U = sign(g): ε1 = 2.2e-16 for float64
    tensors = [torch.zeros(2, dtype=torch.float32, requires_grad=True), torch.ones(2)]
    tensors[0].grad, tensors[1].grad = torch.ones(2, dtype=torch.float32), torch.from_numpy(g)
    torch.optim.Adafactor(tensors, lr=0.1, foreach=False).step()
    # torch used float32's ε1 for the float64 parameter: U_0 = 1e-10 / 1.2e-7, not 1
    assert tensors[1][0].item() == pytest.approx(1 - 0.1 * 1e-10 / np.finfo(np.float32).eps)
    np.testing.assert_allclose(alone, [0.9, 0.9], rtol=1e-15)


def test_adafactor_keeps_a_0d_parameter_as_a_vector():
    theta = np.array(2.0)
    opt = Adafactor([theta], lr=0.1)
    assert opt.state[0]["variance"].shape == ()
    opt.step([np.array(-3.0)])
    assert theta.shape == () and theta == pytest.approx(2.0 + 0.1 * 2.0, rel=1e-15)


# The factored second moment and its memory.


def test_factored_second_moment_is_exact_for_a_rank_one_square_and_keeps_the_means():
    x, y = np.array([1.0, 4.0, 0.25]), np.array([2.0, 0.5, 1.0, 3.0])
    g2 = np.outer(x, y)
    row, col = g2.mean(axis=1, keepdims=True), g2.mean(axis=0, keepdims=True)
    np.testing.assert_allclose(factored_second_moment(row, col), g2, rtol=1e-15)
    np.testing.assert_allclose(factored_second_moment(row[:, 0], col[0]), g2, rtol=1e-15)
    v = np.random.default_rng(0).uniform(size=(5, 7))  # any V: a rank-one V̂ with its means
    estimate = factored_second_moment(v.mean(axis=1, keepdims=True), v.mean(axis=0, keepdims=True))
    assert np.linalg.matrix_rank(estimate) == 1
    np.testing.assert_allclose(estimate.mean(axis=1), v.mean(axis=1), rtol=1e-14)
    np.testing.assert_allclose(estimate.mean(axis=0), v.mean(axis=0), rtol=1e-14)
    batch = np.stack([v, 2 * v])  # (2, 5, 7): one estimate per matrix
    stacked = factored_second_moment(batch.mean(-1, keepdims=True), batch.mean(-2, keepdims=True))
    np.testing.assert_allclose(stacked, np.stack([estimate, 2 * estimate]), rtol=1e-14)
    # ε1 bounds the mean of R from below
    np.testing.assert_allclose(factored_second_moment([1e-3], [1.0], eps1=0.1), [[1e-2]])


def test_factored_second_moment_is_what_adafactor_divides_by():
    theta = np.ones((3, 5))
    opt = Adafactor([theta], lr=0.1, d=100.0)
    g = np.random.default_rng(1).normal(size=(3, 5))
    opt.step([g])
    v_hat = factored_second_moment(opt.state[0]["row_var"], opt.state[0]["col_var"])
    np.testing.assert_allclose(theta, 1 - 0.1 * g / np.sqrt(v_hat), rtol=1e-14)


def test_adafactor_state_of_a_256_by_512_matrix_holds_768_numbers(torch):
    theta = np.zeros((256, 512))
    opt = Adafactor([theta])
    state = opt.state[0]
    assert set(state) == {"step", "row_var", "col_var"}
    assert state["row_var"].shape == (256, 1) and state["col_var"].shape == (1, 512)
    assert sum(v.size for v in state.values() if isinstance(v, np.ndarray)) == 256 + 512
    tensor = torch.zeros(256, 512, requires_grad=True)  # torch's shapes, exactly
    tensor.grad = torch.ones(256, 512)
    reference = torch.optim.Adafactor([tensor])
    reference.step()
    assert tuple(reference.state[tensor]["row_var"].shape) == (256, 1)
    assert tuple(reference.state[tensor]["col_var"].shape) == (1, 512)
    assert po.optim.Adam([theta]).state[0]["exp_avg_sq"].size == 256 * 512  # Adam's, for scale
    batch = Adafactor([np.zeros((3, 4, 5))]).state[0]
    assert batch["row_var"].shape == (3, 4, 1) and batch["col_var"].shape == (3, 1, 5)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((np.ones((3, 2)), np.ones((1, 4))), ValueError, r"row_var and col_var.*\(3, 2\)"),
        ((np.ones((3, 1)), np.ones((2, 4))), ValueError, r"\(3, 1\) and \(2, 4\)"),
        ((np.ones((2, 3, 1)), np.ones((1, 4))), ValueError, r"\(2, 3, 1\) and \(1, 4\)"),
        ((np.ones(3), np.ones((1, 4))), ValueError, r"\(3,\) and \(1, 4\)"),
        ((np.ones((3, 1)), np.array([[np.nan, 1.0]])), ValueError, r"col_var must be finite"),
        ((np.array([["a"]]), np.ones((1, 4))), TypeError, r"row_var"),
        ((np.ones((3, 1)), np.ones((1, 4)), -1e-3), ValueError, r"Invalid eps1: -0\.001"),
        ((np.ones((3, 1)), np.ones((1, 4)), "0"), TypeError, r"eps1.*'0'"),
    ],
)
def test_factored_second_moment_rejects_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        factored_second_moment(*args)


# Newton–Schulz: what it does to singular values.


def iterated(sigma, coefficients, steps):
    """p(p(⋯p(σ)⋯)), ``steps`` times, p(σ) = aσ + bσ³ + cσ⁵."""
    a, b, c = coefficients
    for _ in range(steps):
        sigma = a * sigma + b * sigma**3 + c * sigma**5
    return sigma


MATRICES = {
    "square": np.random.default_rng(4).normal(size=(5, 5)),
    "wide": np.random.default_rng(5).normal(size=(4, 9)),
    "tall": np.random.default_rng(6).normal(size=(9, 4)),
    "rank-2": np.random.default_rng(7).normal(size=(6, 2)) @ np.ones((2, 5)) * [1, 2, 3, 4, 5],
    "tiny": 1e-9 * np.random.default_rng(8).normal(size=(3, 4)),  # ‖G‖_F < ε
}


# A rank-deficient matrix's zero singular values are rounding noise (1e-16) that the slope
# p'(0) = a = 3.4 multiplies at every step: 12 steps make them 1e-10, so not with rank-2.
ITERATIONS = [(NS_DEFAULT, 5), (NS_DEFAULT, 0), (NS_DEFAULT, 12), (CUBIC, 8), ((2.0, -1.5, 0.5), 3)]


@pytest.mark.parametrize(
    ("matrix", "coefficients", "steps"),
    [
        (matrix, coefficients, steps)
        for matrix in MATRICES
        for coefficients, steps in ITERATIONS
        if matrix != "rank-2" or steps <= 5
    ],
)
def test_newton_schulz_maps_each_singular_value_by_the_iterated_polynomial(
    matrix, coefficients, steps
):
    G = MATRICES[matrix]
    eps = 1e-7
    U, sigma, Vt = np.linalg.svd(G, full_matrices=False)
    p = iterated(sigma / max(np.linalg.norm(G), eps), coefficients, steps)
    X = newton_schulz(G, coefficients, steps, eps)
    assert X.shape == G.shape and X.dtype == G.dtype
    # the singular vectors are G's, each singular value σ goes to p^k(σ / max(‖G‖_F, ε))
    np.testing.assert_allclose(X, U @ np.diag(p) @ Vt, rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        np.sort(np.linalg.svd(X, compute_uv=False)), np.sort(np.abs(p)), rtol=0, atol=1e-12
    )


def test_newton_schulz_defaults_land_near_one_and_the_cubic_converges_to_uvt():
    G = MATRICES["wide"]
    U, _, Vt = np.linalg.svd(G, full_matrices=False)
    sigma = np.linalg.svd(newton_schulz(G), compute_uv=False)
    assert np.all((0.6 < sigma) & (sigma < 1.2))  # torch's 5 steps: near 1, not at 1
    np.testing.assert_allclose(newton_schulz(G, CUBIC, steps=40), U @ Vt, rtol=0, atol=1e-13)


def test_newton_schulz_transposes_a_tall_matrix_and_keeps_float32():
    G = MATRICES["wide"]
    assert np.array_equal(newton_schulz(G.T), newton_schulz(G).T)
    X32 = newton_schulz(G.astype(np.float32))
    assert X32.dtype == np.float32
    np.testing.assert_allclose(X32, newton_schulz(G), rtol=0, atol=1e-5)
    np.testing.assert_array_equal(newton_schulz(np.zeros((2, 3)), eps=0.0), np.zeros((2, 3)))
    np.testing.assert_array_equal(newton_schulz([[3, 0], [0, 4]], steps=0), [[0.6, 0], [0, 0.8]])


def test_newton_schulz_is_torchs_iteration(torch):
    for G in MATRICES.values():
        theirs = zeropower_in_dtype(torch.from_numpy(G), NS_DEFAULT, 5, 1e-7).numpy()
        np.testing.assert_allclose(newton_schulz(G), theirs, rtol=0, atol=1e-13)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"G": np.ones(3)}, ValueError, r"G must have 2 dimension.*\(3,\)"),
        ({"G": np.ones((2, 2, 2))}, ValueError, r"G must have 2.*\(2, 2, 2\)"),
        ({"G": [[1.0, np.inf]]}, ValueError, r"G must be finite.*inf"),
        ({"G": np.array([["a"]])}, TypeError, r"G must be a numeric array"),
        ({"coefficients": (1.0, 2.0)}, ValueError, r"Invalid coefficients: \(1\.0, 2\.0\)"),
        ({"coefficients": 3.0}, TypeError, r"coefficients must be a tuple.*3\.0"),
        ({"coefficients": (1.0, "b", 2.0)}, TypeError, r"coefficients\[1\].*'b'"),
        ({"steps": -1}, ValueError, r"Invalid steps: -1"),
        ({"steps": 2.5}, TypeError, r"steps must be an int.*2\.5"),
        ({"eps": -1e-7}, ValueError, r"Invalid eps: -1e-07"),
    ],
)
def test_newton_schulz_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        newton_schulz(**({"G": np.ones((2, 3))} | kwargs))


def test_adjusted_lr_is_torchs(torch):
    from torch.optim._muon import _adjust_lr

    for shape in [(4, 4), (3, 12), (12, 3), (1, 7), (100, 10)]:
        for fn in (None, "original", "match_rms_adamw"):
            assert adjusted_lr(0.02, fn, shape) == _adjust_lr(0.02, fn, torch.Size(shape))
    theta, _ = muon_steps([G1.T, G2.T], theta=W0.T, lr=0.1)  # None is "original"
    original, _ = muon_steps([G1.T, G2.T], theta=W0.T, lr=0.1, adjust_lr_fn="original")
    assert theta.tobytes() == original.tobytes()
    assert adjusted_lr(0.1, None, (8, 2)) == pytest.approx(0.2)  # √(A/B) for a tall matrix
    assert adjusted_lr(0.1, "original", (2, 8)) == 0.1  # 1 for a wide one
    assert adjusted_lr(0.1, "match_rms_adamw", (2, 25)) == pytest.approx(0.1)  # 0.2 √25


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((-0.1, None, (2, 3)), ValueError, r"Invalid lr: -0\.1"),
        ((0.1, "adamw", (2, 3)), ValueError, r"Invalid adjust_lr_fn: 'adamw'"),
        ((0.1, 2, (2, 3)), TypeError, r"adjust_lr_fn must be.*2"),
        ((0.1, None, (2, 3, 4)), ValueError, r"Invalid shape: \(2, 3, 4\)"),
        ((0.1, None, 6), ValueError, r"Invalid shape: 6"),
        ((0.1, None, (0, 3)), ValueError, r"Invalid shape\[0\]: 0"),
        ((0.1, None, (2.0, 3)), TypeError, r"shape\[0\] must be an int"),
    ],
)
def test_adjusted_lr_rejects_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        adjusted_lr(*args)


# Muon: first steps by hand.

W0 = np.random.default_rng(10).normal(size=(3, 5))
G1 = np.random.default_rng(11).normal(size=(3, 5))
G2 = np.random.default_rng(12).normal(size=(3, 5))


def muon_steps(grads, theta=W0, **kwargs):
    theta = theta.copy()
    opt = Muon([theta], **kwargs)
    for g in grads:
        opt.step([g])
    return theta, opt.state[0]


@pytest.mark.parametrize("nesterov", [True, False])
def test_muon_first_step_is_the_orthogonalised_gradient(nesterov):
    theta, state = muon_steps([G1], lr=0.1, momentum=0.9, nesterov=nesterov, weight_decay=0.0)
    np.testing.assert_allclose(state["momentum_buffer"], 0.1 * G1, rtol=1e-15)  # (1 - μ) g_1
    # U_1 = (1 - μ)(1 + μ) g_1 (Nesterov) or (1 - μ) g_1: a multiple of g_1, which
    # newton_schulz's normalisation removes
    step = (W0 - theta) / 0.1  # γ' = γ for a wide matrix
    np.testing.assert_allclose(step, newton_schulz(G1), rtol=0, atol=1e-14)
    sigma = np.linalg.svd(step, compute_uv=False)
    assert np.all(np.abs(sigma - 1) < 0.35)  # every direction steps by about γ
    U, _, Vt = np.linalg.svd(G1, full_matrices=False)
    assert np.linalg.norm(step - U @ Vt) < 0.35 * np.linalg.norm(U @ Vt)


def test_muon_momentum_is_an_average_not_torchs_docstring_sum():
    mu = 0.9
    theta, state = muon_steps([G1, G2], lr=0.1, momentum=mu, nesterov=False, weight_decay=0.0)
    buffer = mu * (1 - mu) * G1 + (1 - mu) * G2  # B_2 = μ B_1 + (1 - μ) g_2, not μ g_1 + g_2
    np.testing.assert_allclose(state["momentum_buffer"], buffer, rtol=1e-14)
    first, _ = muon_steps([G1], lr=0.1, momentum=mu, nesterov=False, weight_decay=0.0)
    np.testing.assert_allclose(theta, first - 0.1 * newton_schulz(buffer), rtol=0, atol=1e-14)
    _, nesterov = muon_steps([G1, G2], lr=0.1, momentum=mu, weight_decay=0.0)
    nesterov_update = mu * nesterov["momentum_buffer"] + (1 - mu) * G2  # torch's g.lerp(B, μ)
    theta, _ = muon_steps([G1, G2], lr=0.1, momentum=mu, weight_decay=0.0)
    nest_first, _ = muon_steps([G1], lr=0.1, momentum=mu, weight_decay=0.0)
    np.testing.assert_allclose(
        theta, nest_first - 0.1 * newton_schulz(nesterov_update), rtol=0, atol=1e-14
    )


def test_muon_decays_with_the_unadjusted_lr_and_steps_with_the_adjusted_one():
    tall = W0.T.copy()  # 5 × 3: γ' = γ √(5/3)
    theta, _ = muon_steps([np.zeros_like(tall)], theta=tall, lr=0.1, weight_decay=0.5)
    np.testing.assert_allclose(theta, tall * (1 - 0.1 * 0.5), rtol=1e-15)  # a zero g: decay only
    theta, _ = muon_steps([G1.T], theta=tall, lr=0.1, weight_decay=0.5, momentum=0.0)
    expected = tall * (1 - 0.1 * 0.5) - 0.1 * (5 / 3) ** 0.5 * newton_schulz(G1.T)
    np.testing.assert_allclose(theta, expected, rtol=0, atol=1e-14)
    theta, _ = muon_steps([G1], lr=0.1, weight_decay=0.0, adjust_lr_fn="match_rms_adamw")
    np.testing.assert_allclose(
        rms(theta - W0), 0.1 * 0.2 * 5**0.5 * rms(newton_schulz(G1)), rtol=1e-13
    )


def test_muon_with_momentum_one_only_decays():
    theta, state = muon_steps([G1, G2], lr=0.1, momentum=1.0, weight_decay=0.5)
    np.testing.assert_array_equal(state["momentum_buffer"], 0.0)
    np.testing.assert_allclose(theta, W0 * (1 - 0.05) ** 2, rtol=1e-15)


@pytest.mark.parametrize("shape", [(4,), (), (2, 3, 4), (1, 1, 1)])
def test_muon_rejects_a_parameter_that_is_not_a_matrix(shape):
    with pytest.raises(ValueError, match=rf"params\[1\] has shape {re.escape(str(shape))}.*AdamW"):
        Muon([np.zeros((2, 3)), np.zeros(shape)])


def test_an_empty_parameter_is_rejected_before_any_step():
    with pytest.raises(ValueError, match=r"params\[0\] has shape \(0, 3\).*one row"):
        Muon([np.zeros((0, 3))])
    with pytest.raises(ValueError, match=r"params\[1\] has shape \(2, 0\)"):
        Adafactor([np.zeros(3), np.zeros((2, 0))])


# Bad hyperparameters: a clear error, and nothing changes.

INVALID = [
    (Adafactor, {"lr": -0.1}, ValueError, r"Invalid lr: -0\.1"),
    (Adafactor, {"lr": "0.1"}, TypeError, r"lr must be a real number.*'0\.1'"),
    (Adafactor, {"beta2_decay": 0.5}, ValueError, r"Invalid beta2_decay: 0\.5"),
    (Adafactor, {"beta2_decay": None}, TypeError, r"beta2_decay.*None"),
    (Adafactor, {"eps": (-1e-3, 1e-3)}, ValueError, r"Invalid eps\[0\]: -0\.001"),
    (Adafactor, {"eps": (None, -1.0)}, ValueError, r"Invalid eps\[1\]: -1\.0"),
    (Adafactor, {"eps": (None, None)}, TypeError, r"eps\[1\].*None"),
    (Adafactor, {"eps": (None, 1e-3, 1.0)}, ValueError, r"Invalid eps: \(None, 0\.001, 1\.0\)"),
    (Adafactor, {"eps": 1e-3}, TypeError, r"eps must be a pair.*0\.001"),
    (Adafactor, {"d": 0.5}, ValueError, r"Invalid d: 0\.5"),
    (Adafactor, {"d": float("inf")}, ValueError, r"Invalid d: inf"),
    (Adafactor, {"weight_decay": -0.1}, ValueError, r"Invalid weight_decay: -0\.1"),
    (Adafactor, {"maximize": "yes"}, TypeError, r"maximize.*'yes'"),
    (Muon, {"lr": -1.0}, ValueError, r"Invalid lr: -1\.0"),
    (Muon, {"weight_decay": -0.1}, ValueError, r"Invalid weight_decay: -0\.1"),
    (Muon, {"momentum": -0.5}, ValueError, r"Invalid momentum: -0\.5"),
    (Muon, {"momentum": 1.5}, ValueError, r"Invalid momentum: 1\.5"),
    (Muon, {"nesterov": 1}, TypeError, r"nesterov.*1"),
    (Muon, {"ns_coefficients": (1.0, 2.0)}, ValueError, r"Invalid ns_coefficients: \(1\.0, 2"),
    (Muon, {"ns_coefficients": 3.0}, TypeError, r"ns_coefficients must be a tuple.*3\.0"),
    (Muon, {"ns_coefficients": (1.0, np.nan, 2.0)}, ValueError, r"ns_coefficients\[1\]: nan"),
    (Muon, {"eps": -1e-7}, ValueError, r"Invalid eps: -1e-07"),
    (Muon, {"ns_steps": -1}, ValueError, r"Invalid ns_steps: -1"),
    (Muon, {"ns_steps": 100}, ValueError, r"Invalid ns_steps: 100 \(must be < 100"),
    (Muon, {"ns_steps": 5.0}, TypeError, r"ns_steps must be an int.*5\.0"),
    (Muon, {"adjust_lr_fn": "rms"}, ValueError, r"Invalid adjust_lr_fn: 'rms'"),
    (Muon, {"adjust_lr_fn": 1}, TypeError, r"adjust_lr_fn must be.*1"),
]
SHAPE = {Adafactor: (3, 4), Muon: (3, 4)}


@pytest.mark.parametrize(
    ("cls", "kwargs", "error", "match"),
    INVALID,
    ids=[f"{c.__name__}-{next(iter(kw.items()))}" for c, kw, _, _ in INVALID],
)
def test_invalid_hyperparameter_is_named_and_changes_nothing(cls, kwargs, error, match):
    with pytest.raises(error, match=match):
        cls([np.zeros(SHAPE[cls])], **kwargs)
    # the same value in a checkpoint: load_state_dict raises and leaves the optimiser as it was
    (key, value), name = next(iter(kwargs.items())), cls.__name__
    if key == "lr" and error is ValueError:
        return  # a finite lr < 0 loads: a scheduler may leave one (OneCycleLR's last, as torch)
    target = cls([np.ones(SHAPE[cls])], **FULL[name])
    target.step([np.ones(SHAPE[cls])])
    state = target.state_dict()
    state["param_groups"][0][key] = value
    before = snapshot(target), target.hyperparameters()
    with pytest.raises(error, match=match):
        target.load_state_dict(state)
    assert_bitwise_equal(before[0], snapshot(target))
    assert target.hyperparameters() == before[1]


def test_a_state_of_another_shape_is_rejected_and_changes_nothing():
    target = Adafactor([np.ones((3, 4)), np.ones(4)])
    target.step([np.ones((3, 4)), np.ones(4)])
    before = snapshot(target)
    state = target.state_dict()
    state["state"][0]["col_var"] = np.ones((3, 1))
    with pytest.raises(ValueError, match=r"\['col_var'\] must be a float array of shape \(1, 4\)"):
        target.load_state_dict(state)
    vector = Adafactor([np.ones(4), np.ones((3, 4))]).state_dict()  # variance, then row/col
    with pytest.raises(ValueError, match=r"\[0\] holds \['step', 'variance'\], this optimiser"):
        target.load_state_dict(vector)
    assert_bitwise_equal(before, snapshot(target))


# Bad gradients, in-place views, checkpoints.


def _bad(grads, i, value):
    grads = list(grads)
    grads[i] = value
    return grads


BAD_GRADS = [
    (lambda g: g[:-1], r"2 grads for 3 params"),
    (lambda g: _bad(g, 2, np.zeros((3, 6))), r"grads\[2\].*\(6, 3\).*\(3, 6\)"),
    (lambda g: _bad(g, 1, np.where(np.eye(3, 6) == 1, np.nan, g[1])), r"grads\[1\].*nan"),
    (lambda g: _bad(g, 0, np.full((4, 4), -np.inf)), r"grads\[0\].*-inf"),
]


@pytest.mark.parametrize("name", FULL)
@pytest.mark.parametrize(("corrupt", "match"), BAD_GRADS)
def test_bad_grads_raise_and_change_nothing(name, corrupt, match):
    params = [theta.copy() for theta in THETA0["Muon"]]  # matrices: both classes take them
    opt = getattr(po.optim, name)(params, **FULL[name])
    for k in range(3):
        opt.step(gradients("Muon", k, params))
    before = snapshot(opt)
    with pytest.raises(ValueError, match=match):
        opt.step(corrupt(gradients("Muon", 3, params)))
    assert_bitwise_equal(before, snapshot(opt))
    opt.step(gradients("Muon", 3, params))
    assert all(s["step"] == 4 for s in opt.state)


@pytest.mark.parametrize("name", FULL)
def test_step_never_writes_into_grads_and_updates_views_in_place(name):
    storage = np.zeros((10, 12))
    # strided rows, strided columns, and a transposed (Fortran-ordered) tall matrix
    views = [storage[:4, :4], storage[4:7, ::2], storage[7:10, 4:10].T]
    for view, theta in zip(views, THETA0["Muon"], strict=True):
        view[...] = theta
    opt = getattr(po.optim, name)(views, **FULL[name])
    for k in range(30):
        grads = gradients("Muon", k, views)
        copies = [g.copy() for g in grads]
        opt.step(grads)
        for g, c in zip(grads, copies, strict=True):
            np.testing.assert_array_equal(g, c)
    expected = [theta.copy() for theta in THETA0["Muon"]]
    reference = getattr(po.optim, name)(expected, **FULL[name])
    for k in range(30):
        reference.step(gradients("Muon", k, expected))
    for view, theta in zip(views, expected, strict=True):
        np.testing.assert_allclose(view, theta, rtol=1e-14)


def make_composite(params, **muon):
    """Muon on the matrices of ``params``, AdamW on the rest."""
    matrices = [p for p in params if p.ndim == 2]
    others = [p for p in params if p.ndim != 2]
    return Composite(params, [Muon(matrices, **muon), po.optim.AdamW(others, lr=0.01)])


CHECKPOINTED = {
    "Adafactor": (lambda p: Adafactor(p, lr=0.05, weight_decay=0.1), "Adafactor"),
    "Muon": (lambda p: Muon(p, lr=0.02, adjust_lr_fn="match_rms_adamw"), "Muon"),
    "Composite": (lambda p: make_composite(p, lr=0.02), "Adafactor"),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", CHECKPOINTED)
def test_a_pickled_checkpoint_resumes_bitwise(name, dtype):
    make, data = CHECKPOINTED[name]

    def run(resume_at=None):
        params = [theta.astype(dtype) for theta in THETA0[data]]
        opt = make(params)
        for k in range(40):
            if k == resume_at:
                saved = pickle.loads(pickle.dumps({"p": params, "opt": opt.state_dict()}))
                params = saved["p"]
                opt = make(params)
                opt.load_state_dict(saved["opt"])
            opt.step([g.astype(dtype) for g in gradients(data, k, params)])
        return params, opt

    params, opt = run()
    resumed, resumed_opt = run(resume_at=17)
    for a, b in zip(params, resumed, strict=True):
        assert a.dtype == b.dtype == dtype and a.tobytes() == b.tobytes()
    assert_bitwise_equal(snapshot(opt), snapshot(resumed_opt))


# Composite: Muon on the matrices, AdamW on the rest, as one optimiser.


def model_params():
    rng = np.random.default_rng(30)
    return [
        rng.normal(size=(4, 3)),
        rng.normal(size=4),
        rng.normal(size=(2, 4)),
        rng.normal(size=2),
    ]


def model_grads(k, params):
    rng = np.random.default_rng(100 + k)
    return [p * 0.5 + rng.normal(scale=0.1, size=p.shape) for p in params]


def test_composite_routes_each_gradient_to_its_own_optimizer():
    params = model_params()
    muon = Muon([params[2], params[0]], lr=0.05)  # its own order, not params'
    adamw = po.optim.AdamW([params[1], params[3]], lr=0.01)
    opt = Composite(params, [muon, adamw])
    assert opt.params == params and all(a is b for a, b in zip(opt.params, params, strict=True))
    assert opt.optimizers == [muon, adamw]
    by_hand = [p.copy() for p in model_params()]
    muon2 = Muon([by_hand[2], by_hand[0]], lr=0.05)
    adamw2 = po.optim.AdamW([by_hand[1], by_hand[3]], lr=0.01)
    for k in range(10):
        opt.step(model_grads(k, params))
        grads = model_grads(k, by_hand)
        muon2.step([grads[2], grads[0]])
        adamw2.step([grads[1], grads[3]])
    for a, b in zip(params, by_hand, strict=True):
        assert a.tobytes() == b.tobytes()
    assert opt.state[0] is muon.state[1] and opt.state[3] is adamw.state[1]
    assert "Muon" in repr(opt) and "on params [2, 0]" in repr(opt)
    with pytest.raises(AttributeError, match="no single lr"):
        po.optim.lr_scheduler.StepLR(opt, 10)
    po.optim.lr_scheduler.StepLR(muon, 10)  # a schedule is a part's


BAD_COMPOSITE_GRADS = [
    (lambda g: g[:-1], r"3 grads for 4 params"),
    (lambda g: _bad(g, 3, np.array([0.0, np.nan])), r"grads\[3\].*nan"),
    (lambda g: _bad(g, 2, np.zeros((4, 2))), r"grads\[2\].*\(2, 4\).*\(4, 2\)"),
]


@pytest.mark.parametrize(("corrupt", "match"), BAD_COMPOSITE_GRADS)
def test_composite_checks_every_gradient_before_any_part_steps(corrupt, match):
    params = model_params()
    opt = make_composite(params, lr=0.05)
    for k in range(3):
        opt.step(model_grads(k, params))
    before = snapshot(opt)
    with pytest.raises(ValueError, match=match):
        opt.step(corrupt(model_grads(3, params)))  # the bad one is the last part's
    assert_bitwise_equal(before, snapshot(opt))


def test_composite_needs_each_parameter_in_exactly_one_optimizer():
    p = model_params()
    adamw = po.optim.AdamW
    cases = [
        (lambda: Composite(p, [Muon([p[0], p[2]]), adamw([p[1]])]), r"params\[3\].*none"),
        (lambda: Composite(p, [Muon([p[0], p[2]]), adamw(p[1:])]), r"\[1\]\.params\[1\].*also"),
        (lambda: Composite(p[:3], [Muon([p[0], p[2]]), adamw([p[1], p[3]])]), r"not in params"),
        (lambda: Composite(p, []), r"empty"),
        (lambda: Composite(p, [Muon([p[0], p[2]]), adamw([p[1].copy(), p[3]])]), r"not in params"),
    ]
    for build, match in cases:
        with pytest.raises(ValueError, match=match):
            build()
    muon = Muon([p[0], p[2]])
    with pytest.raises(ValueError, match=r"optimizers\[1\] appears twice"):
        Composite(p[:1] + p[2:3], [muon, muon])
    with pytest.raises(TypeError, match=r"optimizers\[1\] must be a paramopt.optim optimiser"):
        Composite(p, [muon, "AdamW"])
    with pytest.raises(TypeError, match=r"optimizers must be a list"):
        Composite(p, muon)


def test_a_bad_part_of_a_composite_checkpoint_changes_no_part():
    params = model_params()
    source, target = make_composite(params, lr=0.05), make_composite(model_params(), lr=0.05)
    for k in range(4):
        source.step(model_grads(k, params))
    target.step(model_grads(0, target.params))
    state = source.state_dict()
    assert state["type"] == "Composite" and [s["type"] for s in state["optimizers"]] == [
        "Muon",
        "AdamW",
    ]
    state["optimizers"][1]["state"][0]["exp_avg"] = np.zeros(7)  # the second part is bad
    before = snapshot(target), [opt.hyperparameters() for opt in target.optimizers]
    with pytest.raises(ValueError, match=r"\['optimizers'\]\[1\].*exp_avg"):
        target.load_state_dict(state)
    assert_bitwise_equal(before[0], snapshot(target))  # the first part was loaded, then undone
    with pytest.raises(ValueError, match=r"list of 2 state dicts"):
        target.load_state_dict(state | {"optimizers": state["optimizers"][:1]})
    target.load_state_dict(source.state_dict())  # the state, not the parameters
    assert_bitwise_equal(([], snapshot(source)[1]), ([], snapshot(target)[1]))


def test_fit_trains_with_a_composite_as_with_two_optimizers_by_hand():
    rng = np.random.default_rng(40)
    X, y = rng.normal(size=(60, 6)), rng.integers(0, 3, size=60)
    loss = po.nn.CrossEntropyLoss()

    def build():
        model = po.nn.mlp([6, 8, 3], "relu", "kaiming", rng=1)
        return model, make_composite(model.parameters(), lr=0.05)

    model, opt = build()
    history = po.train.fit(model, loss, opt, X, y, epochs=3, batch_size=16, rng=2)
    assert history.train_loss[-1] < history.train_loss[0]
    by_hand, parts = build()
    muon, adamw = parts.optimizers  # stepped one after the other, as a torch user does
    params = by_hand.parameters()
    batches = np.random.default_rng(2)
    for _ in range(3):
        for xb, yb in po.data.minibatches(X, y, 16, rng=batches):
            loss.forward(by_hand.forward(xb), yb)
            by_hand.backward(loss.backward())
            grads = dict(zip(map(id, params), by_hand.gradients(), strict=True))
            muon.step([grads[id(p)] for p in muon.params])
            adamw.step([grads[id(p)] for p in adamw.params])
    for a, b in zip(model.parameters(), params, strict=True):
        np.testing.assert_array_equal(a, b)


def test_create_builds_both_and_the_style_tells_them_apart():
    from paramopt.style import OPTIMIZER_STYLE

    assert po.optim.create("adafactor", [np.ones(3)]).lr == 1e-2
    assert po.optim.create("muon", [np.ones((2, 3))]).lr == 1e-3
    for name in ("Adafactor", "Muon"):
        assert po.optim.CLASSES[name] is getattr(po.optim, name)
        assert name in po.optim.__all__ and name in OPTIMIZER_STYLE
    looks = [tuple(s.values()) for s in OPTIMIZER_STYLE.values()]
    assert len(set(looks)) == len(looks)
