"""Chapter 8: every optimiser of :mod:`paramopt.optim` on the handwritten digits.

:func:`lr_search` trains the same seeded MLP with each optimiser and each learning rate of
its grid; :func:`summarise` picks each optimiser's best rate and measures how much the
grid's rates matter; :func:`digits_explorer` shows the search's curves (nothing is
trained at display).
"""

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
    "describe_run",
    "digits_explorer",
    "draw_run",
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

#: each optimiser's learning rates, a factor √10 apart: best/10, best/√10, best, best·√10, where
#: "best" is the rate a coarser look found best on the digits (:func:`lr_search`'s defaults)
LR_GRID = {
    "SGD": (0.1, 0.3, 1.0, 3.0),
    "Momentum": (0.03, 0.1, 0.3, 1.0),
    "Nesterov": (0.03, 0.1, 0.3, 1.0),
    "Adagrad": (0.01, 0.03, 0.1, 0.3),
    "RMSprop": (1e-3, 3e-3, 1e-2, 3e-2),
    "Adam": (3e-3, 1e-2, 3e-2, 1e-1),
    "AdamW": (3e-3, 1e-2, 3e-2, 1e-1),
}


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


def lr_search(
    X,
    y,
    X_val,
    y_val,
    *,
    grid=None,
    hidden=(64,),
    epochs=8,
    batch_size=64,
    seed=0,
    dtype=np.float32,
):
    """Train one classifier per (optimiser, learning rate) of ``grid``; return the histories.

    Model: ``paramopt.nn.mlp([d, *hidden, C], "relu", "kaiming", rng=seed, dtype=dtype)``
    (He initialisation), C = max label + 1, the same initial weights for every run; loss:
    cross-entropy; ``epochs`` epochs of minibatches of ``batch_size`` shuffled by
    ``default_rng(seed)`` (the same batches for every run), evaluated on the validation
    set after each epoch (:func:`paramopt.train.fit`). ``grid`` maps optimiser names of
    :data:`OPTIMIZERS` to increasing learning rates (default :data:`LR_GRID`).

    Returns ``{(name, lr): History}``, in grid order; a run that blows up is stored as
    the :class:`paramopt.Diverged` it raised.
    """
    grid = _check_grid(LR_GRID if grid is None else grid)
    hidden = [check_positive_int("hidden", h) for h in hidden]
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    X, X_val = np.asarray(X, dtype=dtype), np.asarray(X_val, dtype=dtype)
    widths = [X.shape[1], *hidden, int(np.max(y)) + 1]
    results = {}
    for name, lrs in grid.items():
        for lr in lrs:
            model = nn.mlp(widths, "relu", "kaiming", rng=seed, dtype=dtype)
            try:
                results[name, lr] = fit(
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
                results[name, lr] = error
    return results


def _grid_of(results):
    grid = {}
    for name, lr in results:
        grid.setdefault(name, []).append(lr)
    return grid


def summarise(results):
    """Per optimiser: the best learning rate and what the grid's rates change.

    The best rate maximises the final validation accuracy (ties: the lower final
    validation loss). ``spread`` = log₁₀(max / min) of the final training losses over the
    grid's rates (a diverged run counts as infinite): 1 means the worst rate of the grid
    ends with a ten times larger loss than the best. Returns ``{name: dict}`` with
    ``best_lr``, ``train_loss``, ``val_loss``, ``val_accuracy`` (of the best run),
    ``spread``, ``lrs`` and ``final_losses`` (one per rate, inf if diverged) and
    ``diverged`` (how many rates blew up).
    """
    summary = {}
    for name, lrs in _grid_of(results).items():
        runs = [results[name, lr] for lr in lrs]
        ok = [(lr, h) for lr, h in zip(lrs, runs, strict=True) if not isinstance(h, Diverged)]
        finals = np.array([np.inf if isinstance(h, Diverged) else h.train_loss[-1] for h in runs])
        if not ok:
            summary[name] = {"best_lr": None, "lrs": lrs, "final_losses": finals,
                             "spread": np.inf, "diverged": len(lrs)}  # fmt: skip
            continue
        best_lr, best = max(ok, key=lambda item: (item[1].val_accuracy[-1], -item[1].val_loss[-1]))
        summary[name] = {
            "best_lr": best_lr,
            "train_loss": float(best.train_loss[-1]),
            "val_loss": float(best.val_loss[-1]),
            "val_accuracy": float(best.val_accuracy[-1]),
            "lrs": lrs,
            "final_losses": finals,
            "spread": float(np.log10(finals.max() / finals.min())),
            "diverged": len(lrs) - len(ok),
        }
    return summary


def draw_run(fig, history, name, lr):
    """Training loss (solid, circles) and validation loss (dashed, squares) per epoch."""
    ax = fig.add_axes((0.1, 0.15, 0.6, 0.72))
    epochs = np.arange(history.epochs + 1)
    style = OPTIMIZER_STYLE[name]
    ax.plot(epochs, history.train_loss, color=style["color"], marker="o", ms=4, label="training")
    ax.plot(epochs, history.val_loss, color=style["color"], marker="s", ms=4, ls="--",
            label="validation")  # fmt: skip
    ticks = [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5]
    ax.set_yscale("log")
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.yaxis.set_minor_locator(NullLocator())  # fixed ticks only: the frame draws faster
    ax.set(xlabel="epoch", ylabel="cross-entropy loss", ylim=(0.015, 6))
    ax.set_title(f"{name}, learning rate {lr:g}", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    fig.text(
        0.73,
        0.82,
        f"after {history.epochs} epochs\n"
        f"training loss {history.train_loss[-1]:.3f}\n"
        f"validation loss {history.val_loss[-1]:.3f}\n"
        f"validation accuracy\n  {100 * history.val_accuracy[-1]:.1f}%",
        fontsize=9,
        va="top",
        family="monospace",
    )


def describe_run(history, name, lr):
    """One sentence: optimiser, rate, and the final losses and accuracy."""
    return (
        f"{name} with learning rate {lr:g} on the digits: after {history.epochs} epochs the "
        f"training loss is {history.train_loss[-1]:.3f}, the validation loss "
        f"{history.val_loss[-1]:.3f} and the validation accuracy "
        f"{100 * history.val_accuracy[-1]:.1f}%."
    )


def digits_explorer(results):
    """Optimiser × position in its learning-rate grid → that run's curves from ``results``.

    ``results`` comes from :func:`lr_search` and must give every optimiser the same
    number of rates. The rate slider counts grid positions (1 = the smallest rate of the
    optimiser's own grid); the title says which rate that is.
    """
    grid = _grid_of(results)
    sizes = {len(lrs) for lrs in grid.values()}
    if len(grid) < 2 or len(sizes) != 1 or sizes.pop() < 2:
        raise ValueError("results must give 2+ optimisers the same number (2+) of rates")
    names = list(grid)
    positions = list(range(1, len(grid[names[0]]) + 1))

    def compute(optimizer, position):
        result = results[optimizer, grid[optimizer][position - 1]]
        if isinstance(result, Diverged):
            raise result
        return result

    def draw(fig, history, optimizer, position):
        draw_run(fig, history, optimizer, grid[optimizer][position - 1])

    def describe(history, optimizer, position):
        return describe_run(history, optimizer, grid[optimizer][position - 1])

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
