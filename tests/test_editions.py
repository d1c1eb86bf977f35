"""The exercises edition (``make book EDITION=exercises``) holds no solution; the book does.

Both sites are opened in headless Chromium. For every chapter, each solution of the book
(a sphinx-exercise ``{solution}`` block, hidden in a dropdown) is read from the page, and
none of its sentences may appear anywhere in the exercises edition's page, which must
still show the same exercises, their auto-checkers and the explorers.
"""

import os
import re
from pathlib import Path

import pytest

from site_checks import browser, serve

ROOT = Path(__file__).resolve().parents[1]
BOOK = Path(os.environ.get("SITE_DIR", ROOT / "_build" / "html"))
EXERCISES = ROOT / "_build" / "exercises" / "html"
CHAPTERS = sorted(f"book/{p.stem}.html" for p in (ROOT / "book").glob("*.ipynb"))

pytestmark = pytest.mark.browser

READ = """() => ({
  solutions: [...document.querySelectorAll('.solution')].map(s => s.textContent),
  exercises: document.querySelectorAll('.exercise').length,
  checkers: [...document.querySelectorAll('.exercise')]
    .map(e => (e.textContent.match(/po\\.exercises\\.check\\(/g) || []).length)
    .reduce((a, b) => a + b, 0),
  explorers: document.querySelectorAll('.po-explorer').length,
  footer: document.querySelector('.po-version')?.textContent ?? '',
  text: document.body.textContent,
})"""


def sentences(text):
    """The solution's sentences long enough to be its own (not "Solution to Exercise 2")."""
    text = re.sub(r"\s+", " ", text)
    return [s.strip() for s in re.split(r"(?<=[.:;?!])\s", text) if len(s.strip()) >= 40]


@pytest.fixture(scope="module")
def editions():
    for site in (BOOK, EXERCISES):
        if not (site / "book" / "intro.html").exists():
            pytest.fail(
                f"no built site in {site}: run `make book` and `make book EDITION=exercises`"
            )
    pages = {}
    with serve(BOOK) as book, serve(EXERCISES) as exercises, browser() as chromium:
        # What a page holds, not how it looks: its scripts, images and fonts are not needed.
        context = chromium.new_context(java_script_enabled=False)
        context.route("**/*.{png,svg,woff,woff2,js}", lambda route: route.abort())
        tab = context.new_page()
        for chapter in CHAPTERS:
            for name, origin in (("book", book), ("exercises", exercises)):
                tab.goto(f"{origin}/{chapter}", wait_until="domcontentloaded")
                pages[name, chapter] = tab.evaluate(READ)
        context.close()
    return pages


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_exercises_edition_keeps_exercises_and_drops_solutions(editions, chapter):
    book, exercises = editions["book", chapter], editions["exercises", chapter]
    assert book["exercises"] >= 3 and book["solutions"], "the book shows its solutions"
    assert exercises["solutions"] == [], "a solution block in the exercises edition"
    for key in ("exercises", "checkers", "explorers"):
        assert exercises[key] == book[key], key
    leaked = [
        s for solution in book["solutions"] for s in sentences(solution) if s in exercises["text"]
    ]
    assert leaked == []
    assert "Exercises edition" in exercises["footer"] and "Exercises edition" not in book["footer"]


def test_the_sentence_check_would_see_a_leaked_solution(editions):
    chapter = CHAPTERS[0]
    solution = editions["book", chapter]["solutions"][0]
    assert sentences(solution), "every solution has a sentence of its own to look for"
    assert any(s in editions["book", chapter]["text"] for s in sentences(solution))


def test_the_exercises_edition_offers_nothing_that_holds_the_solutions():
    """No sources, executed notebooks, PDF, or launch into Binder: each holds the solutions."""
    assert not (EXERCISES / "_sources").exists() and not (EXERCISES / "notebooks").exists()
    assert (BOOK / "_sources").exists() and (BOOK / "notebooks").exists()
    for chapter in CHAPTERS:
        page = (EXERCISES / chapter).read_text()
        for offer in ("download-buttons", "launch-buttons", "_sources/", ".pdf", "binder"):
            assert offer not in page, (chapter, offer)
        assert "download-buttons" in (BOOK / chapter).read_text()
