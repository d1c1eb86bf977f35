"""The browser checks can fail: a deliberately broken page trips every one of them."""

import shutil
from pathlib import Path

import pytest

from paramopt.widgets import Choice, Explorer, Slider
from site_checks import audit, browser, serve

ROOT = Path(__file__).resolve().parents[1]
MATHJAX = ROOT / "book" / "_static" / "vendor" / "mathjax"

pytestmark = pytest.mark.browser


def dead_explorer():
    """An explorer whose 'colour' control is ignored by the figure: a dead control."""

    def draw(fig, result, size, colour):
        fig.add_subplot().bar([0], [size])

    return Explorer(
        lambda size, colour: size,
        draw,
        lambda result, size, colour: f"one bar of height {size}",
        figsize=(2, 2),
        dpi=40,
        size=Slider("size", 1, 3, 1),
        colour=Choice("colour", ["red", "blue"]),
    )


BROKEN = r"""<!doctype html><html><head><meta charset="utf-8">
<script src="https://cdn.example.org/library.js"></script>
<script defer src="vendor/mathjax/tex-chtml.js"></script></head><body>
<p class="math">\[\begin{aligned} a &= b \tag{1} \end{aligned}\]</p>
<p>\(\text{running\_mean}\) and \(\text{running mean}_t\)</p>
<img src="missing.png" alt="a figure that does not exist">
<script>callingSomethingThatDoesNotExist();</script>
EXPLORER
</body></html>"""


@pytest.fixture(scope="module")
def broken_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    shutil.copytree(MATHJAX, folder / "vendor" / "mathjax")
    page = BROKEN.replace("EXPLORER", dead_explorer().static_html())
    (folder / "broken.html").write_text(page)
    with serve(folder) as origin, browser() as chromium:
        return audit(chromium, f"{origin}/broken.html", origin)


def test_external_request_is_caught(broken_report):
    assert broken_report.external_requests == ["https://cdn.example.org/library.js"]


def test_js_error_is_caught(broken_report):
    assert any("callingSomethingThatDoesNotExist" in e for e in broken_report.js_errors)


def test_mathjax_error_is_caught(broken_report):
    assert any("tag" in e.lower() for e in broken_report.mathjax_errors)


def test_backslash_drawn_as_text_is_caught(broken_report):
    drawn = [e for e in broken_report.mathjax_errors if "backslash" in e]
    assert len(drawn) == 1 and "running" in drawn[0]  # `\text{running mean}_t` is fine


def test_broken_image_is_caught(broken_report):
    assert broken_report.broken_images == ["missing.png"]


def test_dead_control_is_caught(broken_report):
    assert broken_report.explorer_count == 1
    assert broken_report.dead_controls == ["explorer 0 control 'colour'"]


def test_page_weight_is_caught(broken_report):
    # every response is counted: the page alone is small, MathJax is not
    assert broken_report.bytes_loaded > (MATHJAX / "tex-chtml.js").stat().st_size
    assert 0 < broken_report.bytes_transferred < broken_report.bytes_loaded
    assert "page weight" in broken_report.problems(budget=1000)
    assert "page weight" not in broken_report.problems()
