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
    assert frame.text.startswith(f"diverged at step {frame.diverged_at}")
    texts = spec_of(explorer.static_html())["texts"]
    # x <- (1 - 2 lr) x diverges when |1 - 2 lr| > 1: lr 1.25 and 1.5, from both starts
    assert sum(t.startswith("diverged at step") for t in texts) == 4


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
    assert diverged.text.startswith("diverged at step") and diverged.diverged_at > 0
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
