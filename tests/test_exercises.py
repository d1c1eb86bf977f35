"""paramopt.exercises: the machinery every checker relies on.

The checkers themselves, chapter by chapter, are tested in test_exercises_chapters.py;
test_exercises_book.py runs the book's own solutions through them.
"""

import numpy as np
import pytest

import paramopt as po
from paramopt import exercises
from paramopt.exercises import Hint, Result, compare

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


def test_unknown_id_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown exercise id 'nope'.*framework-squared"):
        po.exercises.check("nope", lambda z: z)


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
