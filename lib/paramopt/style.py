"""One look for every figure: the Okabe–Ito palette, told apart by colour-blind readers too.

Each series also differs by marker or line style, so no figure relies on colour alone.
"""

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
