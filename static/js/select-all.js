/* "Select all" for a list's bulk actions: a checkbox with data-select-all="<name>" ticks
 * or clears every checkbox named <name> in its form, and shows "some" (indeterminate)
 * when only some are ticked. Listens on the document, so rows swapped in by htmx work
 * too. The box is hidden until this script runs (a browser without it never offers a box
 * that does nothing). No inline code: the Content-Security-Policy allows only this
 * site's scripts.
 */
(function () {
  "use strict";

  function boxes(all) {
    var name = all.getAttribute("data-select-all");
    var scope = all.form || document;
    return Array.prototype.filter.call(
      scope.querySelectorAll('input[type="checkbox"]'),
      function (box) { return box.name === name; }
    );
  }

  function reflect(all) {
    var rows = boxes(all);
    var ticked = rows.filter(function (box) { return box.checked; }).length;
    all.checked = rows.length > 0 && ticked === rows.length;
    all.indeterminate = ticked > 0 && ticked < rows.length;
  }

  function show() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-select-all]"), function (all) {
      all.hidden = false;
      reflect(all);
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement)) { return; }
    if (target.hasAttribute("data-select-all")) {
      boxes(target).forEach(function (box) { box.checked = target.checked; });
      target.indeterminate = false;
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-select-all]"), function (all) {
      if (all.getAttribute("data-select-all") === target.name) { reflect(all); }
    });
  });

  document.addEventListener("htmx:afterSwap", show);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", show);
  } else {
    show();
  }
})();
