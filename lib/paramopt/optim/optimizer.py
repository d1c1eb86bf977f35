"""The base class every optimiser shares: parameters, per-parameter state, checked steps."""

import inspect

import numpy as np

from paramopt.validation import check_array


def check_params(params):
    """Return ``params`` as a list of writable float arrays, each given once."""
    if isinstance(params, np.ndarray):
        raise TypeError("params must be a list of arrays, got a single array (wrap it: [array])")
    try:
        params = list(params)
    except TypeError:
        raise TypeError(f"params must be a list of float arrays, got {params!r}") from None
    if not params:
        raise ValueError("params is an empty list: the optimiser has nothing to update")
    for i, theta in enumerate(params):
        if not isinstance(theta, np.ndarray) or theta.dtype.kind != "f":
            what = f"dtype {theta.dtype}" if isinstance(theta, np.ndarray) else type(theta)
            raise TypeError(f"params[{i}] must be a float ndarray, got {what}")
        if not theta.flags.writeable:
            raise ValueError(f"params[{i}] is read-only, so it cannot be updated in place")
        if any(theta is other for other in params[:i]):
            raise ValueError(f"params[{i}] appears twice in params")
    return params


class Work(dict):
    """Scratch arrays shaped like one parameter, each made on first use: ``work["w"]``."""

    def __init__(self, like):
        super().__init__()
        self.like = like

    def __missing__(self, key):
        self[key] = array = np.empty_like(self.like)
        return array


class CheckedGrads(list):
    """Gradients already checked against ``params``: a step on them checks nothing again."""

    def __init__(self, grads, params):
        super().__init__(grads)
        self.params = params


class Optimizer:
    """Base class of the optimisers: holds ``params`` and their ``state``, checks each step.

    ``params[i]`` is a float array that :meth:`step` updates in place. ``state[i]`` is a
    dict of what the algorithm remembers about ``params[i]``: ``step`` (updates made so
    far) and arrays of ``params[i]``'s shape and dtype, named as in ``torch.optim``.

    Hyperparameters are plain attributes (``opt.lr = 0.01`` between steps is how a
    learning-rate schedule is applied); the options that decide which state exists
    (``momentum`` > 0, ``centered``, ``amsgrad``) are fixed at construction.

    A subclass checks its hyperparameters in ``__init__``, creates its state arrays in
    ``_init_state`` and performs one update of one parameter in ``_update``, writing
    intermediate results into ``work`` (scratch arrays reused by every step) rather
    than into new temporaries.
    """

    def __init__(self, params):
        self.params = check_params(params)
        self.state = [self._init_state(theta) for theta in self.params]
        self._work = [Work(theta) for theta in self.params]

    def _init_state(self, theta):
        return {"step": 0}

    def step(self, grads):
        """Update every ``params[i]`` in place, using ``grads[i]`` as ∇f(θ).

        All gradients are checked (count, shape, finiteness) before anything changes,
        so a ValueError leaves params and state exactly as they were.
        """
        if not isinstance(grads, CheckedGrads) or grads.params is not self.params:
            grads = self._check_grads(grads)
        for theta, grad, state, work in zip(
            self.params, grads, self.state, self._work, strict=True
        ):
            state["step"] += 1
            self._update(theta, grad, state, work)

    def _update(self, theta, grad, state, work):
        raise NotImplementedError

    def _decay(self, theta, weight_decay):
        """Decoupled weight decay, the one place it is written: θ ← θ (1 − γλ), γ = ``lr``.

        The parameter shrinks by itself, outside the gradient: nothing of λθ enters a
        momentum buffer or an adaptive denominator (Loshchilov & Hutter, 2019).
        """
        if weight_decay != 0:
            theta *= 1 - self.lr * weight_decay

    def _gradient(self, theta, grad, weight_decay, work):
        """g_t ← ∇f(θ_{t-1}), negated if ``maximize``, plus the L2 term λ θ_{t-1}.

        Returns ``grad`` itself when neither applies (so an update never writes into g),
        else ``work["g"]``.
        """
        if weight_decay != 0:
            g = np.multiply(weight_decay, theta, out=work["g"])  # λ θ_{t-1}
            return np.subtract(g, grad, out=g) if self.maximize else np.add(g, grad, out=g)
        return np.negative(grad, out=work["g"]) if self.maximize else grad

    def _check_grads(self, grads):
        if isinstance(grads, np.ndarray):
            raise TypeError("grads must be a list of arrays aligned with params, got an array")
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError(
                f"got {len(grads)} grads for {len(self.params)} params: "
                "pass one gradient per parameter, in the same order"
            )
        checked = []
        for i, (theta, grad) in enumerate(zip(self.params, grads, strict=True)):
            grad = np.asarray(grad)
            if grad.dtype.kind in "fiub" and grad.dtype != theta.dtype:
                grad = grad.astype(theta.dtype)
            grad = check_array(f"grads[{i}]", grad, shape=theta.shape)
            if np.may_share_memory(grad, theta):
                grad = grad.copy()  # the update writes θ while it still reads g
            checked.append(grad)
        return CheckedGrads(checked, self.params)

    def __repr__(self):
        names = list(inspect.signature(type(self)).parameters)[1:]
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({len(self.params)} params, {args})"
