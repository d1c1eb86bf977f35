"""The book and paramopt.exercises agree: every checker is used, every solution passes.

An exercise with a checker says ``po.exercises.check("<id>", answer)`` in its text, where
``<id>`` is its label without ``ex-``; its solution shows a self-contained code block that
builds the answer and calls the same check. Here each such block is run and its answer
checked, so a solution in the book cannot drift from its checker.
"""

import re
from pathlib import Path
from textwrap import dedent

import nbformat
import numpy as np
import pytest

import paramopt as po

BOOK = Path(__file__).resolve().parent.parent / "book"
BLOCK = re.compile(r"^````\{(exercise|solution)\}([^\n]*)\n(.*?)^````$", re.S | re.M)
CHECK = re.compile(r'po\.exercises\.check\("([\w-]+)", ([^\n]+)\)')
CODE = re.compile(r"^( *)```python\n(.*?)^\1```$", re.S | re.M)  # also inside a list item


def blocks():
    """{label: (exercise text, solution text)} over every chapter."""
    found = {}
    for path in sorted(BOOK.glob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
        for kind, title, body in BLOCK.findall(text):
            if kind == "exercise":
                label = re.search(r":label: (\S+)", body).group(1)
                found[label] = [body, None]
            else:
                found[title.strip()][1] = body
    return found


BLOCKS = blocks()
CHECKED = {label: CHECK.findall(text) for label, (text, _) in BLOCKS.items() if "check(" in text}


def test_every_checker_is_used_by_exactly_its_exercise():
    for label, calls in CHECKED.items():
        assert {exercise_id for exercise_id, _ in calls} == {label.removeprefix("ex-")}, label
    used = {label.removeprefix("ex-") for label in CHECKED}
    assert used == set(po.exercises.available())


def test_every_exercise_has_a_solution():
    assert all(solution for _, solution in BLOCKS.values())


@pytest.mark.parametrize("exercise_id", sorted(po.exercises.available()))
def test_the_books_solution_passes_its_check(exercise_id):
    solution = BLOCKS[f"ex-{exercise_id}"][1]
    code = [dedent(block) for _, block in CODE.findall(solution) if exercise_id in block]
    assert len(code) == 1, f"the solution shows one code block with the check of {exercise_id}"
    namespace = {"np": np, "po": po}
    exec(compile(code[0], f"<solution of {exercise_id}>", "exec"), namespace)  # noqa: S102
    (answer,) = (expr for i, expr in CHECK.findall(code[0]) if i == exercise_id)
    result = po.exercises.check(exercise_id, eval(answer, namespace))  # noqa: S307
    assert result.ok, result.message
