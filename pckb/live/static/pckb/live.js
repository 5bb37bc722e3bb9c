// PCKB Hub — live regions over Server-Sent Events (pckb.live). Pages work without this file.
//
// An element with data-live-stream="<SSE url>" opens one EventSource. Each event names its kind
// ("notification.created"); every region inside it — data-live-region data-live-url="<fragment url>",
// optionally data-live-kinds="notification incident.log" (a kind or a prefix before a dot) — re-fetches its
// fragment and replaces its content. The browser's EventSource reconnects by itself and sends
// Last-Event-ID, so the server replays what was missed. No polling loop; no eval; no inline script.
(function () {
  "use strict";
  var DEBOUNCE_MS = 150;

  function kindsOf(el) {
    var raw = el.getAttribute("data-live-kinds");
    return raw ? raw.split(/\s+/).filter(Boolean) : null;
  }

  function wants(region, kind) {
    var kinds = kindsOf(region);
    if (!kinds) { return true; }
    return kinds.some(function (k) { return kind === k || kind.indexOf(k + ".") === 0; });
  }

  function refresh(region) {
    var url = region.getAttribute("data-live-url");
    if (!url) { return; }
    if (region.pckbLiveBusy) { region.pckbLiveAgain = true; return; }
    region.pckbLiveBusy = true;
    region.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "HX-Request": "true" } })
      .then(function (response) {
        // A signed-out user is sent to the login page: never paste that into a region.
        if (!response.ok || response.redirected) { throw new Error("live fragment " + response.status); }
        return response.text();
      })
      .then(function (html) {
        region.innerHTML = html;
        if (window.htmx && typeof window.htmx.process === "function") { window.htmx.process(region); }
        region.dispatchEvent(new CustomEvent("pckb:live-refreshed", { bubbles: true }));
      })
      .catch(function () { /* the next event, or a reload, brings the region up to date */ })
      .then(function () {
        region.pckbLiveBusy = false;
        region.removeAttribute("aria-busy");
        if (region.pckbLiveAgain) { region.pckbLiveAgain = false; refresh(region); }
      });
  }

  function schedule(region) {
    // Several events in a burst (a plan activated: many steps) cost one fetch.
    if (region.pckbLiveTimer) { return; }
    region.pckbLiveTimer = window.setTimeout(function () {
      region.pckbLiveTimer = null;
      refresh(region);
    }, DEBOUNCE_MS);
  }

  function regionsOf(root) {
    var found = Array.prototype.slice.call(root.querySelectorAll("[data-live-region]"));
    if (root.hasAttribute("data-live-region")) { found.unshift(root); }
    // A region belongs to its nearest stream only.
    return found.filter(function (region) { return region.closest("[data-live-stream]") === root; });
  }

  function connect(root) {
    var url = root.getAttribute("data-live-stream");
    if (!url || !window.EventSource || root.pckbLiveSource) { return; }
    var source = new EventSource(url, { withCredentials: true });
    root.pckbLiveSource = source;
    root.setAttribute("data-live-state", "connecting");
    source.onopen = function () { root.setAttribute("data-live-state", "open"); };
    source.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (err) { return; }
      if (!message || typeof message.kind !== "string") { return; }
      root.dispatchEvent(new CustomEvent("pckb:live", { detail: message, bubbles: true }));
      regionsOf(root).forEach(function (region) {
        if (message.kind === "live.reset" || wants(region, message.kind)) { schedule(region); }
      });
    };
    // The server ends the stream when the session has expired or the object is no longer visible.
    source.addEventListener("end", function () {
      source.close();
      root.setAttribute("data-live-state", "closed");
    });
    source.onerror = function () {
      root.setAttribute("data-live-state", source.readyState === EventSource.CLOSED ? "closed" : "connecting");
    };
  }

  function start() {
    document.querySelectorAll("[data-live-stream]").forEach(connect);
  }

  if (document.readyState !== "loading") { start(); } else { document.addEventListener("DOMContentLoaded", start); }
  window.addEventListener("pagehide", function () {
    document.querySelectorAll("[data-live-stream]").forEach(function (root) {
      if (root.pckbLiveSource) { root.pckbLiveSource.close(); root.pckbLiveSource = null; }
    });
  });
  window.addEventListener("pageshow", function (event) { if (event.persisted) { start(); } });
}());
