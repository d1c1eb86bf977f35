"""Figures as 2× PNGs that record their smallest text (paramopt.widgets.figures)."""

import io

from matplotlib.figure import Figure
from PIL import Image

from paramopt.widgets.figures import SCALE, png, read_record, smallest_font


def figure():
    fig = Figure(figsize=(3, 2), dpi=50)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    ax.set_title("title", fontsize=12)
    ax.tick_params(labelsize=7)
    return fig, ax


def test_png_has_scale_times_the_pixels_and_records_the_smallest_text():
    fig, _ = figure()
    data = png(fig)
    assert Image.open(io.BytesIO(data)).size == (3 * 50 * SCALE, 2 * 50 * SCALE)
    assert read_record(data) == {"dpi": 50.0, "scale": SCALE, "min_font_pt": 7.0}


def test_hidden_and_empty_text_do_not_count():
    fig, ax = figure()
    ax.text(0.5, 0.5, "tiny but hidden", fontsize=3, visible=False)
    ax.text(0.5, 0.5, "   ", fontsize=2)
    assert read_record(png(fig))["min_font_pt"] == 7.0
    ax.text(0.5, 0.5, "tiny", fontsize=4)
    assert smallest_font(fig) == 4


def test_a_figure_without_text_records_none_and_a_plain_png_has_no_record():
    fig = Figure(figsize=(1, 1), dpi=20)
    fig.add_artist(fig.patch)
    assert read_record(png(fig))["min_font_pt"] is None
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    assert read_record(buffer.getvalue()) is None


def test_quantized_png_keeps_the_record():
    fig, _ = figure()
    data = png(fig, colors=16)
    assert Image.open(io.BytesIO(data)).mode == "P"
    assert read_record(data)["min_font_pt"] == 7.0
