"""The Chinese edition's catalogues: extract, update, check, and build the edition.

The English pages are the one source. Sphinx's gettext builder extracts every paragraph,
heading, list item and caption of every page as a message (MyST source, roles and math
included) into ``_build/i18n/gettext/<page>.pot``; ``locales/zh_CN/LC_MESSAGES/<page>.po``
holds each message's translation. Notebooks are read from the one execution cache, so the
Chinese edition shows the numbers, figures and explorers that the English one shows.

    python book/_ext/translations.py extract   # the English messages, into _build/i18n
    python book/_ext/translations.py update    # extract, then merge them into the catalogues
    python book/_ext/translations.py check     # extract, then fail unless every message is
                                               # translated and none is fuzzy
    python book/_ext/translations.py html      # the Chinese site, into _build/html/zh

``update`` is sphinx-intl's: a message whose English changed becomes fuzzy (its old
translation kept as a draft), a new one untranslated, a removed one obsolete. Messages
with nothing to translate (a formula, a code name, a citation alone) are filled with
themselves. ``check``, which ``make book`` runs before the Chinese build, then fails
until a translator has dealt with every fuzzy and untranslated message: the Chinese
edition cannot silently fall behind the English (tests/test_translations.py checks what
the translations say).
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "_build"
POT_DIR = BUILD / "i18n" / "gettext"
LOCALES = ROOT / "locales"
LANGUAGE = "zh_CN"
CATALOGUES = LOCALES / LANGUAGE / "LC_MESSAGES"
OUTPUT = BUILD / "html" / "zh"  # the Chinese site, inside the English one

def sphinx_build(builder, outdir, doctrees, force_all=False, **overrides):
    """Jupyter Book's build (its _config.yml and _toc.yml), with Sphinx settings on top."""
    from jupyter_book.sphinx import build_sphinx

    overrides = {
        "external_toc_path": "_toc.yml",
        "latex_individualpages": False,
        # both editions and every builder read the notebooks from the one cache
        "nb_execution_cache_path": str(BUILD / ".jupyter_cache"),
        **overrides,
    }
    return build_sphinx(
        ROOT,
        outdir,
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides=overrides,
        doctreedir=doctrees,
        builder=builder,
        force_all=force_all,
        warningiserror=True,
        keep_going=True,
        quiet=True,
    )


def extract():
    """The English messages, one .pot per page, in POT_DIR (and texts.pot)."""
    shutil.rmtree(POT_DIR, ignore_errors=True)  # no template of a page that has gone
    if sphinx_build("gettext", POT_DIR, BUILD / "i18n" / ".doctrees"):
        sys.exit("extracting the English messages failed")
    extract_unextracted()


EXERCISE = re.compile(r"^[`:]{3,}\{exercise\}[ \t]*(\S.*)$", re.M)


def unextracted_texts():
    """What Sphinx's extraction misses: figure alt texts and the prompts of folded cells
    (myst-nb writes them into the page from a cell's metadata) and exercise titles
    (sphinx-exercise keeps them as a directive's argument)."""
    texts = []
    for page in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in json.loads(page.read_text(encoding="utf-8"))["cells"]:
            options = cell.get("metadata", {}).get("mystnb", {})
            for key in ("code_prompt_show", "code_prompt_hide"):
                if key in options:
                    texts.append(options[key])
            for value in options.values():
                if isinstance(value, dict) and "alt" in value:
                    texts.append(value["alt"])
            if cell["cell_type"] == "markdown":
                texts += [title.strip() for title in EXERCISE.findall("".join(cell["source"]))]
    return list(dict.fromkeys(texts))


def extract_unextracted():
    """texts.pot: the catalogue of :func:`unextracted_texts` (book/_ext/languages.py
    translates them in the page)."""
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for text in unextracted_texts():
        catalogue.append(polib.POEntry(msgid=text, msgstr=""))
    catalogue.save(str(POT_DIR / "texts.pot"))


def templates():
    return {
        path.relative_to(POT_DIR).with_suffix(""): polib.pofile(str(path))
        for path in sorted(POT_DIR.rglob("*.pot"))  # sphinx.pot: the templates' _("...")
    }


def nothing_to_translate(text):
    """True when, without its math, roles, links and code (:func:`parts`), no letter is
    left: a formula, a code name or a citation alone is its own translation."""
    return not re.search(r"[^\W\d_]", parts(text)[2])


def update():
    extract()
    subprocess.run(
        [sys.executable, "-m", "sphinx_intl", "update", "--pot-dir", str(POT_DIR),
         "--locale-dir", str(LOCALES), "--language", LANGUAGE, "--line-width", "-1"],
        check=True,
    )  # fmt: skip
    for page in templates():
        path = CATALOGUES / page.with_suffix(".po")
        catalogue = polib.pofile(str(path), wrapwidth=0)
        for entry in catalogue:
            if nothing_to_translate(entry.msgid) and (not entry.msgstr or entry.fuzzy):
                entry.msgstr = entry.msgid
                entry.flags = [f for f in entry.flags if f != "fuzzy"]
                entry.previous_msgid = None
        catalogue.obsolete_entries()  # kept by sphinx-intl as drafts; they cost nothing
        catalogue.save()
    print(report() or "every message is translated")


def report():
    """What stands between the catalogues and the English pages, as lines to print."""
    problems = []
    for page, template in templates().items():
        path = CATALOGUES / page.with_suffix(".po")
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)}: missing")
            continue
        catalogue = polib.pofile(str(path))
        translated = {e.msgid: e for e in catalogue if not e.obsolete}
        for entry in template:
            found = translated.get(entry.msgid)
            if found is None or not found.msgstr:
                problems.append(f"{path.relative_to(ROOT)}: untranslated: {entry.msgid[:70]!r}")
            elif found.fuzzy:
                problems.append(f"{path.relative_to(ROOT)}: fuzzy: {entry.msgid[:70]!r}")
    return "\n".join(problems)


# -- what a translation must keep ----------------------------------------------------
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)
ROLE = re.compile(r"\{([a-z]+(?::[a-z]+)*)\}`([^`]*)`")
LINK = re.compile(r"\]\(([^)\s]+)\)|<(https?://[^>\s]+)>|href=\"([^\"]+)\"")
CODE = re.compile(r"``[^`]+``|`[^`]+`")
NUMERAL = re.compile(r"\d+(?:[.,]\d+)*")
# a role's target: `text <target>` for the roles that take one, else its whole text
TITLED_ROLES = {"term", "doc", "ref", "numref", "prf:ref", "eq"}


def role_target(name, text):
    titled = re.fullmatch(r"(.*?)\s*<([^<>]+)>", text, re.S)
    if name in TITLED_ROLES and titled:
        return titled.group(2)
    return text


def parts(text):
    """What a message says that no translation may change, and its prose without them."""
    found = {"math": [], "roles": [], "links": [], "code": []}
    terms = []

    def cut(kind, pattern, text, value):
        def keep(match):
            found[kind].append(value(match))
            return " "

        return pattern.sub(keep, text)

    def role(match):
        name, body = match.group(1), match.group(2)
        if name == "term":
            shown = re.fullmatch(r"(.*?)\s*<([^<>]+)>", body, re.S)
            terms.append((shown.group(1) if shown else body, role_target(name, body).lower()))
            return f"{{{name}}}<{role_target(name, body).lower()}>"
        return f"{{{name}}}<{role_target(name, body)}>"

    text = cut("math", MATH, text, lambda m: m.group(0))
    text = cut("roles", ROLE, text, role)
    text = cut("links", LINK, text, lambda m: next(g for g in m.groups() if g))
    text = cut("code", CODE, text, lambda m: m.group(0))
    found = {kind: sorted(values) for kind, values in found.items()}
    return found, terms, text


def glossary_names():
    """Each glossary term (lower case, as {term} targets resolve) -> its Chinese names.

    The name is the glossary's 中文 line; "X（Y）" may be shown as X or as Y too.
    """
    names, pending = {}, []
    source = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    body = source.split("```{glossary}", 1)[1].split("```", 1)[0]
    for line in body.splitlines():
        if line and not line[0].isspace() and not line.startswith(":"):
            pending.append(line.strip().lower())
        chinese = re.search(r"中文：([^<]+)</span>", line)
        if chinese:
            name = chinese.group(1).strip()
            forms = {name}
            short = re.fullmatch(r"(.+?)（(.+)）", name)
            if short:
                forms |= {short.group(1).strip(), short.group(2).strip()}
            for term in pending:
                names[term] = forms
            pending = []
    return names


def problems(entry, glossary=None):
    """Why a catalogue entry may not stand: untranslated, fuzzy, or not faithful."""
    if not entry.msgstr:
        return ["untranslated"]
    if entry.fuzzy:
        return ["fuzzy: the English changed; check the translation, then drop the flag"]
    source, _, source_prose = parts(entry.msgid)
    target, terms, target_prose = parts(entry.msgstr)
    found = []
    for kind in source:
        if source[kind] != target[kind]:
            missing = [x for x in source[kind] if x not in target[kind]]
            extra = [x for x in target[kind] if x not in source[kind]]
            found.append(f"{kind} differ: missing {missing}, added {extra}")
    numerals = set(NUMERAL.findall(source_prose)) | set(
        NUMERAL.findall(" ".join(source["math"] + source["code"]))
    )
    added = sorted(set(NUMERAL.findall(target_prose)) - numerals)
    if added:
        found.append(f"numerals the English does not have: {added}")
    glossary = glossary_names() if glossary is None else glossary
    for shown, term in terms:
        if term in glossary and shown not in glossary[term]:
            found.append(f"{{term}} {term!r} shown as {shown!r}, not as {sorted(glossary[term])}")
    return found


def lint(paths):
    """Print every entry of these catalogues that may not stand; True when none."""
    glossary, clean = glossary_names(), True
    for path in paths:
        for entry in polib.pofile(str(path)):
            for problem in problems(entry, glossary):
                clean = False
                print(f"{path}: {entry.msgid[:60]!r}: {problem}")
    return clean


def check():
    extract()
    problems = report()
    if problems:
        print(problems, file=sys.stderr)
        sys.exit(
            f"{problems.count(chr(10)) + 1} message(s) of the Chinese edition are not "
            "translated or are out of date: run `make locales` and translate them."
        )


def html():
    """The Chinese site in OUTPUT, with its own doctrees, from the same cache.

    As for the English site (Makefile: STATIC_CHANGED), a changed stylesheet, script or
    template rewrites every page: Sphinx would not copy it otherwise; so does a changed
    texts.po, which Sphinx does not know the pages depend on.
    """
    stamp = OUTPUT / ".buildinfo"
    inputs = [*(ROOT / "book" / "_static").rglob("*"), *(ROOT / "book" / "_templates").rglob("*")]
    inputs.append(CATALOGUES / "texts.po")  # read while pages are written, not by Sphinx
    changed = not stamp.exists() or any(
        path.stat().st_mtime > stamp.stat().st_mtime for path in inputs if path.is_file()
    )
    if sphinx_build(
        "html", OUTPUT, BUILD / "zh" / ".doctrees", force_all=changed, language=LANGUAGE
    ):
        sys.exit("the Chinese edition's build failed")


if __name__ == "__main__":
    commands = {"extract": extract, "update": update, "check": check, "html": html}
    if sys.argv[1:2] == ["lint"]:  # lint [catalogue.po ...]: all of them by default
        sys.exit(0 if lint(sys.argv[2:] or sorted(CATALOGUES.rglob("*.po"))) else 1)
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: translations.py {{{','.join(commands)},lint}}")
    commands[sys.argv[1]]()
