"""Batch normalisation over the batch dimension."""

import numpy as np

from paramopt.nn.module import Module, float_dtype
from paramopt.validation import check_positive_int, check_real

__all__ = ["BatchNorm1d"]


class BatchNorm1d(Module):
    """Batch normalisation of each feature, as ``torch.nn.BatchNorm1d``.

    Training mode, for a batch x of shape (N, F), per feature:
        μ = (1/N) Σₙ xₙ,   σ² = (1/N) Σₙ (xₙ − μ)²   (biased variance)
        x̂ = (x − μ) / √(σ² + ε),   y = γ ⊙ x̂ + β     (γ = ``weight``, β = ``bias``)
    and the running statistics move towards the batch's with m = ``momentum``:
        running_mean ← (1 − m)·running_mean + m·μ
        running_var  ← (1 − m)·running_var  + m·σ²·N/(N − 1)   (UNbiased variance)
    Evaluation mode uses μ = running_mean, σ² = running_var instead.

    backward with δ = ∂L/∂y and ĝ = δ ⊙ γ:
        ∂L/∂γ = Σₙ δₙ ⊙ x̂ₙ,   ∂L/∂β = Σₙ δₙ
        training:   ∂L/∂x = (ĝ − mean(ĝ) − x̂ ⊙ mean(ĝ ⊙ x̂)) / √(σ² + ε)   (means over n)
        evaluation: ∂L/∂x = ĝ / √(σ² + ε)
    The two extra terms in training are there because μ and σ² depend on every xₙ.

    ``momentum=None`` uses the cumulative average (factor 1/num_batches_tracked), as torch.
    """

    parameter_names = ("weight", "bias")
    buffer_names = ("running_mean", "running_var")

    def __init__(self, num_features, eps=1e-5, momentum=0.1, *, dtype=np.float64):
        self.num_features = check_positive_int("num_features", num_features)
        self.eps = check_real("eps", eps, low=0, low_open=True)
        if momentum is not None:
            momentum = check_real("momentum", momentum, low=0, high=1)
        self.momentum = momentum
        dtype = float_dtype(dtype)
        self.weight = np.ones(self.num_features, dtype)
        self.bias = np.zeros(self.num_features, dtype)
        self.grad_weight = np.zeros_like(self.weight)
        self.grad_bias = np.zeros_like(self.bias)
        self.running_mean = np.zeros(self.num_features, dtype)
        self.running_var = np.ones(self.num_features, dtype)
        self.num_batches_tracked = 0
        self.cache = None

    def forward(self, x):
        x = self.check_input(x)
        if self.training:
            mean, var = x.mean(axis=0), x.var(axis=0)
            self.update_running_stats(mean, var, len(x))
        else:
            mean, var = self.running_mean, self.running_var
        inv_std = 1 / np.sqrt(var + self.eps)
        x_hat = (x - mean) * inv_std
        self.cache = (x_hat, inv_std, self.training)
        return x_hat * self.weight + self.bias

    def update_running_stats(self, mean, var, n):
        self.num_batches_tracked += 1
        m = 1 / self.num_batches_tracked if self.momentum is None else self.momentum
        self.running_mean *= 1 - m
        self.running_mean += m * mean
        self.running_var *= 1 - m
        self.running_var += m * var * (n / (n - 1))

    def backward(self, grad_y):
        delta = self.check_grad(grad_y)
        x_hat, inv_std, training = self.cache
        np.sum(delta * x_hat, axis=0, out=self.grad_weight)  # ∂L/∂γ = Σₙ δₙ ⊙ x̂ₙ
        np.sum(delta, axis=0, out=self.grad_bias)  # ∂L/∂β = Σₙ δₙ
        g = delta * self.weight
        if training:
            g = g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)
        return g * inv_std

    def check_shape(self, shape):
        if shape[1] != self.num_features:
            raise ValueError(
                f"BatchNorm1d expected input with {self.num_features} features, got shape {shape}"
            )
        if self.training and shape[0] < 2:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {shape}"
            )
        return shape

    def __repr__(self):
        return f"BatchNorm1d({self.num_features}, eps={self.eps}, momentum={self.momentum})"
