"""paramopt.optim.lr_scheduler: torch's rates (and momenta) step by step, and bad input.

Every case builds the same schedule in both libraries from one ``make(optimizer, module)``
and compares the whole sequence of rates, γ_0 ... γ_STEPS, to relative 1e-12.
"""

import inspect
import math
import re

import numpy as np
import pytest

import paramopt as po
from paramopt.optim import lr_scheduler as S

STEPS = 400
RTOL = 1e-12
SGD = ("SGD", {"lr": 0.1, "momentum": 0.9})


class Halving:
    """A callable object (not a function): its attributes go into the state_dict."""

    def __init__(self, every):
        self.every = every

    def __call__(self, epoch):
        return 0.5 ** (epoch // self.every)


CASES = {
    "StepLR": lambda o, M: M.StepLR(o, step_size=30),
    "StepLR-gamma": lambda o, M: M.StepLR(o, 7, gamma=0.8),
    "StepLR-grows": lambda o, M: M.StepLR(o, 50, gamma=1.5),
    "MultiStepLR": lambda o, M: M.MultiStepLR(o, [50, 150, 300], gamma=0.5),
    "MultiStepLR-repeated": lambda o, M: M.MultiStepLR(o, [120, 30, 30, 200, 30], gamma=0.5),
    "MultiStepLR-zero": lambda o, M: M.MultiStepLR(o, (0, 10)),
    "ExponentialLR": lambda o, M: M.ExponentialLR(o, gamma=0.99),
    "ExponentialLR-int": lambda o, M: M.ExponentialLR(o, gamma=1),
    "CosineAnnealingLR": lambda o, M: M.CosineAnnealingLR(o, T_max=100),
    "CosineAnnealingLR-eta_min": lambda o, M: M.CosineAnnealingLR(o, T_max=37, eta_min=0.01),
    "CosineAnnealingLR-eta_min-above": lambda o, M: M.CosineAnnealingLR(o, 50, eta_min=0.3),
    "CosineAnnealingLR-1": lambda o, M: M.CosineAnnealingLR(o, T_max=1, eta_min=0.001),
    "LinearLR": lambda o, M: M.LinearLR(o),
    "LinearLR-warmup": lambda o, M: M.LinearLR(o, start_factor=0.01, total_iters=100),
    "LinearLR-decay": lambda o, M: M.LinearLR(o, start_factor=1.0, end_factor=0.0, total_iters=300),
    "ConstantLR": lambda o, M: M.ConstantLR(o),
    "ConstantLR-long": lambda o, M: M.ConstantLR(o, factor=0.1, total_iters=250),
    "PolynomialLR": lambda o, M: M.PolynomialLR(o),
    "PolynomialLR-2": lambda o, M: M.PolynomialLR(o, total_iters=300, power=2.0),
    "PolynomialLR-half": lambda o, M: M.PolynomialLR(o, total_iters=350, power=0.5),
    "LambdaLR": lambda o, M: M.LambdaLR(o, lambda t: 1 / (1 + 0.05 * t)),
    "LambdaLR-object": lambda o, M: M.LambdaLR(o, [Halving(40)]),
    "MultiplicativeLR": lambda o, M: M.MultiplicativeLR(o, lambda t: 0.995),
    "MultiplicativeLR-varying": lambda o, M: M.MultiplicativeLR(o, lambda t: 1 - 1 / (t + 10)),
    "OneCycleLR": lambda o, M: M.OneCycleLR(o, max_lr=1.0, total_steps=STEPS),
    "OneCycleLR-linear": lambda o, M: M.OneCycleLR(
        o, 0.5, total_steps=STEPS, anneal_strategy="linear", pct_start=0.25
    ),
    "OneCycleLR-three_phase": lambda o, M: M.OneCycleLR(
        o, 0.5, epochs=8, steps_per_epoch=50, three_phase=True, div_factor=10.0
    ),
    "OneCycleLR-three_phase-linear": lambda o, M: M.OneCycleLR(
        o,
        2.0,
        total_steps=STEPS,
        three_phase=True,
        anneal_strategy="linear",
        base_momentum=0.8,
        max_momentum=0.9,
        final_div_factor=100.0,
    ),  # fmt: skip
    "CyclicLR": lambda o, M: M.CyclicLR(o, 0.01, 0.1, step_size_up=40),
    "CyclicLR-triangular2": lambda o, M: M.CyclicLR(
        o, 0.001, 0.1, step_size_up=25, step_size_down=50, mode="triangular2"
    ),
    "CyclicLR-exp_range": lambda o, M: M.CyclicLR(
        o, 0.01, 0.2, step_size_up=30, mode="exp_range", gamma=0.995
    ),
    "CyclicLR-scale_fn": lambda o, M: M.CyclicLR(
        o, 0.01, 0.2, step_size_up=20, scale_fn=lambda x: 1 / (1 + x), scale_mode="iterations"
    ),
    "CyclicLR-no-momentum": lambda o, M: M.CyclicLR(o, [0.01], [0.1], 15, cycle_momentum=False),
    "CosineAnnealingWarmRestarts": lambda o, M: M.CosineAnnealingWarmRestarts(o, T_0=50),
    "CosineAnnealingWarmRestarts-T_mult": lambda o, M: M.CosineAnnealingWarmRestarts(
        o, T_0=10, T_mult=2, eta_min=0.001
    ),
    "CosineAnnealingWarmRestarts-T_mult3": lambda o, M: M.CosineAnnealingWarmRestarts(o, 7, 3),
    "SequentialLR-warmup-cosine": lambda o, M: M.SequentialLR(
        o, [M.LinearLR(o, start_factor=0.01, total_iters=20), M.CosineAnnealingLR(o, 300)], [20]
    ),
    "SequentialLR-three": lambda o, M: M.SequentialLR(
        o,
        [M.ConstantLR(o, 0.5, 30), M.ExponentialLR(o, 0.99), M.StepLR(o, 25, 0.5)],
        milestones=[50, 200],
    ),
    "SequentialLR-restarts": lambda o, M: M.SequentialLR(
        o,
        [
            M.ExponentialLR(o, 0.95),
            M.MultiplicativeLR(o, lambda t: 0.97),
            M.LambdaLR(o, lambda t: 0.9**t),
        ],
        [40, 90],
    ),  # fmt: skip
    "SequentialLR-cyclic-sgdr": lambda o, M: M.SequentialLR(
        o, [M.CyclicLR(o, 0.01, 0.1, 10), M.CosineAnnealingWarmRestarts(o, 30, 2)], [60]
    ),
    "ChainedScheduler": lambda o, M: M.ChainedScheduler(
        [M.ExponentialLR(o, 0.995), M.StepLR(o, 40, 0.5), M.CosineAnnealingLR(o, 60)]
    ),
    "ChainedScheduler-warmup": lambda o, M: M.ChainedScheduler(
        [M.ConstantLR(o, 0.1, 10), M.PolynomialLR(o, 350, 1.5), M.MultiStepLR(o, [100, 100])],
        optimizer=o,
    ),
}
# the optimiser each case runs on (default SGD with momentum)
OPTIMIZERS = {
    "OneCycleLR-linear": ("Adam", {"lr": 0.01}),
    "OneCycleLR-three_phase": ("RMSprop", {"lr": 0.01, "momentum": 0.5}),
    "OneCycleLR-three_phase-linear": ("AdamW", {"lr": 0.01}),
    "CyclicLR": ("Adam", {"lr": 0.01}),
    "CyclicLR-no-momentum": ("Adagrad", {"lr": 0.01}),
    "CyclicLR-exp_range": ("AdamW", {"lr": 0.01, "betas": (0.8, 0.99)}),
    "ExponentialLR": ("Adagrad", {"lr": 0.5}),
}


def momentum_of(opt):
    if hasattr(opt, "betas"):
        return opt.betas[0]
    return getattr(opt, "momentum", None)


def run_ours(make, optimizer=SGD, steps=STEPS, wrap=False):
    name, kwargs = optimizer
    opt = getattr(po.optim, name)([np.zeros(2)], **kwargs)
    if wrap:  # AdamW's schedule, through the wrapper
        opt = po.optim.DecoupledWeightDecay(opt, 0.01)
    sched = make(opt, S)
    lrs, momenta = [opt.lr], [momentum_of(opt)]
    assert sched.get_last_lr() == [opt.lr]
    for _ in range(steps):
        opt.step([np.ones(2)])
        sched.step()
        lrs.append(opt.lr)
        momenta.append(momentum_of(opt))
        assert sched.get_last_lr() == [opt.lr]
    return lrs, momenta, sched


def run_torch(torch, make, optimizer=SGD, steps=STEPS):
    name, kwargs = optimizer
    opt = getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], **kwargs)
    sched = make(opt, torch.optim.lr_scheduler)
    group = opt.param_groups[0]

    def momentum():
        return group["betas"][0] if "betas" in group else group.get("momentum")

    lrs, momenta = [group["lr"]], [momentum()]
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(group["lr"])
        momenta.append(momentum())
    return lrs, momenta, sched


def assert_same_sequence(ours, theirs, what="lr"):
    assert len(ours) == len(theirs)
    if theirs[0] is None:
        assert all(v is None for v in ours) and all(v is None for v in theirs)
        return
    np.testing.assert_allclose(
        np.array(ours, dtype=float), np.array(theirs, dtype=float), rtol=RTOL, atol=0, err_msg=what
    )


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("case", CASES)
def test_rates_and_momenta_match_torch(torch, case):
    optimizer = OPTIMIZERS.get(case, SGD)
    lrs, momenta, _ = run_ours(CASES[case], optimizer)
    torch_lrs, torch_momenta, _ = run_torch(torch, CASES[case], optimizer)
    assert_same_sequence(lrs, torch_lrs)
    assert_same_sequence(momenta, torch_momenta, "momentum")


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(
    "case", ["OneCycleLR", "OneCycleLR-linear", "CyclicLR-exp_range", "CosineAnnealingLR"]
)
def test_a_scheduler_on_decoupled_weight_decay_is_torchs_on_adamw(torch, case):
    lrs, momenta, _ = run_ours(CASES[case], ("Adam", {"lr": 0.01}), wrap=True)
    torch_lrs, torch_momenta, _ = run_torch(torch, CASES[case], ("AdamW", {"lr": 0.01}))
    assert_same_sequence(lrs, torch_lrs)
    assert_same_sequence(momenta, torch_momenta, "beta1")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_schedule_drives_the_training_run_exactly_as_torch(torch):
    """AdamW (the wrapper around Adam) under OneCycleLR: parameters, not only rates."""
    rng = np.random.default_rng(5)
    theta0, curvature = rng.normal(size=(3, 4)), rng.uniform(0.5, 2, size=(3, 4))
    theta = theta0.copy()
    opt = po.optim.DecoupledWeightDecay(po.optim.Adam([theta], lr=0.01), 0.05)
    sched = S.OneCycleLR(opt, max_lr=0.05, total_steps=300)
    tensor = torch.tensor(theta0, requires_grad=True)
    topt = torch.optim.AdamW([tensor], lr=0.01, weight_decay=0.05, foreach=False)
    tsched = torch.optim.lr_scheduler.OneCycleLR(topt, max_lr=0.05, total_steps=300)
    for _ in range(300):
        opt.step([curvature * theta])
        sched.step()
        tensor.grad = torch.from_numpy(curvature * tensor.detach().numpy())
        topt.step()
        tsched.step()
    assert opt.betas[0] == topt.param_groups[0]["betas"][0]
    np.testing.assert_allclose(theta, tensor.detach().numpy(), rtol=1e-12, atol=1e-15)


NUDGED = {  # a relative change of 1e-9 in one argument
    "StepLR-gamma": lambda o, M: M.StepLR(o, 7, gamma=0.8 * (1 + 1e-9)),
    "CosineAnnealingLR-eta_min": lambda o, M: M.CosineAnnealingLR(o, 37, eta_min=0.01 + 1e-11),
    "OneCycleLR": lambda o, M: M.OneCycleLR(o, max_lr=1.0 + 1e-9, total_steps=STEPS),
    "CyclicLR": lambda o, M: M.CyclicLR(o, 0.01, 0.1, step_size_up=40, max_momentum=0.9 + 1e-9),
}


@pytest.mark.parametrize("case", NUDGED)
def test_the_parity_check_notices_a_relative_change_of_1e_9(torch, case):
    optimizer = OPTIMIZERS.get(case, SGD)
    lrs, momenta, _ = run_ours(CASES[case], optimizer)
    torch_lrs, torch_momenta, _ = run_torch(torch, NUDGED[case], optimizer)
    with pytest.raises(AssertionError):
        assert_same_sequence(lrs, torch_lrs)
        assert_same_sequence(momenta, torch_momenta)


@pytest.mark.parametrize("T_max", [1, 7, 50])
@pytest.mark.parametrize("eta_min", [0.0, 0.02])
def test_cosine_closed_and_recursive_forms_are_torchs_and_rise_past_t_max(torch, T_max, eta_min):
    def make(o, M):
        return M.CosineAnnealingLR(o, T_max=T_max, eta_min=eta_min)

    lrs, _, sched = run_ours(make, steps=0)
    tlrs, _, tsched = run_torch(torch, make, steps=0)
    for _ in range(6 * T_max + 300):
        sched.step()
        tsched.optimizer.step()
        tsched.step()
        lrs.append(sched._get_closed_form_lr()[0])
        tlrs.append(tsched._get_closed_form_lr()[0])
    np.testing.assert_allclose(lrs, tlrs, rtol=RTOL)
    t = np.arange(len(lrs))
    closed = eta_min + (0.1 - eta_min) * (1 + np.cos(np.pi * t / T_max)) / 2
    np.testing.assert_allclose(lrs, closed, rtol=1e-12, atol=1e-17)
    recursive, _, _ = run_ours(make, steps=3 * T_max)
    assert recursive[T_max] == pytest.approx(eta_min, abs=1e-15)
    assert recursive[2 * T_max] == pytest.approx(0.1, rel=1e-12)  # back up: no restart
    assert recursive[T_max + 1] > recursive[T_max] or T_max == 1


def test_multistep_milestones_are_a_multiset():
    lrs, _, sched = run_ours(lambda o, M: M.MultiStepLR(o, [3, 3, 5], gamma=0.5), steps=6)
    assert lrs == [0.1, 0.1, 0.1, 0.025, 0.025, 0.0125, 0.0125]
    assert sched._get_closed_form_lr() == [0.1 * 0.5**3]


def test_sequential_restarts_from_the_base_rate_at_each_milestone():
    def make(o, M):
        return M.SequentialLR(o, [M.ExponentialLR(o, 0.5), M.ExponentialLR(o, 0.9)], [3])

    lrs, _, _ = run_ours(make, steps=5)
    np.testing.assert_allclose(lrs, [0.1, 0.05, 0.025, 0.1, 0.09, 0.081], rtol=1e-15)


def test_cyclic_cycles_adams_beta1_by_default_and_keeps_beta2():
    opt = po.optim.Adam([np.zeros(2)], lr=0.5, betas=(0.7, 0.98))
    sched = S.CyclicLR(opt, 0.001, 0.01, step_size_up=2)
    assert opt.lr == 0.001 and opt.betas == (0.9, 0.98) and sched.base_lrs == [0.001]
    sched.step()
    assert opt.betas == pytest.approx((0.85, 0.98)) and opt.lr == pytest.approx(0.0055)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("T_mult", [1, 2])
def test_warm_restarts_with_fractional_epochs_as_torch(torch, T_mult):
    def make(o, M):
        return M.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=T_mult, eta_min=0.001)

    _, _, sched = run_ours(make, steps=0)
    _, _, tsched = run_torch(torch, make, steps=0)
    epochs = [e + i / 7 for e in range(60) for i in range(7)]
    ours, theirs = [], []
    for epoch in epochs:
        sched.step(epoch)
        tsched.step(epoch)
        ours.append(sched.get_last_lr()[0])
        theirs.append(tsched.get_last_lr()[0])
    np.testing.assert_allclose(ours, theirs, rtol=RTOL)


PLATEAU = {
    "min-rel": {},
    "min-abs-cooldown": {"threshold_mode": "abs", "threshold": 0.01, "cooldown": 3, "patience": 2},
    "max-rel": {"mode": "max", "patience": 4, "factor": 0.5},
    "max-abs-min_lr": {"mode": "max", "threshold_mode": "abs", "patience": 0, "min_lr": 0.003},
    "min-eps": {"patience": 1, "factor": 0.9, "eps": 0.005, "min_lr": [0.0]},
    "min-nan": {"patience": 3, "cooldown": 1, "threshold": 0.0},
}


def metrics(case):
    """A noisy loss that plateaus, with repeats, jumps and (for "nan") NaNs."""
    rng = np.random.default_rng(3)
    t = np.arange(STEPS)
    values = np.round(1 / (1 + t / 20) + 0.05 * rng.normal(size=STEPS), 2)
    values[100:140] = values[99]
    if "max" in case:
        values = -values
    if case == "min-nan":
        values[::17] = np.nan
    return list(values)


@pytest.mark.parametrize("case", PLATEAU)
def test_reduce_on_plateau_matches_torch(torch, case):
    kwargs = PLATEAU[case]
    opt = po.optim.SGD([np.zeros(1)], lr=0.1, momentum=0.9)
    sched = S.ReduceLROnPlateau(opt, **kwargs)
    topt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    tsched = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, **kwargs)
    ours, theirs, bad, tbad = [], [], [], []
    for value in metrics(case):
        sched.step(np.float64(value) if case == "min-eps" else value)
        tsched.step(value)
        ours.append(opt.lr)
        theirs.append(topt.param_groups[0]["lr"])
        bad.append((sched.num_bad_epochs, sched.cooldown_counter, sched.best))
        tbad.append((tsched.num_bad_epochs, tsched.cooldown_counter, tsched.best))
    assert_same_sequence(ours, theirs)
    assert bad == tbad or case == "min-nan"  # NaN != NaN in the tuples
    assert len(set(ours)) > 2, "the case must reduce the rate more than once"


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_last_epoch_resumes_as_torch(torch):
    def make(o, M):
        return M.CosineAnnealingLR(o, T_max=40, eta_min=0.001, last_epoch=25)

    opt = po.optim.SGD([np.zeros(1)], lr=0.05)
    opt.initial_lr = 0.1
    tensor = torch.zeros(1, requires_grad=True)
    topt = torch.optim.SGD([{"params": [tensor], "initial_lr": 0.1}], lr=0.05)
    sched, tsched = make(opt, S), make(topt, torch.optim.lr_scheduler)
    ours, theirs = [opt.lr], [topt.param_groups[0]["lr"]]
    for _ in range(300):
        sched.step()
        topt.step()
        tsched.step()
        ours.append(opt.lr)
        theirs.append(topt.param_groups[0]["lr"])
    assert_same_sequence(ours, theirs)
    with pytest.raises(ValueError, match="initial_lr"):
        make(po.optim.SGD([np.zeros(1)]), S)


@pytest.mark.parametrize("name", S.__all__[1:])
def test_signature_and_defaults_are_torchs(torch, name):
    ours = inspect.signature(getattr(S, name)).parameters
    theirs = inspect.signature(getattr(torch.optim.lr_scheduler, name)).parameters
    assert list(ours) == list(theirs)
    for key in ours:
        assert ours[key].default == theirs[key].default, key


def test_first_scheduler_sets_initial_lr_and_later_ones_keep_it():
    opt = po.optim.SGD([np.zeros(1)], lr=0.1)
    assert opt.initial_lr is None
    S.LinearLR(opt, start_factor=0.5)
    assert opt.initial_lr == 0.1 and opt.lr == 0.05
    second = S.ExponentialLR(opt, 0.9)
    assert second.base_lrs == [0.1] and opt.lr == 0.05  # its first step keeps the rate


def test_one_cycle_stops_after_total_steps_and_changes_nothing():
    opt = po.optim.Adam([np.zeros(1)])
    sched = S.OneCycleLR(opt, max_lr=0.1, total_steps=10)
    for _ in range(10):
        sched.step()
    before = (opt.lr, opt.betas, dict(sched.__dict__))
    with pytest.raises(ValueError, match="Tried to step 11 times.*total steps is 10"):
        sched.step()
    assert (opt.lr, opt.betas, dict(sched.__dict__)) == before


def test_a_failing_step_changes_nothing():
    calls = []

    def flaky(epoch):
        calls.append(epoch)
        return math.nan if epoch == 3 else 1.0

    opt = po.optim.SGD([np.zeros(1)], lr=0.1)
    inner = S.MultiplicativeLR(opt, lambda t: "x" if t == 3 else 0.5)
    chained = S.ChainedScheduler([S.ExponentialLR(opt, 0.9), inner])
    chained.step()
    chained.step()
    before = (opt.lr, [dict(s.__dict__) for s in (chained, *chained._schedulers)])
    with pytest.raises(TypeError, match=r"lr_lambda\(3\) must return a number, got 'x'"):
        chained.step()
    assert (opt.lr, [dict(s.__dict__) for s in (chained, *chained._schedulers)]) == before
    opt2 = po.optim.SGD([np.zeros(1)], lr=0.1)
    sched = S.LambdaLR(opt2, flaky)
    sched.step()
    sched.step()
    with pytest.raises(ValueError, match=r"LambdaLR computed lr=nan at last_epoch=3"):
        sched.step()
    assert opt2.lr == 0.1 and sched.last_epoch == 2 and calls == [0, 1, 2, 3]


# Bad input: the error names the argument and shows the value; the optimiser is unchanged.


def sgd():
    return po.optim.SGD([np.zeros(1)], lr=0.1, momentum=0.9)


def adam():
    return po.optim.Adam([np.zeros(1)], lr=0.1)


BAD = [
    (lambda o: S.StepLR(o, 0), ValueError, r"step_size: 0"),
    (lambda o: S.StepLR(o, -3), ValueError, r"step_size: -3"),
    (lambda o: S.StepLR(o, 2.5), TypeError, r"step_size.*2\.5"),
    (lambda o: S.StepLR(o, 10, gamma=0), ValueError, r"gamma: 0"),
    (lambda o: S.StepLR(o, 10, gamma=-0.5), ValueError, r"gamma: -0\.5"),
    (lambda o: S.StepLR(o, 10, gamma="0.1"), TypeError, r"gamma.*'0\.1'"),
    (lambda o: S.StepLR(o, 10, last_epoch=-2), ValueError, r"last_epoch: -2"),
    (lambda o: S.MultiStepLR(o, [10, -1]), ValueError, r"milestones\[1\]: -1"),
    (lambda o: S.MultiStepLR(o, [10, 2.0]), TypeError, r"milestones\[1\].*2\.0"),
    (lambda o: S.MultiStepLR(o, 10), TypeError, r"milestones.*10"),
    (lambda o: S.MultiStepLR(o, [10], gamma=0.0), ValueError, r"gamma: 0\.0"),
    (lambda o: S.ExponentialLR(o, 0.0), ValueError, r"gamma: 0\.0"),
    (lambda o: S.ExponentialLR(o, -0.9), ValueError, r"gamma: -0\.9"),
    (lambda o: S.ExponentialLR(o, math.inf), ValueError, r"gamma: inf"),
    (lambda o: S.CosineAnnealingLR(o, 0), ValueError, r"T_max: 0"),
    (lambda o: S.CosineAnnealingLR(o, -10), ValueError, r"T_max: -10"),
    (lambda o: S.CosineAnnealingLR(o, 10.0), TypeError, r"T_max.*10\.0"),
    (lambda o: S.CosineAnnealingLR(o, 10, eta_min=-1e-3), ValueError, r"eta_min: -0\.001"),
    (lambda o: S.LinearLR(o, start_factor=0), ValueError, r"start_factor: 0"),
    (lambda o: S.LinearLR(o, start_factor=1.5), ValueError, r"start_factor: 1\.5"),
    (lambda o: S.LinearLR(o, end_factor=-0.1), ValueError, r"end_factor: -0\.1"),
    (lambda o: S.LinearLR(o, end_factor=2), ValueError, r"end_factor: 2"),
    (lambda o: S.LinearLR(o, total_iters=0), ValueError, r"total_iters: 0"),
    (lambda o: S.ConstantLR(o, factor=1.5), ValueError, r"factor: 1\.5"),
    (lambda o: S.ConstantLR(o, factor=-0.5), ValueError, r"factor: -0\.5"),
    (lambda o: S.ConstantLR(o, factor=0), ValueError, r"factor: 0"),
    (lambda o: S.ConstantLR(o, total_iters=-1), ValueError, r"total_iters: -1"),
    (lambda o: S.PolynomialLR(o, total_iters=0), ValueError, r"total_iters: 0"),
    (lambda o: S.PolynomialLR(o, power=-1.0), ValueError, r"power: -1\.0"),
    (lambda o: S.LambdaLR(o, 0.5), TypeError, r"lr_lambda.*0\.5"),
    (lambda o: S.LambdaLR(o, [abs, abs]), ValueError, r"Expected 1 lr_lambdas.*got 2"),
    (lambda o: S.LambdaLR(o, lambda t: "fast"), TypeError, r"lr_lambda\(0\).*'fast'"),
    (lambda o: S.MultiplicativeLR(o, None), TypeError, r"lr_lambda.*None"),
    (lambda o: S.MultiplicativeLR(o, []), ValueError, r"Expected 1 lr_lambdas.*got 0"),
    (lambda o: S.OneCycleLR(o, 0.1), ValueError, r"total_steps OR \(epochs AND steps_per_epoch"),
    (lambda o: S.OneCycleLR(o, 0.1, epochs=5), ValueError, r"steps_per_epoch=None"),
    (lambda o: S.OneCycleLR(o, 0.1, total_steps=0), ValueError, r"total_steps: 0"),
    (lambda o: S.OneCycleLR(o, 0.1, total_steps=10.0), TypeError, r"total_steps.*10\.0"),
    (lambda o: S.OneCycleLR(o, 0.1, epochs=0, steps_per_epoch=5), ValueError, r"epochs: 0"),
    (lambda o: S.OneCycleLR(o, 0.1, epochs=2, steps_per_epoch=-5), ValueError, r"per_epoch: -5"),
    (lambda o: S.OneCycleLR(o, 0.1, 100, pct_start=1.2), ValueError, r"pct_start: 1\.2"),
    (lambda o: S.OneCycleLR(o, 0.1, 100, pct_start=-0.1), ValueError, r"pct_start: -0\.1"),
    (lambda o: S.OneCycleLR(o, 0.1, 100, pct_start=1), TypeError, r"pct_start.*1"),
    (lambda o: S.OneCycleLR(o, 0.1, 10, pct_start=0.1), ValueError, r"pct_start=0\.1.*length 0"),
    (lambda o: S.OneCycleLR(o, 0.1, 10, pct_start=1.0), ValueError, r"pct_start=1\.0.*length 0"),
    (lambda o: S.OneCycleLR(o, 0.1, 100, anneal_strategy="cosine"), ValueError, r"'cosine'"),
    (lambda o: S.OneCycleLR(o, -0.1, 100), ValueError, r"max_lr: -0\.1"),
    (lambda o: S.OneCycleLR(o, [0.1, 0.2], 100), ValueError, r"max_lr.*\[0\.1, 0\.2\]"),
    (lambda o: S.OneCycleLR(o, 0.1, 100, div_factor=0), ValueError, r"div_factor: 0"),
    (lambda o: S.OneCycleLR(o, 0.1, 100, final_div_factor=-1), ValueError, r"final_div.*: -1"),
    (lambda o: S.OneCycleLR(o, 0.1, 100, max_momentum=-0.1), ValueError, r"max_momentum: -0\.1"),
    (lambda o: S.OneCycleLR(o, 0.1, 100, three_phase=1), TypeError, r"three_phase.*1"),
    (lambda o: S.CyclicLR(o, 0.01, 0.1, step_size_up=0), ValueError, r"step_size_up: 0"),
    (lambda o: S.CyclicLR(o, 0.01, 0.1, step_size_up=-5), ValueError, r"step_size_up: -5"),
    (lambda o: S.CyclicLR(o, 0.01, 0.1, 5, step_size_down=0), ValueError, r"step_size_down: 0"),
    (lambda o: S.CyclicLR(o, -0.01, 0.1), ValueError, r"base_lr: -0\.01"),
    (lambda o: S.CyclicLR(o, 0.01, "0.1"), TypeError, r"max_lr.*'0\.1'"),
    (lambda o: S.CyclicLR(o, 0.01, 0.1, mode="triangle"), ValueError, r"mode: 'triangle'"),
    (lambda o: S.CyclicLR(o, 0.01, 0.1, scale_mode="epoch"), ValueError, r"scale_mode: 'epoch'"),
    (lambda o: S.CyclicLR(o, 0.01, 0.1, scale_fn=2.0), TypeError, r"scale_fn.*2\.0"),
    (lambda o: S.CyclicLR(o, 0.01, 0.1, gamma=0), ValueError, r"gamma: 0"),
    (lambda o: S.CyclicLR(o, 0.01, 0.1, base_momentum=-0.8), ValueError, r"base_momentum: -0\.8"),
    (lambda o: S.CosineAnnealingWarmRestarts(o, 0), ValueError, r"T_0: 0"),
    (lambda o: S.CosineAnnealingWarmRestarts(o, 1.5), TypeError, r"T_0.*1\.5"),
    (lambda o: S.CosineAnnealingWarmRestarts(o, 10, T_mult=0), ValueError, r"T_mult: 0"),
    (lambda o: S.CosineAnnealingWarmRestarts(o, 10, T_mult=1.5), TypeError, r"T_mult.*1\.5"),
    (lambda o: S.CosineAnnealingWarmRestarts(o, 10, eta_min="0"), TypeError, r"eta_min.*'0'"),
    (lambda o: S.CosineAnnealingWarmRestarts(o, 10, eta_min=-1.0), ValueError, r"eta_min: -1"),
    (lambda o: S.ReduceLROnPlateau(o, patience=-1), ValueError, r"patience: -1"),
    (lambda o: S.ReduceLROnPlateau(o, cooldown=-2), ValueError, r"cooldown: -2"),
    (lambda o: S.ReduceLROnPlateau(o, min_lr=-1e-5), ValueError, r"min_lr: -1e-05"),
    (lambda o: S.ReduceLROnPlateau(o, min_lr=[0.1, 0.2]), ValueError, r"min_lr.*\[0\.1, 0\.2\]"),
    (lambda o: S.ReduceLROnPlateau(o, factor=1.0), ValueError, r"factor: 1\.0"),
    (lambda o: S.ReduceLROnPlateau(o, factor=-0.1), ValueError, r"factor: -0\.1"),
    (lambda o: S.ReduceLROnPlateau(o, mode="minimum"), ValueError, r"mode: 'minimum'"),
    (lambda o: S.ReduceLROnPlateau(o, threshold_mode="x"), ValueError, r"threshold_mode: 'x'"),
    (lambda o: S.ReduceLROnPlateau(o, threshold=-0.1), ValueError, r"threshold: -0\.1"),
    (lambda o: S.ReduceLROnPlateau(o, eps=-1.0), ValueError, r"eps: -1\.0"),
    (lambda o: S.ReduceLROnPlateau(o, patience=2.0), TypeError, r"patience.*2\.0"),
    (lambda o: S.SequentialLR(o, [], []), ValueError, r"at least one scheduler.*\[\]"),
    (lambda o: S.SequentialLR(o, [S.StepLR(o, 5)], [3]), ValueError, r"milestones=\[3\]"),
    (
        lambda o: S.SequentialLR(o, [S.StepLR(o, 5), S.StepLR(o, 5)], [0]),
        ValueError,
        r"milestones\[0\]: 0",
    ),
    (
        lambda o: S.SequentialLR(o, [S.StepLR(o, 5)] * 3, [10, 5]),
        ValueError,
        r"milestones.*increasing.*\[10, 5\]",
    ),
    (lambda o: S.SequentialLR(o, [S.StepLR(o, 5), "x"], [4]), TypeError, r"schedulers\[1\].*'x'"),
    (
        lambda o: S.SequentialLR(o, [S.StepLR(o, 5), S.ReduceLROnPlateau(o)], [4]),
        ValueError,
        r"ReduceLROnPlateau.*schedulers\[1\]",
    ),
    (
        lambda o: S.SequentialLR(o, [S.StepLR(o, 5), S.StepLR(sgd(), 5)], [4]),
        ValueError,
        r"same optimizer.*schedulers\[1\]",
    ),
    (lambda o: S.ChainedScheduler([]), ValueError, r"at least one scheduler"),
    (lambda o: S.ChainedScheduler(S.StepLR(o, 5)), TypeError, r"schedulers.*StepLR"),
    (
        lambda o: S.ChainedScheduler([S.StepLR(o, 5)], optimizer=sgd()),
        ValueError,
        r"same optimizer.*schedulers\[0\]",
    ),
    (lambda o: S.ChainedScheduler([S.ReduceLROnPlateau(o)]), ValueError, r"ReduceLROnPlateau"),
    (lambda o: S.StepLR([np.zeros(1)], 5), TypeError, r"optimizer.*array"),
]


@pytest.mark.parametrize(("build", "error", "match"), BAD, ids=[m for _, _, m in BAD])
@pytest.mark.parametrize("make_optimizer", [sgd, adam])
def test_bad_arguments_are_named_and_leave_the_optimizer_unchanged(
    make_optimizer, build, error, match
):
    opt = make_optimizer()
    before = (opt.lr, opt.initial_lr, momentum_of(opt))
    with pytest.raises(error, match=match):
        build(opt)
    if "SequentialLR" in inspect.getsource(build) or "ChainedScheduler" in inspect.getsource(build):
        return  # the sub-schedulers, built first, legitimately set the rate
    assert (opt.lr, opt.initial_lr, momentum_of(opt)) == before


def test_a_failing_sequential_leaves_its_schedulers_as_they_were():
    opt = sgd()
    warmup, cosine = S.LinearLR(opt, 0.1, total_iters=5), S.CosineAnnealingLR(opt, 10)
    before = (opt.lr, dict(warmup.__dict__), dict(cosine.__dict__))
    with pytest.raises(ValueError, match=r"milestones\[0\]: 0"):
        S.SequentialLR(opt, [warmup, cosine], milestones=[0])
    assert (opt.lr, dict(warmup.__dict__), dict(cosine.__dict__)) == before


@pytest.mark.parametrize(
    ("make_optimizer", "match"),
    [
        (lambda: po.optim.Adagrad([np.zeros(1)]), r"momentum or beta1.*Adagrad"),
        (lambda: po.optim.SGD([np.zeros(1)], lr=0.1), r"momentum > 0.*momentum=0\.0"),
        (lambda: po.optim.RMSprop([np.zeros(1)]), r"momentum > 0.*RMSprop"),
    ],
)
@pytest.mark.parametrize("cls", ["CyclicLR", "OneCycleLR"])
def test_cycle_momentum_needs_a_momentum_to_cycle(make_optimizer, match, cls):
    opt = make_optimizer()
    before = (opt.lr, opt.initial_lr)
    args = (0.01, 0.1) if cls == "CyclicLR" else (0.1, 100)
    with pytest.raises(ValueError, match=match):
        getattr(S, cls)(opt, *args)
    assert (opt.lr, opt.initial_lr) == before
    getattr(S, cls)(opt, *args, cycle_momentum=False)  # without it, any optimiser


def test_beta1_from_a_schedule_must_stay_below_1():
    opt = adam()
    with pytest.raises(ValueError, match=r"max_momentum: 1\.0"):
        S.OneCycleLR(opt, 0.1, 100, max_momentum=1.0)
    assert opt.betas == (0.9, 0.999)


def test_reduce_on_plateau_rejects_a_metric_that_is_not_a_number():
    opt = sgd()
    sched = S.ReduceLROnPlateau(opt)
    for bad in ("0.5", None, True, np.array([0.5])):
        with pytest.raises(TypeError, match="metrics must be a real number"):
            sched.step(bad)
    assert sched.last_epoch == 0
    sched.step(np.array(0.5))
    assert sched.best == 0.5


def test_schedulers_read_well():
    opt = sgd()
    sched = S.StepLR(opt, 5)
    assert re.fullmatch(r"StepLR\(last_epoch=0, lr=0\.1\)", repr(sched))
    assert "ReduceLROnPlateau(mode='min'" in repr(S.ReduceLROnPlateau(opt))
    assert po.optim.lr_scheduler is S
