"""paramopt.surfaces: analytic gradients, known minima, vectorised values and run()."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paramopt as po
from paramopt import surfaces

ALL = [
    surfaces.Quadratic(),
    surfaces.Quadratic(kappa=50.0, angle=0.7),
    surfaces.Rosenbrock(),
    surfaces.Rosenbrock(a=-0.5, b=3.0),
    surfaces.Beale(),
    surfaces.Saddle(),
    surfaces.DoubleWell(),
    surfaces.DoubleWell(tilt=-0.6),
]
IDS = [repr(s) for s in ALL]


def central_difference(surface, theta, h=1e-6):
    steps = np.eye(2) * h
    return np.array(
        [(surface.value(theta + e) - surface.value(theta - e)) / (2 * h) for e in steps]
    )


@pytest.mark.parametrize("surface", ALL, ids=IDS)
@settings(max_examples=40, deadline=None)
@given(u=st.floats(0, 1), v=st.floats(0, 1))
def test_gradient_matches_central_differences(surface, u, v):
    (x0, x1), (y0, y1) = surface.bounds
    theta = np.array([x0 + u * (x1 - x0), y0 + v * (y1 - y0)])
    numeric = central_difference(surface, theta)
    scale = max(1.0, abs(surface.value(theta)))
    np.testing.assert_allclose(surface.grad(theta), numeric, rtol=1e-6, atol=1e-7 * scale)


def test_gradient_check_would_catch_a_wrong_gradient():
    class Wrong(surfaces.Rosenbrock):
        def df(self, x, y):
            dx, dy = super().df(x, y)
            return dx, dy * 1.001

    theta = np.array([0.3, -0.4])
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(Wrong().grad(theta), central_difference(Wrong(), theta), 1e-6)


@pytest.mark.parametrize("surface", ALL, ids=IDS)
def test_minima_and_saddles_are_stationary_and_inside_the_window(surface):
    points = np.concatenate([surface.minima, surface.saddles])
    assert len(points) > 0
    for point in points:
        np.testing.assert_allclose(surface.grad(point), 0.0, atol=1e-12)
        (x0, x1), (y0, y1) = surface.bounds
        assert x0 < point[0] < x1 and y0 < point[1] < y1


@pytest.mark.parametrize("surface", ALL, ids=IDS)
def test_minima_are_minima_and_saddles_are_not(surface):
    rng = np.random.default_rng(0)
    nudges = 1e-3 * rng.normal(size=(2, 200))
    for point in surface.minima:
        assert np.all(surface.value(point[:, None] + nudges) > surface.value(point))
    for point in surface.saddles:
        around = surface.value(point[:, None] + nudges) - surface.value(point)
        assert around.min() < 0 < around.max()
    values = [surface.value(point) for point in surface.minima]
    assert values == sorted(values)  # the global minimum first


@pytest.mark.parametrize("surface", ALL, ids=IDS)
def test_values_and_gradients_are_vectorised(surface):
    X, Y, Z = surface.grid(num=7)
    assert X.shape == Y.shape == Z.shape == (7, 7)
    pointwise = [
        [surface.value([x, y]) for x, y in zip(xs, ys, strict=True)]
        for xs, ys in zip(X, Y, strict=True)
    ]
    np.testing.assert_allclose(Z, pointwise, rtol=1e-15)
    np.testing.assert_allclose(surface.value(np.stack([X, Y])), Z, rtol=1e-15)
    G = surface.grad(np.stack([X, Y]))
    assert G.shape == (2, 7, 7)
    np.testing.assert_allclose(G[:, 3, 4], surface.grad([X[3, 4], Y[3, 4]]), rtol=1e-15)
    assert isinstance(surface.value([0.1, 0.2]), float)


def test_known_values():
    assert surfaces.Rosenbrock().value([0.0, 0.0]) == 1.0
    assert surfaces.Beale().value([3.0, 0.5]) == 0.0
    assert surfaces.Saddle().value([1.0, 2.0]) == -3.0
    assert surfaces.Quadratic(kappa=4.0).value([1.0, 1.0]) == 2.5
    q = surfaces.Quadratic(kappa=9.0, angle=0.3)
    np.testing.assert_allclose(np.linalg.eigvalsh(q.hessian), [1.0, 9.0])
    theta = np.array([0.7, -1.1])
    np.testing.assert_allclose(q.grad(theta), q.hessian @ theta, rtol=1e-14)
    well = surfaces.DoubleWell(tilt=0.3)
    assert well.value([-1.0, 0.0]) == pytest.approx(-0.8)  # -8s/3
    assert well.value([1.0, 0.0]) == pytest.approx(0.8)
    np.testing.assert_array_equal(well.saddles, [[0.3, 0.0]])


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: surfaces.Quadratic(kappa=0.5), r"kappa.*0\.5"),
        (lambda: surfaces.Quadratic(angle=float("nan")), r"angle.*nan"),
        (lambda: surfaces.Rosenbrock(b=0.0), r"b.*0\.0"),
        (lambda: surfaces.DoubleWell(tilt=1.0), r"tilt.*1\.0"),
        (lambda: surfaces.Beale().value([1.0, 2.0, 3.0]), r"theta.*\(3,\)"),
        (lambda: surfaces.Beale().grad(np.zeros((3, 2))), r"theta.*\(3, 2\)"),
        (lambda: surfaces.Saddle().value([np.nan, 0.0]), r"theta.*nan"),
        (lambda: surfaces.Saddle().grid(num=1), r"num.*1"),
    ],
)
def test_invalid_input_is_named(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_run_returns_the_whole_path():
    surface = surfaces.Quadratic(kappa=10.0)
    path = surfaces.run(surface, "SGD", [2.0, 1.0], 50, lr=0.05)
    assert path.theta.shape == (51, 2) and path.loss.shape == (51,)
    np.testing.assert_array_equal(path.theta[0], [2.0, 1.0])
    # plain gradient descent on a diagonal quadratic: θ_k = (1 - γ h)^k θ_0 per axis
    expected = np.array([2.0 * 0.95**50, 1.0 * 0.5**50])
    np.testing.assert_allclose(path.theta[-1], expected, rtol=1e-12)
    np.testing.assert_allclose(path.loss, surface.value(path.theta.T), rtol=1e-15)


def test_run_with_a_factory_matches_run_with_a_name():
    start = [-1.2, 1.0]
    by_name = surfaces.run("rosenbrock", "adam", start, 200, lr=0.02)
    factory = surfaces.run("rosenbrock", lambda p: po.optim.Adam(p, lr=0.02), start, 200)
    np.testing.assert_array_equal(by_name.theta, factory.theta)
    assert by_name.loss[-1] < by_name.loss[0]


def test_run_does_not_touch_start():
    start = np.array([1.0, 1.0])
    surfaces.run("saddle", "sgd", start, 5, lr=0.1)
    np.testing.assert_array_equal(start, [1.0, 1.0])


def test_gradient_descent_above_two_over_kappa_diverges_at_a_known_step():
    # θ₂ is multiplied by 1 - γκ = -1.2 each step: |θ₂| = 1.2^k passes 1e6 at k = 76
    with pytest.raises(po.Diverged) as caught:
        surfaces.run(surfaces.Quadratic(kappa=10.0), "sgd", [0.0, 1.0], 500, lr=0.22)
    assert caught.value.step == 76
    assert str(caught.value) == "diverged at step 76: |θ| passed 10⁶"
    assert caught.value.reason == "|θ| passed 10⁶" and caught.value.what == "θ"
    assert caught.value.trajectory.theta.shape == (76, 2)
    assert np.all(np.isfinite(caught.value.trajectory.loss))


def test_run_reports_non_finite_values_as_divergence():
    with pytest.raises(po.Diverged) as caught:
        surfaces.run("saddle", "sgd", [0.0, 1.0], 10, lr=1e300, limit=np.inf)
    assert caught.value.step == 1 and caught.value.what == "loss"  # f(0, 2e300) = -inf


def test_run_checks_its_arguments():
    with pytest.raises(ValueError, match="optimizer.*'adamx'"):
        surfaces.run("beale", "adamx", [0.0, 0.0], 10)
    with pytest.raises(ValueError, match="surface.*'banana'"):
        surfaces.run("banana", "sgd", [0.0, 0.0], 10)
    with pytest.raises(ValueError, match=r"start.*\(3,\)"):
        surfaces.run("beale", "sgd", [0.0, 0.0, 0.0], 10)
    with pytest.raises(ValueError, match="steps.*-1"):
        surfaces.run("beale", "sgd", [0.0, 0.0], -1)
    with pytest.raises(TypeError, match="steps.*2.5"):
        surfaces.run("beale", "sgd", [0.0, 0.0], 2.5)
    with pytest.raises(ValueError, match=r"lr.*-1"):
        surfaces.run("beale", "sgd", [0.0, 0.0], 10, lr=-1.0)
    with pytest.raises(ValueError, match=r"limit.*0"):
        surfaces.run("beale", "sgd", [0.0, 0.0], 10, limit=0)
    with pytest.raises(TypeError, match="factory"):
        surfaces.run("beale", lambda p: po.optim.SGD(p), [0.0, 0.0], 10, lr=0.1)


def test_registry_names_match_classes():
    assert set(surfaces.SURFACES) == {"quadratic", "rosenbrock", "beale", "saddle", "double_well"}
    for name, cls in surfaces.SURFACES.items():
        assert cls().name == name


# -- steps_to_tolerance: run with a stopping rule ----------------------------------------
VALLEY = surfaces.Quadratic(kappa=50.0, angle=0.3)
START = np.array([-2.0, 1.0])


def test_steps_to_tolerance_agrees_with_run():
    path = surfaces.run(VALLEY, "sgd", START, 400, lr=0.02, momentum=0.5)
    first = int(np.flatnonzero(path.loss < 1e-6)[0])
    k = surfaces.steps_to_tolerance(
        VALLEY, "sgd", START, tol=1e-6, max_steps=400, lr=0.02, momentum=0.5
    )
    assert k == first
    assert (
        surfaces.steps_to_tolerance(
            VALLEY, "sgd", START, tol=1e-6, max_steps=first - 1, lr=0.02, momentum=0.5
        )
        is None
    )
    assert surfaces.steps_to_tolerance(VALLEY, "sgd", [0.0, 0.0], tol=1e-6, max_steps=0) == 0


def test_steps_to_tolerance_reports_divergence():
    with pytest.raises(po.Diverged) as error:
        surfaces.steps_to_tolerance(VALLEY, "sgd", START, tol=1e-6, max_steps=500, lr=0.1)
    assert error.value.step > 0


def test_steps_to_tolerance_rejects_bad_input():
    with pytest.raises(ValueError, match="no minimum"):
        surfaces.steps_to_tolerance("saddle", "sgd", START, tol=1e-3, max_steps=5)
    with pytest.raises(ValueError, match="tol"):
        surfaces.steps_to_tolerance(VALLEY, "sgd", START, tol=0.0, max_steps=5)
