/* The map page (Bảo vệ → Bản đồ): draws the GeoJSON of the data view over a plain background (or a LAN
 * tile server / a PMTiles basemap when configured). No inline script: the page passes URLs and texts in
 * data- attributes of #map. Above a few hundred targets in view the server sends grid cells with counts;
 * nearby points are clustered in the browser by leaflet.markercluster. Text is set with textContent only. */
(function () {
  "use strict";

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

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) {
      return values[key] !== undefined ? String(values[key]).replace(/\B(?=(\d{3})+(?!\d))/g, ".") : "";
    });
  }

  ready(function () {
    var root = document.getElementById("map");
    if (!root || !window.L) return;
    var L = window.L;
    var data = root.dataset;
    var status = document.getElementById("map-status");
    var colourSelect = document.querySelector("[data-map-colour]");
    var colour = data.colour || "category";
    var categoryClass = {};
    document.querySelectorAll(".legend-category [data-category]").forEach(function (swatch) {
      var match = swatch.className.match(/cat-\d+/);
      if (match) categoryClass[swatch.dataset.category] = match[0];
    });

    var hasBasemap = Boolean(data.tileUrl || (data.pmtilesUrl && window.protomapsL));
    var map = L.map(root, { minZoom: 4, maxZoom: 18, attributionControl: hasBasemap });
    map.setView([16.0, 106.5], 5);
    root.pckbMap = map; // for the benchmark's pan and zoom (bench/protection_map.py)
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom: 18, attribution: data.tileAttribution || "" }).addTo(map);
    } else if (data.pmtilesUrl && window.protomapsL) {
      window.protomapsL.leafletLayer({ url: data.pmtilesUrl, flavor: "light", lang: "vi" }).addTo(map);
    }

    var labels = L.layerGroup().addTo(map);
    var cells = L.layerGroup().addTo(map);
    var points = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 45,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: function (cluster) {
        return clusterIcon(cluster.getChildCount());
      },
    }).addTo(map);

    function clusterIcon(count) {
      var size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 44 : 52;
      var node = el("div", "map-cluster" + (count >= 1000 ? " size-l" : count >= 100 ? " size-m" : ""));
      node.appendChild(el("span", null, count.toLocaleString("vi-VN")));
      return L.divIcon({ html: node, className: "", iconSize: [size, size] });
    }

    function pointClass(props) {
      if (colour === "risk") return props.risk_level ? "risk-" + props.risk_level : "risk-none";
      return categoryClass[props.category] || "cat-6";
    }

    function popup(props) {
      var box = el("div", "map-popup");
      var link = el("a", null, props.name);
      link.href = props.url;
      box.appendChild(link);
      if (props.kind === "stop") {
        box.appendChild(el("span", "muted", data.tStop + ": " + props.time + " — " + props.venue));
        if (props.activity) box.appendChild(el("span", "muted", props.activity));
      } else {
        box.appendChild(el("span", "muted", props.category_name + " · " + props.protection_level_name));
        box.appendChild(
          el("span", "muted", data.tRisk + ": " + (props.risk_level ? ["I", "II", "III", "IV", "V"][props.risk_level - 1] : data.tUnassessed))
        );
        box.appendChild(el("span", "muted", props.unit));
      }
      if (props.approximate) box.appendChild(el("span", "muted", data.tApproximate));
      return box;
    }

    function marker(feature) {
      var props = feature.properties;
      var latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      var node;
      if (props.kind === "stop") node = el("div", "map-stop");
      else node = el("div", "map-point " + pointClass(props) + (props.approximate ? " approximate" : ""));
      var icon = L.divIcon({ html: node, className: "", iconSize: [18, 18] });
      var title = props.name + (props.approximate ? " (" + data.tApproximate + ")" : "");
      return L.marker(latlng, { icon: icon, title: title, alt: title, keyboard: true }).bindPopup(popup(props));
    }

    function cellMarker(feature) {
      var count = feature.properties.count;
      var latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      var title = format(data.tCluster, { count: count });
      var m = L.marker(latlng, { icon: clusterIcon(count), title: title, alt: title, keyboard: true });
      m.on("click", function () {
        map.setView(latlng, Math.min(map.getZoom() + 2, 18));
      });
      return m;
    }

    function labelMarker(label) {
      var node = el("span", "map-label-text", label.name);
      return L.marker([label.lat, label.lon], {
        icon: L.divIcon({ html: node, className: "map-label " + label.level, iconSize: null }),
        interactive: false,
        keyboard: false,
      });
    }

    var last = null;
    function draw(json) {
      last = json;
      points.clearLayers();
      cells.clearLayers();
      labels.clearLayers();
      var markers = [];
      json.features.forEach(function (feature) {
        if (feature.properties.kind === "cluster") cells.addLayer(cellMarker(feature));
        else markers.push(marker(feature));
      });
      points.addLayers(markers);
      (json.labels || []).forEach(function (label) {
        labels.addLayer(labelMarker(label));
      });
      if (status) {
        var template = json.clustered ? status.dataset.clustered : status.dataset.points;
        status.textContent = format(template, { targets: json.targets, stops: json.stops });
      }
      root.dataset.rendered = String(json.features.length);
      root.dataset.clustered = json.clustered ? "1" : "0";
    }

    var params = new URLSearchParams(window.location.search);
    params.delete("mau");
    var controller = null;
    var timer = null;

    function load(withBounds) {
      var query = new URLSearchParams(params);
      query.set("zoom", String(map.getZoom()));
      if (withBounds) {
        var b = map.getBounds().pad(0.25);
        query.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
          return v.toFixed(5);
        }).join(","));
      }
      if (controller) controller.abort();
      controller = new AbortController();
      if (status) status.textContent = status.dataset.loading;
      return fetch(data.url + "?" + query.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/geo+json" },
        signal: controller.signal,
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (json) {
          draw(json);
          return json;
        })
        .catch(function (error) {
          if (error.name !== "AbortError" && status) status.textContent = status.dataset.error;
        });
    }

    function bounds(json) {
      var latlngs = json.features.map(function (f) {
        return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      });
      return latlngs.length ? L.latLngBounds(latlngs) : null;
    }

    // First view: everything the user may see at the national zoom, then fit the map to it.
    load(false).then(function (json) {
      var fit = json && bounds(json);
      if (fit && fit.isValid()) map.fitBounds(fit.pad(0.1), { maxZoom: 13, animate: false });
      map.on("moveend", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          load(true);
        }, 200);
      });
      if (fit && fit.isValid()) load(true);
    });

    if (colourSelect) {
      colourSelect.addEventListener("change", function () {
        colour = colourSelect.value;
        document.querySelector(".legend-category").hidden = colour === "risk";
        document.querySelector(".legend-risk").hidden = colour !== "risk";
        var url = new URL(window.location.href);
        url.searchParams.set("mau", colour);
        window.history.replaceState(null, "", url);
        if (last) draw(last);
      });
    }
  });
})();
