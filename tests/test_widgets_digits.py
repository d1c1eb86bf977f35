"""Chapter 8's explorer: every run of the learning-rate search, seed by seed."""

import itertools
import json
import re

import numpy as np
import pytest
from conftest import TWO, assert_readable, live_matches_full_drawing

import paramopt as po
from paramopt.widgets.digits import describe_runs, digits_explorer


def test_explorer_frames_follow_the_controls(search):
    explorer = digits_explorer(search)
    sizes = [len(c.values) for c in explorer.controls.values()]
    assert sizes == [2, 2]  # one frame per (optimiser, rate), however many seeds
    default = {name: c.value for name, c in explorer.controls.items()}
    assert default == {"optimizer": "Adam", "position": 2}
    base = explorer.frame(**default)
    assert base.text.startswith("Adam with learning rate 0.01 on the digits, 2 seeds: after 3")
    accs = [100 * search["Adam", 1e-2, s].val_accuracy[-1] for s in TWO]
    assert f"validation accuracy {np.mean(accs):.1f}% ({min(accs):.1f}% to" in base.text
    for name, control in explorer.controls.items():
        other = next(v for v in control.values if v != control.value)
        assert explorer.frame(**{**default, name: other}).png != base.png, name
    one = digits_explorer({**search, ("SGD", 0.3, 0): po.Diverged(5, "loss")})
    frame = one.frame(optimizer="SGD", position=2)
    assert frame.diverged_at is None and frame.text.endswith("; 1 of 2 runs diverged.")
    both = {("SGD", 0.3, s): po.Diverged(5 + s, "loss") for s in TWO}
    assert digits_explorer({**search, **both}).frame(optimizer="SGD", position=2).diverged_at == 5
    with pytest.raises(ValueError, match="same number"):
        digits_explorer({k: v for k, v in search.items() if k[:2] != ("SGD", 0.3)})


def test_the_description_gives_mean_and_range(search):
    runs = [search["SGD", 0.3, s] for s in TWO]
    text = describe_runs(runs, "SGD", 0.3)
    losses = [h.train_loss[-1] for h in runs]
    assert f"training loss is {np.mean(losses):.3f} on average ({min(losses):.3f} to" in text
    assert text.endswith("%).")


def every_setting(explorer):
    names = list(explorer.controls)
    grid = itertools.product(*(c.values for c in explorer.controls.values()))
    return [dict(zip(names, combo, strict=True)) for combo in grid]


def test_live_frames_equal_full_drawings_and_every_frame_is_readable(search):
    explorer = digits_explorer(search)
    settings = every_setting(explorer)
    assert live_matches_full_drawing(explorer, settings + settings[::-1]) >= 8
    for values in settings[:: max(1, len(settings) // 4)]:
        assert_readable(explorer, values)


def test_the_slider_shows_and_announces_the_rate_of_the_chosen_optimiser(search):
    explorer = digits_explorer(search)
    slider = explorer.controls["position"]
    assert slider.label == "learning rate"
    html = explorer.static_html()
    assert 'aria-valuetext="0.01"' in html and ">0.01</output>" in html  # Adam, position 2
    spec = json.loads(re.search(r'class="po-spec">(.*?)</script>', html).group(1))
    assert spec["labelsBy"][1] == [0, [["0.03", "0.3"], ["0.001", "0.01"]]]  # SGD, Adam
    view = explorer.live()
    optimizer, position = view.children[0].children
    assert position.label == "0.01"
    optimizer.value = "SGD"
    assert position.label == "0.3" and "SGD with learning rate 0.3" in view.children[2].value
