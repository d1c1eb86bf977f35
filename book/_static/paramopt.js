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
