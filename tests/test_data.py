import numpy as np
import pytest

import paramopt as po


def test_digits_are_shipped_and_scaled():
    X, y = po.data.load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    X32, _ = po.data.load_digits(np.float32)
    assert X32.dtype == np.float32
    X[0, 0] = 5.0  # a fresh copy: the next call is unaffected
    assert po.data.load_digits()[0][0, 0] == 0.0
    with pytest.raises(TypeError, match="dtype must be a float dtype"):
        po.data.load_digits(np.int32)


def test_an_epoch_visits_every_example_once_and_reshuffles():
    X = np.arange(10.0)[:, None]
    y = np.arange(10)
    rng = np.random.default_rng(0)
    first = list(po.data.minibatches(X, y, 4, rng=rng))
    second = list(po.data.minibatches(X, y, 4, rng=rng))
    assert [len(b) for b, _ in first] == [4, 4, 2]  # the last partial batch is kept
    assert sorted(np.concatenate([b for _, b in first]).tolist()) == list(range(10))
    assert not np.array_equal(
        np.concatenate([b for _, b in first]), np.concatenate([b for _, b in second])
    )
    for xb, yb in first:
        np.testing.assert_array_equal(xb[:, 0], yb)  # rows stay paired
    dropped = list(po.data.minibatches(X, y, 4, rng=rng, drop_last=True))
    assert [len(b) for b, _ in dropped] == [4, 4]
    ordered = list(po.data.minibatches(X, y, 3, rng=None, shuffle=False))
    assert ordered[0][1].tolist() == [0, 1, 2]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_size": 0}, ValueError, "Invalid batch_size: 0"),
        ({"batch_size": 2.5}, TypeError, "batch_size must be an int, got 2.5"),
        ({"batch_size": 2, "rng": 0}, TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_bad_minibatch_arguments(kwargs, error, match):
    kwargs.setdefault("rng", np.random.default_rng(0))
    with pytest.raises(error, match=match):
        next(po.data.minibatches(np.ones((4, 1)), np.ones(4), **kwargs))


def test_train_test_split_is_a_seeded_partition():
    X, y = np.arange(20.0)[:, None], np.arange(20)
    Xtr, Xte, ytr, yte = po.data.train_test_split(X, y, test_fraction=0.25, rng=1)
    assert len(yte) == 5 and len(ytr) == 15
    assert sorted(np.r_[ytr, yte].tolist()) == list(range(20))
    again = po.data.train_test_split(X, y, test_fraction=0.25, rng=1)
    np.testing.assert_array_equal(again[3], yte)
    with pytest.raises(ValueError, match="X and y must have as many rows"):
        po.data.train_test_split(X, y[:3])
