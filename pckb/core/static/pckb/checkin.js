// Check-in at the door: scan the QR code on a delegate's card with the phone camera (where the browser has
// the BarcodeDetector API), or type the code. Without JavaScript the form posts normally.
(function () {
  "use strict";
  var form = document.querySelector("[data-checkin-form]");
  if (!form) { return; }
  var input = form.querySelector("input[name=code]");
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form) { input.value = ""; input.focus(); }
  });
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  var button = form.querySelector("[data-scan]");
  var box = document.querySelector("[data-scanner]");
  var video = box.querySelector("video");
  var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  var stream = null;
  var last = "";
  button.hidden = false;

  function codeFrom(text) {
    var match = /\/ma\/([A-Z0-9]+)\/?/i.exec(text);
    return (match ? match[1] : text).trim().toUpperCase();
  }
  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    box.hidden = true;
  }
  function scan() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      if (codes.length) {
        var code = codeFrom(codes[0].rawValue);
        if (code && code !== last) {
          last = code;
          input.value = code;
          form.requestSubmit();
          window.setTimeout(function () { last = ""; }, 3000);
        }
      }
      window.requestAnimationFrame(scan);
    }).catch(function () { window.requestAnimationFrame(scan); });
  }
  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      video.srcObject = s;
      box.hidden = false;
      video.play();
      scan();
    }).catch(function () { button.hidden = true; });
  });
})();
