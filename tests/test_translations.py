"""The Chinese edition's catalogues (locales/zh_CN/LC_MESSAGES) cannot drift from the English.

Every build first checks that each English message has a translation that is neither
missing nor fuzzy (book/_ext/translations.py ``check``: after the English changed, `make
locales` marks what changed). These tests check what each translation says: the same
math, the same glue, citation, cross-reference and glossary targets, links and inline
code, no number the English does not have, and each glossary term under the glossary's
Chinese name.
"""

import re
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import translations  # noqa: E402

CATALOGUES = sorted(translations.CATALOGUES.rglob("*.po"))
PAGES = sorted(
    p.relative_to(ROOT / "book").with_suffix("")
    for p in (ROOT / "book").glob("*")
    if p.suffix in (".md", ".ipynb")
)
GLOSSARY = translations.glossary_names()


def entries():
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            yield path.relative_to(translations.CATALOGUES).as_posix(), entry


def test_every_page_has_its_catalogue():
    have = {p.relative_to(translations.CATALOGUES / "book").with_suffix("") for p in CATALOGUES
            if p.parent.name == "book"}  # fmt: skip
    assert set(PAGES) <= have
    assert (translations.CATALOGUES / "sphinx.po").exists()  # the templates' words
    assert (translations.CATALOGUES / "texts.po").exists()  # alt texts, exercise titles


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_every_message_is_translated_faithfully(path):
    problems = [
        f"{entry.msgid[:60]!r}: {problem}"
        for entry in polib.pofile(str(path))
        for problem in translations.problems(entry, GLOSSARY)
    ]
    assert problems == []


def test_every_term_the_book_uses_is_in_the_glossary():
    """So the glossary-name check covers every {term} of every message."""
    targets = set()
    for _, entry in entries():
        targets |= {term for _, term in translations.parts(entry.msgid)[1]}
    assert targets and targets <= set(GLOSSARY), targets - set(GLOSSARY)


def test_translations_are_chinese():
    """A message with prose is translated into Chinese, not copied."""
    copied = [
        (page, entry.msgid[:60])
        for page, entry in entries()
        if entry.msgstr == entry.msgid
        and not translations.nothing_to_translate(entry.msgid)
        and len(re.findall(r"[A-Za-z]{3,}", translations.parts(entry.msgid)[2])) > 3
    ]
    assert copied == []


@pytest.mark.parametrize(
    ("english", "chinese", "problem"),
    [
        ("Step $t$ of {glue:text}`n`.", "第 {glue:text}`n` 步中的 $t$。", None),
        ("Step $t$ of {glue:text}`n`.", "第 $s$ 步。{glue:text}`n`", "math differ"),
        ("Uses {cite:p}`a`.", "使用。", "roles differ"),
        ("See `lr=0.1`.", "见 `lr=0.2`。", "code differ"),
        ("After one step.", "经过 1 步。", "numerals"),
        ("The {term}`learning rate`.", "{term}`步长 <learning rate>`。", "shown as"),
        ("The {term}`learning rate`.", "{term}`学习率 <learning rate>`。", None),
        ("See [the list](changelog.md).", "见[列表](intro.md)。", "links differ"),
    ],
)
def test_the_rules_catch_drift(english, chinese, problem):
    found = translations.problems(polib.POEntry(msgid=english, msgstr=chinese), GLOSSARY)
    if problem is None:
        assert found == []
    else:
        assert any(problem in p for p in found), found


def test_untranslated_and_fuzzy_messages_are_problems():
    fuzzy = polib.POEntry(msgid="Summary", msgstr="小结", flags=["fuzzy"])
    assert translations.problems(polib.POEntry(msgid="Summary", msgstr=""), GLOSSARY) == [
        "untranslated"
    ]
    assert "fuzzy" in translations.problems(fuzzy, GLOSSARY)[0]
