"""What a reader's browser sees: checks of one page in headless Chromium.

Each check returns a list of problems (empty when the page is fine), so the same code
can be shown to pass on the built site and to fail on a deliberately broken page.
Chromium is Debian's (/usr/bin/chromium) driven by Playwright; nothing is downloaded.
"""

import base64
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
# A chapter loads only the frame each explorer shows (book/_ext/explorer_frames.py) and no
# icon font. Measured: 0.43 MB for a page of text, 0.65-0.75 MB for a chapter.
PAGE_BUDGET = 1024 * 1024  # 1.0 MB
# axe-core, installed by npm from package-lock.json (a devDependency: the site never loads it).
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
# Violations of these impacts fail a page; moderate and minor ones are reported only.
AXE_FAILING = ("critical", "serious")
PHONE = {"width": 390, "height": 844}  # CSS px, a common phone held upright
DESKTOP = {"width": 1280, "height": 720}
MIN_TARGET = 24  # CSS px, WCAG 2.2 success criterion 2.5.8 (target size, minimum)
# Text in a figure at least this tall on a phone, in place or in the figure's enlarged view.
MIN_FIGURE_TEXT = 9  # CSS px


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
    failed_requests: list = field(default_factory=list)  # answered with HTTP >= 400
    favicon: list = field(default_factory=list)  # why the page has no working favicon
    axe: list = field(default_factory=list)  # every violation: {id, impact, nodes, help, targets}
    math_in_tab_order: list = field(default_factory=list)
    phone_width: int = 0  # document width at the PHONE viewport, CSS px
    phone_overflow: list = field(default_factory=list)  # what sticks out at PHONE width
    wide_math: list = field(default_factory=list)  # wide equations cut off, or no cue
    small_controls: list = field(default_factory=list)
    icons_not_drawn: list = field(default_factory=list)
    cjk_without_lang: list = field(default_factory=list)  # Chinese/Japanese text, no lang
    small_figure_text: list = field(default_factory=list)  # at PHONE width, even enlarged
    # What the page loads before the reader touches anything (explorers fetch more frames
    # once their controls are used, which is not counted).
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
            "failed requests": self.failed_requests,
            "favicon": self.favicon,
            "accessibility violations (axe-core)": [
                f"{v['impact']} {v['id']} ({v['nodes']}x): {v['help']} {v['targets']}"
                for v in self.axe
                if v["impact"] in AXE_FAILING
            ],
            "formulas in the tab order": self.math_in_tab_order,
            f"sideways scrolling at {PHONE['width']} px": self.phone_overflow,
            "wide equations": self.wide_math,
            f"controls smaller than {MIN_TARGET}x{MIN_TARGET} px": self.small_controls,
            "icons not drawn": self.icons_not_drawn,
            "Chinese or Japanese text without a lang attribute": self.cjk_without_lang,
            f"figure text under {MIN_FIGURE_TEXT} px at {PHONE['width']} px": (
                self.small_figure_text
            ),
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
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()

    requested = set()

    def route(route):
        target = route.request.url
        if target.startswith(origin + "/"):
            requested.add(target)
            response = route.fetch()
            if response.status >= 400:
                report.failed_requests.append(f"{response.status} {target[len(origin) :]}")
            body = response.body()
            if not loaded:
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
    loaded = False
    page.goto(url, wait_until="load")
    _wait_for_mathjax(page)
    page.wait_for_load_state("networkidle")
    loaded = True
    report.math_count = page.locator("mjx-container").count()
    report.mathjax_errors = page.eval_on_selector_all(
        "mjx-merror, [data-mjx-error], .MathJax_Error",
        "els => els.map(e => e.getAttribute('data-mjx-error') || e.textContent)",
    )
    report.mathjax_errors += _literal_backslashes(page)
    report.cjk_without_lang = page.evaluate(CJK_WITHOUT_LANG)
    unrendered = page.locator(".math:not(:has(mjx-container))").count()
    if unrendered:
        report.mathjax_errors.append(f"{unrendered} math element(s) never typeset")
    report.broken_images = page.eval_on_selector_all(
        "img",
        "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => (i.getAttribute('src') || '').slice(0, 80))",
    )
    report.favicon = _favicon_problems(page)
    report.math_in_tab_order = page.eval_on_selector_all("mjx-container", MATH_IN_TAB_ORDER)
    report.small_controls = page.eval_on_selector_all("[data-control]", SMALL_CONTROLS)
    report.icons_not_drawn = page.evaluate(ICONS_NOT_DRAWN)
    report.axe = _axe(page)
    report.explorer_count, report.dead_controls = _exercise_explorers(page, requested)
    page.unroute_all(behavior="ignoreErrors")  # frames still being fetched ahead
    context.close()
    _audit_phone(chromium, url, origin, report)
    return report


def _audit_phone(chromium, url, origin, report):
    """Load the page afresh in a phone-sized window (scripts see the width from the start)."""
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(origin + "/") else route.abort()
        ),
    )
    page.goto(url, wait_until="load")
    _wait_for_mathjax(page)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    report.phone_width, report.phone_overflow = page.evaluate(PHONE_OVERFLOW)
    report.wide_math = page.evaluate(WIDE_MATH)
    report.small_figure_text = _small_figure_text(page)
    seen = {v["id"] for v in report.axe}
    report.axe += [
        {**v, "id": f"{v['id']} (at {PHONE['width']} px)"}
        for v in _axe(page)
        if v["id"] not in seen
    ]
    context.close()


def _small_figure_text(page):
    """Figures whose smallest text is under MIN_FIGURE_TEXT px in place and enlarged.

    Every figure of a notebook's output and every explorer frame is a PNG that records its
    smallest font size, dpi and pixel scale (paramopt.widgets.figures): text of s points is
    s / 72 * dpi CSS px at the figure's natural width, and scales with the width shown.
    A figure too small in place must offer an "Enlarge" button whose view is large enough.
    """
    from paramopt.widgets.figures import read_record

    found = []
    figures = page.locator(FIGURES)
    for i in range(figures.count()):
        img = figures.nth(i)
        src = img.evaluate("i => i.currentSrc || i.src")
        name = "an inline PNG" if src.startswith("data:") else src.rsplit("/", 1)[-1][:40]
        if src.startswith("data:image/png;base64,"):  # a notebook's explorer, frames inline
            body = base64.b64decode(src.split(",", 1)[1])
        else:
            body = page.request.get(src).body()
        record = read_record(body) if body[:8] == b"\x89PNG\r\n\x1a\n" else None
        if record is None:
            found.append(f"{name}: no text-size record (draw it with paramopt.widgets.figures)")
            continue
        if record["min_font_pt"] is None:  # a figure without text
            continue
        pixels = img.evaluate("i => i.naturalWidth")
        # text px per CSS px of width: at the natural width (pixels / scale) the text is
        # min_font_pt / 72 * dpi px tall
        per_px = record["min_font_pt"] / 72 * record["dpi"] / (pixels / record["scale"])
        shown = per_px * img.bounding_box()["width"]
        if shown >= MIN_FIGURE_TEXT:
            continue
        button = page.locator(f"#{img.get_attribute('data-po-enlarge') or 'no-enlarge-button'}")
        if not button.count() or not button.first.is_visible():
            found.append(f"{name}: text {shown:.1f} px, and no Enlarge button")
            continue
        button.first.click()
        zoomed = page.locator("dialog[open] img")
        enlarged = per_px * zoomed.bounding_box()["width"] if zoomed.count() else 0.0
        page.keyboard.press("Escape")
        if enlarged < MIN_FIGURE_TEXT:
            found.append(f"{name}: text {shown:.1f} px, {enlarged:.1f} px enlarged")
    return found


# The figures whose text is checked: notebook outputs and explorer frames.
FIGURES = ".bd-article .cell_output img, img.po-frame"


def _favicon_problems(page):
    """The page names an icon (<link rel="icon">) and the site serves it as an image."""
    href = page.evaluate(
        "() => { const l = document.querySelector('link[rel~=\"icon\"]'); return l && l.href; }"
    )
    if not href:
        return ['no <link rel="icon">']
    status, kind, size = page.evaluate(
        """async href => {
          const r = await fetch(href);
          const body = await r.arrayBuffer();
          return [r.status, r.headers.get("content-type") || "", body.byteLength];
        }""",
        href,
    )
    if status != 200 or not kind.startswith("image/") or not size:
        return [f"{href}: HTTP {status}, {kind or 'no type'}, {size} bytes"]
    return []


def _axe(page):
    """Run axe-core on the page; return every violation, worst first."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )
    rank = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    return sorted(results, key=lambda v: (rank.get(v["impact"], 4), v["id"]))


# MathJax's menu makes every formula focusable (tabindex="0") unless its `inTabOrder`
# setting is off: a keyboard user then tabs through dozens of formulas to reach a link.
MATH_IN_TAB_ORDER = """els => els.filter(e => e.tabIndex >= 0).map(e => `tabindex=${e.tabIndex}: ` +
  (e.querySelector("mjx-assistive-mml") || e).textContent.slice(0, 60))"""

# The box of each static control (a slider or a menu), named by its data-control.
SMALL_CONTROLS = f"""els => els.map(e => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => r.width < {MIN_TARGET} || r.height < {MIN_TARGET})
  .map(([e, r]) => `${{e.dataset.control}}: ${{r.width.toFixed(1)}}x${{r.height.toFixed(1)}}`)"""

# The site draws the theme's icons itself (book/_static/icons.css: a CSS mask per icon),
# without the theme's fontawesome.js and icon font. An icon element or admonition title
# without a mask would show nothing: name it.
ICONS_NOT_DRAWN = """() => {
  const found = [];
  const drawn = (style) => style.getPropertyValue("--po-icon").trim() !== "";
  const icons = ".fa-solid, .fas, .fa-regular, .far, .fa-brands, .fab";
  for (const el of document.querySelectorAll(icons))
    if (!drawn(getComputedStyle(el))) found.push(`<i class="${el.className}">`);
  for (const el of document.querySelectorAll(".admonition > .admonition-title"))
    if (!drawn(getComputedStyle(el, "::after")))
      found.push(`the icon of the box titled ${JSON.stringify(el.textContent.trim())}`);
  return found;
}"""

# The document's width, and the outermost elements whose right edge passes the viewport
# (an element inside a scrolling box, or fixed and off-screen like a closed drawer, does
# not widen the page and is not listed).
PHONE_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const total = document.scrollingElement.scrollWidth;
  if (total <= width) return [total, []];
  const scrolls = (el) => ["auto", "scroll", "hidden", "clip"]
    .includes(getComputedStyle(el).overflowX);
  const out = [];
  const walk = (el) => {
    for (const child of el.children) {
      if (getComputedStyle(child).position === "fixed") continue;
      const r = child.getBoundingClientRect();
      if (r.right > width + 0.5 && r.width > 0) {
        const name = child.tagName.toLowerCase() + (child.id ? "#" + child.id : "") +
          (child.classList.length ? "." + [...child.classList].join(".") : "");
        const inner = out.length;
        if (!scrolls(child)) walk(child);
        if (out.length === inner) out.push(
          `${name} right edge at ${Math.round(r.right)} px: ` +
          JSON.stringify((child.textContent || "").trim().slice(0, 60)));
      } else if (!scrolls(child)) walk(child);
      if (out.length >= 5) return;
    }
  };
  walk(document.body);
  return [total, [`the page is ${total} px wide`, ...out]];
}"""

# An equation wider than its box must scroll inside a box of its own (overflow-x auto or
# scroll), never be cut off by an ancestor with overflow: hidden or clip. The scrolling box
# must show that there is more (a fade: mask-image, or a scrollbar that takes room; headless
# Chromium hides overlay scrollbars as phones do) and take keyboard focus so it can be
# scrolled without a mouse.
WIDE_MATH = """() => {
  const found = [];
  const name = (math) => (math.parentElement.getAttribute("aria-label") ||
    math.parentElement.textContent).slice(0, 50);
  const faded = (box) => {
    const s = getComputedStyle(box);
    return (s.maskImage && s.maskImage !== "none") ||
      (s.webkitMaskImage && s.webkitMaskImage !== "none");
  };
  const scrollbar = (box) => box.offsetHeight - box.clientHeight -
    parseFloat(getComputedStyle(box).borderTopWidth) -
    parseFloat(getComputedStyle(box).borderBottomWidth) > 0;
  for (const math of document.querySelectorAll("mjx-container > mjx-math")) {
    let extent = math.getBoundingClientRect();
    for (let box = math.parentElement; box && box !== document.body; box = box.parentElement) {
      const o = getComputedStyle(box).overflowX;
      if (o === "visible") continue;
      const r = box.getBoundingClientRect();
      if (o === "hidden" || o === "clip") {
        if (extent.left < r.left - 1 || extent.right > r.right + 1) {
          found.push(`cut off: ${Math.round(extent.width)} px of formula in a` +
            ` ${Math.round(r.width)} px box with overflow-x ${o}: ${name(math)}`);
          break;
        }
      } else {  // auto or scroll: the rest is reachable by scrolling this box
        if (box.scrollWidth > box.clientWidth + 1) {  // a pixel of rounding is no overflow
          if (!faded(box) && !scrollbar(box))
            found.push(`no sign that it scrolls (no fade, no scrollbar): ${name(math)}`);
          if (box.tabIndex < 0)
            found.push(`scrolls but takes no keyboard focus: ${name(math)}`);
        }
        extent = r;
      }
    }
  }
  return found;
}"""


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


# Chinese and Japanese share characters: without lang="zh-…"/"ja" a browser draws Chinese
# with a Japanese font (or the reverse) and a screen reader reads it with an English voice.
CJK_WITHOUT_LANG = """() => {
  const cjk = /[\\u3040-\\u30ff\\u3400-\\u9fff\\uff00-\\uffef]/;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!cjk.test(node.data) || node.parentElement.closest("script, style")) continue;
    const tagged = node.parentElement.closest("[lang]");
    const lang = tagged ? tagged.getAttribute("lang") : "";
    if (!/^(zh|ja)/i.test(lang)) found.push(node.data.trim().slice(0, 40));
  }
  return found;
}"""


def _literal_backslashes(page):
    return [
        f"a backslash drawn as text in {source.strip()[:80]!r}"
        for source in page.evaluate(LITERAL_BACKSLASHES)
    ]


def _exercise_explorers(page, requested):
    """Move every control of every static explorer; each must change the figure.

    First, before anything moves: a reader who reaches for a slider (focus) must find the
    frames one step away already fetched (``requested``: every URL the page asked for), so
    that moving it shows the next frame at once (book/_ext/explorer_frames.py). The browser
    keeps them in its memory cache; under Playwright's routing it keeps nothing, so the
    check is that they were fetched, not how fast they show.
    """
    dead = []
    explorers = page.locator("[data-po-explorer]")
    for e in range(explorers.count()):
        for control in explorers.nth(e).locator("[data-control][type=range]").all():
            control.focus()
            page.wait_for_load_state("networkidle")
            ahead = control.evaluate(NEXT_FRAME)
            if not ahead.startswith("data:") and ahead not in requested:
                name = control.get_attribute("data-control")
                dead.append(
                    f"explorer {e} control {name!r}: the frame one step away was not fetched"
                    " ahead (it would show late)"
                )
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


# The absolute URL of the frame a slider shows one step from where it is.
NEXT_FRAME = """el => {
  const root = el.closest("[data-po-explorer]");
  const spec = JSON.parse(root.querySelector("script.po-spec").textContent);
  const at = spec.names.map((n) => Number(root.querySelector(`[data-control="${n}"]`).value));
  const i = spec.names.indexOf(el.dataset.control);
  at[i] += at[i] < Number(el.max) ? 1 : -1;
  const k = at.reduce((k, p, j) => k * spec.sizes[j] + p, 0);
  return new URL(spec.frames[spec.order[k]], document.baseURI).href;
}"""


def _control_changes_figure(control, image):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

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
        try:  # a frame not fetched ahead comes from the site (book/_ext/explorer_frames.py)
            image.page.wait_for_function(
                "i => i.complete && i.naturalWidth > 0", arg=image.element_handle(), timeout=5000
            )
            loaded = True
        except PlaywrightTimeout:
            loaded = False
        if image.get_attribute("src") != before and loaded:
            changed = True
            break
    if tag == "select":
        control.select_option(original)
    else:
        control.fill(original)
    return changed
