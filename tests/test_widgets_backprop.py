"""Chapter 1's explorer: a 2–2–1 network's forward and backward pass, step by step."""

import itertools

import numpy as np
import pytest
from conftest import assert_readable, live_matches_full_drawing

from paramopt.backprop import network_pass
from paramopt.widgets.backprop import STAGES, describe_pass, network_explorer


def test_explorer_has_forty_frames_and_every_control_changes_the_figure():
    explorer = network_explorer()
    sizes = [len(c.values) for c in explorer.controls.values()]
    assert sizes == [len(STAGES), 2, 2] and np.prod(sizes) == 40
    default = {name: c.value for name, c in explorer.controls.items()}
    base = explorer.frame(**default)
    for name, control in explorer.controls.items():
        other = next(v for v in control.values if v != control.value)
        assert explorer.frame(**{**default, name: other}).png != base.png, name


def test_describe_names_the_step_and_its_numbers():
    state = network_pass(np.array([2.0, 1.0]), 1.0)
    assert describe_pass(state, 0).startswith("Step 1 of 10 (forward pass)")
    last = describe_pass(state, 9)
    assert last.startswith("Step 10 of 10 (backward pass)")
    assert f"{state['grad_W1'][1, 0]:.3g}" in last
    with pytest.raises(ValueError, match=r"Invalid stage: 10 \(must be < 10\)"):
        describe_pass(state, 10)
    with pytest.raises(TypeError, match="stage must be an int"):
        describe_pass(state, 1.0)


def test_the_step_slider_names_the_steps():
    stage = network_explorer().controls["stage"]
    assert stage.values == list(range(len(STAGES)))
    assert stage.labels == [label for label, _ in STAGES]


def every_setting(explorer):
    names = list(explorer.controls)
    grid = itertools.product(*(c.values for c in explorer.controls.values()))
    return [dict(zip(names, combo, strict=True)) for combo in grid]


def test_live_frames_equal_full_drawings_and_every_frame_is_readable():
    explorer = network_explorer()
    settings = every_setting(explorer)
    assert live_matches_full_drawing(explorer, settings + settings[::-1]) >= 60
    for values in settings[:: max(1, len(settings) // 8)]:
        assert_readable(explorer, values)
