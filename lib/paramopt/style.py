"""One look for every figure: the Okabe–Ito palette, told apart by colour-blind readers too.

Each series also differs by marker or line style, so no figure relies on colour alone.
Text drawn on a coloured cell takes :func:`label_color`: black or white, whichever meets
WCAG's contrast on that colour.
"""

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


SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def format_number(x, digits=3):
    """A number as a reader reads it: ``digits`` significant digits, a true minus sign,
    powers of ten as superscripts, never ``1e+06``.

    >>> format_number(1e6), format_number(1.46e6), format_number(0.3), format_number(2e-5)
    ('10⁶', '1.46×10⁶', '0.3', '2×10⁻⁵')
    >>> format_number(398, 2), format_number(-0.0123), format_number(5300, 2)
    ('400', '−0.0123', '5300')
    """
    x = float(x)
    if x == 0 or not np.isfinite(x):
        return f"{x:g}".replace("-", "−")
    if 1e-3 <= abs(x) < 1e4:  # positional, rounded to ``digits`` significant digits
        text = np.format_float_positional(x, precision=digits, fractional=False, trim="-")
        return text.replace("-", "−")
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = "10" + str(int(exponent)).translate(SUPERSCRIPT)
    if mantissa in ("1", "-1"):
        return ("−" if mantissa == "-1" else "") + power
    return f"{mantissa.replace('-', '−')}×{power}"
