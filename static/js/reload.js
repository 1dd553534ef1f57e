// A page waiting on something outside it (a payment Stripe is still confirming) reloads itself after
// data-reload-after seconds, until it has an answer.
(function () {
  const waiting = document.querySelector("[data-reload-after]");
  if (!waiting) return;
  window.setTimeout(() => window.location.reload(), Number(waiting.dataset.reloadAfter) * 1000);
})();
