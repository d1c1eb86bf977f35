"""The Explorer: a figure that responds to controls, live in Jupyter and static on the web."""

import base64
import hashlib
import html
import inspect
import io
import itertools
import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

from paramopt.captions import Caption, chinese
from paramopt.validation import Diverged
from paramopt.widgets import figures

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MAX_FRAMES = 200  # keeps a chapter page within its 3 MB budget
_SCRIPT = resources.files(__package__).joinpath("explorer.js").read_text()


@dataclass(frozen=True)
class Frame:
    """One rendered state: PNG bytes and the sentence that describes it."""

    png: bytes
    text: str
    diverged_at: int | None = None


class Explorer:
    """A figure driven by controls; see :mod:`paramopt.widgets` for the design.

    Parameters
    ----------
    compute : callable ``compute(**values) -> result``; may raise ``Diverged``, or return
        it for ``draw`` and ``describe`` to show.
    draw : callable ``draw(fig, result, **values)`` drawing on an empty Figure; it may
        return an updater ``update(result, **values) -> artists or None`` that shows
        another result on the same axes (see :mod:`paramopt.widgets`).
    describe : callable ``describe(result, **values) -> str`` (alt text, caption).
    controls : keyword arguments ``name=Slider(...)`` or ``name=Choice(...)``.
        Each callable receives, by keyword, the controls its signature names (all of
        them if it takes ``**values``): ``draw(fig, result)`` needs no control at all.
    figsize, dpi : the frame size in inches and CSS pixels per inch; the PNG has
        :data:`figures.SCALE` times the pixels, to stay sharp on 2× screens.
    colors : palette size of the PNG frames (fewer colours, lighter page).
    """

    def __init__(
        self, compute, draw, describe, *, figsize=(6.4, 3.4), dpi=90, colors=48, **controls
    ):
        if not controls:
            raise ValueError("an Explorer needs at least one control")
        count = 1
        for control in controls.values():
            count *= len(control.values)
        if count > MAX_FRAMES:
            raise ValueError(
                f"the controls span {count} combinations; at most {MAX_FRAMES} keep the page light"
            )
        self.compute = _ControlledCall("compute", compute, controls, leading=0)
        self.draw = _ControlledCall("draw", draw, controls, leading=2)
        self.describe = _ControlledCall("describe", describe, controls, leading=1)
        self.controls = controls
        self._labels_by = {
            name: _dependent_labels(name, control, controls)
            for name, control in controls.items()
            if control.labels_by is not None
        }
        self.figsize, self.dpi, self.colors = figsize, dpi, colors
        self._figure = None
        self._live = None
        self._update, self._dynamic, self._overlay, self._background = None, [], [], None
        self._pixels, self._extents = None, {}  # the live view's last picture

    # -- one frame -------------------------------------------------------------------
    def frame(self, **values):
        """Render the figure for one combination of control values.

        The figure is brought to ``values`` as the live view brings it (through the
        updater when there is one) and then drawn in full, so both views show the same
        picture; the PNG is palette-quantised for the static page.
        """
        text, step = self._render(values)
        for artist in self._overlay:  # a full drawing includes the changing artists
            artist.set_animated(False)
        try:
            png = self._png(self._figure)
        finally:
            for artist in self._overlay:
                artist.set_animated(True)
            self._pixels = None  # the live view starts its next picture afresh
        return Frame(png, text, step)

    def _render(self, values):
        """Bring the figure to ``values``; return the frame's text and its diverged step.

        With an updater (``draw`` returned one), only the changing artists get new data;
        otherwise, or when the updater declines (returns None), the figure is redrawn.
        ``compute`` raising :class:`Diverged` gives a frame that only says so.
        """
        try:
            result = self.compute(**values)
        except Diverged as error:  # nothing to draw: a sentence naming the setting
            english, chinese_setting = self._setting(values)
            text = Caption(
                f"With {english}, the run diverged at step {error.step}: {error.reason}.",
                zh=f"设置为 {chinese_setting} 时，训练在第 {error.step} 步发散："
                f"{chinese(error.reason)}。",
            )
            self._full_redraw(lambda fig: _draw_diverged(fig, text))
            return text, error.step
        step = result.step if isinstance(result, Diverged) else None
        text = self.describe(result, **values)
        artists = self._update(result, **values) if self._update is not None else None
        if artists is None:
            self._full_redraw(lambda fig: self.draw(fig, result, **values), result, values)
        elif not set(artists) <= set(self._dynamic):
            self._capture(artists)  # the updater changed an artist it had not before
        return text, step

    def _setting(self, values):
        """The controls' labels and values: "learning rate 0.3, optimiser Adam", and the
        same in Chinese ("学习率 0.3，优化器 Adam")."""
        english, zh = [], []
        for name, control in self.controls.items():
            labels = control.labels
            if name in self._labels_by:  # labels that follow another control's value
                by, table = self._labels_by[name]
                labels = table[self.controls[by].values.index(values[by])]
            shown = labels[control.values.index(values[name])]
            english.append(f"{control.label} {shown}")
            zh.append(f"{chinese(control.label)} {shown}")
        return ", ".join(english), "，".join(zh)

    def _full_redraw(self, paint, result=None, values=None):
        """Clear the figure and paint it; keep the updater ``paint`` returns, if any."""
        fig = self._empty_figure()
        self._update, self._dynamic, self._overlay, self._background = None, [], [], None
        self._pixels = None
        update = paint(fig)
        if not callable(update):  # no updater (a draw may return whatever it drew)
            return
        self._update = _ControlledCall("update", update, self.controls, leading=1)
        artists = self._update(result, **values)
        if artists is None:
            self._update = None
        else:
            self._capture(artists)

    def _capture(self, artists):
        """Mark what ``artists`` change as animated and cache the figure without them."""
        fig = self._figure
        self._dynamic = list(artists)
        self._overlay = _overlay(fig, self._dynamic)
        for artist in fig.findobj(lambda a: a.get_animated()):
            artist.set_animated(False)
        for artist in self._overlay:
            artist.set_animated(True)
        fig.canvas.draw()  # the static part, drawn once
        self._background = fig.canvas.copy_from_bbox(fig.bbox)
        self._pixels, self._extents = None, {}

    def _live_png(self):
        """The current figure as a PNG, fast: see :meth:`_live_pixels`; no palette
        quantisation, light compression."""
        from PIL import Image

        rgb = Image.fromarray(self._live_pixels())
        buffer = io.BytesIO()
        rgb.save(buffer, "PNG", compress_level=1)
        return buffer.getvalue()

    def _live_pixels(self):
        """The current figure as an RGB array, redrawing as little as possible.

        Without an updater the figure is drawn in full. With one, the cached background
        is restored and only the animated artists are drawn over it; once a first such
        picture exists, only the rectangles where an artist changed since (matplotlib
        marks it ``stale``: its old and new extents) are redrawn, with every animated
        artist that reaches into them, and pasted into the previous picture.
        """
        fig = self._figure
        if self._background is None:
            fig.canvas.draw()
            self._pixels = None
            return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
        renderer = fig.canvas.get_renderer()
        exact = all(_known(a) for a in self._overlay)  # can every change be located?
        if self._pixels is None or not exact:
            rects, self._extents = None, {}  # everything
        else:
            stale = [a for a in self._overlay if _stale(a)]
            if not stale:
                return self._pixels
            rects = []
            for artist in stale:  # old and new extents; the others' have not changed
                rects.append(self._extents.get(id(artist), []))
                self._extents[id(artist)] = _extent(artist, renderer)
                rects.append(self._extents[id(artist)])
            if any(r is _EVERYWHERE for r in rects):
                rects = None
            else:
                rects = [box for boxes in rects for box in boxes]
                if not rects:  # only hidden artists changed, and stay hidden
                    return self._pixels
                if len(rects) > 400:  # many changes: one rectangle around them all
                    rects = [_hull(rects)]
        fig.canvas.restore_region(self._background)
        hull = _hull(rects) if rects else None
        for artist in self._overlay:
            if exact and id(artist) not in self._extents:  # for the next picture's changes
                self._extents[id(artist)] = _extent(artist, renderer)
            extent = self._extents.get(id(artist), _EVERYWHERE)
            if (
                rects is None
                or extent is _EVERYWHERE
                or (extent and _meet(_hull(extent), hull) and _meets(extent, rects))
            ):
                fig.draw_artist(artist)
        pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
        if rects is None:
            self._pixels = pixels.copy()
        else:
            height = pixels.shape[0]
            for x0, y0, x1, y1 in rects:  # display coordinates: y upwards
                rows = slice(max(height - y1, 0), max(height - y0, 0))
                self._pixels[rows, max(x0, 0) : max(x1, 0)] = pixels[rows, max(x0, 0) : max(x1, 0)]
        return self._pixels

    def _empty_figure(self):
        if self._figure is None:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            self._figure = Figure(figsize=self.figsize, dpi=self.dpi)
            FigureCanvasAgg(self._figure)
        self._figure.clear()
        return self._figure

    def _png(self, fig):
        return figures.png(fig, colors=self.colors)

    # -- the static view ------------------------------------------------------------
    def static_html(self):
        """Every frame, HTML controls and the script that swaps frames (no kernel)."""
        names = list(self.controls)
        frames, order, texts, index = [], [], [], {}
        for combo in itertools.product(*(c.values for c in self.controls.values())):
            frame = self.frame(**dict(zip(names, combo, strict=True)))
            if frame.png not in index:
                index[frame.png] = len(frames)
                frames.append("data:image/png;base64," + base64.b64encode(frame.png).decode())
            order.append(index[frame.png])
            texts.append(frame.text)
        spec = {
            "names": names,
            "sizes": [len(c.values) for c in self.controls.values()],
            "labels": [c.labels for c in self.controls.values()],
            "labelsBy": [self._spec_labels_by(name) for name in names],
            "frames": frames,
            "order": order,
            "texts": texts,
        }
        if all(isinstance(text, Caption) for text in texts):  # the Chinese edition's
            spec["zh"] = [text.zh for text in texts]  # (book/_ext/explorer_frames.py)
        payload = json.dumps(spec, separators=(",", ":"))
        uid = "po-" + hashlib.sha1(payload.encode()).hexdigest()[:10]
        first = self._flat_default()
        controls = "".join(
            f'<span class="po-control">{c.html(name, uid, self._default_labels(name))}</span>'
            for name, c in self.controls.items()
        )
        return (
            f'<div class="po-explorer" id="{uid}" data-po-explorer>'
            f'<div class="po-controls">{controls}</div>'
            f'<img class="po-frame" src="{frames[order[first]]}" '
            f'alt="{html.escape(texts[first])}" width="{round(self.figsize[0] * self.dpi)}" '
            f'height="{round(self.figsize[1] * self.dpi)}">'
            f'<p class="po-caption" aria-live="polite">{html.escape(texts[first])}</p>'
            f'<script type="application/json" class="po-spec">{payload}</script>'
            f"<script>{_SCRIPT}</script></div>"
        )

    def _spec_labels_by(self, name):
        """For the script: None, or [index of the control the labels follow, its labels
        for each of that control's values]."""
        if name not in self._labels_by:
            return None
        by, labels = self._labels_by[name]
        return [list(self.controls).index(by), labels]

    def _default_labels(self, name):
        """The labels a control shows while every control is at its default."""
        if name not in self._labels_by:
            return None
        by, labels = self._labels_by[name]
        return labels[self.controls[by].default_index]

    def _flat_default(self):
        k = 0
        for control in self.controls.values():
            k = k * len(control.values) + control.default_index
        return k

    # -- the live view --------------------------------------------------------------
    def live(self):
        """ipywidgets controls driving an image: for Jupyter and Binder.

        A change redraws only what changes (see :meth:`frame`) and sends an unquantised
        PNG; a slider whose labels follow another control (``labels_by``) gets that
        control's labels when it changes.
        """
        import ipywidgets

        inputs = {name: control.live() for name, control in self.controls.items()}
        image = ipywidgets.Image(format="png")
        caption = ipywidgets.HTML()
        busy = []  # set while a slider's labels are swapped: one change, one frame

        def update(_change=None):
            if busy:
                return
            text, _step = self._render({name: w.value for name, w in inputs.items()})
            image.value = self._live_png()
            caption.value = f"<p>{html.escape(text)}</p>"

        for name, (by, labels) in self._labels_by.items():
            relabel = _relabel(inputs[name], self.controls[name], self.controls[by], labels, busy)
            inputs[by].observe(relabel, names="value")
            relabel({"new": inputs[by].value})
        for widget in inputs.values():
            widget.observe(update, names="value")
        update()
        row = ipywidgets.HBox(list(inputs.values()), layout={"flex_flow": "row wrap"})
        return ipywidgets.VBox([row, image, caption])

    def _repr_mimebundle_(self, include=None, exclude=None):
        self._live = self.live()
        bundle = {
            "text/plain": f"Explorer({', '.join(self.controls)})",
            "text/html": self.static_html(),
        }
        view = self._live._repr_mimebundle_().get(WIDGET_VIEW)
        if view is not None:
            bundle[WIDGET_VIEW] = view
        return bundle


def _dependent_labels(name, control, controls):
    """``control.labels_by`` resolved: (the other control's name, a list of labels for
    each of its values, in order)."""
    by, mapping = control.labels_by
    if by not in controls or by == name:
        raise ValueError(f"{name} takes its labels from {by!r}, which is not another control")
    other = controls[by]
    labels = []
    for value, label in zip(other.values, other.labels, strict=True):
        key = label if label in mapping else value
        try:
            labels.append(mapping[key])
        except (KeyError, TypeError):
            raise ValueError(f"{name}'s labels_by gives no labels for {by} = {label!r}") from None
    return by, labels


def _relabel(widget, control, by, labels, busy):
    """A callback giving ``widget`` (a selection slider) the labels that go with the new
    value of the control ``by``, keeping the slider's value."""

    def relabel(change):
        value = widget.value
        busy.append(True)
        try:
            options = labels[by.values.index(change["new"])]
            widget.options = list(zip(options, control.values, strict=True))
            widget.value = value
        finally:
            busy.pop()

    return relabel


class _ControlledCall:
    """``fn`` called with its leading positional arguments and the controls it names."""

    def __init__(self, role, fn, controls, *, leading):
        if not callable(fn):
            raise TypeError(f"{role} must be callable, got {fn!r}")
        parameters = list(inspect.signature(fn).parameters.values())
        if any(p.kind is p.VAR_KEYWORD for p in parameters):
            self.names = list(controls)
        else:
            rest = [p for p in parameters[leading:] if p.kind is not p.VAR_POSITIONAL]
            self.names = [p.name for p in rest if p.name in controls]
            unknown = [p.name for p in rest if p.name not in controls and p.default is p.empty]
            if unknown:
                raise TypeError(
                    f"{role} takes {unknown}, which are not controls ({list(controls)})"
                )
        self.fn = fn

    def __call__(self, *args, **values):
        return self.fn(*args, **{name: values[name] for name in self.names})


def _draw_diverged(fig, text):
    fig.text(
        0.5,
        0.5,
        text,
        ha="center",
        va="center",
        fontsize=13,
        wrap=True,
        bbox={"boxstyle": "round,pad=0.8", "facecolor": "#fbe3d6", "edgecolor": "#D55E00"},
    )


_EVERYWHERE = object()  # the extent of an artist whose footprint is not known exactly
_PAD = 4  # pixels around an extent: line widths, antialiasing, text boxes


def _extent(artist, renderer):
    """Where ``artist`` may paint: a list of integer (x0, y0, x1, y1) boxes in display
    pixels, padded; none if it is hidden, ``_EVERYWHERE`` if its kind is not known.

    A line without markers and of few vertices is covered by small boxes along its
    segments (a diagonal line's bounding box would cover much that it does not touch).
    """
    from matplotlib.lines import Line2D
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    if not _known(artist):
        return _EVERYWHERE
    if not artist.get_visible() or (isinstance(artist, Line2D) and not len(artist.get_xdata())):
        return []
    if isinstance(artist, Line2D) and artist.get_marker() in ("None", "", " ", None):
        points = artist.get_transform().transform(artist.get_xydata())
        if len(points) <= 32 and np.all(np.isfinite(points)):
            half = artist.get_linewidth() * renderer.points_to_pixels(1.0) / 2 + _PAD
            boxes = []
            for a, b in itertools.pairwise(points):
                pieces = max(1, int(np.hypot(*(b - a)) // 16))
                for t in range(pieces):
                    p, q = a + (b - a) * t / pieces, a + (b - a) * (t + 1) / pieces
                    boxes.append(_pixels_box(np.minimum(p, q) - half, np.maximum(p, q) + half))
            return boxes
    box = artist.get_window_extent(renderer)
    if isinstance(artist, Line2D):
        box = box.padded(artist.get_linewidth() * renderer.points_to_pixels(1.0))
    if isinstance(artist, Text) and artist.get_bbox_patch() is not None:
        box = Bbox.union([box, artist.get_bbox_patch().get_window_extent(renderer)])
    if not np.all(np.isfinite(box.extents)):
        return _EVERYWHERE
    return [_pixels_box(box.extents[:2] - _PAD, box.extents[2:] + _PAD)]


def _pixels_box(low, high):
    return (int(np.floor(low[0])), int(np.floor(low[1])), int(np.ceil(high[0])),
            int(np.ceil(high[1])))  # fmt: skip


def _known(artist):
    """Whether ``artist``'s footprint is its window extent and a change of its look marks
    it (or, for a legend, one of its parts) stale: texts (not annotations, whose arrow
    reaches elsewhere), lines, patches and legends."""
    from matplotlib.legend import Legend
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Annotation, Text

    known = isinstance(artist, Text | Line2D | Patch | Legend)
    return known and not isinstance(artist, Annotation)


def _stale(artist):
    """Whether ``artist`` changed since it was last drawn (a legend: any of its parts)."""
    from matplotlib.legend import Legend

    if isinstance(artist, Legend):
        return any(part.stale for part in artist.findobj())
    return artist.stale


def _meet(a, b):
    """Whether two boxes overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _meets(boxes, rects):
    """Whether any of ``boxes`` overlaps any of ``rects``."""
    return any(_meet(box, r) for box in boxes for r in rects)


def _hull(boxes):
    """The smallest box around ``boxes``."""
    x0, y0, x1, y1 = zip(*boxes, strict=True)
    return (min(x0), min(y0), max(x1), max(y1))


def _overlay(fig, artists):
    """What to draw over the cached background so that it equals a full drawing.

    ``artists`` change from frame to frame. In each container (an Axes, or the figure
    for figure-level artists) every artist drawn at or above the lowest z-order of a
    changing one is redrawn too, in the container's own drawing order, so that what
    overlaps stays stacked as in a full draw.
    """
    from matplotlib.axes import Axes

    containers = {}
    for artist in artists:
        container = artist.axes if artist.axes is not None and artist is not artist.axes else fig
        low = containers.get(id(container), (container, artist.get_zorder()))[1]
        containers[id(container)] = (container, min(low, artist.get_zorder()))
    overlay = []
    for container, low in containers.values():
        if isinstance(container, Axes):
            children = [a for a in container.get_children() if a is not container.patch]
            if not (container.axison and container.get_frame_on()):
                children = [a for a in children if a not in container.spines.values()]
            if not container.axison:
                children = [a for a in children if a not in (container.xaxis, container.yaxis)]
        else:
            children = [a for a in fig.get_children() if a is not fig.patch]
        overlay += sorted((a for a in children if a.get_zorder() >= low), key=lambda a: a.zorder)
    whole = {id(a) for a in overlay if isinstance(a, Axes)}  # an Axes redrawn whole
    return [a for a in overlay if a.axes is None or a.axes is a or id(a.axes) not in whole]
