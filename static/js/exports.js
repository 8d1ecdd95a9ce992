// "My exports": rows of queued or running jobs poll their status and reload when one ends.
(function () {
  var rows = document.querySelectorAll("[data-export-status]");
  if (!rows.length) { return; }
  function poll() {
    var pending = 0;
    var requests = Array.prototype.map.call(rows, function (row) {
      return fetch(row.getAttribute("data-export-status"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          var bar = row.querySelector("[data-export-progress]");
          if (bar) { bar.value = job.progress; bar.textContent = job.progress + "%"; }
          row.querySelector("[data-export-state]").textContent = job.state_label;
          if (job.state === "queued" || job.state === "running") { pending += 1; }
        });
    });
    Promise.all(requests).then(function () {
      if (pending) { window.setTimeout(poll, 2000); } else { window.location.reload(); }
    }).catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1500);
})();
