"""Chapter 10's explorer: the curves of every run of the learning-rate search.

The runs come from :func:`paramopt.comparison.lr_search`; nothing is trained at display.
"""

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import NullLocator

from paramopt.captions import Caption
from paramopt.comparison import layout
from paramopt.style import OPTIMIZER_STYLE
from paramopt.validation import Diverged
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = ["describe_runs", "digits_explorer", "draw_runs"]


def draw_runs(fig, runs, name, lr):
    """Training loss (solid, circles) and validation loss (dashed, squares) per epoch.

    ``runs`` are one History per seed (a :class:`paramopt.Diverged` is left out and
    counted): thin lines for each seed, thick lines with markers for their mean. The loss
    axis is the same for every frame. Returns the updater ``update(runs, name, lr)`` that
    draws other runs on these axes and returns the artists it changed, or None (redraw)
    when the number of curves or of epochs changes.
    """
    histories = [h for h in runs if not isinstance(h, Diverged)]
    ax = fig.add_axes((0.1, 0.15, 0.57, 0.72))
    epochs = np.arange(histories[0].epochs + 1)
    fields = (("train_loss", "o", "-", "training"), ("val_loss", "s", "--", "validation"))
    curves = {}
    for field, marker, ls, label in fields:
        thin = ax.plot(epochs, np.ones((len(epochs), len(histories))), ls=ls, lw=0.8, alpha=0.4)
        (mean,) = ax.plot(epochs, np.ones(len(epochs)), marker=marker, ms=4, ls=ls, lw=2,
                          label=f"{label} (mean)")  # fmt: skip
        curves[field] = (thin, mean)
    ticks = [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20]
    ax.set_yscale("log")
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.yaxis.set_minor_locator(NullLocator())  # fixed ticks only: the frame draws faster
    ax.set(xlabel="epoch", ylabel="cross-entropy loss", ylim=(0.015, 30))
    ax.set_xlim(ax.get_xlim())  # fixed: the axes stay as they are when the runs change
    title = ax.set_title("", fontsize=10)
    ax.grid(alpha=0.3)
    # beside the axes, in black for every optimiser, below the changing text (z-order 3):
    # drawn once, in the background
    keys = [Line2D([], [], color="black", marker=marker, ms=4, ls=ls, lw=2)
            for _, marker, ls, _ in fields]  # fmt: skip
    labels = [f"{label} (mean)" for *_, label in fields]
    legend = fig.legend(keys, labels, loc="upper left", bbox_to_anchor=(0.685, 0.5), fontsize=8)
    legend.set_zorder(2.9)
    stats = fig.text(0.695, 0.86, "", fontsize=8, va="top", family="monospace")

    def update(runs, name, lr):
        histories = [h for h in runs if not isinstance(h, Diverged)]
        if len(histories) != len(curves["train_loss"][0]) or histories[0].epochs + 1 != len(epochs):
            return None
        color = OPTIMIZER_STYLE[name]["color"]
        changed = [title, stats]
        for field, (thin, mean) in curves.items():
            values = np.array([getattr(h, field) for h in histories])
            for line, curve in zip(thin, values, strict=True):
                line.set_ydata(curve)
                line.set_color(color)
            mean.set_ydata(values.mean(axis=0))
            mean.set_color(color)
            changed += [*thin, mean]
        title.set_text(f"{name}, learning rate {lr:g}: {len(runs)} seeds (thin), mean (thick)")
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
        stats.set_text("\n".join(lines))
        return changed

    update(runs, name, lr)
    return update


def describe_runs(runs, name, lr):
    """One sentence, in English and Chinese: optimiser, rate, and the final losses and
    accuracy over the seeds."""
    histories = [h for h in runs if not isinstance(h, Diverged)]
    final = {field: np.array([getattr(h, field)[-1] for h in histories])
             for field in ("train_loss", "val_loss", "val_accuracy")}  # fmt: skip
    train, val, acc = final["train_loss"], final["val_loss"], 100 * final["val_accuracy"]
    lost = len(runs) - len(histories)
    seeds, epochs, rate = len(runs), histories[0].epochs, f"{lr:g}"
    train_mean, train_low, train_high = (
        f"{v:.3f}" for v in (train.mean(), train.min(), train.max())
    )
    val_mean, val_low, val_high = (f"{v:.3f}" for v in (val.mean(), val.min(), val.max()))
    acc_mean, acc_low, acc_high = (f"{v:.1f}" for v in (acc.mean(), acc.min(), acc.max()))
    return Caption(
        f"{name} with learning rate {rate} on the digits, {seeds} seeds: after "
        f"{epochs} epochs the training loss is {train_mean} on average "
        f"({train_low} to {train_high}), the validation loss {val_mean} "
        f"({val_low} to {val_high}) and the validation accuracy "
        f"{acc_mean}% ({acc_low}% to {acc_high}%)"
        + (f"; {lost} of {seeds} runs diverged." if lost else "."),
        zh=f"{name} 以学习率 {rate} 在手写数字上训练，{seeds} 个随机种子：{epochs} 个轮次后，"
        f"训练损失平均为 {train_mean}（{train_low} 至 {train_high}），验证损失为 {val_mean}"
        f"（{val_low} 至 {val_high}），验证准确率为 {acc_mean}%（{acc_low}% 至 {acc_high}%）"
        + (f"；{seeds} 次运行中有 {lost} 次发散。" if lost else "。"),
    )


def digits_explorer(results):
    """Optimiser × learning rate → that rate's curves over the seeds.

    ``results`` comes from :func:`lr_search` and must give every optimiser the same
    number of rates. Each optimiser has its own grid of rates, so the slider runs over
    positions in the grid (1 = the smallest rate) but shows and announces the rate of the
    chosen optimiser (``labels_by``). Each frame shows every seed's curves and their
    mean, so there are as many frames as (optimiser, rate) pairs, however many seeds.
    """
    grid, seeds = layout(results)
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
        update = draw_runs(fig, runs, optimizer, grid[optimizer][position - 1])
        return lambda runs, optimizer, position: update(
            runs, optimizer, grid[optimizer][position - 1]
        )

    def describe(runs, optimizer, position):
        return describe_runs(runs, optimizer, grid[optimizer][position - 1])

    default = "Adam" if "Adam" in names else names[0]
    rates = {name: [f"{lr:g}" for lr in grid[name]] for name in names}
    return Explorer(
        compute,
        draw,
        describe,
        figsize=(7.2, 3.2),
        optimizer=Choice("optimiser", names, value=default),
        position=Slider.from_values(
            "learning rate",
            positions,
            value=positions[1],
            labels=rates[default],
            labels_by=("optimizer", rates),
        ),
    )
