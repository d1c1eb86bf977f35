"""paramopt.exercises: the machinery, and the checkers of chapters 0 and 7.

Every checker accepts a right answer and names typical mistakes; the other chapters'
checkers are tested in test_exercises_chapters.py.
"""

import numpy as np
import pytest

import paramopt as po
from paramopt import exercises
from paramopt.exercises import Hint, Result, compare
from paramopt.exercises.weight_decay import ADAMW_HINTS, SGD_HINTS

# -- the reader's right answers, written as a reader would --------------------------------


def squared_grad(z):
    return -2 * (1 - z)


def logistic_derivative(z):
    return -1 / (1 + np.exp(z))


def mean_grad(X, y, w, b):
    dz = po.losses.sigmoid(y * (X @ w + b)) - 1
    return (dz * y) @ X / len(y), float(np.mean(dz * y))


def adamw_step(theta, grad, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    beta1, beta2 = betas
    theta = theta * (1 - lr * weight_decay)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def sgd_step(theta, grad, buf, lr, momentum, weight_decay, decoupled):
    if decoupled:
        buf = momentum * buf + grad
        return theta * (1 - lr * weight_decay) - lr * buf, buf
    buf = momentum * buf + grad + weight_decay * theta
    return theta - lr * buf, buf


def mean_grad_without_y(X, y, w, b):
    dz = po.losses.sigmoid(y * (X @ w + b)) - 1
    return dz @ X / len(y), float(np.mean(dz))


def adamw_half_life(lr, weight_decay):
    return np.log(0.5) / np.log(1 - lr * weight_decay)


RIGHT = {
    "framework-perceptron-stop": {0.02: 201, 0.2: 19, 2.0: 1},
    "weight_decay-dead-weight": adamw_half_life,
    "framework-squared": squared_grad,
    "framework-logistic-derivative": logistic_derivative,
    "framework-mean-grad": mean_grad,
    "weight_decay-torch-lambda": 0.01,
    "weight_decay-adamw-step": adamw_step,
    "weight_decay-sgd-step": sgd_step,
}


def test_every_checker_of_chapters_0_and_7_has_a_right_answer_here():
    ids = {i for i in exercises.available() if i.startswith(("framework-", "weight_decay-"))}
    assert ids == set(RIGHT)


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_right_answer_passes(exercise_id):
    result = po.exercises.check(exercise_id, RIGHT[exercise_id])
    assert isinstance(result, Result)
    assert result.ok and bool(result), result.message
    assert str(result).startswith(f"✓ {exercise_id}: correct")


def test_the_first_order_half_life_is_accepted_too():
    assert po.exercises.check("weight_decay-dead-weight", lambda lr, lam: np.log(2) / (lr * lam))


def test_a_scalar_function_is_accepted_for_an_array_exercise():
    result = po.exercises.check("framework-squared", lambda z: -2.0 * (1.0 - float(z)))
    assert result.ok, result.message


# -- typical mistakes get their own hint --------------------------------------------------

WRONG = [
    ("framework-squared", lambda z: 2 * (1 - z), "Sign error"),
    ("framework-squared", lambda z: -(1 - z), "Missing factor 2"),
    ("framework-squared", lambda z: (1 - z) ** 2, "the loss ℓ(z) itself"),
    ("framework-logistic-derivative", lambda z: 1 / (1 + np.exp(z)), "Sign error"),
    ("framework-logistic-derivative", lambda z: -po.losses.sigmoid(z), "Check the argument"),
    ("framework-logistic-derivative", lambda z: -np.exp(-z), "dropped the denominator"),
    (
        "framework-logistic-derivative",
        lambda z: -np.exp(-z) / (1 + np.exp(-z)),
        "not numerically stable",
    ),
    (
        "framework-mean-grad",
        lambda X, y, w, b: tuple(len(y) * np.asarray(g) for g in mean_grad(X, y, w, b)),
        "N = 40 times too large",
    ),
    (
        "framework-mean-grad",
        lambda X, y, w, b: tuple(-np.asarray(g) for g in mean_grad(X, y, w, b)),
        "Sign error",
    ),
    ("framework-mean-grad", lambda X, y, w, b: mean_grad_without_y(X, y, w, b), "a factor y_i"),
    ("framework-perceptron-stop", [202, 20, 2], "Off by one"),
    ("framework-perceptron-stop", {0.02: 19, 0.2: 19, 2.0: 19}, "does depend on the rate"),
    ("framework-perceptron-stop", {0.02: 201}, "missing 0.2"),
    ("framework-perceptron-stop", 19, "expected {lr: step}"),
    ("weight_decay-dead-weight", lambda lr, lam: np.log(2) / lam, "not ln 2/λ"),
    ("weight_decay-dead-weight", lambda lr, lam: 1 / (lr * lam), "ln 2 times that"),
    ("weight_decay-dead-weight", lambda lr, lam: 0.05 / lr, "Adam + L2"),
    ("weight_decay-torch-lambda", 1e-4, "You multiplied by α"),
    ("weight_decay-torch-lambda", 0.001, "not the same number"),
    ("weight_decay-torch-lambda", 0.005, "twice that"),
]


@pytest.mark.parametrize(("exercise_id", "answer", "hint"), WRONG)
def test_typical_mistake_gets_its_hint(exercise_id, answer, hint):
    result = po.exercises.check(exercise_id, answer)
    assert not result.ok
    assert hint in result.message, result.message


def adamw_with(mistake):
    """The reader's AdamW with one typical mistake, written independently of the checker."""

    def step(theta, grad, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        beta1, beta2 = betas
        if mistake == "l2":
            grad = grad + weight_decay * theta
        decay = {"l2": 0.0, "none": 0.0, "no-lr": weight_decay}.get(mistake, lr * weight_decay)
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        m_hat = m if mistake in ("no-bias", "no-bias-m") else m / (1 - beta1**t)
        v_hat = v if mistake in ("no-bias", "no-bias-v") else v / (1 - beta2**t)
        denom = np.sqrt(v_hat + eps) if mistake == "eps-inside" else np.sqrt(v_hat) + eps
        update = lr * m_hat / denom
        if mistake == "after":
            return (theta - update) * (1 - decay), m, v
        if mistake == "sign":
            return theta * (1 - decay) + update, m, v
        return theta * (1 - decay) - update, m, v

    return step


@pytest.mark.parametrize("mistake", sorted(ADAMW_HINTS))
def test_adamw_mistakes_get_their_hint(mistake):
    result = po.exercises.check("weight_decay-adamw-step", adamw_with(mistake))
    assert not result.ok
    assert result.message == ADAMW_HINTS[mistake]


def test_adamw_step_counted_from_zero_is_rejected_without_raising():
    def from_zero(theta, grad, m, v, t, **hyper):
        return adamw_step(theta, grad, m, v, t - 1, **hyper)  # 1 - β^0 = 0: division by zero

    result = po.exercises.check("weight_decay-adamw-step", from_zero)
    assert not result.ok and "must be finite" in result.message


def sgd_with(mistake):
    def step(theta, grad, buf, lr, momentum, weight_decay, decoupled):
        if mistake == "always-l2" or (not decoupled and mistake != "l2-outside"):
            g = grad + weight_decay * theta
            buf = momentum * buf + g
            return theta - lr * (g if mistake == "no-momentum" else buf), buf
        if mistake == "l2-outside":
            buf = momentum * buf + grad
            return theta - lr * (buf + weight_decay * theta), buf
        shrink = 1 - (weight_decay if mistake == "no-lr" else lr * weight_decay)
        buf = momentum * buf + grad
        return theta * shrink - lr * (grad if mistake == "no-momentum" else buf), buf

    return step


@pytest.mark.parametrize("mistake", sorted(SGD_HINTS))
def test_sgd_mistakes_get_their_hint(mistake):
    result = po.exercises.check("weight_decay-sgd-step", sgd_with(mistake))
    assert not result.ok
    assert result.message == SGD_HINTS[mistake]


# -- robustness: a wrong answer never raises ---------------------------------------------


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (42, "expected a function"),
        (lambda z: 1 / 0, "raised ZeroDivisionError"),
        (lambda z: "text", "expected a number"),
        (lambda z: np.full(3, 1.0), "returned shape (3,) for an input of shape (8,)"),
        (lambda z: z * np.nan, "must be finite"),
    ],
)
def test_broken_answers_give_a_result_not_an_exception(answer, hint):
    result = po.exercises.check("framework-squared", answer)
    assert not result.ok and hint in result.message, result.message


class NotAnAnswer:
    pass


JUNK = [
    None,
    42,
    "x",
    [1, 2],
    {},
    NotAnAnswer,
    lambda *args, **kwargs: None,
    lambda *args, **kwargs: "x",
    lambda *args, **kwargs: 1 / 0,
    lambda *args, **kwargs: np.nan,
    lambda *args, **kwargs: (1, 2, 3, 4, 5, 6),
    lambda *args, **kwargs: [None] * 6,
    lambda *args, **kwargs: {},
    lambda *args, **kwargs: np.zeros((2, 2, 2)),
]


@pytest.mark.parametrize("exercise_id", sorted(exercises.available()))
def test_no_answer_makes_any_checker_raise(exercise_id):
    for answer in JUNK:
        result = po.exercises.check(exercise_id, answer)
        assert not result.ok and result.message, (exercise_id, answer)


def test_wrong_shapes_and_arity_are_explained():
    result = po.exercises.check("weight_decay-adamw-step", lambda *args, **kw: args[0])
    assert not result.ok and "expected a tuple (theta, m, v)" in result.message
    result = po.exercises.check("framework-mean-grad", lambda X, y, w, b: (np.zeros(3), 0.0))
    assert not result.ok and "grad_w has shape (3,), expected (2,)" in result.message


def test_the_readers_arrays_are_copies():
    def mutating(theta, grad, m, v, t, **hyper):
        out = adamw_step(theta, grad, m, v, t, **hyper)
        theta[:] = np.nan  # vandalise the inputs: later cases must not be affected
        m[:] = np.nan
        return out

    assert po.exercises.check("weight_decay-adamw-step", mutating).ok


def test_unknown_id_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown exercise id 'nope'.*framework-squared"):
        po.exercises.check("nope", squared_grad)


# -- the registry: adding a checker is a decorator ----------------------------------------


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(exercises.checking, "_REGISTRY", dict(exercises.checking._REGISTRY))


def test_a_new_checker_is_a_few_lines(registry):
    @exercises.exercise("test-double", "return 2x")
    def _(answer):
        x = np.arange(4.0)
        compare(exercises.call(answer, x), 2 * x, at=x, mistakes={"You returned x.": x})

    assert "test-double" in exercises.available()
    assert po.exercises.check("test-double", lambda x: x + x).ok
    assert po.exercises.check("test-double", lambda x: x).message == "You returned x."
    assert "at input 1" in po.exercises.check("test-double", lambda x: x * x).message


def test_ids_are_unique_and_strings(registry):
    with pytest.raises(ValueError, match="already registered"):
        exercises.exercise("framework-squared", "again")(lambda answer: None)
    with pytest.raises(TypeError, match="non-empty string"):
        exercises.exercise("", "empty")


def test_a_checker_can_raise_hint_directly(registry):
    @exercises.exercise("test-positive", "a positive number")
    def _(answer):
        if not answer > 0:
            raise Hint("It must be positive.")

    assert po.exercises.check("test-positive", -1) == Result(
        "test-positive", False, "It must be positive."
    )


def test_result_shows_as_escaped_html_in_notebooks():
    shown = Result("x-<id>", False, "use a < b & c")._repr_html_()
    assert "✗ x-&lt;id&gt;" in shown and "use a &lt; b &amp; c" in shown
    assert "#009E73" in Result("x", True, "correct.")._repr_html_()
