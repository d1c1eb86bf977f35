"""The built website in a real browser: every page, every check (see site_checks.py)."""

from pathlib import Path

import pytest

from site_checks import audit, browser, serve

SITE = Path(__file__).resolve().parents[1] / "_build" / "html"
PAGES = sorted(
    p.relative_to(SITE).as_posix()
    for p in SITE.rglob("*.html")
    if not p.relative_to(SITE).parts[0].startswith("_")  # _static, _sources: not pages
    and p != SITE / "index.html"  # a redirect, checked on its own below
)
# Pages built from notebooks carry the chapter's static explorers.
CHAPTERS = {"book/framework.html"}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site():
    if not (SITE / "book" / "intro.html").exists():
        pytest.fail("no built site: run `make book` first")
    with serve(SITE) as origin, browser() as chromium:
        yield origin, chromium


def test_site_was_built():
    assert "book/intro.html" in PAGES and CHAPTERS <= set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_page(site, page):
    origin, chromium = site
    report = audit(chromium, f"{origin}/{page}", origin)
    assert report.problems() == {}
    if page in CHAPTERS:
        assert report.explorer_count >= 1, "a chapter without its static widget"
        assert report.math_count > 0, "a chapter whose equations were not typeset"


def test_front_door_redirects_to_intro(site):
    origin, chromium = site
    page = chromium.new_page()
    page.goto(f"{origin}/index.html")
    page.wait_for_url("**/book/intro.html")
    page.close()
