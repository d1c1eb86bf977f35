"""The book printed: ``make pdf`` builds it as one HTML page (Sphinx's singlehtml builder),
which book/_ext/print_book.py then prints to a PDF with headless Chromium.

Sphinx gives a writer the handlers registered under its builder's name and falls back to
its format ("html") only when no extension registered any under that name. Some do for
"singlehtml", so the handlers other extensions (myst-nb, sphinx_jupyterbook_latex, ...)
registered for "html" only would be missing, and the build would fail on their nodes.
This gives the singlehtml writer every html handler it lacks.
"""


def setup(app):
    app.connect("builder-inited", inherit_html_handlers)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def inherit_html_handlers(app):
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    handlers["singlehtml"] = {**handlers.get("html", {}), **handlers.get("singlehtml", {})}
