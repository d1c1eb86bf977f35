"""Controls: a finite grid of values with a label, shown as ipywidgets or as HTML.

The static website can only show precomputed frames, so every control has a finite
grid of values and the live view offers exactly the same grid: both views of a cell
show the same figures.
"""

import html
import numbers

import numpy as np


class Control:
    """A named, finite set of values with a default (``value``)."""

    def __init__(self, label, values, value, labels):
        if len(values) < 2:
            raise ValueError(f"a control needs at least 2 values, got {list(values)!r}")
        if value not in values:
            raise ValueError(f"value must be one of {list(values)!r}, got {value!r}")
        self.label = str(label)
        self.values = list(values)
        self.value = value
        self.labels = list(labels)

    @property
    def default_index(self):
        return self.values.index(self.value)


class Slider(Control):
    """Evenly spaced numbers ``start, start + step, ..., stop``.

    >>> Slider("learning rate", 0.1, 0.5, 0.1).values
    [0.1, 0.2, 0.3, 0.4, 0.5]
    """

    def __init__(self, label, start, stop, step, value=None, fmt="{:g}"):
        for name, x in (("start", start), ("stop", stop), ("step", step)):
            if isinstance(x, bool) or not isinstance(x, numbers.Real) or not np.isfinite(x):
                raise ValueError(f"{name} must be a finite number, got {x!r}")
        if step <= 0 or stop <= start:
            raise ValueError(f"need start < stop and step > 0, got {start!r}, {stop!r}, {step!r}")
        count = round((stop - start) / step) + 1
        grid = start + step * np.arange(count)
        integer = all(isinstance(x, numbers.Integral) for x in (start, stop, step))
        values = [int(v) if integer else round(float(v), 12) for v in grid]
        value = values[0] if value is None else value
        super().__init__(label, values, value, [fmt.format(v) for v in values])
        self.integer = integer
        self.even = True

    @classmethod
    def from_values(cls, label, values, value=None, fmt="{:g}"):
        """A slider over any increasing numbers, e.g. learning rates 0.001, 0.003, 0.01."""
        values = list(values)
        if any(b <= a for a, b in zip(values, values[1:], strict=False)):
            raise ValueError(f"values must increase, got {values!r}")
        self = cls.__new__(cls)
        Control.__init__(
            self,
            label,
            values,
            values[0] if value is None else value,
            [fmt.format(v) for v in values],
        )
        self.integer = all(isinstance(v, numbers.Integral) for v in values)
        self.even = False
        return self

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

    def html(self, name, uid):
        label = html.escape(self.label)
        return (
            f'<label for="{uid}-{name}">{label}</label> '
            f'<input type="range" id="{uid}-{name}" data-control="{name}" min="0" '
            f'max="{len(self.values) - 1}" step="1" value="{self.default_index}" '
            f'aria-valuetext="{html.escape(self.labels[self.default_index])}"> '
            f'<output for="{uid}-{name}">{html.escape(self.labels[self.default_index])}</output>'
        )


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

    def html(self, name, uid):
        options = "".join(
            f'<option value="{i}"{" selected" if i == self.default_index else ""}>'
            f"{html.escape(text)}</option>"
            for i, text in enumerate(self.labels)
        )
        return (
            f'<label for="{uid}-{name}">{html.escape(self.label)}</label> '
            f'<select id="{uid}-{name}" data-control="{name}">{options}</select>'
        )
