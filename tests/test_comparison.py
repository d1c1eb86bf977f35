"""paramopt.comparison: chapter 8's learning-rate search over every optimiser and seed."""

import numpy as np
import pytest
from conftest import GRID, TWO

import paramopt as po
from paramopt.comparison import CHOICES, LR_GRID, SEEDS, lr_search, summarise
from paramopt.style import OKABE_ITO, OPTIMIZER_STYLE


def test_every_optimiser_has_a_grid_a_style_and_builds():
    assert set(LR_GRID) <= set(OPTIMIZER_STYLE) and {n.lower() for n in LR_GRID} <= CHOICES
    assert len(SEEDS) >= 5 and len(set(SEEDS)) == len(SEEDS)
    for name in LR_GRID:
        assert po.optim.create(name, [np.zeros(3)], lr=0.1).lr == 0.1
    markers = [style["marker"] for style in OPTIMIZER_STYLE.values()]
    assert len(set(markers)) == len(markers)  # told apart without colour
    assert {style["color"] for style in OPTIMIZER_STYLE.values()} <= set(OKABE_ITO.values())
    # eight colours for more optimisers: one colour is shared only with another line style
    looks = [(style["color"], style["linestyle"]) for style in OPTIMIZER_STYLE.values()]
    assert len(set(looks)) == len(looks)
    first = [style["color"] for name, style in OPTIMIZER_STYLE.items() if name in LR_GRID]
    assert len(set(first)) == len(first)  # the chapter's own optimisers: one colour each


def test_search_trains_each_triple_and_a_seed_fixes_the_start(search, digits_split):
    assert list(search) == [(n, lr, s) for n, lrs in GRID.items() for lr in lrs for s in TWO]
    for seed in TWO:  # one seed: the same initial model (and batches) for every run
        first = {h.train_loss[0] for (_, _, s), h in search.items() if s == seed}
        assert len(first) == 1
    assert search["SGD", 0.03, 0].train_loss[0] != search["SGD", 0.03, 1].train_loss[0]
    for h in search.values():
        assert h.epochs == 3 and h.val_accuracy.shape == (4,)
    # the search is repeatable: same seed, same numbers, whatever else is in the search
    again = lr_search(
        *digits_split,
        grid={"Adam": (1e-2, 3e-2)},
        seeds=(1,),
        hidden=(16,),
        epochs=3,
        batch_size=50,
    )
    assert list(again) == [("Adam", 1e-2, 1), ("Adam", 3e-2, 1)]
    np.testing.assert_array_equal(again["Adam", 1e-2, 1].loss, search["Adam", 1e-2, 1].loss)


def test_summary_picks_the_best_mean_validation_accuracy(search):
    summary = summarise(search)
    for name, lrs in GRID.items():
        acc = np.array([[search[name, lr, s].val_accuracy[-1] for s in TWO] for lr in lrs])
        train = np.array([[search[name, lr, s].train_loss[-1] for s in TWO] for lr in lrs])
        row = summary[name]
        assert row["lrs"] == list(lrs) and row["seeds"] == list(TWO)
        assert (
            row["best"] == int(np.argmax(acc.mean(axis=1))) and row["best_lr"] == lrs[row["best"]]
        )
        np.testing.assert_array_equal(row["val_accuracy"], acc)
        np.testing.assert_array_equal(row["train_loss"], train)
        assert row["val_loss"].shape == (2, 2)
        np.testing.assert_allclose(row["spread"], np.log10(train.max(axis=0) / train.min(axis=0)))
        assert row["diverged"] == 0
    assert summary["Adam"]["val_accuracy"].mean(axis=1).max() > 0.6  # it learned in 3 epochs


def test_the_mean_not_one_lucky_seed_picks_the_rate(search):
    # seed 0 loves the higher rate, seed 1 hates it: the mean decides, not seed 0
    lucky = {**search}
    for lr, accs in ((0.03, (0.80, 0.80)), (0.3, (0.95, 0.10))):
        for seed, acc in zip(TWO, accs, strict=True):
            h = search["SGD", lr, seed]
            lucky["SGD", lr, seed] = type(h)(**{**vars(h), "val_accuracy": np.full(4, acc)})
    assert summarise(lucky)["SGD"]["best_lr"] == 0.03


def test_diverged_runs_count_as_infinite_loss_and_zero_accuracy(search):
    planted = {**search, ("SGD", 0.3, 1): po.Diverged(4, "loss")}
    row = summarise(planted)["SGD"]
    acc = [[search["SGD", 0.03, s].val_accuracy[-1] for s in TWO],
           [search["SGD", 0.3, 0].val_accuracy[-1], 0.0]]  # fmt: skip
    assert row["diverged"] == 1 and row["best"] == int(np.argmax(np.mean(acc, axis=1)))
    assert row["val_accuracy"][1, 1] == 0 and row["train_loss"][1, 1] == np.inf
    assert row["spread"][1] == np.inf and np.isfinite(row["spread"][0])
    dead = {(n, lr, s): po.Diverged(1, "loss") for n, lr, s in search if n == "SGD"}
    only = summarise({**search, **dead})["SGD"]
    assert only["best_lr"] is None and only["best"] is None and only["diverged"] == 4


@pytest.mark.parametrize(
    ("grid", "error", "match"),
    [
        ({"Lion": (0.1, 0.2)}, ValueError, "Invalid optimizer in grid"),
        ({"SGD": (0.1,)}, ValueError, "2 or more increasing lrs"),
        ({"SGD": (0.3, 0.1)}, ValueError, "must be a non-empty increasing sequence"),
        ({"SGD": (0.1, -1.0)}, ValueError, "Invalid grid"),
        ([0.1, 0.3], TypeError, "grid must be a non-empty dict"),
    ],
)
def test_search_rejects_bad_grids(digits_split, grid, error, match):
    with pytest.raises(error, match=match):
        lr_search(*digits_split, grid=grid, epochs=1)


@pytest.mark.parametrize(
    ("seeds", "error", "match"),
    [
        (3, TypeError, "seeds must be a sequence of ints, got 3"),
        ("01", TypeError, "seeds must be a sequence"),
        ((), ValueError, "1 or more distinct seeds"),
        ((0, 1, 0), ValueError, r"distinct seeds, got \[0, 1, 0\]"),
        ((0, -1), ValueError, r"Invalid seeds\[1\]: -1 \(must be >= 0\)"),
        ((0, 1.5), TypeError, r"seeds\[1\] must be an int, got 1.5"),
        ((True,), TypeError, r"seeds\[0\] must be an int, got True"),
    ],
)
def test_search_rejects_bad_seeds(digits_split, seeds, error, match):
    with pytest.raises(error, match=match):
        lr_search(*digits_split, grid=GRID, seeds=seeds, epochs=1)


def test_summary_needs_every_seed_of_every_rate(search):
    with pytest.raises(ValueError, match="every seed for every rate"):
        summarise({k: v for k, v in search.items() if k != ("Adam", 1e-2, 1)})
    with pytest.raises(ValueError, match=r"keys must be \(optimizer, lr, seed\)"):
        summarise({("SGD", 0.1): search["SGD", 0.03, 0]})
    with pytest.raises(TypeError, match="non-empty dict"):
        summarise({})
