// Static explorer: swaps precomputed frames when a control changes; needs no kernel.
(function () {
  for (const root of document.querySelectorAll("[data-po-explorer]:not([data-ready])")) {
    root.dataset.ready = "1";
    const spec = JSON.parse(root.querySelector("script.po-spec").textContent);
    const img = root.querySelector("img.po-frame");
    const caption = root.querySelector(".po-caption");
    const inputs = spec.names.map((n) => root.querySelector(`[data-control="${n}"]`));
    const update = () => {
      let k = 0;
      inputs.forEach((el, i) => {
        k = k * spec.sizes[i] + Number(el.value);
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
    };
    inputs.forEach((el) => el.addEventListener("input", update));
    update();
  }
})();
