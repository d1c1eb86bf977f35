// Static explorer: swaps precomputed frames when a control changes; needs no kernel.
// Frames are data: URLs in a notebook, and files of the site on the web (the book's
// explorer_frames extension): there, once a reader reaches for the controls, the frames one
// step away from the current one are fetched ahead, so the next frame shows at once.
(function () {
  for (const root of document.querySelectorAll("[data-po-explorer]:not([data-ready])")) {
    root.dataset.ready = "1";
    const spec = JSON.parse(root.querySelector("script.po-spec").textContent);
    const img = root.querySelector("img.po-frame");
    const caption = root.querySelector(".po-caption");
    const inputs = spec.names.map((n) => root.querySelector(`[data-control="${n}"]`));
    const fetched = new Map(); // src -> Image: kept, so the browser keeps it decoded
    const state = (positions) => positions.reduce((k, p, i) => k * spec.sizes[i] + p, 0);
    const fetchAround = () => {
      const here = inputs.map((el) => Number(el.value));
      here.forEach((p, i) => {
        for (let q = 0; q < spec.sizes[i]; q++) {
          if (inputs[i].type === "range" && Math.abs(q - p) !== 1) continue;
          const src = spec.frames[spec.order[state(here.map((v, j) => (j === i ? q : v)))]];
          if (fetched.has(src) || src.startsWith("data:")) continue;
          const ahead = new Image();
          ahead.src = src;
          fetched.set(src, ahead);
        }
      });
    };
    let reached = false;
    const reach = () => {
      if (!reached) fetchAround();
      reached = true;
    };
    const update = () => {
      const k = state(inputs.map((el) => Number(el.value)));
      inputs.forEach((el, i) => {
        if (el.type === "range") {
          const by = spec.labelsBy && spec.labelsBy[i]; // labels that follow another control
          const labels = by ? by[1][Number(inputs[by[0]].value)] : spec.labels[i];
          const text = labels[Number(el.value)];
          el.setAttribute("aria-valuetext", text);
          el.nextElementSibling.textContent = text;
        }
      });
      img.src = spec.frames[spec.order[k]];
      img.alt = spec.texts[k];
      caption.textContent = spec.texts[k];
      root.dataset.state = String(k);
      if (reached) fetchAround();
    };
    inputs.forEach((el) => el.addEventListener("input", update));
    for (const event of ["pointerover", "focusin", "touchstart"])
      root.addEventListener(event, reach, { passive: true });
    update();
  }
})();
