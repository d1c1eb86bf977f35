"""The browser checks can fail: a deliberately broken page trips every one of them."""

import shutil
from pathlib import Path

import pytest
from PIL import Image

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
<link rel="icon" href="missing-icon.svg">
<script src="https://cdn.example.org/library.js"></script>
<script defer src="vendor/mathjax/tex-chtml.js"></script></head><body>
<p class="math">\[\begin{aligned} a &= b \tag{1} \end{aligned}\]</p>
<p>\(\text{running\_mean}\) and \(\text{running mean}_t\)</p>
<p>dying ReLU: 神经元死亡, <span lang="ja">死んだ ReLU</span></p>
<img src="missing.png" alt="a figure that does not exist">
<button><i class="fa-solid fa-bars"></i></button>
<p><code>an_identifier_far_too_long_to_fit_on_a_phone_and_with_nowhere_to_break</code></p>
<div style="width: 200px; overflow: hidden">\[ CUT = 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 \]</div>
<div style="width: 200px; overflow-x: auto">\[ BARE = 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 \]</div>
<script>callingSomethingThatDoesNotExist();</script>
<div class="bd-article"><div class="cell_output"><img src="plain.png" alt="a figure"></div></div>
EXPLORER
</body></html>"""


@pytest.fixture(scope="module")
def broken_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    shutil.copytree(MATHJAX, folder / "vendor" / "mathjax")
    page = BROKEN.replace("EXPLORER", dead_explorer().static_html())
    (folder / "broken.html").write_text(page)
    Image.new("RGB", (40, 20), "white").save(folder / "plain.png")  # no text-size record
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


def test_chinese_or_japanese_text_without_lang_is_caught(broken_report):
    assert broken_report.cjk_without_lang == ["dying ReLU: 神经元死亡,"]


def test_broken_image_is_caught(broken_report):
    assert broken_report.broken_images == ["missing.png"]


def test_failed_request_is_caught(broken_report):
    assert "404 /missing.png" in broken_report.failed_requests


def test_missing_favicon_is_caught(broken_report):
    # the page names an icon, and the request for it fails
    assert len(broken_report.favicon) == 1 and "HTTP 404" in broken_report.favicon[0]
    assert "404 /missing-icon.svg" in broken_report.failed_requests


def test_accessibility_violations_are_caught(broken_report):
    failing = broken_report.problems()["accessibility violations (axe-core)"]
    assert any(v.startswith("critical button-name") for v in failing)  # a button with no name
    assert any(v.startswith("serious html-has-lang") for v in failing)  # <html> without lang


def test_formulas_in_tab_order_are_caught(broken_report):
    # MathJax's default: every formula focusable (tabindex=0)
    assert broken_report.math_count >= 4
    assert len(broken_report.math_in_tab_order) == broken_report.math_count


def test_sideways_scrolling_on_a_phone_is_caught(broken_report):
    assert broken_report.phone_width > 390
    assert any("an_identifier_far_too_long" in p for p in broken_report.phone_overflow)


def test_wide_equations_cut_off_or_without_cue_are_caught(broken_report):
    wide = broken_report.wide_math
    assert any(p.startswith("cut off") and "CUT" in p for p in wide)
    assert any(p.startswith("no sign that it scrolls") and "BARE" in p for p in wide)
    assert any(p.startswith("scrolls but takes no keyboard focus") and "BARE" in p for p in wide)
    assert not any("CUT" in p for p in wide if not p.startswith("cut off"))


def test_small_controls_are_caught(broken_report):
    # without the site's stylesheet a range input is 16 px tall, a select about 20 px
    small = broken_report.small_controls
    assert [s.split(":")[0] for s in small] == ["size", "colour"]


def test_small_figure_text_is_caught(broken_report):
    # the explorer's frame: 10 pt text in a figure of 40 dpi is 5.6 px, and no Enlarge button
    assert broken_report.small_figure_text == [
        "plain.png: no text-size record (draw it with paramopt.widgets.figures)",
        "an inline PNG: text 5.6 px, and no Enlarge button",
    ]


def test_icon_not_drawn_is_caught(broken_report):
    assert broken_report.icons_not_drawn == ['<i class="fa-solid fa-bars">']


def test_dead_control_is_caught(broken_report):
    assert broken_report.explorer_count == 1
    assert broken_report.dead_controls == ["explorer 0 control 'colour'"]


def test_page_weight_is_caught(broken_report):
    # every response is counted: the page alone is small, MathJax is not
    assert broken_report.bytes_loaded > (MATHJAX / "tex-chtml.js").stat().st_size
    assert 0 < broken_report.bytes_transferred < broken_report.bytes_loaded
    assert "page weight" in broken_report.problems(budget=1000)
    assert "page weight" not in broken_report.problems()
