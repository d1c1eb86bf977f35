"""Checkpoints: state_dict / load_state_dict of every optimiser and scheduler.

A run stopped after k steps, pickled and resumed into freshly built objects continues
bitwise as the uninterrupted run, and as torch's; a bad checkpoint changes nothing.
"""

import copy
import pickle

import numpy as np
import pytest
from test_lr_scheduler import CASES, OPTIMIZERS, SGD, Halving

import paramopt as po
from paramopt.optim import lr_scheduler as S

STEPS, RESUME = 300, 137
_rng = np.random.default_rng(2024)
THETA0 = _rng.normal(size=(3, 4))
CURVATURE = _rng.uniform(0.5, 2.0, size=(3, 4))
NOISE = _rng.normal(scale=0.3, size=(STEPS, 3, 4))


def gradient(theta, k):
    return CURVATURE * theta + NOISE[k]


def loss(theta, k):
    return float(0.5 * np.sum(CURVATURE * theta**2) + np.sum(NOISE[k] * theta))


def train(build, resume_at=None, metric=False):
    """``STEPS`` steps of ``build([theta]) -> (optimizer, scheduler)``; at ``resume_at``
    everything is pickled, dropped, rebuilt from scratch and loaded."""
    theta = THETA0.copy()
    opt, sched = build([theta])
    lrs = []
    for k in range(STEPS):
        if k == resume_at:
            blob = pickle.dumps(
                {"theta": theta, "optimizer": opt.state_dict(), "scheduler": sched.state_dict()}
            )
            del opt, sched
            saved = pickle.loads(blob)
            theta = saved["theta"]
            opt, sched = build([theta])
            opt.load_state_dict(saved["optimizer"])
            sched.load_state_dict(saved["scheduler"])
        opt.step([gradient(theta, k)])
        sched.step(loss(theta, k)) if metric else sched.step()
        lrs.append(opt.lr)
    return theta, lrs, opt


def train_torch(torch, build):
    tensor = torch.tensor(THETA0, requires_grad=True)
    opt, sched = build(torch, [tensor])
    lrs = []
    for k in range(STEPS):
        theta = tensor.detach().numpy()
        tensor.grad = torch.from_numpy(gradient(theta, k))
        value = loss(theta, k)
        opt.step()
        sched.step(value) if isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau) else (
            sched.step()
        )
        lrs.append(opt.param_groups[0]["lr"])
    return tensor.detach().numpy(), lrs


RUNS = {
    "SGD-momentum+StepLR": (
        lambda p: (o := po.optim.SGD(p, lr=0.05, momentum=0.9), S.StepLR(o, 40, 0.5)),
        lambda t, p: (o := t.optim.SGD(p, lr=0.05, momentum=0.9), t.optim.lr_scheduler.StepLR(
            o, 40, 0.5)),
    ),
    "Adam+OneCycleLR": (
        lambda p: (o := po.optim.Adam(p, lr=0.01), S.OneCycleLR(o, 0.05, total_steps=STEPS)),
        lambda t, p: (o := t.optim.Adam(p, lr=0.01, foreach=False),
                      t.optim.lr_scheduler.OneCycleLR(o, 0.05, total_steps=STEPS)),
    ),
    "AdamW+CosineAnnealingLR": (
        lambda p: (o := po.optim.AdamW(p, lr=0.02, weight_decay=0.1),
                   S.CosineAnnealingLR(o, 120, 1e-3)),
        lambda t, p: (o := t.optim.AdamW(p, lr=0.02, weight_decay=0.1, foreach=False),
                      t.optim.lr_scheduler.CosineAnnealingLR(o, 120, 1e-3)),
    ),
    "Decoupled(Adam)+CosineAnnealingLR": (
        lambda p: (o := po.optim.DecoupledWeightDecay(po.optim.Adam(p, lr=0.02), 0.1),
                   S.CosineAnnealingLR(o, 120, 1e-3)),
        lambda t, p: (o := t.optim.AdamW(p, lr=0.02, weight_decay=0.1, foreach=False),
                      t.optim.lr_scheduler.CosineAnnealingLR(o, 120, 1e-3)),
    ),
    "SGD+SequentialLR(LinearLR, CosineAnnealingLR)": (
        lambda p: (o := po.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True), S.SequentialLR(
            o, [S.LinearLR(o, 0.01, total_iters=30), S.CosineAnnealingLR(o, 270)], [30])),
        lambda t, p: (o := t.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, foreach=False),
                      t.optim.lr_scheduler.SequentialLR(o, [
                          t.optim.lr_scheduler.LinearLR(o, 0.01, total_iters=30),
                          t.optim.lr_scheduler.CosineAnnealingLR(o, 270)], [30])),
    ),
    "SGD-momentum+ReduceLROnPlateau": (
        lambda p: (o := po.optim.SGD(p, lr=0.1, momentum=0.5),
                   S.ReduceLROnPlateau(o, patience=3, cooldown=2, factor=0.5)),
        lambda t, p: (o := t.optim.SGD(p, lr=0.1, momentum=0.5, foreach=False),
                      t.optim.lr_scheduler.ReduceLROnPlateau(o, patience=3, cooldown=2,
                                                             factor=0.5)),
    ),
}  # fmt: skip


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("run", RUNS)
def test_a_resumed_run_continues_bitwise_and_as_torch(torch, run):
    build, build_torch = RUNS[run]
    metric = "Plateau" in run
    theta, lrs, _ = train(build, metric=metric)
    resumed, resumed_lrs, _ = train(build, resume_at=RESUME, metric=metric)
    assert resumed.tobytes() == theta.tobytes()
    assert resumed_lrs == lrs
    assert len(set(lrs)) > 3  # the schedule moves
    torch_theta, torch_lrs = train_torch(torch, build_torch)
    np.testing.assert_allclose(lrs, torch_lrs, rtol=1e-12, atol=0)
    np.testing.assert_allclose(theta, torch_theta, rtol=1e-12, atol=1e-15)


def test_resuming_without_loading_the_scheduler_would_show():
    """The resume test can fail: a fresh scheduler restarts the schedule."""

    class Forgetful(S.StepLR):
        def load_state_dict(self, state_dict):
            pass

    def build(params):
        opt = po.optim.SGD(params, lr=0.05, momentum=0.9)
        return opt, S.StepLR(opt, 40, 0.5)

    def forgetful(params):
        opt = po.optim.SGD(params, lr=0.05, momentum=0.9)
        return opt, Forgetful(opt, 40, 0.5)

    _, lrs, _ = train(build)
    _, forgot, _ = train(forgetful, resume_at=RESUME)
    assert forgot != lrs


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("case", CASES)
def test_every_scheduler_resumes_its_rates_bitwise(case):
    name, kwargs = OPTIMIZERS.get(case, SGD)

    def build(params):
        opt = getattr(po.optim, name)(params, **kwargs)
        return opt, CASES[case](opt, S)

    _, lrs, opt = train(build)
    for at in (1, 5, RESUME):
        _, resumed, resumed_opt = train(build, resume_at=at)
        assert resumed == lrs, at
        assert resumed_opt.hyperparameters() == opt.hyperparameters()  # momenta too


OPTIMIZERS_TO_SAVE = {
    "SGD": lambda p: po.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    "Adagrad": lambda p: po.optim.Adagrad(p, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1),
    "RMSprop": lambda p: po.optim.RMSprop(p, lr=0.01, centered=True, momentum=0.9),
    "Adam": lambda p: po.optim.Adam(p, lr=0.01, amsgrad=True),
    "AdamW": lambda p: po.optim.AdamW(p, lr=0.01, weight_decay=0.1),
    "SGDW": lambda p: po.optim.create("SGDW", p, lr=0.05),
    "Nesterov": lambda p: po.optim.create("Nesterov", p, lr=0.05),
    "Decoupled(RMSprop)": lambda p: po.optim.DecoupledWeightDecay(po.optim.RMSprop(p), 0.1),
    "NAdam": lambda p: po.optim.NAdam(
        p, lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, momentum_decay=0.05
    ),
    "RAdam": lambda p: po.optim.RAdam(p, lr=0.01, weight_decay=0.01),
    "Adamax": lambda p: po.optim.Adamax(p, lr=0.01, weight_decay=0.01, maximize=True),
    "Adadelta": lambda p: po.optim.Adadelta(p, rho=0.8, weight_decay=0.01),
    "Adafactor": lambda p: po.optim.Adafactor(p, lr=0.05, weight_decay=0.1),  # row/col, variance
    # Muon takes the matrix only: AdamW the vector, as one optimiser
    "Composite(Muon, AdamW)": lambda p: po.optim.Composite(
        p, [po.optim.Muon(p[:1], lr=0.02), po.optim.AdamW(p[1:], lr=0.01)]
    ),
}


def run_optimizer(make, steps, resume_at=None, dtype=np.float64):
    params = [THETA0.astype(dtype), THETA0[0].astype(dtype)]
    opt = make(params)
    for k in range(steps):
        if k == resume_at:
            blob = pickle.dumps({"params": params, "optimizer": opt.state_dict()})
            saved = pickle.loads(blob)
            params = saved["params"]
            opt = make(params)
            opt.load_state_dict(saved["optimizer"])
        opt.step([gradient(params[0], k).astype(dtype), NOISE[k, 0].astype(dtype)])
    return params, opt


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", OPTIMIZERS_TO_SAVE)
def test_every_optimizer_resumes_bitwise(name, dtype):
    make = OPTIMIZERS_TO_SAVE[name]
    params, opt = run_optimizer(make, 60, dtype=dtype)
    resumed, resumed_opt = run_optimizer(make, 60, resume_at=23, dtype=dtype)
    for a, b in zip(params, resumed, strict=True):
        assert a.dtype == b.dtype == dtype and a.tobytes() == b.tobytes()
    for s, t in zip(opt.state, resumed_opt.state, strict=True):
        assert s.keys() == t.keys()
        for key in s:
            assert np.asarray(s[key]).tobytes() == np.asarray(t[key]).tobytes()


def test_an_optimizer_state_dict_is_torchs_layout_and_shares_no_memory():
    params, opt = run_optimizer(OPTIMIZERS_TO_SAVE["Adam"], 3)
    state = opt.state_dict()
    assert state["type"] == "Adam" and set(state["state"]) == {0, 1}
    assert state["state"][0]["step"] == 3 and set(state["state"][0]) == set(opt.state[0])
    (group,) = state["param_groups"]
    assert group["params"] == [0, 1] and group["lr"] == 0.01 and group["amsgrad"] is True
    assert group["initial_lr"] is None
    assert not np.may_share_memory(state["state"][0]["exp_avg"], opt.state[0]["exp_avg"])
    fresh = OPTIMIZERS_TO_SAVE["Adam"]([p.copy() for p in params])
    fresh.load_state_dict(state)
    state["state"][0]["exp_avg"][...] = 7.0  # the dict, not the optimiser
    assert not np.any(fresh.state[0]["exp_avg"] == 7.0)
    np.testing.assert_array_equal(fresh.state[0]["exp_avg_sq"], opt.state[0]["exp_avg_sq"])
    wrapped = OPTIMIZERS_TO_SAVE["SGDW"](params).state_dict()
    assert wrapped["type"] == "DecoupledWeightDecay" and wrapped["optimizer"]["type"] == "SGD"


# torch's own checkpoints of the optimisers added after Adam, loaded as ours
TORCH_LAYOUT = {
    "NAdam": {"lr": 0.01, "momentum_decay": 0.05, "weight_decay": 0.1},
    "RAdam": {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True},
    "Adamax": {"lr": 0.01, "betas": (0.8, 0.99)},
    "Adadelta": {"rho": 0.8, "eps": 1e-4},
}


def from_torch(state_dict, opt):
    """torch's ``optimizer.state_dict()`` with numpy arrays, Python numbers and only the
    hyperparameters ``opt`` has (torch adds foreach, capturable, differentiable...)."""

    def plain(key, value):  # step an int, mu_product a float, the rest arrays
        if key == "step":
            return int(value.item())
        return value.item() if value.ndim == 0 else value.numpy().copy()

    state = {
        i: {key: plain(key, value) for key, value in saved.items()}
        for i, saved in state_dict["state"].items()
    }
    (group,) = state_dict["param_groups"]
    hyper = {name: group[name] for name in opt.hyperparameters()}
    return {
        "type": type(opt).__name__,
        "state": state,
        "param_groups": [hyper | {"initial_lr": None, "params": group["params"]}],
    }


@pytest.mark.parametrize("name", TORCH_LAYOUT)
def test_torchs_checkpoint_loads_into_ours_and_continues_as_torch(torch, name):
    """The same names and layout as torch's state_dict: only tensors become numpy."""
    kwargs = TORCH_LAYOUT[name]
    params = [THETA0.copy(), THETA0[0].copy()]
    tensors = [torch.tensor(p, requires_grad=True) for p in params]
    reference = getattr(torch.optim, name)(tensors, foreach=False, **kwargs)

    def torch_step(k):
        theta = tensors[0].detach().numpy()
        tensors[0].grad = torch.from_numpy(gradient(theta, k))
        tensors[1].grad = torch.from_numpy(NOISE[k, 0].copy())
        reference.step()

    for k in range(3):  # RAdam: ρ_t ≤ 5 still, it adapts after the load
        torch_step(k)
    opt = getattr(po.optim, name)([t.detach().numpy().copy() for t in tensors], **kwargs)
    saved = reference.state_dict()
    ours = from_torch(saved, opt)
    assert set(ours["state"][0]) == set(opt.state[0])
    assert set(opt.state_dict()["param_groups"][0]) - {"initial_lr"} <= set(
        saved["param_groups"][0]
    )
    opt.load_state_dict(ours)
    if name == "NAdam":
        assert type(opt.state[0]["mu_product"]) is float
        assert opt.state[0]["mu_product"] == saved["state"][0]["mu_product"].item()
    for k in range(3, 40):
        opt.step([gradient(opt.params[0], k), NOISE[k, 0]])
        torch_step(k)
    for theta, tensor in zip(opt.params, tensors, strict=True):
        np.testing.assert_allclose(theta, tensor.detach().numpy(), rtol=1e-12, atol=1e-15)
    mine = opt.state_dict()["state"][0]
    theirs = from_torch(reference.state_dict(), opt)["state"][0]
    assert mine.keys() == theirs.keys() and mine["step"] == theirs["step"] == 40
    for key in mine:
        np.testing.assert_allclose(mine[key], theirs[key], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (np.ones(4), TypeError, r"\['mu_product'\] must be a real number"),
        ("0.5", TypeError, r"\['mu_product'\].*'0\.5'"),
        (float("nan"), ValueError, r"\['mu_product'\]: nan"),
    ],
)
def test_nadam_mu_product_must_be_a_number(value, error, match):
    _, source = run_optimizer(OPTIMIZERS_TO_SAVE["NAdam"], 5)
    _, target = run_optimizer(OPTIMIZERS_TO_SAVE["NAdam"], 2)
    before = snapshot(target)
    with pytest.raises(error, match=match):
        target.load_state_dict(_edit(["state", 1, "mu_product"], value)(source.state_dict()))
    assert_unchanged(before, snapshot(target))
    target.load_state_dict(source.state_dict())
    assert type(target.state[1]["mu_product"]) is float
    assert target.state[1]["mu_product"] == source.state[1]["mu_product"]


def snapshot(opt):
    return opt.hyperparameters(), opt.initial_lr, copy.deepcopy(opt.state)


def assert_unchanged(before, after):
    assert before[0] == after[0] and before[1] == after[1]
    for s, t in zip(before[2], after[2], strict=True):
        for key in s:
            assert np.asarray(s[key]).tobytes() == np.asarray(t[key]).tobytes()


def _edit(path, value):
    """A function that sets ``state[path...] = value`` on a deep copy."""

    def edit(state):
        state = copy.deepcopy(state)
        target = state
        for key in path[:-1]:
            target = target[key]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return state

    return edit


BAD_OPTIMIZER_STATES = [
    (_edit(["type"], "SGD"), ValueError, r"for a 'SGD', not a 'Adam'"),
    (lambda s: [s], TypeError, r"state_dict must be a dict"),
    (_edit(["param_groups", 0, "lr"], "0.1"), TypeError, r"param_groups\'\]\[0\]: lr.*'0\.1'"),
    (_edit(["param_groups", 0, "eps"], -1.0), ValueError, r"Invalid eps: -1\.0"),
    (_edit(["param_groups", 0, "amsgrad"], False), ValueError, r"keep state.*same options"),
    (_edit(["param_groups", 0, "betas"], KeyError), ValueError, r"has keys .*expected"),
    (_edit(["param_groups", 0, "params"], [0]), ValueError, r"params \[0\].*2 params"),
    (_edit(["param_groups", 0, "initial_lr"], -0.1), ValueError, r"initial_lr: -0\.1"),
    (_edit(["state", 1, "exp_avg"], np.zeros(5)), ValueError, r"\[1\]\['exp_avg'\].*\(4,\)"),
    (_edit(["state", 0, "exp_avg"], [[0.0] * 4] * 3), ValueError, r"\['exp_avg'\].*list"),
    (_edit(["state", 0, "max_exp_avg_sq"], KeyError), ValueError, r"state'\]\[0\] holds"),
    (_edit(["state", 0, "step"], -1), ValueError, r"step'\]: -1"),
    (_edit(["state", 0, "step"], 1.5), TypeError, r"step.*1\.5"),
    (_edit(["state", 2], {}), ValueError, r"keyed 0\.\.1"),
]


@pytest.mark.parametrize(("corrupt", "error", "match"), BAD_OPTIMIZER_STATES)
def test_a_bad_optimizer_state_dict_raises_and_changes_nothing(corrupt, error, match):
    params, source = run_optimizer(OPTIMIZERS_TO_SAVE["Adam"], 5)
    target_params, target = run_optimizer(OPTIMIZERS_TO_SAVE["Adam"], 2)
    target.lr = 0.003
    before = snapshot(target)
    with pytest.raises(error, match=match):
        target.load_state_dict(corrupt(source.state_dict()))
    assert_unchanged(before, snapshot(target))


def test_a_bad_wrapped_state_dict_changes_neither_the_wrapper_nor_the_wrapped():
    _, source = run_optimizer(OPTIMIZERS_TO_SAVE["SGDW"], 5)
    _, target = run_optimizer(OPTIMIZERS_TO_SAVE["SGDW"], 2)
    state = source.state_dict()
    before = (target.weight_decay, snapshot(target.optimizer))
    with pytest.raises(ValueError, match=r"Invalid weight_decay: -1"):
        target.load_state_dict(state | {"weight_decay": -1})
    with pytest.raises(ValueError, match=r"shape \(4,\)"):
        target.load_state_dict(
            _edit(["optimizer", "state", 1, "momentum_buffer"], np.ones(3))(state)
        )
    with pytest.raises(ValueError, match=r"for a 'SGD', not a 'DecoupledWeightDecay'"):
        target.load_state_dict(state["optimizer"])
    assert target.weight_decay == before[0]
    assert_unchanged(before[1], snapshot(target.optimizer))
    target.load_state_dict(state)
    assert target.weight_decay == source.weight_decay


def test_a_negative_rate_left_by_one_cycle_can_be_saved_and_loaded():
    """torch's OneCycleLR extrapolates its last rate (linear, three phases) below 0."""
    opt = po.optim.SGD([np.zeros(1)], lr=0.1, momentum=0.9)
    sched = S.OneCycleLR(opt, 0.1, total_steps=20, three_phase=True, anneal_strategy="linear")
    for _ in range(20):
        sched.step()
    assert opt.lr < 0
    fresh = po.optim.SGD([np.zeros(1)], lr=0.1, momentum=0.9)
    fresh.load_state_dict(pickle.loads(pickle.dumps(opt.state_dict())))
    assert fresh.lr == opt.lr


# Schedulers


def test_a_scheduler_state_dict_is_plain_and_nested_ones_are_saved_inside():
    opt = po.optim.SGD([np.zeros(1)], lr=0.1, momentum=0.9)
    sched = S.SequentialLR(
        opt, [S.LinearLR(opt, 0.1, total_iters=5), S.MultiStepLR(opt, [3, 3], 0.5)], [5]
    )
    for _ in range(7):
        sched.step()
    state = sched.state_dict()
    assert state["type"] == "SequentialLR" and state["last_epoch"] == 7
    assert [s["type"] for s in state["_schedulers"]] == ["LinearLR", "MultiStepLR"]
    assert "optimizer" not in state and "optimizer" not in state["_schedulers"][0]
    assert pickle.loads(pickle.dumps(state)) == state
    state["_schedulers"][1]["base_lrs"].append(5.0)  # a copy: the scheduler is untouched
    assert sched._schedulers[1].base_lrs == [0.1]


def test_lambdas_are_saved_only_as_callable_objects_like_torch():
    opt = po.optim.SGD([np.zeros(1)], lr=0.1)
    halving = Halving(10)
    sched = S.LambdaLR(opt, [halving])
    assert sched.state_dict()["lr_lambdas"] == [{"every": 10}]
    function = S.MultiplicativeLR(opt, lambda t: 0.9)
    assert function.state_dict()["lr_lambdas"] == [None]
    pickle.dumps(function.state_dict())  # no lambda inside
    state = sched.state_dict()
    state["lr_lambdas"] = [{"every": 3}]
    other = Halving(10)
    S.LambdaLR(po.optim.SGD([np.zeros(1)], lr=0.1), other).load_state_dict(state)
    assert other.every == 3 and halving.every == 10
    with pytest.raises(ValueError, match=r"lr_lambdas'\]\[0\] holds the attributes"):
        S.LambdaLR(opt, lambda t: 1.0).load_state_dict(state)


def test_cyclic_saves_a_scale_fn_only_as_a_callable_object():
    opt = po.optim.Adam([np.zeros(1)])
    with_function = S.CyclicLR(opt, 0.01, 0.1, scale_fn=lambda x: 1.0)
    assert with_function.state_dict()["_scale_fn_custom"] is None
    scale = Halving(2)
    with_object = S.CyclicLR(opt, 0.01, 0.1, scale_fn=scale, scale_mode="iterations")
    assert with_object.state_dict()["_scale_fn_custom"] == {"every": 2}
    pickle.dumps(with_function.state_dict())


BAD_SCHEDULER_STATES = [
    (lambda s: s | {"type": "ExponentialLR"}, ValueError, r"for a 'ExponentialLR', not a 'StepLR'"),
    (lambda s: None, TypeError, r"state_dict must be a dict"),
    (lambda s: {k: v for k, v in s.items() if k != "gamma"}, ValueError, r"must have keys"),
    (lambda s: s | {"extra": 1}, ValueError, r"must have keys"),
    (lambda s: s | {"gamma": "0.5"}, ValueError, r"state_dict\['gamma'\] must be a number"),
    (lambda s: s | {"base_lrs": [0.1, 0.2]}, ValueError, r"base_lrs'\] must be a list of 1"),
    (lambda s: s | {"last_epoch": 2.5}, TypeError, r"last_epoch'\].*2\.5"),
]


@pytest.mark.parametrize(("corrupt", "error", "match"), BAD_SCHEDULER_STATES)
def test_a_bad_scheduler_state_dict_raises_and_changes_nothing(corrupt, error, match):
    opt = po.optim.SGD([np.zeros(1)], lr=0.1)
    sched = S.StepLR(opt, 3, 0.5)
    for _ in range(4):
        sched.step()
    target = S.StepLR(po.optim.SGD([np.zeros(1)], lr=0.1), 3, 0.5)
    before = dict(target.__dict__)
    with pytest.raises(error, match=match):
        target.load_state_dict(corrupt(sched.state_dict()))
    assert target.__dict__ == before


def test_a_bad_nested_state_changes_no_scheduler():
    def build():
        opt = po.optim.SGD([np.zeros(1)], lr=0.1)
        return S.SequentialLR(opt, [S.ConstantLR(opt, 0.5, 4), S.ExponentialLR(opt, 0.9)], [4])

    source, target = build(), build()
    for _ in range(6):
        source.step()
    state = source.state_dict()
    state["_schedulers"][1]["gamma"] = None
    before = [dict(s.__dict__) for s in (target, *target._schedulers)]
    with pytest.raises(ValueError, match=r"gamma'\] must be a number"):
        target.load_state_dict(state)
    assert [dict(s.__dict__) for s in (target, *target._schedulers)] == before


def test_plateau_mode_is_checked_and_restored():
    opt = po.optim.SGD([np.zeros(1)], lr=0.1)
    source = S.ReduceLROnPlateau(opt, mode="max")
    target = S.ReduceLROnPlateau(po.optim.SGD([np.zeros(1)], lr=0.1))
    target.load_state_dict(source.state_dict())
    assert target.mode == "max" and target.mode_worse == -np.inf and target.best == -np.inf
    with pytest.raises(ValueError, match=r"mode'\]: 'maximum'"):
        target.load_state_dict(source.state_dict() | {"mode": "maximum"})
