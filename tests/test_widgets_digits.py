"""Chapter 8's explorer: every run of the learning-rate search, seed by seed."""

import numpy as np
import pytest
from conftest import TWO

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
