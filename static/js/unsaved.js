/* Unsaved-change protection for long forms.
 *
 * A form marked `data-warn-unsaved` remembers what it held when the page loaded. If the
 * person changes it and then leaves the page any other way than by submitting that form
 * (a link, the back button, closing the tab), the browser asks first ("beforeunload").
 * Submitting the form, or putting every field back as it was, lets the page go quietly;
 * a form the server sent back with errors counts as changed until it is submitted.
 * Forms swapped in by htmx are watched too. No inline code: the Content-Security-Policy
 * allows only scripts from this site.
 */
(function () {
  "use strict";

  var SELECTOR = "form[data-warn-unsaved]";
  var submitting = false;

  function snapshot(form) {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.type === "submit" || field.type === "button") {
        return;
      }
      if (field.type === "file") {
        parts.push([field.name, Array.prototype.map.call(field.files || [], function (f) { return f.name; }).join("|")]);
      } else if (field.type === "checkbox" || field.type === "radio") {
        parts.push([field.name, field.value, field.checked]);
      } else if (field.tagName === "SELECT" && field.multiple) {
        parts.push([field.name, Array.prototype.filter.call(field.options, function (o) { return o.selected; }).map(function (o) { return o.value; })]);
      } else {
        parts.push([field.name, field.value]);
      }
    });
    return JSON.stringify(parts);
  }

  function watch(form) {
    if (form.dataset.warnUnsavedWatched) {
      return;
    }
    form.dataset.warnUnsavedWatched = "1";
    // A form sent back with errors holds what the person typed and did not save yet:
    // leaving it asks even before another change.
    form.__initialState = form.querySelector(".field--error, .error-summary")
      ? "" : snapshot(form);
    form.addEventListener("submit", function () {
      submitting = true;
    });
  }

  function watchAll(root) {
    if (root.matches && root.matches(SELECTOR)) {
      watch(root);
    }
    if (root.querySelectorAll) {
      Array.prototype.forEach.call(root.querySelectorAll(SELECTOR), watch);
    }
  }

  function changedForms() {
    return Array.prototype.filter.call(document.querySelectorAll(SELECTOR), function (form) {
      return typeof form.__initialState === "string" && snapshot(form) !== form.__initialState;
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (submitting || changedForms().length === 0) {
      return undefined;
    }
    event.preventDefault();
    event.returnValue = ""; // Chromium asks only when returnValue is set.
    return "";
  });

  // A page kept in the back-forward cache comes back with `submitting` still set.
  window.addEventListener("pageshow", function () {
    submitting = false;
  });

  // A submit that did not leave the page (an htmx request) leaves the form dirty if it
  // is still there: start again from what it holds now.
  document.addEventListener("htmx:afterRequest", function (event) {
    submitting = false;
    var form = event.target && event.target.closest ? event.target.closest(SELECTOR) : null;
    if (form && document.contains(form)) {
      form.__initialState = snapshot(form);
    }
  });
  document.addEventListener("htmx:load", function (event) {
    watchAll(event.target);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { watchAll(document); });
  } else {
    watchAll(document);
  }
})();
