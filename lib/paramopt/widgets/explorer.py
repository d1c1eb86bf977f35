"""The Explorer: a figure that responds to controls, live in Jupyter and static on the web."""

import base64
import hashlib
import html
import inspect
import itertools
import json
from dataclasses import dataclass
from importlib import resources

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
    compute : callable ``compute(**values) -> result``; may raise ``Diverged``.
    draw : callable ``draw(fig, result, **values)`` drawing on an empty Figure.
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
        self.figsize, self.dpi, self.colors = figsize, dpi, colors
        self._figure = None
        self._live = None

    # -- one frame -------------------------------------------------------------------
    def frame(self, **values):
        """Render the figure for one combination of control values."""
        fig = self._empty_figure()
        try:
            result = self.compute(**values)
        except Diverged as error:
            text = str(error)  # "diverged at step k: ..."
            _draw_diverged(fig, text)
            return Frame(self._png(fig), text, error.step)
        self.draw(fig, result, **values)
        return Frame(self._png(fig), self.describe(result, **values))

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
            "frames": frames,
            "order": order,
            "texts": texts,
        }
        payload = json.dumps(spec, separators=(",", ":"))
        uid = "po-" + hashlib.sha1(payload.encode()).hexdigest()[:10]
        first = self._flat_default()
        controls = "".join(
            f'<span class="po-control">{c.html(name, uid)}</span>'
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

    def _flat_default(self):
        k = 0
        for control in self.controls.values():
            k = k * len(control.values) + control.default_index
        return k

    # -- the live view --------------------------------------------------------------
    def live(self):
        """ipywidgets controls driving an image: for Jupyter and Binder."""
        import ipywidgets

        inputs = {name: control.live() for name, control in self.controls.items()}
        image = ipywidgets.Image(format="png")
        caption = ipywidgets.HTML()

        def update(_change=None):
            frame = self.frame(**{name: w.value for name, w in inputs.items()})
            image.value = frame.png
            caption.value = f"<p>{html.escape(frame.text)}</p>"

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
