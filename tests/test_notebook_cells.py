"""What the chapters' code cells show a reader (see ``notebook_checks``).

Here, from the committed notebooks: every bookkeeping cell is collapsed behind the same
toggle and nothing else is, and no glued number is formatted in e-notation. The outputs —
no numpy repr, no e-notation once the values are known — are checked while nbval executes
each notebook (``book/conftest.py``), under every OpenBLAS kernel: executing the chapters
again here would double the cost of ``make test`` for the same information.
"""

import json
import re
from pathlib import Path

import pytest
from notebook_checks import (
    PROMPT_HIDE,
    PROMPT_SHOW,
    TAG,
    e_notation,
    glue_roles,
    is_bookkeeping,
    misfiled_cells,
    numpy_reprs,
    render,
    source,
)

CHAPTERS = sorted((Path(__file__).resolve().parent.parent / "book").glob("*.ipynb"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_bookkeeping_cells_and_only_they_are_collapsed(chapter):
    problems = misfiled_cells(load(chapter))
    assert not problems, "\n".join(f"  cell {i}: {problem}" for i, problem in problems)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_glued_number_is_formatted_in_e_notation(chapter):
    spelled = {key: fmts for key, fmts in glue_roles(load(chapter)).items()
               if any(fmt[-1:] in ("e", "E") for fmt in fmts)}  # fmt: skip
    assert not spelled, f"glue paramopt.style.number(x) instead of formatting with e: {spelled}"


def test_a_cell_that_only_glues_and_checks_is_bookkeeping():
    code = (
        "gap = abs(a - b).max()\n"
        "def half(x):\n    return x / 2\n"
        "for k in (1, 2):\n    glue(f'gap_{k}', half(gap) * k, display=False)\n"
        "assert gap < 1e-9\nnp.testing.assert_allclose(a, b)\n"
    )
    assert is_bookkeeping(code)
    assert is_bookkeeping("%time x = 1\nassert x == 1")


@pytest.mark.parametrize(
    "code, later",
    [
        ("x = 1\nglue('x', x)\nx", ()),  # shows a value
        ("x = 1\nglue('x', x)\nprint(x)", ()),
        ("fig, ax = plt.subplots()\nax.plot([1])\nglue('x', 1)", ()),  # a figure
        ("import numpy as np\nassert np.pi > 3", ()),
        ("results = run()\nglue('n', len(results))", ("plot(results)",)),  # an experiment
        ("x = 1\ny = x + 1", ()),  # computes, but neither glues nor checks
        ("x = (", ()),
    ],
)
def test_a_cell_that_shows_or_teaches_is_not(code, later):
    assert not is_bookkeeping(code, later)


def cell(code, tags=(), prompts=None):
    metadata = {"tags": list(tags)}
    if prompts:
        metadata["mystnb"] = dict(
            zip(("code_prompt_show", "code_prompt_hide"), prompts, strict=True)
        )
    return {"cell_type": "code", "metadata": metadata, "source": code, "outputs": []}


def test_misfiled_cells_are_named():
    notebook = {
        "cells": [
            cell("assert 1"),  # bookkeeping, in view
            cell("x = 1\nx", [TAG], (PROMPT_SHOW, PROMPT_HIDE)),  # the lesson, collapsed
            cell("assert 2", [TAG]),  # collapsed without the prompts
            cell("assert 3", [TAG], (PROMPT_SHOW, PROMPT_HIDE)),
            cell("assert 4", ["remove-cell"]),
        ]
    }
    assert [i for i, _ in misfiled_cells(notebook)] == [0, 1, 2]


def glue_output(key, text):
    return {
        "output_type": "display_data",
        "metadata": {"scrapbook": {"name": key, "mime_prefix": "application/papermill.record/"}},
        "data": {"application/papermill.record/text/plain": text},
    }


def test_numpy_reprs_are_found_in_any_output():
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": ["gap = 0.5\n"]},
        {"output_type": "execute_result", "data": {"text/plain": "(np.float64(0.5), 3)"}},
        {"output_type": "execute_result", "data": {"text/plain": ["{'a': np.True_}"]}},
        glue_output("n", "np.int64(3)"),
    ]
    assert len(numpy_reprs(outputs)) == 3
    assert not numpy_reprs([{"output_type": "stream", "text": "array([0.5]), np.nan"}])


def test_e_notation_is_found_as_the_prose_pastes_it():
    prose = "{glue:text}`small:.3g`, {glue:text}`fine:.3f`, {glue:text}`text`, {glue:text}`raw`"
    notebook = {"cells": [{"cell_type": "markdown", "source": prose, "metadata": {}}]}
    outputs = [
        glue_output("small", "0.0000316"),
        glue_output("fine", "0.0000316"),
        glue_output("text", "'3.2 × 10⁻⁵'"),
        glue_output("raw", "1e-05"),
        glue_output("unused", "1e-05"),
    ]
    assert e_notation(notebook, outputs) == [("small", ".3g", "3.16e-05"), ("raw", "", "1e-05")]
    assert render("'a b'", "") == "a b" and render("0.25", ".0%") == "25%"


TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
PAGES = sorted((Path(__file__).resolve().parent.parent / "book").glob("*.md"))


def table_headers(markdown):
    """The header cells of every Markdown table in ``markdown``."""
    lines = markdown.splitlines()
    for header, rule in zip(lines, lines[1:], strict=False):
        if "|" in header and TABLE_RULE.match(rule):
            yield [cell.strip() for cell in header.strip().strip("|").split("|")]


def unnamed(cells):
    """Header cells a screen reader cannot name: empty, or a formula alone (axe:
    empty-table-header; MathJax draws a formula without text)."""
    return [cell for cell in cells if not re.sub(r"\$[^$]*\$", "", cell).strip()]


def prose(path):
    if path.suffix == ".md":
        return [path.read_text(encoding="utf-8")]
    return [source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("page", CHAPTERS + PAGES, ids=lambda p: p.name)
def test_every_table_header_has_words(page):
    bad = [cells for text in prose(page) for cells in table_headers(text) if unnamed(cells)]
    assert not bad, f"table headers with no words (name the column, then the symbol): {bad}"


def test_a_header_of_a_formula_alone_is_unnamed():
    table = "| | $\\beta$ | window $1/(1-\\beta)$ |\n|---|:--:|---|\n| m | 0.9 | 10 |"
    assert [unnamed(cells) for cells in table_headers(table)] == [["", "$\\beta$"]]
