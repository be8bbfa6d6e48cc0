// Sort the passes table by a click on a column heading (values from the rows' data-*).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const table = document.getElementById("passes");
  if (!table) return;
  const body = table.tBodies[0];
  table.querySelectorAll("th[data-key]").forEach((th) => {
    th.addEventListener("click", () => {
      const key = th.dataset.key;
      const numeric = th.dataset.type === "number";
      const ascending = !th.classList.contains("sorted-asc");
      table.querySelectorAll("th").forEach((h) => h.classList.remove("sorted-asc", "sorted-desc"));
      th.classList.add(ascending ? "sorted-asc" : "sorted-desc");
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = a.dataset[key] || "", y = b.dataset[key] || "";
        const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach((row) => body.appendChild(row));
    });
  });
});
