/* The incident map (Ứng phó → Sự cố → Bản đồ): draws the incident and the nearby key targets from the data
 * view (GeoJSON) over a plain background, and the safety circles of the reference-table row chosen in
 * #id_bang (L.circle, radii in metres from the option's data-rings). No inline script: URLs and texts come
 * from data- attributes of #incident-map; text is set with textContent only. */
(function () {
  "use strict";

  var COLOURS = ["#b00020", "#e08a00", "#6a3d9a"];

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function metres(value) {
    return value >= 1000 ? (value / 1000).toLocaleString("vi-VN", { maximumFractionDigits: 2 }) + " km" : value + " m";
  }

  ready(function () {
    var root = document.getElementById("incident-map");
    if (!root || !window.L) return;
    var L = window.L;
    var data = root.dataset;
    var status = document.getElementById("incident-map-status");
    var tableSelect = document.getElementById("id_bang");
    var radiusSelect = document.getElementById("id_ban_kinh");
    var ringPanel = document.getElementById("incident-map-rings");
    var ringList = document.getElementById("incident-map-ring-list");
    var centre = [parseFloat(data.lat), parseFloat(data.lon)];

    var map = L.map(root, { minZoom: 4, maxZoom: 19, attributionControl: false });
    map.setView(centre, 14);
    root.pckbMap = map;
    var circles = L.layerGroup().addTo(map);
    var points = L.layerGroup().addTo(map);

    function popup(props) {
      var box = el("div", "map-popup");
      if (props.kind === "incident") {
        box.appendChild(el("strong", null, data.tIncident));
        box.appendChild(el("span", "muted", props.name));
        if (props.place) box.appendChild(el("span", "muted", props.place));
      } else {
        var link = el("a", null, props.name);
        link.href = props.url;
        box.appendChild(link);
        box.appendChild(el("span", "muted", props.category_name + " · " + props.protection_level_name));
        box.appendChild(el("span", "muted", data.tDistance + ": " + metres(props.distance_m)));
      }
      if (props.approximate) box.appendChild(el("span", "muted", data.tApproximate));
      return box;
    }

    function marker(feature) {
      var props = feature.properties;
      var latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      var incident = props.kind === "incident";
      var node = el("div", (incident ? "map-incident" : "map-point cat-0") + (props.approximate ? " approximate" : ""));
      var size = incident ? [22, 22] : [18, 18];
      var title = (incident ? data.tIncident + ": " : "") + props.name + (props.approximate ? " (" + data.tApproximate + ")" : "");
      return L.marker(latlng, {
        icon: L.divIcon({ html: node, className: "", iconSize: size }),
        title: title,
        alt: title,
        keyboard: true,
        zIndexOffset: incident ? 1000 : 0,
      }).bindPopup(popup(props));
    }

    function drawRings() {
      circles.clearLayers();
      while (ringList.firstChild) ringList.removeChild(ringList.firstChild);
      var option = tableSelect && tableSelect.selectedOptions[0];
      var rings = option && option.dataset.rings ? JSON.parse(option.dataset.rings) : [];
      document.querySelectorAll("[data-source-table]").forEach(function (block) {
        block.classList.toggle("chosen", Boolean(option && option.dataset.table === block.dataset.sourceTable));
      });
      ringPanel.hidden = rings.length === 0;
      // Largest first, so that the smaller circles stay on top and clickable.
      rings
        .map(function (ring, index) {
          return { ring: ring, colour: COLOURS[index % COLOURS.length], index: index };
        })
        .sort(function (a, b) {
          return b.ring.r - a.ring.r;
        })
        .forEach(function (item) {
          var label = item.ring.label + ": " + metres(item.ring.r);
          L.circle(centre, {
            radius: item.ring.r,
            color: item.colour,
            weight: 2,
            fillOpacity: 0.08,
            className: "safety-ring safety-ring-" + item.ring.kind,
          })
            .bindTooltip(label)
            .addTo(circles);
        });
      rings.forEach(function (ring, index) {
        var li = el("li");
        li.appendChild(el("span", "swatch ring-" + (index % COLOURS.length)));
        li.lastChild.setAttribute("aria-hidden", "true");
        li.appendChild(el("span", null, ring.label + ": " + metres(ring.r)));
        ringList.appendChild(li);
      });
      root.dataset.rings = String(rings.length);
      var outer = circles.getLayers()[0]; // the largest circle: fit the view to it
      if (outer) map.fitBounds(outer.getBounds(), { animate: false });
    }

    function load() {
      var query = new URLSearchParams();
      if (radiusSelect) query.set("ban_kinh", radiusSelect.value);
      if (status) status.textContent = status.dataset.loading;
      return fetch(data.url + "?" + query.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/geo+json" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (json) {
          points.clearLayers();
          json.features.forEach(function (feature) {
            points.addLayer(marker(feature));
          });
          if (status) {
            status.textContent = status.dataset.done
              .replace("{targets}", String(json.targets || 0))
              .replace("{radius}", String(json.radius_km));
          }
          root.dataset.rendered = String(json.features.length);
        })
        .catch(function () {
          if (status) status.textContent = status.dataset.error;
        });
    }

    if (tableSelect) tableSelect.addEventListener("change", drawRings);
    drawRings();
    load();
  });
})();
