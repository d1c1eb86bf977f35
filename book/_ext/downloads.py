"""What a reader can take away: the whole book as a PDF, and each chapter as a notebook
that runs once downloaded.

- The theme's download menu offers ".pdf", which only opens the browser's print dialog
  for the one page. It links the book printed by ``make pdf`` instead
  (``parameter-optimization.pdf`` at the site's root; ``make book`` builds it).
- Its ".ipynb" is the committed notebook, outputs stripped, whose ``import paramopt``
  fails outside the repository. It links ``notebooks/<chapter>.ipynb`` instead: the
  notebook as the book executed it (outputs from the execution cache), whose first cell
  installs ``paramopt`` (with its ``notebooks`` extra, myst-nb) when it is missing, from a
  wheel that this build makes and the site serves
  (``notebooks/paramopt-<version>-py3-none-any.whl``). The wheel's URL is the site's
  ``html.baseurl`` (``_config.yml``), or ``$PARAMOPT_SITE`` when set (a mirror, or the
  site served locally, as tests/test_environments.py does).
- The Chinese edition (``_build/html/zh``, book/_ext/translations.py) links the same PDF
  and notebooks, those of the site it sits in: the printed book and the notebooks are
  English.
- The exercises edition (book/_ext/edition.py) offers neither, nor the sources or a
  launch into Binder: each of them holds the solutions.
"""

import subprocess
import sys
from pathlib import Path

import nbformat
from languages import translated  # book/_ext/languages.py

import paramopt

PDF = "parameter-optimization.pdf"
FOLDER = "notebooks"
WHEEL = f"paramopt-{paramopt.__version__}-py3-none-any.whl"
ROOT = Path(__file__).resolve().parents[2]

INSTALL = """\
# This notebook comes from the website of "Parameter Optimization for Neural Networks".
# Its code uses paramopt, the book's library, and myst-nb's glue. If they are missing,
# this installs them (once): paramopt from the website, with what it needs (numpy,
# matplotlib, ipywidgets, myst-nb) from the package index.
import importlib
import importlib.util
import os

if not all(importlib.util.find_spec(name) for name in ("paramopt", "myst_nb")):
    site = os.environ.get("PARAMOPT_SITE", "{baseurl}").rstrip("/")
    %pip install --quiet "paramopt[notebooks] @ {{site}}/{folder}/{wheel}"
    importlib.invalidate_caches()"""


def setup(app):
    # after sphinx-book-theme's add_header_buttons (priority 501) has filled the menu
    app.connect("html-page-context", adjust_menus, priority=600)
    app.connect("build-finished", write_notebooks)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def edition(app):
    return app.config.html_context.get("edition", "book")


def site_file(app, context, path):
    """The URL of ``path`` in the English site, from this page (of either edition)."""
    url = context["pathto"](path, 1)
    return "../" + url if translated(app.config) else url  # the Chinese site is its zh/ folder


def adjust_menus(app, pagename, templatename, context, doctree):
    buttons = context.get("header_buttons", [])
    if edition(app) == "exercises":
        buttons[:] = [
            b for b in buttons if b.get("label") not in ("download-buttons", "launch-buttons")
        ]
        return
    is_notebook = context.get("page_source_suffix") == ".ipynb"
    for group in buttons:
        if group.get("label") != "download-buttons":
            continue
        for i, button in enumerate(group["buttons"]):
            if button.get("label") == "download-pdf-button":
                group["buttons"][i] = link(
                    site_file(app, context, PDF),
                    "book .pdf",
                    "全书 PDF（英文）" if translated(app.config) else "The whole book as one PDF",
                    "fas fa-file-pdf",
                    button["label"],
                )
            elif button.get("label") == "download-source-button" and is_notebook:
                url = site_file(app, context, f"{FOLDER}/{Path(pagename).name}.ipynb")
                group["buttons"][i] = link(
                    url,
                    ".ipynb",
                    "已执行的笔记本（英文），下载即可运行"
                    if translated(app.config)
                    else "The notebook, executed: it runs anywhere",
                    "fas fa-code",
                    button["label"],
                )


def link(url, text, tooltip, icon, label):
    return {
        "type": "link",
        "url": url,
        "text": text,
        "tooltip": tooltip,
        "icon": icon,
        "label": label,
    }


def write_notebooks(app, exception):
    if exception or app.builder.name != "html" or edition(app) != "book" or translated(app.config):
        return
    from jupyter_cache import get_cache

    out = Path(app.outdir) / FOLDER
    out.mkdir(exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    cache = get_cache(app.env.mystnb_config.execution_cache_path)
    baseurl = app.config.html_baseurl
    for docname in sorted(app.env.found_docs):
        source = Path(app.srcdir) / f"{docname}.ipynb"
        if not source.exists():
            continue
        _, notebook = cache.merge_match_into_notebook(nbformat.read(source, as_version=4))
        cell = nbformat.v4.new_code_cell(
            INSTALL.format(baseurl=baseurl, folder=FOLDER, wheel=WHEEL)
        )
        cell.metadata["tags"] = ["install-paramopt"]
        notebook.cells.insert(0, cell)
        nbformat.write(notebook, out / f"{Path(docname).name}.ipynb")
