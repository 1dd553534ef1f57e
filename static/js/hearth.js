// Small progressive enhancements; every page works without them.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select) select.form.requestSubmit();
});

// A menu behind <details data-menu> closes on Escape (focus back on its summary) and on a click outside it.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const menu = document.querySelector("details[data-menu][open]");
  if (!menu) return;
  menu.open = false;
  menu.querySelector("summary").focus();
});
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details[data-menu][open]")) {
    if (!menu.contains(event.target)) menu.open = false;
  }
});

// A part of a form that applies to some answers only (data-show-when="field name", data-show-for="answers") hides
// for the others. The server ignores what it does not use, so the form works the same without this.
const showDependents = (form) => {
  const data = new FormData(form);
  for (const part of form.querySelectorAll("[data-show-when]")) {
    part.hidden = !part.dataset.showFor.split(" ").includes(data.get(part.dataset.showWhen) ?? "");
  }
};
for (const form of document.querySelectorAll("form")) {
  if (form.querySelector("[data-show-when]")) showDependents(form);
}
document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (form && form.querySelector("[data-show-when]")) showDependents(form);
});

// A motion's live count (<p data-live-count="API url">): refreshed every few seconds while the vote is open, so the
// chair sees members' votes arrive from their phones. Without script the count is as of the page's loading.
for (const count of document.querySelectorAll("[data-live-count]")) {
  const refresh = async () => {
    const response = await fetch(count.dataset.liveCount, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const motion = await response.json();
    for (const choice of ["for", "against", "abstain"]) {
      const cell = count.querySelector(`[data-count="${choice}"]`);
      if (cell) cell.textContent = motion.count[choice];
    }
    if (motion.outcome === "open") setTimeout(refresh, 4000);
  };
  setTimeout(refresh, 4000);
}
