"""Any optimiser by its name: :func:`create` and the named presets of the book.

One table, :data:`PRESETS`, names the variants the chapters compare ("Momentum",
"Nesterov", ...), keyed like :data:`paramopt.style.OPTIMIZER_STYLE`; every class of
:mod:`paramopt.optim` is found by its own name too.
"""

from paramopt.optim.adadelta import Adadelta
from paramopt.optim.adafactor import Adafactor
from paramopt.optim.adagrad import Adagrad
from paramopt.optim.adam import Adam, AdamW
from paramopt.optim.adamax import Adamax
from paramopt.optim.decoupled import DecoupledWeightDecay
from paramopt.optim.muon import Muon
from paramopt.optim.nadam import NAdam
from paramopt.optim.radam import RAdam
from paramopt.optim.rmsprop import RMSprop
from paramopt.optim.sgd import SGD

__all__ = ["CLASSES", "PRESETS", "create"]

#: the optimiser classes, by name
CLASSES = {
    cls.__name__: cls
    for cls in (SGD, Adagrad, RMSprop, Adam, AdamW, NAdam, RAdam, Adamax, Adadelta, Adafactor, Muon)
}

#: preset name → (class name, the hyperparameters that define it, decoupled weight decay?)
PRESETS = {
    "Momentum": ("SGD", {"momentum": 0.9}, False),
    "Nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}, False),
    "AMSGrad": ("Adam", {"amsgrad": True}, False),
    "SGDW": ("SGD", {"momentum": 0.9, "weight_decay": 1e-2}, True),
}


def create(name, params, **hyperparameters):
    """The optimiser ``name`` on ``params``: a class of :mod:`paramopt.optim` or a preset.

    ``name`` is a class name (``"Adam"``; any case, so ``"adam"`` too) or a key of
    :data:`PRESETS`, whose hyperparameters come first and are overridden by
    ``hyperparameters``: ``create("Nesterov", params, lr=0.1)`` is
    ``SGD(params, lr=0.1, momentum=0.9, nesterov=True)``. A preset with decoupled decay
    ("SGDW") wraps its class, built without decay, in :class:`DecoupledWeightDecay`
    with the ``weight_decay`` given (default 1e-2, AdamW's).
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be an optimiser's name, got {name!r}")
    choices = {key.lower(): key for key in [*CLASSES, *PRESETS]}
    if name.lower() not in choices:
        raise ValueError(f"Invalid optimizer: {name!r} (choose from {sorted(choices.values())})")
    key = choices[name.lower()]
    if key in CLASSES:
        return CLASSES[key](params, **hyperparameters)
    class_name, defining, decoupled = PRESETS[key]
    options = {**defining, **hyperparameters}
    if not decoupled:
        return CLASSES[class_name](params, **options)
    weight_decay = options.pop("weight_decay")
    return DecoupledWeightDecay(CLASSES[class_name](params, **options), weight_decay)
