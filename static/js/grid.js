// The score grid by keyboard alone: ↓ or Enter goes to the next cell, ↑ or Shift+Enter to the
// one before, as in a spreadsheet. Enter never submits the grid from a cell by accident: past
// the last cell it lands on the save button, where a second Enter saves. From the reason
// field, Enter goes to the first cell.
(function () {
  "use strict";

  document.querySelectorAll("form[data-grid-keys]").forEach(function (form) {
    var cells = Array.prototype.slice.call(form.querySelectorAll("[data-grid-cell]"));
    var save = form.querySelector("[data-grid-save]");
    var reason = form.querySelector("[data-grid-reason]");

    function go(index) {
      var target = index >= cells.length ? save : cells[Math.max(index, 0)];
      if (!target) { return; }
      target.focus();
      if (target.select) { target.select(); }
    }

    if (reason) {
      reason.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          go(0);
        }
      });
    }
    cells.forEach(function (cell, index) {
      cell.addEventListener("keydown", function (event) {
        var back = event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey);
        var next = event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey);
        if (!back && !next) { return; }
        event.preventDefault();
        go(back ? index - 1 : index + 1);
      });
    });
  });
})();
