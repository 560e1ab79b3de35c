/* "Copy" buttons: a button with data-copy="<id>" copies the value of the field with that
 * id and says so in the element with data-copy-status="<id>". The button is hidden until
 * this script runs, so a browser without it never offers a button that does nothing.
 * No inline code (the Content-Security-Policy allows only this site's scripts).
 */
(function () {
  "use strict";

  function say(id, text) {
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (status) { status.textContent = text; }
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var id = button.getAttribute("data-copy");
    var field = document.getElementById(id);
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { say(id, button.getAttribute("data-copied")); };
      var failed = function () {
        field.focus();
        field.select();
        say(id, button.getAttribute("data-copy-failed"));
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, failed);
        return;
      }
      field.select();
      try {
        if (document.execCommand("copy")) { done(); } else { failed(); }
      } catch (error) {
        failed();
      }
    });
  });
})();
