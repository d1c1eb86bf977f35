"""Controls: a finite grid of values with a label, shown as ipywidgets or as HTML.

The static website can only show precomputed frames, so every control has a finite
grid of values and the live view offers exactly the same grid: both views of a cell
show the same figures.
"""

import html
import numbers

import numpy as np

from paramopt.captions import bilingual, html_of
from paramopt.validation import check_increasing


class Control:
    """A named, finite set of values with a default (``value``).

    ``labels_by = (name, {value or label of control name: labels})`` makes the labels
    depend on another control of the same Explorer: a slider over grid positions can
    show and announce each optimiser's own learning rates. ``labels`` are then those of
    that control's default.
    """

    labels_by = None

    def __init__(self, label, values, value, labels):
        if len(values) < 2:
            raise ValueError(f"a control needs at least 2 values, got {list(values)!r}")
        if value not in values:
            raise ValueError(f"value must be one of {list(values)!r}, got {value!r}")
        self.label = bilingual(label)  # "learning rate" -> also "学习率" (paramopt.captions)
        self.values = list(values)
        self.value = value
        self.labels = list(labels)

    @property
    def default_index(self):
        return self.values.index(self.value)


class Slider(Control):
    """A slider over numbers: evenly spaced ``start, start + step, ..., stop``, or any
    increasing ``values`` (:meth:`from_values`), each shown by its label.

    >>> Slider("learning rate", 0.1, 0.5, 0.1).values
    [0.1, 0.2, 0.3, 0.4, 0.5]
    >>> Slider.from_values("position", [1, 2, 3], labels=["0.01", "0.03", "0.1"]).labels
    ['0.01', '0.03', '0.1']
    """

    def __init__(
        self, label, start=None, stop=None, step=None, value=None, fmt="{:g}", *,
        values=None, labels=None, labels_by=None,
    ):  # fmt: skip
        if values is None:
            values = _evenly_spaced(start, stop, step)
            self.even = True
        elif start is None and stop is None and step is None:
            values = check_increasing("values", values, lambda name, v: v)
            self.even = False
        else:
            raise TypeError("give either start, stop and step, or values, not both")
        if labels is None:
            labels = [fmt.format(v) for v in values]
        elif len(labels) != len(values):
            raise ValueError(f"labels must match values one to one, got {labels!r}")
        super().__init__(label, values, values[0] if value is None else value, labels)
        if labels_by is not None:
            if self.even:
                raise ValueError("labels_by needs a slider over values (from_values)")
            by, mapping = labels_by
            if not isinstance(by, str) or not isinstance(mapping, dict):
                raise TypeError(f"labels_by must be (control name, dict), got {labels_by!r}")
            for key, texts in mapping.items():
                if len(texts) != len(self.values):
                    raise ValueError(f"labels_by[{key!r}] must match values one to one")
            self.labels_by = (by, {k: list(v) for k, v in mapping.items()})
        self.integer = all(isinstance(v, numbers.Integral) for v in values)

    @classmethod
    def from_values(cls, label, values, value=None, fmt="{:g}", labels=None, labels_by=None):
        """A slider over any increasing numbers, e.g. learning rates 0.001, 0.003, 0.01.

        ``labels_by=("optimizer", {"SGD": [...], "Adam": [...]})`` shows, for each value
        of the control ``optimizer``, its own labels (see :class:`Control`).
        """
        return cls(label, value=value, fmt=fmt, values=values, labels=labels,
                   labels_by=labels_by)  # fmt: skip

    def live(self):
        import ipywidgets

        if not self.even:
            return ipywidgets.SelectionSlider(
                options=list(zip(self.labels, self.values, strict=True)),
                value=self.value,
                description=self.label,
                continuous_update=False,
                style={"description_width": "initial"},
            )
        kind = ipywidgets.IntSlider if self.integer else ipywidgets.FloatSlider
        step = self.values[1] - self.values[0]
        extra = {} if self.integer else {"readout_format": ".3g"}
        return kind(
            value=self.value,
            min=self.values[0],
            max=self.values[-1],
            step=step,
            description=self.label,
            continuous_update=False,
            style={"description_width": "initial"},
            **extra,
        )

    def html(self, name, uid, labels=None):
        """An ``<input type="range">`` and its ``<output>``, showing ``labels`` (default:
        the slider's own) for the default value."""
        label = html_of(self.label)
        text = html.escape((self.labels if labels is None else labels)[self.default_index])
        return (
            f'<label for="{uid}-{name}">{label}</label> '
            f'<input type="range" id="{uid}-{name}" data-control="{name}" min="0" '
            f'max="{len(self.values) - 1}" step="1" value="{self.default_index}" '
            f'aria-valuetext="{text}"> '
            f'<output for="{uid}-{name}">{text}</output>'
        )


def _evenly_spaced(start, stop, step):
    for name, x in (("start", start), ("stop", stop), ("step", step)):
        if isinstance(x, bool) or not isinstance(x, numbers.Real) or not np.isfinite(x):
            raise ValueError(f"{name} must be a finite number, got {x!r}")
    if step <= 0 or stop <= start:
        raise ValueError(f"need start < stop and step > 0, got {start!r}, {stop!r}, {step!r}")
    count = round((stop - start) / step) + 1
    grid = start + step * np.arange(count)
    integer = all(isinstance(x, numbers.Integral) for x in (start, stop, step))
    return [int(v) if integer else round(float(v), 12) for v in grid]


class Choice(Control):
    """One of several options: a mapping ``{label: value}`` or a list of strings."""

    def __init__(self, label, options, value=None):
        if isinstance(options, dict):
            labels, values = list(options), list(options.values())
        else:
            values = list(options)
            labels = [str(v) for v in values]
        value = values[0] if value is None else value
        super().__init__(label, values, value, labels)

    def live(self):
        import ipywidgets

        return ipywidgets.Dropdown(
            options=list(zip(self.labels, self.values, strict=True)),
            value=self.value,
            description=self.label,
            style={"description_width": "initial"},
        )

    def html(self, name, uid, labels=None):
        options = "".join(
            f'<option value="{i}"{" selected" if i == self.default_index else ""}>'
            f"{html.escape(text)}</option>"
            for i, text in enumerate(self.labels)
        )
        return (
            f'<label for="{uid}-{name}">{html_of(self.label)}</label> '
            f'<select id="{uid}-{name}" data-control="{name}">{options}</select>'
        )
