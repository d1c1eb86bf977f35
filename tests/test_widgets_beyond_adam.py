"""Chapter 9's explorer: Newton–Schulz steps × coefficients."""

import itertools

import numpy as np
import pytest
from conftest import assert_readable, live_matches_full_drawing

from paramopt import variants
from paramopt.widgets.beyond_adam import newton_schulz_explorer, newton_schulz_run


@pytest.fixture(scope="module")
def explorer():
    return newton_schulz_explorer()


def test_the_compute_is_the_scalar_map_and_the_spectrum():
    result = newton_schulz_run(3, "cubic")
    np.testing.assert_allclose(
        result["mapped"], variants.newton_schulz_map(result["sigma"], (1.5, -0.5, 0.0), 3)
    )
    np.testing.assert_allclose(result["after"], result["predicted"], atol=1e-10)


def test_size_and_every_control_changes_the_default_frame(explorer):
    assert np.prod([len(c.values) for c in explorer.controls.values()]) == 27
    default = {name: c.value for name, c in explorer.controls.items()}
    png = explorer.frame(**default).png
    for name, control in explorer.controls.items():
        other = next(v for v in control.values if v != control.value)
        assert explorer.frame(**{**default, name: other}).png != png, name


def test_descriptions_state_the_numbers(explorer):
    text = explorer.frame(steps=5, coefficients="Muon's quintic").text
    assert text.startswith("5 Newton–Schulz steps, Muon's quintic (a, b, c) = (3.4445, −4.775")
    assert "σ = 0.01 becomes" in text and "lie between" in text
    assert "e-0" not in text


def test_live_frames_equal_full_drawings_and_every_frame_is_readable(explorer):
    names = list(explorer.controls)
    settings = [
        dict(zip(names, combo, strict=True))
        for combo in itertools.product(*(c.values for c in explorer.controls.values()))
    ]
    chosen = settings[::4]
    assert live_matches_full_drawing(explorer, chosen) == len(chosen)
    for values in chosen:
        assert_readable(explorer, values)
