"""The book's version is the library's: one number, ``paramopt.__version__``, for both.

Sphinx's ``version`` and ``release`` are set from it before anything is read, so the
footer (``book/_templates/version.html``) and every page show the version of the
``paramopt`` that ran the notebooks. CITATION.cff, CHANGELOG.md and the intro's BibTeX
name the same number; tests/test_release.py fails when one of them drifts.
"""

import paramopt


def setup(app):
    app.connect("config-inited", set_version)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def set_version(app, config):
    config.version = config.release = paramopt.__version__
