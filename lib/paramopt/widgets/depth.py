"""Chapter 2's widget and experiments: how gradients survive (or not) a deep network.

:func:`gradient_profile` measures ‖∂L/∂W⁽ˡ⁾‖ for every layer l of a freshly initialised
MLP; :func:`depth_explorer` shows it for choices of depth, activation, initialisation and
BatchNorm; :func:`dying_relu` trains a small ReLU classifier and counts the units that
died on the way.
"""

import numbers

import numpy as np

from paramopt import data, nn, optim
from paramopt.diagnostics import layer_report
from paramopt.style import OKABE_ITO
from paramopt.validation import Diverged, check_real
from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = [
    "ACTIVATION_STYLE",
    "INITS",
    "depth_explorer",
    "describe_profile",
    "draw_profile",
    "dying_relu",
    "gradient_profile",
    "probe_batch",
]

#: the initialisations compared, by the name used in the book → ``paramopt.nn.mlp`` name
INITS = {
    "normal": "normal",  # W ~ N(0, std²), std = 1 unless given
    "xavier": "xavier",  # U(±√(6/(fan_in + fan_out))), Glorot & Bengio (2010)
    "he": "kaiming",  # N(0, 2/fan_in) for ReLU (gain of the activation), He et al. (2015)
    "default": "default",  # torch.nn.Linear's own: U(±1/√fan_in)
}

#: colour and marker of each activation, the same in every figure of chapter 2
ACTIVATION_STYLE = {
    "sigmoid": {"color": OKABE_ITO["orange"], "marker": "s", "linestyle": "--"},
    "tanh": {"color": OKABE_ITO["blue"], "marker": "^", "linestyle": "-."},
    "relu": {"color": OKABE_ITO["green"], "marker": "o", "linestyle": "-"},
}


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def probe_batch(n_inputs=16, batch=128, seed=0):
    """A fixed regression batch: X ~ N(0, 1) of shape (batch, n_inputs), y = x₁ + 0.1·noise."""
    n_inputs, batch = _positive_int("n_inputs", n_inputs), _positive_int("batch", batch)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, n_inputs))
    return X, X[:, :1] + 0.1 * rng.standard_normal((batch, 1))


def gradient_profile(
    depth,
    activation="sigmoid",
    init="xavier",
    batchnorm=False,
    *,
    width=32,
    n_inputs=16,
    batch=128,
    std=1.0,
    bias=None,
    seed=0,
):
    """Per-layer weight-gradient norms of a freshly initialised MLP, one batch, MSE loss.

    The network is ``paramopt.nn.mlp([n_inputs] + [width]·(depth − 1) + [1], activation,
    INITS[init], batchnorm=batchnorm, std=std, rng=seed)``: ``depth`` Linear layers, each
    but the last followed by [BatchNorm1d →] the activation. ``bias=None`` keeps the
    biases of the initialisation (zero for every init but "default", whose biases are
    U(±1/√fan_in)); a number sets every Linear's bias to it. It sees
    ``probe_batch(n_inputs, batch, seed)`` once, in training mode, and
    ``paramopt.diagnostics.layer_report`` measures ‖∂L/∂W⁽ˡ⁾‖_F for l = 1 … depth.

    Returns a dict: ``norms`` (array, layer 1 first), ``ratio`` = norms[0] / norms[-1],
    ``records`` (the LayerStats), and the settings. Raises :class:`paramopt.Diverged`
    (with ``step`` = the layer) if the forward pass or a gradient norm is not finite.
    """
    depth = _positive_int("depth", depth)
    if depth < 2:
        raise ValueError(f"depth must be at least 2, got {depth}")
    if activation not in ACTIVATION_STYLE:
        raise ValueError(f"activation must be one of {list(ACTIVATION_STYLE)}, got {activation!r}")
    if init not in INITS:
        raise ValueError(f"init must be one of {list(INITS)}, got {init!r}")
    if not isinstance(batchnorm, bool | np.bool_):
        raise TypeError(f"batchnorm must be a bool, got {batchnorm!r}")
    width = _positive_int("width", width)
    std = check_real("std", std, low=0)
    if bias is not None:
        bias = check_real("bias", bias)
    X, y = probe_batch(n_inputs, batch, seed)
    widths = [n_inputs] + [width] * (depth - 1) + [1]
    model = nn.mlp(widths, activation, INITS[init], batchnorm=bool(batchnorm), std=std, rng=seed)
    if bias is not None:
        for module in model:
            if isinstance(module, nn.Linear):
                module.bias[...] = bias
    with np.errstate(over="ignore", invalid="ignore"):
        h, layer = X, 0
        for module in model:
            layer += isinstance(module, nn.Linear)
            h = module.forward(h)
            if not np.isfinite(h).all():
                raise Diverged(layer, f"the forward pass at layer {layer}")
        records = layer_report(model, X, y, nn.MSELoss())
    norms = np.array([r.weight_grad_norm for r in records])
    bad = np.flatnonzero(~np.isfinite(norms))
    if bad.size:
        raise Diverged(int(bad[-1]) + 1, f"the weight gradient of layer {bad[-1] + 1}")
    return {
        "norms": norms,
        "ratio": float(norms[0] / norms[-1]) if norms[-1] > 0 else float("inf"),
        "records": records,
        "depth": depth,
        "activation": activation,
        "init": init,
        "batchnorm": bool(batchnorm),
    }


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

    ``settings`` go to :func:`gradient_profile` (width, n_inputs, batch, std, bias, seed).
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
        activation=Choice("activation", list(ACTIVATION_STYLE), value="sigmoid"),
        init=Choice("init", list(inits), value="xavier" if "xavier" in inits else inits[0]),
        batchnorm=Choice("BatchNorm", {"off": False, "on": True}),
    )


# -- dying ReLU ---------------------------------------------------------------------------


def _dead_fractions(model, X, labels):
    """Fraction of hidden ReLU units whose output is 0 for every row of X, in all and by layer."""
    records = layer_report(model, X, labels, nn.CrossEntropyLoss())[:-1]
    units = sum(r.shape[0] for r in records)
    total = sum(r.frac_dead * r.shape[0] for r in records) / units
    return total, tuple(r.frac_dead for r in records)


def dying_relu(lr, bias=0.0, *, hidden=(64, 64), epochs=30, batch_size=20, seed=0):
    """Train a ReLU classifier with SGD and count its dead units before and after.

    Data: ``paramopt.data.two_blobs(100, distance=3, spread=1, rng=0)`` (200 points in
    the plane, labels 0/1). Model: ``mlp([2, *hidden, 2], "relu", "kaiming", rng=seed)``
    (He init), then every hidden bias set to ``bias``; loss CrossEntropyLoss; optimiser
    ``paramopt.optim.SGD(lr=lr)`` on shuffled minibatches of ``batch_size`` for
    ``epochs`` epochs (200/batch_size steps per epoch, seeded by ``seed``).

    A unit is *dead* if its ReLU outputs 0 on every one of the 200 training points: it
    then passes no gradient back, so plain SGD does not change its incoming weights and
    bias. A dead unit of the first hidden layer stays dead (its inputs are the fixed
    data); one of a deeper layer can revive when the layers below change its inputs.

    Returns ``{"dead_before", "dead_after"`` (fractions of all hidden units),
    ``"dead_before_by_layer", "dead_after_by_layer"`` (tuples, one fraction per hidden
    layer, the first hidden layer first), ``"loss"``, ``"accuracy"`` (on the training
    points after training), ``"steps"}``. Raises
    :class:`paramopt.Diverged` if the loss or a gradient stops being finite.
    """
    lr = check_real("lr", lr, low=0)
    bias = check_real("bias", bias)
    hidden = [_positive_int("hidden", h) for h in hidden]
    epochs, batch_size = _positive_int("epochs", epochs), _positive_int("batch_size", batch_size)
    X, y = data.two_blobs(100, distance=3.0, spread=1.0, rng=0)
    labels = (y > 0).astype(int)
    model = nn.mlp([2, *hidden, 2], "relu", "kaiming", rng=seed)
    for layer in model[:-1]:
        if isinstance(layer, nn.Linear):
            layer.bias[...] = bias
    loss = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=lr)
    dead_before, by_layer_before = _dead_fractions(model, X, labels)
    rng, step = np.random.default_rng(seed), 0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            for xb, yb in data.minibatches(X, labels, batch_size, rng=rng):
                step += 1
                logits = model.forward(xb)
                if not np.isfinite(logits).all():
                    raise Diverged(step, "the network's output")
                loss.forward(logits, yb)
                model.backward(loss.backward(), input_grad=False)
                if not all(np.isfinite(g).all() for g in model.gradients()):
                    raise Diverged(step, "a gradient")
                optimizer.step(model.gradients())
        logits = model.forward(X)
        if not np.isfinite(logits).all():
            raise Diverged(step, "the network's output")
    dead_after, by_layer_after = _dead_fractions(model, X, labels)
    return {
        "dead_before": dead_before,
        "dead_after": dead_after,
        "dead_before_by_layer": by_layer_before,
        "dead_after_by_layer": by_layer_after,
        "loss": loss.forward(logits, labels),
        "accuracy": float(np.mean(logits.argmax(axis=1) == labels)),
        "steps": step,
    }
