// The page of a one-tap link in a safety check's email ("I am safe", "I need help").
// Opening the link (a GET) records nothing, so mail scanners that open every link answer
// nobody; here a person's browser sends the answer at once by POST, so one tap in the
// email is the whole answer. Automated browsers (navigator.webdriver, a headless user
// agent) and pages not yet shown (prerendered, in the background) only show the button,
// and a page sent once is not sent again when the person comes back to it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-one-tap]");
  if (!form) {
    return;
  }
  if (navigator.webdriver || /Headless/i.test(navigator.userAgent)) {
    return;
  }
  var key = "one-tap:" + window.location.pathname;
  function send() {
    try {
      if (window.sessionStorage.getItem(key)) {
        return;
      }
      window.sessionStorage.setItem(key, "sent");
    } catch (e) {
      // No storage (a private window): send anyway, once for this page.
    }
    var status = form.querySelector("[data-one-tap-status]");
    var script = document.currentScript || document.querySelector("script[data-sending]");
    if (status && script && script.dataset.sending) {
      status.textContent = script.dataset.sending;
    }
    form.submit();
  }
  if (document.visibilityState === "visible") {
    send();
  } else {
    document.addEventListener("visibilitychange", function onShow() {
      if (document.visibilityState === "visible") {
        document.removeEventListener("visibilitychange", onShow);
        send();
      }
    });
  }
})();
