"""Chapter 8's explorer: every run of the learning-rate search, seed by seed."""

import numpy as np
import pytest

import paramopt as po
from paramopt.comparison import lr_search
from paramopt.widgets.digits import describe_runs, digits_explorer

GRID = {"SGD": (0.03, 0.3), "Adam": (1e-3, 1e-2)}
TWO = (0, 1)


@pytest.fixture(scope="module")
def results():
    X, y = po.data.load_digits(np.float32)
    Xtr, Xva, ytr, yva = po.data.train_test_split(X[:600], y[:600], test_fraction=0.25, rng=0)
    return lr_search(Xtr, ytr, Xva, yva, grid=GRID, seeds=TWO, hidden=(16,), epochs=3,
                     batch_size=50)  # fmt: skip


def test_explorer_frames_follow_the_controls(results):
    explorer = digits_explorer(results)
    sizes = [len(c.values) for c in explorer.controls.values()]
    assert sizes == [2, 2]  # one frame per (optimiser, rate), however many seeds
    default = {name: c.value for name, c in explorer.controls.items()}
    assert default == {"optimizer": "Adam", "position": 2}
    base = explorer.frame(**default)
    assert base.text.startswith("Adam with learning rate 0.01 on the digits, 2 seeds: after 3")
    accs = [100 * results["Adam", 1e-2, s].val_accuracy[-1] for s in TWO]
    assert f"validation accuracy {np.mean(accs):.1f}% ({min(accs):.1f}% to" in base.text
    for name, control in explorer.controls.items():
        other = next(v for v in control.values if v != control.value)
        assert explorer.frame(**{**default, name: other}).png != base.png, name
    one = digits_explorer({**results, ("SGD", 0.3, 0): po.Diverged(5, "loss")})
    frame = one.frame(optimizer="SGD", position=2)
    assert frame.diverged_at is None and frame.text.endswith("; 1 of 2 runs diverged.")
    both = {("SGD", 0.3, s): po.Diverged(5 + s, "loss") for s in TWO}
    assert digits_explorer({**results, **both}).frame(optimizer="SGD", position=2).diverged_at == 5
    with pytest.raises(ValueError, match="same number"):
        digits_explorer({k: v for k, v in results.items() if k[:2] != ("SGD", 0.3)})


def test_the_description_gives_mean_and_range(results):
    runs = [results["SGD", 0.3, s] for s in TWO]
    text = describe_runs(runs, "SGD", 0.3)
    losses = [h.train_loss[-1] for h in runs]
    assert f"training loss is {np.mean(losses):.3f} on average ({min(losses):.3f} to" in text
    assert text.endswith("%).")
