"""Chapter 3's explorer: the loss curves of a batch size × learning rate sweep."""

import itertools

import pytest
from conftest import assert_readable, live_matches_full_drawing

import paramopt as po
from paramopt.minibatch import batch_sweep
from paramopt.widgets.sgd import describe_curves, sgd_explorer


@pytest.fixture(scope="module")
def sweep():
    X, y = po.data.load_digits()
    return batch_sweep(X[:400], y[:400], [10, 40, 400], [0.1, 1.0, 10.0], epochs=3)


def test_explorer_frames_follow_the_controls(sweep):
    explorer = sgd_explorer(sweep)
    sizes = [len(c.values) for c in explorer.controls.values()]
    assert sizes == [3, 3]
    default = {name: c.value for name, c in explorer.controls.items()}
    assert default == {"batch_size": 40, "lr": 1.0}
    base = explorer.frame(**default)
    assert "minibatches of 40 and learning rate 1" in base.text and "full-batch GD" in base.text
    for name, control in explorer.controls.items():
        other = next(v for v in control.values if v != control.value)
        assert explorer.frame(**{**default, name: other}).png != base.png, name
    # softmax regression has bounded gradients, so blow-ups are rare: plant one
    blown = sgd_explorer({**sweep, (10, 10.0): po.Diverged(7, "loss")})
    frame = blown.frame(batch_size=10, lr=10.0)
    assert frame.diverged_at == 7
    assert frame.text == (
        "With batch size 10, learning rate 10, the run diverged at step 7: loss is not finite."
    )


def test_explorer_needs_a_full_grid(sweep):
    partial = {k: v for k, v in sweep.items() if k != (10, 0.1)}
    with pytest.raises(ValueError, match="every \\(batch_size, lr\\)"):
        sgd_explorer(partial)


def test_description_states_the_numbers(sweep):
    history, reference = sweep[40, 1.0], sweep[400, 1.0]
    text = describe_curves(history, 1.0, reference)
    assert f"{history.train_loss[-1]:.3g}" in text and f"{reference.train_loss[-1]:.3g}" in text
    assert f"after 3 epochs ({history.steps} steps)" in text and "differ by" in text


def every_setting(explorer):
    names = list(explorer.controls)
    grid = itertools.product(*(c.values for c in explorer.controls.values()))
    return [dict(zip(names, combo, strict=True)) for combo in grid]


def test_live_frames_equal_full_drawings_and_every_frame_is_readable(sweep):
    explorer = sgd_explorer(sweep)
    settings = every_setting(explorer)
    assert live_matches_full_drawing(explorer, settings + settings[::-1]) >= 9
    for values in settings[:: max(1, len(settings) // 4)]:
        assert_readable(explorer, values)
