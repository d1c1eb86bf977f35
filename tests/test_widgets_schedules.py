"""Chapter 8's explorers: schedule × optimiser, warmup × β₂."""

import numpy as np
import pytest
from conftest import assert_readable, drawn_frame, live_matches_full_drawing

from paramopt.widgets.schedules import schedule_explorer, warmup_explorer


@pytest.fixture(scope="module", params=[schedule_explorer, warmup_explorer])
def explorer(request):
    return request.param()


def test_size_and_every_control_changes_the_default_frame(explorer):
    assert np.prod([len(c.values) for c in explorer.controls.values()]) <= 60
    default = {name: c.value for name, c in explorer.controls.items()}
    png = explorer.frame(**default).png
    for name, control in explorer.controls.items():
        other = next(v for v in control.values if v != control.value)
        assert explorer.frame(**{**default, name: other}).png != png, name


def test_descriptions_state_the_numbers():
    text = schedule_explorer().frame(schedule="cosine", optimizer="SGD").text
    assert text.startswith("SGD with base rate 0.5 and a cosine schedule")
    assert "mean of θ² over the chains ends at" in text
    text = warmup_explorer().frame(warmup=0, beta2=0.99).text
    assert "no warmup" in text and "reaches at most" in text


def test_live_frames_equal_full_drawings_and_every_frame_is_readable(explorer):
    import itertools

    names = list(explorer.controls)
    settings = [
        dict(zip(names, combo, strict=True))
        for combo in itertools.product(*(c.values for c in explorer.controls.values()))
    ]
    # the schedule explorer redraws when the optimiser changes; everything else updates
    assert live_matches_full_drawing(explorer, settings) >= len(settings) // 2
    for values in settings:
        assert_readable(explorer, values)
    assert all("e-0" not in drawn_frame(explorer, v) for v in settings)
