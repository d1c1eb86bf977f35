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
