"""What a reader's browser sees: checks of one page in headless Chromium.

Each check returns a list of problems (empty when the page is fine), so the same code
can be shown to pass on the built site and to fail on a deliberately broken page.
Chromium is Debian's (/usr/bin/chromium) driven by Playwright; nothing is downloaded.
"""

import functools
import gzip
import http.server
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Bytes a page may transfer, static widgets included, counted gzip-compressed as static
# hosts (GitHub Pages among them) serve text. The uncompressed size is reported too.
PAGE_BUDGET = 3 * 1024 * 1024


@contextmanager
def serve(directory):
    """Serve ``directory`` on 127.0.0.1 (a free port) for the duration of the block."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageReport:
    url: str
    external_requests: list = field(default_factory=list)
    js_errors: list = field(default_factory=list)
    mathjax_errors: list = field(default_factory=list)
    broken_images: list = field(default_factory=list)
    dead_controls: list = field(default_factory=list)
    bytes_loaded: int = 0  # uncompressed
    bytes_transferred: int = 0  # gzip-compressed, what the budget limits
    math_count: int = 0
    explorer_count: int = 0

    def problems(self, budget=PAGE_BUDGET):
        found = {
            "external requests": self.external_requests,
            "JS errors": self.js_errors,
            "MathJax errors": self.mathjax_errors,
            "broken images": self.broken_images,
            "controls that do not change their figure": self.dead_controls,
        }
        if self.bytes_transferred > budget:
            found["page weight"] = [
                f"{self.bytes_transferred:,} bytes compressed > {budget:,}"
                f" ({self.bytes_loaded:,} uncompressed)"
            ]
        return {name: items for name, items in found.items() if items}


def audit(chromium, url, origin):
    """Load ``url`` and run every check; requests outside ``origin`` are blocked and listed."""
    report = PageReport(url)
    context = chromium.new_context()
    page = context.new_page()

    def route(route):
        target = route.request.url
        if target.startswith(origin + "/"):
            response = route.fetch()
            body = response.body()
            report.bytes_loaded += len(body)
            report.bytes_transferred += len(gzip.compress(body, 6))
            route.fulfill(response=response)
        else:
            report.external_requests.append(target)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: report.js_errors.append(str(error)))
    page.on(
        "console",
        lambda msg: report.js_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.goto(url, wait_until="load")
    _wait_for_mathjax(page)
    report.math_count = page.locator("mjx-container").count()
    report.mathjax_errors = page.eval_on_selector_all(
        "mjx-merror, [data-mjx-error], .MathJax_Error",
        "els => els.map(e => e.getAttribute('data-mjx-error') || e.textContent)",
    )
    report.mathjax_errors += _literal_backslashes(page)
    unrendered = page.locator(".math:not(:has(mjx-container))").count()
    if unrendered:
        report.mathjax_errors.append(f"{unrendered} math element(s) never typeset")
    report.broken_images = page.eval_on_selector_all(
        "img",
        "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => (i.getAttribute('src') || '').slice(0, 80))",
    )
    report.explorer_count, report.dead_controls = _exercise_explorers(page)
    context.close()
    return report


def _wait_for_mathjax(page):
    has_mathjax = page.evaluate("() => typeof window.MathJax === 'object'")
    if has_mathjax:
        page.wait_for_function(
            "() => window.MathJax.startup && window.MathJax.startup.promise", timeout=15000
        )
        page.evaluate("() => window.MathJax.startup.promise")


# A TeX command MathJax did not interpret is drawn as text, backslash and all: `\_`
# inside `\text{}` (MathJax 3 without textmacros) shows "running\_mean". No error is
# raised, so look for the backslash in the MathML of every typeset formula.
LITERAL_BACKSLASHES = """() => {
  const found = [];
  if (!(window.MathJax && MathJax.startup && MathJax.startup.document)) return found;
  for (const item of MathJax.startup.document.math) {
    const mml = MathJax.startup.toMML(item.root);  // an merror is reported already
    if (mml.includes("\\\\") && !mml.includes("<merror")) found.push(item.math);
  }
  return found;
}"""


def _literal_backslashes(page):
    return [
        f"a backslash drawn as text in {source.strip()[:80]!r}"
        for source in page.evaluate(LITERAL_BACKSLASHES)
    ]


def _exercise_explorers(page):
    """Move every control of every static explorer; each must change the figure."""
    dead = []
    explorers = page.locator("[data-po-explorer]")
    for e in range(explorers.count()):
        explorer = explorers.nth(e)
        image = explorer.locator("img.po-frame")
        controls = explorer.locator("[data-control]")
        for c in range(controls.count()):
            control = controls.nth(c)
            name = control.get_attribute("data-control")
            if not _control_changes_figure(control, image):
                dead.append(f"explorer {e} control {name!r}")
    return explorers.count(), dead


def _control_changes_figure(control, image):
    tag = control.evaluate("el => el.tagName.toLowerCase()")
    if tag == "select":
        values = control.evaluate("el => Array.from(el.options).map(o => o.value)")
    else:
        low, high = (int(control.get_attribute(a)) for a in ("min", "max"))
        values = [str(v) for v in range(low, high + 1)]
    original = control.input_value()
    before = image.get_attribute("src")
    changed = False
    for value in values:
        if value == original:
            continue
        if tag == "select":
            control.select_option(value)
        else:
            control.fill(value)  # sets the value and fires "input"
        loaded = image.evaluate("i => i.complete && i.naturalWidth > 0")
        if image.get_attribute("src") != before and loaded:
            changed = True
            break
    if tag == "select":
        control.select_option(original)
    else:
        control.fill(original)
    return changed
