"""Chapter 8: every optimiser of :mod:`paramopt.optim` on the handwritten digits.

:func:`lr_search` trains a seeded MLP with each optimiser, each learning rate of its grid and
each of several seeds; :func:`summarise` picks each optimiser's best rate on the mean over
the seeds and measures how much the grid's rates matter; :func:`digits_explorer` shows the
search's curves (nothing is trained at display).
"""

import numbers

import numpy as np
from matplotlib.ticker import NullLocator

from paramopt import nn, optim
from paramopt.style import OPTIMIZER_STYLE
from paramopt.train import fit
from paramopt.validation import Diverged, check_positive_int, check_real
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = [
    "LR_GRID",
    "OPTIMIZERS",
    "SEEDS",
    "describe_runs",
    "digits_explorer",
    "draw_runs",
    "lr_search",
    "make_optimizer",
    "summarise",
]

#: the optimisers compared, by the name used in the book → (paramopt.optim class, fixed options)
OPTIMIZERS = {
    "SGD": ("SGD", {}),
    "Momentum": ("SGD", {"momentum": 0.9}),
    "Nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}),
    "Adagrad": ("Adagrad", {}),
    "RMSprop": ("RMSprop", {}),
    "Adam": ("Adam", {}),
    "AdamW": ("AdamW", {}),  # weight_decay = 0.01, torch's default
}

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


def make_optimizer(name, params, lr):
    """The optimiser ``name`` of :data:`OPTIMIZERS` on ``params`` with learning rate ``lr``."""
    if name not in OPTIMIZERS:
        raise ValueError(f"Invalid optimizer: {name!r} (choose from {list(OPTIMIZERS)})")
    cls, fixed = OPTIMIZERS[name]
    return getattr(optim, cls)(params, lr=lr, **fixed)


def _check_grid(grid):
    if not isinstance(grid, dict) or not grid:
        raise TypeError(f"grid must be a non-empty dict {{optimizer: lrs}}, got {grid!r}")
    checked = {}
    for name, lrs in grid.items():
        if name not in OPTIMIZERS:
            raise ValueError(
                f"Invalid optimizer in grid: {name!r} (choose from {list(OPTIMIZERS)})"
            )
        lrs = [check_real(f"grid[{name!r}] lr", lr, low=0.0, low_open=True) for lr in lrs]
        if len(lrs) < 2 or any(b <= a for a, b in zip(lrs, lrs[1:], strict=False)):
            raise ValueError(f"grid[{name!r}] must hold 2 or more increasing lrs, got {lrs}")
        checked[name] = lrs
    return checked


def _check_seeds(seeds):
    if isinstance(seeds, str | bytes) or not hasattr(seeds, "__iter__"):
        raise TypeError(f"seeds must be a sequence of ints, got {seeds!r}")
    seeds = list(seeds)
    for i, seed in enumerate(seeds):
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
            raise TypeError(f"seeds[{i}] must be an int, got {seed!r}")
        if seed < 0:
            raise ValueError(f"Invalid seeds[{i}]: {seed!r} (must be >= 0)")
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must hold 1 or more distinct seeds, got {seeds}")
    return [int(seed) for seed in seeds]


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
    optimiser names of :data:`OPTIMIZERS` to increasing learning rates (default
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
                        make_optimizer(name, model.parameters(), lr),
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


def _layout(results):
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
    grid, seeds = _layout(results)
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


def draw_runs(fig, runs, name, lr):
    """Training loss (solid, circles) and validation loss (dashed, squares) per epoch.

    ``runs`` are one History per seed (a :class:`paramopt.Diverged` is left out and
    counted): thin lines for each seed, thick lines with markers for their mean.
    """
    histories = [h for h in runs if not isinstance(h, Diverged)]
    ax = fig.add_axes((0.1, 0.15, 0.57, 0.72))
    epochs = np.arange(histories[0].epochs + 1)
    color = OPTIMIZER_STYLE[name]["color"]
    for field, marker, ls, label in (("train_loss", "o", "-", "training"),
                                     ("val_loss", "s", "--", "validation")):  # fmt: skip
        curves = np.array([getattr(h, field) for h in histories])
        ax.plot(epochs, curves.T, color=color, ls=ls, lw=0.8, alpha=0.4)
        ax.plot(epochs, curves.mean(axis=0), color=color, marker=marker, ms=4, ls=ls, lw=2,
                label=f"{label} (mean)")  # fmt: skip
    ticks = [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20]
    ax.set_yscale("log")
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.yaxis.set_minor_locator(NullLocator())  # fixed ticks only: the frame draws faster
    ax.set(xlabel="epoch", ylabel="cross-entropy loss", ylim=(0.015, 30))
    ax.set_title(f"{name}, learning rate {lr:g}: {len(runs)} seeds (thin), mean (thick)",
                 fontsize=10)  # fmt: skip
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    final = {field: np.array([getattr(h, field)[-1] for h in histories])
             for field in ("train_loss", "val_loss", "val_accuracy")}  # fmt: skip
    train, val, acc = final["train_loss"], final["val_loss"], 100 * final["val_accuracy"]
    lines = [
        f"after epoch {histories[0].epochs}: mean (min–max)",
        f"training   {train.mean():.3f} ({train.min():.3f}–{train.max():.3f})",
        f"validation {val.mean():.3f} ({val.min():.3f}–{val.max():.3f})",
        f"accuracy   {acc.mean():.1f}% ({acc.min():.1f}–{acc.max():.1f})",
    ]
    if len(histories) < len(runs):
        lines += [f"{len(runs) - len(histories)} of {len(runs)} runs diverged"]
    fig.text(0.695, 0.86, "\n".join(lines), fontsize=8, va="top", family="monospace")


def describe_runs(runs, name, lr):
    """One sentence: optimiser, rate, and the final losses and accuracy over the seeds."""
    histories = [h for h in runs if not isinstance(h, Diverged)]
    final = {field: np.array([getattr(h, field)[-1] for h in histories])
             for field in ("train_loss", "val_loss", "val_accuracy")}  # fmt: skip
    train, val, acc = final["train_loss"], final["val_loss"], 100 * final["val_accuracy"]
    lost = len(runs) - len(histories)
    return (
        f"{name} with learning rate {lr:g} on the digits, {len(runs)} seeds: after "
        f"{histories[0].epochs} epochs the training loss is {train.mean():.3f} on average "
        f"({train.min():.3f} to {train.max():.3f}), the validation loss {val.mean():.3f} "
        f"({val.min():.3f} to {val.max():.3f}) and the validation accuracy "
        f"{acc.mean():.1f}% ({acc.min():.1f}% to {acc.max():.1f}%)"
        + (f"; {lost} of {len(runs)} runs diverged." if lost else ".")
    )


def digits_explorer(results):
    """Optimiser × position in its learning-rate grid → that rate's curves over the seeds.

    ``results`` comes from :func:`lr_search` and must give every optimiser the same
    number of rates. The rate slider counts grid positions (1 = the smallest rate of the
    optimiser's own grid); the title says which rate that is. Each frame shows every seed's
    curves and their mean, so there are as many frames as (optimiser, rate) pairs, however
    many seeds.
    """
    grid, seeds = _layout(results)
    sizes = {len(lrs) for lrs in grid.values()}
    if len(grid) < 2 or len(sizes) != 1 or sizes.pop() < 2:
        raise ValueError("results must give 2+ optimisers the same number (2+) of rates")
    names = list(grid)
    positions = list(range(1, len(grid[names[0]]) + 1))

    def compute(optimizer, position):
        runs = [results[optimizer, grid[optimizer][position - 1], seed] for seed in seeds]
        if all(isinstance(run, Diverged) for run in runs):
            raise runs[0]
        return runs

    def draw(fig, runs, optimizer, position):
        draw_runs(fig, runs, optimizer, grid[optimizer][position - 1])

    def describe(runs, optimizer, position):
        return describe_runs(runs, optimizer, grid[optimizer][position - 1])

    return Explorer(
        compute,
        draw,
        describe,
        figsize=(7.2, 3.2),
        optimizer=Choice("optimiser", names, value="Adam" if "Adam" in names else names[0]),
        position=Slider.from_values(
            "learning rate (position in its grid)", positions, value=positions[1]
        ),
    )
