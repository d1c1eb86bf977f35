"""Sentences in both of the book's languages: a frame's caption, a divergence's reason.

The book has an English and a Chinese edition built from the same executed notebooks, so
an explorer's frames are drawn once and described in both languages. A ``describe``
function returns a :class:`Caption`: it *is* the English sentence (a ``str``: it prints,
compares and formats as before, and the notebook shows it), and its ``zh`` attribute is
the Chinese one, which the Chinese edition shows instead (book/_ext/explorer_frames.py).

Both sentences report the same computation, so they must name the same numbers: a
Caption whose Chinese names other numbers than its English raises ``ValueError`` where
it is made. An English sentence edited without its Chinese fails the notebook that shows
it rather than drifting apart on the website.

The words short texts are made of have their Chinese here, in one place (:data:`WORDS`):
a control's label ("learning rate γ") is translated by its leading words
(:func:`bilingual`, which every control applies to its label), and a divergence's
reason by :func:`not_finite` and :func:`passed`. Code that builds controls and raises
:class:`paramopt.Diverged` stays in English, as the book shows it.
"""

import html
import re

_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def numerals(text):
    """The numbers a sentence names, sorted: ``"0.3 or 10⁶ steps"`` -> ``['0.3']``."""
    return sorted(_NUMBER.findall(text))


class Caption(str):
    """An English sentence with its Chinese version: ``Caption(english, zh=chinese)``.

    >>> c = Caption("Step 3 of 10.", zh="第 3 步（共 10 步）。")
    >>> c, c.zh
    ('Step 3 of 10.', '第 3 步（共 10 步）。')
    """

    def __new__(cls, english, zh):
        english, zh = str(english), str(zh)
        if numerals(english) != numerals(zh):
            raise ValueError(
                f"the Chinese caption names other numbers than the English: "
                f"{numerals(zh)} in {zh!r}, {numerals(english)} in {english!r}"
            )
        caption = super().__new__(cls, english)
        caption.zh = zh
        return caption

    def __reduce__(self):  # copy and pickle: both sentences
        return Caption, (str(self), self.zh)


#: the Chinese of the words of controls' labels and of what a run can lose
WORDS = {
    "activation": "激活函数",
    "BatchNorm": "批量归一化",
    "batch size": "批量大小",
    "coefficients": "系数",
    "condition number": "条件数",
    "dampening": "阻尼",
    "depth": "深度",
    "gradient": "梯度",
    "init": "初始化",
    "input": "输入",
    "learning rate": "学习率",
    "loss": "损失",
    "momentum": "动量",
    "Newton–Schulz steps": "牛顿–舒尔茨迭代步数",
    "normal angle": "法向角",
    "offset": "偏移",
    "optimiser": "优化器",
    "optimizer": "优化器",
    "parameters": "参数",
    "pass step": "传播步骤",
    "schedule": "学习率调度",
    "setting": "设置",
    "value": "数值",
    "warmup steps": "预热步数",
    "weight": "权重",
    "weight decay": "权重衰减",
}
# "... of layer k" quantities (paramopt.diagnostics)
_LAYER_PHRASES = {
    re.compile(r"the forward pass at layer (\d+)"): "第 {} 层的前向传播",
    re.compile(r"the weight gradient of layer (\d+)"): "第 {} 层的权重梯度",
}


def bilingual(text):
    """``text`` as a Caption when it starts with words of :data:`WORDS` ("learning rate
    γ" -> "学习率 γ"), a Caption as it is, other text as a str.

    >>> bilingual("learning rate γ").zh
    '学习率 γ'
    """
    if isinstance(text, Caption):
        return text
    text = str(text)
    for english in sorted(WORDS, key=len, reverse=True):  # "weight decay" before "weight"
        if text == english or text.startswith(english + " "):
            return Caption(text, zh=WORDS[english] + text[len(english) :])
    return text


def not_finite(what):
    """Why a run stopped: ``what`` ("loss", "θ", "the weight gradient of layer 3") is
    not finite, in both languages."""
    zh = WORDS.get(what)
    for pattern, template in _LAYER_PHRASES.items():
        match = pattern.fullmatch(what)
        if match:
            zh = template.format(match.group(1))
    zh = f"{what} " if zh is None else zh  # a symbol: "θ 不再是有限值"
    return Caption(f"{what} is not finite", zh=f"{zh}不再是有限值")


def passed(quantity, bound):
    """Why a run stopped: ``quantity`` ("|θ|") passed ``bound``, in both languages."""
    return Caption(f"{quantity} passed {bound}", zh=f"{quantity} 超过了 {bound}")


def chinese(text):
    """The Chinese of a Caption; other text as it is (a label with nothing to translate)."""
    return getattr(text, "zh", str(text))


def html_of(text):
    """``text`` as HTML: a Caption as both sentences, each shown on its edition's pages
    (book/_static/paramopt.css hides the other), other text escaped."""
    if not isinstance(text, Caption):
        return html.escape(str(text))
    return (
        f'<span class="po-en">{html.escape(text)}</span>'
        f'<span class="po-zh" lang="zh-CN">{html.escape(text.zh)}</span>'
    )
