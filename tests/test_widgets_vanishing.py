"""Chapter 2's explorer: per-layer gradient norms for depth × activation × init × BatchNorm."""

import itertools

import numpy as np
from conftest import assert_readable, live_matches_full_drawing

from paramopt.diagnostics import gradient_profile
from paramopt.style import number
from paramopt.widgets.vanishing import depth_explorer, describe_profile


def test_explorer_grid_and_controls():
    explorer = depth_explorer()
    sizes = [len(c.values) for c in explorer.controls.values()]
    assert sizes == [2, 3, 3, 2] and np.prod(sizes) == 36
    default = {name: c.value for name, c in explorer.controls.items()}
    base = explorer.frame(**default)
    assert "20 layers of a sigmoid network with xavier" in base.text
    for name, control in explorer.controls.items():
        other = next(v for v in control.values if v != control.value)
        assert explorer.frame(**{**default, name: other}).png != base.png, name


def test_explorer_frame_says_diverged_instead_of_failing():
    explorer = depth_explorer(std=1e8)
    frame = explorer.frame(depth=50, activation="relu", init="normal", batchnorm=False)
    assert frame.diverged_at > 0
    assert frame.text.startswith("With depth 50, activation relu, init normal, BatchNorm off, ")
    assert f"the run diverged at step {frame.diverged_at}: " in frame.text


def test_description_states_the_numbers():
    profile = gradient_profile(5, "relu", "he", True, width=8)
    text = describe_profile(profile)
    assert "each of the 5 layers of a relu network with he initialisation, with BatchNorm" in text
    norms = profile["norms"]
    first, last = number(norms[0], 2, trim=True), number(norms[-1], 2)
    assert f"{first} at the first layer, {last} at the last" in text
    assert f"a ratio of {number(profile['ratio'], 2, trim=True)}." in text
    assert "e+" not in text and "e-" not in text  # 10⁴, not 1e+04


def every_setting(explorer):
    names = list(explorer.controls)
    grid = itertools.product(*(c.values for c in explorer.controls.values()))
    return [dict(zip(names, combo, strict=True)) for combo in grid]


def test_live_frames_equal_full_drawings_and_every_frame_is_readable():
    explorer = depth_explorer()
    settings = every_setting(explorer)
    assert live_matches_full_drawing(explorer, settings + settings[::-1]) >= 40
    for values in settings[:: max(1, len(settings) // 6)]:
        assert_readable(explorer, values)
