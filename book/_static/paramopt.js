// Boxes that scroll sideways say so. On a phone a long formula, table or code line does
// not fit; it scrolls inside its own box, and this script marks the side of the box that
// hides more (data-po-more = left, right or both), where paramopt.css fades the box out.
// A formula's box that scrolls joins the tab order, so a keyboard can scroll it too (the
// theme does the same for tables and code). The marks follow scrolling and resizing.
(function () {
  // An inline formula's box (span.math) clips it: it scrolls only once marked wide.
  const inline = (box) => box.matches("span.math");
  const overflow = (box) => {
    if (!inline(box)) return box.scrollWidth - box.clientWidth;
    const math = box.querySelector("mjx-math");
    return math ? math.getBoundingClientRect().width - box.clientWidth : 0;
  };
  const mark = (box) => {
    const hidden = overflow(box);
    const math = box.matches(".math");
    if (inline(box)) {
      if (hidden > 0.5) box.dataset.poScroll = "";
      else delete box.dataset.poScroll;
    }
    const left = box.scrollLeft > 1;
    const right = hidden > 0.5 && box.scrollLeft < hidden - 1;
    const more = left && right ? "both" : left ? "left" : right ? "right" : "";
    if (more) box.dataset.poMore = more;
    else delete box.dataset.poMore;
    if (hidden > 0.5) box.tabIndex = 0;
    else if (math) box.removeAttribute("tabindex");
  };
  const watch = (boxes) => {
    const resized = new ResizeObserver((entries) => entries.forEach((e) => mark(e.target)));
    for (const box of boxes) {
      mark(box);
      box.addEventListener("scroll", () => mark(box), { passive: true });
      resized.observe(box);
    }
  };
  const start = () => {
    watch(document.querySelectorAll(".bd-article .pst-scrollable-table-container, .bd-article pre"));
    const typeset = window.MathJax && MathJax.startup && MathJax.startup.promise;
    if (typeset) typeset.then(() => watch(document.querySelectorAll("div.math, span.math")));
  };
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();

// A figure squeezed into a narrow column (a phone, 390 px) has text too small to read.
// Each figure that is shown at less than ZOOM_WHEN of its natural size gets an "Enlarge"
// button; it opens the figure at its natural size (every figure's text is then at least
// 9 CSS px, which the browser checks prove) in a dialog that scrolls both ways and closes
// with its button, Escape or a click outside. An explorer's button shows its current frame.
// Its words follow the page's language (the Chinese edition: <html lang="zh-CN">).
(function () {
  const ZOOM_WHEN = 0.8;
  const WORDS = document.documentElement.lang.startsWith("zh")
    ? { enlarge: "放大", enlargeFigure: "放大图片", enlarged: "放大的图片", close: "关闭" }
    : {
        enlarge: "Enlarge",
        enlargeFigure: "Enlarge the figure",
        enlarged: "Enlarged figure",
        close: "Close",
      };
  const FIGURES = ".bd-article .cell_output img, .bd-article img.po-frame";
  const natural = (img) =>
    parseFloat(img.style.width) || Number(img.getAttribute("width")) || img.naturalWidth;
  let dialog, zoomed;
  const open = (img) => {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "po-zoom";
      dialog.setAttribute("aria-label", WORDS.enlarged);
      const close = document.createElement("button");
      close.type = "button";
      close.className = "po-zoom-close";
      close.textContent = WORDS.close;
      close.addEventListener("click", () => dialog.close());
      const box = document.createElement("div");
      box.className = "po-zoom-box";
      zoomed = document.createElement("img");
      box.append(zoomed);
      dialog.append(close, box);
      dialog.addEventListener("click", (e) => e.target === dialog && dialog.close());
      document.body.append(dialog);
    }
    zoomed.src = img.currentSrc || img.src;
    zoomed.alt = img.alt;
    zoomed.style.width = `${natural(img)}px`;
    dialog.showModal();
  };
  const start = () => {
    document.querySelectorAll(FIGURES).forEach((img, n) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "po-enlarge";
      button.id = img.dataset.poEnlarge = `po-enlarge-${n}`;
      button.hidden = true;
      button.innerHTML = `<i class="fa-solid fa-expand" aria-hidden="true"></i> ${WORDS.enlarge}`;
      button.setAttribute("aria-label", WORDS.enlargeFigure);
      button.addEventListener("click", () => open(img));
      // Sphinx links a figure shown smaller than its size to the PNG itself: a tap on it
      // opens the dialog instead, while the figure is squeezed.
      const link = img.closest("a.image-reference");
      (link || img).after(button);
      (link || img).addEventListener("click", (event) => {
        if (button.hidden) return;
        event.preventDefault();
        open(img);
      });
      const fit = () => {
        button.hidden = img.getBoundingClientRect().width >= ZOOM_WHEN * natural(img);
      };
      new ResizeObserver(fit).observe(img);
      fit();
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
