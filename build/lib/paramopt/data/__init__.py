"""Data sets the chapters train on. Everything is generated or shipped: nothing is downloaded."""

from paramopt.data.batches import minibatches, train_test_split
from paramopt.data.digits import load_digits
from paramopt.data.synthetic import two_blobs

__all__ = ["load_digits", "minibatches", "train_test_split", "two_blobs"]
