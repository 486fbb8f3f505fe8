// The share panel of a promise page (templates/promises/_share.html). Without JavaScript the
// link is there to select and every network's link works; with it, "Copier" buttons, and the
// phone's own share sheet (Web Share API) where the browser has one.
"use strict";

for (const button of document.querySelectorAll("[data-copy]")) {
  const field = document.querySelector(button.dataset.copy);
  const status = document.querySelector(button.dataset.copyStatus);
  if (!field) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      // No clipboard API (an older browser, or a page not served over HTTPS).
      field.select();
      document.execCommand("copy");
    }
    if (status) {
      status.textContent = "Copié !";
      setTimeout(() => { status.textContent = ""; }, 3000);
    }
  });
}

const native = document.querySelector("[data-share-native]");
if (native && navigator.share) {
  native.hidden = false;
  native.addEventListener("click", () => {
    const { title, text, url } = native.dataset;
    // Closing the share sheet rejects the promise: nothing to say about it.
    navigator.share({ title, text, url }).catch(() => {});
  });
}
