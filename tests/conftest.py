"""Shared fixtures.

``torch`` is the reference implementation for parity tests. It is kept out of
requirements.txt; `.ci/run` installs the CPU wheel, so under CI a missing torch is a
failure, while locally the parity tests are skipped with a reason.
"""

import importlib
import os

import pytest


@pytest.fixture(scope="session")
def torch():
    try:
        module = importlib.import_module("torch")
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("torch is required for parity tests under CI (see .ci/run)")
        pytest.skip("torch not installed: pip install torch==2.13.0")
    module.set_default_dtype(module.float64)
    return module


# -- a small learning-rate search on the digits, shared by the comparison and its explorer
GRID = {"SGD": (0.03, 0.3), "Adam": (1e-3, 1e-2)}
TWO = (0, 1)


@pytest.fixture(scope="session")
def digits_split():
    import numpy as np

    import paramopt as po

    X, y = po.data.load_digits(np.float32)
    Xtr, Xva, ytr, yva = po.data.train_test_split(X[:600], y[:600], test_fraction=0.25, rng=0)
    return Xtr, ytr, Xva, yva


@pytest.fixture(scope="session")
def search(digits_split):
    from paramopt.comparison import lr_search

    return lr_search(*digits_split, grid=GRID, seeds=TWO, hidden=(16,), epochs=3, batch_size=50)


def live_matches_full_drawing(explorer, settings):
    """Bring ``explorer``'s live view through ``settings`` (dicts of control values) and
    check after each that its picture (the cached background, the animated artists and
    the rectangles redrawn since the last picture) equals a full drawing of the figure.

    Returns the number of settings shown through the updater (not redrawn): the check
    proves something only for those.
    """
    import io

    import numpy as np
    from PIL import Image

    updated = 0
    for values in settings:
        explorer._render(values)
        updated += explorer._background is not None
        live = np.asarray(Image.open(io.BytesIO(explorer._live_png())).convert("RGB"))
        fig = explorer._figure
        animated = [a for a in fig.findobj() if a.get_animated()]
        for artist in animated:
            artist.set_animated(False)
        fig.canvas.draw()
        full = np.asarray(fig.canvas.buffer_rgba())[..., :3]
        for artist in animated:
            artist.set_animated(True)
        differ = np.argwhere(np.any(live != full, axis=-1))
        assert not len(differ), f"{values}: {len(differ)} pixels differ, e.g. at {differ[:3]}"
    return updated


def drawn_frame(explorer, values):
    """Bring ``explorer`` to ``values`` and draw its figure in full as :meth:`frame` does,
    without encoding the PNG (the slow part of a frame, which these checks do not need);
    return the frame's text."""
    text, _ = explorer._render(values)
    for artist in explorer._overlay:
        artist.set_animated(False)
    try:
        explorer._figure.canvas.draw()
    finally:
        for artist in explorer._overlay:
            artist.set_animated(True)
    explorer._pixels = None
    return text


def assert_readable(explorer, values):
    """The frame of ``values``: every text at least 8 pt; every Axes (its tick labels,
    axis labels, title and legend) and every figure-level text or legend inside the
    figure; every visible axis labelled."""
    from matplotlib.text import Text

    drawn_frame(explorer, values)
    fig = explorer._figure
    renderer = fig.canvas.get_renderer()
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text().strip():
            assert text.get_fontsize() >= 8, f"{text.get_text()!r}: {text.get_fontsize()} pt"
    box = fig.bbox
    for part in (*fig.axes, *fig.texts, *fig.legends):
        if not part.get_visible() or (isinstance(part, Text) and not part.get_text().strip()):
            continue
        extent = part.get_tightbbox(renderer) if hasattr(part, "axison") else None
        extent = extent or part.get_window_extent(renderer)
        inside = extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1
        inside = inside and extent.y0 >= box.y0 - 1 and extent.y1 <= box.y1 + 1
        assert inside, f"{part} leaves the figure: {extent} (figure: {box})"
    for ax in fig.axes:
        if ax.axison:
            assert ax.get_xlabel() and ax.get_ylabel(), f"an axis without a label in {values}"
