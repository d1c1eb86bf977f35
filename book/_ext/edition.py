"""Two editions from one source: the book, and the exercises edition for handing out.

``make book EDITION=exercises`` sets ``PARAMOPT_EDITION=exercises`` and builds into
``_build/exercises/``. There sphinx-exercise's ``hide_solutions`` removes every
``{solution}`` block, while the exercises, the explorers and the auto-checkers (with
their hints) stay; the footer says which edition the reader holds. Nothing that holds
the solutions is offered either: no sources, downloads or launch buttons
(book/_ext/downloads.py). The notebooks are not
executed again: both editions read the outputs from the one execution cache,
``_build/.jupyter_cache`` (jupyter-cache keys on a notebook's code, which is the same).
"""

import os
from pathlib import Path

EDITIONS = ("book", "exercises")
ROOT = Path(__file__).resolve().parents[2]


def setup(app):
    app.connect("config-inited", choose_edition)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def choose_edition(app, config):
    edition = os.environ.get("PARAMOPT_EDITION") or "book"
    if edition not in EDITIONS:
        raise ValueError(f"Invalid PARAMOPT_EDITION: {edition!r} (choose from {EDITIONS})")
    config.html_context = {**config.html_context, "edition": edition}
    app.tags.add(edition)  # {only} book / {only} exercises in a page
    if edition == "exercises":
        config.hide_solutions = True
        config.html_copy_source = False  # the sources hold the solutions
        config.nb_execution_cache_path = str(ROOT / "_build" / ".jupyter_cache")
