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
