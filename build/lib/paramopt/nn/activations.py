"""Elementwise activation functions and their derivatives.

Each maps y = f(x) entrywise, so backward multiplies entrywise: ∂L/∂x = δ ⊙ f′(x).
"""

import numpy as np

from paramopt.nn.module import Module
from paramopt.validation import check_real

__all__ = ["LeakyReLU", "ReLU", "Sigmoid", "Tanh", "sigmoid"]


def sigmoid(x):
    """The logistic function σ(x) = 1 / (1 + e⁻ˣ), the library's only one.

    Computed without overflow: with e = e^{−|x|} ≤ 1, σ(x) = 1 / (1 + e) for x ≥ 0 and
    e / (1 + e) for x < 0. Keeps a float array's dtype.
    """
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


class ReLU(Module):
    """Rectified linear unit.

    forward   y = max(x, 0) = x ⊙ 1[x > 0]
    backward  ∂L/∂x = δ ⊙ 1[x > 0]      (derivative 0 at x = 0, as in torch)
    """

    nonlinearity = "relu"  # name for init.calculate_gain

    def __init__(self):
        self.mask = None

    def forward(self, x):
        x = self.check_input(x)
        self.mask = x > 0
        return x * self.mask

    def backward(self, grad_y):
        delta = self.check_grad(grad_y)
        return delta * self.mask


class LeakyReLU(Module):
    """Leaky ReLU with slope ``a`` = ``negative_slope`` for negative inputs.

    forward   y = x if x > 0 else a·x
    backward  ∂L/∂x = δ ⊙ (1 if x > 0 else a)
    """

    nonlinearity = "leaky_relu"

    def __init__(self, negative_slope=0.01):
        self.negative_slope = check_real("negative_slope", negative_slope)
        self.slope = None

    def forward(self, x):
        x = self.check_input(x)
        a, positive = self.negative_slope, (x > 0).astype(x.dtype)
        self.slope = a + (1 - a) * positive  # 1 where x > 0, a elsewhere
        return x * self.slope

    def backward(self, grad_y):
        delta = self.check_grad(grad_y)
        return delta * self.slope

    def __repr__(self):
        return f"LeakyReLU(negative_slope={self.negative_slope})"


class Sigmoid(Module):
    """Logistic sigmoid.

    forward   y = σ(x) = 1 / (1 + e⁻ˣ)
    backward  ∂L/∂x = δ ⊙ y (1 − y)      (at most δ/4: the source of vanishing gradients)
    """

    nonlinearity = "sigmoid"

    def __init__(self):
        self.y = None

    def forward(self, x):
        self.y = sigmoid(self.check_input(x))
        return self.y

    def backward(self, grad_y):
        delta = self.check_grad(grad_y)
        return delta * self.y * (1 - self.y)


class Tanh(Module):
    """Hyperbolic tangent.

    forward   y = tanh x
    backward  ∂L/∂x = δ ⊙ (1 − y²)
    """

    nonlinearity = "tanh"

    def __init__(self):
        self.y = None

    def forward(self, x):
        x = self.check_input(x)
        self.y = np.tanh(x)
        return self.y

    def backward(self, grad_y):
        delta = self.check_grad(grad_y)
        return delta * (1 - self.y * self.y)
