"""Chapter 0's linear classifier: margin losses, their derivatives and who pulls."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import paramopt as po
from paramopt import classifier

finite = st.floats(-30, 30, allow_nan=False)
# margins at least 1e-3 away from the kinks at 0 and 1, where the derivative jumps
smooth = finite.filter(lambda z: abs(z) > 1e-3 and abs(z - 1) > 1e-3)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 8), elements=smooth))
def test_each_derivative_matches_central_differences(z):
    h = 1e-6
    for name, (loss, grad) in classifier.LOSSES.items():
        numeric = (loss(z + h) - loss(z - h)) / (2 * h)
        np.testing.assert_allclose(grad(z), numeric, rtol=1e-5, atol=1e-8, err_msg=name)


def test_correct_points_do_not_pull_on_perceptron_and_hinge():
    z = np.array([-2.0, -0.1, 0.5, 0.999, 1.0, 3.0])
    np.testing.assert_array_equal(classifier.perceptron_grad(z), [-1, -1, 0, 0, 0, 0])
    np.testing.assert_array_equal(classifier.hinge_grad(z), [-1, -1, -1, -1, 0, 0])
    assert np.all(classifier.logistic_grad(z) < 0)  # logistic: everybody pulls


def test_logistic_is_stable_for_huge_margins():
    z = np.array([-1000.0, 1000.0])
    np.testing.assert_allclose(classifier.logistic(z), [1000.0, 0.0])
    np.testing.assert_allclose(classifier.logistic_grad(z), [-1.0, 0.0], atol=1e-300)


@settings(max_examples=40, deadline=None)
@given(
    # |s| <= 8: beyond it 1 - sigma(s) loses digits and the cross-entropy route is inexact
    arrays(np.float64, 5, elements=st.floats(-8, 8)),
    st.lists(st.sampled_from([-1.0, 1.0]), min_size=5, max_size=5),
)
def test_logistic_loss_is_binary_cross_entropy(s, y):
    y = np.array(y)
    p = po.nn.sigmoid(s)
    ok = (p > 0) & (p < 1)
    np.testing.assert_allclose(
        classifier.binary_cross_entropy(p[ok], ((y + 1) / 2)[ok]),
        classifier.logistic(y * s)[ok],
        rtol=1e-9,
        atol=1e-12,
    )


def test_mean_gradient_matches_finite_differences():
    X, y = po.data.two_blobs(10, rng=3)
    w, b = np.array([0.3, -0.8]), 0.2
    for loss in classifier.LOSSES:
        _, grad_w, grad_b, _ = classifier.mean_loss_and_grad(loss, X, y, w, b)
        h = 1e-6
        numeric = [
            (
                classifier.mean_loss_and_grad(loss, X, y, w + h * e, b)[0]
                - classifier.mean_loss_and_grad(loss, X, y, w - h * e, b)[0]
            )
            / (2 * h)
            for e in np.eye(2)
        ]
        numeric_b = (
            classifier.mean_loss_and_grad(loss, X, y, w, b + h)[0]
            - classifier.mean_loss_and_grad(loss, X, y, w, b - h)[0]
        ) / (2 * h)
        np.testing.assert_allclose(grad_w, numeric, rtol=1e-5, atol=1e-9)
        assert grad_b == pytest.approx(numeric_b, rel=1e-5, abs=1e-9)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: classifier.hinge(np.array([0.0, np.nan])), "margin must be finite"),
        (lambda: classifier.margins(np.ones((3, 2)), np.ones(4), np.ones(2), 0.0), "X and y"),
        (
            lambda: classifier.margins(np.ones((2, 2)), np.array([1.0, 0.0]), np.ones(2), 0.0),
            r"y must hold labels -1 or \+1, got .*0\.0",
        ),
        (
            lambda: classifier.margins(np.ones((2, 2)), np.ones(2), np.ones(3), 0.0),
            "w must have shape",
        ),
        (
            lambda: classifier.margins(np.ones((2, 2)), np.ones(2), np.ones(2), np.inf),
            "b must be finite",
        ),
        (
            lambda: classifier.mean_loss_and_grad(
                "squared", np.ones((2, 2)), np.ones(2), np.ones(2), 0
            ),
            "loss must be one of",
        ),
        (
            lambda: classifier.binary_cross_entropy(np.array([0.5, 1.0]), np.array([1.0, 0.0])),
            "p must lie strictly between 0 and 1",
        ),
        (
            lambda: classifier.binary_cross_entropy(np.array([0.5]), np.array([2.0])),
            "t must be 0 or 1",
        ),
        (
            lambda: classifier.binary_cross_entropy(np.array([0.5]), np.array([1.0, 0.0])),
            "same shape",
        ),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_non_numbers_are_a_type_error():
    with pytest.raises(TypeError, match="margin must be a numeric array"):
        classifier.logistic(np.array(["a"]))


def test_pulls_counts_the_points_that_move_the_parameters():
    X, y = po.data.two_blobs(20, distance=4.0, spread=0.7, rng=0)
    w, b = np.array([np.cos(np.pi / 4), np.sin(np.pi / 4)]), 0.0
    value, grad_w, grad_b, dz = classifier.mean_loss_and_grad("hinge", X, y, w, b)
    hinge = classifier.pulls("hinge", X, y, w, b)
    assert hinge["loss"] == value
    assert hinge["grad_norm"] == pytest.approx(np.sqrt(grad_w @ grad_w + grad_b**2), rel=1e-12)
    np.testing.assert_array_equal(hinge["pull"], np.abs(dz))
    z = classifier.margins(X, y, w, b)
    assert hinge["pulling"] == np.count_nonzero(z < 1) > 0 and hinge["misclassified"] == 0
    assert classifier.pulls("perceptron", X, y, w, b)["pulling"] == 0
    assert classifier.pulls("logistic", X, y, w, b)["pulling"] == len(y)
    assert classifier.pulls("perceptron", X, y, -w, b)["misclassified"] == len(y)
