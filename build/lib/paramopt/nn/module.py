"""Modules with an explicit forward and backward pass, and the container that chains them.

A module maps a batch ``x`` of shape ``(N, features)`` to ``y = f(x)``. ``forward``
remembers what ``backward`` will need; ``backward(δ)`` receives ``δ = ∂L/∂y``, the gradient
of a scalar loss ``L`` with respect to the module's output, stores ``∂L/∂θ`` for every
parameter ``θ`` and returns ``∂L/∂x``. That is the chain rule, one module at a time.

Conventions shared by every module:

* ``parameters()`` and ``gradients()`` return aligned lists of the *same* array objects
  for the module's whole life. An optimiser updates the parameters in place, and every
  ``backward`` overwrites the gradients in place (PyTorch accumulates into ``.grad``
  until ``zero_grad()``; here each backward starts afresh, so there is nothing to zero).
  Before the first ``backward`` the gradients are zero.
* Bad input raises before anything changes: ``TypeError`` for a non-float array or a
  dtype that differs from the parameters', ``ValueError`` for a wrong shape or a
  non-finite value, ``RuntimeError`` for ``backward`` called before ``forward``.
  Scanning for non-finite values costs a pass over the data, so a module inside a
  ``Sequential`` leaves it to the ``Sequential`` (which scans its own input and
  gradient) and to the loss (which scans the network's output).
* ``forward`` keeps references (no copies) to what ``backward`` needs, which may be its
  input or its output: do not modify either in place before calling ``backward``.
"""

import numpy as np

from paramopt.validation import check_array

__all__ = ["Module", "Sequential"]

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def float_dtype(dtype):
    """Return ``dtype`` as a numpy dtype after checking it is float32 or float64."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}") from None
    if dtype not in FLOAT_DTYPES:
        raise TypeError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def check_float_array(name, value, *, ndim=None, finite=True):
    """Return ``value`` as a float32/float64 array with ``ndim`` dims (and finite entries)."""
    array = np.asarray(value)
    if array.dtype not in FLOAT_DTYPES:
        raise TypeError(f"{name} must be a float32 or float64 array, got dtype {array.dtype}")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    if finite and not np.isfinite(array).all():
        check_array(name, array)  # raises, showing the first bad value and its index
    return array


class Module:
    """Base class: ``forward(x) -> y``, ``backward(∂L/∂y) -> ∂L/∂x``.

    Subclasses list their trainable arrays in ``parameter_names`` (the gradient of
    parameter ``p`` lives in ``grad_p``) and other dtype-following state in
    ``buffer_names``, and describe the inputs they accept in ``check_shape``.
    """

    parameter_names = ()
    buffer_names = ()
    training = True
    scan_nonfinite = True  # False for the members of a Sequential, which scans for them
    output_shape = None  # shape of the last forward's output; None before any forward
    output_dtype = None
    can_skip_input_grad = False  # True if backward takes input_grad=False

    def forward(self, x):
        raise NotImplementedError

    def backward(self, grad_y):
        raise NotImplementedError

    def __call__(self, x):
        return self.forward(x)

    def parameters(self):
        """The arrays an optimiser updates in place."""
        return [getattr(self, name) for name in self.parameter_names]

    def gradients(self):
        """∂L/∂θ for each parameter θ, aligned with ``parameters()``; set by ``backward``."""
        return [getattr(self, "grad_" + name) for name in self.parameter_names]

    def named_parameters(self):
        """``[(name, array), ...]`` aligned with ``parameters()``."""
        return [(name, getattr(self, name)) for name in self.parameter_names]

    def train(self, mode=True):
        """Switch to training mode (or to evaluation mode if ``mode`` is false)."""
        self.training = bool(mode)
        return self

    def eval(self):
        """Switch to evaluation mode: BatchNorm uses its running statistics."""
        return self.train(False)

    @property
    def dtype(self):
        """dtype of the parameters, or None for a module without parameters."""
        return getattr(self, self.parameter_names[0]).dtype if self.parameter_names else None

    def to(self, dtype):
        """Convert parameters, gradients and buffers to ``dtype`` (float32 or float64).

        Arrays of another dtype are replaced, so build optimisers after calling ``to``.
        """
        dtype = float_dtype(dtype)
        for name in self.parameter_names:
            setattr(self, name, getattr(self, name).astype(dtype, copy=False))
            setattr(self, "grad_" + name, getattr(self, "grad_" + name).astype(dtype, copy=False))
        for name in self.buffer_names:
            setattr(self, name, getattr(self, name).astype(dtype, copy=False))
        return self

    def check_shape(self, shape):
        """Return the output shape for a 2-D input ``shape``; raise ValueError if not accepted."""
        return shape

    def check_dtype(self, dtype):
        """Raise TypeError unless input of ``dtype`` matches the parameters."""
        if self.dtype is not None and dtype != self.dtype:
            raise TypeError(
                f"{type(self).__name__} has {self.dtype} parameters but got {dtype} input; "
                f"build it with dtype={dtype} or call .to({dtype}) on it, or cast the input"
            )

    def check_input(self, x):
        """Return ``x`` as a float array this module accepts, or raise naming the problem.

        Records the output shape that ``backward`` will expect.
        """
        name = type(self).__name__
        x = np.asarray(x)
        if x.dtype not in FLOAT_DTYPES:
            raise TypeError(f"{name} expected a float32 or float64 array, got dtype {x.dtype}")
        if x.ndim != 2:
            raise ValueError(f"{name} expected 2-D input (batch, features), got shape {x.shape}")
        if x.shape[0] == 0:
            raise ValueError(f"{name} got an empty batch, shape {x.shape}")
        self.check_dtype(x.dtype)
        shape = self.check_shape(x.shape)
        if self.scan_nonfinite and not np.isfinite(x).all():
            check_array(f"{name} input", x)
        self.output_shape, self.output_dtype = shape, x.dtype
        return x

    def check_grad(self, grad_y):
        """Return ``grad_y`` = ∂L/∂y after checking forward ran and the shape matches ``y``."""
        name = type(self).__name__
        if self.output_shape is None:
            raise RuntimeError(f"{name}: backward called before forward")
        grad_y = check_float_array(f"{name} backward: grad_y", grad_y, finite=self.scan_nonfinite)
        if grad_y.shape != self.output_shape:
            raise ValueError(
                f"{name} backward: grad_y must have the output's shape {self.output_shape}, "
                f"got {grad_y.shape}"
            )
        return grad_y.astype(self.output_dtype, copy=False)

    def __repr__(self):
        return f"{type(self).__name__}()"


class Sequential(Module):
    """Modules applied one after another: ``y = fₖ(… f₂(f₁(x)))``.

    forward   x₀ = x,  xᵢ = fᵢ(xᵢ₋₁),  y = xₖ
    backward  δₖ = ∂L/∂y,  δᵢ₋₁ = fᵢ.backward(δᵢ)  (back to front),  ∂L/∂x = δ₀

    ``backward(δ, input_grad=False)`` stops at the first layer with parameters and
    returns None: torch likewise skips ∂L/∂x when the input needs no gradient.

    The whole chain's shapes are checked before any module runs, so a bad input
    changes nothing.
    """

    can_skip_input_grad = True

    def __init__(self, *modules):
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential: item {i} is not a Module: {module!r}")
        for module in modules:
            module.scan_nonfinite = False
        self.layers = list(modules)

    def forward(self, x):
        outputs = self.forward_all(x)
        return outputs[-1] if outputs else self.check_input(x)

    def forward_all(self, x):
        """The forward pass, returning every layer's output [x₁, …, xₖ] (xₖ = y)."""
        outputs, x = [], self.check_input(x)
        for layer in self.layers:
            x = layer.forward(x)
            outputs.append(x)
        return outputs

    def backward(self, grad_y, input_grad=True):
        grad = self.check_grad(grad_y)
        layers = self.layers if input_grad else self.layers[self.first_trainable() :]
        for i in reversed(range(len(layers))):
            if i == 0 and not input_grad and layers[0].can_skip_input_grad:
                return layers[0].backward(grad, input_grad=False)
            grad = layers[i].backward(grad)
        return grad if input_grad else None

    def backward_all(self, grad_y):
        """The backward pass, returning the gradient at every layer's input [δ₀, …, δₖ₋₁].

        δᵢ = ∂L/∂xᵢ is what flows into layer i + 1 on the way back; δ₀ = ∂L/∂x.
        """
        grads = [self.check_grad(grad_y)]
        for layer in reversed(self.layers):
            grads.append(layer.backward(grads[-1]))
        return grads[:0:-1]

    def first_trainable(self):
        """Index of the first layer with parameters (len(self) if none has any)."""
        return next((i for i, m in enumerate(self.layers) if m.parameters()), len(self.layers))

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def gradients(self):
        return [g for layer in self.layers for g in layer.gradients()]

    def named_parameters(self):
        return [
            (f"{i}.{name}", p)
            for i, layer in enumerate(self.layers)
            for name, p in layer.named_parameters()
        ]

    def train(self, mode=True):
        for layer in self.layers:
            layer.train(mode)
        return super().train(mode)

    @property
    def dtype(self):
        dtypes = [layer.dtype for layer in self.layers if layer.dtype is not None]
        return dtypes[0] if dtypes else None

    def to(self, dtype):
        for layer in self.layers:
            layer.to(dtype)
        return self

    def check_dtype(self, dtype):
        for layer in self.layers:
            layer.check_dtype(dtype)

    def check_shape(self, shape):
        for i, layer in enumerate(self.layers):
            try:
                shape = layer.check_shape(shape)
            except ValueError as error:
                raise ValueError(f"Sequential layer {i}: {error}") from None
        return shape

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, index):
        return self.layers[index]

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self):
        inner = "".join(f"\n  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential({inner}\n)"
