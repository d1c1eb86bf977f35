"""Optimisers with ``torch.optim``'s names, defaults and results, written in numpy.

SGD, Adagrad, RMSprop, Adam, AdamW, NAdam, RAdam, Adamax and Adadelta each take a list of
float arrays and update them in place with ``step(grads)``::

    opt = paramopt.optim.Adam([w, b], lr=1e-3)
    opt.step([grad_w, grad_b])

:class:`DecoupledWeightDecay` wraps any of them with decoupled weight decay (SGDW; around
``Adam`` it is ``AdamW``). :func:`create` builds any of them, or a named preset
("Momentum", "Nesterov", "AMSGrad", "SGDW"), by its name. The curves behind NAdam and
RAdam take a step t or an array of steps, for a plot: :func:`nadam.momentum_schedule`
(NAdam's μ_t), :func:`radam.rho` and :func:`radam.rectification` (RAdam's ρ_t and r_t).

Two optimisers treat a matrix as a matrix. :class:`Adafactor` keeps, for an n×m
parameter, n + m second-moment numbers instead of nm (:func:`factored_second_moment`
rebuilds the estimate). :class:`Muon` steps 2-D parameters only, along the orthogonalised
momentum (:func:`newton_schulz`, at the rate :func:`adjusted_lr`); :class:`Composite`
makes one optimiser of several, e.g. Muon on the weight matrices and AdamW on the rest::

    opt = paramopt.optim.Composite(params, [Muon(matrices), AdamW(others)])

:mod:`paramopt.optim.lr_scheduler` holds torch's learning-rate schedulers (StepLR,
CosineAnnealingLR, OneCycleLR, ReduceLROnPlateau, ...), which write an optimiser's
``lr`` between steps. Every optimiser and scheduler saves and restores itself with
``state_dict()`` / ``load_state_dict(state)``, as in torch::

    sched = paramopt.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=100)
    for t in range(100):
        opt.step(grads)
        sched.step()
"""

from paramopt.optim import lr_scheduler
from paramopt.optim.adadelta import Adadelta
from paramopt.optim.adafactor import Adafactor, factored_second_moment
from paramopt.optim.adagrad import Adagrad
from paramopt.optim.adam import Adam, AdamW
from paramopt.optim.adamax import Adamax
from paramopt.optim.composite import Composite
from paramopt.optim.decoupled import DecoupledWeightDecay
from paramopt.optim.muon import Muon, adjusted_lr, newton_schulz
from paramopt.optim.nadam import NAdam
from paramopt.optim.optimizer import Optimizer
from paramopt.optim.presets import CLASSES, PRESETS, create
from paramopt.optim.radam import RAdam
from paramopt.optim.rmsprop import RMSprop
from paramopt.optim.sgd import SGD

__all__ = [
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adam",
    "AdamW",
    "NAdam",
    "RAdam",
    "Adamax",
    "Adadelta",
    "Adafactor",
    "Muon",
    "DecoupledWeightDecay",
    "Composite",
    "Optimizer",
    "CLASSES",
    "PRESETS",
    "create",
    "factored_second_moment",
    "newton_schulz",
    "adjusted_lr",
    "lr_scheduler",
]
