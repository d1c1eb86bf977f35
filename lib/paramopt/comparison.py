"""A fair comparison of optimisers: chapter 10's learning-rate search over seeds.

:func:`lr_search` trains a seeded MLP with each optimiser, each learning rate of its grid
and each of several seeds, every run from the same initial weights and batches for one
seed; :func:`summarise` picks each optimiser's best rate on the mean over the seeds and
measures how much the grid's rates matter. Optimisers are named as
:func:`paramopt.optim.create` knows them ("SGD", "Momentum", "Nesterov", "Adam", ...).
"""

import numpy as np

from paramopt import nn, optim
from paramopt.train import fit
from paramopt.validation import (
    Diverged,
    check_increasing,
    check_int,
    check_positive_int,
    check_real,
)

__all__ = ["CHOICES", "LR_GRID", "SEEDS", "layout", "lr_search", "summarise"]

#: each optimiser's learning rates, a factor √10 apart, placed after a coarser look so that
#: the best rate (highest mean validation accuracy over :data:`SEEDS`) is one of the two
#: middle ones: the grid brackets it (:func:`lr_search`'s defaults)
LR_GRID = {
    "SGD": (0.03, 0.1, 0.3, 1.0),
    "Momentum": (0.03, 0.1, 0.3, 1.0),
    "Nesterov": (0.03, 0.1, 0.3, 1.0),
    "Adagrad": (0.01, 0.03, 0.1, 0.3),
    "RMSprop": (1e-3, 3e-3, 1e-2, 3e-2),
    "Adam": (3e-3, 1e-2, 3e-2, 1e-1),
    "AdamW": (3e-3, 1e-2, 3e-2, 1e-1),
}

#: the seeds of every (optimiser, rate): seed s draws the initial weights and the batch order
SEEDS = tuple(range(8))


#: every name :func:`paramopt.optim.create` knows, lowercased
CHOICES = {name.lower() for name in [*optim.CLASSES, *optim.PRESETS]}


def _check_grid(grid):
    if not isinstance(grid, dict) or not grid:
        raise TypeError(f"grid must be a non-empty dict {{optimizer: lrs}}, got {grid!r}")
    checked = {}
    for name, lrs in grid.items():
        if not isinstance(name, str) or name.lower() not in CHOICES:
            raise ValueError(f"Invalid optimizer in grid: {name!r} (choose from {sorted(CHOICES)})")
        lrs = check_increasing(
            f"grid[{name!r}]", lrs, lambda n, lr: check_real(n, lr, low=0.0, low_open=True)
        )
        if len(lrs) < 2:
            raise ValueError(f"grid[{name!r}] must hold 2 or more increasing lrs, got {lrs}")
        checked[name] = lrs
    return checked


def _check_seeds(seeds):
    if isinstance(seeds, str | bytes) or not hasattr(seeds, "__iter__"):
        raise TypeError(f"seeds must be a sequence of ints, got {seeds!r}")
    seeds = [check_int(f"seeds[{i}]", seed, low=0) for i, seed in enumerate(seeds)]
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must hold 1 or more distinct seeds, got {seeds}")
    return seeds


def lr_search(
    X,
    y,
    X_val,
    y_val,
    *,
    grid=None,
    seeds=SEEDS,
    hidden=(64,),
    epochs=8,
    batch_size=64,
    dtype=np.float32,
):
    """Train one classifier per optimiser, learning rate of ``grid`` and seed; return the histories.

    Model: ``paramopt.nn.mlp([d, *hidden, C], "relu", "kaiming", rng=seed, dtype=dtype)``
    (He initialisation), C = max label + 1; loss: cross-entropy; ``epochs`` epochs of
    minibatches of ``batch_size`` shuffled by ``default_rng(seed)``, evaluated on the
    validation set after each epoch (:func:`paramopt.train.fit`). The seed draws both the
    initial weights and the batch order, so all runs with the same seed start from the same
    weights and see the same batches, whatever the optimiser and rate. ``grid`` maps
    optimiser names (:func:`paramopt.optim.create`) to increasing learning rates (default
    :data:`LR_GRID`); ``seeds`` are distinct ints >= 0 (default :data:`SEEDS`).

    Returns ``{(name, lr, seed): History}``, in grid order with the seeds innermost; a run
    that blows up is stored as the :class:`paramopt.Diverged` it raised.
    """
    grid = _check_grid(LR_GRID if grid is None else grid)
    seeds = _check_seeds(seeds)
    hidden = [check_positive_int("hidden", h) for h in hidden]
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    X, X_val = np.asarray(X, dtype=dtype), np.asarray(X_val, dtype=dtype)
    widths = [X.shape[1], *hidden, int(np.max(y)) + 1]
    results = {}
    for name, lrs in grid.items():
        for lr in lrs:
            for seed in seeds:
                model = nn.mlp(widths, "relu", "kaiming", rng=seed, dtype=dtype)
                try:
                    results[name, lr, seed] = fit(
                        model,
                        nn.CrossEntropyLoss(),
                        optim.create(name, model.parameters(), lr=lr),
                        X,
                        y,
                        epochs=epochs,
                        batch_size=batch_size,
                        rng=seed,
                        X_val=X_val,
                        y_val=y_val,
                    )
                except Diverged as error:
                    results[name, lr, seed] = error
    return results


def layout(results):
    """``({name: [lrs]}, [seeds])`` of ``results``; every (name, lr) must hold every seed."""
    if not isinstance(results, dict) or not results:
        raise TypeError("results must be a non-empty dict from lr_search")
    grid, seeds = {}, []
    for key in results:
        if not (isinstance(key, tuple) and len(key) == 3):
            raise ValueError(f"results keys must be (optimizer, lr, seed), got {key!r}")
        name, lr, seed = key
        if lr not in grid.setdefault(name, []):
            grid[name].append(lr)
        if seed not in seeds:
            seeds.append(seed)
    missing = [(n, lr, s) for n, lrs in grid.items() for lr in lrs for s in seeds
               if (n, lr, s) not in results]  # fmt: skip
    if missing:
        raise ValueError(f"results must hold every seed for every rate; missing {missing[:3]}")
    return grid, seeds


def summarise(results):
    """Per optimiser: the best learning rate on the mean over the seeds, and the spreads.

    For each rate of an optimiser's grid and each seed, the final training loss,
    validation loss and validation accuracy (a diverged run counts as infinite loss and
    zero accuracy). The best rate maximises the mean final validation accuracy over the
    seeds (ties: the lower mean final validation loss). ``spread`` = log₁₀(max / min) of
    the final training losses over the grid's rates, one value per seed: 1 means that the
    worst rate of the grid ends with a ten times larger loss than the best.

    Returns ``{name: dict}`` with ``lrs`` and ``seeds``; ``train_loss``, ``val_loss`` and
    ``val_accuracy``, arrays of shape (rates, seeds); ``best_lr`` and ``best`` (its index
    in ``lrs``; both None if every run diverged); ``spread`` (one per seed, inf where a
    run diverged) and ``diverged`` (how many runs blew up).
    """
    grid, seeds = layout(results)
    summary = {}
    for name, lrs in grid.items():
        runs = [[results[name, lr, seed] for seed in seeds] for lr in lrs]
        bad = np.array([[isinstance(h, Diverged) for h in row] for row in runs])
        train, val, acc = (
            np.array([[np.nan if isinstance(h, Diverged) else getattr(h, field)[-1]
                       for h in row] for row in runs])
            for field in ("train_loss", "val_loss", "val_accuracy")
        )  # fmt: skip
        train[bad], val[bad], acc[bad] = np.inf, np.inf, 0.0
        if bad.all():
            best = None
        else:
            mean_acc, mean_val = acc.mean(axis=1), val.mean(axis=1)
            best = max(range(len(lrs)), key=lambda i: (mean_acc[i], -mean_val[i]))
        with np.errstate(invalid="ignore"):
            spread = np.log10(train.max(axis=0) / train.min(axis=0))
        summary[name] = {
            "lrs": lrs,
            "seeds": seeds,
            "best": best,
            "best_lr": None if best is None else lrs[best],
            "train_loss": train,
            "val_loss": val,
            "val_accuracy": acc,
            "spread": np.where(bad.any(axis=0), np.inf, spread),
            "diverged": int(bad.sum()),
        }
    return summary
