"""How a figure reaches the page: sharp on 2× screens, with the size of its text on record.

Every figure of the book, a chapter's static figure or an explorer's frame, is a PNG drawn
at ``SCALE`` times the pixels it takes on screen, so it stays sharp on the 2× screens of
most phones and laptops. Its smallest text is recorded in the PNG itself (a ``tEXt``
chunk named ``paramopt``, JSON: ``dpi``, ``scale`` and ``min_font_pt``): text of ``s``
points in a figure of ``dpi`` dots per inch is ``s / 72 * dpi`` CSS pixels tall when the
figure is shown at its natural size, and proportionally smaller when a phone squeezes it.
The website's browser checks read the record to prove that every figure's text can be
read on a phone, in place or enlarged.

In a notebook, :func:`show_sharp` makes IPython show matplotlib figures this way.
"""

import io
import json

import numpy as np

__all__ = ["SCALE", "png", "read_record", "show_sharp", "smallest_font"]

SCALE = 2  # PNG pixels per CSS pixel
CHUNK = "paramopt"


def smallest_font(fig):
    """The size in points of the smallest visible, non-empty text of ``fig``."""
    from matplotlib.text import Text

    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and _drawn(t)
    ]
    return min(sizes) if sizes else None


def _drawn(text):
    """Tick labels outside their axis' view are kept but never drawn: skip them."""
    axes = text.axes
    if axes is None or not hasattr(text, "get_position"):
        return True
    for axis in (axes.xaxis, axes.yaxis):
        if text in axis.get_ticklabels(which="both"):
            low, high = sorted(axis.get_view_interval())
            x, y = text.get_position()
            value = x if axis is axes.xaxis else y
            return low <= value <= high or np.isclose(value, low) or np.isclose(value, high)
    return True


def png(fig, *, colors=None, tight=False):
    """``fig`` as PNG bytes at ``SCALE`` × its dpi, with its text size on record.

    ``colors``: quantize to that many colours (lighter, for frames of one palette);
    ``tight``: crop to the drawn content, as Jupyter's inline figures are.
    """
    from PIL import Image, PngImagePlugin

    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format="png",
        dpi=fig.dpi * SCALE,
        bbox_inches="tight" if tight else None,
        facecolor="white",
    )
    # after drawing: tick labels exist only once a figure is drawn
    record = {"dpi": float(fig.dpi), "scale": SCALE, "min_font_pt": smallest_font(fig)}
    image = Image.open(io.BytesIO(buffer.getvalue()))
    image = image.convert("RGB")
    if colors is not None:
        image = image.quantize(colors)
    info = PngImagePlugin.PngInfo()
    info.add_text(CHUNK, json.dumps(record))
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, optimize=colors is not None)
    return out.getvalue()


def read_record(data):
    """The record :func:`png` wrote into ``data`` (PNG bytes), or None."""
    from PIL import Image

    text = Image.open(io.BytesIO(data)).info.get(CHUNK)
    return None if text is None else json.loads(text)


def show_sharp(colors=64):
    """Make IPython show matplotlib figures as :func:`png` draws them, at their natural size.

    The PNG has ``SCALE`` × the pixels; the output's metadata gives the width and height
    in CSS pixels, which Jupyter and the website's builder (myst-nb) both honour.
    """
    from IPython import get_ipython
    from matplotlib.figure import Figure

    shell = get_ipython()
    if shell is None:
        return
    # Jupyter's inline backend registers its own PNG formatter when it is first imported
    # (on the first figure, since matplotlib 3.9 loads backends lazily): import it first.
    try:
        import matplotlib_inline.backend_inline  # noqa: F401
    except ImportError:
        pass

    def formatter(fig):
        from PIL import Image

        data = png(fig, colors=colors, tight=True)
        width, height = Image.open(io.BytesIO(data)).size
        return data, {"width": width // SCALE, "height": height // SCALE}

    shell.display_formatter.formatters["image/png"].for_type(Figure, formatter)
