"""paramopt.momentum: the three momentum conventions, step counts and heavy-ball rates."""

import numpy as np
import pytest

import paramopt as po
from paramopt import momentum, style

VALLEY = po.surfaces.Quadratic(kappa=50.0, angle=0.3)
START = np.array([-2.0, 1.0])


def test_ema_form_equals_pytorch_with_rescaled_lr_from_the_first_step():
    ema = momentum.ema_momentum(VALLEY.grad, START, 120, lr=0.02, beta=0.9)
    torch_form = momentum.sgd_path(VALLEY.grad, START, 120, lr=0.002, momentum=0.9)
    np.testing.assert_allclose(ema, torch_form, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ema[1] - START, -0.002 * VALLEY.grad(START), rtol=1e-12)


def test_heavy_ball_equals_pytorch_and_its_velocity_is_minus_lr_times_buffer():
    ball = momentum.heavy_ball(VALLEY.grad, START, 120, lr=0.01, beta=0.8)
    np.testing.assert_allclose(
        ball, momentum.sgd_path(VALLEY.grad, START, 120, 0.01, momentum=0.8), rtol=0, atol=1e-12
    )
    theta = START.copy()
    opt = po.optim.SGD([theta], lr=0.01, momentum=0.8)
    for t in range(1, 20):
        opt.step([VALLEY.grad(theta)])
        np.testing.assert_allclose(
            ball[t] - ball[t - 1], -0.01 * opt.state[0]["momentum_buffer"], rtol=1e-10, atol=1e-14
        )


def test_dampening_beta_is_not_the_ema_its_first_step_is_too_long():
    ema = momentum.ema_momentum(VALLEY.grad, START, 50, lr=0.02, beta=0.9)
    damped = momentum.sgd_path(VALLEY.grad, START, 50, lr=0.02, momentum=0.9, dampening=0.9)
    np.testing.assert_allclose(damped[1] - START, 10 * (ema[1] - START), rtol=1e-12)
    assert np.abs(damped - ema).max() > 0.1


def test_schedules_the_ema_form_follows_pytorch_the_heavy_ball_does_not():
    lrs = np.where(np.arange(80) < 40, 0.02, 0.002)
    ema = momentum.ema_momentum(VALLEY.grad, START, 80, lr=lrs, beta=0.9)
    torch_form = momentum.sgd_path(VALLEY.grad, START, 80, lr=0.1 * lrs, momentum=0.9)
    ball = momentum.heavy_ball(VALLEY.grad, START, 80, lr=0.1 * lrs, beta=0.9)
    np.testing.assert_allclose(ema, torch_form, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ball[:41], torch_form[:41], rtol=0, atol=1e-12)
    assert np.abs(ball[41:] - torch_form[41:]).min() > 1e-6


def test_beta_zero_is_gradient_descent():
    ball = momentum.heavy_ball(VALLEY.grad, START, 5, lr=0.01, beta=0.0)
    ema = momentum.ema_momentum(VALLEY.grad, START, 5, lr=0.01, beta=0.0)
    theta, expected = START.copy(), [START.copy()]
    for _ in range(5):
        theta = theta - 0.01 * VALLEY.grad(theta)
        expected.append(theta)
    np.testing.assert_allclose(ball, expected, rtol=1e-14)
    np.testing.assert_allclose(ema, expected, rtol=1e-14)


@pytest.mark.parametrize("lr, beta", [(0.05, 0.0), (0.3, 0.5), (0.15, 0.9), (1.9, 0.95)])
def test_heavy_ball_rate_is_the_measured_decay_rate(lr, beta):
    lam = 1.0
    path = momentum.heavy_ball(lambda x: lam * x, np.array([1.0]), 600, lr=lr, beta=beta)
    errors = np.abs(path[:, 0])
    # a rolling maximum removes the oscillation; its geometric slope is ρ
    window = 40
    peaks = np.array([errors[k : k + window].max() for k in range(300, 560, window)])
    measured = (peaks[-1] / peaks[0]) ** (1 / (window * (len(peaks) - 1)))
    assert measured == pytest.approx(momentum.heavy_ball_rate(lr, beta, [lam]), rel=0.02)


def test_stability_limit_is_two_times_one_plus_beta_over_lambda():
    for beta in (0.0, 0.5, 0.9):
        limit = 2 * (1 + beta) / 10.0
        assert momentum.heavy_ball_rate(0.999 * limit, beta, [1.0, 10.0]) < 1
        assert momentum.heavy_ball_rate(1.001 * limit, beta, [1.0, 10.0]) > 1


def test_optimal_tunings_reach_their_rates_and_are_optimal():
    lr, rho = momentum.optimal_gradient_descent(largest=100.0, smallest=1.0)
    assert momentum.heavy_ball_rate(lr, 0.0, [1.0, 100.0]) == pytest.approx(rho)
    assert momentum.heavy_ball_rate(1.05 * lr, 0.0, [1.0, 100.0]) > rho
    lr, beta, rho = momentum.optimal_heavy_ball(largest=100.0, smallest=1.0)
    assert rho == pytest.approx(9 / 11) and beta == pytest.approx(rho**2)
    assert momentum.heavy_ball_rate(lr, beta, [1.0, 100.0]) == pytest.approx(rho, rel=1e-6)
    for dlr, dbeta in [(1.05, 1.0), (0.95, 1.0), (1.0, 0.95)]:
        assert momentum.heavy_ball_rate(dlr * lr, dbeta * beta, [1.0, 100.0]) > rho


def test_steps_to_tolerance_agrees_with_run():
    path = po.surfaces.run(VALLEY, "sgd", START, 400, lr=0.02, momentum=0.5)
    first = int(np.flatnonzero(path.loss < 1e-6)[0])
    k = momentum.steps_to_tolerance(
        VALLEY, "sgd", START, tol=1e-6, max_steps=400, lr=0.02, momentum=0.5
    )
    assert k == first
    assert (
        momentum.steps_to_tolerance(
            VALLEY, "sgd", START, tol=1e-6, max_steps=first - 1, lr=0.02, momentum=0.5
        )
        is None
    )
    assert momentum.steps_to_tolerance(VALLEY, "sgd", [0.0, 0.0], tol=1e-6, max_steps=0) == 0


def test_steps_to_tolerance_reports_divergence():
    with pytest.raises(po.Diverged) as error:
        momentum.steps_to_tolerance(VALLEY, "sgd", START, tol=1e-6, max_steps=500, lr=0.1)
    assert error.value.step > 0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: momentum.ema_momentum(VALLEY.grad, START, 5, lr=-0.1, beta=0.9), "lr"),
        (lambda: momentum.heavy_ball(VALLEY.grad, START, 5, lr=0.1, beta=1.0), "beta"),
        (lambda: momentum.heavy_ball(VALLEY.grad, START, 5, lr=[0.1, 0.1], beta=0.5), "lr"),
        (lambda: momentum.ema_momentum(VALLEY.grad, START, -1, lr=0.1, beta=0.5), "steps"),
        (lambda: momentum.heavy_ball_rate(0.1, 0.5, [1.0, -2.0]), "curvatures"),
        (lambda: momentum.optimal_heavy_ball(largest=1.0, smallest=2.0), "largest"),
        (
            lambda: momentum.steps_to_tolerance("saddle", "sgd", START, tol=1e-3, max_steps=5),
            "no minimum",
        ),
        (lambda: momentum.steps_to_tolerance(VALLEY, "sgd", START, tol=0.0, max_steps=5), "tol"),
    ],
)
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_grad_must_be_callable():
    with pytest.raises(TypeError, match="grad"):
        momentum.heavy_ball(np.zeros(2), START, 5, lr=0.1, beta=0.5)


# -- the heat map's labels --------------------------------------------------------------------
def wcag_contrast(a, b):
    """WCAG 2.x contrast, written out independently of the library."""

    def luminance(color):
        c = np.array(color[:3], dtype=float)
        c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_ratio_follows_wcag():
    assert style.relative_luminance((0, 0, 0)) == 0.0
    assert style.relative_luminance((1.0, 1.0, 1.0, 1.0)) == pytest.approx(1.0)
    assert style.contrast_ratio((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)
    assert style.contrast_ratio((1, 1, 1), (0, 0, 0)) == pytest.approx(21.0)
    # WCAG's own example: #777777 on white is 4.48, just below AA
    grey = (0x77 / 255,) * 3
    assert style.contrast_ratio(grey, (1, 1, 1)) == pytest.approx(4.48, abs=0.01)
    for color in np.random.default_rng(0).uniform(size=(50, 3)):
        assert style.contrast_ratio(color, (1, 1, 1)) == pytest.approx(
            wcag_contrast(color, (1, 1, 1))
        )


@pytest.mark.parametrize("cmap", ["viridis_r", "viridis", "magma", "gray"])
def test_label_color_is_readable_on_every_colour_of_the_map(cmap):
    import matplotlib

    colors = matplotlib.colormaps[cmap](np.linspace(0, 1, 256))
    for color in colors:
        label = matplotlib.colors.to_rgb(style.label_color(color))
        assert wcag_contrast(label, color) >= 4.5
    # the dark end of each map gets white text, the light end black
    dark, light = sorted((colors[0], colors[-1]), key=style.relative_luminance)
    assert (style.label_color(dark), style.label_color(light)) == ("white", "black")


def test_every_label_of_the_step_count_heat_map_is_readable():
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    counts = np.geomspace(1, 1500, 30).round().reshape(5, 6)
    counts[0, 5], counts[4, 0], counts[2, 3] = np.nan, np.inf, np.nan
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    lrs, mus = np.geomspace(0.004, 0.04, 6), [0.0, 0.5, 0.7, 0.8, 0.9]
    image = momentum.draw_step_counts(ax, counts, lrs, mus, max_steps=1500)
    assert len(ax.texts) == counts.size
    for text in ax.texts:
        j, i = (round(v) for v in text.get_position())
        count = counts[i, j]
        if np.isfinite(count):
            assert text.get_text() == f"{count:.0f}"
            cell = image.cmap(image.norm(np.log10(count)))
        else:
            assert text.get_text() == ("diverges" if np.isnan(count) else ">1500")
            cell = ax.get_facecolor()  # the image leaves these cells transparent
        assert wcag_contrast(matplotlib.colors.to_rgb(text.get_color()), cell) >= 4.5
    labels = {text.get_text(): text.get_color() for text in ax.texts}
    assert labels["1"] == "black" and labels["1500"] == "white"  # viridis_r: light to dark


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: style.relative_luminance((0.5, 0.5)), ValueError, "color must be"),
        (lambda: style.relative_luminance((0.5, 1.2, 0.0)), ValueError, "color must be"),
        (lambda: style.label_color((0.5, 0.5, 0.5, 0.3)), ValueError, "opaque"),
        (lambda: style.contrast_ratio("white", (0, 0, 0)), TypeError, "color"),
        (lambda: momentum.draw_step_counts(None, [[0.0]], [0.1], [0.0], max_steps=5), ValueError,
         "counts >= 1"),
        (lambda: momentum.draw_step_counts(None, [[2.0]], [0.1, 0.2], [0.0], max_steps=5),
         ValueError, "lrs"),
    ],
)  # fmt: skip
def test_bad_colours_and_counts_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
