r"""Learning-rate schedulers with ``torch.optim.lr_scheduler``'s names, arguments and rates.

A scheduler takes a paramopt optimiser as its first argument (any of
:mod:`paramopt.optim`, :class:`~paramopt.optim.DecoupledWeightDecay` included) and
writes its ``lr`` (and, with ``cycle_momentum``, its ``momentum`` or ``betas[0]``)::

    opt = paramopt.optim.SGD(params, lr=0.1, momentum=0.9)
    sched = StepLR(opt, step_size=30, gamma=0.1)   # sets the rate of step 0
    for t in range(100):
        opt.step(grads)                            # uses γ_t
        sched.step()                               # sets γ_{t+1}
    sched.get_last_lr()                            # [γ_100]

Notation: γ_t is the rate after t calls of ``step()`` (the rate of optimiser step t + 1),
γ_0 the base rate (``base_lrs[0]``: the optimiser's ``initial_lr``, its ``lr`` when the
first scheduler was built on it). The sequence of rates equals torch's: each class
computes the next rate the way torch's does, from the current rate where torch does so
(the "chainable" form of ``get_lr``, which lets :class:`ChainedScheduler` multiply the
effects of several schedulers), and from γ_0 in ``_get_closed_form_lr`` where torch has
one (:class:`SequentialLR` uses it at a milestone). A rate differs from its formula by
rounding only.

Bad arguments raise ValueError (TypeError for a wrong type) naming the argument and
showing its value, before anything is written. A ``step()`` that fails (a lambda that
raises or returns a negative rate, a :class:`OneCycleLR` past ``total_steps``) leaves
the optimiser and the scheduler as they were.

Checkpoints: ``state_dict()`` returns everything but the optimiser, as plain objects
that pickle; ``load_state_dict(state)`` checks and restores it. As in torch, a
scheduler's checkpoint does not hold the optimiser's rate: save and load both, into a
freshly built optimiser and scheduler::

    checkpoint = {"optimizer": opt.state_dict(), "scheduler": sched.state_dict()}
    ...
    opt = paramopt.optim.SGD(params, lr=0.1, momentum=0.9)
    sched = StepLR(opt, step_size=30, gamma=0.1)
    opt.load_state_dict(checkpoint["optimizer"])
    sched.load_state_dict(checkpoint["scheduler"])

Left out of torch's API: ``step(epoch)`` (deprecated in torch; only
:class:`CosineAnnealingWarmRestarts` keeps it, as torch documents it there), torch's
warnings about calling ``scheduler.step()`` before ``optimizer.step()``, and param groups
(a paramopt optimiser has one rate, so every list here has one entry).
"""

import copy
import math
import numbers
import types
from bisect import bisect_right
from collections import Counter

from paramopt.optim.optimizer import Optimizer, check_state_dict
from paramopt.validation import check_flag, check_increasing, check_int, check_real

__all__ = [
    "LRScheduler",
    "LambdaLR",
    "MultiplicativeLR",
    "StepLR",
    "MultiStepLR",
    "ConstantLR",
    "LinearLR",
    "ExponentialLR",
    "SequentialLR",
    "PolynomialLR",
    "CosineAnnealingLR",
    "ChainedScheduler",
    "ReduceLROnPlateau",
    "CyclicLR",
    "CosineAnnealingWarmRestarts",
    "OneCycleLR",
]

#: the optimiser attributes a scheduler may write, restored if a step fails
_WRITTEN = ("lr", "initial_lr", "momentum", "betas")


def check_last_epoch(last_epoch, optimizer):
    """``last_epoch`` as an int ≥ -1; resuming (≠ -1) needs the optimiser's initial_lr."""
    last_epoch = check_int("last_epoch", last_epoch, low=-1)
    if last_epoch != -1 and optimizer.initial_lr is None:
        raise ValueError(
            f"last_epoch={last_epoch} resumes a schedule, but the optimiser has no "
            "initial_lr (load its state_dict first, or use last_epoch=-1)"
        )
    return last_epoch


def check_optimizer(optimizer):
    """Return ``optimizer`` after checking it is a paramopt optimiser (TypeError if not)."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a paramopt.optim optimiser, got {optimizer!r}")
    return optimizer


def one_value(name, value, check):
    """A per-group argument: a number, or a list/tuple of one number (one param group)."""
    if isinstance(value, list | tuple):
        if len(value) != 1:
            raise ValueError(
                f"{name} must have one value per param group (a paramopt optimiser has one), "
                f"got {value!r}"
            )
        return check(f"{name}[0]", value[0])
    return check(name, value)


def check_choice(name, value, choices):
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"Invalid {name}: {value!r} (choose from {sorted(choices)})")
    return value


def momentum_attribute(optimizer, base_momentum, max_momentum):
    """``"betas"`` or ``"momentum"``: what ``cycle_momentum`` writes, as torch chooses it.

    Also checks the momenta (in [0, 1) for β1, >= 0 for a momentum) and returns them.
    """
    if hasattr(optimizer, "betas"):
        attribute, high = "betas", 1.0
    elif hasattr(optimizer, "momentum"):
        attribute, high = "momentum", None
        if optimizer.momentum == 0:
            raise ValueError(
                f"cycle_momentum=True needs an optimiser built with momentum > 0 (its momentum "
                f"state is made at construction), got {type(optimizer).__name__} with "
                f"momentum={optimizer.momentum!r}: build it with momentum or pass "
                "cycle_momentum=False"
            )
    else:
        raise ValueError(
            "optimizer must support momentum or beta1 with `cycle_momentum` option enabled, "
            f"got {type(optimizer).__name__} (pass cycle_momentum=False)"
        )

    def check(name, value):
        return check_real(name, value, low=0.0, high=high, high_open=True)

    return (
        attribute,
        one_value("base_momentum", base_momentum, check),
        one_value("max_momentum", max_momentum, check),
    )


def set_momentum(optimizer, attribute, value):
    if attribute == "betas":
        optimizer.betas = (value, *optimizer.betas[1:])
    else:
        optimizer.momentum = value


class _Unchanged:
    """On an exception, put back the optimiser's rates and the schedulers' attributes."""

    def __init__(self, optimizer, schedulers=()):
        self.optimizer = optimizer
        self.schedulers = []
        todo = list(schedulers)
        while todo:
            scheduler = todo.pop()
            self.schedulers.append(scheduler)
            todo.extend(scheduler.__dict__.get("_schedulers", ()))

    def __enter__(self):
        self.rates = {k: getattr(self.optimizer, k) for k in _WRITTEN if hasattr(self.optimizer, k)}
        self.saved = [dict(s.__dict__) for s in self.schedulers]

    def __exit__(self, kind, error, traceback):
        if kind is not None:
            for key, value in self.rates.items():
                setattr(self.optimizer, key, value)
            for scheduler, saved in zip(self.schedulers, self.saved, strict=True):
                scheduler.__dict__.clear()
                scheduler.__dict__.update(saved)
        return False


class LRScheduler:
    """Base class of the schedulers (as ``torch.optim.lr_scheduler.LRScheduler``).

    ``base_lrs`` is ``[γ_0]``: the optimiser's ``initial_lr``, which the first scheduler
    built on it sets to its ``lr`` (later ones keep it, as torch's ``setdefault`` does).
    ``last_epoch`` is t, the number of ``step()`` calls so far. ``last_epoch=k`` ≥ 0 in
    the constructor resumes torch's legacy way (the optimiser must have ``initial_lr``);
    prefer :meth:`load_state_dict`.

    A subclass computes the next rates in :meth:`get_lr` (chainable form, from the
    optimiser's current ``lr``) and may give ``_get_closed_form_lr`` (from ``base_lrs``).
    """

    _is_initial = False
    use_beta1 = False  # with cycle_momentum: write betas[0] (True) or momentum (False)
    #: attributes that name a choice, and the choices (checked by load_state_dict)
    _CHOICES = {}

    def __init__(self, optimizer, last_epoch=-1):
        check_optimizer(optimizer)
        last_epoch = check_last_epoch(last_epoch, optimizer)
        with _Unchanged(optimizer):
            if optimizer.initial_lr is None:
                optimizer.initial_lr = optimizer.lr
            self.optimizer = optimizer
            self.base_lrs = [optimizer.initial_lr]
            self.last_epoch = last_epoch
            self._initial_step()

    def _initial_step(self):
        """Set the rate of step 0 (``step()`` with the ``_is_initial`` flag, as torch)."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            del self._is_initial  # back to the class's False

    def get_last_lr(self):
        """The rates the last ``step()`` (or the constructor) set: ``[γ_t]``."""
        return list(self._last_lr)

    def get_lr(self):
        """The next rates, computed by ``step()``; to read the current one use get_last_lr."""
        raise NotImplementedError

    def _values(self):
        """``(rates, momenta or None)`` for the next step; momenta only with cycle_momentum."""
        return self.get_lr(), None

    def step(self):
        """Advance the schedule by one: t ← t + 1, and write γ_t into the optimiser.

        Call it after ``optimizer.step(grads)``, as in torch.
        """
        with _Unchanged(self.optimizer, [self]):
            self._step_count += 1
            self._update_lr()

    def _update_lr(self, epoch=None):
        if epoch is None:
            self.last_epoch += 1
            rates, momenta = self._values()
        else:
            self.last_epoch = epoch
            if hasattr(self, "_get_closed_form_lr"):
                rates, momenta = self._get_closed_form_lr(), None
            else:
                rates, momenta = self._values()
        self._write(rates, momenta)

    def _write(self, rates, momenta=None):
        (rate,) = rates
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real):
            raise TypeError(
                f"{type(self).__name__} computed a learning rate that is not a number at "
                f"last_epoch={self.last_epoch}: {rate!r}"
            )
        if not math.isfinite(rate):  # a negative rate is torch's too (OneCycleLR's γ_N)
            raise ValueError(
                f"{type(self).__name__} computed lr={rate!r} at last_epoch={self.last_epoch}: "
                "a learning rate must be finite"
            )
        if momenta is not None:
            set_momentum(self.optimizer, "betas" if self.use_beta1 else "momentum", momenta[0])
        self.optimizer.lr = float(rate)
        self._last_lr = [self.optimizer.lr]

    # -- checkpoints

    def _unsaved(self):
        """Attributes that are not state: the optimiser, and what load_state_dict keeps."""
        return {"optimizer"}

    def state_dict(self):
        """Every attribute but the optimiser, as plain objects that pickle (deep copies).

        A ``"type"`` entry names the class; nested schedulers are saved as their own
        ``state_dict()``; callables are saved as torch does (see :class:`LambdaLR`).
        """
        state = {
            key: copy.deepcopy(value)
            for key, value in self.__dict__.items()
            if key not in self._unsaved()
        }
        return {"type": type(self).__name__, **state}

    def load_state_dict(self, state_dict):
        """Restore what :meth:`state_dict` saved; a bad dict raises and changes nothing.

        As in torch, the optimiser's ``lr`` is not part of it: load the optimiser's own
        ``state_dict`` too.
        """
        self._check(state_dict, self.state_dict())
        self._load(state_dict)

    def _check(self, state_dict, current):
        """Check ``state_dict`` entry by entry against ``current``, what this saves now."""
        check_state_dict(self, state_dict, set(current))
        for key, value in state_dict.items():
            check_like(f"state_dict[{key!r}]", value, current[key], self._CHOICES.get(key))

    def _load(self, state_dict):
        for key in ("last_epoch", "_step_count"):
            if key in state_dict:
                check_int(f"state_dict[{key!r}]", state_dict[key], low=-1)
        for key, value in state_dict.items():
            if key != "type":
                setattr(self, key, copy.deepcopy(value))

    def __repr__(self):
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, lr={self._last_lr[0]!r})"


def check_like(name, value, current, choices=None):
    """Check that a loaded ``value`` has the kind of ``current``: same types, same lengths."""

    def fail(expected):
        raise ValueError(f"{name} must be {expected}, got {value!r}")

    if choices is not None:
        check_choice(name, value, choices)
    elif isinstance(current, bool):
        if not isinstance(value, bool):
            fail("True or False")
    elif isinstance(current, numbers.Real):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            fail("a number")
    elif isinstance(current, dict):
        if not isinstance(value, dict) or type(value) is not type(current):
            fail(f"a {type(current).__name__}")
        for key, item in value.items():
            like = current.get(key, next(iter(current.values()), item))
            check_like(f"{name}[{key!r}]", item, like)
    elif isinstance(current, list | tuple):
        if not isinstance(value, list | tuple) or len(value) != len(current):
            fail(f"a list of {len(current)}")
        for i, (item, like) in enumerate(zip(value, current, strict=True)):
            check_like(f"{name}[{i}]", item, like)
    elif current is None:
        if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
            fail("None or a number")
    elif isinstance(current, str) and value != current:
        fail(repr(current))


def factor(lr_lambda, epoch):
    """``lr_lambda(epoch)``, checked to be a real number."""
    value = lr_lambda(epoch)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"lr_lambda({epoch}) must return a number, got {value!r}")
    return value


def check_lambdas(lr_lambda, check_callable):
    if isinstance(lr_lambda, list | tuple):
        if len(lr_lambda) != 1:
            raise ValueError(
                f"Expected 1 lr_lambdas (one per param group), but got {len(lr_lambda)}: "
                f"{lr_lambda!r}"
            )
        lambdas = list(lr_lambda)
    else:
        lambdas = [lr_lambda]
    if check_callable and not callable(lambdas[0]):
        raise TypeError(f"lr_lambda must be a function of the epoch, got {lambdas[0]!r}")
    return lambdas


class _LambdaState(LRScheduler):
    """Checkpoints of a scheduler that holds ``lr_lambdas``, as torch saves them."""

    def _unsaved(self):
        return {"optimizer", "lr_lambdas"}

    def state_dict(self):
        state = super().state_dict()
        state["lr_lambdas"] = [
            None if isinstance(fn, types.FunctionType) else copy.deepcopy(fn.__dict__)
            for fn in self.lr_lambdas
        ]
        return state

    def load_state_dict(self, state_dict):
        saved = state_dict.get("lr_lambdas") if isinstance(state_dict, dict) else None
        if not isinstance(saved, list) or len(saved) != len(self.lr_lambdas):
            raise ValueError(
                f"state_dict['lr_lambdas'] must be a list of {len(self.lr_lambdas)}, got {saved!r}"
            )
        for i, (fn, attrs) in enumerate(zip(self.lr_lambdas, saved, strict=True)):
            if attrs is not None and (
                isinstance(fn, types.FunctionType)
                or not isinstance(attrs, dict)
                or not hasattr(fn, "__dict__")
            ):
                raise ValueError(
                    f"state_dict['lr_lambdas'][{i}] holds the attributes of a callable "
                    f"object, but this scheduler's lr_lambda is {fn!r}"
                )
        rest = {k: v for k, v in state_dict.items() if k != "lr_lambdas"}
        self._check(rest, super().state_dict())
        self._load(rest)
        for fn, attrs in zip(self.lr_lambdas, saved, strict=True):
            if attrs is not None:
                fn.__dict__.update(copy.deepcopy(attrs))


class LambdaLR(_LambdaState):
    r"""The base rate times a function of t (as ``torch.optim.lr_scheduler.LambdaLR``).

        γ_t = γ_0 · λ(t)            λ = ``lr_lambda``, called with the int t = 0, 1, 2, ...

    ``lr_lambda`` is a function, or a list with one function (one param group).

    Checkpoints: as torch, :meth:`state_dict` saves a lambda only if it is a callable
    *object* (an instance of a class with ``__call__``), and then only its ``__dict__``:
    a function or ``lambda`` is saved as None and must be passed again to the
    constructor; :meth:`load_state_dict` updates the callable object's ``__dict__``.
    """

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        check_optimizer(optimizer)
        self.lr_lambdas = check_lambdas(lr_lambda, check_callable=True)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [
            base_lr * factor(lmbda, self.last_epoch)
            for lmbda, base_lr in zip(self.lr_lambdas, self.base_lrs, strict=True)
        ]


class MultiplicativeLR(_LambdaState):
    r"""The current rate times a function of t (as torch's ``MultiplicativeLR``).

        γ_0 = γ_0 (the optimiser's rate),   γ_t = γ_{t-1} · λ(t)   for t ≥ 1

    ``lr_lambda`` is a function, or a list with one function. Checkpoints: as
    :class:`LambdaLR` (a function is not saved, a callable object's ``__dict__`` is).
    """

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        check_optimizer(optimizer)
        self.lr_lambdas = check_lambdas(lr_lambda, check_callable=True)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial:
            return [self.optimizer.lr]
        return [self.optimizer.lr * factor(lmbda, self.last_epoch) for lmbda in self.lr_lambdas]


class StepLR(LRScheduler):
    r"""Multiply the rate by ``gamma`` every ``step_size`` steps (as torch's ``StepLR``).

        γ_t = γ_0 · gamma^⌊t / step_size⌋

    computed as γ_t = γ_{t-1} · gamma when t is a positive multiple of ``step_size``,
    else γ_t = γ_{t-1}. ``step_size`` is an int ≥ 1, ``gamma`` > 0.
    """

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size = check_int("step_size", step_size, low=1)
        self.gamma = check_real("gamma", gamma, low=0.0, low_open=True)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return [self.optimizer.lr]
        return [self.optimizer.lr * self.gamma]

    def _get_closed_form_lr(self):
        return [
            base_lr * self.gamma ** (self.last_epoch // self.step_size) for base_lr in self.base_lrs
        ]


class MultiStepLR(LRScheduler):
    r"""Multiply the rate by ``gamma`` at each milestone (as torch's ``MultiStepLR``).

        γ_t = γ_0 · gamma^(number of milestones m ≤ t, counted with repetition)

    ``milestones`` are ints ≥ 0 in any order; as in torch they form a multiset (a
    ``collections.Counter``): a milestone given twice multiplies by gamma² there, and a
    milestone 0 already scales the rate of step 0. Computed as γ_t = γ_{t-1} ·
    gamma^(count of t). ``gamma`` > 0.
    """

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        if isinstance(milestones, str) or not hasattr(milestones, "__iter__"):
            raise TypeError(f"milestones must be a sequence of ints, got {milestones!r}")
        milestones = list(milestones)
        for i, milestone in enumerate(milestones):
            check_int(f"milestones[{i}]", milestone, low=0)
        self.milestones = Counter(int(m) for m in milestones)
        self.gamma = check_real("gamma", gamma, low=0.0, low_open=True)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch not in self.milestones:
            return [self.optimizer.lr]
        return [self.optimizer.lr * self.gamma ** self.milestones[self.last_epoch]]

    def _get_closed_form_lr(self):
        milestones = sorted(self.milestones.elements())
        return [
            base_lr * self.gamma ** bisect_right(milestones, self.last_epoch)
            for base_lr in self.base_lrs
        ]


class ConstantLR(LRScheduler):
    r"""A constant fraction of the rate until ``total_iters`` (as torch's ``ConstantLR``).

        γ_t = γ_0 · factor   for t < total_iters,     γ_t = γ_0   for t ≥ total_iters

    computed as γ_0 · factor at t = 0 and γ_{t-1} / factor at t = total_iters.
    ``factor`` in (0, 1] (torch also accepts 0, then divides by it at ``total_iters``),
    ``total_iters`` an int ≥ 1.
    """

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1):
        self.factor = check_real("factor", factor, low=0.0, high=1.0, low_open=True)
        self.total_iters = check_int("total_iters", total_iters, low=1)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0:
            return [self.optimizer.lr * self.factor]
        if self.last_epoch != self.total_iters:
            return [self.optimizer.lr]
        return [self.optimizer.lr * (1.0 / self.factor)]

    def _get_closed_form_lr(self):
        return [
            base_lr * (self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor))
            for base_lr in self.base_lrs
        ]


class LinearLR(LRScheduler):
    r"""A factor that moves linearly from ``start_factor`` to ``end_factor`` (as torch's).

        γ_t = γ_0 · (s + (e - s) · min(t, T) / T)      s, e = start_factor, end_factor,
                                                        T = total_iters

    computed as γ_t = γ_{t-1} · (1 + (e - s) / (T s + (t - 1)(e - s))) for 1 ≤ t ≤ T.
    ``start_factor`` in (0, 1], ``end_factor`` in [0, 1], ``total_iters`` an int ≥ 1. The
    usual warm-up: ``LinearLR(opt, start_factor=0.01, total_iters=k)``.
    """

    def __init__(
        self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5, last_epoch=-1
    ):
        self.start_factor = check_real(
            "start_factor", start_factor, low=0.0, high=1.0, low_open=True
        )
        self.end_factor = check_real("end_factor", end_factor, low=0.0, high=1.0)
        self.total_iters = check_int("total_iters", total_iters, low=1)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0:
            return [self.optimizer.lr * self.start_factor]
        if self._is_initial or self.last_epoch > self.total_iters:
            return [self.optimizer.lr]
        s, e = self.start_factor, self.end_factor
        return [
            self.optimizer.lr
            * (1.0 + (e - s) / (self.total_iters * s + (self.last_epoch - 1) * (e - s)))
        ]

    def _get_closed_form_lr(self):
        s, e = self.start_factor, self.end_factor
        return [
            base_lr * (s + (e - s) * min(self.total_iters, self.last_epoch) / self.total_iters)
            for base_lr in self.base_lrs
        ]


class ExponentialLR(LRScheduler):
    r"""Multiply the rate by ``gamma`` at every step (as torch's ``ExponentialLR``).

    γ_t = γ_0 · gamma^t              (computed as γ_t = γ_{t-1} · gamma), gamma > 0
    """

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = check_real("gamma", gamma, low=0.0, low_open=True)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial:
            return [self.optimizer.lr]
        return [self.optimizer.lr * self.gamma]

    def _get_closed_form_lr(self):
        return [base_lr * self.gamma**self.last_epoch for base_lr in self.base_lrs]


class PolynomialLR(LRScheduler):
    r"""Decay to 0 along a polynomial in ``total_iters`` steps (as torch's ``PolynomialLR``).

        γ_t = γ_0 · (1 - min(t, T) / T)^p          T = total_iters, p = power

    computed as γ_t = γ_{t-1} · ((1 - t/T) / (1 - (t-1)/T))^p for 1 ≤ t ≤ T; after T
    the rate stays 0. ``total_iters`` an int ≥ 1, ``power`` ≥ 0.
    """

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1):
        self.total_iters = check_int("total_iters", total_iters, low=1)
        self.power = check_real("power", power, low=0.0)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial or self.last_epoch > self.total_iters:
            return [self.optimizer.lr]
        t, total = self.last_epoch, self.total_iters
        decay_factor = ((1.0 - t / total) / (1.0 - (t - 1) / total)) ** self.power
        return [self.optimizer.lr * decay_factor]

    def _get_closed_form_lr(self):
        return [
            base_lr
            * (1.0 - min(self.total_iters, self.last_epoch) / self.total_iters) ** self.power
            for base_lr in self.base_lrs
        ]


class CosineAnnealingLR(LRScheduler):
    r"""Cosine annealing from γ_0 to γ_min in ``T_max`` steps (as torch's).

        γ_t = γ_min + (γ_0 - γ_min) · (1 + cos(π t / T_max)) / 2      (closed form)

    γ_min = ``eta_min``. What ``step()`` computes is torch's recursive form, from the
    current rate:

        γ_t = γ_min + (γ_{t-1} - γ_min) · (1 + cos(π t / T_max)) / (1 + cos(π (t-1) / T_max))
        γ_t = γ_{t-1} + (γ_0 - γ_min) · (1 - cos(π / T_max)) / 2     if (t - 1 - T_max) is a
                                                                     multiple of 2 T_max

    Both agree (up to rounding) while nothing else changes the rate, and neither stops at
    ``T_max``: past it the rate rises again, back to γ_0 at 2 T_max, a cosine of period
    2 T_max (no restart: see :class:`CosineAnnealingWarmRestarts`). The recursive form
    follows other changes of the rate (another scheduler in a :class:`ChainedScheduler`).
    ``T_max`` an int ≥ 1, ``eta_min`` ≥ 0.
    """

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        self.T_max = check_int("T_max", T_max, low=1)
        self.eta_min = check_real("eta_min", eta_min, low=0.0)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t, T, eta_min, lr = self.last_epoch, self.T_max, self.eta_min, self.optimizer.lr
        if self._is_initial:
            return [lr]
        if self._step_count == 1 and t > 0:
            return [
                eta_min + (base_lr - eta_min) * (1 + math.cos(t * math.pi / T)) / 2
                for base_lr in self.base_lrs
            ]
        if (t - 1 - T) % (2 * T) == 0:
            return [
                lr + (base_lr - eta_min) * (1 - math.cos(math.pi / T)) / 2
                for base_lr in self.base_lrs
            ]
        return [
            (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T)) * (lr - eta_min)
            + eta_min
        ]

    def _get_closed_form_lr(self):
        return [
            self.eta_min
            + (base_lr - self.eta_min) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
            for base_lr in self.base_lrs
        ]


def check_schedulers(owner, schedulers, optimizer):
    """Check a list of schedulers of one optimiser, none a ReduceLROnPlateau."""
    if isinstance(schedulers, str) or not isinstance(schedulers, list | tuple):
        raise TypeError(f"schedulers must be a list of schedulers, got {schedulers!r}")
    if len(schedulers) < 1:
        raise ValueError(f"{owner} expects at least one scheduler, but got schedulers=[]")
    for i, scheduler in enumerate(schedulers):
        if not isinstance(scheduler, LRScheduler):
            raise TypeError(f"schedulers[{i}] must be a scheduler, got {scheduler!r}")
        if isinstance(scheduler, ReduceLROnPlateau):
            raise ValueError(
                f"{owner} does not support ReduceLROnPlateau (its step needs a metric), but "
                f"schedulers[{i}] is one"
            )
        if optimizer is None:
            optimizer = scheduler.optimizer
        if scheduler.optimizer is not optimizer:
            raise ValueError(
                f"{owner} expects all schedulers to belong to the same optimizer, but "
                f"schedulers[{i}] ({type(scheduler).__name__}) has {scheduler.optimizer!r}, "
                f"not {optimizer!r}"
            )
    return list(schedulers)


class _Composite(LRScheduler):
    """Checkpoints of a scheduler made of ``_schedulers``: each saved as its state_dict."""

    def _unsaved(self):
        return {"optimizer", "_schedulers"}

    def state_dict(self):
        state = super().state_dict()
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict):
        saved = state_dict.get("_schedulers") if isinstance(state_dict, dict) else None
        if not isinstance(saved, list) or len(saved) != len(self._schedulers):
            raise ValueError(
                f"state_dict['_schedulers'] must be a list of {len(self._schedulers)} "
                f"state_dicts, got {saved!r}"
            )
        rest = {k: v for k, v in state_dict.items() if k != "_schedulers"}
        self._check(rest, super().state_dict())
        with _Unchanged(self.optimizer, self._schedulers):  # all of them, or none
            for scheduler, state in zip(self._schedulers, saved, strict=True):
                scheduler.load_state_dict(state)
        self._load(rest)


class SequentialLR(_Composite):
    r"""Run ``schedulers`` one after the other, switching at ``milestones`` (as torch's).

        γ_t = (rate of schedulers[i] at t - m_i)      for m_i ≤ t < m_{i+1}  (m_0 = 0)

    As in torch: building it puts the optimiser back to its ``initial_lr`` and undoes the
    step each scheduler took when it was built; at milestone m_i, schedulers[i] is set to
    t = 0 and starts over from the base rate γ_0, not from the rate the previous scheduler
    reached (its ``_get_closed_form_lr`` at 0; one without a closed form computes its
    rate at 0 with ``get_lr``: LambdaLR, CyclicLR and OneCycleLR from γ_0 too,
    CosineAnnealingWarmRestarts from its T_cur, which is not reset, and MultiplicativeLR
    as the current rate times λ(0)). ``milestones`` are increasing ints ≥ 1, one fewer
    than ``schedulers``; all schedulers belong to ``optimizer``.
    """

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1):
        check_optimizer(optimizer)
        name = type(self).__name__
        self._schedulers = check_schedulers(name, schedulers, optimizer)
        if isinstance(milestones, str) or not hasattr(milestones, "__len__"):
            raise TypeError(f"milestones must be a list of ints, got {milestones!r}")
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                f"{name} expects one milestone fewer than schedulers, got {len(schedulers)} "
                f"schedulers and milestones={list(milestones)!r}"
            )
        self._milestones = (
            check_increasing("milestones", milestones, check=lambda n, v: check_int(n, v, low=1))
            if milestones
            else []
        )
        last_epoch = check_int("last_epoch", last_epoch, low=-1)
        self.optimizer = optimizer
        with _Unchanged(optimizer, self._schedulers):
            self.last_epoch = last_epoch + 1
            optimizer.lr = optimizer.initial_lr
            self.recursive_undo()
            idx = bisect_right(self._milestones, 0)
            self._schedulers[idx]._initial_step()
            self._last_lr = self._schedulers[idx].get_last_lr()

    def recursive_undo(self, sched=None):
        """Take back the step each (nested) scheduler made when it was built, as torch."""
        scheds = self if sched is None else sched
        if hasattr(scheds, "_schedulers"):
            for s in scheds._schedulers:
                self.recursive_undo(s)
        elif hasattr(scheds, "last_epoch"):
            scheds.last_epoch -= 1

    def step(self):
        with _Unchanged(self.optimizer, [self]):
            self.last_epoch += 1
            idx = bisect_right(self._milestones, self.last_epoch)
            scheduler = self._schedulers[idx]
            if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
                scheduler._update_lr(0)
            else:
                scheduler.step()
            self._last_lr = scheduler.get_last_lr()

    def __repr__(self):
        inner = ", ".join(type(s).__name__ for s in self._schedulers)
        milestones = self._milestones
        return f"SequentialLR([{inner}], {milestones=}, last_epoch={self.last_epoch})"


class ChainedScheduler(_Composite):
    r"""Step every scheduler in turn at every step (as torch's ``ChainedScheduler``).

    Each applies its chainable (recursive) form to the rate the previous one left, so
    their factors multiply: ExponentialLR(gamma=0.9) chained with StepLR(step_size=10,
    gamma=0.5) gives γ_t = γ_0 · 0.9^t · 0.5^⌊t/10⌋. ``optimizer`` defaults to the
    first scheduler's; all schedulers must belong to it.
    """

    def __init__(self, schedulers, optimizer=None):
        if optimizer is not None:
            check_optimizer(optimizer)
        self._schedulers = check_schedulers(type(self).__name__, schedulers, optimizer)
        self.optimizer = self._schedulers[0].optimizer
        self._last_lr = [self.optimizer.lr]

    def step(self):
        with _Unchanged(self.optimizer, [self]):
            for scheduler in self._schedulers:
                scheduler.step()
            self._last_lr = [self.optimizer.lr]

    def __repr__(self):
        inner = ", ".join(type(s).__name__ for s in self._schedulers)
        return f"ChainedScheduler([{inner}])"


class ReduceLROnPlateau(LRScheduler):
    r"""Reduce the rate when a metric stops improving (as torch's ``ReduceLROnPlateau``).

    Call ``step(metric)`` once per evaluation. With mode "min" the metric a improves on
    the best b if a < b (1 - threshold) (threshold_mode "rel") or a < b - threshold
    ("abs"); mode "max": a > b (1 + threshold) or a > b + threshold. After more than
    ``patience`` steps in a row without improvement:

        γ ← max(γ · factor, γ_min)     if that lowers γ by more than ``eps``

    then ``cooldown`` steps in which bad steps are not counted. The best starts at +∞
    ("min") or −∞ ("max"). ``factor`` in [0, 1), ``patience`` and ``cooldown`` ints ≥ 0,
    ``threshold``, ``min_lr`` (γ_min; or a list of one) and ``eps`` ≥ 0. ``metric`` is a
    real number; NaN counts as no improvement, as in torch.
    """

    _CHOICES = {"mode": {"min", "max"}, "threshold_mode": {"rel", "abs"}}

    def __init__(
        self,
        optimizer,
        mode="min",
        factor=0.1,
        patience=10,
        threshold=1e-4,
        threshold_mode="rel",
        cooldown=0,
        min_lr=0,
        eps=1e-8,
    ):
        check_optimizer(optimizer)
        self.factor = check_real("factor", factor, low=0.0, high=1.0, high_open=True)
        per_group = isinstance(min_lr, list | tuple)
        min_lr = one_value("min_lr", min_lr, lambda n, v: check_real(n, v, low=0.0))
        self.default_min_lr = None if per_group else min_lr
        self.min_lrs = [min_lr]
        self.patience = check_int("patience", patience, low=0)
        self.cooldown = check_int("cooldown", cooldown, low=0)
        self.eps = check_real("eps", eps, low=0.0)
        self.mode = check_choice("mode", mode, self._CHOICES["mode"])
        self.threshold = check_real("threshold", threshold, low=0.0)
        self.threshold_mode = check_choice(
            "threshold_mode", threshold_mode, self._CHOICES["threshold_mode"]
        )
        self.mode_worse = math.inf if self.mode == "min" else -math.inf
        self.optimizer = optimizer
        self.last_epoch = 0
        self._last_lr = [optimizer.lr]
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def step(self, metrics):
        """Record one value of the metric; reduce the rate after a plateau."""
        if isinstance(metrics, bool) or not isinstance(metrics, numbers.Real):
            if not (hasattr(metrics, "ndim") and metrics.ndim == 0 and metrics.dtype.kind in "fiu"):
                raise TypeError(f"metrics must be a real number, got {metrics!r}")
        current = float(metrics)
        self.last_epoch += 1
        if self.is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            old_lr = float(self.optimizer.lr)
            new_lr = max(old_lr * self.factor, self.min_lrs[0])
            if old_lr - new_lr > self.eps:
                self.optimizer.lr = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [self.optimizer.lr]

    @property
    def in_cooldown(self):
        """Whether the scheduler is cooling down after a reduction (bad steps not counted)."""
        return self.cooldown_counter > 0

    def is_better(self, a, best):
        """Whether the metric value ``a`` improves on ``best`` (mode and threshold)."""
        if self.mode == "min" and self.threshold_mode == "rel":
            return a < best * (1.0 - self.threshold)
        if self.mode == "min" and self.threshold_mode == "abs":
            return a < best - self.threshold
        if self.mode == "max" and self.threshold_mode == "rel":
            return a > best * (self.threshold + 1.0)
        return a > best + self.threshold

    def load_state_dict(self, state_dict):
        super().load_state_dict(state_dict)
        self.mode_worse = math.inf if self.mode == "min" else -math.inf

    def __repr__(self):
        return (
            f"ReduceLROnPlateau(mode={self.mode!r}, factor={self.factor!r}, "
            f"patience={self.patience!r}, lr={self._last_lr[0]!r})"
        )


class CyclicLR(LRScheduler):
    r"""Cyclical learning rate, between ``base_lr`` and ``max_lr`` (as torch's ``CyclicLR``).

    With a cycle of up = ``step_size_up`` and down = ``step_size_down`` (default: up)
    steps, c = ⌊1 + t / (up + down)⌋ the cycle and x = 1 + t / (up + down) - c ∈ [0, 1):

        h = x / r              if x ≤ r = up / (up + down)   (rising)
        h = (x - 1) / (r - 1)  otherwise                     (falling)
        γ_t = base_lr + (max_lr - base_lr) · h · s

    with the scale s = 1 ("triangular"), 1 / 2^(c-1) ("triangular2", the height halves
    every cycle), gamma^t ("exp_range"), or ``scale_fn(c)`` / ``scale_fn(t)`` (by
    ``scale_mode``) if ``scale_fn`` is given. ``base_lr`` becomes γ_0 and the
    optimiser's rate at construction.

    With ``cycle_momentum`` (the default) the momentum moves the other way:
    μ_t = max_momentum - (max_momentum - base_momentum) · h · s, written into the
    optimiser's ``momentum`` (SGD, RMSprop; it must have been built with momentum > 0)
    or, for Adam and AdamW, the first of its ``betas``, as torch does. An optimiser with
    neither (Adagrad) needs ``cycle_momentum=False``.

    Checkpoints: a ``scale_fn`` that is a function is not saved (pass it again); a
    callable object's ``__dict__`` is, as in torch.
    """

    _CHOICES = {
        "mode": {"triangular", "triangular2", "exp_range"},
        "scale_mode": {"cycle", "iterations"},
    }

    def __init__(
        self,
        optimizer,
        base_lr,
        max_lr,
        step_size_up=2000,
        step_size_down=None,
        mode="triangular",
        gamma=1.0,
        scale_fn=None,
        scale_mode="cycle",
        cycle_momentum=True,
        base_momentum=0.8,
        max_momentum=0.9,
        last_epoch=-1,
    ):
        check_optimizer(optimizer)

        def rate(name, value):
            return check_real(name, value, low=0.0)

        def size(name, value):
            return check_real(name, value, low=0.0, low_open=True)

        base_lr = one_value("base_lr", base_lr, rate)
        self.max_lrs = [one_value("max_lr", max_lr, rate)]
        step_size_up = size("step_size_up", step_size_up)
        step_size_down = (
            step_size_up if step_size_down is None else size("step_size_down", step_size_down)
        )
        self.total_size = step_size_up + step_size_down
        self.step_ratio = step_size_up / self.total_size
        if scale_fn is not None and not callable(scale_fn):
            raise TypeError(f"scale_fn must be None or a function, got {scale_fn!r}")
        self.mode = check_choice("mode", mode, self._CHOICES["mode"])
        self.gamma = check_real("gamma", gamma, low=0.0, low_open=True)
        self._scale_fn_custom = scale_fn
        self.scale_mode = check_choice("scale_mode", scale_mode, self._CHOICES["scale_mode"])
        if scale_fn is None:
            self.scale_mode = "iterations" if mode == "exp_range" else "cycle"
        self.cycle_momentum = check_flag("cycle_momentum", cycle_momentum)
        if self.cycle_momentum:
            attribute, base_m, max_m = momentum_attribute(optimizer, base_momentum, max_momentum)
            self.use_beta1 = attribute == "betas"
            self.base_momentums, self.max_momentums = [base_m], [max_m]
        last_epoch = check_int("last_epoch", last_epoch, low=-1)
        with _Unchanged(optimizer):
            if last_epoch == -1:
                optimizer.lr = base_lr
                if self.cycle_momentum:
                    set_momentum(optimizer, attribute, max_m)
            super().__init__(optimizer, last_epoch)
        self.base_lrs = [base_lr]

    def scale_fn(self, x):
        """The scale s of the cycle's height: ``scale_fn(x)`` or the mode's."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma**x

    def get_lr(self):
        return self._values()[0]

    def _values(self):
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            scale_factor = x / self.step_ratio
        else:
            scale_factor = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [
            base_lr + (max_lr - base_lr) * scale_factor * scale
            for base_lr, max_lr in zip(self.base_lrs, self.max_lrs, strict=True)
        ]
        if not self.cycle_momentum:
            return lrs, None
        momenta = [
            max_m - (max_m - base_m) * scale_factor * scale
            for base_m, max_m in zip(self.base_momentums, self.max_momentums, strict=True)
        ]
        return lrs, momenta

    def _unsaved(self):
        return {"optimizer", "_scale_fn_custom"}

    def state_dict(self):
        state = super().state_dict()
        fn = self._scale_fn_custom
        state["_scale_fn_custom"] = (
            None if fn is None or isinstance(fn, types.FunctionType) else copy.deepcopy(fn.__dict__)
        )
        return state

    def load_state_dict(self, state_dict):
        saved = state_dict.get("_scale_fn_custom") if isinstance(state_dict, dict) else None
        fn = self._scale_fn_custom
        if saved is not None and (
            fn is None or isinstance(fn, types.FunctionType) or not isinstance(saved, dict)
        ):
            raise ValueError(
                "state_dict['_scale_fn_custom'] holds the attributes of a callable object, "
                f"but this scheduler's scale_fn is {fn!r}"
            )
        rest = {k: v for k, v in state_dict.items() if k != "_scale_fn_custom"}
        self._check(rest, super().state_dict())
        self._load(rest)
        if saved is not None:
            fn.__dict__.update(copy.deepcopy(saved))


class CosineAnnealingWarmRestarts(LRScheduler):
    r"""Cosine annealing with warm restarts, SGDR (as torch's ``CosineAnnealingWarmRestarts``).

        γ_t = γ_min + (γ_0 - γ_min) · (1 + cos(π T_cur / T_i)) / 2

    T_cur counts the steps since the last restart and T_i is the length of the current
    period: T_0 first, multiplied by ``T_mult`` at each restart (periods T_0, T_0 T_mult,
    T_0 T_mult², ...). At a restart T_cur = 0 and the rate jumps back to γ_0. γ_min =
    ``eta_min`` ≥ 0; ``T_0`` and ``T_mult`` ints ≥ 1.

    ``step(epoch)`` with a (fractional) epoch sets T_cur from it directly, as torch
    documents for this scheduler (``scheduler.step(epoch + i / iters)``).
    """

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        self.T_0 = check_int("T_0", T_0, low=1)
        self.T_i = self.T_0
        self.T_mult = check_int("T_mult", T_mult, low=1)
        self.eta_min = check_real("eta_min", eta_min, low=0.0)
        self.T_cur = check_int("last_epoch", last_epoch, low=-1)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [
            self.eta_min
            + (base_lr - self.eta_min) * (1 + math.cos(math.pi * self.T_cur / self.T_i)) / 2
            for base_lr in self.base_lrs
        ]

    def step(self, epoch=None):
        """Advance T_cur by one (restarting when it reaches T_i), or set it from ``epoch``."""
        if epoch is not None:
            epoch = check_real("epoch", epoch, low=0.0)
        with _Unchanged(self.optimizer, [self]):
            if epoch is None and self.last_epoch < 0:
                epoch = 0
            if epoch is None:
                epoch = self.last_epoch + 1
                self.T_cur = self.T_cur + 1
                if self.T_cur >= self.T_i:
                    self.T_cur = self.T_cur % self.T_i
                    self.T_i = self.T_i * self.T_mult
            elif epoch >= self.T_0:
                if self.T_mult == 1:
                    self.T_cur = epoch % self.T_0
                else:
                    n = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
                    self.T_cur = epoch - self.T_0 * (self.T_mult**n - 1) / (self.T_mult - 1)
                    self.T_i = self.T_0 * self.T_mult**n
            else:
                self.T_i = self.T_0
                self.T_cur = epoch
            self.last_epoch = math.floor(epoch)
            self._write(self.get_lr())


class OneCycleLR(LRScheduler):
    r"""The 1cycle policy (Smith & Topin, 2018), as torch's ``OneCycleLR``.

    The rate starts at γ_0 = max_lr / div_factor, rises to ``max_lr`` over the first
    ``pct_start`` of ``total_steps`` and anneals to γ_min = γ_0 / final_div_factor by
    the end. Each phase goes from a rate a to a rate b as

        cos:     γ = b + (a - b) · (1 + cos(π p)) / 2         p = fraction of the phase
        linear:  γ = a + (b - a) · p

    (``anneal_strategy``). The phases end at steps pct_start·N - 1 and N - 1 (N =
    ``total_steps``, or ``epochs`` × ``steps_per_epoch``); with ``three_phase`` at
    pct_start·N - 1 (γ_0 → max_lr), 2 pct_start·N - 2 (max_lr → γ_0) and N - 1 (γ_0 →
    γ_min). ``step()`` may be called N times in all (γ_N is computed, as in torch, from the
    last phase extended); one more raises a ValueError and changes nothing.

    With ``cycle_momentum`` (the default) the momentum runs the other way, from
    ``max_momentum`` to ``base_momentum`` while the rate rises and back while it falls
    (stays at ``max_momentum`` in the third phase), written into ``momentum`` (SGD,
    RMSprop, built with momentum > 0) or the first of ``betas`` (Adam, AdamW).

    ``max_lr``, ``div_factor``, ``final_div_factor`` > 0; ``pct_start`` a float in
    [0, 1] (a float, as torch requires); momenta in [0, 1) for β1, ≥ 0 otherwise.
    A ``pct_start`` and N whose first phase or last phase has length 0 (torch divides by
    zero there) are rejected.
    """

    _CHOICES = {"_anneal_func_type": {"cos", "linear"}}

    def __init__(
        self,
        optimizer,
        max_lr,
        total_steps=None,
        epochs=None,
        steps_per_epoch=None,
        pct_start=0.3,
        anneal_strategy="cos",
        cycle_momentum=True,
        base_momentum=0.85,
        max_momentum=0.95,
        div_factor=25.0,
        final_div_factor=1e4,
        three_phase=False,
        last_epoch=-1,
    ):
        check_optimizer(optimizer)
        if total_steps is not None:
            self.total_steps = check_int("total_steps", total_steps, low=1)
        elif epochs is not None and steps_per_epoch is not None:
            epochs = check_int("epochs", epochs, low=1)
            steps_per_epoch = check_int("steps_per_epoch", steps_per_epoch, low=1)
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ValueError(
                "You must define either total_steps OR (epochs AND steps_per_epoch), got "
                f"{total_steps=}, {epochs=}, {steps_per_epoch=}"
            )
        if isinstance(pct_start, numbers.Integral):
            raise TypeError(f"pct_start must be a float between 0 and 1, got {pct_start!r}")
        pct_start = check_real("pct_start", pct_start, low=0.0, high=1.0)
        n = self.total_steps
        if three_phase:
            ends = [float(pct_start * n) - 1, float(2 * pct_start * n) - 2, n - 1]
            self._schedule_phases = [
                {"end_step": ends[0], "start_lr": "initial_lr", "end_lr": "max_lr",
                 "start_momentum": "max_momentum", "end_momentum": "base_momentum"},
                {"end_step": ends[1], "start_lr": "max_lr", "end_lr": "initial_lr",
                 "start_momentum": "base_momentum", "end_momentum": "max_momentum"},
                {"end_step": ends[2], "start_lr": "initial_lr", "end_lr": "min_lr",
                 "start_momentum": "max_momentum", "end_momentum": "max_momentum"},
            ]  # fmt: skip
        else:
            ends = [float(pct_start * n) - 1, n - 1]
            self._schedule_phases = [
                {"end_step": ends[0], "start_lr": "initial_lr", "end_lr": "max_lr",
                 "start_momentum": "max_momentum", "end_momentum": "base_momentum"},
                {"end_step": ends[1], "start_lr": "max_lr", "end_lr": "min_lr",
                 "start_momentum": "base_momentum", "end_momentum": "max_momentum"},
            ]  # fmt: skip
        if ends[0] == 0 or ends[-2] == ends[-1]:
            raise ValueError(
                f"pct_start={pct_start!r} with total_steps={n} gives a phase of length 0 "
                "(torch divides by zero there): change pct_start or total_steps"
            )
        self._anneal_func_type = check_choice(
            "anneal_strategy", anneal_strategy, self._CHOICES["_anneal_func_type"]
        )

        def positive(name, value):
            return check_real(name, value, low=0.0, low_open=True)

        max_lr = one_value("max_lr", max_lr, positive)
        div_factor = positive("div_factor", div_factor)
        final_div_factor = positive("final_div_factor", final_div_factor)
        self.three_phase = check_flag("three_phase", three_phase)
        self.cycle_momentum = check_flag("cycle_momentum", cycle_momentum)
        if self.cycle_momentum:
            attribute, base_m, max_m = momentum_attribute(optimizer, base_momentum, max_momentum)
            self.use_beta1 = attribute == "betas"
            self.group = {"max_momentum": max_m, "base_momentum": base_m}
        else:
            self.group = {}
        last_epoch = check_last_epoch(last_epoch, optimizer)
        with _Unchanged(optimizer):
            if last_epoch == -1:
                optimizer.initial_lr = max_lr / div_factor
                if self.cycle_momentum:
                    set_momentum(optimizer, attribute, max_m)
            # torch keeps these in the param group; here the scheduler keeps them
            self.group |= {
                "max_lr": max_lr,
                "min_lr": optimizer.initial_lr / final_div_factor,
            }
            super().__init__(optimizer, last_epoch)

    @staticmethod
    def _annealing_cos(start, end, pct):
        cos_out = math.cos(math.pi * pct) + 1
        return end + (start - end) / 2.0 * cos_out

    @staticmethod
    def _annealing_linear(start, end, pct):
        return (end - start) * pct + start

    def get_lr(self):
        return self._values()[0]

    def _values(self):
        step_num = self.last_epoch
        if step_num > self.total_steps:
            raise ValueError(
                f"Tried to step {step_num} times. The specified number of total steps is "
                f"{self.total_steps}"
            )
        anneal = self._annealing_cos if self._anneal_func_type == "cos" else self._annealing_linear
        group = {**self.group, "initial_lr": self.optimizer.initial_lr}
        start_step = 0.0
        for i, phase in enumerate(self._schedule_phases):
            end_step = phase["end_step"]
            if step_num <= end_step or i == len(self._schedule_phases) - 1:
                pct = (step_num - start_step) / (end_step - start_step)
                lr = anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct)
                if self.cycle_momentum:
                    momentum = anneal(
                        group[phase["start_momentum"]], group[phase["end_momentum"]], pct
                    )
                break
            start_step = phase["end_step"]
        return [lr], [momentum] if self.cycle_momentum else None
