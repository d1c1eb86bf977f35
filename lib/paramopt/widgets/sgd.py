"""Chapter 3's explorer: the loss curves of a batch size × learning rate sweep.

The runs come from :func:`paramopt.minibatch.batch_sweep`; this module only draws and
describes them (:func:`sgd_explorer`), with the step-to-step noise measured by
:func:`paramopt.minibatch.step_noise`.
"""

import numpy as np
from matplotlib.ticker import NullLocator

from paramopt.captions import Caption
from paramopt.minibatch import step_noise
from paramopt.style import OKABE_ITO
from paramopt.validation import Diverged
from paramopt.widgets.controls import Slider
from paramopt.widgets.explorer import Explorer

__all__ = ["CURVE_STYLE", "describe_curves", "draw_curves", "sgd_explorer"]

CURVE_STYLE = {
    "minibatch": {"color": OKABE_ITO["blue"], "marker": "o", "linestyle": "-"},
    "steps": {"color": OKABE_ITO["sky"], "marker": "", "linestyle": "-"},
    "gd": {"color": OKABE_ITO["vermillion"], "marker": "s", "linestyle": "--"},
}


def draw_curves(fig, history, reference=None):
    """Training loss against epochs (passes over the data), on a log scale.

    ``history`` is drawn with its per-step minibatch losses L_k (thin line; L_k is measured
    at θ_{k-1}, so it is placed at the fraction of an epoch seen before step k) and its full
    training loss after each epoch (circles);
    ``reference`` (a History, e.g. full-batch GD with the same learning rate) as a dashed
    line with squares. The loss axis is the same for every frame. Returns the updater
    ``update(history, reference)`` that draws another run on these axes and returns the
    artists it changed, or None (redraw) when the legend's entries or the epochs change.
    """
    ax = fig.add_axes((0.1, 0.15, 0.86, 0.75))
    (steps,) = ax.plot([], [], lw=0.6, **CURVE_STYLE["steps"])  # L_k is measured at θ_{k-1}
    (epochs,) = ax.plot([], [], ms=4, **CURVE_STYLE["minibatch"])
    (full,) = ax.plot([], [], ms=4, **CURVE_STYLE["gd"])
    ticks = [0.05, 0.1, 0.2, 0.5, 1, 2, 5]
    ax.set_yscale("log")
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.yaxis.set_minor_locator(NullLocator())  # fixed ticks only: the frame draws faster
    ax.set(
        xlabel="epochs (passes over the training set)",
        ylabel="training loss",
        ylim=(0.04, 6),
        xlim=(-0.2, history.epochs + 0.2),
    )
    ax.grid(alpha=0.3)
    shown = _reference_shown(reference)
    legend = ax.legend(
        [epochs, full] if shown else [epochs],
        ["", ""] if shown else [""],
        fontsize=8,
        loc="lower left",
        title="thin: each step's minibatch loss",
        title_fontsize=8,
    )

    def update(history, reference=None):
        if _reference_shown(reference) != shown or ax.get_xlim()[1] != history.epochs + 0.2:
            return None
        seen = np.concatenate([[0], history.examples[:-1]]) / history.n_train
        steps.set_data(seen, history.loss)
        changed = [steps]
        for h, line, text in zip(
            (history, reference), (epochs, full), legend.get_texts(), strict=False
        ):
            if h is None or isinstance(h, Diverged):
                continue
            line.set_data(np.arange(h.epochs + 1), h.train_loss)
            text.set_text(
                "full batch (GD)" if h.batch_size == h.n_train else f"batch size {h.batch_size}"
            )
            changed += [line, text]
        return changed

    update(history, reference)
    return update


def _reference_shown(reference):
    return reference is not None and not isinstance(reference, Diverged)


def describe_curves(history, lr, reference=None):
    """One sentence, in English and Chinese: the setting, the final losses and the
    per-step noise."""
    batch, rate, epochs, steps = history.batch_size, f"{lr:g}", history.epochs, history.steps
    loss = f"{history.train_loss[-1]:.3g}"
    text = (
        f"Softmax regression on the digits, minibatches of {batch} and learning "
        f"rate {rate}: after {epochs} epochs ({steps} steps) the training loss is {loss}"
    )
    zh = (
        f"在手写数字上训练 softmax 回归，小批量大小 {batch}，学习率 {rate}："
        f"{epochs} 个轮次（{steps} 步）后训练损失为 {loss}"
    )
    if reference is not None and not isinstance(reference, Diverged):
        full = f"{reference.train_loss[-1]:.3g}"
        text += f", against {full} for full-batch GD with the same rate"
        zh += f"，而相同学习率的全批量梯度下降为 {full}"
    if history.batch_size < history.n_train and history.steps >= 3:
        noise = f"{step_noise(history):.2g}"
        text += f"; consecutive minibatch losses differ by {noise} (std)"
        zh += f"；相邻小批量损失之差的标准差为 {noise}"
    return Caption(text + ".", zh=zh + "。")


def sgd_explorer(results):
    """Batch size × learning rate → the loss curves of a sweep's ``results``.

    ``results`` is what :func:`paramopt.minibatch.batch_sweep` returns. The largest batch
    size is the reference drawn in every frame (full-batch GD if it is ``len(X)``).
    Nothing is trained here.
    """
    keys = list(results)
    batch_sizes = sorted({b for b, _ in keys})
    lrs = sorted({lr for _, lr in keys})
    if len(batch_sizes) < 2 or len(lrs) < 2 or len(keys) != len(batch_sizes) * len(lrs):
        raise ValueError("results must hold every (batch_size, lr) of a grid with 2+ of each")
    full = batch_sizes[-1]

    def compute(batch_size, lr):
        result = results[batch_size, lr]
        if isinstance(result, Diverged):
            raise result
        return result

    def draw(fig, history, batch_size, lr):
        reference = None if batch_size == full else results[full, lr]
        update = draw_curves(fig, history, reference)

        def redraw(history, batch_size, lr):
            return update(history, None if batch_size == full else results[full, lr])

        return redraw

    def describe(history, batch_size, lr):
        reference = None if batch_size == full else results[full, lr]
        return describe_curves(history, lr, reference)

    middle = lrs[len(lrs) // 2]
    return Explorer(
        compute,
        draw,
        describe,
        figsize=(7.4, 3.3),
        batch_size=Slider.from_values("batch size", batch_sizes, value=batch_sizes[1]),
        lr=Slider.from_values("learning rate", lrs, value=middle),
    )
