// Sky now: every second, ask /api/sky where the satellites are and move their dots (no reload).
"use strict";
const SIZE = 440, RADIUS = 180, NS = "http://www.w3.org/2000/svg";

function xy(az, el) {
  const r = (90 - Math.max(0, Math.min(90, el))) / 90 * RADIUS, a = az * Math.PI / 180;
  return [SIZE / 2 + r * Math.sin(a), SIZE / 2 - r * Math.cos(a)];
}

// The API's time is UTC ('Z'); the page shows the observer's clock to the second, as the other
// pages do (a zone this browser does not know falls back to UTC, labelled).
function localClock(iso, zone) {
  const moment = new Date(Math.round(Date.parse(iso) / 1000) * 1000);
  try {
    return moment.toLocaleTimeString("en-GB", { timeZone: zone, hourCycle: "h23" });
  } catch (error) {
    return moment.toISOString().slice(11, 19) + " UTC";
  }
}

function cell(row, text) { const td = row.insertCell(); td.textContent = text; return td; }

async function update(box, dots, table, status, clock) {
  try {
    const answer = await fetch(box.dataset.api, { cache: "no-store" });
    const data = await answer.json();
    if (!answer.ok) throw new Error(data.error || answer.statusText);
    dots.replaceChildren();
    table.replaceChildren();
    let shown = 0;
    for (const s of data.satellites) {
      const row = table.insertRow();
      row.dataset.norad = s.norad_id;
      cell(row, s.satellite);
      cell(row, s.azimuth_deg.toFixed(1) + "°");
      cell(row, s.elevation_deg.toFixed(1) + "°");
      cell(row, Math.round(s.range_km).toLocaleString("en") + " km");
      if (!s.above_horizon) { row.className = "below"; continue; }
      const [x, y] = xy(s.azimuth_deg, s.elevation_deg);
      const dot = document.createElementNS(NS, "circle");
      dot.setAttribute("cx", x.toFixed(1)); dot.setAttribute("cy", y.toFixed(1));
      dot.setAttribute("r", "6"); dot.setAttribute("fill", "#ffd23f");
      dot.setAttribute("class", "sat-dot"); dot.dataset.norad = s.norad_id;
      const label = document.createElementNS(NS, "text");
      // alternate above and below the dot: Azerspace-1 and -2 sit 1.3 deg apart
      const dy = shown++ % 2 ? 16 : -6;
      label.setAttribute("x", (x + 8).toFixed(1)); label.setAttribute("y", (y + dy).toFixed(1));
      label.setAttribute("font-size", "11"); label.setAttribute("fill", "#fff");
      label.textContent = s.satellite;
      dots.append(dot, label);
    }
    clock.textContent = localClock(data.time, box.dataset.zone);
    status.textContent = data.satellites.filter((s) => s.above_horizon).length + " above the horizon";
  } catch (error) {
    status.textContent = "cannot update: " + error.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("sky");
  const args = [box, document.getElementById("sky-dots"),
    document.querySelector("#sky-table tbody"), document.getElementById("sky-status"),
    document.getElementById("sky-time")];
  update(...args);
  setInterval(() => update(...args), 1000);
});
