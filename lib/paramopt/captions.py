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
