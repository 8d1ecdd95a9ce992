// Work that takes more than a moment shows that it is under way (no inline script: CSP).
//
// - A form marked data-busy="正在生成…" disables its submit button on submit and shows a spinner
//   with that text, so nobody clicks twice or wonders whether anything happens.
// - A link marked data-busy (a workbook download) does the same while the server builds the
//   file: the file is fetched here and handed to the browser when it is ready. Anything but a
//   file (a message page, a refusal) is opened as an ordinary link would be.
(function () {
  "use strict";

  function start(control, text) {
    control.setAttribute("data-busy-label", control.innerHTML);
    control.classList.add("disabled");
    control.setAttribute("aria-disabled", "true");
    control.setAttribute("aria-busy", "true");
    if (control.tagName === "BUTTON") { control.disabled = true; }
    var spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm me-1";
    spinner.setAttribute("aria-hidden", "true");
    var label = document.createElement("span");
    label.setAttribute("role", "status");
    label.textContent = text;
    control.replaceChildren(spinner, label);
  }

  function stop(control) {
    var saved = control.getAttribute("data-busy-label");
    if (saved === null) { return; }
    control.innerHTML = saved;
    control.removeAttribute("data-busy-label");
    control.classList.remove("disabled");
    control.removeAttribute("aria-disabled");
    control.removeAttribute("aria-busy");
    if (control.tagName === "BUTTON") { control.disabled = false; }
  }

  function filenameOf(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var encoded = /filename\*=utf-8''([^;]+)/i.exec(header);
    if (encoded) { return decodeURIComponent(encoded[1]); }
    var plain = /filename="?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : "";
  }

  function save(blob, filename) {
    var url = URL.createObjectURL(blob);
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = filename;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter || form.querySelector("[type=submit]");
      if (!button || button.getAttribute("data-busy-label") !== null) { return; }
      // After the browser has taken the button's name and value into the submission.
      window.setTimeout(function () { start(button, form.getAttribute("data-busy")); }, 0);
    });
  });

  document.querySelectorAll("a[data-busy]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      if (link.getAttribute("data-busy-label") !== null) { return; }
      start(link, link.getAttribute("data-busy"));
      // A redirect (no data for the month, say) is followed by the page itself, not here, so
      // that the message it carries is shown rather than used up by this request.
      fetch(link.href, { credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          var filename = filenameOf(response);
          if (!response.ok || !filename) {
            window.location.assign(link.href);
            return null;
          }
          return response.blob().then(function (blob) { save(blob, filename); });
        })
        .catch(function () { window.location.assign(link.href); })
        .finally(function () { stop(link); });
    });
  });

  // Coming back to a page from the browser's history shows it as it was left: ready again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("[data-busy-label]").forEach(stop);
  });
})();
