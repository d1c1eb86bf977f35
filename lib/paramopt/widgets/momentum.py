"""Chapter 4's figures: the heat map of step counts over learning rate × momentum, and
the κ explorer (the heavy ball's rate theory, after Goh's "Why Momentum Really Works").

The counts come from :func:`paramopt.surfaces.steps_to_tolerance`, the rates and runs of
the κ explorer from :mod:`paramopt.momentum`; this module draws and describes them.
"""

import functools

import numpy as np
from matplotlib.colors import BoundaryNorm
from matplotlib.ticker import NullLocator

from paramopt import momentum
from paramopt.captions import Caption, chinese, passed
from paramopt.style import OKABE_ITO, OPTIMIZER_STYLE, label_color, number
from paramopt.validation import Diverged, check_array, check_int
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = [
    "KAPPAS",
    "SETTINGS",
    "describe_kappa",
    "draw_kappa",
    "draw_step_counts",
    "kappa_explorer",
    "kappa_run",
]


def draw_step_counts(ax, steps, lrs, mus, *, max_steps, cmap="viridis_r"):
    """Draw ``steps`` (one row per momentum in ``mus``, one column per rate in ``lrs``) on ``ax``.

    Each cell is coloured by log10 of its count and labelled with it: NaN (diverged) reads
    "diverges", inf (not within ``max_steps``) reads ">max_steps", and both show the axes'
    background. Every label is black or white, whichever contrasts more with its own cell
    (:func:`label_color`). Returns the image, for a colour bar.
    """
    steps = check_array("steps", steps, ndim=2, finite=False)
    lrs = check_array("lrs", lrs, shape=(steps.shape[1],))
    mus = check_array("mus", mus, shape=(steps.shape[0],))
    if np.any(steps[np.isfinite(steps)] < 1):
        raise ValueError("steps must be counts >= 1 (NaN: diverged, inf: not converged)")
    max_steps = check_int("max_steps", max_steps, low=1)
    shown = np.where(np.isfinite(steps), steps, np.nan)
    image = ax.imshow(np.log10(shown), cmap=cmap, aspect="auto")
    for (i, j), count in np.ndenumerate(steps):
        if np.isfinite(count):
            text, cell = f"{count:.0f}", image.cmap(image.norm(np.log10(count)))
        else:
            text, cell = ("diverges" if np.isnan(count) else f">{max_steps}"), ax.get_facecolor()
        ax.text(j, i, text, ha="center", va="center", fontsize=7, color=label_color(cell))
    ax.set_xticks(range(len(lrs)), [f"{lr:g}" for lr in lrs], fontsize=8)
    ax.set_yticks(range(len(mus)), [f"{mu:g}" for mu in mus])
    return image


# -- the κ explorer ----------------------------------------------------------------------
KAPPAS = [10, 30, 100, 300, 1000]
#: the settings of the explorer: key -> (label, (αL, β) as a function of κ), with μ = 1,
#: L = κ; the step size is given in units of 1/L, as the phase diagram shows it
SETTINGS = {
    "gd": ("gradient descent, α = 2/(L+μ)", lambda k: (2 * k / (k + 1), 0.0)),
    "polyak": ("Polyak: α*, β*", lambda k: _polyak(k)),
    "polyak-0.9": ("α*, β = 0.9", lambda k: (_polyak(k)[0], 0.9)),
    "default-0.9": ("α = 1/L, β = 0.9", lambda k: (1.0, 0.9)),
    "ringing": ("α = 1/L, β = 0.99", lambda k: (1.0, 0.99)),
    "diverges": ("α = 3.2/L, β = 0.5", lambda k: (3.2, 0.5)),
}
#: the settings' labels in the Chinese captions
SETTINGS_ZH = {
    "gd": "梯度下降，α = 2/(L+μ)",
    "polyak": "Polyak：α*，β*",
    "polyak-0.9": "α*，β = 0.9",
    "default-0.9": "α = 1/L，β = 0.9",
    "ringing": "α = 1/L，β = 0.99",
    "diverges": "α = 3.2/L，β = 0.5",
}
SHOWN_STEPS = 300  # the valley panel draws at most this many steps
_GRID = (np.linspace(0.0, 4.2, 211), np.linspace(0.0, 0.999, 151))  # αL, β
_LEVELS = [0.0, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 1.0]
_HB = OPTIMIZER_STYLE["Momentum"]["color"]
# what moves from setting to setting is drawn above the axes (2.5), the legends and the fixed
# titles, so the live view redraws none of them for it
_MOVING, _FIXED_TOP = 2.6, 2.55


def _polyak(kappa):
    lr, beta, _ = momentum.optimal_heavy_ball(largest=float(kappa), smallest=1.0)
    return lr * kappa, beta


def setting_values(kappa, setting):
    """(α, β) of ``setting`` at condition number ``kappa`` (μ = 1, L = κ)."""
    scaled, beta = SETTINGS[setting][1](kappa)
    return scaled / kappa, beta


@functools.cache
def _per_kappa(kappa):
    """What every frame of one κ shares: the rate map, the reference runs, the axes."""
    lr_gd, rho_gd = momentum.optimal_gradient_descent(largest=float(kappa), smallest=1.0)
    lr_hb, beta_hb, rho_hb = momentum.optimal_heavy_ball(largest=float(kappa), smallest=1.0)
    runs = {key: momentum.valley_run(kappa, *setting_values(kappa, key)) for key in SETTINGS}
    finite = [r for r in runs.values() if r.diverged_at is None]
    height = max(np.abs(r.path[: SHOWN_STEPS + 1, 1]).max() for r in finite)
    longest = max(r.steps for r in finite if r.steps is not None)
    return {
        "rates": momentum.rate_map(kappa, _GRID[0] / kappa, _GRID[1]),
        "gd": (lr_gd, rho_gd),
        "polyak": (lr_hb, beta_hb, rho_hb),
        "runs": runs,
        "height": 1.15 * height,
        "xmax": min(longest, 4 * runs["polyak"].steps),
    }


def kappa_run(kappa, setting):
    """The run of ``setting`` at ``kappa`` with what its κ shares; a diverged run is
    returned as the :class:`Diverged` error carrying it (``error.run``)."""
    shared = _per_kappa(kappa)
    run = shared["runs"][setting]
    result = {**shared, "run": run}
    if run.diverged_at is None:
        return result
    reason = passed("‖θ‖", "10⁶ ‖θ₀‖")
    error = Diverged(run.diverged_at, "θ", reason)
    error.run, error.result = run, result
    return error


def _unpack(result):
    return result.result if isinstance(result, Diverged) else result


def draw_kappa(fig, result, kappa, setting):
    """Four panels: the rate ρ(α, β) with Polyak's optimum; ρ against κ for gradient
    descent and the heavy ball; the run on the valley; its distance to the minimum.

    Returns the updater: another setting at the same κ moves the markers and curves;
    another κ is drawn afresh (the rate map, the valley and the axes change).
    """
    shared = _unpack(result)
    x, y = _GRID
    phase = fig.add_axes((0.105, 0.585, 0.315, 0.36))
    bar = fig.add_axes((0.43, 0.585, 0.014, 0.36))
    versus = fig.add_axes((0.615, 0.585, 0.36, 0.36))
    valley = fig.add_axes((0.105, 0.1, 0.34, 0.35))
    distance = fig.add_axes((0.615, 0.1, 0.36, 0.35))

    rates = np.where(shared["rates"] >= 1, np.nan, shared["rates"])
    phase.set_facecolor("#d9d9d9")  # ρ ≥ 1: diverges
    norm = BoundaryNorm(_LEVELS, 256)  # bands of equal height in the colour bar
    image = phase.contourf(x, y, rates, levels=_LEVELS, cmap="viridis", norm=norm)
    fig.colorbar(image, cax=bar, ticks=_LEVELS[1:-1])
    bar.tick_params(labelsize=8)
    bar.set_xlabel("ρ", fontsize=9)
    bar.set_ylabel("closed-form rate", fontsize=9)
    edge = np.linspace(0, 4.2, 300)
    for curve in ((1 - np.sqrt(edge / kappa)) ** 2, (1 - np.sqrt(edge)) ** 2):
        phase.plot(edge, curve, color="white", lw=0.9, ls="--")  # b² = 4β at λ = μ, λ = L
    phase.plot(edge, edge / 2 - 1, color="black", lw=1)  # αL = 2(1 + β)
    lr_hb, beta_hb, rho_hb = shared["polyak"]
    phase.plot(lr_hb * kappa, beta_hb, "*", color="white", mec="black", ms=13)
    (here,) = phase.plot([], [], "o", color=_HB, mec="black", ms=8, zorder=_MOVING)
    phase.set(xlim=(0, 4.2), ylim=(0, 1), xlabel="step size αL", ylabel="momentum β")
    phase.set_title(f"rate ρ(α, β) at κ = {kappa:g}", fontsize=10).set_zorder(_FIXED_TOP)

    k = np.geomspace(1, 3000, 200)
    versus.semilogx(k, (k - 1) / (k + 1), color="black", ls="--", lw=1.5,
                    label="GD, best α: (κ−1)/(κ+1)")  # fmt: skip
    versus.semilogx(k, (np.sqrt(k) - 1) / (np.sqrt(k) + 1), color=_HB, lw=1.8,
                    label="Polyak: (√κ−1)/(√κ+1)")  # fmt: skip
    versus.axvline(kappa, color="#999999", lw=0.8, ls=":")
    (dot,) = versus.plot([], [], "o", color=_HB, mec="black", ms=8, label="this setting",
                        zorder=_MOVING)  # fmt: skip
    versus.set(xlim=(1, 3000), ylim=(0, 1.06), xlabel="condition number κ", ylabel="rate ρ")
    versus.legend(fontsize=8, loc="lower right").set_zorder(_FIXED_TOP)
    versus.grid(alpha=0.3)
    versus.xaxis.set_minor_locator(NullLocator())  # fewer ticks: a faster full drawing

    height = shared["height"]
    start = momentum.VALLEY_START
    f0 = 0.5 * (start[0] ** 2 + kappa * start[1] ** 2)
    turn = np.linspace(0, 2 * np.pi, 121)
    for level in f0 * np.geomspace(1e-3, (3.2**2 + kappa * height**2) / (2 * f0), 9):
        valley.plot(np.sqrt(2 * level) * np.cos(turn), np.sqrt(2 * level / kappa) * np.sin(turn),
                    color="#bbbbbb", lw=0.6)  # fmt: skip
    (path,) = valley.plot([], [], "-", color=_HB, lw=0.9, zorder=_MOVING)
    valley.plot(*start, "ks", ms=6, zorder=_MOVING + 1)
    valley.plot(0, 0, "+", color="black", ms=9)
    valley.set(xlim=(-3.2, 3.2), ylim=(-height, height), xlabel="θ₁ (curvature μ = 1)",
               ylabel=f"θ₂ (curvature L = {kappa:g})")  # fmt: skip
    valley.set_title(f"the run (at most {SHOWN_STEPS} steps shown)", fontsize=10).set_zorder(
        _FIXED_TOP
    )

    steps = np.arange(shared["xmax"] + 1)
    for key, style in (
        ("gd", {"ls": "--", "label": "GD, best α"}),
        ("polyak", {"label": "Polyak"}),
    ):
        reference = shared["runs"][key].distance[: len(steps)]
        distance.semilogy(steps[: len(reference)], reference, lw=1, color="#999999", **style)
    (curve,) = distance.semilogy([], [], color=_HB, lw=1.8, label="this run", zorder=_MOVING)
    (predicted,) = distance.semilogy([], [], color="black", lw=1, ls=":", label="ρᵗ",
                                     zorder=_MOVING)  # fmt: skip
    distance.set_yticks([1e-6, 1e-4, 1e-2, 1.0, 1e2])
    distance.yaxis.set_minor_locator(NullLocator())
    distance.set(xlim=(0, shared["xmax"]), ylim=(momentum.VALLEY_TOL, 1e2), xlabel="step t",
                 ylabel="‖θₜ‖ / ‖θ₀‖")  # fmt: skip
    distance.legend(fontsize=8, loc="upper right").set_zorder(_FIXED_TOP)
    status = distance.set_title("", fontsize=10)
    drawn = kappa

    def update(result, kappa, setting):
        if kappa != drawn:
            return None
        run = result.run if isinstance(result, Diverged) else _unpack(result)["run"]
        here.set_data([run.lr * kappa], [run.beta])
        dot.set_data([kappa], [min(run.rate, 1.04)])
        dot.set_marker("X" if run.rate >= 1 else "o")
        dot.set_color(OKABE_ITO["vermillion"] if run.rate >= 1 else _HB)
        shown = run.path[: SHOWN_STEPS + 1]
        path.set_data(shown[:, 0], shown[:, 1])
        drawn_distance = run.distance[: shared_xmax + 1]
        curve.set_data(np.arange(len(drawn_distance)), drawn_distance)
        if run.rate < 1:
            t = np.array([0, shared_xmax])
            predicted.set_data(t, run.rate**t)
        else:
            predicted.set_data([], [])
        status.set_text(_status(run))
        status.set_color(OKABE_ITO["vermillion"] if run.diverged_at else "black")
        return [here, dot, path, curve, predicted, status]

    shared_xmax = shared["xmax"]
    return update


def _status(run):
    if run.diverged_at is not None:
        return f"✕ diverged at step {run.diverged_at}"
    if run.steps is None:
        return f"not within {len(run.path) - 1} steps"
    predicted = run.predicted
    return f"{run.steps} steps to 10⁻⁶ (ρᵗ alone: {predicted})"


def describe_kappa(result, kappa, setting):
    shared = _unpack(result)
    run = result.run if isinstance(result, Diverged) else shared["run"]
    label, label_zh = SETTINGS[setting][0], SETTINGS_ZH.get(setting, SETTINGS[setting][0])
    k, lr, beta = f"{kappa:g}", number(run.lr, 3, trim=True), number(run.beta, 3, trim=True)
    rate, gd, polyak = f"{run.rate:.3f}", f"{shared['gd'][1]:.3f}", f"{shared['polyak'][2]:.3f}"
    head = (
        f"κ = {k}, {label} (α = {lr}, β = {beta}): closed-form rate ρ = {rate}, against "
        f"{gd} for gradient descent at its best and {polyak} for Polyak's tuning. "
    )
    head_zh = (
        f"κ = {k}，{label_zh}（α = {lr}，β = {beta}）：闭式收敛速率 ρ = {rate}，而梯度下降"
        f"在最佳步长下为 {gd}，Polyak 的调参下为 {polyak}。"
    )
    if isinstance(result, Diverged):
        return Caption(
            head + f"ρ > 1, and the run diverged at step {result.step}: {result.reason}.",
            zh=head_zh + f"ρ > 1，运行在第 {result.step} 步发散：{chinese(result.reason)}。",
        )
    if run.steps is None:
        steps = len(run.path) - 1
        return Caption(
            head + f"The run is not within 10⁻⁶ of the minimum after {steps} steps.",
            zh=head_zh + f"运行 {steps} 步后，与极小值的距离仍未缩小到 10⁻⁶ 以内。",
        )
    return Caption(
        head + f"The run reaches ‖θ‖ ≤ 10⁻⁶ ‖θ₀‖ in {run.steps} steps; "
        f"ρᵗ alone predicts {run.predicted}.",
        zh=head_zh + f"运行用 {run.steps} 步达到 ‖θ‖ ≤ 10⁻⁶ ‖θ₀‖；单凭 ρᵗ 预测为 "
        f"{run.predicted} 步。",
    )


def kappa_explorer():
    """Condition number κ × (α, β) setting: 30 frames of the heavy ball's rate theory."""
    return Explorer(
        functools.cache(kappa_run),
        draw_kappa,
        describe_kappa,
        figsize=(6.6, 5.0),
        colors=32,
        kappa=Slider.from_values("condition number κ", KAPPAS, value=100),
        setting=Choice(
            "setting", {label: key for key, (label, _) in SETTINGS.items()}, "polyak"
        ),  # fmt: skip
    )
