// Follows reports still being generated and shows their progress; without JS a reload shows the same.
(function () {
  const rows = document.querySelectorAll("tr[data-report][data-status='queued'], tr[data-report][data-status='running']");
  if (!rows.length) return;
  const poll = () => {
    let pending = 0;
    rows.forEach((row) => {
      if (row.dataset.status === "done" || row.dataset.status === "failed") return;
      pending += 1;
      fetch(`/api/v1/reports/${row.dataset.report}/`, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .then((report) => {
          if (!report) return;
          row.dataset.status = report.status;
          const progress = row.querySelector("progress");
          const text = row.querySelector(".progress-text");
          if (progress) { progress.max = report.progress_total || 1; progress.value = report.progress_done; }
          if (text) text.textContent = `${report.progress_done} of ${report.progress_total} houses`;
          if (report.status === "done" || report.status === "failed") window.location.reload();
        })
        .catch(() => {});
    });
    if (pending) window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 1500);
})();
