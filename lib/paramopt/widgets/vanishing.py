"""Chapter 2's explorer: the weight-gradient norm of every layer of a deep network.

The profiles come from :func:`paramopt.diagnostics.gradient_profile`; this module only
draws and describes them (:func:`depth_explorer`).
"""

import numpy as np

from paramopt.diagnostics import ACTIVATIONS, INITS, gradient_profile
from paramopt.style import ACTIVATION_STYLE
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = ["depth_explorer", "describe_profile", "draw_profile"]


def draw_profile(fig, profile, *, ylim=(1e-25, 1e25)):
    """‖∂L/∂W⁽ˡ⁾‖ against the layer l on a log scale, clipped to ``ylim``.

    Norms outside ``ylim`` are drawn as triangles on the edge, and a note counts them.
    """
    ax = fig.add_axes((0.11, 0.15, 0.62, 0.72))
    norms, depth = profile["norms"], profile["depth"]
    layers = np.arange(1, depth + 1)
    low, high = ylim
    style = ACTIVATION_STYLE[profile["activation"]]
    shown = np.clip(norms, low, high)
    ax.plot(layers, shown, color=style["color"], ls=style["linestyle"], lw=1.2)
    inside = (norms >= low) & (norms <= high)
    ax.plot(layers[inside], norms[inside], style["marker"], color=style["color"], ms=4)
    for off, edge, marker in ((norms < low, low, "v"), (norms > high, high, "^")):
        edges = np.full(off.sum(), edge)
        ax.plot(layers[off], edges, marker, color="black", ms=7, clip_on=False)
    ax.axhline(norms[-1], color="#777777", lw=0.8, ls=":")
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
    bn = "with BatchNorm" if profile["batchnorm"] else "no BatchNorm"
    title = f"{depth} layers, {profile['activation']}, {profile['init']} init, {bn}"
    ax.set_title(title, fontsize=10)
    lines = [
        f"first layer: {norms[0]:.1e}",
        f"last layer:  {norms[-1]:.1e}",
        f"first / last: {profile['ratio']:.1e}",
    ]
    below, above = int((norms < low).sum()), int((norms > high).sum())
    if below:
        lines.append(f"▼ {below} below {low:.0e}")
    if above:
        lines.append(f"▲ {above} above {high:.0e}")
    fig.text(0.76, 0.8, "\n".join(lines), fontsize=9, va="top", family="monospace")
    note = "dotted: the last\nlayer's norm"
    if below or above:
        note += "\n▼▲: off the scale,\ndrawn at its edge"
    fig.text(0.76, 0.18, note, fontsize=8, color="#555555", va="bottom")


def describe_profile(profile):
    """One sentence: the setting and how the first layer's gradient compares to the last's."""
    bn = "with" if profile["batchnorm"] else "without"
    norms = profile["norms"]
    return (
        f"Weight-gradient norm of each of the {profile['depth']} layers of a "
        f"{profile['activation']} network with {profile['init']} initialisation, {bn} "
        f"BatchNorm: {norms[0]:.1e} at the first layer, {norms[-1]:.1e} at the last, a ratio "
        f"of {profile['ratio']:.1e}."
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
