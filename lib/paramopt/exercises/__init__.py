r"""Instant checks for the book's coding and numeric exercises, with specific hints.

The reader writes an answer (usually a function) and asks for a check::

    import paramopt as po

    def squared_grad(z):
        return -2 * (1 - z)

    po.exercises.check("framework-squared", squared_grad)
    # ✓ framework-squared: correct. ...

A check tries the answer on several inputs against the library's reference and, when
the answer is wrong, says *why* if it recognises the mistake (a sign error, a missing
factor 1/N, ε inside the square root, a forgotten bias correction, ...). It never
raises because an answer is wrong, nor because the reader's function crashed: it
returns a :class:`Result` whose ``ok`` says whether the answer passed and whose
``message`` is the hint. Only an unknown exercise id raises ``ValueError``, listing the
valid ones; :func:`available` lists them too.

Adding a checker
----------------
A checker is a function of the answer, registered with :func:`exercise`. It raises
:class:`Hint` for a wrong answer and returns normally (optionally a remark) for a
right one. :func:`call` runs the reader's function safely and :func:`compare` matches
its output against the reference and a catalogue of typical mistakes::

    @exercise("chapter-topic", "implement d/dz of (1 - z)^2")
    def _(answer):
        z = np.linspace(-2, 3, 11)
        compare(
            call(answer, z), -2 * (1 - z), at=z,
            mistakes={"Sign error: ...": 2 * (1 - z), "Missing factor 2: ...": -(1 - z)},
        )

The checkers live in one module per chapter (``paramopt.exercises.momentum`` ...),
registered on import. Ids are ``<chapter file>-<topic>`` (``framework-squared``,
``weight_decay-adamw-step``), the same as the exercise's label in the book without the
``ex-`` prefix.
"""

# importing a chapter's module registers its checkers
from paramopt.exercises import (  # noqa: F401
    adagrad,
    adam,
    backprop,
    beyond_adam,
    checking,
    digits,
    framework,
    momentum,
    schedules,
    sgd,
    vanishing,
    weight_decay,
)
from paramopt.exercises.checking import *  # noqa: F403

__all__ = checking.__all__
