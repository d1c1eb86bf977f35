"""Several optimisers as one: each parameter of a model stepped by the optimiser it belongs to."""

from paramopt.optim.optimizer import CheckedGrads, Optimizer, check_params, check_state_dict

__all__ = ["Composite"]


class Composite(Optimizer):
    """One optimiser made of several, each stepping its own share of ``params``.

    Muon orthogonalises matrices only; a network's biases need another optimiser. Torch
    users build two and call both ``step()``; :func:`paramopt.train.fit` takes one
    optimiser on ``model.parameters()``, which a Composite is::

        params = model.parameters()
        matrices = [p for p in params if p.ndim == 2]
        others = [p for p in params if p.ndim != 2]
        opt = paramopt.optim.Composite(
            params, [paramopt.optim.Muon(matrices, lr=0.02), paramopt.optim.AdamW(others)]
        )
        paramopt.train.fit(model, loss, opt, X, y, epochs=5, batch_size=64, rng=0)

    ``params`` is the full ordered list, and ``.params`` is it; each of its arrays must be
    a parameter of exactly one of ``optimizers`` (the same array object), and each of
    theirs must be in ``params`` (ValueError naming the index otherwise).

    ``step(grads)`` takes one gradient per ``params[i]``, in ``params``' order, checks all
    of them first (count, shape, finiteness: a ValueError changes nothing in any part),
    then gives each optimiser its own, in its own order. ``state[i]`` is the state of
    ``params[i]`` in its optimiser. The hyperparameters stay the parts' own
    (``opt.optimizers[0].lr = ...``; a scheduler is built on a part, not on the Composite,
    which has no single ``lr``). :meth:`state_dict` holds the parts' state dicts.
    """

    def __init__(self, params, optimizers):
        params = check_params(params)
        if isinstance(optimizers, Optimizer) or not hasattr(optimizers, "__iter__"):
            raise TypeError(f"optimizers must be a list of optimisers, got {optimizers!r}")
        optimizers = list(optimizers)
        if not optimizers:
            raise ValueError("optimizers is an empty list: give one optimiser per share of params")
        for j, opt in enumerate(optimizers):
            if not isinstance(opt, Optimizer):
                raise TypeError(f"optimizers[{j}] must be a paramopt.optim optimiser, got {opt!r}")
            if any(opt is other for other in optimizers[:j]):
                raise ValueError(f"optimizers[{j}] appears twice in optimizers")
        where = {}  # id(param) -> (j, k): optimizers[j].params[k]
        for j, opt in enumerate(optimizers):
            for k, theta in enumerate(opt.params):
                if id(theta) in where:
                    raise ValueError(
                        f"optimizers[{j}].params[{k}] is also optimizers[{where[id(theta)][0]}]"
                        f".params[{where[id(theta)][1]}]: each parameter needs one optimiser"
                    )
                where[id(theta)] = (j, k)
        index = {id(theta): i for i, theta in enumerate(params)}
        for j, opt in enumerate(optimizers):
            for k, theta in enumerate(opt.params):
                if id(theta) not in index or params[index[id(theta)]] is not theta:
                    raise ValueError(
                        f"optimizers[{j}].params[{k}] (shape {theta.shape}) is not in params"
                    )
        for i, theta in enumerate(params):
            if id(theta) not in where:
                raise ValueError(
                    f"params[{i}] (shape {theta.shape}) belongs to none of optimizers: "
                    "give it to one of them"
                )
        self.params = params
        self.optimizers = optimizers
        #: for each optimiser, the indices into params of its parameters, in its order
        self._routes = [[index[id(theta)] for theta in opt.params] for opt in optimizers]
        self._owner = [where[id(theta)] for theta in params]

    @property
    def state(self):
        """``state[i]``: the state of ``params[i]``, kept by the optimiser it belongs to."""
        return [self.optimizers[j].state[k] for j, k in self._owner]

    @property
    def lr(self):
        raise AttributeError(
            "a Composite has no single lr: set (or schedule) each of its optimizers' own"
        )

    def step(self, grads):
        """Check every gradient, then step each optimiser on its own parameters' gradients."""
        grads = self._check_grads(grads)  # all of them, before any part changes
        for opt, route in zip(self.optimizers, self._routes, strict=True):
            opt.step(CheckedGrads([grads[i] for i in route], opt.params))

    def hyperparameters(self):
        """``{"optimizers": [each part's hyperparameters]}``."""
        return {"optimizers": [opt.hyperparameters() for opt in self.optimizers]}

    def state_dict(self):
        """``{"type": "Composite", "optimizers": [each part's state_dict()]}``."""
        return {
            "type": type(self).__name__,
            "optimizers": [opt.state_dict() for opt in self.optimizers],
        }

    def load_state_dict(self, state_dict):
        """Restore every part; a bad dict for any part raises and changes none of them."""
        check_state_dict(self, state_dict, {"type", "optimizers"})
        parts = state_dict["optimizers"]
        if not isinstance(parts, list) or len(parts) != len(self.optimizers):
            raise ValueError(
                f"state_dict['optimizers'] must be a list of {len(self.optimizers)} state dicts, "
                f"got {parts!r}"
            )
        saved = [opt.state_dict() for opt in self.optimizers]
        done = 0
        try:
            for opt, part in zip(self.optimizers, parts, strict=True):
                opt.load_state_dict(part)  # each checks all of its own first
                done += 1
        except (TypeError, ValueError) as error:
            for opt, own in zip(self.optimizers[:done], saved, strict=False):
                opt.load_state_dict(own)  # undo the parts already loaded
            raise type(error)(f"state_dict['optimizers'][{done}]: {error}") from None

    def __repr__(self):
        parts = ", ".join(
            f"{opt!r} on params {route}"
            for opt, route in zip(self.optimizers, self._routes, strict=True)
        )
        return f"Composite({len(self.params)} params: {parts})"
