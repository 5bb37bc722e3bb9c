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
    // A list's "select all" box ticks every row of the page (shown only where this script runs); the list
    // swaps its table in place (htmx), so the handler listens on the document.
    function showSelectAll() {
      document.querySelectorAll("[data-select-all]").forEach(function (box) { box.hidden = false; });
    }
    showSelectAll();
    document.body.addEventListener("htmx:afterSwap", showSelectAll);
    document.addEventListener("change", function (event) {
      var box = event.target;
      if (box.matches && box.matches("[data-select-all]")) {
        var table = box.closest("table");
        table.querySelectorAll('input[name="pk"]').forEach(function (row) { row.checked = box.checked; });
      } else if (box.matches && box.matches('table input[name="pk"]')) {
        var all = box.closest("table").querySelector("[data-select-all]");
        var rows = box.closest("table").querySelectorAll('input[name="pk"]');
        var ticked = Array.prototype.filter.call(rows, function (r) { return r.checked; }).length;
        if (all) { all.checked = ticked === rows.length; all.indeterminate = ticked > 0 && ticked < rows.length; }
      }
    });
    var summary = document.querySelector("[data-focus]");
    if (summary) { summary.focus(); }
  });
})();

// Date fields stay typed as dd/mm/yyyy [hh:mm] whatever the browser's language; a calendar button opens the
// browser's own picker and writes the chosen day (and time) back in that form.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function toIso(text, withTime) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?/.exec(text.trim());
    if (!m) { return ""; }
    var day = m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]);
    return withTime ? day + "T" + (m[4] ? pad(+m[4]) + ":" + m[5] : "08:00") : day;
  }
  function fromIso(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value);
    if (!m) { return ""; }
    return m[3] + "/" + m[2] + "/" + m[1] + (m[4] ? " " + m[4] + ":" + m[5] : "");
  }
  function enhance(input) {
    if (input.dataset.pickerReady) { return; }
    input.dataset.pickerReady = "1";
    var withTime = input.getAttribute("data-picker") === "datetime";
    var native = document.createElement("input");
    native.type = withTime ? "datetime-local" : "date";
    if (typeof native.showPicker !== "function") { return; }
    native.className = "date-picker-native";
    native.tabIndex = -1;
    native.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "date-picker-button";
    button.setAttribute("aria-label", input.getAttribute("data-picker-label"));
    button.title = input.getAttribute("data-picker-label");
    button.innerHTML = '<svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">' +
      '<rect x="2" y="4" width="16" height="14" fill="none" stroke="currentColor" stroke-width="2"/>' +
      '<path d="M2 8h16M6 2v4M14 2v4" stroke="currentColor" stroke-width="2"/></svg>';
    button.addEventListener("click", function () {
      native.value = toIso(input.value, withTime);
      try { native.showPicker(); } catch (e) { input.focus(); }
    });
    native.addEventListener("change", function () {
      if (native.value) {
        input.value = fromIso(native.value);
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    input.parentNode.appendChild(button);
    input.parentNode.appendChild(native);
  }
  function scan(root) { root.querySelectorAll("input[data-picker]").forEach(enhance); }
  if (document.readyState !== "loading") { scan(document); } else {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  }
  document.addEventListener("htmx:load", function (e) { scan(e.target); });
})();
