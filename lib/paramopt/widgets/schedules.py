"""Chapter 8's explorers: schedule × optimiser on the noisy quadratic; warmup × β₂.

The runs come from :mod:`paramopt.schedules`; this module only draws and describes them.
"""

import functools

import numpy as np

from paramopt import schedules
from paramopt.captions import Caption
from paramopt.style import OKABE_ITO, OPTIMIZER_STYLE, number
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = [
    "describe_schedule",
    "describe_warmup",
    "draw_schedule",
    "draw_warmup",
    "schedule_explorer",
    "warmup_explorer",
]

#: the base rate of each optimiser on the noisy quadratic (Momentum's 0.05 acts like 0.5)
BASE_LR = {"SGD": 0.5, "Momentum": 0.05, "Adam": 0.05}
STEPS = 1000
WARMUP = 100
NAMES = {
    "constant": "constant",
    "step": "step (×0.1 at 50 % and 75 %)",
    "cosine": "cosine",
    "linear": "linear to 0",
    "onecycle": "one-cycle",
    "warmup-cosine": "warmup + cosine",
}
#: the schedules in the Chinese captions ("…调度")
NAMES_ZH = {
    "constant": "恒定",
    "step": "阶梯（在 50 % 和 75 % 处乘以 0.1）",
    "cosine": "余弦",
    "linear": "线性（衰减到 0）",
    "onecycle": "单周期",
    "warmup-cosine": "预热 + 余弦",
}


def schedule_run(schedule, optimizer):
    """The noisy quadratic (h = 1, σ = 1, 200 chains from θ = 5) under one schedule."""
    lr = BASE_LR[optimizer]
    return schedules.noisy_quadratic(
        schedule, lr=lr, steps=STEPS, optimizer=optimizer, chains=200, warmup=WARMUP, rng=0
    )


def draw_schedule(fig, result, schedule, optimizer):
    """Left: the rate γ_t. Right: mean of θ_t² over the chains (log) and one chain's θ_t².

    Returns the updater: another schedule for the same optimiser only moves the curves
    (the axes are fixed); another optimiser is drawn afresh (its legend differs).
    """
    left = fig.add_axes((0.09, 0.15, 0.36, 0.74))
    right = fig.add_axes((0.59, 0.15, 0.37, 0.74))
    style = OPTIMIZER_STYLE[optimizer]
    t = np.arange(1, STEPS + 1)
    (rate,) = left.plot(t, result["rates"] / BASE_LR[optimizer], color=style["color"], lw=1.8)
    left.set(xlim=(0, STEPS), ylim=(0, 1.05), xlabel="step $t$",
             ylabel=r"rate $\gamma_t$ / base rate")  # fmt: skip
    title = left.set_title(NAMES[schedule], fontsize=10)
    left.grid(alpha=0.3)
    steps = np.arange(STEPS + 1)
    (chain,) = right.semilogy(steps, result["path"] ** 2 + 1e-12, color="#999999", lw=0.6,
                              label=r"one chain: $\theta_t^2$")  # fmt: skip
    (mean,) = right.semilogy(steps, result["mean_square"], color=style["color"],
                             ls=style["linestyle"], lw=1.8,
                             label=r"mean of $\theta_t^2$ over 200 chains")  # fmt: skip
    if optimizer == "SGD":
        right.axhline(schedules.noise_ball_variance(BASE_LR["SGD"]), color=OKABE_ITO["green"],
                      ls=":", lw=1.2, label="noise ball of the base rate")  # fmt: skip
    right.set(xlim=(0, STEPS), ylim=(1e-5, 1e2), xlabel="step $t$", ylabel=r"$\theta_t^2$")
    right.set_title(f"{optimizer}, base rate {BASE_LR[optimizer]:g}", fontsize=10)
    right.legend(fontsize=8, loc="upper right")
    drawn = optimizer

    def update(result, schedule, optimizer):
        if optimizer != drawn:
            return None
        rate.set_ydata(result["rates"] / BASE_LR[optimizer])
        chain.set_ydata(result["path"] ** 2 + 1e-12)
        mean.set_ydata(result["mean_square"])
        title.set_text(NAMES[schedule])
        return [rate, chain, mean, title]

    return update


def describe_schedule(result, schedule, optimizer):
    base = f"{BASE_LR[optimizer]:g}"
    ends = number(result["rates"][-1] / BASE_LR[optimizer], 3, trim=True)
    final = number(result["mean_square"][-1], 2, trim=True)
    return Caption(
        f"{optimizer} with base rate {base} and a {NAMES[schedule]} schedule on "
        f"the noisy quadratic, {STEPS} steps from θ = 5: the rate ends at "
        f"{ends} times the base rate, and the mean of θ² over the chains ends at {final}.",
        zh=f"{optimizer} 在带噪声的二次函数上从 θ = 5 出发运行 {STEPS} 步，基础学习率为 "
        f"{base}，采用{NAMES_ZH[schedule]}调度：学习率最终为基础学习率的 {ends} 倍，"
        f"θ² 在各链上的均值最终为 {final}。",
    )


def schedule_explorer():
    """Schedule × optimiser: 18 frames on the noisy quadratic."""
    return Explorer(
        functools.cache(schedule_run),
        draw_schedule,
        describe_schedule,
        figsize=(7.4, 3.3),
        schedule=Choice("schedule", {label: key for key, label in NAMES.items()}, "constant"),
        optimizer=Choice("optimiser", {name: name for name in BASE_LR}, "SGD"),
    )


WARMUPS = [0, 20, 50, 200, 500]
BETA2S = [0.9, 0.99, 0.999]
WARMUP_STEPS = 1000


def warmup_run(warmup, beta2):
    """Adam (lr 0.1) on the correlated least-squares problem, seed 0."""
    return schedules.warmup_regression(0, warmup=warmup, beta2=beta2, steps=WARMUP_STEPS)


def draw_warmup(fig, result, warmup, beta2):
    """Left: the rate. Right: the full-data loss after each step (log), its start dotted.

    Returns the updater: every setting starts from the same loss on the same fixed axes,
    so another setting only moves the curves, the marker and the titles.
    """
    left = fig.add_axes((0.09, 0.15, 0.33, 0.74))
    right = fig.add_axes((0.56, 0.15, 0.40, 0.74))
    t = np.arange(1, WARMUP_STEPS + 1)
    color = OPTIMIZER_STYLE["Adam"]["color"]
    (rate,) = left.plot(t, result["rates"], color=color, lw=1.8)
    left.set(xlim=(0, WARMUP_STEPS), ylim=(0, 0.105), xlabel="step $t$", ylabel=r"rate $\gamma_t$")
    left_title = left.set_title("", fontsize=10)
    left.grid(alpha=0.3)
    loss = result["loss"]
    (curve,) = right.semilogy(np.arange(WARMUP_STEPS + 1), loss, color=color, lw=1.2)
    right.axhline(loss[0], color="black", ls=":", lw=1, label="loss at the start")
    (top,) = right.plot([], [], "o", color=color, mec="black", label="highest loss, steps 0–50")
    right.set(xlim=(0, WARMUP_STEPS), ylim=(0.1, 30), xlabel="step $t$", ylabel="loss")
    right_title = right.set_title("", fontsize=10)
    right.legend(fontsize=8, loc="upper right")

    def update(result, warmup, beta2):
        loss = result["loss"]
        rate.set_ydata(result["rates"])
        curve.set_ydata(loss)
        peak = int(np.argmax(loss[:51]))
        top.set_data([peak], [loss[peak]])
        left_title.set_text(f"warmup {warmup} steps" if warmup else "no warmup")
        right_title.set_text(f"Adam, lr 0.1, β₂ = {beta2:g}")
        return [rate, curve, top, left_title, right_title]

    update(result, warmup, beta2)
    return update


def describe_warmup(result, warmup, beta2):
    loss = result["loss"]
    if warmup:
        what, what_zh = f"linear warmup over {warmup} steps", f"线性预热 {warmup} 步"
    else:
        what, what_zh = "no warmup", "不预热"
    b2, start = f"{beta2:g}", number(loss[0], 3, trim=True)
    peak, end = number(loss[:51].max(), 3, trim=True), number(loss[-1], 3, trim=True)
    return Caption(
        f"Adam with learning rate 0.1, β₂ = {b2} and {what}, on least squares with "
        f"correlated features: the loss starts at {start}, reaches at "
        f"most {peak} in the first 50 steps, and ends at {end}.",
        zh=f"Adam 在特征相关的最小二乘问题上，学习率 0.1，β₂ = {b2}，{what_zh}：损失从 "
        f"{start} 开始，前 50 步中最高为 {peak}，最终为 {end}。",
    )


def warmup_explorer():
    """Warmup length × β₂: 15 frames."""
    return Explorer(
        functools.cache(warmup_run),
        draw_warmup,
        describe_warmup,
        figsize=(7.4, 3.3),
        warmup=Slider.from_values("warmup steps", WARMUPS, value=0),
        beta2=Slider.from_values("β₂", BETA2S, value=0.99),
    )
