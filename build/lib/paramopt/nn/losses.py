"""Losses with an explicit backward: ``forward(prediction, target) -> float``, then
``backward() -> ∂L/∂prediction``.

Errors follow the modules': TypeError for a non-float prediction, ValueError for shapes,
non-finite values or bad labels, RuntimeError for ``backward`` before ``forward``.
A failed ``forward`` changes nothing.
"""

import numpy as np

from paramopt.nn.module import check_float_array

__all__ = ["CrossEntropyLoss", "MSELoss"]


class Loss:
    """Base class: ``__call__`` is ``forward``; ``backward`` needs a forward first."""

    cache = None

    def __call__(self, prediction, target):
        return self.forward(prediction, target)

    def check_forward_ran(self):
        if self.cache is None:
            raise RuntimeError(f"{type(self).__name__}: backward called before forward")
        return self.cache

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSELoss(Loss):
    """Mean squared error over all n entries, as ``torch.nn.MSELoss()``.

    forward   L = (1/n) Σᵢ (pᵢ − tᵢ)²
    backward  ∂L/∂p = 2 (p − t) / n

    ``pred`` and ``target`` must have the same shape: unlike torch, which broadcasts
    (N,) against (N, 1) with only a warning, a mismatch is an error.
    """

    def forward(self, pred, target):
        pred = check_float_array("MSELoss: pred", pred)
        target = np.asarray(target)
        if target.dtype.kind not in "fiu":
            raise TypeError(f"MSELoss: target must be a numeric array, got dtype {target.dtype}")
        if pred.shape != target.shape:
            raise ValueError(
                f"MSELoss: pred and target must have the same shape, got {pred.shape} "
                f"and {target.shape}"
            )
        if pred.size == 0:
            raise ValueError("MSELoss: pred is empty")
        target = check_float_array("MSELoss: target", target.astype(pred.dtype, copy=False))
        diff = pred - target
        self.cache = diff
        return float(np.vdot(diff, diff) / diff.size)

    def backward(self):
        diff = self.check_forward_ran()
        return diff * (2 / diff.size)


def check_labels(labels, n, num_classes):
    """Return ``labels`` as an int array of class indices in [0, num_classes) and length n."""
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iuf":
        raise TypeError(f"labels must be integer class indices, got dtype {labels.dtype}")
    if labels.shape != (n,):
        raise ValueError(f"labels must have shape ({n},) to match the logits, got {labels.shape}")
    if labels.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(labels) | (labels != np.round(labels)))
        if bad.size:
            i = bad[0]
            raise ValueError(
                f"labels must be integer class indices, got {labels[i].item()!r} at index {i}"
            )
    bad = np.flatnonzero((labels < 0) | (labels >= num_classes))
    if bad.size:
        i = bad[0]
        raise ValueError(
            f"labels must be in [0, {num_classes}) (one per class of the logits), "
            f"got {labels[i].item()!r} at index {i}"
        )
    return labels.astype(np.intp, copy=False)


class CrossEntropyLoss(Loss):
    """Softmax cross-entropy averaged over the batch, as ``torch.nn.CrossEntropyLoss()``.

    For logits z of shape (N, C) and class indices yₙ ∈ {0, …, C−1}:
    forward   pₙ = softmax(zₙ),   L = −(1/N) Σₙ log pₙ,yₙ
              computed as log pₙₖ = zₙₖ − mₙ − log Σⱼ exp(zₙⱼ − mₙ) with mₙ = maxⱼ zₙⱼ,
              so no exp overflows (the log-sum-exp trick)
    backward  ∂L/∂z = (p − onehot(y)) / N
    """

    def forward(self, logits, labels):
        z = check_float_array("CrossEntropyLoss: logits", logits, ndim=2)
        if z.shape[0] == 0:
            raise ValueError("CrossEntropyLoss: logits is an empty batch")
        labels = check_labels(labels, *z.shape)
        rows = np.arange(len(z))
        shifted = z - z.max(axis=1, keepdims=True)
        p = np.exp(shifted)
        total = p.sum(axis=1, keepdims=True)
        p /= total  # softmax
        log_p_label = shifted[rows, labels] - np.log(total[:, 0])
        self.cache = (p, labels)
        return float(-log_p_label.mean())

    def backward(self):
        p, labels = self.check_forward_ran()
        grad = p.copy()
        grad[np.arange(len(p)), labels] -= 1
        grad /= len(p)
        return grad
