"""paramopt.style's WCAG contrast, and chapter 4's heat map whose labels rely on it."""

import numpy as np
import pytest

from paramopt import style
from paramopt.widgets.momentum import draw_step_counts


def wcag_contrast(a, b):
    """WCAG 2.x contrast, written out independently of the library."""

    def luminance(color):
        c = np.array(color[:3], dtype=float)
        c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_ratio_follows_wcag():
    assert style.relative_luminance((0, 0, 0)) == 0.0
    assert style.relative_luminance((1.0, 1.0, 1.0, 1.0)) == pytest.approx(1.0)
    assert style.contrast_ratio((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)
    assert style.contrast_ratio((1, 1, 1), (0, 0, 0)) == pytest.approx(21.0)
    # WCAG's own example: #777777 on white is 4.48, just below AA
    grey = (0x77 / 255,) * 3
    assert style.contrast_ratio(grey, (1, 1, 1)) == pytest.approx(4.48, abs=0.01)
    for color in np.random.default_rng(0).uniform(size=(50, 3)):
        assert style.contrast_ratio(color, (1, 1, 1)) == pytest.approx(
            wcag_contrast(color, (1, 1, 1))
        )


@pytest.mark.parametrize("cmap", ["viridis_r", "viridis", "magma", "gray"])
def test_label_color_is_readable_on_every_colour_of_the_map(cmap):
    import matplotlib

    colors = matplotlib.colormaps[cmap](np.linspace(0, 1, 256))
    for color in colors:
        label = matplotlib.colors.to_rgb(style.label_color(color))
        assert wcag_contrast(label, color) >= 4.5
    # the dark end of each map gets white text, the light end black
    dark, light = sorted((colors[0], colors[-1]), key=style.relative_luminance)
    assert (style.label_color(dark), style.label_color(light)) == ("white", "black")


def test_every_label_of_the_step_count_heat_map_is_readable():
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    counts = np.geomspace(1, 1500, 30).round().reshape(5, 6)
    counts[0, 5], counts[4, 0], counts[2, 3] = np.nan, np.inf, np.nan
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    lrs, mus = np.geomspace(0.004, 0.04, 6), [0.0, 0.5, 0.7, 0.8, 0.9]
    image = draw_step_counts(ax, counts, lrs, mus, max_steps=1500)
    assert len(ax.texts) == counts.size
    for text in ax.texts:
        j, i = (round(v) for v in text.get_position())
        count = counts[i, j]
        if np.isfinite(count):
            assert text.get_text() == f"{count:.0f}"
            cell = image.cmap(image.norm(np.log10(count)))
        else:
            assert text.get_text() == ("diverges" if np.isnan(count) else ">1500")
            cell = ax.get_facecolor()  # the image leaves these cells transparent
        assert wcag_contrast(matplotlib.colors.to_rgb(text.get_color()), cell) >= 4.5
    labels = {text.get_text(): text.get_color() for text in ax.texts}
    assert labels["1"] == "black" and labels["1500"] == "white"  # viridis_r: light to dark


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: style.relative_luminance((0.5, 0.5)), ValueError, "color must be"),
        (lambda: style.relative_luminance((0.5, 1.2, 0.0)), ValueError, "color must be"),
        (lambda: style.label_color((0.5, 0.5, 0.5, 0.3)), ValueError, "opaque"),
        (lambda: style.contrast_ratio("white", (0, 0, 0)), TypeError, "color"),
        (lambda: draw_step_counts(None, [[0.0]], [0.1], [0.0], max_steps=5), ValueError,
         "counts >= 1"),
        (lambda: draw_step_counts(None, [[2.0]], [0.1, 0.2], [0.0], max_steps=5),
         ValueError, "lrs"),
    ],
)  # fmt: skip
def test_bad_colours_and_counts_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    ("x", "digits", "text"),
    [(1e6, 3, "10⁶"), (1.46e6, 3, "1.46×10⁶"), (2e-5, 3, "2×10⁻⁵"), (-3e7, 3, "−3×10⁷"),
     (0.3, 3, "0.3"), (-0.0123, 3, "−0.0123"), (398, 2, "400"), (5300, 2, "5300"), (0, 3, "0")],
)  # fmt: skip
def test_format_number_writes_powers_of_ten_as_a_reader_reads_them(x, digits, text):
    assert style.format_number(x, digits) == text
