// The live roll-call board: every few seconds, one small JSON request, and the three lists
// redrawn. Plain fetch: gunicorn's workers are synchronous, so no long-lived connections.
(function () {
  "use strict";
  var root = document.getElementById("roll-call-board");
  if (!root) {
    return;
  }
  var url = root.getAttribute("data-url");
  var seconds = parseInt(root.getAttribute("data-poll-seconds"), 10) || 5;

  function draw(board) {
    ["checked_in", "on_leave", "missing"].forEach(function (column) {
      var list = root.querySelector("[data-list=" + column + "]");
      var count = root.querySelector("[data-count=" + column + "]");
      count.textContent = board.counts[column];
      list.replaceChildren();
      board[column].forEach(function (row) {
        var item = document.createElement("li");
        item.className = "list-group-item small";
        item.textContent = row.name + (row.at ? " " + row.at : "");
        list.appendChild(item);
      });
    });
  }

  window.setInterval(function () {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (board) {
        if (board) {
          draw(board);
        }
      })
      .catch(function () {});
  }, seconds * 1000);
})();
