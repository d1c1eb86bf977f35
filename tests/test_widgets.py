import json
import re

import numpy as np
import pytest

import paramopt as po
from paramopt.widgets import Choice, Explorer, Slider
from paramopt.widgets.framework import boundary_explorer, boundary_state


def quadratic_descent(lr, start):
    """Gradient descent on f(x) = x^2: diverges for lr > 1."""
    x = [start]
    for step in range(1, 40):
        x.append(x[-1] - lr * 2 * x[-1])
        if not abs(x[-1]) < 1e6:
            raise po.Diverged(step, "x")
    return np.array(x)


def small_explorer():
    return Explorer(
        quadratic_descent,
        lambda fig, xs, lr, start: fig.add_subplot().plot(xs),
        lambda xs, lr, start: f"descent with lr {lr} ends at {xs[-1]:.3g}",
        figsize=(2, 1.5),
        dpi=40,
        lr=Slider("learning rate", 0.25, 1.5, 0.25, value=0.5),
        start=Choice("start", {"near": 1.0, "far": 5.0}),
    )


def spec_of(html):
    return json.loads(re.search(r'class="po-spec">(.*?)</script>', html).group(1))


def test_slider_grid_and_labels():
    slider = Slider("lr", 0.1, 0.5, 0.1, value=0.3)
    assert slider.values == [0.1, 0.2, 0.3, 0.4, 0.5]
    assert slider.default_index == 2 and slider.labels[2] == "0.3"
    assert Slider("depth", 2, 10, 4).values == [2, 6, 10]


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Slider("x", 1, 0, 0.1), "start < stop"),
        (lambda: Slider("x", 0, 1, 0), "step > 0"),
        (lambda: Slider("x", 0, float("nan"), 0.1), "stop must be a finite number"),
        (lambda: Slider("x", 0, 1, 0.5, value=0.7), "value must be one of"),
        (lambda: Choice("x", ["only"]), "at least 2 values"),
        (lambda: Explorer(print, print, print), "at least one control"),
        (
            lambda: Explorer(print, print, print, a=Slider("a", 0, 20, 1), b=Slider("b", 0, 20, 1)),
            "441 combinations",
        ),
    ],
)
def test_bad_controls_are_rejected(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_static_view_has_a_frame_for_every_combination():
    explorer = small_explorer()
    html = explorer.static_html()
    spec = spec_of(html)
    assert spec["names"] == ["lr", "start"] and spec["sizes"] == [6, 2]
    assert len(spec["order"]) == len(spec["texts"]) == 12
    assert len(spec["frames"]) == len(set(spec["frames"]))
    # row-major: (lr=0.5, start=far) is combination 1 * 2 + 1
    assert spec["texts"][3] == explorer.frame(lr=0.5, start=5.0).text
    assert html == explorer.static_html()  # deterministic: two builds, same page


def test_diverging_settings_say_so_instead_of_failing():
    explorer = small_explorer()
    frame = explorer.frame(lr=1.5, start=1.0)
    assert frame.diverged_at is not None and frame.png.startswith(b"\x89PNG")
    assert frame.text == (
        f"With learning rate 1.5, start near, the run diverged at step {frame.diverged_at}: "
        "x is not finite."
    )
    texts = spec_of(explorer.static_html())["texts"]
    # x <- (1 - 2 lr) x diverges when |1 - 2 lr| > 1: lr 1.25 and 1.5, from both starts
    assert sum("the run diverged at step" in t for t in texts) == 4


def test_live_view_follows_its_controls():
    explorer = small_explorer()
    view = explorer.live()
    controls, image, caption = view.children
    lr, start = controls.children
    before = image.value
    lr.value = 1.0
    assert image.value != before and "lr 1.0" in caption.value
    lr.value = 1.5
    assert "diverged at step" in caption.value


def test_one_cell_serves_both_worlds():
    bundle = small_explorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith('<div class="po-explorer"')


def test_boundary_state_counts_pulling_points():
    X, y = po.data.two_blobs(20, distance=4.0, spread=0.7, rng=0)
    state = boundary_state(X, y, 45, 0.0, "perceptron")
    assert state["misclassified"] == 0 and state["pulling"] == 0
    assert boundary_state(X, y, 45, 0.0, "logistic")["pulling"] == len(y)
    assert boundary_state(X, y, 225, 0.0, "perceptron")["misclassified"] == len(y)
    assert len(spec_of(boundary_explorer(X, y).static_html())["order"]) == 7 * 3 * 3


def test_playground_shows_paths_and_divergence():
    from paramopt.surfaces import Quadratic
    from paramopt.widgets.playground import playground

    explorer = playground(
        Quadratic(kappa=10),
        start=(-2.0, 1.0),
        steps=30,
        optimizer=Choice("optimiser", {"SGD": ("sgd", {}), "Adam": ("adam", {})}),
        lr=Slider.from_values("learning rate", [0.01, 0.1, 0.3], value=0.1),
    )
    assert "after 30 steps" in explorer.frame(optimizer=("adam", {}), lr=0.1).text
    # SGD on f = (u^2 + 10 v^2)/2 diverges once lr > 2/10
    diverged = explorer.frame(optimizer=("sgd", {}), lr=0.3)
    assert diverged.diverged_at > 0
    assert diverged.text == (
        f"SGD with learning rate = 0.3 on the quadratic surface diverged at step "
        f"{diverged.diverged_at}: |θ| passed 10⁶."
    )
    spec = spec_of(explorer.static_html())
    assert spec["names"] == ["lr", "optimizer"] and len(spec["order"]) == 6


def test_slider_from_values_needs_increasing_values():
    assert Slider.from_values("lr", [0.001, 0.01], value=0.01).default_index == 1
    with pytest.raises(ValueError, match="values must be a non-empty increasing sequence"):
        Slider.from_values("lr", [0.1, 0.01])


def test_slider_from_values_is_an_ordinary_constructor_with_labels():
    slider = Slider.from_values("rate", [1, 2, 3], value=2, labels=["0.01", "0.03", "0.1"])
    assert type(slider) is Slider and slider.labels[slider.default_index] == "0.03"
    assert 'aria-valuetext="0.03"' in slider.html("rate", "x") and not slider.even
    with pytest.raises(ValueError, match="labels must match values"):
        Slider.from_values("rate", [1, 2], labels=["a"])
    with pytest.raises(TypeError, match="either start, stop and step, or values"):
        Slider("rate", 0, 1, 1, values=[0, 1])


def test_each_callable_receives_only_the_controls_it_names():
    seen = []

    def compute(size):
        return size * 2

    def draw(fig, result):
        seen.append(result)
        fig.add_subplot().bar([0], [result])

    explorer = Explorer(
        compute, draw, lambda result, colour: f"{colour} bar of {result}",
        size=Slider("size", 1, 2, 1), colour=Choice("colour", ["red", "blue"]),
    )  # fmt: skip
    assert explorer.frame(size=2, colour="blue").text == "blue bar of 4" and seen == [4]
    with pytest.raises(TypeError, match=r"describe takes \['shade'\], which are not controls"):
        Explorer(compute, draw, lambda result, shade: "", size=Slider("size", 1, 2, 1))


# -- the updater: live frames redraw only what changes, and show the same picture -------


def updating_explorer(calls):
    """A line whose data and title change; the updater declines a step count it was
    not drawn for (the x-axis would change)."""

    def compute(lr, start):
        return quadratic_descent(lr, start)

    def draw(fig, xs):
        calls.append("draw")
        ax = fig.add_axes((0.2, 0.2, 0.7, 0.6))
        (line,) = ax.plot(xs, "o-", zorder=2.1)
        ax.set(xlim=(0, len(xs)), ylim=(-6, 6), xlabel="step", ylabel="x")
        ax.legend([line], ["x_k"], loc="upper right")  # above the line: redrawn with it
        title = ax.set_title("")

        def update(xs):
            calls.append("update")
            if len(xs) != len(line.get_xdata()):
                return None
            line.set_ydata(xs)
            title.set_text(f"ends at {xs[-1]:.3g}")
            return [line, title]

        update(xs)
        return update

    return Explorer(
        compute, draw, lambda xs: f"ends at {xs[-1]:.3g}", figsize=(3, 2), dpi=50,
        lr=Slider("learning rate", 0.25, 1.0, 0.25, value=0.5),
        start=Choice("start", {"near": 1.0, "far": 5.0}),
    )  # fmt: skip


def test_live_updates_equal_a_full_drawing_pixel_for_pixel():
    from conftest import live_matches_full_drawing

    calls = []
    explorer = updating_explorer(calls)
    settings = [{"lr": lr, "start": s} for s in (1.0, 5.0) for lr in (0.25, 0.5, 0.75, 1.0)]
    assert live_matches_full_drawing(explorer, settings + settings[::-1]) == 16
    assert calls.count("draw") == 1  # drawn once, updated ever after
    # the legend sits above the changing line, so it is redrawn with it
    assert any(a.__class__.__name__ == "Legend" for a in explorer._overlay)


def test_static_frames_do_not_depend_on_what_was_shown_before():
    calls = []
    explorer = updating_explorer(calls)
    first = explorer.frame(lr=0.75, start=5.0).png
    explorer.frame(lr=0.25, start=1.0)
    assert explorer.frame(lr=0.75, start=5.0).png == first
    assert updating_explorer([]).frame(lr=0.75, start=5.0).png == first
    assert calls.count("draw") == 1


def test_an_updater_that_declines_gets_a_fresh_drawing():
    def draw(fig, xs, lr):
        fig.add_subplot().plot(xs)
        return lambda xs, lr: None if lr > 0.5 else []

    explorer = Explorer(
        lambda lr: np.arange(3) * lr, draw, lambda xs: "", figsize=(2, 1.5), dpi=40,
        lr=Slider("learning rate", 0.25, 1.0, 0.25),
    )  # fmt: skip
    explorer.frame(lr=0.25)
    updater = explorer._update
    explorer.frame(lr=0.5)
    assert explorer._update is updater  # updated in place
    explorer.frame(lr=1.0)
    assert explorer._update is not updater  # declined: drawn afresh


def test_live_view_sends_unquantised_png():
    from PIL import Image

    calls = []
    view = updating_explorer(calls).live()
    (lr, _start), image = view.children[0].children, view.children[1]
    lr.value = 1.0
    png = Image.open(__import__("io").BytesIO(image.value))
    assert png.mode == "RGB" and "draw" in calls and calls[-1] == "update"


# -- the playground: shared loss axis, divergence drawn, labels inside -------------------


def adam_like_playground():
    from paramopt.surfaces import Quadratic
    from paramopt.widgets.playground import playground

    return playground(
        Quadratic(kappa=10),
        start=(-2.0, 1.0),
        steps=30,
        optimizer=Choice("optimiser", {"SGD": ("sgd", {}), "Adam": ("adam", {})}),
        lr=Slider.from_values("learning rate γ", [0.01, 0.1, 0.3], value=0.1),
    )


def test_playground_frames_share_one_loss_axis():
    explorer = adam_like_playground()
    ranges = set()
    for lr in (0.01, 0.1, 0.3):
        for optimizer in (("sgd", {}), ("adam", {})):
            explorer.frame(lr=lr, optimizer=optimizer)
            ranges.add(explorer._figure.axes[1].get_ylim())
    assert len(ranges) == 1


def test_playground_draws_a_diverged_path_up_to_its_step():
    explorer = adam_like_playground()
    frame = explorer.frame(optimizer=("sgd", {}), lr=0.3)
    k = frame.diverged_at
    assert frame.text == (
        f"SGD with learning rate γ = 0.3 on the quadratic surface diverged at step {k}: "
        "|θ| passed 10⁶."
    )
    left, right = explorer._figure.axes
    route, curve = left.lines[0], right.lines[0]
    assert len(route.get_xdata()) == len(curve.get_xdata()) == k  # θ_0 … θ_{k-1}
    crosses = [line for line in (*left.lines, *right.lines) if line.get_marker() == "x"]
    assert len(crosses) == 2 and all(c.get_visible() for c in crosses)
    assert list(crosses[1].get_xdata()) == [k]
    notes = [t.get_text() for t in right.texts if t.get_visible()]
    assert notes == [f"✕ diverged at step {k}:\n|θ| passed 10⁶"]
    fine = explorer.frame(optimizer=("adam", {}), lr=0.1)
    assert fine.diverged_at is None and not any(c.get_visible() for c in crosses)


SGD, ADAM = ("sgd", {}), ("adam", {})


@pytest.mark.parametrize("setting", [{"optimizer": SGD, "lr": 0.3}, {"optimizer": ADAM, "lr": 0.1}])
def test_playground_frames_are_readable(setting):
    from conftest import assert_readable, live_matches_full_drawing

    explorer = adam_like_playground()
    assert_readable(explorer, setting)
    grid = [{"optimizer": o, "lr": lr} for o in (SGD, ADAM) for lr in (0.01, 0.1, 0.3)]
    assert live_matches_full_drawing(explorer, grid) == len(grid)


def test_readability_check_can_fail():
    from conftest import assert_readable

    def draw(fig, xs):
        ax = fig.add_axes((0.0, 0.2, 0.9, 0.7))  # no room for the y label
        ax.plot(xs)
        ax.set(xlabel="step", ylabel="x")

    explorer = Explorer(
        quadratic_descent, draw, lambda xs: "", figsize=(3, 2), dpi=50,
        lr=Slider("lr", 0.25, 0.5, 0.25), start=Choice("s", [1.0, 2.0]),
    )  # fmt: skip
    with pytest.raises(AssertionError, match="leaves the figure"):
        assert_readable(explorer, {"lr": 0.25, "start": 1.0})


# -- sliders whose labels follow another control ----------------------------------------


def rate_explorer():
    rates = {"SGD": ["0.03", "0.3"], "Adam": ["0.001", "0.01"]}
    return Explorer(
        lambda optimizer, position: (optimizer, position),
        lambda fig, result: fig.add_subplot().set_title(str(result)),
        lambda result: str(result),
        figsize=(2, 1.5), dpi=40,
        optimizer=Choice("optimiser", ["SGD", "Adam"], value="Adam"),
        position=Slider.from_values("learning rate", [1, 2], value=2, labels=rates["Adam"],
                                    labels_by=("optimizer", rates)),
    )  # fmt: skip


def test_static_slider_shows_the_rate_of_the_chosen_optimiser():
    html = rate_explorer().static_html()
    assert 'aria-valuetext="0.01"' in html and ">0.01</output>" in html
    assert spec_of(html)["labelsBy"] == [None, [0, [["0.03", "0.3"], ["0.001", "0.01"]]]]
    assert "spec.labelsBy" in html  # the script reads them


def test_live_slider_relabels_when_the_optimiser_changes():
    view = rate_explorer().live()
    (optimizer, position), caption = view.children[0].children, view.children[2]
    assert position.label == "0.01"
    optimizer.value = "SGD"
    assert position.label == "0.3" and position.value == 2 and "SGD" in caption.value
    position.value = 1
    assert position.label == "0.03"


def test_labels_by_must_name_another_control_and_cover_its_values():
    with pytest.raises(ValueError, match="labels_by needs a slider over values"):
        Slider("x", 0, 1, 1, labels_by=("o", {}))
    slider = Slider.from_values("x", [1, 2], labels_by=("o", {"a": ["1", "2"]}))
    with pytest.raises(ValueError, match="not another control"):
        Explorer(print, print, print, x=slider)
    with pytest.raises(ValueError, match="no labels for o = 'b'"):
        Explorer(print, print, print, x=slider, o=Choice("o", ["a", "b"]))


def test_a_change_to_a_hidden_artist_leaves_the_live_picture_as_it_was():
    def draw(fig, n):
        ax = fig.add_axes((0.2, 0.2, 0.7, 0.7))
        ax.set(xlabel="x", ylabel="y")
        hidden = ax.text(0.5, 0.5, "", visible=False)
        shown = ax.text(0.1, 0.1, "")

        def update(n):
            hidden.set_text(str(n))  # stale, but not drawn
            shown.set_text("same")
            return [hidden, shown]

        update(n)
        return update

    explorer = Explorer(lambda n: n, draw, lambda n: "", figsize=(2, 1.5), dpi=40,
                        n=Slider("n", 1, 3, 1))  # fmt: skip
    explorer._render({"n": 1})
    first = explorer._live_pixels().copy()
    explorer._render({"n": 2})
    assert np.array_equal(explorer._live_pixels(), first)
