"""The printed book (``make pdf``): what a reader finds in _build/pdf/parameter-optimization.pdf.

The text is extracted with poppler's ``pdftotext``, images listed with ``pdfimages``, and
links and bookmarks read with pypdf. book/_ext/print_book.py writes beside the PDF what it
printed (chapters, figures, explorers); these tests look for all of it in the PDF.
"""

import json
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

import paramopt

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "_build" / "pdf" / "parameter-optimization.pdf"
NOTE = "Interactive figure, printed at its first setting."

pytestmark = pytest.mark.pdf


@cache
def manifest():
    if not PDF.exists():
        pytest.fail("no PDF: run `make pdf` first")
    return json.loads(PDF.with_suffix(".json").read_text())


@cache
def pages():
    manifest()
    text = subprocess.run(["pdftotext", "-layout", str(PDF), "-"], check=True, capture_output=True)
    return text.stdout.decode().split("\f")[:-1]


def flat(text):
    return re.sub(r"\s+", " ", text)


def chapter_titles():
    """Each page's title as its source writes it (a notebook's or a page's first heading)."""
    titles = {}
    for path in sorted((ROOT / "book").glob("*.ipynb")) + sorted((ROOT / "book").glob("*.md")):
        if path.suffix == ".ipynb":
            source = "".join(json.loads(path.read_text())["cells"][0]["source"])
        else:
            source = path.read_text()
        titles[path.stem] = re.search(r"^# (.+)$", source, re.M).group(1).strip()
    return titles


def test_the_title_page_names_the_book_and_its_version():
    first = flat(pages()[0])
    assert "Parameter Optimization for Neural Networks" in first
    assert f"Version {paramopt.__version__}" in first
    assert manifest()["version"] == paramopt.__version__


def test_every_chapter_is_in_the_contents_and_starts_a_page():
    contents = flat(" ".join(pages()[1:4]))
    starts = [flat(page[:300]) for page in pages()]
    for stem, title in chapter_titles().items():
        if stem == "intro":
            continue
        assert title in contents, f"{title!r} missing from the contents"
        assert any(title in start for start in starts), f"no page starts with {title!r}"
    numbered = [t for t in manifest()["chapters"] if t.startswith("Chapter ")]
    assert numbered[0].startswith("Chapter 0 · ") and len(numbered) >= 10


def test_no_raw_tex_and_no_unresolved_reference():
    text = "\f".join(pages())
    for raw in (r"\frac", "$$", r"\begin", r"\(", r"\mathbf", "??"):
        where = [i + 1 for i, page in enumerate(pages()) if raw in page]
        assert where == [], f"{raw!r} on pages {where}"
    assert "Traceback" not in text


def test_the_page_count_is_plausible():
    assert 120 <= len(pages()) <= 600


def test_every_figure_is_printed_and_every_explorer_says_where_it_moves():
    listed = subprocess.run(["pdfimages", "-list", str(PDF)], check=True, capture_output=True)
    drawn = len(listed.stdout.decode().strip().splitlines()) - 2  # two header lines
    assert manifest()["images"] >= 30 and drawn >= manifest()["images"]
    assert manifest()["broken"] == [] and manifest()["mathErrors"] == 0
    notes = flat("\f".join(pages())).count(NOTE)
    assert notes == manifest()["explorers"] >= 11


def test_chinese_and_japanese_glossary_text_is_there():
    glossary = next(page for page in pages() if "中文" in page and "日本語" in page)
    assert "动量" in flat("\f".join(pages())) or "激活函数" in glossary
    fonts = subprocess.run(["fc-list", ":lang=zh-cn"], capture_output=True, text=True).stdout
    assert fonts.strip(), "no Chinese font: apt-get install fonts-noto-cjk (see .ci/run)"


def test_cross_references_are_links_inside_the_pdf():
    from pypdf import PdfReader

    reader = PdfReader(PDF)
    internal = external = local = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            action = link.get("/A")
            if "/Dest" in link or (action and action.get("/S") == "/GoTo"):
                internal += 1
            elif action and action.get("/S") == "/URI":
                external += 1
                local += "127.0.0.1" in action["/URI"]
    assert internal >= 300, internal  # glossary terms, citations, chapter references
    assert local == 0, "links that point at the server the book was printed from"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert len(titles) >= len(manifest()["chapters"])


def test_the_site_serves_this_pdf():
    """`make pdf` copies the book into the built site, where every page's menu links it."""
    served = ROOT / "_build" / "html" / PDF.name
    assert served.exists(), "no PDF in _build/html: build the site before `make pdf`"
    assert served.read_bytes() == PDF.read_bytes()
