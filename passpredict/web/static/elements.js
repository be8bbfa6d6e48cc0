// The Elements page's refresh button (shown only with 'passpredict serve --allow-refresh').
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("refresh");
  const result = document.getElementById("refresh-result");
  button.addEventListener("click", async () => {
    button.disabled = true;
    result.textContent = "refreshing…";
    const answer = await fetch("/api/refresh", { method: "POST", headers: { "x-passpredict-refresh": "1" } });
    const data = await answer.json();
    if (!answer.ok || data.error) result.textContent = "failed: " + (data.error || answer.statusText);
    else if (data.nothing_to_do) result.textContent = "nothing to fetch yet; next allowed " + data.next_allowed_utc;
    else { result.textContent = data.new_sets + " new set(s)"; setTimeout(() => location.reload(), 800); }
    button.disabled = false;
  });
});
