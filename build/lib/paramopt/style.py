"""One look for every figure: the Okabe–Ito palette, told apart by colour-blind readers too.

Each series also differs by marker or line style, so no figure relies on colour alone.
Text drawn on a coloured cell takes :func:`label_color`: black or white, whichever meets
WCAG's contrast on that colour.

Numbers have a look too. :func:`number` writes a value as people write it — 0.0032, 31.6,
3.2 × 10⁻⁴ — never as Python's 3.2e-04; a chapter glues ``number(x)`` into its prose.
:func:`show` prints a cell's results with their names, in the same form, never as numpy's
``np.float64(0.000316…)``.
"""

import math

import numpy as np

from paramopt.validation import check_array

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: colour, marker and line style of each loss, the same in every chapter
LOSS_STYLE = {
    "perceptron": {"color": OKABE_ITO["orange"], "linestyle": "--", "marker": "s"},
    "hinge": {"color": OKABE_ITO["blue"], "linestyle": "-.", "marker": "^"},
    "logistic": {"color": OKABE_ITO["green"], "linestyle": "-", "marker": "o"},
}

#: the two classes of a binary problem, y = +1 and y = -1
CLASS_STYLE = {
    1: {"color": OKABE_ITO["blue"], "marker": "o", "label": "y = +1"},
    -1: {"color": OKABE_ITO["orange"], "marker": "s", "label": "y = −1"},
}

#: colour, marker and line style of each optimiser, the same in every chapter (keys are
#: torch.optim's names; "Momentum" and "Nesterov" are SGD with momentum / nesterov=True)
OPTIMIZER_STYLE = {
    "SGD": {"color": OKABE_ITO["black"], "marker": "o", "linestyle": "-"},
    "Momentum": {"color": OKABE_ITO["orange"], "marker": "s", "linestyle": "--"},
    "Nesterov": {"color": OKABE_ITO["sky"], "marker": "^", "linestyle": "-."},
    "Adagrad": {"color": OKABE_ITO["green"], "marker": "D", "linestyle": ":"},
    "RMSprop": {"color": OKABE_ITO["blue"], "marker": "v", "linestyle": "-"},
    "Adam": {"color": OKABE_ITO["vermillion"], "marker": "P", "linestyle": "--"},
    "AdamW": {"color": OKABE_ITO["purple"], "marker": "X", "linestyle": "-."},
    # Okabe-Ito's yellow is too faint for a line on white: AMSGrad, drawn only next to Adam,
    # shares SGD's black and is told apart by its dotted line and star marker
    "AMSGrad": {"color": OKABE_ITO["black"], "marker": "*", "linestyle": ":"},
    # the usable Okabe-Ito colours are all taken: each later optimiser shares one with an
    # earlier entry and differs from it by line style and marker. No two entries share
    # both colour and line style, none shares a marker (NAdam takes Nesterov's sky, Adadelta
    # its relative RMSprop's blue)
    "NAdam": {"color": OKABE_ITO["sky"], "marker": ">", "linestyle": "--"},
    "RAdam": {"color": OKABE_ITO["green"], "marker": "p", "linestyle": "-."},
    "Adamax": {"color": OKABE_ITO["orange"], "marker": "h", "linestyle": ":"},
    "Adadelta": {"color": OKABE_ITO["blue"], "marker": "<", "linestyle": "--"},
    # Adafactor shares RMSprop's blue (a second moment, no momentum), Muon Momentum's
    # orange (momentum, orthogonalised)
    "Adafactor": {"color": OKABE_ITO["blue"], "marker": "H", "linestyle": ":"},
    "Muon": {"color": OKABE_ITO["orange"], "marker": "8", "linestyle": "-"},
}


#: colour, line style and label of each kind of weight decay (chapter 7: paramopt.decay.KINDS)
DECAY_STYLE = {
    "none": {"color": OKABE_ITO["black"], "linestyle": ":", "marker": "o", "label": "no decay"},
    "l2": {"color": OKABE_ITO["blue"], "linestyle": "--", "marker": "^", "label": "L2"},
    "decoupled": {
        "color": OKABE_ITO["vermillion"],
        "linestyle": "-",
        "marker": "s",
        "label": "decoupled",
    },
}


#: colour, marker and line style of each activation, the same in every figure of chapter 2
#: (the keys are paramopt.diagnostics.ACTIVATIONS)
ACTIVATION_STYLE = {
    "sigmoid": {"color": OKABE_ITO["orange"], "marker": "s", "linestyle": "--"},
    "tanh": {"color": OKABE_ITO["blue"], "marker": "^", "linestyle": "-."},
    "relu": {"color": OKABE_ITO["green"], "marker": "o", "linestyle": "-"},
}


# -- readable text on any colour (WCAG 2) ------------------------------------------------
def relative_luminance(color):
    """WCAG 2 relative luminance of an opaque sRGB ``color``: (r, g, b) or (r, g, b, 1) in [0, 1].

    Each channel c is linearised, c / 12.92 if c ≤ 0.04045, else ((c + 0.055) / 1.055)^2.4,
    and L = 0.2126 R + 0.7152 G + 0.0722 B: 0 for black, 1 for white.
    """
    rgb = _check_color("color", color)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(foreground, background):
    """WCAG 2 contrast ratio of two opaque colours: (L_lighter + 0.05) / (L_darker + 0.05).

    It runs from 1 (the same luminance) to 21 (black on white); text needs at least 4.5
    (level AA).
    """
    light, dark = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (light + 0.05) / (dark + 0.05)


def label_color(background):
    """``"black"`` or ``"white"``: whichever contrasts more with the opaque ``background``.

    One of the two always reaches √21 ≈ 4.58, since their contrasts multiply to 21, so a
    label in this colour meets WCAG's 4.5 on any background.
    """
    luminance = relative_luminance(background)
    return "black" if (luminance + 0.05) ** 2 >= 0.05 * 1.05 else "white"


def _check_color(name, color):
    rgba = check_array(name, color, ndim=1)
    if len(rgba) not in (3, 4) or np.any((rgba < 0) | (rgba > 1)):
        raise ValueError(f"{name} must be (r, g, b) or (r, g, b, a) in [0, 1], got {color!r}")
    if len(rgba) == 4 and rgba[3] != 1:
        raise ValueError(f"{name} must be opaque (alpha 1), got {color!r}")
    return rgba[:3]


# -- numbers as a reader reads them --------------------------------------------------------

SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def number(value, digits=2, trim=False):
    """``value`` to ``digits`` significant digits, written as people write numbers.

    From 0.001 up to a million the digits are positional (0.0032, 31.6, 3162, 12,500);
    outside that range, a power of ten: 3.2 × 10⁻⁴, 10⁻⁵ (a mantissa of exactly 1 is
    left out), 2.0 × 10¹⁶. Never Python's e-notation (3.2e-04). Integers keep every digit.
    ``trim`` drops trailing zeros after the decimal point (1.50 → 1.5, 10.0 → 10).
    """
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        value = int(value)
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    value = float(value)
    if not math.isfinite(value) or value == 0:
        return {math.inf: "∞", -math.inf: "-∞"}.get(value, "0" if value == 0 else "nan")
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    exponent = int(exponent)
    if -3 <= exponent < 6:
        decimals = max(digits - 1 - exponent, 0)
        text = f"{value:,.{decimals}f}" if abs(value) >= 10_000 else f"{value:.{decimals}f}"
        return text.rstrip("0").rstrip(".") if trim and "." in text else text
    if trim and "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    power = "10" + str(exponent).translate(SUPERSCRIPT)
    if mantissa.lstrip("-") == "1":
        return mantissa.replace("1", "") + power
    return f"{mantissa} × {power}"


def readable(value, digits=3):
    """``value`` — a number, an array, or a tuple, list or dict of them — as :func:`number`
    writes each number, without numpy's reprs: ``(3.2 × 10⁻⁴, [0.312, 0.628], True)``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        items = (f"{readable(k, digits)}: {readable(v, digits)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(readable(v, digits) for v in value) + ")"
    if isinstance(value, list | np.ndarray):
        return "[" + ", ".join(readable(v, digits) for v in value) + "]"
    if isinstance(value, bool | np.bool_ | int | np.integer | float | np.floating):
        return number(value, digits, trim=True)
    return str(value)


def show(digits=3, /, **values):
    """Print each named value on its own line, as :func:`readable` writes it.

    ``show(gap=gap, steps=steps)`` prints ``gap = 6.6 × 10⁻¹¹`` and ``steps = 467``:
    a cell's results as a reader reads them, each with its name.
    """
    width = max(map(len, values), default=0)
    for name, value in values.items():
        print(f"{name:<{width}} = {readable(value, digits)}")
