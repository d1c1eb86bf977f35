"""Checkers for chapter 1, backpropagation: a tanh error signal, a layer's backward pass."""

import numpy as np

from paramopt.exercises.checking import Hint, as_float, call, compare, exercise


def _tanh_cases():
    rng = np.random.default_rng(11)
    for n_out, n_hidden in ((3, 3), (1, 2), (3, 4)):  # (3, 3): W2 @ δ has the right shape too
        W2, delta2 = rng.normal(size=(n_out, n_hidden)), rng.normal(size=n_out)
        yield W2, delta2, np.tanh(rng.normal(scale=1.5, size=n_hidden))


@exercise("backprop-tanh", "δ⁽¹⁾ = tanh_delta(W2, delta2, a1) for tanh hidden units")
def _tanh_delta(answer):
    for W2, delta2, a1 in _tanh_cases():
        back = W2.T @ delta2
        compare(
            call(answer, W2, delta2, a1),
            back * (1 - a1 * a1),
            names=["delta1"],
            mistakes={
                "a(1 - a) is the sigmoid's slope σ'(z); tanh's is 1 - tanh²(z) = 1 - a².": back
                * a1
                * (1 - a1),
                "a1 is already tanh(z⁽¹⁾): the slope is 1 - a1², not 1 - tanh(a1)².": back
                * (1 - np.tanh(a1) ** 2),
                "You forgot the activation's slope: multiply W2ᵀδ⁽²⁾ elementwise by "
                "tanh'(z⁽¹⁾) = 1 - a1².": back,
                "The error signal flows backwards through the transpose: W2ᵀ δ⁽²⁾, not W2 δ⁽²⁾.": (
                    (W2 @ delta2) * (1 - a1 * a1) if W2.shape[0] == W2.shape[1] else None
                ),
            },
        )
    return "Only the activation's slope changed; the rest of the table holds for any activation."


def _scale_reference(x, s, delta):
    """(y, ∂L/∂s, ∂L/∂x) of y = x ⊙ s (s broadcast over the batch)."""
    return x * s, (delta * x).sum(axis=0), delta * s


SCALE_HINTS = {
    "mean": "∂L/∂s_i sums over the batch, Σ_n δ_{n,i} x_{n,i}, like a bias gradient "
    "(you took the mean: the loss already averages, through δ).",
    "x-for-s": "backward must return ∂L/∂x = δ ⊙ s: the slope of y_{n,i} = s_i x_{n,i} in "
    "x_{n,i} is s_i (you multiplied by x).",
    "delta": "backward must return ∂L/∂x = δ ⊙ s (you returned δ unchanged).",
    "s-for-x": "∂L/∂s_i = Σ_n δ_{n,i} x_{n,i}: the slope of y in s_i is the input x, not s.",
}


@exercise("backprop-scale", "a Scale layer y = x ⊙ s with forward and backward (a po.nn.Module)")
def _scale(answer):
    if not isinstance(answer, type):
        raise Hint(f"expected the class Scale itself, got {type(answer).__name__} {answer!r:.60}")
    rng = np.random.default_rng(5)
    for n, features in ((4, 3), (1, 5)):
        layer = call(answer, features)
        if tuple(getattr(layer, "parameter_names", ())) != ("scale",):
            raise Hint(
                'set parameter_names = ("scale",): optimisers and gradcheck find the '
                "parameter (and its gradient grad_scale) through it."
            )
        s, x = rng.uniform(0.5, 2, features), rng.normal(size=(n, features))
        delta = rng.normal(size=(n, features))
        want_y, want_gs, want_gx = _scale_reference(x, s, delta)
        try:
            layer.scale[...] = s
        except (AttributeError, TypeError, ValueError) as error:
            raise Hint(f"layer.scale must be an array of {features} factors ({error})") from None
        y = call(layer.forward, x)
        compare(y, want_y, names=["forward(x)"])
        grad_x = call(layer.backward, delta)
        grad_s = np.asarray(getattr(layer, "grad_scale", None), dtype=object)
        if grad_s.shape != (features,):
            raise Hint(
                f"grad_scale must hold one number per feature, shape ({features},), got "
                f"shape {grad_s.shape}: sum δ ⊙ x over the batch axis (axis=0)."
            )
        compare(
            (grad_s.astype(float), grad_x),
            (want_gs, want_gx),
            names=["grad_scale", "backward(δ)"],
            mistakes={
                SCALE_HINTS["mean"]: (want_gs / n, want_gx) if n > 1 else None,
                SCALE_HINTS["x-for-s"]: (want_gs, delta * x),
                SCALE_HINTS["delta"]: (want_gs, delta),
                SCALE_HINTS["s-for-x"]: ((delta * s).sum(axis=0), want_gx),
            },
        )
    return "Now let po.gradcheck.check_module confirm it, as the solution does."


@exercise("backprop-reduction", "the learning rate on the summed loss: lr_for_sum(alpha, N)")
def _reduction(answer):
    for alpha, n in ((0.1, 32), (0.5, 7), (2.0, 1000)):
        got = as_float(call(answer, alpha, n))
        compare(
            got,
            alpha / n,
            mistakes={
                "The summed loss's gradients are already N times larger; multiplying the rate "
                "by N makes every step N² times too large. Divide by N.": alpha * n,
                "The same α takes N times larger steps on the summed loss: every gradient "
                "grew by the factor N.": alpha if n > 1 else None,
            },
        )
    return "Summed gradients are N times the mean's, so α/N gives the same steps."
