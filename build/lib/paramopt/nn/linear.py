"""The fully connected (affine) layer."""

import math

import numpy as np

from paramopt.nn import init
from paramopt.nn.module import Module, float_dtype
from paramopt.validation import as_rng, check_positive_int

__all__ = ["Linear"]


class Linear(Module):
    """Fully connected layer ``y = x Wᵀ + b``.

    x: (N, in),  W = ``weight``: (out, in),  b = ``bias``: (out,),  y: (N, out)

    forward   y = x Wᵀ + b
    backward  with δ = ∂L/∂y of shape (N, out):
              ∂L/∂W = δᵀ x,   ∂L/∂b = Σₙ δₙ (sum over the batch),   ∂L/∂x = δ W

    ``backward(δ, input_grad=False)`` skips ∂L/∂x (returns None), as torch does for a
    first layer whose input needs no gradient.

    Initialised as ``torch.nn.Linear``: W and b ~ U(−1/√in, 1/√in), i.e.
    ``kaiming_uniform_(W, a=√5)``. ``rng`` is a Generator, an int seed or None.
    """

    parameter_names = ("weight", "bias")
    can_skip_input_grad = True

    def __init__(self, in_features, out_features, rng=None, *, dtype=np.float64):
        self.in_features = check_positive_int("in_features", in_features)
        self.out_features = check_positive_int("out_features", out_features)
        dtype, rng = float_dtype(dtype), as_rng(rng)
        self.weight = np.empty((self.out_features, self.in_features), dtype)
        self.bias = np.empty(self.out_features, dtype)
        bound = 1 / math.sqrt(self.in_features)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), rng=rng)
        init.uniform_(self.bias, -bound, bound, rng)
        self.grad_weight = np.zeros_like(self.weight)
        self.grad_bias = np.zeros_like(self.bias)
        self.x = None

    def forward(self, x):
        x = self.check_input(x)
        self.x = x  # kept for backward
        y = x @ self.weight.T
        y += self.bias
        return y

    def backward(self, grad_y, input_grad=True):
        delta = self.check_grad(grad_y)
        np.matmul(delta.T, self.x, out=self.grad_weight)  # ∂L/∂W = δᵀ x
        np.sum(delta, axis=0, out=self.grad_bias)  # ∂L/∂b = Σₙ δₙ
        return delta @ self.weight if input_grad else None  # ∂L/∂x = δ W

    def check_shape(self, shape):
        if shape[1] != self.in_features:
            raise ValueError(
                f"Linear expected input with {self.in_features} features, got shape {shape}"
            )
        return (shape[0], self.out_features)

    def __repr__(self):
        return f"Linear(in_features={self.in_features}, out_features={self.out_features})"
