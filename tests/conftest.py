"""Shared fixtures.

``torch`` is the reference implementation for parity tests. It is kept out of
requirements.txt; `.ci/run` installs the CPU wheel, so under CI a missing torch is a
failure, while locally the parity tests are skipped with a reason.
"""

import importlib
import os

import pytest


@pytest.fixture(scope="session")
def torch():
    try:
        module = importlib.import_module("torch")
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("torch is required for parity tests under CI (see .ci/run)")
        pytest.skip("torch not installed: pip install torch==2.13.0")
    module.set_default_dtype(module.float64)
    return module


# -- a small learning-rate search on the digits, shared by the comparison and its explorer
GRID = {"SGD": (0.03, 0.3), "Adam": (1e-3, 1e-2)}
TWO = (0, 1)


@pytest.fixture(scope="session")
def digits_split():
    import numpy as np

    import paramopt as po

    X, y = po.data.load_digits(np.float32)
    Xtr, Xva, ytr, yva = po.data.train_test_split(X[:600], y[:600], test_fraction=0.25, rng=0)
    return Xtr, ytr, Xva, yva


@pytest.fixture(scope="session")
def search(digits_split):
    from paramopt.comparison import lr_search

    return lr_search(*digits_split, grid=GRID, seeds=TWO, hidden=(16,), epochs=3, batch_size=50)
