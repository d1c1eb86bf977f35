"""The English and the Chinese edition: what is translated, and the links between them.

Both editions are built from the same pages (book/_ext/translations.py builds the Chinese
one into ``_build/html/zh`` with ``language = "zh_CN"``). This extension

- keeps out of the catalogues what must never differ between the editions: display math
  and everything a notebook cell printed (the numbers of the executed notebooks, shared
  by both editions through the one execution cache; a catalogue holding them would go
  stale on the next machine whose BLAS rounds differently);
- lets a translated paragraph use the page's glued numbers: Sphinx parses each translation
  as a document of its own, in which myst-nb would find no glue data;
- translates what Sphinx never sees as a message: what myst-nb writes into a page from a
  cell's metadata (figure alt texts, the prompts of folded cells) and exercise titles
  (a sphinx-exercise argument); their catalogue is texts.po (book/_ext/translations.py);
- gives every page a link to the same page in the other edition (``language_links`` in
  the page context, shown by book/_templates/language-switch.html).
"""

import contextvars
import html
from pathlib import Path

import polib
from docutils import nodes
from myst_nb import sphinx_ as myst_nb_sphinx
from myst_nb.ext.glue import directives, roles, utils
from sphinx import addnodes
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.transforms.i18n import Locale
from sphinx.util.i18n import docname_to_domain

EDITIONS = {"en": ("English", ""), "zh_CN": ("中文", "zh/")}  # name, folder in the site


def translated(config):
    """Whether this build is a translated edition (the Chinese one), not the English."""
    return (config.language or "en") != "en"


class Untranslatable(SphinxTransform):
    """Mark display math and cell outputs as not translatable (before Sphinx's Locale)."""

    default_priority = 10  # sphinx.transforms.i18n.Locale runs at 20

    def apply(self):
        for node in self.document.findall(nodes.math_block):
            node["translatable"] = False
        for output in self.document.findall(nodes.container):
            if output.get("nb_element") in ("cell_code_output", "mime_bundle"):
                for node in output.findall(nodes.TextElement):
                    node["translatable"] = False


# myst-nb's renderer of each notebook, which holds its glue data. myst-nb keeps it on the
# document only while it parses the notebook; a translation is parsed later.
_renderers = {}
_app = None
_load_renderer = myst_nb_sphinx.load_renderer


def _recording_renderer(name):
    renderer_class = _load_renderer(name)

    def create(mdit_renderer, logger):
        renderer = renderer_class(mdit_renderer, logger)
        _renderers[_app.env.docname] = renderer  # the page being read
        return renderer

    return create


# The page whose messages Sphinx's Locale transform is translating, if any.
_page = contextvars.ContextVar("page", default=None)
_locale_apply = Locale.apply


def _translate_page(self, **kwargs):
    token = _page.set(self.document)
    try:
        _locale_apply(self, **kwargs)
    finally:
        _page.reset(token)


def retrieve_glue_data(document, key):
    """myst-nb's lookup, from the page being translated when the document is a message."""
    page = _page.get()
    if "nb_renderer" not in document and page is not None:
        renderer = _renderers.get(page.settings.env.docname)
        if renderer is not None:
            document = nodes.document(document.settings, document.reporter)
            document["nb_renderer"] = renderer
    return utils.retrieve_glue_data(document, key)


def translate_texts(app, pagename, templatename, context, doctree):
    """Alt texts, cell prompts and exercise titles in the page's language (texts.po)."""
    if not translated(app.config) or "body" not in context:
        return
    body = context["body"]
    for english, chinese in _texts(app).items():
        body = body.replace(f'"{html.escape(english)}"', f'"{html.escape(chinese)}"')
        for escaped in {html.escape(english, quote=False), html.escape(english)}:
            body = body.replace(f">{escaped}<", f">{html.escape(chinese, quote=False)}<")
            body = body.replace(f" ({escaped})", f"（{html.escape(chinese, quote=False)}）")
    context["body"] = body


def _texts(app):
    if not hasattr(app, "_po_texts"):
        folder = Path(app.srcdir, app.config.locale_dirs[0], app.config.language)
        path = folder / "LC_MESSAGES" / "texts.po"
        entries = polib.pofile(str(path)) if path.exists() else []
        texts = {e.msgid: e.msgstr for e in entries if e.msgstr and not e.fuzzy}
        app._po_texts = dict(sorted(texts.items(), key=lambda item: -len(item[0])))
    return app._po_texts


class TocCaptions(SphinxTransform):
    """The sidebar's part titles ("Optimisers") in the page's language.

    sphinx-external-toc adds the root page's toctrees (with _toc.yml's captions) after
    Sphinx's Locale transform has translated that page, so their captions are translated
    here, from the root page's catalogue, where the gettext builder put them.
    """

    default_priority = 150  # after sphinx_external_toc's InsertToctrees (100)

    def apply(self):
        if not translated(self.config):
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [str(Path(self.env.srcdir, d)) for d in self.config.locale_dirs]
        catalogue, _ = init_locale(dirs, self.config.language, domain)
        for toctree in self.document.findall(addnodes.toctree):
            if toctree.get("caption"):
                toctree["caption"] = catalogue.gettext(toctree["caption"])


def setup(app):
    global _app
    _app = app
    myst_nb_sphinx.load_renderer = _recording_renderer
    Locale.apply = _translate_page
    roles.retrieve_glue_data = directives.retrieve_glue_data = retrieve_glue_data
    app.add_transform(Untranslatable)
    app.add_transform(TocCaptions)
    app.connect("html-page-context", add_language_links)
    app.connect("html-page-context", translate_texts)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def add_language_links(app, pagename, templatename, context, doctree):
    """``language_links``: (name, language tag, URL) of this page in the other edition."""
    here = app.config.language or "en"
    depth = pagename.count("/") + (1 if translated(app.config) else 0)  # zh/ is a folder down
    up = "../" * depth
    links = []
    for language, (name, folder) in EDITIONS.items():
        if language == here:
            continue
        links.append((name, language.replace("_", "-"), f"{up}{folder}{pagename}.html"))
    context["language_links"] = links
