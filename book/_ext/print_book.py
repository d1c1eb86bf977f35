"""Print the book to one PDF with headless Chromium: ``make pdf`` runs this.

    python book/_ext/print_book.py _build/singlehtml _build/pdf/parameter-optimization.pdf

Input is the whole book as one HTML page (Sphinx's singlehtml builder, see printed.py), so
every cross-reference and citation is a link inside one document, which Chromium keeps as
a link inside the PDF. Before printing, the page is laid out as a book: a title page with
the version, a table of contents, chapters numbered as the text numbers them (from 0;
appendices A, B, ...), each starting on a new page; solutions opened; each explorer shown
at its first setting with a note that the website and the notebook have it interactive;
the site's navigation, buttons and collapsed bookkeeping cells left out. MathJax typesets
the formulas and every image must have loaded before Chromium prints. The PDF gets an
outline (bookmarks) from the headings and is tagged for screen readers. Beside it,
``<name>.json`` records what was printed (chapters, figures, explorers) for
tests/test_pdf.py to look for in the PDF.
"""

import datetime
import json
import shutil
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "lib"))

import paramopt  # noqa: E402
from site_checks import browser, serve  # noqa: E402  (the browser checks' server and Chromium)

TITLE = "Parameter Optimization for Neural Networks"
NOTE = (
    "Interactive figure, printed at its first setting. On the website and in the notebook "
    "its controls change it."
)
PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 16mm 16mm; }
html { font-size: 10.5pt; }
body { background: white !important; }
#jb-print-docs-body, .bd-header, .bd-header-article, .bd-sidebar-primary,
.bd-sidebar-secondary, .bd-footer, .bd-footer-article, .prev-next-area, .header-article,
.headerlink, .copybtn,
.po-zoom-button, .po-controls, .toggle-button, .skip-link, #pst-back-to-top,
.cell.tag_hide-input, .search-button-field, dialog { display: none !important; }
.bd-main, .bd-content, .bd-article-container, .bd-page-width, .bd-container__inner {
  max-width: none !important; width: 100% !important; margin: 0 !important;
  padding: 0 !important; display: block !important;
}
.po-print-title { break-after: page; text-align: center; padding-top: 35%; }
.po-print-title .po-title { font-size: 2.4em; font-weight: 700; line-height: 1.2; }
.po-print-title p { margin: 0.7em 0; }
.po-print-toc { break-after: page; }
.po-print-toc ol { list-style: none; padding-left: 0; }
.po-print-toc ol ol { padding-left: 1.6em; font-size: 0.92em; }
.po-print-toc a { text-decoration: none; color: inherit; }
.po-print-chapter { break-before: page; }
.po-print-chapter > h2:first-child { font-size: 2em; margin-bottom: 0.8em; }
.po-print-note { font-style: italic; font-size: 0.9em; margin-top: 0.2em; }
figure, img, .po-explorer, table, pre, mjx-container[display="true"] { break-inside: avoid; }
h1, h2, h3, h4, h5 { break-after: avoid; }
img { max-width: 100% !important; height: auto !important; }
a { color: inherit; }
"""

PREPARE = """([title, version, date, url, note, chapters]) => {
  const article = document.querySelector('article.bd-article') || document.body;
  // Links into the one document: "book/intro.html#x" (as singlehtml writes them) -> "#x".
  for (const a of document.querySelectorAll('a[href]')) {
    const m = a.getAttribute('href').match(/^(?:\\.\\.\\/)*(?:book\\/)?intro\\.html(#.*)?$/);
    if (m) a.setAttribute('href', m[1] || '#');
    // Anything else of this site (a figure's PNG, a source file) is not in the PDF.
    else if (!/^(#|https?:|mailto:)/.test(a.getAttribute('href'))) a.removeAttribute('href');
  }
  // Chapters, numbered as the text numbers them.
  const toc = [];
  for (const [doc, label] of chapters) {
    const anchor = document.getElementById('document-' + doc);
    const section = anchor && anchor.nextElementSibling;
    if (!section) throw new Error('chapter not in the page: ' + doc);
    section.classList.add('po-print-chapter');
    // singlehtml nests the chapters in the intro's "Chapters" section, one heading level
    // down; the printed book puts them after the intro, each headed by an <h2> (Chromium
    // leaves <h1> out of the PDF's bookmarks), so that the bookmarks list the chapters at
    // the top level and their sections under them.
    article.append(anchor, section);
    const shift = Number(section.querySelector('h1, h2, h3, h4').tagName[1]) - 2;
    for (const h of [...section.querySelectorAll('h2, h3, h4, h5, h6')]) {
      const level = Math.max(2, Number(h.tagName[1]) - shift);
      const moved = document.createElement('h' + level);
      for (const {name, value} of h.attributes) moved.setAttribute(name, value);
      moved.append(...h.childNodes);
      h.replaceWith(moved);
    }
    const heading = section.querySelector('h2');
    heading.insertAdjacentText('afterbegin', label + ' · ');
    const parts = [...section.querySelectorAll(':scope > section')].map(s => {
      const h = s.querySelector('h3');
      return h ? [s.id, h.textContent.replace(/#$/, '').trim()] : null;
    }).filter(Boolean);
    toc.push([section.id, heading.textContent.replace(/#$/, '').trim(), parts]);
  }
  const entity = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'};
  const esc = s => s.replace(/[&<>"]/g, c => entity[c]);
  const items = toc.map(([id, text, parts]) =>
    `<li><a href="#${id}">${esc(text)}</a>` + (parts.length ? '<ol>' + parts.map(([pid, ptext]) =>
      `<li><a href="#${pid}">${esc(ptext)}</a></li>`).join('') + '</ol>' : '') + '</li>').join('');
  article.insertAdjacentHTML('afterbegin',
    `<section class="po-print-title"><p class="po-title">${esc(title)}</p>` +
    `<p>The paramopt authors</p><p>Version ${esc(version)} · ${esc(date)}</p>` +
    `<p>${esc(url)}</p><p>Printed from the website, whose figures respond to their ` +
    `controls; the notebooks run them live.</p></section>` +
    `<nav class="po-print-toc"><h2>Contents</h2><ol>${items}</ol></nav>`);
  // Solutions open; each explorer says it is interactive elsewhere.
  for (const el of document.querySelectorAll('.toggle-hidden')) {
    el.classList.remove('toggle-hidden');
  }
  for (const d of document.querySelectorAll('.solution details, details.solution')) d.open = true;
  for (const explorer of document.querySelectorAll('.po-explorer')) {
    explorer.insertAdjacentHTML('beforeend', `<p class="po-print-note">${esc(note)}</p>`);
  }
  for (const img of document.querySelectorAll('img')) img.loading = 'eager';
  return toc.map(([id, text]) => text);
}"""

READY = """async () => {
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  await Promise.all([...document.images].map(img => img.complete ? null :
    new Promise(done => { img.onload = img.onerror = done; })));
  await document.fonts.ready;
  const shown = [...document.images].filter(img => img.offsetParent !== null);
  return {
    broken: shown.filter(img => !img.naturalWidth).map(img => img.src),
    mathErrors: document.querySelectorAll('mjx-merror').length,
    images: shown.length,
    explorers: document.querySelectorAll('.po-explorer').length,
  };
}"""


def chapter_labels():
    """(docname, label) of every page after the intro, in _toc.yml's order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    labels, number, letter = [], 0, 0
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            if part.get("caption") == "Appendix":
                labels.append((chapter["file"], f"Appendix {chr(ord('A') + letter)}"))
                letter += 1
            else:
                labels.append((chapter["file"], f"Chapter {number}"))
                number += 1
    return labels


def print_book(site, output):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    date = datetime.date.today().isoformat()  # noqa: DTZ011 (the printing day)
    output.parent.mkdir(parents=True, exist_ok=True)
    # singlehtml writes the root document (book/intro) with URLs relative to the site's
    # root: open a copy of it there.
    shutil.copyfile(site / "book" / "intro.html", site / "book.html")
    with serve(site) as origin, browser() as chromium:
        page = chromium.new_page(viewport={"width": 900, "height": 1200})
        tick = time.perf_counter()
        page.goto(f"{origin}/book.html", wait_until="load", timeout=120_000)
        print(f"loaded in {time.perf_counter() - tick:.0f} s", file=sys.stderr)
        page.add_style_tag(content=PRINT_CSS)
        args = [TITLE, paramopt.__version__, date, config["repository"]["url"], NOTE]
        contents = page.evaluate(PREPARE, [*args, chapter_labels()])
        state = page.evaluate(READY)
        if state["broken"] or state["mathErrors"]:
            raise RuntimeError(f"not printable: {state}")
        print(f"laid out in {time.perf_counter() - tick:.0f} s", file=sys.stderr)
        page.pdf(
            path=str(output),
            format="A4",
            print_background=True,
            prefer_css_page_size=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=(
                '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
                f'{TITLE} · <span class="pageNumber"></span></div>'
            ),
            outline=True,
            tagged=True,
        )
        page.close()
    # What was printed, for tests/test_pdf.py to find in the PDF.
    manifest = {"version": paramopt.__version__, "chapters": contents} | state
    output.with_suffix(".json").write_text(json.dumps(manifest, indent=1))
    print(f"{output}: {output.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    print_book(Path(sys.argv[1]), Path(sys.argv[2]))
