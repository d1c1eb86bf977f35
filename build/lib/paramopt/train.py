"""The training loop: minibatch epochs of a ``paramopt.nn`` model with a ``paramopt.optim``
optimiser, recorded in a :class:`History`.

One step k = 1, 2, … takes the next minibatch B_k of an epoch (``paramopt.data.minibatches``:
a fresh shuffle every epoch from the same Generator, the last partial batch kept) and does

    L_k = (1/|B_k|) Σ_{i ∈ B_k} ℓ(f(x_i; θ_{k-1}), y_i)     (forward, model.train())
    g_k = ∇_θ L_k                                          (backward)
    θ_k = optimizer update of θ_{k-1} with g_k              (optimizer.step)

so L_k is the minibatch loss *before* step k's update, as a framework's training loop logs
it. At step 0 and at the end of every epoch the model is evaluated in ``model.eval()`` mode
on the whole training set (and the validation set, if given).

:func:`gradient_descent` is chapter 0's loop: full-batch gradient descent on a linear
classifier's margin loss (:mod:`paramopt.classifier`), recorded step by step.
"""

from dataclasses import dataclass

import numpy as np

from paramopt.classifier import margins, mean_loss_and_grad
from paramopt.data import minibatches
from paramopt.nn.losses import CrossEntropyLoss, Loss
from paramopt.nn.module import Module
from paramopt.optim.composite import Composite
from paramopt.optim.decoupled import DecoupledWeightDecay
from paramopt.optim.lr_scheduler import LRScheduler, ReduceLROnPlateau
from paramopt.optim.optimizer import Optimizer
from paramopt.validation import (
    Diverged,
    as_rng,
    check_array,
    check_int,
    check_positive_int,
    check_real,
)

__all__ = ["History", "accuracy", "evaluate", "fit", "gradient_descent"]


@dataclass
class History:
    """What :func:`fit` recorded.

    Per step k = 1 … ``steps`` (arrays of length ``steps``):

    * ``loss[k-1]``: the minibatch loss L_k, computed before step k's update;
    * ``examples[k-1]``: examples processed after step k, Σ_{j ≤ k} |B_j| (a gradient of
      a batch of B examples costs B per-example gradients).

    Per epoch e = 1 … ``epochs`` (length ``epochs``):

    * ``epoch_loss[e-1]``: the mean of the minibatch losses of epoch e (each batch counts
      once, whatever its size, as the running average a training log prints).

    At the evaluation points (length ``epochs + 1``; index 0 is the model before training,
    index e the model after epoch e), all in ``model.eval()`` mode:

    * ``eval_step``: the step count at each evaluation point;
    * ``train_loss`` and ``val_loss``: the loss on the whole training / validation set;
    * ``train_accuracy`` and ``val_accuracy``: the fraction classified correctly (argmax of
      the output), for a :class:`~paramopt.nn.CrossEntropyLoss` only.

    ``val_*`` are None without validation data and ``*_accuracy`` are None for other
    losses.
    """

    loss: np.ndarray
    examples: np.ndarray
    epoch_loss: np.ndarray
    eval_step: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray | None
    val_loss: np.ndarray | None
    val_accuracy: np.ndarray | None
    batch_size: int
    n_train: int

    @property
    def steps(self):
        """The number of optimiser steps taken."""
        return len(self.loss)

    @property
    def epochs(self):
        """The number of epochs trained."""
        return len(self.epoch_loss)


def _check_model(model):
    if not isinstance(model, Module):
        raise TypeError(f"model must be a paramopt.nn Module, got {model!r}")
    if not model.parameters():
        raise ValueError(f"model has no parameters to train: {model!r}")
    return model


def _check_data(name_X, X, name_y, y, dtype):
    X, y = np.asarray(X), np.asarray(y)
    if X.dtype.kind not in "fiu":
        raise TypeError(f"{name_X} must be a numeric array, got dtype {X.dtype}")
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(
            f"{name_X} must be a non-empty 2-D array (examples, features), got shape {X.shape}"
        )
    if y.ndim < 1 or len(y) != len(X):
        raise ValueError(
            f"{name_y} must have one row per row of {name_X}, got shapes {X.shape} and {y.shape}"
        )
    X = X.astype(dtype, copy=False)
    if not np.isfinite(X).all():
        raise ValueError(f"{name_X} must be finite")
    return X, y


def _outputs(model, X, chunk=4096):
    """The model's output on X in evaluation mode, computed in chunks of ``chunk`` rows."""
    return np.concatenate([model.forward(X[i : i + chunk]) for i in range(0, len(X), chunk)])


def evaluate(model, loss, X, y):
    """``(loss, accuracy)`` of ``model`` on all of ``X, y`` in evaluation mode.

    The loss is ``loss.forward(model(X), y)``; the accuracy is the fraction of rows whose
    largest output is the label, or None unless ``loss`` is a CrossEntropyLoss. The model
    is left in the mode it was in. Raises ValueError (from the loss) if the output is not
    finite.
    """
    was_training = model.training
    model.eval()
    try:
        out = _outputs(model, X)
    finally:
        model.train(was_training)
    value = loss.forward(out, y)
    hits = float(np.mean(out.argmax(axis=1) == y)) if isinstance(loss, CrossEntropyLoss) else None
    return value, hits


def accuracy(model, X, y):
    """The fraction of rows of ``X`` whose largest output is the label ``y`` (eval mode).

    ``X`` is cast to the model's dtype; the model is left in the mode it was in.
    """
    model = _check_model(model)
    X, y = _check_data("X", X, "y", y, model.dtype)
    was_training = model.training
    model.eval()
    try:
        out = _outputs(model, X)
    finally:
        model.train(was_training)
    if out.ndim != 2 or out.shape[1] < 2:
        raise ValueError(f"accuracy needs one output per class, got outputs of shape {out.shape}")
    return float(np.mean(out.argmax(axis=1) == y))


def fit(
    model,
    loss,
    optimizer,
    X,
    y,
    *,
    epochs,
    batch_size,
    rng,
    X_val=None,
    y_val=None,
    drop_last=False,
    scheduler=None,
):
    """Train ``model`` for ``epochs`` epochs of minibatches; return a :class:`History`.

    ``optimizer`` must update ``model.parameters()`` (build it as
    ``optim.SGD(model.parameters(), lr=…)``, or join several into one with
    ``optim.Composite(model.parameters(), [optim.Muon(matrices), optim.AdamW(others)])``).
    ``rng`` (a ``numpy.random.Generator`` or an int seed) shuffles the examples anew every
    epoch; it draws nothing else, so the same seed, the same initial model and the same
    optimiser give the same history. ``batch_size = len(X)`` is full-batch gradient
    descent. ``X`` (and ``X_val``) are cast to the model's dtype.

    Raises :class:`paramopt.Diverged` at the first step k whose minibatch loss or the
    model's output is not finite (``what = "loss"``), whose gradient is not finite
    (``"gradient"``), or after whose update a parameter is not finite (``"parameters"``).
    The model is then left as it was at that point.

    ``scheduler`` (optional) is a learning-rate scheduler of
    :mod:`paramopt.optim.lr_scheduler` built on ``optimizer``: its ``step()`` is called
    after every ``optimizer.step``, as in torch's usual loop, so step k uses γ_{k-1}.
    """
    model = _check_model(model)
    if not isinstance(loss, Loss):
        raise TypeError(f"loss must be a paramopt.nn loss (e.g. CrossEntropyLoss()), got {loss!r}")
    if not isinstance(optimizer, Optimizer | DecoupledWeightDecay | Composite):
        raise TypeError(f"optimizer must be a paramopt.optim optimiser, got {optimizer!r}")
    params = model.parameters()
    if len(optimizer.params) != len(params) or any(
        p is not q for p, q in zip(optimizer.params, params, strict=True)
    ):
        raise ValueError("optimizer must be built on model.parameters(), in the same order")
    if scheduler is not None:
        if not isinstance(scheduler, LRScheduler) or isinstance(scheduler, ReduceLROnPlateau):
            raise TypeError(
                "scheduler must be a paramopt.optim.lr_scheduler scheduler whose step() takes "
                f"no argument (not ReduceLROnPlateau), got {scheduler!r}"
            )
        if scheduler.optimizer is not optimizer:
            raise ValueError("scheduler must be built on optimizer")
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    if rng is None:
        raise TypeError("rng must be a numpy.random.Generator or an int seed, got None")
    rng = as_rng(rng)
    X, y = _check_data("X", X, "y", y, model.dtype)
    if (X_val is None) != (y_val is None):
        raise ValueError("give X_val and y_val together, or neither")
    if X_val is not None:
        X_val, y_val = _check_data("X_val", X_val, "y_val", y_val, model.dtype)
        if X_val.shape[1:] != X.shape[1:]:
            raise ValueError(
                f"X_val must have the features of X, got shapes {X_val.shape} and {X.shape}"
            )
    if drop_last and batch_size > len(X):
        raise ValueError(
            f"batch_size={batch_size} > {len(X)} examples with drop_last=True leaves no batch"
        )

    classify = isinstance(loss, CrossEntropyLoss)
    per_epoch = len(X) // batch_size if drop_last else -(-len(X) // batch_size)
    step_loss = np.empty(epochs * per_epoch)
    examples = np.empty(epochs * per_epoch, dtype=np.int64)
    epoch_loss = np.empty(epochs)
    records = {"train": [], "val": []}
    eval_step = [0]

    def record(step):
        for name, data in (("train", (X, y)), ("val", (X_val, y_val))):
            if data[0] is None:
                continue
            try:
                records[name].append(evaluate(model, loss, *data))
            except ValueError as error:
                raise Diverged(step, "loss") from error
            if not np.isfinite(records[name][-1][0]):
                raise Diverged(step, "loss")

    # The skip of ∂L/∂x at the first layer is an optimisation only (torch does the same).
    skip = {"input_grad": False} if model.can_skip_input_grad else {}
    # -- the training loop --
    record(0)  # evaluation point 0: the model before training
    step, seen = 0, 0
    model.train()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs):
            first = step
            for xb, yb in minibatches(X, y, batch_size, rng=rng, drop_last=drop_last):
                step += 1
                out = model.forward(xb)
                value = loss.forward(out, yb) if np.isfinite(out).all() else np.inf
                if not np.isfinite(value):
                    raise Diverged(step, "loss")
                model.backward(loss.backward(), **skip)  # ∇_θ L_k, into model.gradients()
                grads = model.gradients()
                if not all(np.isfinite(g).all() for g in grads):
                    raise Diverged(step, "gradient")
                optimizer.step(grads)  # θ_k from θ_{k-1}, in place
                if scheduler is not None:
                    scheduler.step()  # the rate of step k + 1
                if not all(np.isfinite(p).all() for p in params):
                    raise Diverged(step, "parameters")
                seen += len(xb)
                step_loss[step - 1], examples[step - 1] = value, seen
            epoch_loss[epoch] = step_loss[first:step].mean()
            eval_step.append(step)
            record(step)  # evaluation point e: the model after epoch e
            model.train()
    # -- end of the training loop --

    def column(name, i):
        return np.array([r[i] for r in records[name]]) if records[name] else None

    return History(
        loss=step_loss,
        examples=examples,
        epoch_loss=epoch_loss,
        eval_step=np.array(eval_step),
        train_loss=column("train", 0),
        train_accuracy=column("train", 1) if classify else None,
        val_loss=column("val", 0),
        val_accuracy=column("val", 1) if classify and X_val is not None else None,
        batch_size=batch_size,
        n_train=len(X),
    )


def gradient_descent(loss, X, y, w, b, *, lr, steps):
    r"""Plain gradient descent :math:`\theta_{t+1} = \theta_t - \alpha \nabla L(\theta_t)`.

    :math:`L` is the mean margin loss ``loss`` (``"perceptron"``, ``"hinge"`` or
    ``"logistic"``, see :mod:`paramopt.classifier`) of the linear classifier
    :math:`\theta = (w, b)` on ``X, y``; :math:`\theta` starts at the given values (not
    modified) and ``lr`` is :math:`\alpha`. Returns a dict of arrays over steps
    ``0..steps``: ``w`` (steps+1, d), ``b``, ``loss``, ``grad_norm`` and ``misclassified``.
    """
    steps = check_int("steps", steps, low=0)
    lr = check_real("lr", lr, low=0.0, low_open=True)
    w = check_array("w", w, ndim=1).astype(np.float64)
    b = float(check_array("b", b, ndim=0))
    history = {"w": [], "b": [], "loss": [], "grad_norm": [], "misclassified": []}
    for _ in range(steps + 1):
        value, grad_w, grad_b, _dz = mean_loss_and_grad(loss, X, y, w, b)
        history["w"].append(w.copy())
        history["b"].append(b)
        history["loss"].append(value)
        history["grad_norm"].append(float(np.sqrt(grad_w @ grad_w + grad_b**2)))
        history["misclassified"].append(int(np.count_nonzero(margins(X, y, w, b) <= 0)))
        w = w - lr * grad_w
        b = b - lr * grad_b
    return {key: np.array(value) for key, value in history.items()}
