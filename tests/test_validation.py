"""paramopt.validation: one rule — TypeError for a wrong type, ValueError for a wrong value."""

import numpy as np
import pytest

from paramopt.validation import as_rng, check_flag, check_increasing, check_int, check_real


def test_check_int():
    assert check_int("n", np.int64(3), low=0) == 3 and type(check_int("n", 3)) is int
    with pytest.raises(TypeError, match="n must be an int, got 2.0"):
        check_int("n", 2.0)
    with pytest.raises(TypeError, match="n must be an int, got True"):
        check_int("n", True)
    with pytest.raises(ValueError, match=r"Invalid n: -1 \(must be >= 0\)"):
        check_int("n", -1, low=0)


def test_check_flag():
    assert check_flag("amsgrad", np.True_) is True
    with pytest.raises(TypeError, match="amsgrad must be True or False, got 1"):
        check_flag("amsgrad", 1)


def test_check_increasing():
    assert check_increasing("lrs", (0.1, 1)) == [0.1, 1.0]
    assert check_increasing("sizes", [1, 4], lambda name, v: check_int(name, v, low=1)) == [1, 4]
    with pytest.raises(
        ValueError, match=r"lrs must be a non-empty increasing sequence, got \[1.0, 1.0\]"
    ):
        check_increasing("lrs", [1, 1])
    with pytest.raises(ValueError, match="non-empty"):
        check_increasing("lrs", [])
    with pytest.raises(TypeError, match="lrs must be a sequence of numbers, got 0.1"):
        check_increasing("lrs", 0.1)
    with pytest.raises(TypeError, match=r"lrs\[1\] must be a real number"):
        check_increasing("lrs", [0.1, "1"])
    with pytest.raises(ValueError, match=r"Invalid sizes\[0\]: 0"):
        check_increasing("sizes", [0, 2], lambda name, v: check_int(name, v, low=1))


def test_as_rng():
    generator = np.random.default_rng(5)
    assert as_rng(generator) is generator
    assert as_rng(7).random() == np.random.default_rng(7).random()
    assert isinstance(as_rng(None), np.random.Generator)
    with pytest.raises(
        TypeError, match="rng must be a numpy.random.Generator, an int seed or None"
    ):
        as_rng(0.5)
    with pytest.raises(ValueError, match=r"Invalid rng: -1 \(a seed must be >= 0\)"):
        as_rng(-1)
    assert check_real("x", 1) == 1.0
