"""Chapter 9's experiments (paramopt.variants): each against the library's optimisers."""

import numpy as np
import pytest

import paramopt as po
from paramopt import variants


def test_rho_infinity_and_the_first_rectified_step():
    assert variants.rho_infinity(0.999) == pytest.approx(1999)
    assert variants.first_rectified_step(0.999) == 6
    t = variants.first_rectified_step(0.99)
    assert po.optim.radam.rho(t, 0.99) > 5 >= po.optim.radam.rho(t - 1, 0.99)
    assert np.isnan(po.optim.radam.rectification(t - 1, 0.99))
    assert not np.isnan(po.optim.radam.rectification(t, 0.99))


@pytest.mark.parametrize("beta2", [0.5, 2 / 3])
def test_first_rectified_step_refuses_a_beta2_that_never_adapts(beta2):
    with pytest.raises(ValueError, match="beta2"):
        variants.first_rectified_step(beta2)


def test_lp_denominator_is_adams_at_p_2_and_tends_to_adamax():
    # Kingma and Ba's L^p form weighs by β2^p: at p = 2 it is Adam's v_t with β2² in place of β2
    grads = np.random.default_rng(3).normal(size=30)
    v = 0.0
    for g in grads:
        v = 0.999**2 * v + (1 - 0.999**2) * g**2
    assert variants.lp_denominator(grads, 2)[-1] == pytest.approx(np.sqrt(v), rel=1e-12)
    opt = po.optim.Adamax([np.zeros(1)], eps=0.0)
    for g in grads:
        opt.step([np.array([g])])
    u = opt.state[0]["exp_inf"][0]
    assert abs(variants.lp_denominator(grads, 4096)[-1] / u - 1) < 2e-3
    with pytest.raises(ValueError, match="p"):
        variants.lp_denominator(grads, 0.5)


def test_adafactor_beta2_and_step_size_follow_the_optimiser():
    assert variants.adafactor_beta2(1) == 0
    np.testing.assert_allclose(variants.adafactor_beta2([4, 16]), 1 - np.array([4, 16]) ** -0.8)
    theta0 = np.random.default_rng(0).normal(size=(6, 5))
    theta = theta0.copy()
    po.optim.Adafactor([theta], lr=0.05).step([np.ones_like(theta)])
    alpha = variants.adafactor_step_size(theta0, 0.05, 1)
    np.testing.assert_allclose(theta0 - theta, alpha, rtol=1e-12)  # g² rank one: U = 1
    assert variants.adafactor_step_size(np.zeros(3), 0.05, 4) == pytest.approx(1e-3 * 0.05)
    with pytest.raises(ValueError, match="step"):
        variants.adafactor_beta2(0)
    with pytest.raises(ValueError, match="lr"):
        variants.adafactor_step_size(theta0, -1.0, 1)


def test_state_floats_counts_arrays_only():
    opt = po.optim.NAdam([np.zeros((3, 4)), np.zeros(5)])
    opt.step([np.ones((3, 4)), np.ones(5)])
    assert variants.state_floats(opt) == [24, 10]  # m and v; not step or mu_product
    opt = po.optim.Adafactor([np.zeros((3, 4))])
    opt.step([np.ones((3, 4))])
    assert variants.state_floats(opt) == [7]


def test_optimizer_table_reads_the_classes():
    table = variants.optimizer_table((8, 4))
    assert list(table) == list(variants.TABLE)
    assert table["Momentum"]["defaults"]["momentum"] == 0.9
    assert table["NAdam"]["defaults"]["momentum_decay"] == 0.004
    assert table["Adadelta"]["defaults"]["lr"] == 1.0
    assert table["Muon"]["defaults"]["ns_coefficients"] == (3.4445, -4.775, 2.0315)
    assert "maximize" not in table["Adam"]["defaults"] and "maximize" in table["Adam"]["switches"]
    assert table["Adafactor"]["matrix"] == (8 + 4) / 32 and table["Adafactor"]["vector"] == 1
    assert table["SGD"]["matrix"] == 0 and table["Muon"]["vector"] is None
    with pytest.raises(ValueError, match="shape"):
        variants.optimizer_table((8,))


@pytest.mark.parametrize("name", list(variants.COEFFICIENTS))
@pytest.mark.parametrize("steps", [0, 1, 5])
def test_spectrum_is_the_scalar_map_of_newton_schulz(name, steps):
    G = variants.spectrum_matrix((12, 7), decay=2.0, rng=1)
    result = variants.spectrum(G, variants.COEFFICIENTS[name], steps)
    np.testing.assert_allclose(result["after"], result["predicted"], atol=1e-10)
    assert result["before"].max() <= 1


def test_newton_schulz_map_and_spectrum_matrix():
    a, b, c = variants.COEFFICIENTS["Muon's quintic"]
    assert variants.newton_schulz_map(0.5, (a, b, c), 1) == pytest.approx(
        a * 0.5 + b * 0.5**3 + c * 0.5**5
    )
    assert variants.newton_schulz_map([0.0, 1.0], (1.5, -0.5, 0.0), 7).tolist() == [0.0, 1.0]
    G = variants.spectrum_matrix((5, 3), decay=1.0, rng=0)
    np.testing.assert_allclose(np.linalg.svd(G, compute_uv=False), np.exp(-np.arange(3)))
    with pytest.raises(ValueError, match="steps"):
        variants.newton_schulz_map(0.5, (a, b, c), -1)
    with pytest.raises(ValueError, match="decay"):
        variants.spectrum_matrix((3, 3), decay=0.0)


def test_make_optimizer_gives_muon_the_matrices_only():
    model = po.nn.mlp([4, 3, 2], "relu", "kaiming", rng=0)
    opt = variants.make_optimizer("Muon", model.parameters(), 0.02)
    assert isinstance(opt, po.optim.Composite)
    muon, adamw = opt.optimizers
    assert all(p.ndim == 2 for p in muon.params) and all(p.ndim == 1 for p in adamw.params)
    assert muon.lr == 0.02 and adamw.lr == 0.01
    assert isinstance(variants.make_optimizer("adam", model.parameters(), 0.1), po.optim.Adam)


def test_digits_comparison_runs_every_name_rate_and_seed():
    X, y = po.data.load_digits(np.float32)
    runs = variants.digits_comparison(X[:200], y[:200], X[200:300], y[200:300],
                                      rates={"Muon": 0.03, "RAdam": (0.01, 0.03)},
                                      seeds=[0, 1], epochs=1)  # fmt: skip
    assert set(runs) == {(n, lr, s) for n, lr in [("Muon", 0.03), ("RAdam", 0.01), ("RAdam", 0.03)]
                         for s in (0, 1)}  # fmt: skip
    assert all(h.steps == 4 for h in runs.values())
    with pytest.raises(ValueError, match="lr"):
        variants.digits_comparison(X[:10], y[:10], X[:10], y[:10], rates={"Adam": -1.0})
