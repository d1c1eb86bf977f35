"""The checking machinery: :class:`Result`, :class:`Hint`, the registry and the tools.

:func:`exercise` registers a checker, :func:`check` runs one on the reader's answer;
:func:`call` runs the reader's function safely and :func:`compare` matches its output
against the reference and a catalogue of typical mistakes. See :mod:`paramopt.exercises`.
"""

import copy
import html
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Hint",
    "Result",
    "as_float",
    "available",
    "call",
    "call_each",
    "call_elementwise",
    "check",
    "compare",
    "exercise",
]


@dataclass(frozen=True)
class Result:
    """The outcome of :func:`check`: ``ok`` and a ``message`` (the hint when not ok).

    ``bool(result)`` is ``result.ok``; in a notebook the result shows as one line.
    """

    exercise: str
    ok: bool
    message: str

    def __bool__(self):
        return self.ok

    def __str__(self):
        mark = "✓" if self.ok else "✗"
        return f"{mark} {self.exercise}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self):
        colour = "#009E73" if self.ok else "#D55E00"  # Okabe–Ito green / vermillion
        mark = "✓" if self.ok else "✗"
        return (
            f'<div class="po-check" style="border-left: 4px solid {colour}; '
            f'padding: 0.3em 0.8em; white-space: normal">'
            f"<strong>{mark} {html.escape(self.exercise)}</strong>: "
            f"{html.escape(self.message)}</div>"
        )


class Hint(Exception):
    """Raised by a checker (or by :func:`call`/:func:`compare`) to reject an answer."""


@dataclass(frozen=True)
class Exercise:
    id: str
    task: str
    checker: Callable


_REGISTRY: dict[str, Exercise] = {}


def exercise(exercise_id, task):
    """Decorator: register ``checker(answer)`` under ``exercise_id`` (unique)."""
    if not isinstance(exercise_id, str) or not exercise_id:
        raise TypeError(f"exercise_id must be a non-empty string, got {exercise_id!r}")

    def register(checker):
        if exercise_id in _REGISTRY:
            raise ValueError(f"exercise {exercise_id!r} is already registered")
        _REGISTRY[exercise_id] = Exercise(exercise_id, str(task), checker)
        return checker

    return register


def available():
    """``{exercise id: task}`` for every registered checker, sorted by id."""
    return {key: _REGISTRY[key].task for key in sorted(_REGISTRY)}


def check(exercise_id, answer):
    """Check ``answer`` for ``exercise_id``; return a :class:`Result` (never raises for it)."""
    if exercise_id not in _REGISTRY:
        valid = ", ".join(sorted(_REGISTRY))
        raise ValueError(f"unknown exercise id {exercise_id!r}; valid ids: {valid}")
    try:
        remark = _REGISTRY[exercise_id].checker(answer)
    except Hint as hint:
        return Result(exercise_id, False, str(hint))
    message = "correct." + (f" {remark}" if remark else "")
    return Result(exercise_id, True, message)


# -- tools for writing checkers ------------------------------------------------------
def call(answer, *args, **kwargs):
    """Call the reader's function on copies of the arguments; turn any failure into a Hint.

    Floating-point warnings are silenced (a non-finite result is judged by
    :func:`compare`, which can then name the cause).
    """
    if not callable(answer):
        raise Hint(f"expected a function, got {type(answer).__name__} {answer!r:.60}")
    args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return answer(*args, **kwargs)
    except Exception as error:  # the reader's code, whatever it raises
        raise Hint(f"your function raised {type(error).__name__}: {error}") from None


def call_elementwise(answer, z):
    """``answer(z)`` for an array ``z``; a function written for one number is mapped over it."""
    try:
        raw = call(answer, z)
        out = np.asarray(raw, dtype=float)
    except Hint as error:
        first = error
    except (TypeError, ValueError):
        first = Hint(
            f"expected a number or an array of numbers, got {type(raw).__name__} {raw!r:.60}"
        )
    else:
        if out.shape == z.shape:
            return out
        first = Hint(f"your function returned shape {out.shape} for an input of shape {z.shape}")
    try:  # perhaps it was written for one number at a time
        return np.array([as_float(call(answer, float(x))) for x in z])
    except Hint:
        raise Hint(str(first)) from None


def call_each(answer, cases):
    """``answer(*case)`` as a float for each tuple of arguments in ``cases``: one array."""
    return np.array([as_float(call(answer, *case)) for case in cases])


def as_float(value):
    """``value`` as a Python float; a Hint if it is not one number."""
    try:
        return float(np.asarray(value, dtype=float))
    except (TypeError, ValueError):
        raise Hint(f"expected a number, got {type(value).__name__} {value!r:.60}") from None


def _as_arrays(value, n, names):
    """The answer as a tuple of ``n`` float arrays (a bare array if ``n`` is 1)."""
    parts = (value,) if n == 1 else value
    if n > 1 and (not isinstance(parts, tuple | list) or len(parts) != n):
        raise Hint(f"expected a tuple ({', '.join(names)}), got {type(value).__name__}")
    try:
        return tuple(np.asarray(p, dtype=float) for p in parts)
    except (TypeError, ValueError):
        raise Hint(f"expected numbers for ({', '.join(names)})") from None


def _close(got, want, rtol, atol):
    return all(
        g.shape == w.shape and np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=True)
        for g, w in zip(got, want, strict=True)
    )


def compare(got, expected, *, mistakes=None, at=None, names=None, rtol=1e-7, atol=1e-10):
    """Raise a :class:`Hint` unless ``got`` matches ``expected``.

    ``expected`` is a number, an array or a tuple of arrays (then ``names`` names the
    parts). ``mistakes`` maps a hint to the value a typical wrong answer produces: if
    ``got`` matches one, that hint is raised (a ``None`` value skips the hint: the mistake
    is not distinguishable on this input). Otherwise the hint says where ``got``
    first differs, at input ``at[i]`` when ``at`` is given.
    """
    n = len(expected) if isinstance(expected, tuple) else 1
    names = list(names or (["value"] if n == 1 else [f"output {i}" for i in range(n)]))
    want = _as_arrays(expected, n, names)
    got = _as_arrays(got, n, names)
    for g, w, name in zip(got, want, names, strict=True):
        if g.shape != w.shape:
            raise Hint(f"{name} has shape {g.shape}, expected {w.shape}")
    if _close(got, want, rtol, atol):
        return
    for hint, wrong in (mistakes or {}).items():
        if wrong is None:
            continue
        if _close(got, _as_arrays(wrong, n, names), rtol, atol):
            raise Hint(hint)
    for g, w, name in zip(got, want, names, strict=True):
        bad = ~np.isclose(g, w, rtol=rtol, atol=atol, equal_nan=True)
        if np.any(bad):
            i = int(np.flatnonzero(bad.ravel())[0])
            where = f" at input {np.ravel(at)[i]:g}" if at is not None and n == 1 else ""
            if not np.isfinite(g.ravel()[i]):
                raise Hint(f"{name} is {g.ravel()[i]}{where}: it must be finite")
            raise Hint(
                f"{name} is wrong{where}: expected {w.ravel()[i]:.6g}, got {g.ravel()[i]:.6g} "
                f"(element {i})"
            )
