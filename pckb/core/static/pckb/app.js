// PCKB Hub — small progressive enhancements. Pages work without this file.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // A test's countdown: the page gives the seconds left and the words in the page's language.
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var end = Date.now() + 1000 * parseInt(el.getAttribute("data-deadline"), 10);
      var warned = false;
      var live = document.createElement("span");
      live.className = "countdown-left";
      el.appendChild(document.createTextNode(" "));
      el.appendChild(live);
      function tick() {
        var left = Math.max(0, Math.round((end - Date.now()) / 1000));
        var mm = Math.floor(left / 60), ss = left % 60;
        var time = mm + ":" + (ss < 10 ? "0" : "") + ss;
        if (left === 0) {
          live.textContent = el.getAttribute("data-ended");
          el.setAttribute("aria-live", "assertive");
          el.classList.add("countdown-ended");
          return;
        }
        live.textContent = el.getAttribute("data-left").replace("{time}", time);
        if (left <= 60 && !warned) {
          warned = true;
          el.classList.add("countdown-warning");
          el.setAttribute("aria-live", "polite");
          live.textContent += " " + el.getAttribute("data-last-minute");
        }
        window.setTimeout(tick, 1000);
      }
      tick();
    });
    var summary = document.querySelector("[data-focus]");
    if (summary) { summary.focus(); }
  });
})();
