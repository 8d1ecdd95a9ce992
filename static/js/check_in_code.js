// The projector page's rotating check-in code: asks the server for the current code (digits,
// QR code, seconds left) each time the shown one is about to change. No library, no CDN.
(function () {
  "use strict";
  var root = document.getElementById("check-in-projector");
  if (!root) {
    return;
  }
  var url = root.getAttribute("data-code-url");
  var code = root.querySelector("[data-role=code]");
  var qr = root.querySelector("[data-role=qr]");
  var left = root.querySelector("[data-role=left]");
  var link = root.querySelector("[data-role=url]");
  var secondsLeft = parseInt(root.getAttribute("data-seconds-left"), 10) || 1;

  function refresh() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        code.textContent = data.code;
        qr.src = data.qr;
        link.textContent = data.url;
        secondsLeft = data.seconds_left;
        left.textContent = secondsLeft;
      })
      .catch(function () {
        secondsLeft = 3; // the network blinked: try again shortly
      });
  }

  window.setInterval(function () {
    secondsLeft -= 1;
    if (secondsLeft <= 0) {
      secondsLeft = 30;
      refresh();
    }
    left.textContent = Math.max(secondsLeft, 0);
  }, 1000);
})();
