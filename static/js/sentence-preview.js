// Live preview of the promise sentence on the promise form. The form works without it.
// Mirrors promises/text.py (elision of "de", agreement in number).
(function () {
  "use strict";
  const action = document.querySelector("[data-sentence-action]");
  const objective = document.querySelector("[data-sentence-objective]");
  const card = document.getElementById("sentence-preview-card");
  const preview = document.getElementById("sentence-preview");
  if (!action || !objective || !card || !preview) return;

  const hAspire = /^(hach|haï|hair|hal|ham|hand|hant|happ|harass|harc|hard|harn|hasard|hât|hat|hauss|haut|hennir|hériss|heurt|hiss|hocher|honn|hont|hors|houspill|hurl|hutt)/;

  function elide(text) {
    const lower = text.toLowerCase();
    const plain = lower.normalize("NFD");
    const first = plain.charAt(0);
    const vowel = "aeiou".includes(first) || (first === "y" && !"aeiou".includes(plain.charAt(1)));
    if (vowel || (first === "h" && !hAspire.test(lower))) return "d'" + text;
    return "de " + text;
  }

  function render() {
    const text = action.value.trim().replace(/\s+/g, " ").replace(/^(de\s+|d['’]\s*)/i, "").replace(/[\s.,;]+$/, "");
    const n = parseInt(objective.value, 10);
    if (!text) { card.classList.add("d-none"); return; }
    const count = Number.isFinite(n) && n > 0 ? n : "X";
    const condition = count === 1 ? "si 1 personne le promet aussi" : "si " + count.toLocaleString("fr-FR") + " personnes le promettent aussi";
    preview.textContent = "Je promets " + elide(text) + ", " + condition + ".";
    card.classList.remove("d-none");
  }

  action.addEventListener("input", render);
  objective.addEventListener("input", render);
  render();
})();
