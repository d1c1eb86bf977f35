"""The built website in a real browser: every page, every check (see site_checks.py)."""

import os
import re
from pathlib import Path

import pytest

import paramopt
from site_checks import audit, browser, serve

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("SITE_DIR", ROOT / "_build" / "html"))  # SITE_DIR: another build
# Both editions: the English site and the Chinese one in its zh/ folder (book/_ext/
# translations.py), each page with every check.
EDITIONS = ("", "zh/")
PAGES = sorted(
    p.relative_to(SITE).as_posix()
    for p in SITE.rglob("*.html")
    if not any(part.startswith("_") for part in p.relative_to(SITE).parts)  # _static, ...
    and p.name != "index.html"  # a redirect, checked on its own below
)
# Pages built from notebooks are chapters: each carries at least one static explorer.
CHAPTERS = {
    f"{edition}book/{p.stem}.html" for p in (ROOT / "book").glob("*.ipynb") for edition in EDITIONS
} & set(PAGES)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site():
    if not (SITE / "book" / "intro.html").exists():
        pytest.fail("no built site: run `make book` first")
    with serve(SITE) as origin, browser() as chromium:
        yield origin, chromium


def test_site_was_built():
    for edition in EDITIONS:
        assert f"{edition}book/intro.html" in PAGES and f"{edition}book/framework.html" in CHAPTERS


@pytest.mark.parametrize("page", PAGES)
def test_page(site, page):
    origin, chromium = site
    report = audit(chromium, f"{origin}/{page}", origin)
    assert report.problems() == {}
    if page in CHAPTERS:
        assert report.explorer_count >= 1, "a chapter without its static widget"
        assert report.math_count > 0, "a chapter whose equations were not typeset"


@pytest.mark.parametrize("edition", EDITIONS)
def test_front_door_redirects_to_intro(site, edition):
    origin, chromium = site
    page = chromium.new_page()
    page.goto(f"{origin}/{edition}index.html")
    page.wait_for_url(f"{origin}/{edition}book/intro.html")
    page.close()


def test_every_page_shows_the_version_and_how_to_cite():
    """The footer names paramopt's version (book/_ext/release.py) and links the citation."""
    for page in PAGES:
        html = (SITE / page).read_text()
        footer = html[html.index('class="po-version"') :]
        version = "版本" if page.startswith("zh/") else "Version"
        assert f"{version} {paramopt.__version__}" in footer[:400], page
        link = re.search(r'href="([^"]*)#how-to-cite"', footer[:400])
        assert link and link.group(1) in ("", "intro.html", "book/intro.html"), page  # same site


def test_the_download_menu_and_the_intro_link_the_book_pdf():
    """Every page's menu offers the book's PDF, not print(); `make pdf` puts it there
    (tests/test_pdf.py checks that the site serves it)."""
    for page in PAGES:
        html = (SITE / page).read_text()
        if "download-buttons" not in html:
            continue
        menu = html[html.index("download-buttons") :]
        link = re.search(r'href="([^"]*)"\s+[^>]*btn-download-pdf-button', menu)
        assert link, page
        assert (SITE / page).parent.joinpath(link.group(1)).resolve() == (
            SITE / "parameter-optimization.pdf"
        ).resolve(), page
        assert "window.print()" not in menu[:3000], page
    assert 'href="../parameter-optimization.pdf"' in (SITE / "book" / "intro.html").read_text()
