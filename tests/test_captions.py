"""Captions in both languages: every explorer's frames and controls, and the reasons a run
diverged, carry their Chinese (paramopt.captions.Caption)."""

import json
import re

import numpy as np
import pytest

import paramopt as po
from paramopt.captions import Caption, chinese, html_of, numerals
from paramopt.widgets import Choice, Slider

CJK = re.compile(r"[\u4e00-\u9fff]")


# -- the Caption itself ------------------------------------------------------------------


def test_a_caption_is_its_english_sentence_and_carries_the_chinese():
    caption = Caption("Step 3 of 10, loss 0.25.", zh="第 3 步（共 10 步），损失 0.25。")
    assert caption == "Step 3 of 10, loss 0.25." and str(caption) == caption
    assert isinstance(caption, str) and f"{caption}" == "Step 3 of 10, loss 0.25."
    assert caption.zh == "第 3 步（共 10 步），损失 0.25。" and chinese(caption) == caption.zh
    assert chinese("plain text") == "plain text"
    assert 'lang="zh-CN">第 3 步' in html_of(caption) and html_of("a < b") == "a &lt; b"


@pytest.mark.parametrize(
    "zh",
    [
        "第 4 步（共 10 步），损失 0.25。",  # another number
        "第 3 步，损失 0.25。",  # a number left out
        "第 3 步（共 10 步），损失 0.250。",  # the same value, formatted otherwise
        "第 3 步（共 10 步），损失 0.25，学习率 1e-3。",  # one number more
    ],
)
def test_a_caption_whose_chinese_names_other_numbers_is_rejected(zh):
    with pytest.raises(ValueError, match="names other numbers than the English"):
        Caption("Step 3 of 10, loss 0.25.", zh=zh)


def test_numbers_are_digit_sequences_and_superscripts_are_not():
    assert numerals("lr 1e-3, step 12 of 0.5 and 10⁶") == sorted(["1e-3", "12", "0.5", "10"])
    assert Caption("|θ| passed 10⁶", zh="|θ| 超过了 10⁶").zh == "|θ| 超过了 10⁶"


# -- every chapter's explorer: its frames and its controls in Chinese --------------------


def two_blobs_boundary(request):
    from paramopt.widgets.framework import boundary_explorer

    X, y = po.data.two_blobs(20, distance=4.0, spread=0.7, rng=0)
    explorer = boundary_explorer(X, y)
    return explorer, [
        {"angle": 45, "shift": 0.0, "loss": "logistic"},
        {"angle": 105, "shift": 1.0, "loss": "hinge"},
    ]


def network(request):
    from paramopt.widgets.backprop import network_explorer

    return network_explorer(), [
        {"stage": 0, "x1": 0.5, "w11": 0.5},
        {"stage": 9, "x1": 2.0, "w11": 3.0},
    ]


def depth(request):
    from paramopt.widgets.vanishing import depth_explorer

    explorer = depth_explorer(depths=(4, 6))
    return explorer, [
        {"depth": 4, "activation": "sigmoid", "init": "xavier", "batchnorm": False},
        {"depth": 6, "activation": "relu", "init": "normal", "batchnorm": True},
    ]


def minibatch_sweep(request):
    from paramopt.minibatch import batch_sweep
    from paramopt.widgets.sgd import sgd_explorer

    X, y = po.data.load_digits()
    sweep = batch_sweep(X[:100], y[:100], [10, 100], [0.1, 1.0], epochs=1)
    return sgd_explorer(sweep), [{"batch_size": 10, "lr": 1.0}, {"batch_size": 100, "lr": 0.1}]


def kappa(request):
    from paramopt.widgets.momentum import kappa_explorer

    return kappa_explorer(), [{"kappa": 10, "setting": "polyak"}, {"kappa": 10, "setting": "gd"}]


def momentum_playground(request):
    from paramopt.widgets.playground import playground

    explorer = playground(
        po.surfaces.Rosenbrock(),
        start=(-1.5, 2.5),
        steps=20,
        optimizer=("sgd", {}),
        lr=Slider.from_values("learning rate γ", [0.0001, 0.0003], value=0.0001),
        momentum=Slider.from_values("momentum μ", [0.0, 0.9]),
    )
    return explorer, [{"lr": 0.0001, "momentum": 0.0}, {"lr": 0.0003, "momentum": 0.9}]


def decay(request):
    from paramopt.widgets.weight_decay import decay_explorer

    return decay_explorer(), [
        {"optimizer": "sgd", "kind": "decoupled", "weight_decay": 1.0},
        {"optimizer": "adam", "kind": "none", "weight_decay": 0.5},
    ]


def schedule(request):
    from paramopt.widgets.schedules import schedule_explorer

    explorer = schedule_explorer()
    return explorer, [
        {"schedule": "step", "optimizer": "SGD"},
        {"schedule": "warmup-cosine", "optimizer": "Adam"},
    ]


def warmup(request):
    from paramopt.widgets.schedules import warmup_explorer

    return warmup_explorer(), [{"warmup": 0, "beta2": 0.99}, {"warmup": 200, "beta2": 0.9}]


def newton_schulz(request):
    from paramopt.widgets.beyond_adam import newton_schulz_explorer

    return newton_schulz_explorer(), [
        {"steps": 5, "coefficients": "Muon's quintic"},
        {"steps": 0, "coefficients": "cubic"},
    ]


def digits(request):
    from paramopt.widgets.digits import digits_explorer

    search = request.getfixturevalue("search")  # conftest: a small learning-rate search
    planted = {**search, ("SGD", 0.3, 0): po.Diverged(5, "loss")}  # 1 of 2 seeds diverged
    return digits_explorer(planted), [
        {"optimizer": "Adam", "position": 2},
        {"optimizer": "SGD", "position": 2},
    ]


EXPLORERS = [
    two_blobs_boundary,
    network,
    depth,
    minibatch_sweep,
    kappa,
    momentum_playground,
    decay,
    schedule,
    warmup,
    newton_schulz,
    digits,
]


@pytest.mark.parametrize("make", EXPLORERS, ids=lambda make: make.__name__)
def test_every_explorer_describes_its_frames_and_names_its_controls_in_chinese(make, request):
    explorer, settings = make(request)
    for values in settings:
        text, _ = explorer._render(values)  # the frame's sentence, as frame() gives it
        assert isinstance(text, Caption), f"{values}: {text!r} has no Chinese"
        assert CJK.search(text.zh) and text.zh != str(text), text.zh
        assert text.zh.endswith("。") and "." not in text.zh[-2:], text.zh
    for name, control in explorer.controls.items():
        if re.search("[A-Za-z]", control.label):  # words, not a symbol such as λ or β₂
            assert isinstance(control.label, Caption), f"{name}: {control.label!r}"
            assert CJK.search(control.label.zh), f"{name}: {control.label.zh!r}"


def test_a_digits_frame_counts_the_diverged_runs_in_chinese(request):
    explorer, settings = digits(request)
    text, _ = explorer._render(settings[1])
    assert text.endswith("; 1 of 2 runs diverged.") and text.zh.endswith(
        "；2 次运行中有 1 次发散。"
    )


# -- a diverged frame says so in Chinese -------------------------------------------------


def test_a_run_that_raises_gives_a_frame_naming_the_setting_in_chinese():
    from paramopt.widgets.sgd import sgd_explorer

    history = po.Diverged(3, "loss")  # a stand-in: compute raises it before describe runs
    results = {(b, lr): history for b in (10, 100) for lr in (0.1, 10.0)}
    frame = sgd_explorer(results).frame(batch_size=10, lr=10.0)
    assert frame.diverged_at == 3 and isinstance(frame.text, Caption)
    assert frame.text == (
        "With batch size 10, learning rate 10, the run diverged at step 3: loss is not finite."
    )
    assert (
        frame.text.zh == "设置为 批量大小 10，学习率 10 时，训练在第 3 步发散：损失不再是有限值。"
    )


def test_a_returned_divergence_is_described_in_chinese():
    from paramopt.widgets.momentum import kappa_explorer

    explorer, values = kappa_explorer(), {"kappa": 10, "setting": "diverges"}
    text = explorer.describe(explorer.compute(**values), **values)
    assert "the run diverged at step 50: ‖θ‖ passed 10⁶ ‖θ₀‖." in text
    assert "发散" in text.zh and text.zh.endswith("运行在第 50 步发散：‖θ‖ 超过了 10⁶ ‖θ₀‖。")


def test_a_diverged_playground_frame_says_so_in_chinese_on_the_static_page():
    from paramopt.widgets.playground import playground

    explorer = playground(
        po.surfaces.Quadratic(kappa=10),
        start=(-2.0, 1.0),
        steps=30,
        optimizer=Choice("optimiser", {"SGD": ("sgd", {}), "Adam": ("adam", {})}),
        lr=Slider.from_values("learning rate γ", [0.1, 0.3], value=0.1),
    )
    frame = explorer.frame(optimizer=("sgd", {}), lr=0.3)
    k = frame.diverged_at
    assert frame.text.zh == f"SGD（学习率 γ = 0.3）在二次曲面上于第 {k} 步发散：|θ| 超过了 10⁶。"
    html = explorer.static_html()
    spec = json.loads(re.search(r'class="po-spec">(.*?)</script>', html).group(1))
    assert len(spec["zh"]) == len(spec["texts"]) == 4
    assert sum("发散" in text for text in spec["zh"]) == 1
    assert '<span class="po-zh" lang="zh-CN">学习率 γ</span>' in html
    assert '<span class="po-zh" lang="zh-CN">优化器</span>' in html


def test_a_caption_given_as_a_control_label_is_kept():
    from paramopt.widgets.playground import playground

    label = Caption("learning rate γ", zh="步长 γ")
    explorer = playground(
        "quadratic", start=(-2.0, 1.0), steps=5, optimizer=("adam", {}),
        lr=Slider.from_values(label, [0.1, 0.3]), eps=Slider.from_values("ε", [1e-8, 1e-6]),
    )  # fmt: skip
    assert explorer.controls["lr"].label.zh == "步长 γ" and explorer.controls["eps"].label == "ε"
    text, _ = explorer._render({"lr": 0.1, "eps": 1e-8})
    assert text.zh.startswith("Adam（步长 γ = 0.1，ε = 1e-08）在二次曲面上走 5 步后")


# -- the reasons a concept module gives when a run diverges ------------------------------


def test_the_reasons_of_the_concept_modules_carry_their_chinese():
    from paramopt.diagnostics import gradient_profile, layer_report
    from paramopt.minibatch import noisy_descent

    with pytest.raises(po.Diverged) as caught:
        po.surfaces.run(po.surfaces.Quadratic(kappa=10.0), "sgd", [0.0, 1.0], 500, lr=0.22)
    assert caught.value.reason.zh == "|θ| 超过了 10⁶"
    with pytest.raises(po.Diverged) as caught:
        po.surfaces.steps_to_tolerance("quadratic", "sgd", [0.0, 1.0], tol=1e-6, max_steps=500,
                                       lr=0.5, limit=1e3)  # fmt: skip
    assert caught.value.reason == "|θ| passed 1000" and caught.value.reason.zh == "|θ| 超过了 1000"
    with pytest.raises(po.Diverged) as caught:
        noisy_descent("double_well", (1.0, 0.0), lr=0.05, noise=50.0, steps=400, runs=50)
    assert caught.value.reason.zh == "|θ| 超过了 1000"
    x, y = np.random.default_rng(0).standard_normal((8, 10)), np.arange(8) % 3
    model = po.nn.mlp([10, 6, 5, 3], "relu", "normal", std=1e200, rng=0)
    with pytest.raises(po.Diverged) as caught:
        layer_report(model, x, y, po.nn.CrossEntropyLoss())
    assert str(caught.value) == "diverged at step 2: the forward pass at layer 2 is not finite"
    assert caught.value.reason.zh == "第 2 层的前向传播不再是有限值"
    with pytest.raises(po.Diverged) as caught:
        gradient_profile(10, "relu", "normal", std=1e8)
    assert str(caught.value).endswith(": the weight gradient of layer 10 is not finite")
    assert caught.value.reason.zh == "第 10 层的权重梯度不再是有限值"


def test_a_caption_survives_copy_and_pickle():
    import copy
    import pickle

    from paramopt.captions import Caption

    caption = Caption("Step 3 of 10.", zh="第 3 步（共 10 步）。")
    for clone in (copy.deepcopy(caption), pickle.loads(pickle.dumps(caption))):
        assert clone == caption and clone.zh == caption.zh and isinstance(clone, Caption)
