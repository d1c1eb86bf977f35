"""Chapter 2's explorer: the weight-gradient norm of every layer of a deep network.

The profiles come from :func:`paramopt.diagnostics.gradient_profile`; this module only
draws and describes them (:func:`depth_explorer`).
"""

import functools

import numpy as np

from paramopt.captions import Caption
from paramopt.diagnostics import ACTIVATIONS, INITS, gradient_profile
from paramopt.style import ACTIVATION_STYLE, number
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = ["depth_explorer", "describe_profile", "draw_profile"]


def draw_profile(fig, profile, *, ylim=(1e-25, 1e25)):
    """‖∂L/∂W⁽ˡ⁾‖ against the layer l on a log scale, clipped to ``ylim``.

    Norms outside ``ylim`` are drawn as triangles on the edge, and a note counts them.
    Returns the updater ``update(profile)`` that draws another profile of the same depth
    on these axes and returns the artists it changed (None, a redraw, for another depth).
    """
    ax = fig.add_axes((0.11, 0.15, 0.6, 0.72))
    depth = profile["depth"]
    low, high = ylim
    (curve,) = ax.plot([], [], lw=1.2)
    (dots,) = ax.plot([], [], ls="none", ms=4)
    (under,) = ax.plot([], [], "v", color="black", ms=7, clip_on=False)
    (over,) = ax.plot([], [], "^", color="black", ms=7, clip_on=False)
    last = ax.axhline(1.0, color="#777777", lw=0.8, ls=":")
    ax.set_yscale("log")
    decades = np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + 1, 5)
    ax.set_yticks(10.0**decades)
    ax.minorticks_off()
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", color="#dddddd", lw=0.6)
    ax.set(
        ylim=(low / 3, high * 3),
        xlim=(0.5, depth + 0.5),
        xlabel="layer l (1 = first, next to the input)",
        ylabel=r"$\|\partial L/\partial W^{(l)}\|_F$",
    )
    title = ax.set_title("", fontsize=10)
    stats = fig.text(0.725, 0.8, "", fontsize=8.5, va="top", family="monospace")
    note = fig.text(0.725, 0.18, "", fontsize=8, color="#555555", va="bottom")

    def update(profile):
        if profile["depth"] != depth:
            return None
        norms = profile["norms"]
        layers = np.arange(1, depth + 1)
        style = ACTIVATION_STYLE[profile["activation"]]
        curve.set_data(layers, np.clip(norms, low, high))
        curve.set(color=style["color"], linestyle=style["linestyle"])
        inside = (norms >= low) & (norms <= high)
        dots.set_data(layers[inside], norms[inside])
        dots.set(color=style["color"], marker=style["marker"])
        for line, off, edge in ((under, norms < low, low), (over, norms > high, high)):
            line.set_data(layers[off], np.full(off.sum(), edge))
            line.set_visible(bool(off.any()))  # an empty unclipped line has an extent
        last.set_ydata([norms[-1], norms[-1]])
        bn = "with BatchNorm" if profile["batchnorm"] else "no BatchNorm"
        title.set_text(f"{depth} layers, {profile['activation']}, {profile['init']} init, {bn}")
        lines = [
            f"first layer: {number(norms[0], 2, trim=True)}",
            f"last layer:  {number(norms[-1], 2, trim=True)}",
            f"first / last: {number(profile['ratio'], 2, trim=True)}",
        ]
        below, above = int((norms < low).sum()), int((norms > high).sum())
        if below:
            lines.append(f"▼ {below} below {number(low, 3, trim=True)}")
        if above:
            lines.append(f"▲ {above} above {number(high, 3, trim=True)}")
        stats.set_text("\n".join(lines))
        text = "dotted: the last\nlayer's norm"
        if below or above:
            text += "\n▼▲: off the scale,\ndrawn at its edge"
        note.set_text(text)
        return [curve, dots, under, over, last, title, stats, note]

    update(profile)
    return update


#: the initialisations in the Chinese captions ("… 初始化")
INITS_ZH = {"normal": "正态", "xavier": "Xavier", "he": "He", "default": "默认"}


def describe_profile(profile):
    """One sentence, in English and Chinese: the setting and how the first layer's gradient
    compares to the last's."""
    bn = "with" if profile["batchnorm"] else "without"
    bn_zh = "带批量归一化" if profile["batchnorm"] else "不带批量归一化"
    norms, depth, activation, init = (profile[k] for k in ("norms", "depth", "activation", "init"))
    first, last = number(norms[0], 2, trim=True), number(norms[-1], 2, trim=True)
    ratio = number(profile["ratio"], 2, trim=True)
    init_zh = INITS_ZH.get(init, init)
    init_zh += " 初始化" if init_zh[-1].isascii() else "初始化"
    return Caption(
        f"Weight-gradient norm of each of the {depth} layers of a "
        f"{activation} network with {init} initialisation, {bn} "
        f"BatchNorm: {first} at the first layer, {last} at the last, a ratio of {ratio}.",
        zh=f"{activation} 网络（{depth} 层，{init_zh}，{bn_zh}）各层的权重梯度范数："
        f"第一层为 {first}，最后一层为 {last}，两者之比为 {ratio}。",
    )


def depth_explorer(depths=(20, 50), inits=("normal", "xavier", "he"), **settings):
    """Per-layer gradient norms for each depth × activation × initialisation × BatchNorm.

    ``settings`` go to :func:`paramopt.diagnostics.gradient_profile` (width, n_inputs,
    batch, std, bias, rng).
    """
    depths = list(depths)
    for init in inits:
        if init not in INITS:
            raise ValueError(f"inits must be names in {list(INITS)}, got {init!r}")

    @functools.cache  # each setting is computed once, however often it is shown
    def compute(depth, activation, init, batchnorm):
        return gradient_profile(depth, activation, init, batchnorm, **settings)

    return Explorer(
        compute,
        lambda fig, profile, **values: draw_profile(fig, profile),
        lambda profile, **values: describe_profile(profile),
        figsize=(6.8, 3.1),
        depth=Slider.from_values("depth", depths, value=depths[0]),
        activation=Choice("activation", list(ACTIVATIONS), value="sigmoid"),
        init=Choice("init", list(inits), value="xavier" if "xavier" in inits else inits[0]),
        batchnorm=Choice("BatchNorm", {"off": False, "on": True}),
    )
