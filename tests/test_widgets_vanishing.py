"""Chapter 2's explorer: per-layer gradient norms for depth × activation × init × BatchNorm."""

import numpy as np

from paramopt.diagnostics import gradient_profile
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
    assert frame.text.startswith("diverged at step") and frame.diverged_at > 0


def test_description_states_the_numbers():
    profile = gradient_profile(5, "relu", "he", True, width=8)
    text = describe_profile(profile)
    assert "each of the 5 layers of a relu network with he initialisation, with BatchNorm" in text
    norms = profile["norms"]
    assert f"{norms[0]:.1e} at the first layer, {norms[-1]:.1e} at the last" in text
    assert f"{profile['ratio']:.1e}" in text
