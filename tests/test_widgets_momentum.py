"""Chapter 4's κ explorer: the heavy ball's rate theory over condition number × setting."""

import itertools

import numpy as np
import pytest
from conftest import assert_readable, live_matches_full_drawing

from paramopt import momentum
from paramopt.widgets.momentum import KAPPAS, SETTINGS, kappa_explorer, setting_values


@pytest.fixture(scope="module")
def explorer():
    return kappa_explorer()


def test_size_and_every_control_changes_the_default_frame(explorer):
    assert np.prod([len(c.values) for c in explorer.controls.values()]) == 30
    default = {name: c.value for name, c in explorer.controls.items()}
    assert default == {"kappa": 100, "setting": "polyak"}
    png = explorer.frame(**default).png
    assert len(png) < 69_000
    for name, control in explorer.controls.items():
        other = next(v for v in control.values if v != control.value)
        assert explorer.frame(**{**default, name: other}).png != png, name


def test_settings_are_what_their_labels_say():
    for kappa in KAPPAS:
        lr, beta, _ = momentum.optimal_heavy_ball(largest=float(kappa), smallest=1.0)
        assert setting_values(kappa, "polyak") == pytest.approx((lr, beta))
        assert setting_values(kappa, "gd") == pytest.approx((2 / (kappa + 1), 0.0))
        assert setting_values(kappa, "default-0.9") == pytest.approx((1 / kappa, 0.9))
        # the diverging setting breaks αL < 2(1 + β) at every κ
        lr, beta = setting_values(kappa, "diverges")
        assert lr * kappa > 2 * (1 + beta)


def test_descriptions_state_the_numbers(explorer):
    text = explorer.frame(kappa=100, setting="polyak").text
    assert text.startswith("κ = 100, Polyak: α*, β* (α = 0.0331, β = 0.669): closed-form rate")
    assert "ρ = 0.818" in text and "0.980 for gradient descent" in text
    run = momentum.valley_run(100, *setting_values(100, "polyak"))
    assert f"in {run.steps} steps; ρᵗ alone predicts 69." in text


def test_a_diverging_setting_says_where_and_still_draws_the_rate_map(explorer):
    frame = explorer.frame(kappa=100, setting="diverges")
    assert frame.diverged_at == 50
    assert "ρ > 1, and the run diverged at step 50: ‖θ‖ passed 10⁶ ‖θ₀‖." in frame.text
    fig = explorer._figure
    assert len(fig.axes) == 5  # the four panels and the colour bar, not an error box
    titles = [ax.get_title() for ax in fig.axes]
    assert "✕ diverged at step 50" in titles


def test_live_frames_equal_full_drawings_and_every_frame_is_readable(explorer):
    names = list(explorer.controls)
    settings = [
        dict(zip(names, combo, strict=True))
        for combo in itertools.product(*(c.values for c in explorer.controls.values()))
    ]
    # another κ is drawn afresh; another setting at the same κ goes through the updater
    assert live_matches_full_drawing(explorer, settings) >= len(settings) - len(KAPPAS)
    for values in settings[:: len(SETTINGS) + 1]:
        assert_readable(explorer, values)
    texts = [explorer.describe(explorer.compute(**v), **v) for v in settings]
    assert all("e-0" not in text and "nan" not in text for text in texts)


def test_live_view_builds_and_redraws(explorer):
    view = explorer.live()
    row, image, caption = view.children
    row.children[1].value = "diverges"
    assert "diverged at step" in caption.value and image.value
