// The language switch submits itself when a language is picked; its button stays for browsers
// without JavaScript, and is hidden only once this script runs (no inline handlers: CSP).
document.querySelectorAll("form[data-language-switch]").forEach(function (form) {
  var select = form.querySelector("select[name=language]");
  var button = form.querySelector("[type=submit]");
  if (!select) { return; }
  if (button) { button.classList.add("d-none"); }
  select.addEventListener("change", function () { form.submit(); });
});
