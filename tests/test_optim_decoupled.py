"""paramopt.optim.DecoupledWeightDecay: SGDW, and around Adam exactly AdamW."""

import numpy as np
import pytest

import paramopt as po
from paramopt.optim import DecoupledWeightDecay

RNG = np.random.default_rng(0)
THETA0 = [RNG.normal(size=(3, 4)), RNG.normal(size=4)]
GRADS = [[RNG.normal(size=(3, 4)), RNG.normal(size=4)] for _ in range(25)]


def run(make, grads=GRADS):
    params = [p.copy() for p in THETA0]
    opt = make(params)
    for g in grads:
        opt.step(g)
    return params


def test_decoupled_adam_is_adamw_exactly():
    ours = run(lambda p: DecoupledWeightDecay(po.optim.Adam(p, lr=0.01), 0.3))
    adamw = run(lambda p: po.optim.AdamW(p, lr=0.01, weight_decay=0.3))
    for a, b in zip(ours, adamw, strict=True):
        np.testing.assert_array_equal(a, b)


def test_decoupled_adam_matches_torch_adamw(torch):
    ours = run(lambda p: DecoupledWeightDecay(po.optim.Adam(p, lr=0.01), 0.3))
    tensors = [torch.tensor(p, requires_grad=True) for p in THETA0]
    opt = torch.optim.AdamW(tensors, lr=0.01, weight_decay=0.3, foreach=False)
    for grads in GRADS:
        for t, g in zip(tensors, grads, strict=True):
            t.grad = torch.from_numpy(g)
        opt.step()
    for a, t in zip(ours, tensors, strict=True):
        np.testing.assert_allclose(a, t.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_plain_sgd_decay_equals_l2_but_not_with_momentum():
    """The theorem of the chapter: without momentum, (1 - γλ)θ - γ∇f = θ - γ(∇f + λθ)."""
    l2 = run(lambda p: po.optim.SGD(p, lr=0.1, weight_decay=0.5))
    dec = run(lambda p: DecoupledWeightDecay(po.optim.SGD(p, lr=0.1), 0.5))
    for a, b in zip(l2, dec, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    l2 = run(lambda p: po.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.5))
    dec = run(lambda p: DecoupledWeightDecay(po.optim.SGD(p, lr=0.1, momentum=0.9), 0.5))
    assert np.abs(l2[0] - dec[0]).max() > 1e-2


def test_decoupled_reads_the_learning_rate_at_each_step():
    theta = np.ones(3)
    opt = DecoupledWeightDecay(po.optim.SGD([theta], lr=0.1), 0.5)
    opt.step([np.zeros(3)])
    opt.optimizer.lr = 0.2
    opt.step([np.zeros(3)])
    np.testing.assert_allclose(theta, (1 - 0.05) * (1 - 0.1))


def test_decoupled_rejects_bad_input_and_bad_grads_change_nothing():
    theta = np.ones(3)
    with pytest.raises(TypeError, match="paramopt.optim optimiser"):
        DecoupledWeightDecay([theta], 0.1)
    with pytest.raises(ValueError, match="weight_decay=0"):
        DecoupledWeightDecay(po.optim.SGD([theta], weight_decay=0.1), 0.1)
    with pytest.raises(ValueError, match="Invalid weight_decay: -1"):
        DecoupledWeightDecay(po.optim.SGD([theta]), -1)
    opt = DecoupledWeightDecay(po.optim.SGD([theta], lr=0.1), 0.5)
    with pytest.raises(ValueError, match="shape"):
        opt.step([np.zeros(4)])
    np.testing.assert_array_equal(theta, np.ones(3))  # not even decayed


def test_lr_and_state_are_the_wrapped_optimizers():
    theta = np.ones(3)
    inner = po.optim.SGD([theta], lr=0.1, momentum=0.9)
    opt = DecoupledWeightDecay(inner, 0.5)
    opt.lr = 0.2  # as a learning-rate schedule does between steps
    assert inner.lr == 0.2 and opt.lr == 0.2
    opt.step([np.ones(3)])
    assert opt.state is inner.state
    np.testing.assert_allclose(opt.state[0]["momentum_buffer"], np.ones(3))
    np.testing.assert_allclose(theta, (1 - 0.2 * 0.5) - 0.2)


def test_the_wrapper_is_an_optimizer_that_checks_gradients_once(monkeypatch):
    params = [p.copy() for p in THETA0]
    opt = DecoupledWeightDecay(po.optim.SGD(params, lr=0.1, momentum=0.9), 0.01)
    assert isinstance(opt, po.optim.Optimizer)
    calls = []
    check = po.optim.Optimizer._check_grads
    monkeypatch.setattr(
        po.optim.Optimizer, "_check_grads", lambda self, g: calls.append(self) or check(self, g)
    )
    opt.step(GRADS[0])
    assert calls == [opt]  # the wrapped SGD trusts the wrapper's check


def test_a_step_on_grads_checked_for_other_params_checks_them_again():
    first = po.optim.SGD([p.copy() for p in THETA0], lr=0.1)
    other = po.optim.SGD([np.zeros(2)], lr=0.1)
    with pytest.raises(ValueError, match="got 2 grads for 1 params"):
        other.step(first._check_grads(GRADS[0]))
