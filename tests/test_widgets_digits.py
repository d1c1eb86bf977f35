"""Chapter 8: the learning-rate search over every optimiser, its summary and its widget."""

import numpy as np
import pytest

import paramopt as po
from paramopt.style import OKABE_ITO, OPTIMIZER_STYLE
from paramopt.widgets.digits import (
    LR_GRID,
    OPTIMIZERS,
    digits_explorer,
    lr_search,
    make_optimizer,
    summarise,
)

GRID = {"SGD": (0.03, 0.3), "Adam": (1e-3, 1e-2)}


@pytest.fixture(scope="module")
def split():
    X, y = po.data.load_digits(np.float32)
    Xtr, Xva, ytr, yva = po.data.train_test_split(X[:600], y[:600], test_fraction=0.25, rng=0)
    return Xtr, ytr, Xva, yva


@pytest.fixture(scope="module")
def results(split):
    return lr_search(*split, grid=GRID, hidden=(16,), epochs=3, batch_size=50)


def test_every_optimiser_has_a_grid_a_style_and_builds():
    assert set(OPTIMIZERS) == set(LR_GRID) <= set(OPTIMIZER_STYLE)
    params = [np.zeros(3)]
    nesterov = make_optimizer("Nesterov", params, 0.1)
    assert isinstance(nesterov, po.optim.SGD) and nesterov.nesterov and nesterov.momentum == 0.9
    assert isinstance(make_optimizer("AdamW", params, 0.1), po.optim.AdamW)
    with pytest.raises(ValueError, match="Invalid optimizer: 'Lion'"):
        make_optimizer("Lion", params, 0.1)
    markers = [style["marker"] for style in OPTIMIZER_STYLE.values()]
    assert len(set(markers)) == len(markers)  # told apart without colour
    colours = [style["color"] for name, style in OPTIMIZER_STYLE.items() if name != "AMSGrad"]
    assert len(set(colours)) == len(colours) and set(colours) <= set(OKABE_ITO.values())


def test_search_trains_each_pair_from_one_start(results, split):
    assert list(results) == [(n, lr) for n, lrs in GRID.items() for lr in lrs]
    first = {h.train_loss[0] for h in results.values()}
    assert len(first) == 1  # same initial model for every run
    for h in results.values():
        assert h.epochs == 3 and h.val_accuracy.shape == (4,)
    # the search is repeatable: same seed, same numbers
    again = lr_search(*split, grid={"Adam": (1e-2, 3e-2)}, hidden=(16,), epochs=3, batch_size=50)
    np.testing.assert_array_equal(again["Adam", 1e-2].loss, results["Adam", 1e-2].loss)


def test_summary_picks_the_best_validation_accuracy(results):
    summary = summarise(results)
    for name, lrs in GRID.items():
        accs = [results[name, lr].val_accuracy[-1] for lr in lrs]
        row = summary[name]
        assert row["best_lr"] == lrs[int(np.argmax(accs))]
        assert row["val_accuracy"] == max(accs)
        finals = [results[name, lr].train_loss[-1] for lr in lrs]
        assert row["spread"] == pytest.approx(np.log10(max(finals) / min(finals)))
        assert row["diverged"] == 0
    assert summary["Adam"]["val_accuracy"] > 0.6  # it learned something in 3 epochs


def test_diverged_runs_count_as_infinite_loss(results):
    planted = {**results, ("SGD", 0.3): po.Diverged(4, "loss")}
    row = summarise(planted)["SGD"]
    assert row["diverged"] == 1 and row["spread"] == np.inf and row["best_lr"] == 0.03
    only = summarise({("SGD", 0.1): po.Diverged(1, "loss"), ("SGD", 1.0): po.Diverged(1, "loss")})
    assert only["SGD"]["best_lr"] is None


@pytest.mark.parametrize(
    ("grid", "error", "match"),
    [
        ({"Lion": (0.1, 0.2)}, ValueError, "Invalid optimizer in grid"),
        ({"SGD": (0.1,)}, ValueError, "2 or more increasing lrs"),
        ({"SGD": (0.3, 0.1)}, ValueError, "2 or more increasing lrs"),
        ({"SGD": (0.1, -1.0)}, ValueError, "Invalid grid"),
        ([0.1, 0.3], TypeError, "grid must be a non-empty dict"),
    ],
)
def test_search_rejects_bad_grids(split, grid, error, match):
    with pytest.raises(error, match=match):
        lr_search(*split, grid=grid, epochs=1)


def test_explorer_frames_follow_the_controls(results):
    explorer = digits_explorer(results)
    sizes = [len(c.values) for c in explorer.controls.values()]
    assert sizes == [2, 2]
    default = {name: c.value for name, c in explorer.controls.items()}
    assert default == {"optimizer": "Adam", "position": 2}
    base = explorer.frame(**default)
    assert base.text.startswith("Adam with learning rate 0.01 on the digits")
    for name, control in explorer.controls.items():
        other = next(v for v in control.values if v != control.value)
        assert explorer.frame(**{**default, name: other}).png != base.png, name
    blown = digits_explorer({**results, ("SGD", 0.3): po.Diverged(5, "loss")})
    assert blown.frame(optimizer="SGD", position=2).diverged_at == 5
    with pytest.raises(ValueError, match="same number"):
        digits_explorer({k: v for k, v in results.items() if k != ("SGD", 0.3)})
