// The observer chooser's offline world map (/map.svg): a click fills in latitude and longitude.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("map-toggle");
  const box = document.getElementById("map");
  if (!toggle || !box) return;
  const lat = document.getElementById("lat"), lon = document.getElementById("lon");
  const select = document.getElementById("observer-select");
  let loaded = false;
  toggle.addEventListener("click", async () => {
    box.hidden = !box.hidden;
    if (loaded || box.hidden) return;
    const answer = await fetch("/map.svg");
    const doc = new DOMParser().parseFromString(await answer.text(), "image/svg+xml");
    box.appendChild(document.importNode(doc.documentElement, true));
    loaded = true;
    const svg = box.querySelector("svg");
    svg.addEventListener("click", (event) => {
      const point = svg.createSVGPoint();
      point.x = event.clientX; point.y = event.clientY;
      const p = point.matrixTransform(svg.getScreenCTM().inverse());
      const scale = Number(svg.dataset.scale);
      const latitude = Math.max(-90, Math.min(90, 90 - p.y / scale));
      const longitude = Math.max(-180, Math.min(180, p.x / scale - 180));
      lat.value = latitude.toFixed(4); lon.value = longitude.toFixed(4);
      if (select) select.value = "";
      const pick = svg.getElementById("map-pick");
      pick.setAttribute("cx", p.x.toFixed(1)); pick.setAttribute("cy", p.y.toFixed(1));
    });
  });
  [lat, lon].forEach((input) => input.addEventListener("input", () => { if (select) select.value = ""; }));
  // A place chosen from the list replaces typed coordinates: both sent are a 400 ("observer and
  // lat/lon exclude each other"), and the form keeps them filled in after a search by coordinates.
  const alt = document.getElementById("alt");
  if (select) select.addEventListener("change", () => {
    if (select.value) [lat, lon, alt].forEach((input) => { if (input) input.value = ""; });
  });
});
