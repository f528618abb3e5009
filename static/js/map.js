// The directory's map: the filtered resources as markers on the GSI standard map (or
// the tile server the site sets), grouped into clusters where they are dense; each
// popup links to the resource. The list under the map holds the same resources, so
// nothing depends on the map (or on the tiles loading).
(function () {
  "use strict";
  var holder = document.getElementById("resource-map");
  var data = document.getElementById("map-points");
  if (!holder || !data || !window.L) { return; }
  var points = JSON.parse(data.textContent);
  var map = L.map(holder, { scrollWheelZoom: false });
  L.tileLayer(holder.dataset.tileUrl, {
    attribution: holder.dataset.attribution,
    maxZoom: 18,
  }).addTo(map);
  var detail = holder.dataset.detailUrl;
  var cluster = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.layerGroup();

  function popup(point) {
    // Built as elements, never as HTML text: names come from people.
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = detail.replace(/0\/$/, point.id + "/");
    link.textContent = point.name;
    box.appendChild(link);
    var meta = document.createElement("div");
    meta.textContent = point.kind + (point.place ? "・" + point.place : "");
    box.appendChild(meta);
    return box;
  }

  points.forEach(function (point) {
    var marker = L.marker([point.lat, point.lng], { title: point.name, alt: point.name });
    marker.bindPopup(popup(point));
    cluster.addLayer(marker);
  });
  map.addLayer(cluster);
  if (points.length) {
    map.fitBounds(L.latLngBounds(points.map(function (p) { return [p.lat, p.lng]; })), { padding: [48, 48], maxZoom: 15 });
  } else {
    map.setView([36.2, 138.25], 5); // Japan
  }
  holder.dataset.ready = "true";
})();
