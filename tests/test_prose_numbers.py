"""Numbers in prose come from code: every numeral a chapter's text states is accounted for.

The intro promises that every number the text states is computed by the chapter's code.
:func:`numerals` finds the numerals a reader sees in a notebook's markdown, leaving out
what is not prose: code (fenced blocks and inline), math (``$…$``, ``$$…$$``, math
directives), roles (glued values, citations, glossary links, cross-references), headings,
directive options, link targets, and the markers of numbered lists. A glued number is a
role, so it never shows up here. Each numeral that remains must be one of:

- a literal of the chapter's own code cells: a setting the prose states where the code
  sets it (a batch size, a number of steps, a grid; "90%" for a threshold of 0.9).
  Change the setting and forget the prose, and the old number is no longer in the code:
  this test fails;
- 0, 1 or 2, the constants of the mathematics (a margin of 1, weights that sum to 1, the
  factor 2 of a square's derivative) and the first items of a list;
- a year (1950–2039) or a chapter or section number ("chapter 7", "Section 2.1");
- on :data:`ALLOWED`, with its reason.

Anything else is a number somebody typed after reading it off an output: glue it.
"""

import io
import json
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest

# Directives whose body is prose a reader reads; every other directive (code, math,
# literalinclude, bibliography, …) has a body that is not prose.
PROSE_DIRECTIVES = re.compile(
    r"(exercise|solution|admonition|note|tip|hint|important|warning|caution|attention"
    r"|seealso|dropdown|prf:\w+|proof:\w+|topic|sidebar|margin|epigraph|glossary)$"
)
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}|:{3,})\s*(\{([^}]+)\})?\s*(.*)$")
OPTION = re.compile(r"^\s*:[\w-]+:")
NUMERAL = re.compile(r"(?<![\w.\\])\d+(?:[.,]\d+)*(?![\w])")

# inline constructs removed before numerals are looked for, in this order
INLINE = [
    re.compile(r"\$\$.*?\$\$", re.S),  # display math written inline
    re.compile(r"(?<!\\)\$(?!\$).+?(?<!\\)\$", re.S),  # inline math
    re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.S),
    re.compile(r"\{[\w:-]+\}`[^`]*`"),  # roles: {glue:text}`…`, {cite:p}`…`, {term}`…`
    re.compile(r"(`+).*?\1", re.S),  # inline code
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<[^>\n]+>"),  # HTML tags
]
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S)


@dataclass(frozen=True)
class Numeral:
    chapter: str
    cell: int
    text: str  # the numeral
    context: str  # the prose around it, as the reader reads it
    percent: bool = False  # written "90%": the code may say 0.9


def prose_lines(markdown):
    """The lines of ``markdown`` that are prose, with fenced code and math bodies removed."""
    markdown = DISPLAY_MATH.sub(" ", markdown)
    kept, stack = [], []  # stack: (fence, is_prose) of the open fenced blocks
    for line in markdown.splitlines():
        match = FENCE.match(line)
        if match:
            fence, directive, rest = match.group(2), match.group(4), match.group(5)
            if stack and fence == stack[-1][0] and not directive and not rest:
                stack.pop()  # the block closes
                continue
            if not stack or stack[-1][1]:  # an opening inside prose
                is_prose = bool(directive and PROSE_DIRECTIVES.match(directive.strip()))
                stack.append((fence, is_prose))
                if is_prose and rest:
                    kept.append(rest)  # a directive's title is prose
                continue
        if stack and not stack[-1][1]:
            continue  # inside code, math or another non-prose block
        if OPTION.match(line) or line.lstrip().startswith("#"):
            continue  # directive options and headings
        kept.append(re.sub(r"^\s*(\d+\.|[-*+])\s+", "", line))  # list markers
    return kept


def strip_inline(text):
    for pattern in INLINE:
        text = pattern.sub(" ", text)
    return text


def numerals(path):
    """Every numeral in the prose of the notebook at ``path``."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        text = strip_inline("\n".join(prose_lines("".join(cell["source"]))))
        for match in NUMERAL.finditer(text):
            start, end = match.span()
            context = " ".join(text[max(0, start - 40) : end + 40].split())
            percent = text[end : end + 1] == "%"
            found.append(Numeral(path.stem, index, match.group(), context, percent))
    return found


def code_literals(path):
    """The numeric literals of the notebook's code cells, as floats."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = set()
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = re.sub(r"^\s*[%!].*$", "", "".join(cell["source"]), flags=re.M)  # magics
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.NUMBER and not token.string.endswith(("j", "J")):
                found.add(float(token.string.replace("_", "")))
    return found


def value(numeral):
    return float(numeral.replace(",", ""))


REFERENCE = re.compile(
    r"(?:\b[Cc]hapters?|\b[Ss]ections?)\s+(?:\d+(?:\.\d+)?(?:,\s*|\s+and\s+|\s*[–-]\s*)?)+$"
)


def is_reference(numeral):
    """A year, or the number of a chapter or a section ("chapters 3–6", "Section 2.1")."""
    if re.fullmatch(r"(19[5-9]\d|20[0-3]\d)", numeral.text):
        return True
    before, _, _ = numeral.context.partition(numeral.text)
    return bool(REFERENCE.search(before + numeral.text))


#: numerals that are neither glued nor set by the chapter's code, each with its reason:
#: chapter -> {(numeral, a phrase around it): reason}
ALLOWED = {
    "adagrad": {
        ("45", "rotated by 45°"): "the code's angle np.pi / 4, in degrees",
        ("15", "0°, 15°, 30° and 45°"): "the angles the exercise asks for",
        ("30", "0°, 15°, 30° and 45°"): "the angles the exercise asks for",
        ("45", "0°, 15°, 30° and 45°"): "the angles the exercise asks for",
        ("45", "hundreds at 45°"): "the exercise's largest angle",
    },
    "backprop": {
        ("9", "It has 9 parameters"): "the 2-input network's size, read off its diagram",
        ("6", "6 weights and 3 biases"): "the 2-input network's size, read off its diagram",
    },
    "framework": {
        ("5", "A point at margin 5"): "an example margin in an argument, not a result",
        ("45", "normal angle 45°"): "a position of the explorer's angle slider",
        ("45", "At 45° and offset 0"): "a position of the explorer's angle slider",
    },
    "momentum": {
        ("0.99", "from 0.9 to 0.99"): "an example of β in an argument, not a result",
    },
    "sgd": {
        ("2,000", "within 2,000 steps"): "the step budget the exercise sets",
        ("100", "for 100 steps and describe"): "the step budget the exercise sets",
        ("100", "after 100 steps the larger"): "the same budget, in the exercise's solution",
    },
    "vanishing": {
        ("14", "with 14 times fewer training steps"): "quoted from Ioffe and Szegedy (2015)",
    },
}


def unaccounted(path):
    literals = code_literals(path)
    allowed = ALLOWED.get(path.stem, {})
    left = []
    for numeral in numerals(path):
        number = value(numeral.text)
        if number in literals or number in (0, 1, 2):
            continue
        if numeral.percent and number / 100 in literals:
            continue
        if is_reference(numeral):
            continue
        if any(n == numeral.text and phrase in numeral.context for n, phrase in allowed):
            continue
        left.append(numeral)
    return left


CHAPTERS = sorted((Path(__file__).resolve().parent.parent / "book").glob("*.ipynb"))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_comes_from_code(chapter):
    left = unaccounted(chapter)
    assert not left, "glue these numbers (or allow them with a reason):\n" + "\n".join(
        f"  cell {n.cell}: {n.text!r} in “{n.context}”" for n in left
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_allowed_number_is_still_there(chapter):
    found = numerals(chapter)
    stale = [
        (n, phrase)
        for n, phrase in ALLOWED.get(chapter.stem, {})
        if not any(m.text == n and phrase in m.context for m in found)
    ]
    assert not stale, f"ALLOWED entries that no longer match the prose: {stale}"


def notebook(tmp_path, markdown, code=""):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": markdown}]
    cells.append({"cell_type": "code", "metadata": {}, "source": code, "outputs": []})
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    return path


def test_numerals_are_found_in_prose_only(tmp_path):
    path = notebook(
        tmp_path,
        "# Section 9 of 12\n"
        "After 176 steps, $x^{2} + 3$ and $$y = 4$$, `lr=0.5`, {glue:text}`n:.3f`,\n"
        "{cite:p}`kingma2015adam`, [a link](https://example.org/5) and\n"
        "1. a list item of 13 words\n"
        "```python\nx = 42\n```\n"
        "````{exercise} A title with 7 parts\n:label: ex-6\nSolve it in 11 steps.\n"
        "```{math}\nz = 8\n```\n````\n"
        "\\begin{align} w = 10 \\end{align}\n",
    )
    assert [n.text for n in numerals(path)] == ["176", "13", "7", "11"]


def test_a_typed_number_is_caught_and_a_setting_or_reference_is_not(tmp_path):
    path = notebook(
        tmp_path,
        "We take 300 steps (chapter 7, Kingma 2015); the run ends after 2574 steps.\n"
        "Runs above 90% train, 35% of them fail.",
        code="steps = 300\nrate = 1e-3\ntrains = accuracy > 0.9\n",
    )
    assert [n.text for n in unaccounted(path)] == ["2574", "35"]
