/* The check-in page's "Scan a code" button.
 *
 * Where the browser has the BarcodeDetector API (Chrome on Android, among others) and a
 * camera, the button shows; it reads a registration's QR code with the back camera. The
 * code holds this site's check-in address for that registration, which is opened; any
 * other text is searched for. Elsewhere the button stays hidden and the search box is the
 * way in. Nothing is loaded from elsewhere, and there is no inline code (the
 * Content-Security-Policy allows only this site's scripts).
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-check-in-search]");
  if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  var button = form.querySelector("[data-scan]");
  var video = form.querySelector("[data-scan-video]");
  var status = form.querySelector("[data-scan-status]");
  var input = form.querySelector('input[name="q"]');
  var label = button.textContent;
  var stream = null;
  var timer = null;
  var detector;
  try {
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  } catch (error) {
    return;
  }
  button.hidden = false;

  function stop() {
    if (timer) { window.clearTimeout(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); stream = null; }
    video.hidden = true;
    button.textContent = label;
  }

  function found(value) {
    stop();
    var url;
    try { url = new URL(value, window.location.href); } catch (error) { url = null; }
    if (url && url.origin === window.location.origin) {
      window.location.assign(url.href);
      return;
    }
    input.value = value;
    form.submit();
  }

  function look() {
    detector.detect(video).then(function (codes) {
      if (codes.length) { found(codes[0].rawValue); return; }
      timer = window.setTimeout(look, 250);
    }).catch(function () {
      timer = window.setTimeout(look, 500);
    });
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        button.textContent = button.getAttribute("data-scan-stop");
        status.textContent = "";
        return video.play();
      })
      .then(look)
      .catch(function () {
        stop();
        status.textContent = button.getAttribute("data-scan-failed");
        input.focus();
      });
  });
})();
