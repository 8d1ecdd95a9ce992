/* Searchable pickers: progressive enhancement of plain <select>s with the vendored Tom Select.
   A select marked data-searchable, or any with more than 20 options, becomes one where typing
   a name, a fragment of it or its pinyin initials (the option's data-initials, stored by the
   server) finds it. Without JavaScript, or if Tom Select failed to load, the plain select works
   as it always did. A long list of checkboxes (more than 20) gets a filter box above it. */
(function () {
  "use strict";
  var MANY = 20;

  function enhanceSelect(select) {
    if (select.tomselect || select.hasAttribute("data-plain")) { return; }
    if (!select.hasAttribute("data-searchable") && select.options.length <= MANY) { return; }
    var lang = document.documentElement.lang || "zh-hans";
    var chinese = lang.indexOf("zh") === 0;
    // Tom Select moves the label to its own input and keeps the select for the form: the select
    // keeps the label's words as its name, so assistive technology still knows what it is.
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label && !select.hasAttribute("aria-label")) {
      select.setAttribute("aria-label", label.textContent.trim());
    }
    new window.TomSelect(select, {
      searchField: ["text", "initials"],
      maxOptions: null,
      allowEmptyOption: true,
      create: false,
      plugins: select.multiple ? ["remove_button"] : [],
      render: {
        no_results: function () {
          return '<div class="no-results">' + (chinese ? "没有匹配的选项" : "No match") + "</div>";
        }
      }
    });
  }

  function filterCheckboxes(container) {
    var boxes = container.querySelectorAll(".form-check");
    if (boxes.length <= MANY || container.querySelector("[data-checkbox-filter]")) { return; }
    var lang = document.documentElement.lang || "zh-hans";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-2";
    input.setAttribute("data-checkbox-filter", "");
    input.setAttribute("autocomplete", "off");
    input.placeholder = lang.indexOf("zh") === 0 ? "输入姓名或拼音首字母筛选" : "Filter by name or initials";
    input.setAttribute("aria-label", input.placeholder);
    boxes[0].parentNode.insertBefore(input, boxes[0]);
    input.addEventListener("input", function () {
      var typed = input.value.trim().toLowerCase();
      boxes.forEach(function (box) {
        var text = box.textContent.toLowerCase();
        var initials = (box.querySelector("input") || box).getAttribute("data-initials") || "";
        var shown = !typed || text.indexOf(typed) !== -1 || initials.indexOf(typed) !== -1;
        box.classList.toggle("d-none", !shown);
      });
    });
  }

  function enhance(root) {
    if (window.TomSelect) {
      root.querySelectorAll("select").forEach(enhanceSelect);
    }
    var seen = new Set();
    root.querySelectorAll(".form-check").forEach(function (box) {
      var parent = box.parentNode;
      if (!seen.has(parent)) { seen.add(parent); filterCheckboxes(parent); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
})();
