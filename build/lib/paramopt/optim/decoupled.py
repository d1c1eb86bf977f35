r"""Decoupled weight decay (Loshchilov & Hutter, 2019) around any optimiser of this package.

PyTorch has ``AdamW`` but no SGDW; :class:`DecoupledWeightDecay` gives both, and
decoupled decay for every other optimiser too. For plain SGD it is the same update as
L2 decay (torch's ``weight_decay``); with momentum or an adaptive method it is not.
"""

from paramopt.optim.optimizer import Optimizer, check_state_dict
from paramopt.validation import check_real

__all__ = ["DecoupledWeightDecay"]


def _forwarded(name, doc):
    """A property that reads and writes the wrapped optimiser's attribute ``name``."""

    def get(self):
        return getattr(self.optimizer, name)  # AttributeError if it has none: hasattr is False

    def set_(self, value):
        if name != "initial_lr" and not hasattr(self.optimizer, name):
            raise AttributeError(f"{type(self.optimizer).__name__} has no {name}")
        setattr(self.optimizer, name, value)

    return property(get, set_, doc=doc)


class DecoupledWeightDecay(Optimizer):
    r"""Decoupled weight decay around any optimiser: θ ← θ(1 − γλ), then its step.

    input: an optimiser built with ``weight_decay=0`` (its update U, its rate γ),
           λ (weight_decay)
    for t = 1, 2, ...
        g_t ← ∇f(θ_{t-1})                    (taken before the decay)
        θ_{t-1} ← θ_{t-1} (1 - γ λ)          (:meth:`Optimizer._decay`, as in AdamW)
        θ_t ← U(θ_{t-1}, g_t)                (the optimiser's own step)

    γ is the wrapped optimiser's ``lr``, read at every step, so a schedule that changes
    ``lr`` scales the decay too, as in torch's AdamW. Around ``SGD`` with momentum this is
    SGDW; around ``Adam`` it performs exactly the operations of ``AdamW(weight_decay=λ)``.
    ``params``, ``state``, ``lr``, ``initial_lr`` and (if it has them) ``momentum`` and
    ``betas`` are the wrapped optimiser's own, so a learning-rate scheduler built on the
    wrapper sets the rate the step uses; each step checks the gradients once, and a
    rejected step changes nothing.
    """

    def __init__(self, optimizer, weight_decay):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer must be a paramopt.optim optimiser, got {optimizer!r}")
        if getattr(optimizer, "weight_decay", 0.0) != 0:
            raise ValueError(
                "optimizer must have weight_decay=0 (the wrapper applies the decay), got "
                f"weight_decay={optimizer.weight_decay!r}"
            )
        self.weight_decay = check_real("weight_decay", weight_decay, low=0.0)
        self.optimizer = optimizer

    @property
    def params(self):
        """The wrapped optimiser's parameters."""
        return self.optimizer.params

    @property
    def state(self):
        """The wrapped optimiser's per-parameter state (the decay itself keeps none)."""
        return self.optimizer.state

    @property
    def lr(self):
        """γ, the wrapped optimiser's learning rate (setting it sets theirs: a schedule)."""
        return self.optimizer.lr

    @lr.setter
    def lr(self, value):
        self.optimizer.lr = value

    initial_lr = _forwarded("initial_lr", "The wrapped optimiser's ``initial_lr``.")
    momentum = _forwarded("momentum", "The wrapped optimiser's ``momentum`` (if it has one).")
    betas = _forwarded("betas", "The wrapped optimiser's ``betas`` (if it has them).")

    def state_dict(self):
        """``{"type": "DecoupledWeightDecay", "weight_decay": λ, "optimizer": its state_dict}``."""
        return {
            "type": type(self).__name__,
            "weight_decay": self.weight_decay,
            "optimizer": self.optimizer.state_dict(),
        }

    def load_state_dict(self, state_dict):
        """Restore λ and the wrapped optimiser; a bad dict raises and changes nothing."""
        check_state_dict(self, state_dict, {"type", "weight_decay", "optimizer"})
        weight_decay = check_real("weight_decay", state_dict["weight_decay"], low=0.0)
        self.optimizer.load_state_dict(state_dict["optimizer"])  # checks all, then writes
        self.weight_decay = weight_decay

    def step(self, grads):
        """Shrink every parameter by (1 − γλ), then take the wrapped optimiser's step."""
        grads = self._check_grads(grads)  # bad grads change nothing, not even θ
        for theta in self.params:
            self._decay(theta, self.weight_decay)
        self.optimizer.step(grads)

    def __repr__(self):
        return f"DecoupledWeightDecay({self.optimizer!r}, weight_decay={self.weight_decay!r})"
