r"""Decoupled weight decay (Loshchilov & Hutter, 2019) around any optimiser of this package.

PyTorch has ``AdamW`` but no SGDW; :class:`DecoupledWeightDecay` gives both, and
decoupled decay for every other optimiser too. For plain SGD it is the same update as
L2 decay (torch's ``weight_decay``); with momentum or an adaptive method it is not.
"""

from paramopt.optim.optimizer import Optimizer
from paramopt.validation import check_real

__all__ = ["DecoupledWeightDecay"]


class DecoupledWeightDecay:
    r"""Decoupled weight decay around any optimiser: θ ← θ(1 − γλ), then its step.

    ``optimizer`` is a :mod:`paramopt.optim` optimiser built with ``weight_decay=0``;
    γ is its ``lr`` (read at every step, so a schedule that changes ``lr`` scales the
    decay too, as in torch's AdamW). One call of :meth:`step` does

    .. math::  \theta_{t-1} \leftarrow (1 - \gamma\lambda)\,\theta_{t-1}, \qquad
               \theta_t = \text{optimizer.step}(\nabla f(\theta_{t-1})),

    the gradient being taken at θ_{t-1} *before* the decay. Around ``SGD`` with momentum
    this is SGDW; around ``Adam`` it performs exactly the operations of
    ``AdamW(weight_decay=λ)``.
    """

    def __init__(self, optimizer, weight_decay):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer must be a paramopt.optim optimiser, got {optimizer!r}")
        if getattr(optimizer, "weight_decay", 0.0) != 0:
            raise ValueError(
                "optimizer must have weight_decay=0 (the wrapper applies the decay), got "
                f"weight_decay={optimizer.weight_decay!r}"
            )
        self.optimizer = optimizer
        self.weight_decay = check_real("weight_decay", weight_decay, low=0.0)

    @property
    def params(self):
        """The wrapped optimiser's parameters."""
        return self.optimizer.params

    @property
    def lr(self):
        """γ, the wrapped optimiser's learning rate (setting it sets theirs: a schedule)."""
        return self.optimizer.lr

    @lr.setter
    def lr(self, value):
        self.optimizer.lr = value

    @property
    def state(self):
        """The wrapped optimiser's per-parameter state (the decay itself keeps none)."""
        return self.optimizer.state

    def step(self, grads):
        """Shrink every parameter by (1 − γλ), then take the wrapped optimiser's step."""
        self.optimizer._check_grads(grads)  # bad grads change nothing, not even θ
        shrink = 1 - self.optimizer.lr * self.weight_decay
        if self.weight_decay != 0:
            for theta in self.params:
                theta *= shrink
        self.optimizer.step(grads)

    def __repr__(self):
        return f"DecoupledWeightDecay({self.optimizer!r}, weight_decay={self.weight_decay!r})"
