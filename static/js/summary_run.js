// Polls a monthly summary run's JSON status and updates the page until the run has finished.
(function () {
  "use strict";
  var root = document.getElementById("summary-run");
  var initial = document.getElementById("summary-run-status");
  if (!root || !initial) {
    return;
  }
  var url = root.getAttribute("data-status-url");
  var state = root.querySelector("[data-role=state]");
  var error = root.querySelector("[data-role=error]");
  var bar = root.querySelector("[data-role=bar]");
  var liveNote = root.querySelector("[data-role=live-note]");
  var finishedNote = root.querySelector("[data-role=finished-note]");

  function show(status) {
    state.textContent = status.state_label;
    var failed = status.state === "failed" || status.stale;
    error.textContent = failed ? status.error : "";
    bar.style.width = status.progress + "%";
    bar.textContent = status.progress + "%";
    bar.parentNode.setAttribute("aria-valuenow", String(status.progress));
    bar.classList.toggle("bg-danger", failed);
    bar.classList.toggle("bg-success", status.state === "done");
    // A finished run no longer claims that the page keeps refreshing.
    liveNote.hidden = status.finished;
    finishedNote.hidden = !status.finished;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (status) {
        if (!status) {
          window.setTimeout(poll, 5000);
          return;
        }
        show(status);
        if (!status.finished) {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  var status = JSON.parse(initial.textContent);
  show(status);
  if (!status.finished) {
    window.setTimeout(poll, 1000);
  }
})();
