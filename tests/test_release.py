"""One version for the book and the library, stated alike wherever it appears.

``paramopt.__version__`` is the source (pyproject.toml reads it; the site's footer shows
it, book/_ext/release.py). CITATION.cff must validate against the Citation File Format
1.2.0 schema (tests/data/cff-schema-1.2.0.json, the schema as shipped in cffconvert 2.0.0)
and name that version, as must CHANGELOG.md's newest entry and the intro's BibTeX.
"""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

import paramopt

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "data" / "cff-schema-1.2.0.json").read_text())
VERSION = paramopt.__version__


def citation():
    return yaml.safe_load((ROOT / "CITATION.cff").read_text())


def cff_errors(record):
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    return sorted(f"{list(e.path)}: {e.message}" for e in validator.iter_errors(record))


def newest_changelog_entry():
    match = re.search(
        r"^## (\S+) — (\d{4}-\d{2}-\d{2})$", (ROOT / "CHANGELOG.md").read_text(), re.M
    )
    assert match, "CHANGELOG.md has no entry '## X.Y.Z — YYYY-MM-DD'"
    return match.groups()


def test_version_is_semantic():
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)


def test_citation_validates_against_the_cff_schema():
    assert cff_errors(citation()) == []


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda r: r.pop("authors"), "'authors' is a required property"),
        (lambda r: r.update({"date-released": "1 December 2026"}), "date-released"),
        (lambda r: r.update({"cff-version": "1.1.0"}), "cff-version"),
        (lambda r: r.update({"licence": "MIT"}), "Additional properties"),
    ],
)
def test_the_schema_check_catches_a_broken_citation(change, complaint):
    record = citation()
    change(record)
    assert any(complaint in error for error in cff_errors(record))


def test_citation_changelog_and_intro_name_the_library_version():
    record = citation()
    assert record["version"] == VERSION
    assert record["preferred-citation"]["edition"] == VERSION
    assert newest_changelog_entry() == (VERSION, record["date-released"])
    intro = (ROOT / "book" / "intro.md").read_text()
    assert f"version {VERSION} of the book" in intro
    assert re.search(rf"edition\s*=\s*{{{re.escape(VERSION)}}}", intro)


def test_installed_metadata_is_the_library_version():
    from importlib.metadata import version

    assert version("paramopt") == VERSION, "reinstall: .venv/bin/pip install -e ."
