"""Chapter 7's explorer: L2 versus decoupled weight decay."""

import itertools

import numpy as np
import pytest
from conftest import assert_readable, live_matches_full_drawing

from paramopt.widgets.weight_decay import decay_explorer


@pytest.fixture(scope="module")
def explorer():
    return decay_explorer()


def test_explorer_size_and_every_control_changes_the_default_frame(explorer):
    sizes = [len(c.values) for c in explorer.controls.values()]
    assert np.prod(sizes) == 18
    default = {name: c.value for name, c in explorer.controls.items()}
    png = explorer.frame(**default).png
    for name, control in explorer.controls.items():
        other = next(v for v in control.values if v != control.value)
        assert explorer.frame(**{**default, name: other}).png != png, name


def test_describe_states_the_numbers(explorer):
    text = explorer.frame(optimizer="sgd", kind="decoupled", weight_decay=1.0).text
    assert text.startswith("SGD with momentum 0.9 with decoupled decay, λ = 1")
    assert "L2-regularised minimum is (1.25, 1.36)" in text
    assert "predicted limit of decoupled decay is (2.27, 1.49)" in text


def every_setting(explorer):
    names = list(explorer.controls)
    grid = itertools.product(*(c.values for c in explorer.controls.values()))
    return [dict(zip(names, combo, strict=True)) for combo in grid]


def test_live_frames_equal_full_drawings_and_every_frame_is_readable(explorer):
    explorer = explorer
    settings = every_setting(explorer)
    assert live_matches_full_drawing(explorer, settings + settings[::-1]) >= 24
    for values in settings[:: max(1, len(settings) // 6)]:
        assert_readable(explorer, values)
