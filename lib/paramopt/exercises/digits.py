"""Checkers for chapter 10, the digits: the scale of the loss, an untouched test set, paired
seeds."""

import numpy as np

from paramopt.exercises.checking import Hint, as_float, call, compare, exercise


@exercise("digits-adam-scale", "the rate on the original loss that matches c·loss: equivalent_lr")
def _adam_scale(answer):
    for name in ("SGD", "Adam"):
        for lr, c in ((0.1, 10.0), (1e-3, 0.5), (0.03, 3.0)):
            got = as_float(call(answer, name, lr, c))
            sgd, adam = c * lr, lr
            compare(
                got,
                sgd if name == "SGD" else adam,
                names=[f"rate for {name}"],
                mistakes={
                    "Scaling the loss by c scales SGD's gradient by c, so its step η(cg) "
                    "equals (cη)g: the rate is multiplied by c, not divided.": (
                        lr / c if name == "SGD" else None
                    ),
                    "SGD's step is η times the gradient, and the gradient of c·loss is c times "
                    "larger: the equivalent rate is cη.": lr if name == "SGD" else None,
                    "Adam divides m̂ (scaled by c) by √v̂ (scaled by c too): its iterates do not "
                    "change, and neither does the rate.": c * lr if name == "Adam" else None,
                },
            )
    return "SGD's good rate scales like 1/c with the loss; Adam's does not move."


def _split_problem():
    n = 50
    X = np.column_stack([np.arange(n), -np.arange(n)]).astype(float)  # row id = X[:, 0]
    y = np.arange(n) % 10
    return X, y


def _rows(name, X_part, y_part):
    X_part, y_part = np.asarray(X_part, dtype=float), np.asarray(y_part)
    if X_part.ndim != 2 or X_part.shape[1] != 2 or y_part.shape != (len(X_part),):
        raise Hint(
            f"{name}: expected rows of X (shape (n, 2) here) and their labels (shape "
            f"(n,)), got shapes {X_part.shape} and {y_part.shape}"
        )
    ids = X_part[:, 0].astype(int)
    if not np.array_equal(y_part, ids % 10):
        raise Hint(
            f"the labels of the {name} set do not belong to its rows: split X and y with "
            "the same permutation (train_test_split does)."
        )
    return ids


@exercise("digits-test-set", "a train/validation/test split with 20% test: three_way_split(X, y)")
def _test_set(answer):
    X, y = _split_problem()
    parts = call(answer, X.copy(), y.copy())
    if not isinstance(parts, tuple | list) or len(parts) != 6:
        raise Hint("return six arrays: X_train, X_val, X_test, y_train, y_val, y_test")
    X_tr, X_va, X_te, y_tr, y_va, y_te = parts
    ids = [
        _rows(n, a, b)
        for n, a, b in (("training", X_tr, y_tr), ("validation", X_va, y_va), ("test", X_te, y_te))
    ]
    train, val, test = (set(part.tolist()) for part in ids)
    sizes = {"training": len(X_tr), "validation": len(X_va), "test": len(X_te)}
    if sum(sizes.values()) != len(X) or len(train | val | test) != len(X):
        if train & test or val & test:
            raise Hint(
                "some test rows are also in the training or validation set: split the "
                "test set off first, then split only the rest."
            )
        if train & val:
            raise Hint("some rows are in both the training and the validation set.")
        raise Hint(
            f"the three sets must together hold every row exactly once; sizes {sizes} "
            f"for {len(X)} rows"
        )
    if len(X_te) != round(0.2 * len(X)):
        raise Hint(
            f"the test set should hold 20% of the data ({round(0.2 * len(X))} of "
            f"{len(X)} rows), got {len(X_te)}"
        )
    if not (len(X_va) and len(X_tr) > len(X_va)):
        raise Hint(
            f"split the remaining rows into a larger training and a smaller validation "
            f"set; sizes {sizes}"
        )
    if all(np.array_equal(part, np.arange(part[0], part[0] + len(part))) for part in ids):
        raise Hint(
            "each set is a block of consecutive rows in their original order: shuffle before "
            "splitting (a file sorted by class would leave whole classes out)."
        )
    return f"Sizes {sizes}; touch the test set only once, at the very end."


#: accuracies of two optimisers over the same seeds: pairs that move together (the paired
#: standard error is far below the unpaired one), pairs that do not, and a negative mean
_PAIRS = (
    ([0.90, 0.80, 0.95, 0.70, 0.85], [0.86, 0.77, 0.90, 0.68, 0.80]),
    ([0.969, 0.973, 0.969, 0.969, 0.969], [0.964, 0.980, 0.969, 0.958, 0.967]),
    ([0.5, 0.25, 0.75], [0.625, 0.5, 0.75]),
)


@exercise("digits-seeds", "the mean paired difference and its standard error: paired_difference")
def _seeds(answer):
    for a, b in _PAIRS:
        a, b = np.array(a), np.array(b)
        d, n = a - b, len(a)
        mean, se = d.mean(), d.std(ddof=1) / np.sqrt(n)
        got = call(answer, a, b)
        if not isinstance(got, tuple | list) or len(got) != 2:
            raise Hint("return two numbers: the mean difference and its standard error")
        compare(
            (as_float(got[0]), as_float(got[1])),
            (mean, se),
            names=["mean difference", "standard error"],
            mistakes={
                "The difference is a minus b: a positive mean says a is ahead.": (-mean, se),
                "Pair the runs: the standard error of a paired comparison is that of the "
                "differences, s_d/√n, not the unpaired √((s_a² + s_b²)/n).": (
                    mean,
                    np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / n),
                ),
                "Divide s_d by √n: the standard error is that of the mean of the n "
                "differences, not the spread of one difference.": (mean, d.std(ddof=1)),
                "Divide s_d by √n, not by n.": (mean, d.std(ddof=1) / n),
                "Use the sample standard deviation, ddof=1: the mean was estimated from the "
                "same n differences.": (mean, d.std() / np.sqrt(n)),
                "The second number is the standard error s_d/√n, not the number of standard "
                "errors d̄/(s_d/√n).": (mean, mean / se),
            },
        )
    return (
        "Two standard errors from zero is the usual bar; the standard error falls like 1/√n, "
        "so halving it takes four times the seeds."
    )
