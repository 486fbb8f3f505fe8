// "Me localiser" on /promesses/ (templates/promises/list.html): the browser's position, if the
// visitor allows it, goes into the search form's hidden lat/lon fields, rounded to about a
// kilometre, and the form is sent. Nothing is stored: the position is only a parameter of the
// search (promises/places.py). Without JavaScript, the "Près de" field does the same from a
// commune or a postcode.
"use strict";

const locate = document.querySelector("[data-near-locate]");
if (locate && navigator.geolocation) {
  const form = locate.form;
  const status = document.getElementById("near-status");
  const say = (text) => { if (status) status.textContent = text; };
  locate.hidden = false;
  locate.addEventListener("click", () => {
    say("Recherche de votre position…");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.elements.lat.value = position.coords.latitude.toFixed(2);
        form.elements.lon.value = position.coords.longitude.toFixed(2);
        form.elements.pres.value = "";
        form.submit();
      },
      () => say("Position indisponible : indiquez plutôt une commune."),
      { maximumAge: 600000, timeout: 10000 },
    );
  });
}
