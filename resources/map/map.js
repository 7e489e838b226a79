/* IOC Console map page API (window.iocMap).
 *
 * Python renders the page once with folium and then only calls these functions through
 * runJavaScript with JSON data, in batches. Every backend string is untrusted: it reaches the
 * DOM through textContent only, never through innerHTML or a Leaflet string content.
 */
"use strict";
(function () {
  const PRIORITY_COLORS = { critical: "#ef4444", high: "#f97316", medium: "#eab308", low: "#3b82f6" };
  const CAMERA_COLORS = { online: "#22c55e", offline: "#6b7280" };
  const DISTRICT_STYLE = { color: "#8b949e", weight: 1, opacity: 0.8, fillColor: "#1f2630", fillOpacity: 0.35 };
  const OVERLAY_STYLE = { color: "#58a6ff", weight: 1.5, opacity: 0.8, fillOpacity: 0.15 };
  const FIT_PADDING = 16;

  let map = null;
  let labels = {};
  let autoFit = false;
  let fitTo = "districts";
  let bridge = null;
  const pendingClicks = [];
  const geoLayers = {}; // layer id -> L.GeoJSON
  const markers = { camera: new Map(), incident: new Map() }; // id -> L.CircleMarker
  const groups = {};

  function label(group, value) {
    return (labels[group] && labels[group][value]) || value;
  }

  // Rows of [cssClass, text] -> an element whose text is set with textContent only.
  function textBox(rows) {
    const box = document.createElement("div");
    for (const [cls, text] of rows) {
      if (text === undefined || text === null || text === "") continue;
      const row = document.createElement("div");
      row.className = cls;
      row.textContent = String(text);
      box.appendChild(row);
    }
    return box;
  }

  const KINDS = {
    camera: {
      style: (c) => ({
        radius: 6, color: "#0d1117", weight: 1, fillOpacity: 0.95,
        fillColor: CAMERA_COLORS[c.status] || "#8b949e",
      }),
      tooltip: (c) => [["ioc-title", c.name]],
      popup: (c) => [["ioc-title", c.name], ["ioc-meta", label("camera", c.status)], ["ioc-meta", c.district]],
    },
    incident: {
      style: (i) => ({
        radius: 7, color: "#0d1117", weight: 1,
        fillColor: PRIORITY_COLORS[i.priority] || "#8b949e",
        fillOpacity: i.status === "resolved" ? 0.35 : 0.95,
      }),
      tooltip: (i) => [["ioc-title", i.title]],
      popup: (i) => [
        ["ioc-title", i.title],
        ["ioc-meta", label("priority", i.priority) + " · " + label("status", i.status)],
        ["ioc-meta", label("category", i.category)],
        ["ioc-meta", i.district],
      ],
    },
  };

  const tooltipOf = (m) => textBox(KINDS[m.iocKind].tooltip(m.iocData));
  const popupOf = (m) => textBox(KINDS[m.iocKind].popup(m.iocData));

  function sendClick(kind, id) {
    if (bridge) bridge.markerClicked(kind, id);
    else pendingClicks.push([kind, id]); // the channel handshake is async: deliver later
  }

  function onMarkerClick(e) {
    sendClick(e.target.iocKind, e.target.iocData.id);
  }

  function upsert(kind, list) {
    const byId = markers[kind];
    for (const d of list) {
      let m = byId.get(d.id);
      if (m) {
        m.iocData = d;
        m.setLatLng([d.lat, d.lon]);
        m.setStyle(KINDS[kind].style(d));
        if (m.isPopupOpen()) m.getPopup().update();
        if (m.isTooltipOpen()) m.getTooltip().update();
        continue;
      }
      m = L.circleMarker([d.lat, d.lon], KINDS[kind].style(d));
      m.iocKind = kind;
      m.iocData = d;
      m.bindTooltip(tooltipOf, { direction: "top", offset: [0, -6] });
      m.bindPopup(popupOf);
      m.on("click", onMarkerClick);
      byId.set(d.id, m);
      groups[kind].addLayer(m);
    }
    maybeFit();
  }

  function replace(kind, list) {
    groups[kind].clearLayers();
    markers[kind].clear();
    upsert(kind, list);
  }

  // One canvas draws everything: keep geography at the back and incidents on top, so the
  // topmost hit (what a click picks) is a marker rather than the polygon under it.
  function restack() {
    for (const [id, layer] of Object.entries(geoLayers)) if (id !== "districts") layer.bringToFront();
    groups.camera.bringToFront();
    groups.incident.bringToFront();
    if (geoLayers.districts) geoLayers.districts.bringToBack();
  }

  function setGeoJson(layerId, collection) {
    if (geoLayers[layerId]) map.removeLayer(geoLayers[layerId]);
    delete geoLayers[layerId];
    if (!collection) return;
    const base = layerId === "districts";
    const layer = L.geoJSON(null, {
      style: () => (base ? DISTRICT_STYLE : OVERLAY_STYLE),
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 3, weight: 0, fillColor: "#d29922", fillOpacity: 0.9 }),
      onEachFeature: (f, l) => {
        const name = f.properties && f.properties.name;
        if (name !== undefined && name !== null) l.bindTooltip(() => textBox([["ioc-title", name]]), { sticky: true });
      },
    });
    const features = Array.isArray(collection.features) ? collection.features : [collection];
    let skipped = 0;
    for (const feature of features) {
      try {
        layer.addData(feature);
      } catch (err) {
        skipped += 1; // one malformed feature from a backend must not hide the whole layer
      }
    }
    if (skipped) console.warn("iocMap: skipped " + skipped + " invalid features in layer " + layerId);
    geoLayers[layerId] = layer.addTo(map);
    restack();
    maybeFit();
  }

  // Fit once to the first data that has bounds; after that (or once the operator has touched
  // the map) the view is the operator's and is never moved by data.
  function maybeFit() {
    // A hidden or still tiny map cannot fit (Leaflet's zoom goes NaN): fit on a later resize.
    const size = map.getSize();
    if (!autoFit || Math.min(size.x, size.y) <= 4 * FIT_PADDING) return;
    const bounds = L.latLngBounds([]);
    if (fitTo === "districts") {
      if (geoLayers.districts) bounds.extend(geoLayers.districts.getBounds());
    } else {
      bounds.extend(groups.camera.getBounds()).extend(groups.incident.getBounds());
    }
    if (!bounds.isValid()) return;
    autoFit = false;
    map.fitBounds(bounds, { padding: [FIT_PADDING, FIT_PADDING], animate: false });
  }

  function attach(leafletMap, options) {
    map = leafletMap;
    labels = options.labels || {};
    autoFit = Boolean(options.autoFit);
    fitTo = options.fitTo || "districts";
    groups.camera = L.featureGroup().addTo(map);
    groups.incident = L.featureGroup().addTo(map);
    map.on("resize", maybeFit);
    for (const type of ["pointerdown", "wheel", "keydown"]) {
      map.getContainer().addEventListener(type, () => { autoFit = false; }, { once: true, passive: true });
    }
    if (typeof QWebChannel !== "undefined" && window.qt && qt.webChannelTransport) {
      new QWebChannel(qt.webChannelTransport, (channel) => {
        bridge = channel.objects.bridge;
        for (const [kind, id] of pendingClicks.splice(0)) bridge.markerClicked(kind, id);
      });
    }
  }

  function counts() {
    const layers = {};
    for (const [id, layer] of Object.entries(geoLayers)) layers[id] = layer.getLayers().length;
    return { cameras: markers.camera.size, incidents: markers.incident.size, districts: layers.districts || 0, layers: layers };
  }

  function view() {
    const c = map.getCenter();
    return { lat: c.lat, lon: c.lng, zoom: map.getZoom() };
  }

  window.iocMap = Object.freeze({
    attach: attach,
    setCameras: (list) => replace("camera", list),
    upsertCameras: (list) => upsert("camera", list),
    setIncidents: (list) => replace("incident", list),
    upsertIncidents: (list) => upsert("incident", list),
    setGeoJson: setGeoJson,
    counts: counts,
    view: view,
    marker: (kind, id) => markers[kind] && markers[kind].get(id),
    layer: (layerId) => geoLayers[layerId],
  });
})();
