// The action finder (templates/promises/finder.html): on a phone, one question at a time,
// with "Suivant" and "Précédent". Without JavaScript, or on a wider screen, they are all on
// one page.
"use strict";

const form = document.querySelector("[data-finder]");
// Coming back with answers (the results below), every question stays on the page, as asked.
const answered = new URLSearchParams(window.location.search).toString() !== "";
if (form && !answered && window.matchMedia("(max-width: 767.98px)").matches) {
  const steps = [...form.querySelectorAll("[data-step]")];
  const submit = form.querySelector('button[type="submit"]');
  let current = 0;
  const show = (index) => {
    current = index;
    steps.forEach((step, i) => { step.hidden = i !== index; });
    submit.hidden = index !== steps.length - 1;
    steps[index].querySelector("legend").focus?.();
  };
  for (const step of steps) {
    step.querySelector(".finder-nav").hidden = false;
    step.querySelector("legend").tabIndex = -1;
    step.querySelector("[data-next]")?.addEventListener("click", () => show(current + 1));
    step.querySelector("[data-previous]")?.addEventListener("click", () => show(current - 1));
  }
  show(0);
}
