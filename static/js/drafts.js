// Server-side drafts of long forms (camp.drafts): a form marked data-draft-url is posted there
// a moment after its author stops typing, and every half minute while something is unsaved,
// so a dropped connection on a phone loses at most a few seconds of text. Nothing is ever put
// in the browser's storage: phones are shared and the text is personal. A draft that could not
// be sent is tried again with the next change, the next period or when the phone is back online.
(function () {
  "use strict";

  var QUIET_MS = 1500;
  var PERIOD_MS = 30000;

  function keep(form) {
    var status = form.querySelector("[data-draft-status]");
    var failed = form.getAttribute("data-draft-failed") || "";
    var dirty = false;
    var sending = false;
    var submitted = false;
    var timer = null;

    function say(text) {
      if (status) { status.textContent = text; }
    }

    function send() {
      if (!dirty || sending || submitted) { return; }
      sending = true;
      dirty = false;
      // Only the typed text: an attachment goes with the real submit, not every half minute.
      var body = new FormData(form);
      Array.from(body.keys()).forEach(function (name) {
        if (body.getAll(name).some(function (value) { return value instanceof File; })) {
          body.delete(name);
        }
      });
      fetch(form.getAttribute("data-draft-url"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (answer) {
          if (response.ok) {
            say(answer.message);
          } else {
            say(answer.error || failed);
          }
        });
      }).catch(function () {
        dirty = true;
        say(failed);
      }).then(function () {
        sending = false;
      });
    }

    function changed(event) {
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(send, QUIET_MS);
      // A folded remark shows in its header whether it holds text.
      var item = event.target.closest("[data-remark]");
      var badge = item && item.querySelector("[data-remark-filled]");
      if (badge) { badge.classList.toggle("d-none", !event.target.value.trim()); }
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      // The real save deletes the draft; nothing may bring it back afterwards.
      submitted = true;
      window.clearTimeout(timer);
    });
    window.setInterval(send, PERIOD_MS);
    window.addEventListener("online", send);
  }

  document.querySelectorAll("form[data-draft-url]").forEach(keep);
})();
