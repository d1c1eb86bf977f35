// Search results that read as prose. Sphinx's search page (searchtools.js) fetches each
// page it found and shows 240 characters of Search.htmlToText(page): the text of the
// element with role="main". In this theme that element holds the header's buttons, the
// page's table of contents, every code cell and raw TeX ("….pdf Momentum Contents…",
// "\(\varepsilon\)"). This script, loaded after searchtools.js on the search page only
// (book/_templates/search.html), takes the text of the article instead, without code,
// outputs, buttons or display formulas, with inline TeX written as text (\(\varepsilon\)
// becomes ε), and a search for a letter's name finds the letter ("epsilon" finds ε). Sphinx's
// own functions do the rest, and all of it for any page without an article.
(function () {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const sphinxHtmlToText = Search.htmlToText;
  const sphinxSummary = Search.makeSearchSummary;

  // what is not prose: code and its output, collapsed cells, buttons, navigation, formulas
  const NOT_PROSE = [
    "script", "style", "button", "nav", ".headerlink", ".cell_input", ".cell_output",
    "details.hide", "div.highlight", "pre", "div.math", ".toctree-wrapper",
    ".prev-next-area", ".sd-tab-set > label",
  ].join(",");

  const SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ϵ", varepsilon: "ε",
    zeta: "ζ", eta: "η", theta: "θ", vartheta: "ϑ", iota: "ι", kappa: "κ", lambda: "λ",
    mu: "μ", nu: "ν", xi: "ξ", pi: "π", rho: "ρ", sigma: "σ", tau: "τ", phi: "φ",
    varphi: "φ", chi: "χ", psi: "ψ", omega: "ω", Gamma: "Γ", Delta: "Δ", Theta: "Θ",
    Lambda: "Λ", Sigma: "Σ", Phi: "Φ", Psi: "Ψ", Omega: "Ω", nabla: "∇", partial: "∂",
    cdot: "·", times: "×", odot: "⊙", le: "≤", leq: "≤", ge: "≥", geq: "≥", ne: "≠",
    neq: "≠", approx: "≈", sim: "∼", to: "→", rightarrow: "→", leftarrow: "←", infty: "∞",
    sum: "Σ", prod: "Π", in: "∈", pm: "±", sqrt: "√", ldots: "…", dots: "…", cdots: "…",
    top: "ᵀ", "|": "‖", ell: "ℓ", mid: "|",
  };
  // inline TeX as a reader would say it in plain text
  const texToText = (tex) =>
    tex
      .replace(/^\s*\\\(|\\\)\s*$/g, "") // the delimiters \( … \)
      .replace(/\\(?:left|right|big|Big|bigg|Bigg)\b/g, "")
      .replace(/\\(?:mathrm|mathbf|mathit|mathcal|mathbb|operatorname|text|textrm|boldsymbol|hat|tilde|bar|vec)\b/g, "")
      .replace(/\\([A-Za-z]+|\|)/g, (_, name) => SYMBOLS[name] ?? name)
      .replace(/\\[,;:! ]/g, " ")
      .replace(/[{}]/g, "");

  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    let root = page.querySelector('[role="main"] article');
    if (!root) return sphinxHtmlToText(htmlString, anchor);
    if (anchor) {
      try {
        root = root.querySelector(anchor) || root;
      } catch (error) {
        // an anchor that is no valid selector (an id starting with a digit): the whole page
      }
    }
    root.querySelectorAll(NOT_PROSE).forEach((element) => element.remove());
    root.querySelectorAll("span.math").forEach((math) => {
      math.replaceWith(page.createTextNode(texToText(math.textContent)));
    });
    return root.textContent.replace(/\s+/g, " ").trim();
  };

  // The summary starts near the last keyword it finds; a keyword that names a letter
  // ("epsilon") also stands for the Greek letter itself, as the summary now writes it (ε).
  Search.makeSearchSummary = (htmlText, keywords, anchor) => {
    const letters = [...keywords].flatMap((word) => [SYMBOLS[word], SYMBOLS["var" + word]]);
    const greek = letters.filter((letter) => letter && /[\u0370-\u03ff]/.test(letter));
    return sphinxSummary(htmlText, new Set([...keywords, ...greek]), anchor);
  };
})();
