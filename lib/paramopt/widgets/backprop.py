"""Chapter 1's explorer: one forward and one backward pass through the 2–2–1 network of
:mod:`paramopt.backprop`, step by step on a drawing of the network.

:func:`draw_architecture` draws the network with symbols only; :func:`network_explorer`
writes the numbers of :func:`paramopt.backprop.network_pass` on it, one step of the pass
at a time (:func:`draw_pass`, :func:`describe_pass`).
"""

import numpy as np

from paramopt.backprop import DEFAULT_WEIGHTS, network_pass
from paramopt.captions import Caption
from paramopt.style import OKABE_ITO, number
from paramopt.validation import check_int, check_real
from paramopt.widgets.controls import Slider
from paramopt.widgets.explorer import Explorer

__all__ = [
    "STAGES",
    "describe_pass",
    "draw_architecture",
    "draw_pass",
    "network_explorer",
]

#: (slider label, figure title) of each step of the pass
STAGES = [
    ("F1 input", "forward 1/5: the input x, the target y and the weights"),
    ("F2 z⁽¹⁾", "forward 2/5: pre-activations z⁽¹⁾ = W⁽¹⁾x + b⁽¹⁾"),
    ("F3 a⁽¹⁾", "forward 3/5: activations a⁽¹⁾ = σ(z⁽¹⁾)"),
    ("F4 ŷ", "forward 4/5: output ŷ = W⁽²⁾a⁽¹⁾ + b⁽²⁾"),
    ("F5 L", "forward 5/5: loss L = (ŷ − y)²"),
    ("B1 δ⁽²⁾", "backward 1/5: δ⁽²⁾ = ∂L/∂ŷ = 2(ŷ − y)"),
    ("B2 ∂W⁽²⁾", "backward 2/5: ∂L/∂W⁽²⁾ = δ⁽²⁾a⁽¹⁾ᵀ,  ∂L/∂b⁽²⁾ = δ⁽²⁾"),
    ("B3 ∂a⁽¹⁾", "backward 3/5: ∂L/∂a⁽¹⁾ = W⁽²⁾ᵀδ⁽²⁾"),
    ("B4 δ⁽¹⁾", "backward 4/5: δ⁽¹⁾ = ∂L/∂z⁽¹⁾ = ∂L/∂a⁽¹⁾ ⊙ σ′(z⁽¹⁾)"),
    ("B5 ∂W⁽¹⁾", "backward 5/5: ∂L/∂W⁽¹⁾ = δ⁽¹⁾xᵀ,  ∂L/∂b⁽¹⁾ = δ⁽¹⁾"),
]

H = 1.2  # vertical distance between the two units of a layer
POS = {"x1": (0.0, H), "x2": (0.0, 0.0), "h1": (1.7, H), "h2": (1.7, 0.0)}
POS |= {"out": (3.65, H / 2), "loss": (4.8, H / 2)}
RADIUS = 0.2
FORWARD, BACKWARD = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
GREY = "#b0b0b0"
LINE = 0.17  # height of a line of 10-point text in data units


def _fmt(v):
    """A number for the drawing: as :func:`paramopt.style.number` writes it (3 significant
    digits, powers of ten, never e-notation), with a true minus sign."""
    return number(v, 3, trim=True).replace("-", "−")


def _p(v):
    """A number as a factor in a formula: negative numbers in parentheses."""
    return f"({_fmt(v)})" if v < 0 else _fmt(v)


SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _w(key, j, k):
    """The weight's symbol, e.g. w⁽¹⁾₁₂ (row j, column k, counted from 0)."""
    return f"w⁽¹⁾{j + 1}{k + 1}".translate(SUB) if key == "W1" else f"w⁽²⁾{k + 1}".translate(SUB)


def _formulas(s, stage):
    """The current step's formulas with its numbers filled in, one string per line."""
    x, W1, b1, W2 = s["x"], s["W1"], s["b1"], s["W2"]
    z1, a1, sp, d2, g = s["z1"], s["a1"], s["sigma_prime"], s["delta2"], s["grad_a1"]
    units = [str(j + 1).translate(SUB) for j in range(2)]
    if stage == 0:
        return [
            f"x = ({_fmt(x[0])}, {_fmt(x[1])}),  target y = {_fmt(s['y'])};  "
            "weights on the edges, biases b beside the units"
        ]
    if stage == 1:
        return [
            f"z⁽¹⁾{u} = {_w('W1', j, 0)}·x₁ + {_w('W1', j, 1)}·x₂ + b⁽¹⁾{u} = "
            f"{_p(W1[j, 0])}·{_p(x[0])} + {_p(W1[j, 1])}·{_p(x[1])} + {_p(b1[j])} = "
            f"{_fmt(z1[j])}"
            for j, u in enumerate(units)
        ]
    if stage == 2:
        return [
            f"a⁽¹⁾{u} = σ(z⁽¹⁾{u}) = 1/(1 + exp(−z⁽¹⁾{u})) = 1/(1 + exp({_fmt(-z1[j])})) = "
            f"{_fmt(a1[j])}"
            for j, u in enumerate(units)
        ]
    if stage == 3:
        return [
            f"ŷ = w⁽²⁾₁·a⁽¹⁾₁ + w⁽²⁾₂·a⁽¹⁾₂ + b⁽²⁾ = {_p(W2[0, 0])}·{_p(a1[0])} + "
            f"{_p(W2[0, 1])}·{_p(a1[1])} + {_p(s['b2'][0])} = {_fmt(s['y_hat'])}"
        ]
    if stage == 4:
        return [f"L = (ŷ − y)² = ({_fmt(s['y_hat'])} − {_p(s['y'])})² = {_fmt(s['loss'])}"]
    if stage == 5:
        return [f"δ⁽²⁾ = ∂L/∂ŷ = 2(ŷ − y) = 2·({_fmt(s['y_hat'])} − {_p(s['y'])}) = {_fmt(d2)}"]
    if stage == 6:
        return [
            f"∂L/∂w⁽²⁾{u} = δ⁽²⁾·a⁽¹⁾{u} = {_p(d2)}·{_p(a1[j])} = {_fmt(s['grad_W2'][0, j])}"
            for j, u in enumerate(units)
        ] + [f"∂L/∂b⁽²⁾ = δ⁽²⁾ = {_fmt(s['grad_b2'][0])}"]
    if stage == 7:
        return [
            f"∂L/∂a⁽¹⁾{u} = w⁽²⁾{u}·δ⁽²⁾ = {_p(W2[0, j])}·{_p(d2)} = {_fmt(g[j])}"
            for j, u in enumerate(units)
        ]
    if stage == 8:
        return [
            f"δ⁽¹⁾{u} = ∂L/∂a⁽¹⁾{u}·σ′(z⁽¹⁾{u}),  σ′(z⁽¹⁾{u}) = a⁽¹⁾{u}(1 − a⁽¹⁾{u}) = "
            f"{_fmt(sp[j])},  δ⁽¹⁾{u} = {_p(g[j])}·{_p(sp[j])} = {_fmt(s['delta1'][j])}"
            for j, u in enumerate(units)
        ]
    gw = s["grad_W1"]
    return [
        f"∂L/∂{_w('W1', j, 0)} = δ⁽¹⁾{u}·x₁ = {_fmt(gw[j, 0])},   "
        f"∂L/∂{_w('W1', j, 1)} = δ⁽¹⁾{u}·x₂ = {_fmt(gw[j, 1])},   "
        f"∂L/∂b⁽¹⁾{u} = δ⁽¹⁾{u} = {_fmt(s['grad_b1'][j])}"
        for j, u in enumerate(units)
    ]


def _edges():
    """(source, target, weight key, row, column) for every weight."""
    first = [(f"x{k + 1}", f"h{j + 1}", "W1", j, k) for j in range(2) for k in range(2)]
    return first + [(f"h{j + 1}", "out", "W2", 0, j) for j in range(2)]


def _label_at(key, j, k):
    """Where along its edge a weight's label sits: away from the crossing of W⁽¹⁾'s edges."""
    return 0.3 if key == "W1" and j != k else 0.5


def _weight_symbol(key, j, k):
    return rf"$w^{{(1)}}_{{{j + 1}{k + 1}}}$" if key == "W1" else rf"$w^{{(2)}}_{{{k + 1}}}$"


def _node(ax, name, label, color, active):
    from matplotlib.patches import Circle

    x, y = POS[name]
    ax.add_patch(
        Circle(
            (x, y),
            RADIUS,
            zorder=3,
            facecolor=color if active else "white",
            edgecolor=color if active else "#555555",
            lw=1.6,
        )
    )
    ax.text(x, y, label, ha="center", va="center", fontsize=12, color="white" if active else "k")


def _frame(ax):
    ax.set(xlim=(-0.7, 5.2), ylim=(-0.95, H + 0.95))
    ax.set_aspect("equal")
    ax.axis("off")


def _edge_label(ax, p0, p1, t, lines):
    """``lines`` = [(text, colour, size), ...] stacked at fraction t along the edge."""
    x = p0[0] + t * (p1[0] - p0[0])
    y = p0[1] + t * (p1[1] - p0[1]) + (len(lines) - 1) * LINE / 2
    for i, (text, color, size) in enumerate(lines):
        ax.text(
            x,
            y - i * LINE,
            text,
            ha="center",
            va="center",
            fontsize=size,
            color=color,
            zorder=4,
            bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"},
        )


def draw_architecture(fig):
    """The 2–2–1 network with symbols only: nodes, weighted edges, biases and the loss."""
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    for src, dst, key, j, k in _edges():
        p0, p1 = POS[src], POS[dst]
        ax.plot([p0[0], p1[0]], [p0[1], p1[1]], color="#555555", lw=1.4, zorder=1)
        _edge_label(ax, p0, p1, _label_at(key, j, k), [(_weight_symbol(key, j, k), "black", 12)])
    ax.plot([POS["out"][0], POS["loss"][0]], [H / 2, H / 2], color="#555555", lw=1.4, ls=":")
    for k in range(2):
        _node(ax, f"x{k + 1}", f"$x_{k + 1}$", "black", False)
    for j in range(2):
        _node(ax, f"h{j + 1}", r"$\sigma$", "black", False)
        x, y = POS[f"h{j + 1}"]
        side = 1 if j == 0 else -1
        va = "bottom" if j == 0 else "top"
        ax.text(x, y + side * 0.26, rf"$b^{{(1)}}_{j + 1}$", ha="center", va=va, fontsize=12)
        ax.text(
            x,
            y + side * 0.58,
            rf"$z^{{(1)}}_{j + 1} \to a^{{(1)}}_{j + 1}$",
            ha="center",
            va=va,
            fontsize=12,
        )
    _node(ax, "out", r"$\hat y$", "black", False)
    x, y = POS["out"]
    ax.text(x, y + 0.26, r"$b^{(2)}$", ha="center", va="bottom", fontsize=12)
    _node(ax, "loss", "$L$", "black", False)
    x, y = POS["loss"]
    ax.text(x, y - 0.26, r"$(\hat y - y)^2$", ha="center", va="top", fontsize=12)
    ax.text(x, y + 0.26, "target $y$", ha="center", va="bottom", fontsize=12)
    _frame(ax)


#: which parts of the drawing each stage highlights: (nodes, weight matrices)
ACTIVE = [
    ({"x1", "x2"}, set()),
    ({"h1", "h2"}, {"W1"}),
    ({"h1", "h2"}, set()),
    ({"out"}, {"W2"}),
    ({"loss"}, set()),
    ({"out"}, set()),
    ({"out"}, {"W2"}),
    ({"h1", "h2"}, {"W2"}),
    ({"h1", "h2"}, set()),
    ({"h1", "h2"}, {"W1"}),
]


def _check_stage(stage):
    stage = check_int("stage", stage, low=0)
    if stage >= len(STAGES):
        raise ValueError(f"Invalid stage: {stage!r} (must be < {len(STAGES)})")
    return stage


def _unit_lines(s, stage, j):
    """Values written beside hidden unit j, as far as ``stage`` has computed them."""
    lines = []
    bias = f"b={_fmt(s['b1'][j])}"
    if stage >= 9:
        bias += f",  ∂L/∂b={_fmt(s['grad_b1'][j])}"
    lines.append((bias, BACKWARD if stage >= 9 else "black"))
    if stage >= 1:
        forward = f"z={_fmt(s['z1'][j])}"
        if stage >= 2:
            forward += f",  a={_fmt(s['a1'][j])}"
        lines.append((forward, FORWARD))
    if stage >= 7:
        lines.append((f"∂L/∂a={_fmt(s['grad_a1'][j])}", BACKWARD))
    if stage >= 8:
        sp, d1 = s["sigma_prime"][j], s["delta1"][j]
        lines.append((f"σ′(z)={_fmt(sp)},  δ={_fmt(d1)}", BACKWARD))
    return lines


class _Canvas:
    """The texts, lines and circles of :func:`draw_pass`, created once; :meth:`set`
    gives one of them new properties and records it if anything changed."""

    def __init__(self):
        self.changed = []
        self.seen = {}
        self.every = {}  # every artist ever set, in order: all that may change

    def set(self, artist, **props):
        key = tuple(sorted((k, str(v)) for k, v in props.items()))
        self.every.setdefault(id(artist), artist)
        if self.seen.get(id(artist)) != key:
            self.seen[id(artist)] = key
            artist.set(**props)
            self.changed.append(artist)

    def take(self):
        changed, self.changed = self.changed, []
        return changed


def _texts(ax, x, y, count, **props):
    """``count`` empty texts at (x, y), to be filled in (and moved) by the updater."""
    return [ax.text(x, y, "", **props) for _ in range(count)]


def draw_pass(fig, state, stage):
    """The network with every value computed up to ``stage`` (0–9) written on it.

    Forward values are blue, gradients vermillion; the nodes and edges the current step
    uses are highlighted; the step's formulas with their numbers are printed below.
    Returns the updater ``update(state, stage)`` that writes another state or step on
    the same drawing and returns the artists whose text, colour or place it changed.
    """
    from matplotlib.patches import Circle

    ax = fig.add_axes((0.0, 0.2, 1.0, 0.72))
    canvas = _Canvas()
    box = {"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"}
    edges = []
    for src, dst, key, j, k in _edges():
        p0, p1 = POS[src], POS[dst]
        (line,) = ax.plot([p0[0], p1[0]], [p0[1], p1[1]], zorder=1)
        t = _label_at(key, j, k)
        at = (p0[0] + t * (p1[0] - p0[0]), p0[1] + t * (p1[1] - p0[1]))
        labels = _texts(ax, *at, 2, ha="center", va="center", zorder=4, bbox=box)
        edges.append((key, j, k, line, at, labels))
    ax.plot([POS["out"][0], POS["loss"][0]], [H / 2, H / 2], color=GREY, lw=1.2, ls=":")
    nodes = {}
    for name in POS:
        x, y = POS[name]
        circle = ax.add_patch(Circle((x, y), RADIUS, zorder=3, lw=1.6))
        nodes[name] = (circle, ax.text(x, y, "", ha="center", va="center", fontsize=12))
    symbols = {"x1": "x₁", "x2": "x₂", "h1": "σ", "h2": "σ", "out": "ŷ", "loss": "L"}
    inputs = [ax.text(POS[f"x{k + 1}"][0] - 0.26, POS[f"x{k + 1}"][1], "", ha="right",
                      va="center", fontsize=11) for k in range(2)]  # fmt: skip

    def stack(name, up, count):
        x, y = POS[name]
        va = "bottom" if up else "top"
        texts = _texts(ax, x, y, count, ha="center", va=va, fontsize=10)
        return x, y + (0.24 if up else -0.24), up, texts

    stacks = {"h1": stack("h1", True, 4), "h2": stack("h2", False, 4),
              "out_up": stack("out", True, 2), "out_down": stack("out", False, 2),
              "loss_up": stack("loss", True, 1), "loss_down": stack("loss", False, 1)}  # fmt: skip
    _frame(ax)
    title = fig.text(0.02, 0.95, "", fontsize=12, va="center")
    formulas = [fig.text(0.02, 0.16 - 0.06 * i, "", fontsize=10.5, va="center") for i in range(3)]

    def write_stack(name, lines):
        x, y, up, texts = stacks[name]
        step = LINE if up else -LINE
        for i, text in enumerate(texts):
            if i < len(lines):
                canvas.set(text, text=lines[i][0], color=lines[i][1], position=(x, y + i * step),
                           visible=True)  # fmt: skip
            else:
                canvas.set(text, visible=False)

    def update(state, stage):
        stage = _check_stage(stage)
        s = state
        color = FORWARD if stage < 5 else BACKWARD
        active_nodes, edge_keys = ACTIVE[stage]
        for key, j, k, line, (x, y), labels in edges:
            active = key in edge_keys
            canvas.set(line, color=color if active else GREY, linewidth=3 if active else 1.2)
            lines = [(f"{_w(key, j, k)}={_fmt(s[key][j, k])}", "black", 10)]
            if (key == "W2" and stage >= 6) or (key == "W1" and stage >= 9):
                lines.append((f"∂L/∂w={_fmt(s['grad_' + key][j, k])}", BACKWARD, 9.5))
            top = y + (len(lines) - 1) * LINE / 2
            for i, label in enumerate(labels):
                if i < len(lines):
                    text, c, size = lines[i]
                    canvas.set(label, text=text, color=c, fontsize=size,
                               position=(x, top - i * LINE), visible=True)  # fmt: skip
                else:
                    canvas.set(label, visible=False)
        for name, (circle, label) in nodes.items():
            on = name in active_nodes
            canvas.set(circle, facecolor=color if on else "white",
                       edgecolor=color if on else "#555555")  # fmt: skip
            canvas.set(label, text=symbols[name], color="white" if on else "k")
        for k, text in enumerate(inputs):
            canvas.set(text, text=_fmt(s["x"][k]))
        write_stack("h1", _unit_lines(s, stage, 0))
        write_stack("h2", _unit_lines(s, stage, 1))
        bias = [(f"b={_fmt(s['b2'][0])}", "black")]
        if stage >= 6:
            bias.append((f"∂L/∂b={_fmt(s['grad_b2'][0])}", BACKWARD))
        write_stack("out_up", bias)
        below = [(f"ŷ={_fmt(s['y_hat'])}", FORWARD)] if stage >= 3 else []
        if stage >= 5:
            below.append((f"δ⁽²⁾=∂L/∂ŷ={_fmt(s['delta2'])}", BACKWARD))
        write_stack("out_down", below)
        write_stack("loss_up", [(f"y={_fmt(s['y'])}", "black")])
        write_stack("loss_down", [(f"L={_fmt(s['loss'])}", FORWARD)] if stage >= 4 else [])
        canvas.set(title, text=STAGES[stage][1])
        lines = _formulas(s, stage)
        for i, text in enumerate(formulas):
            if i < len(lines):
                canvas.set(text, text=lines[i], color=color, visible=True)
            else:
                canvas.set(text, visible=False)
        canvas.take()
        return list(canvas.every.values())

    update(state, stage)
    return update


def describe_pass(state, stage):
    """One sentence, in English and Chinese: the step shown, its result, and the input and
    weight in use."""
    stage = _check_stage(stage)
    s = state

    def pair(v):
        return f"({_fmt(v[0])}, {_fmt(v[1])})"

    x, w11 = pair(s["x"]), _fmt(s["W1"][0, 0])
    where = f"for x = {x} and w⁽¹⁾₁₁ = {w11}"
    z1, a1, y_hat, loss = pair(s["z1"]), pair(s["a1"]), _fmt(s["y_hat"]), _fmt(s["loss"])
    delta1, sp = pair(s["delta1"]), pair(s["sigma_prime"])
    g = [_fmt(v) for v in s["grad_W1"].ravel()]
    symbols = [  # the backward pass's results read the same in both languages
        f"δ⁽²⁾ = ∂L/∂ŷ = {_fmt(s['delta2'])}",
        f"∂L/∂W⁽²⁾ = {pair(s['grad_W2'][0])}",
        f"∂L/∂a⁽¹⁾ = {pair(s['grad_a1'])}",
    ]
    results = [  # (English, Chinese) for each stage
        ("input and weights shown", "图中标出了输入和权重"),
        (f"pre-activations z⁽¹⁾ = {z1}", f"预激活 z⁽¹⁾ = {z1}"),
        (f"activations a⁽¹⁾ = {a1}", f"激活值 a⁽¹⁾ = {a1}"),
        (f"output ŷ = {y_hat}", f"输出 ŷ = {y_hat}"),
        (f"loss L = {loss}", f"损失 L = {loss}"),
        *((text, text) for text in symbols),
        (f"δ⁽¹⁾ = {delta1} with σ′(z⁽¹⁾) = {sp}", f"δ⁽¹⁾ = {delta1}，其中 σ′(z⁽¹⁾) = {sp}"),
        (f"∂L/∂W⁽¹⁾ = [[{g[0]}, {g[1]}], [{g[2]}, {g[3]}]]",) * 2,
    ]
    en, zh = results[stage]
    kind, kind_zh = ("forward", "前向传播") if stage < 5 else ("backward", "反向传播")
    step, count = stage + 1, len(STAGES)
    return Caption(
        f"Step {step} of {count} ({kind} pass): {en} {where}.",
        zh=f"第 {step} 步（共 {count} 步，{kind_zh}）：x = {x}，w⁽¹⁾₁₁ = {w11} 时，{zh}。",
    )


def network_explorer(x1_values=(0.5, 2.0), w11_values=(0.5, 3.0), *, x2=1.0, y=1.0):
    """Step through the forward and backward pass; vary the input x₁ and the weight w⁽¹⁾₁₁.

    ``x1_values`` and ``w11_values`` are increasing numbers (the first of each is the
    default); the other weights are :data:`paramopt.backprop.DEFAULT_WEIGHTS`.
    """
    x1_values, w11_values = list(x1_values), list(w11_values)
    x2, y = check_real("x2", x2), check_real("y", y)

    def compute(x1, w11):
        W1 = DEFAULT_WEIGHTS["W1"].copy()
        W1[0, 0] = w11
        return network_pass(np.array([x1, x2]), y, W1=W1)

    return Explorer(
        compute,
        draw_pass,
        describe_pass,
        figsize=(7.2, 4.8),
        stage=Slider.from_values(
            "pass step",
            list(range(len(STAGES))),
            value=0,
            labels=[label for label, _ in STAGES],  # name the steps instead of numbering them
        ),
        x1=Slider.from_values("input x₁", x1_values, value=x1_values[0]),
        w11=Slider.from_values("weight w⁽¹⁾₁₁", w11_values, value=w11_values[0]),
    )
