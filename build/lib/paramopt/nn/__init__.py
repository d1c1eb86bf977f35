"""Neural-network layers and losses with explicit forward and backward passes.

Batch-first arrays ``(batch, features)``; names, defaults and results follow
``torch.nn``. See ``paramopt.nn.module`` for the conventions every module shares.
``paramopt.nn.utils`` clips gradients (``clip_grad_norm_``, ``clip_grad_value_``).
"""

from paramopt.nn import init, utils
from paramopt.nn.activations import LeakyReLU, ReLU, Sigmoid, Tanh, sigmoid
from paramopt.nn.batchnorm import BatchNorm1d
from paramopt.nn.linear import Linear
from paramopt.nn.losses import CrossEntropyLoss, Loss, MSELoss
from paramopt.nn.module import Module, Sequential
from paramopt.nn.networks import mlp

__all__ = [
    "BatchNorm1d",
    "CrossEntropyLoss",
    "LeakyReLU",
    "Linear",
    "Loss",
    "MSELoss",
    "Module",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "init",
    "mlp",
    "sigmoid",
    "utils",
]
