"""The base class every optimiser shares: parameters, per-parameter state, checked steps,
and checkpoints (:meth:`Optimizer.state_dict`, :meth:`Optimizer.load_state_dict`)."""

import inspect

import numpy as np

from paramopt.validation import check_array, check_int, check_real


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


def lerp(start, end, weight, out, tmp):
    """``out ← start + weight (end − start)``, as ``torch.lerp`` computes it; returns ``out``.

    For |weight| < ½ torch writes start + w (end − start), else end − (end − start)(1 − w),
    so that weight = 1 gives ``end`` exactly. ``tmp`` is a scratch array of ``out``'s shape,
    neither ``start`` nor ``end``; ``out`` may be either (``start``: torch's ``lerp_``).
    """
    diff = np.subtract(end, start, out=tmp)  # end − start
    if abs(weight) < 0.5:
        return np.add(start, np.multiply(weight, diff, out=tmp), out=out)
    return np.subtract(end, np.multiply(diff, 1 - weight, out=tmp), out=out)


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
    ``initial_lr`` is None until a scheduler of :mod:`paramopt.optim.lr_scheduler`
    records the rate it started from (torch's ``param_group["initial_lr"]``).

    :meth:`state_dict` and :meth:`load_state_dict` save and restore the hyperparameters
    and the state (not ``params``: save those yourself, as torch saves the model apart).

    A subclass checks its hyperparameters in ``__init__``, creates its state arrays in
    ``_init_state`` and performs one update of one parameter in ``_update``, writing
    intermediate results into ``work`` (scratch arrays reused by every step) rather
    than into new temporaries.
    """

    initial_lr = None

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

    def _weight_decayed_gradient(self, theta, grad, weight_decay, decoupled, work):
        """g_t with λ where ``decoupled`` (``decoupled_weight_decay``) puts it; returns g_t.

        Decoupled (AdamW, NAdamW, RAdamW): g_t is the gradient alone and θ_{t-1} shrinks by
        itself (:meth:`_decay`, applied here); otherwise λθ_{t-1} joins g_t as an L2 term
        (:meth:`_gradient`), and goes wherever the algorithm sends g_t.
        """
        if not decoupled:
            return self._gradient(theta, grad, weight_decay, work)  # g_t ← g_t + λθ_{t-1}
        g = self._gradient(theta, grad, 0.0, work)  # no L2 term
        self._decay(theta, weight_decay)  # θ_{t-1} ← θ_{t-1}(1 - γλ), outside g_t
        return g

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

    def hyperparameters(self):
        """The constructor's arguments after ``params``, by name, with their current values."""
        names = list(inspect.signature(type(self)).parameters)[1:]
        return {name: getattr(self, name) for name in names}

    def state_dict(self):
        """A checkpoint of the optimiser, laid out as torch's: plain Python and numpy objects.

        ``{"type": class name, "state": {i: {"step": int, name: array copy, ...}},
        "param_groups": [{hyperparameters..., "initial_lr": float or None,
        "params": [0, 1, ...]}]}``. It pickles, and shares no array with the optimiser.
        """
        state = {
            i: {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in s.items()}
            for i, s in enumerate(self.state)
        }
        group = {**self.hyperparameters(), "initial_lr": self.initial_lr}
        group["params"] = list(range(len(self.params)))
        return {"type": type(self).__name__, "state": state, "param_groups": [group]}

    def load_state_dict(self, state_dict):
        """Restore hyperparameters and state from :meth:`state_dict` of a like optimiser.

        Everything is checked first: another optimiser class, another number or shape of
        parameters, state that this optimiser does not keep (``amsgrad``, ``centered``,
        ``momentum`` = 0 differ) or an invalid hyperparameter raise a ValueError (TypeError
        for a wrong type) and change nothing. Arrays are copied into the optimiser's own
        (cast to their dtype), so the dict and the optimiser never share memory.
        """
        check_state_dict(self, state_dict, {"type", "state", "param_groups"})
        names = {*self.hyperparameters(), "initial_lr", "params"}
        groups = state_dict["param_groups"]
        if not isinstance(groups, list) or len(groups) != 1 or not isinstance(groups[0], dict):
            raise ValueError(
                f"state_dict['param_groups'] must be a list of one dict, got {groups!r}"
            )
        group = groups[0]
        if set(group) != names:
            raise ValueError(
                f"state_dict['param_groups'][0] has keys {sorted(group)}, expected {sorted(names)}"
            )
        n = len(self.params)
        if not isinstance(group["params"], list) or group["params"] != list(range(n)):
            raise ValueError(
                f"state_dict is for params {group['params']!r}, this optimiser has {n} params"
            )
        hyper = {k: v for k, v in group.items() if k not in ("initial_lr", "params")}
        try:  # the constructor's own checks, on a stand-in parameter of params[0]'s ndim
            # (the state Adafactor keeps depends on it, and Muon takes matrices only)
            probe = type(self)([np.zeros((1,) * self.params[0].ndim)], **{**hyper, "lr": 0.0})
            # any finite rate: a scheduler may leave one < 0 (OneCycleLR's last, as torch)
            lr = check_real("lr", hyper["lr"])
        except (TypeError, ValueError) as error:
            raise type(error)(f"state_dict['param_groups'][0]: {error}") from None
        probe.lr = lr
        initial_lr = group["initial_lr"]
        if initial_lr is not None:
            initial_lr = check_real("initial_lr", initial_lr, low=0.0)
        states = state_dict["state"]
        if not isinstance(states, dict) or set(states) != set(range(n)):
            raise ValueError(f"state_dict['state'] must be a dict keyed 0..{n - 1}")
        if set(probe.state[0]) != set(self.state[0]):
            raise ValueError(
                f"state_dict's hyperparameters keep state {sorted(probe.state[0])}, this "
                f"optimiser keeps {sorted(self.state[0])}: build it with the same options"
            )
        for i, (ours, theirs) in enumerate(
            zip(self.state, (states[i] for i in range(n)), strict=True)
        ):
            if not isinstance(theirs, dict) or set(theirs) != set(ours):
                got = sorted(theirs) if isinstance(theirs, dict) else theirs
                raise ValueError(
                    f"state_dict['state'][{i}] holds {got}, this optimiser keeps {sorted(ours)}"
                )
            check_int(f"state_dict['state'][{i}]['step']", theirs["step"], low=0)
            for key, value in theirs.items():
                if key != "step":
                    _check_state_value(f"state_dict['state'][{i}][{key!r}]", value, ours[key])
        for name in hyper:
            setattr(self, name, getattr(probe, name))
        self.initial_lr = initial_lr
        for ours, theirs in zip(self.state, (states[i] for i in range(n)), strict=True):
            for key, value in theirs.items():
                if isinstance(ours[key], np.ndarray):
                    np.copyto(ours[key], value, casting="same_kind")
                else:  # step, or a scalar the algorithm keeps (as NAdam's mu_product)
                    ours[key] = type(ours[key])(value)

    def __repr__(self):
        args = ", ".join(f"{name}={value!r}" for name, value in self.hyperparameters().items())
        return f"{type(self).__name__}({len(self.params)} params, {args})"


def _check_state_value(name, value, ours):
    """Check a saved state entry against the optimiser's own: an array of its shape, or a number."""
    if isinstance(ours, np.ndarray):
        if not (
            isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.shape == ours.shape
        ):
            what = value.shape if isinstance(value, np.ndarray) else type(value).__name__
            raise ValueError(f"{name} must be a float array of shape {ours.shape}, got {what}")
    else:
        check_real(name, value)


def check_state_dict(owner, state_dict, keys):
    """Check that ``state_dict`` is a dict with exactly ``keys``, saved by ``owner``'s class."""
    name = type(owner).__name__
    if not isinstance(state_dict, dict):
        raise TypeError(f"state_dict must be a dict from {name}.state_dict(), got {state_dict!r}")
    if state_dict.get("type") != name:
        raise ValueError(
            f"state_dict is for a {state_dict.get('type')!r}, not a {name!r}: load it into the "
            "kind of object that saved it"
        )
    if set(state_dict) != set(keys):
        raise ValueError(
            f"state_dict for {name} must have keys {sorted(keys)}, got {sorted(state_dict)}"
        )
