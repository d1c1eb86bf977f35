"""The two editions of the built site: the English one and the Chinese one in its zh/
folder (book/_ext/translations.py). Each English page has its Chinese page, in Chinese,
and each links the other; Chinese search finds the chapters. test_site.py runs every
browser check on the pages of both.
"""

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from test_site import PAGES, SITE

from site_checks import browser, serve

pytestmark = pytest.mark.browser

ENGLISH = [p for p in PAGES if not p.startswith("zh/")]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")


class Prose(HTMLParser):
    """The text of a page's article, without code, math, cell outputs or scripts."""

    SKIP = ("pre", "code", "script", "style")
    SKIP_CLASSES = ("math", "cell_output", "cell_input", "po-explorer")
    VOID = ("img", "br", "hr", "input", "meta", "link", "source", "wbr", "col", "area")

    def __init__(self):
        super().__init__()
        self.text, self.article, self.skipping = [], False, None  # skipping: [tag, depth]

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if tag == "article":
            self.article = True
        if self.skipping:
            self.skipping[1] += tag == self.skipping[0]
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag in self.SKIP or set(classes) & set(self.SKIP_CLASSES):
            self.skipping = [tag, 1]

    def handle_endtag(self, tag):
        if tag == "article":
            self.article = False
        if self.skipping and tag == self.skipping[0]:
            self.skipping[1] -= 1
            if not self.skipping[1]:
                self.skipping = None

    def handle_data(self, data):
        if self.article and not self.skipping:
            self.text.append(data)


def prose(page):
    parser = Prose()
    parser.feed((SITE / page).read_text(encoding="utf-8"))
    return " ".join(parser.text)


def language_links(page):
    html = (SITE / page).read_text(encoding="utf-8")
    return re.findall(r'<a class="btn btn-sm po-language" href="([^"]+)" hreflang="([^"]+)"', html)


@pytest.mark.parametrize("page", ENGLISH)
def test_every_page_has_its_chinese_page_and_they_link_each_other(page):
    chinese = f"zh/{page}"
    assert chinese in PAGES, f"no Chinese page for {page}"
    [(url, lang)] = language_links(page)
    assert lang == "zh-CN" and (SITE / page).parent.joinpath(url).resolve() == SITE / chinese
    [(url, lang)] = language_links(chinese)
    assert lang == "en" and (SITE / chinese).parent.joinpath(url).resolve() == SITE / page
    assert '<html lang="en"' in (SITE / page).read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in (SITE / chinese).read_text(encoding="utf-8")


# the bibliography lists the works as published: authors and titles stay as they are
PROSE_PAGES = [p for p in ENGLISH if p.startswith("book/") and p != "book/references.html"]


@pytest.mark.parametrize("page", PROSE_PAGES)
def test_chinese_pages_are_in_chinese(page):
    """Outside code, math and outputs, CJK characters outnumber Latin letters: the prose
    is Chinese, with the book's Latin names (SGD, Adam, PyTorch) in it."""
    text = prose(f"zh/{page}")
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    assert cjk > 200 and cjk > 1.5 * latin, f"{cjk} CJK characters, {latin} Latin letters"
    if page != "book/glossary.html":  # the English glossary gives each term's Chinese name
        english = prose(page)
        assert len(CJK.findall(english)) < 0.01 * len(LATIN.findall(english))


def test_the_chinese_explorers_speak_chinese():
    """Each chapter's explorers: Chinese alt text and caption on the Chinese site."""
    for page in [p for p in PAGES if p.startswith("zh/book/")]:
        html = (SITE / page).read_text(encoding="utf-8")
        for caption in re.findall(r'<p class="po-caption"[^>]*>([^<]*)</p>', html):
            assert CJK.search(caption), f"{page}: {caption[:80]}"
        for alt in re.findall(r'<img class="po-frame" [^>]*?alt="([^"]*)"', html):
            assert CJK.search(alt), f"{page}: {alt[:80]}"


@pytest.mark.parametrize(
    ("query", "chapter"),
    [("动量", "momentum"), ("权重衰减", "weight_decay"), ("学习率预热", "schedules")],
)
def test_chinese_search_finds_the_chapter(query, chapter):
    """Sphinx's Chinese search (words split by jieba) in the browser, offline."""
    with serve(SITE) as origin, browser() as chromium:
        page = chromium.new_page()
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(origin) else r.abort()
        )
        page.goto(f"{origin}/zh/search.html?q={quote(query)}")
        page.wait_for_selector("#search-results ul.search li", timeout=20_000)
        found = page.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))"
        )
        page.close()
    assert any(f"book/{chapter}.html" in href for href in found[:3]), found
