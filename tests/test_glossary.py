"""The glossary and the {term} links to it, checked on the sources (no build needed).

Sphinx's std domain resolves a {term} target by an exact match and then by its lowercase
form, so the targets are compared lowercased here too.
"""

import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = sorted(BOOK.glob("*.ipynb"))
TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")


def glossary_entries(text):
    """The entries of the {glossary} block: a list of (names, definition).

    An entry is one or more unindented lines (the term and its aliases) followed by its
    indented definition.
    """
    block = re.search(r"^```\{glossary\}\n(.*?)^```$", text, re.M | re.S).group(1)
    entries = []
    for line in block.splitlines():
        if not line.strip() or line.startswith(":"):
            continue
        if line[0].isspace():
            entries[-1][1].append(line.strip())
        elif entries and not entries[-1][1]:
            entries[-1][0].append(line.strip())  # an alias of the term above
        else:
            entries.append(([line.strip()], []))
    return [(names, " ".join(definition)) for names, definition in entries]


ENTRIES = glossary_entries((BOOK / "glossary.md").read_text(encoding="utf-8"))
#: every term and alias (lowercased) -> the entry's first name
ENTRY_OF = {name.lower(): names[0] for names, _ in ENTRIES for name in names}


def target(content):
    """The target of a {term} role with this content: the part in <...>, else the whole."""
    content = " ".join(content.split())  # a role may wrap onto the next line
    explicit = re.fullmatch(r"(.*?)\s*<(.+)>", content)
    return explicit.group(2) if explicit else content


def term_targets(text):
    """The target of every {term} role in `text`."""
    return [target(content) for content in TERM_ROLE.findall(text)]


def markdown(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_the_glossary_is_parsed():
    assert len(ENTRIES) >= 30
    assert ENTRY_OF["batchnorm"] == "batch normalisation"
    assert ENTRY_OF["stochastic gradient descent"] == "SGD"
    assert ENTRY_OF["optimizer"] == "optimiser"


@pytest.mark.parametrize(("names", "definition"), ENTRIES, ids=[n[0] for n, _ in ENTRIES])
def test_every_entry_has_a_chinese_and_a_japanese_name(names, definition):
    assert re.search(r"中文：\s*\S", definition), f"{names[0]}: no 中文 name"
    assert re.search(r"日本語：\s*\S", definition), f"{names[0]}: no 日本語 name"


@pytest.mark.parametrize("source", sorted(BOOK.glob("*.md")) + CHAPTERS, ids=lambda p: p.name)
def test_every_term_link_resolves(source):
    text = markdown(source) if source.suffix == ".ipynb" else source.read_text(encoding="utf-8")
    unknown = [t for t in term_targets(text) if t.lower() not in ENTRY_OF]
    assert not unknown, f"{source.name}: not in the glossary: {unknown}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_a_chapter_links_each_term_once_and_at_least_five(chapter):
    linked = [ENTRY_OF.get(t.lower(), t) for t in term_targets(markdown(chapter))]
    twice = sorted({t for t in linked if linked.count(t) > 1})
    assert not twice, f"{chapter.name} links these terms more than once: {twice}"
    assert len(set(linked)) >= 5, f"{chapter.name} links only {sorted(set(linked))}"


#: a use of a term: any name of any entry as a whole word, optionally plural ("epochs",
#: "minibatches"), not inside a hyphenated compound ("learning-rate search"); the longest
#: names come first, so "gradient descent" is a use of its own entry, not of "gradient"
USE = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(ENTRY_OF, key=len)[::-1])
    + r")(?:e?s)?(?![\w-])",
    re.I,
)
CODE_DIRECTIVES = ("{literalinclude}", "{code", "{math}")


def prose(text):
    """Markdown without code blocks, headings, directive and option lines, math, inline code
    and roles other than {term} ({cite:p}, {glue:text}, …), and without the (url) of links."""
    kept, fences = [], []  # the open ``` fences: (backticks, encloses code)
    for line in text.splitlines():
        fence = re.fullmatch(r"(`{3,})\s*(\S*).*", line.strip())
        if fence and not fence[2] and fences and len(fence[1]) >= len(fences[-1][0]):
            fences.pop()
        elif fences and fences[-1][1]:
            continue
        elif fence:
            info = fence[2]
            fences.append((fence[1], not info.startswith("{") or info.startswith(CODE_DIRECTIVES)))
        elif not re.match(r"\s*(#+\s|:[\w-]+:)", line):
            kept.append(line)
    text = re.sub(
        r"(\{[\w:-]+\})?`[^`]+`", lambda m: m[0] if m[1] == "{term}" else " ", "\n".join(kept)
    )
    text = re.sub(r"\$\$.*?\$\$|\$.+?\$|\\\(.*?\\\)", " ", text, flags=re.S)
    return re.sub(r"\]\([^)]*\)", "]", text)


def early_uses(text):
    """Each use of a term in the prose of `text` before the {term} link to its entry."""
    linked = {ENTRY_OF[t.lower()] for t in term_targets(text)}
    parts = TERM_ROLE.split(prose(text))  # text, role, text, role, …, text
    seen, early = set(), []
    for i, part in enumerate(parts):
        if i % 2:
            seen.add(ENTRY_OF[target(part).lower()])
            continue
        for use in USE.finditer(part):
            entry = ENTRY_OF[" ".join(use[1].split()).lower()]
            if entry in linked and entry not in seen:
                context = " ".join(part[max(0, use.start() - 30) : use.end() + 30].split())
                early.append(f"{entry}: …{context}…")
    return early


def test_early_uses_are_found_in_prose_only():
    sample = """# Gradients and SGD
```{admonition} The loss
:class: loss
Nesterov momentum, per-gradient $SGD$, `loss`, [a link](gradient), {cite:p}`sgd`
```
```python
loss = gradient(SGD)
```
The losses: {term}`gradient`, {term}`momentum`, {term}`SGD`, {term}`losses <loss>`.
"""
    assert [use.split(":")[0] for use in early_uses(sample)] == ["loss"]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_a_chapter_links_each_term_at_its_first_use(chapter):
    early = early_uses(markdown(chapter))
    assert not early, f"{chapter.name} uses these terms before their link:\n" + "\n".join(early)
