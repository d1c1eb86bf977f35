"""The glossary and the {term} links to it, checked on the sources (no build needed).

Sphinx's std domain resolves a {term} target by an exact match and then by its lowercase
form, so the targets are compared lowercased here too.
"""

import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = sorted(BOOK.glob("*.ipynb"))
TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")


def glossary_entries(text):
    """The entries of the {glossary} block: a list of (names, definition).

    An entry is one or more unindented lines (the term and its aliases) followed by its
    indented definition.
    """
    block = re.search(r"^```\{glossary\}\n(.*?)^```$", text, re.M | re.S).group(1)
    entries = []
    for line in block.splitlines():
        if not line.strip() or line.startswith(":"):
            continue
        if line[0].isspace():
            entries[-1][1].append(line.strip())
        elif entries and not entries[-1][1]:
            entries[-1][0].append(line.strip())  # an alias of the term above
        else:
            entries.append(([line.strip()], []))
    return [(names, " ".join(definition)) for names, definition in entries]


ENTRIES = glossary_entries((BOOK / "glossary.md").read_text(encoding="utf-8"))
#: every term and alias (lowercased) -> the entry's first name
ENTRY_OF = {name.lower(): names[0] for names, _ in ENTRIES for name in names}


def term_targets(text):
    """The target of every {term} role in `text`: the part in <...>, else the whole text."""
    targets = []
    for content in TERM_ROLE.findall(text):
        content = " ".join(content.split())  # a role may wrap onto the next line
        explicit = re.fullmatch(r"(.*?)\s*<(.+)>", content)
        targets.append(explicit.group(2) if explicit else content)
    return targets


def markdown(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_the_glossary_is_parsed():
    assert len(ENTRIES) >= 30
    assert ENTRY_OF["batchnorm"] == "batch normalisation"
    assert ENTRY_OF["stochastic gradient descent"] == "SGD"
    assert ENTRY_OF["optimizer"] == "optimiser"


@pytest.mark.parametrize(("names", "definition"), ENTRIES, ids=[n[0] for n, _ in ENTRIES])
def test_every_entry_has_a_chinese_and_a_japanese_name(names, definition):
    assert re.search(r"中文：\s*\S", definition), f"{names[0]}: no 中文 name"
    assert re.search(r"日本語：\s*\S", definition), f"{names[0]}: no 日本語 name"


@pytest.mark.parametrize("source", sorted(BOOK.glob("*.md")) + CHAPTERS, ids=lambda p: p.name)
def test_every_term_link_resolves(source):
    text = markdown(source) if source.suffix == ".ipynb" else source.read_text(encoding="utf-8")
    unknown = [t for t in term_targets(text) if t.lower() not in ENTRY_OF]
    assert not unknown, f"{source.name}: not in the glossary: {unknown}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_a_chapter_links_each_term_once_and_at_least_five(chapter):
    linked = [ENTRY_OF.get(t.lower(), t) for t in term_targets(markdown(chapter))]
    twice = sorted({t for t in linked if linked.count(t) > 1})
    assert not twice, f"{chapter.name} links these terms more than once: {twice}"
    assert len(set(linked)) >= 5, f"{chapter.name} links only {sorted(set(linked))}"
