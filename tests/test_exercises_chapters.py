"""Every chapter's checkers accept right answers and name typical mistakes.

The answers below are written as a reader would write them, independently of the
checkers' own reference code.
"""

import numpy as np
import pytest

import paramopt as po
from paramopt import adaptive, exercises, momentum
from paramopt.exercises import Result
from paramopt.exercises.backprop import SCALE_HINTS
from paramopt.exercises.weight_decay import ADAMW_HINTS, SGD_HINTS


# -- chapters 0 and 7 -----------------------------------------------------------------------
def squared_grad(z):
    return -2 * (1 - z)


def logistic_derivative(z):
    return -1 / (1 + np.exp(z))


def mean_grad(X, y, w, b):
    dz = po.nn.sigmoid(y * (X @ w + b)) - 1
    return (dz * y) @ X / len(y), float(np.mean(dz * y))


def adamw_step(theta, grad, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    beta1, beta2 = betas
    theta = theta * (1 - lr * weight_decay)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def sgd_step(theta, grad, buf, lr, momentum, weight_decay, decoupled):
    if decoupled:
        buf = momentum * buf + grad
        return theta * (1 - lr * weight_decay) - lr * buf, buf
    buf = momentum * buf + grad + weight_decay * theta
    return theta - lr * buf, buf


def mean_grad_without_y(X, y, w, b):
    dz = po.nn.sigmoid(y * (X @ w + b)) - 1
    return dz @ X / len(y), float(np.mean(dz))


def adamw_half_life(lr, weight_decay):
    return np.log(0.5) / np.log(1 - lr * weight_decay)


# -- chapter 1 ------------------------------------------------------------------------------
def tanh_delta(W2, delta2, a1):
    return (W2.T @ delta2) * (1 - a1**2)


def make_scale(mistake=None):
    class Scale(po.nn.Module):
        parameter_names = ("scale",)

        def __init__(self, features):
            self.scale = np.linspace(0.5, 2.0, features)
            self.grad_scale = np.zeros(features)

        def forward(self, x):
            self.x = self.check_input(x)
            return self.x * self.scale

        def backward(self, grad_y):
            delta = self.check_grad(grad_y)
            grad = {"mean": (delta * self.x).mean(axis=0), "s-for-x": (delta * self.scale)}.get(
                mistake, delta * self.x
            )
            self.grad_scale[...] = grad.sum(axis=0) if grad.ndim == 2 else grad
            return {"x-for-s": delta * self.x, "delta": delta}.get(mistake, delta * self.scale)

    return Scale


# -- chapter 2 ------------------------------------------------------------------------------
def leaky_std(n, a):
    return np.sqrt(2 / ((1 + a**2) * n))


def variance_factor(std, width):
    return width * std**2 / 2


def predicted_ratio(factor, layers):
    return factor ** (layers - 1)


def bn_input_grad(x, delta, eps, *, ddof=0, terms=("mean", "hat"), scale=True):
    sigma = np.sqrt(x.var(axis=0, ddof=ddof) + eps)
    x_hat = (x - x.mean(axis=0)) / sigma
    g = delta
    if "mean" in terms:
        g = g - delta.mean(axis=0)
    if "hat" in terms:
        g = g - x_hat * np.mean(delta * x_hat, axis=0)
    return g / sigma if scale else g


def dead_fraction(a):
    return np.mean(np.all(a == 0, axis=0))


# -- chapter 3 ------------------------------------------------------------------------------
def batch_variance(sigma2, B, N):
    return sigma2 / B * (N - B) / (N - 1)


def first_escape(paths, saddle):
    crossed = paths[:, 0, :] < saddle
    return np.where(crossed.any(axis=0), crossed.argmax(axis=0), np.inf)


def max_stable_lr(H):
    return 2 / np.linalg.eigvalsh(H).max()


# -- chapter 4 ------------------------------------------------------------------------------
def heavy_ball_limit(lam, beta):
    return 2 * (1 + beta) / lam


def sutskever_nesterov(grad, start, steps, lr, mu, *, at_theta=False, return_theta=False):
    theta, v = np.array(start, dtype=float), np.zeros(len(start))
    thetas, phis = [theta.copy()], [theta.copy()]
    for _ in range(steps):
        v = mu * v - lr * grad(theta if at_theta else theta + mu * v)
        theta = theta + v
        thetas.append(theta)
        phis.append(theta + mu * v)
    return np.array(thetas if return_theta else phis)


def torch_arguments(alpha, beta):
    return alpha * (1 - beta), beta


# -- chapter 5 ------------------------------------------------------------------------------
def adagrad_distance(T, lr, g, s0):
    t = np.arange(1, T + 1)
    return np.sum(lr * abs(g) / np.sqrt(s0 + t * g**2))


def effective_rates(state_sum, lr, eps):
    return lr / (np.sqrt(state_sum) + eps)


def hessian(kappa, angle, *, swap=False):
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, s], [-s, c]])
    return R.T @ np.diag([kappa, 1.0] if swap else [1.0, kappa]) @ R


# -- chapter 6 ------------------------------------------------------------------------------
def spike_step(beta1, beta2):
    return (1 - beta1) / np.sqrt(1 - beta2)


def torch_eps(keras_eps, t, beta2):
    return keras_eps / np.sqrt(1 - beta2**t)


# -- chapter 8 ------------------------------------------------------------------------------
def equivalent_lr(optimizer, lr, c):
    return c * lr if optimizer == "SGD" else lr


def three_way_split(X, y):
    X_rest, X_test, y_rest, y_test = po.data.train_test_split(X, y, test_fraction=0.2, rng=1)
    X_tr, X_va, y_tr, y_va = po.data.train_test_split(X_rest, y_rest, test_fraction=0.25, rng=0)
    return X_tr, X_va, X_test, y_tr, y_va, y_test


def paired_difference(a, b, *, se=lambda d: d.std(ddof=1) / np.sqrt(len(d)), sign=1):
    d = sign * (np.asarray(a) - np.asarray(b))
    return d.mean(), se(d)


# -- chapter 8 (schedules) ------------------------------------------------------------------
def noise_ball(lr, h, sigma):
    return lr * sigma**2 / (h * (2 - lr * h))


def one_cycle_lr(t, max_lr, total_steps, pct_start=0.3):
    import math

    start = max_lr / 25
    up = pct_start * total_steps - 1
    anneal = lambda a, b, p: b + (a - b) * (1 + math.cos(math.pi * p)) / 2  # noqa: E731
    if t <= up:
        return anneal(start, max_lr, t / up)
    return anneal(max_lr, start / 1e4, (t - up) / (total_steps - 1 - up))


# -- chapter 9 (beyond_adam) ---------------------------------------------------------------
def radam_rho(t, beta2):
    rho_inf = 2 / (1 - beta2) - 1
    return rho_inf - 2 * t * beta2**t / (1 - beta2**t)


def muon_lr(lr, shape, adjust_lr_fn):
    rows, cols = shape
    if adjust_lr_fn is None:
        return lr * max(1, rows / cols) ** 0.5
    return 0.2 * lr * max(rows, cols) ** 0.5


RIGHT = {
    "beyond_adam-rho": radam_rho,
    "beyond_adam-adafactor-memory": lambda n, m: n + m,
    "beyond_adam-muon-lr": muon_lr,
    "schedules-noise-ball": noise_ball,
    "schedules-one-cycle": one_cycle_lr,
    "schedules-paper-lambda": lambda lam, lr: lam / lr,
    "framework-perceptron-stop": {0.02: 201, 0.2: 19, 2.0: 1},
    "weight_decay-dead-weight": adamw_half_life,
    "framework-squared": squared_grad,
    "framework-logistic-derivative": logistic_derivative,
    "framework-mean-grad": mean_grad,
    "weight_decay-torch-lambda": 0.01,
    "weight_decay-adamw-step": adamw_step,
    "weight_decay-sgd-step": sgd_step,
    "backprop-tanh": tanh_delta,
    "backprop-scale": make_scale(),
    "backprop-reduction": lambda alpha, N: alpha / N,
    "vanishing-leaky": leaky_std,
    "vanishing-critical": variance_factor,
    "vanishing-predict": predicted_ratio,
    "vanishing-bn-bias": bn_input_grad,
    "vanishing-revive": dead_fraction,
    "sgd-variance": batch_variance,
    "sgd-escape-time": first_escape,
    "sgd-gd-rate": max_stable_lr,
    "momentum-stability": heavy_ball_limit,
    "momentum-nesterov": sutskever_nesterov,
    "momentum-convert": torch_arguments,
    "adagrad-distance": adagrad_distance,
    "adagrad-preconditioner": effective_rates,
    "adagrad-rotate": hessian,
    "adam-bias": spike_step,
    "adam-epsilon": torch_eps,
    "adam-reddi": [0.1],
    "digits-adam-scale": equivalent_lr,
    "digits-test-set": three_way_split,
    "digits-seeds": paired_difference,
}


def test_every_checker_has_a_right_answer_here():
    assert set(exercises.available()) == set(RIGHT)


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_right_answer_passes(exercise_id):
    result = po.exercises.check(exercise_id, RIGHT[exercise_id])
    assert isinstance(result, Result)
    assert result.ok and bool(result), result.message
    assert str(result).startswith(f"✓ {exercise_id}: correct")


def test_the_first_order_half_life_is_accepted_too():
    assert po.exercises.check("weight_decay-dead-weight", lambda lr, lam: np.log(2) / (lr * lam))


def test_a_scalar_function_is_accepted_for_an_array_exercise():
    result = po.exercises.check("framework-squared", lambda z: -2.0 * (1.0 - float(z)))
    assert result.ok, result.message


def test_the_checkers_formulas_agree_with_the_library():
    """The closed forms the checkers accept are what the library's optimisers do."""
    quiet = np.concatenate([np.zeros(20000), [1.0]])[:, None]
    steps, _ = adaptive.replay("adam", quiet, lr=1.0, eps=1e-300)  # 0/ε = 0 while quiet
    assert -steps[-1, 0] == pytest.approx(spike_step(0.9, 0.999), rel=1e-6)
    g = np.full((5000, 1), 1e-3)
    keras = adaptive.keras_adam(g, epsilon=1e-4)
    for t in (1, 5000):
        torch_steps, _ = adaptive.replay("adam", g[:t], lr=1e-3, eps=torch_eps(1e-4, t, 0.999))
        assert torch_steps[-1, 0] == pytest.approx(keras[t - 1, 0], rel=1e-9)
    assert momentum.heavy_ball_rate(0.999 * heavy_ball_limit(100.0, 0.9), 0.9, [100.0]) < 1
    assert momentum.heavy_ball_rate(1.001 * heavy_ball_limit(100.0, 0.9), 0.9, [100.0]) > 1
    assert leaky_std(64, 0.2) == pytest.approx(po.nn.init.calculate_gain("leaky_relu", 0.2) / 8)


def test_the_perceptron_stop_solution_holds():
    """Only θ₀/α matters; from one θ₀, each rate makes other mistakes and stops elsewhere."""
    X, y = po.data.two_blobs(20, distance=4.0, spread=0.7, rng=0)
    w0, b0 = np.array([1.0, -0.5]), 0.5
    runs = {
        lr: po.train.gradient_descent("perceptron", X, y, w0, b0, lr=lr, steps=300)
        for lr in exercises.framework.PERCEPTRON_RATES
    }
    ten = po.train.gradient_descent("perceptron", X, y, 10 * w0, 10 * b0, lr=2.0, steps=300)
    np.testing.assert_allclose(ten["w"], 10 * runs[0.2]["w"], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(ten["misclassified"], runs[0.2]["misclassified"])
    ends = [np.append(run["w"][-1], run["b"][-1]) for run in runs.values()]
    ends = [end / np.linalg.norm(end) for end in ends]  # the boundary: θ's direction
    for i in range(len(ends)):
        for j in range(i):
            assert np.abs(ends[i] - ends[j]).max() > 5e-4
    second = [run["misclassified"][1] for run in runs.values()]
    assert len(set(second)) == len(second)  # after one step, different mistakes


def escape_variant(mistake):
    def answer(paths, saddle):
        coordinate = paths[:, 1, :] if mistake == "y" else paths[:, 0, :]
        crossed = coordinate < saddle
        if mistake == "count":
            return crossed.sum(axis=0)
        first = crossed.argmax(axis=0) + (1 if mistake == "off-by-one" else 0)
        return first if mistake == "no-any" else np.where(crossed.any(axis=0), first, np.inf)

    return answer


WRONG = [
    ("beyond_adam-rho", lambda t, b: 2 / (1 - b) - 2 * t * b**t / (1 - b**t), "not 2/(1 − β2)"),
    ("beyond_adam-rho", lambda t, b: 2 / (1 - b) - 1 - 2 * b**t / (1 - b**t), "factor t"),
    ("beyond_adam-adafactor-memory", lambda n, m: n * m, "That is Adam's v"),
    ("beyond_adam-adafactor-memory", lambda n, m: 2 * n * m, "Adam's whole state"),
    ("beyond_adam-adafactor-memory", lambda n, m: max(n, m), "keeps both factors"),
    (
        "beyond_adam-muon-lr",
        lambda lr, s, fn: muon_lr(lr, s[::-1], fn) if fn is None else muon_lr(lr, s, fn),
        "Rows and columns swapped",
    ),
    (
        "beyond_adam-muon-lr",
        lambda lr, s, fn: lr * max(1, s[0] / s[1]) if fn is None else 0.2 * lr * max(s),
        "Keep the square root",
    ),
    ("schedules-noise-ball", lambda a, h, s: a * s**2 / (2 * h), "small-rate approximation"),
    ("schedules-noise-ball", lambda a, h, s: a * s / (h * (2 - a * h)), "σ is a standard"),
    ("schedules-paper-lambda", lambda lam, lr: lam * lr, "You multiplied by α"),
    ("schedules-paper-lambda", lambda lam, lr: lam, "not the same number"),
    ("framework-squared", lambda z: 2 * (1 - z), "Sign error"),
    ("framework-squared", lambda z: -(1 - z), "Missing factor 2"),
    ("framework-squared", lambda z: (1 - z) ** 2, "the loss ℓ(z) itself"),
    ("framework-logistic-derivative", lambda z: 1 / (1 + np.exp(z)), "Sign error"),
    ("framework-logistic-derivative", lambda z: -po.nn.sigmoid(z), "Check the argument"),
    ("framework-logistic-derivative", lambda z: -np.exp(-z), "dropped the denominator"),
    (
        "framework-logistic-derivative",
        lambda z: -np.exp(-z) / (1 + np.exp(-z)),
        "not numerically stable",
    ),
    (
        "framework-mean-grad",
        lambda X, y, w, b: tuple(len(y) * np.asarray(g) for g in mean_grad(X, y, w, b)),
        "N = 40 times too large",
    ),
    (
        "framework-mean-grad",
        lambda X, y, w, b: tuple(-np.asarray(g) for g in mean_grad(X, y, w, b)),
        "Sign error",
    ),
    ("framework-mean-grad", lambda X, y, w, b: mean_grad_without_y(X, y, w, b), "a factor y_i"),
    ("framework-perceptron-stop", [202, 20, 2], "Off by one"),
    ("framework-perceptron-stop", {0.02: 19, 0.2: 19, 2.0: 19}, "does depend on the rate"),
    ("framework-perceptron-stop", {0.02: 201}, "missing 0.2"),
    ("framework-perceptron-stop", 19, "expected {lr: step}"),
    ("weight_decay-dead-weight", lambda lr, lam: np.log(2) / lam, "not ln 2/λ"),
    ("weight_decay-dead-weight", lambda lr, lam: 1 / (lr * lam), "ln 2 times that"),
    ("weight_decay-dead-weight", lambda lr, lam: 0.05 / lr, "Adam + L2"),
    ("weight_decay-torch-lambda", 1e-4, "You multiplied by α"),
    ("weight_decay-torch-lambda", 0.001, "not the same number"),
    ("weight_decay-torch-lambda", 0.005, "twice that"),
    ("backprop-tanh", lambda W2, d, a: (W2.T @ d) * a * (1 - a), "sigmoid's slope"),
    ("backprop-tanh", lambda W2, d, a: (W2.T @ d) * (1 - np.tanh(a) ** 2), "already tanh"),
    ("backprop-tanh", lambda W2, d, a: W2.T @ d, "forgot the activation's slope"),
    ("backprop-tanh", lambda W2, d, a: (W2 @ d) * (1 - a**2), "through the transpose"),
    ("backprop-scale", make_scale("mean"), SCALE_HINTS["mean"]),
    ("backprop-scale", make_scale("x-for-s"), SCALE_HINTS["x-for-s"]),
    ("backprop-scale", make_scale("delta"), SCALE_HINTS["delta"]),
    ("backprop-scale", make_scale("s-for-x"), SCALE_HINTS["s-for-x"]),
    ("backprop-scale", make_scale()(3), "expected the class Scale itself"),
    ("backprop-reduction", lambda alpha, N: alpha * N, "N² times too large"),
    ("backprop-reduction", lambda alpha, N: alpha, "N times larger steps"),
    ("vanishing-leaky", lambda n, a: np.sqrt(2 / n), "not He's 2/n"),
    ("vanishing-leaky", lambda n, a: 2 / ((1 + a**2) * n), "standard deviation"),
    ("vanishing-leaky", lambda n, a: np.sqrt(2 / ((1 + a) * n)), "not (1 + a)/2"),
    ("vanishing-leaky", lambda n, a: np.sqrt((1 + a**2) / (2 * n)), "Upside down"),
    ("vanishing-critical", lambda std, width: width * std**2, "ReLU zeroes half"),
    ("vanishing-critical", lambda std, width: np.sqrt(width / 2) * std, "its square"),
    ("vanishing-critical", lambda std, width: std**2 / 2, "grows with the width"),
    ("vanishing-predict", lambda f, n: f**n, "layers - 1 of them"),
    ("vanishing-predict", lambda f, n: f ** -(n - 1), "Upside down"),
    ("vanishing-predict", lambda f, n: f * (n - 1), "The factors multiply"),
    ("vanishing-bn-bias", lambda x, d, e: bn_input_grad(x, d, e, terms=("hat",)), "the mean"),
    ("vanishing-bn-bias", lambda x, d, e: bn_input_grad(x, d, e, terms=("mean",)), "x̂_i"),
    ("vanishing-bn-bias", lambda x, d, e: bn_input_grad(x, d, e, terms=()), "every path"),
    ("vanishing-bn-bias", lambda x, d, e: bn_input_grad(x, d, e, ddof=1), "biased variance"),
    ("vanishing-bn-bias", lambda x, d, e: bn_input_grad(x, d, e, scale=False), "Divide by σ"),
    ("vanishing-revive", lambda a: np.mean(a == 0), "fraction of zero outputs"),
    ("vanishing-revive", lambda a: np.mean(np.any(a == 0, axis=0)), "*every* example"),
    ("vanishing-revive", lambda a: np.mean(np.all(a == 0, axis=1)), "columns"),
    ("vanishing-revive", lambda a: np.all(a == 0, axis=0).sum(), "not their number"),
    ("sgd-variance", lambda s2, B, N: s2 / B, "with replacement"),
    ("sgd-variance", lambda s2, B, N: s2 / B * (N - B) / N, "Check B = 1"),
    ("sgd-variance", lambda s2, B, N: s2 * (N - B) / (N - 1), "Divide by B"),
    ("sgd-escape-time", escape_variant("no-any"), "never crosses got step 0"),
    ("sgd-escape-time", escape_variant("off-by-one"), "Off by one"),
    ("sgd-escape-time", escape_variant("y"), "along x"),
    ("sgd-escape-time", escape_variant("count"), "counted the steps"),
    ("sgd-escape-time", lambda p, s: np.zeros(3), "one step per run"),
    ("sgd-gd-rate", lambda H: 1 / np.linalg.eigvalsh(H).max(), "not 1/λ_max"),
    ("sgd-gd-rate", lambda H: 2 / np.linalg.eigvalsh(H).min(), "largest eigenvalue"),
    ("sgd-gd-rate", lambda H: 2 / H.max(), "not its largest entry"),
    ("sgd-gd-rate", lambda H: 2 / np.trace(H), "The trace"),
    ("momentum-stability", lambda lam, beta: 2 / lam, "gradient descent's limit"),
    ("momentum-stability", lambda lam, beta: 2 * (1 - beta) / lam, "Sign"),
    ("momentum-stability", lambda lam, beta: (1 + beta) / lam, "Missing factor 2"),
    (
        "momentum-nesterov",
        lambda *args: sutskever_nesterov(*args, return_theta=True),
        "You returned θ_t",
    ),
    ("momentum-nesterov", lambda *args: sutskever_nesterov(*args, at_theta=True), "look-ahead"),
    (
        "momentum-nesterov",
        lambda *args: sutskever_nesterov(*args, at_theta=True, return_theta=True),
        "heavy ball's path",
    ),
    ("momentum-nesterov", lambda *args: sutskever_nesterov(*args)[1:], "start included"),
    ("momentum-convert", lambda alpha, beta: (alpha, beta), "Same letters"),
    ("momentum-convert", lambda alpha, beta: (alpha / (1 - beta), beta), "The other way round"),
    ("momentum-convert", lambda alpha, beta: (alpha * (1 - beta), 1 - beta), "β itself"),
    ("adagrad-distance", lambda T, lr, g, s0: 2 * lr * np.sqrt(T), "integral bound"),
    (
        "adagrad-distance",
        lambda T, lr, g, s0: np.sum(lr * abs(g) / np.sqrt(s0 + np.arange(T) * g**2)),
        "Off by one",
    ),
    (
        "adagrad-distance",
        lambda T, lr, g, s0: adagrad_distance(T, lr, g, 0.0),
        "ignored initial_accumulator_value",
    ),
    ("adagrad-distance", lambda T, lr, g, s0: adagrad_distance(T, lr, 1.0, s0), "for g = 1"),
    ("adagrad-preconditioner", lambda s, lr, eps: lr / np.sqrt(s + eps), "outside the square"),
    ("adagrad-preconditioner", lambda s, lr, eps: lr / (s + eps), "square root"),
    ("adagrad-preconditioner", lambda s, lr, eps: (np.sqrt(s) + eps) / lr, "Upside down"),
    ("adagrad-rotate", lambda k, a: hessian(k, -a), "the wrong way"),
    ("adagrad-rotate", lambda k, a: hessian(k, a, swap=True), "swapped"),
    ("adagrad-rotate", lambda k, a: np.diag([1.0, k]), "forgot the rotation"),
    ("adam-bias", lambda b1, b2: 1.0, "bias corrections are exact"),
    ("adam-bias", lambda b1, b2: (1 - b1) / (1 - b2), "square root"),
    ("adam-bias", lambda b1, b2: np.sqrt(1 - b2) / (1 - b1), "Upside down"),
    ("adam-bias", lambda b1, b2: b1 / np.sqrt(b2), "1 - β, not β"),
    ("adam-epsilon", lambda e, t, b2: e * np.sqrt(1 - b2**t), "Upside down"),
    ("adam-epsilon", lambda e, t, b2: e / (1 - b2**t), "square root"),
    ("adam-epsilon", lambda e, t, b2: e, "not the same number"),
    ("adam-epsilon", lambda e, t, b2: e / np.sqrt(1 - b2 ** (t - 1)), "must be finite"),
    ("adam-reddi", (0.5, 0.9, 0.999), "Backwards"),
    ("adam-reddi", [0.1, 0.5], "Too many: with β2 = 0.5"),
    ("adam-reddi", [], "Not all of them"),
    ("adam-reddi", [0.3], "choose among the β2 of the exercise"),
    ("adam-reddi", 0.1, "expected a collection"),
    ("digits-adam-scale", lambda name, lr, c: lr / c if name == "SGD" else lr, "not divided"),
    ("digits-adam-scale", lambda name, lr, c: lr, "equivalent rate is cη"),
    ("digits-adam-scale", lambda name, lr, c: c * lr, "neither does the rate"),
    ("digits-seeds", lambda a, b: paired_difference(a, b, sign=-1), "a minus b"),
    (
        "digits-seeds",
        lambda a, b: (np.mean(a - b), np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / len(a))),
        "Pair the runs",
    ),
    (
        "digits-seeds",
        lambda a, b: paired_difference(a, b, se=lambda d: d.std() / np.sqrt(len(d))),
        "ddof=1",
    ),
    (
        "digits-seeds",
        lambda a, b: paired_difference(a, b, se=lambda d: d.std(ddof=1)),
        "not the spread of one difference",
    ),
    (
        "digits-seeds",
        lambda a, b: paired_difference(a, b, se=lambda d: d.std(ddof=1) / len(d)),
        "not by n",
    ),
    (
        "digits-seeds",
        lambda a, b: paired_difference(a, b, se=lambda d: d.mean() / d.std(ddof=1) * len(d) ** 0.5),
        "not the number of standard errors",
    ),
    ("digits-seeds", lambda a, b: np.mean(a - b), "return two numbers"),
]


@pytest.mark.parametrize(("exercise_id", "answer", "hint"), WRONG)
def test_typical_mistake_gets_its_hint(exercise_id, answer, hint):
    result = po.exercises.check(exercise_id, answer)
    assert not result.ok
    assert hint in result.message, result.message


def split_variant(mistake):
    def answer(X, y):
        n = len(X)
        order = np.arange(n) if mistake == "unshuffled" else np.random.default_rng(0).permutation(n)
        n_test = round(0.1 * n) if mistake == "ten-percent" else round(0.2 * n)
        test, rest = order[:n_test], order[n_test:]
        val, train = rest[: len(rest) // 4], rest[len(rest) // 4 :]
        if mistake == "leak":
            train = np.concatenate([train, test[:3]])
        if mistake == "overlap":
            val = np.concatenate([val, train[:2]])
        y_train = (
            y[np.random.default_rng(1).permutation(train)] if mistake == "labels" else y[train]
        )
        return X[train], X[val], X[test], y_train, y[val], y[test]

    return answer


@pytest.mark.parametrize(
    ("mistake", "hint"),
    [
        ("leak", "test rows are also in the training"),
        ("overlap", "both the training and the validation"),
        ("ten-percent", "20% of the data (10 of 50 rows), got 5"),
        ("labels", "labels of the training set do not belong"),
        ("unshuffled", "shuffle before splitting"),
    ],
)
def test_split_mistakes_get_their_hint(mistake, hint):
    result = po.exercises.check("digits-test-set", split_variant(mistake))
    assert not result.ok
    assert hint in result.message, result.message
    assert po.exercises.check("digits-test-set", split_variant(None)).ok


# -- chapter 7's steps, one typical mistake at a time -------------------------------------


def adamw_with(mistake):
    """The reader's AdamW with one typical mistake, written independently of the checker."""

    def step(theta, grad, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        beta1, beta2 = betas
        if mistake == "l2":
            grad = grad + weight_decay * theta
        decay = {"l2": 0.0, "none": 0.0, "no-lr": weight_decay}.get(mistake, lr * weight_decay)
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        m_hat = m if mistake in ("no-bias", "no-bias-m") else m / (1 - beta1**t)
        v_hat = v if mistake in ("no-bias", "no-bias-v") else v / (1 - beta2**t)
        denom = np.sqrt(v_hat + eps) if mistake == "eps-inside" else np.sqrt(v_hat) + eps
        update = lr * m_hat / denom
        if mistake == "after":
            return (theta - update) * (1 - decay), m, v
        if mistake == "sign":
            return theta * (1 - decay) + update, m, v
        return theta * (1 - decay) - update, m, v

    return step


@pytest.mark.parametrize("mistake", sorted(ADAMW_HINTS))
def test_adamw_mistakes_get_their_hint(mistake):
    result = po.exercises.check("weight_decay-adamw-step", adamw_with(mistake))
    assert not result.ok
    assert result.message == ADAMW_HINTS[mistake]


def test_adamw_step_counted_from_zero_is_rejected_without_raising():
    def from_zero(theta, grad, m, v, t, **hyper):
        return adamw_step(theta, grad, m, v, t - 1, **hyper)  # 1 - β^0 = 0: division by zero

    result = po.exercises.check("weight_decay-adamw-step", from_zero)
    assert not result.ok and "must be finite" in result.message


def sgd_with(mistake):
    def step(theta, grad, buf, lr, momentum, weight_decay, decoupled):
        if mistake == "always-l2" or (not decoupled and mistake != "l2-outside"):
            g = grad + weight_decay * theta
            buf = momentum * buf + g
            return theta - lr * (g if mistake == "no-momentum" else buf), buf
        if mistake == "l2-outside":
            buf = momentum * buf + grad
            return theta - lr * (buf + weight_decay * theta), buf
        shrink = 1 - (weight_decay if mistake == "no-lr" else lr * weight_decay)
        buf = momentum * buf + grad
        return theta * shrink - lr * (grad if mistake == "no-momentum" else buf), buf

    return step


@pytest.mark.parametrize("mistake", sorted(SGD_HINTS))
def test_sgd_mistakes_get_their_hint(mistake):
    result = po.exercises.check("weight_decay-sgd-step", sgd_with(mistake))
    assert not result.ok
    assert result.message == SGD_HINTS[mistake]


def test_wrong_shapes_and_arity_are_explained():
    result = po.exercises.check("weight_decay-adamw-step", lambda *args, **kw: args[0])
    assert not result.ok and "expected a tuple (theta, m, v)" in result.message
    result = po.exercises.check("framework-mean-grad", lambda X, y, w, b: (np.zeros(3), 0.0))
    assert not result.ok and "grad_w has shape (3,), expected (2,)" in result.message


def test_the_readers_arrays_are_copies():
    def mutating(theta, grad, m, v, t, **hyper):
        out = adamw_step(theta, grad, m, v, t, **hyper)
        theta[:] = np.nan  # vandalise the inputs: later cases must not be affected
        m[:] = np.nan
        return out

    assert po.exercises.check("weight_decay-adamw-step", mutating).ok


# -- chapter 4: Polyak's optimal momentum (κ explorer)
def optimal_beta(kappa):
    rho = (kappa**0.5 - 1) / (kappa**0.5 + 1)
    return rho * rho


RIGHT["momentum-optimal-beta"] = optimal_beta


def test_momentum_optimal_beta_right_answer_passes():
    result = po.exercises.check("momentum-optimal-beta", optimal_beta)
    assert result.ok, result.message
    assert optimal_beta(100.0) == pytest.approx(momentum.optimal_heavy_ball(100.0, 1.0)[1])


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda k: (k**0.5 - 1) / (k**0.5 + 1), "That is the rate ρ*"),
        (lambda k: (k - 1) / (k + 1), "gradient descent's rate"),
        (lambda k: ((k - 1) / (k + 1)) ** 2, "Square roots missing"),
        (lambda k: 0.9, "beta"),
    ],
)
def test_momentum_optimal_beta_mistakes_get_their_hint(answer, hint):
    result = po.exercises.check("momentum-optimal-beta", answer)
    assert not result.ok and hint in result.message, result.message
