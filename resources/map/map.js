/* IOC Console map page API (window.iocMap).
 *
 * Python renders the page once with folium and then only calls these functions through
 * runJavaScript with JSON data, in batches. Every backend string is untrusted: it reaches the
 * DOM through textContent only; the one Leaflet API that takes HTML (the layer switcher's
 * names) gets escaped text.
 *
 * Panes, back to front: base tiles, geography (districts, street lights: one canvas, in
 * overlayPane), incidents (points.js canvas, no pointer events: hit-tested here), cameras
 * (SVG, only the circles take pointer events), tooltips and popups.
 */
"use strict";
(function () {
  const PRIORITY_COLORS = ["#3b82f6", "#eab308", "#f97316", "#ef4444"]; // by rank: low .. critical
  const MUTED = "#8b949e";
  const CAMERA_COLORS = { online: "#22c55e", offline: "#6b7280" };
  const STATUS_COLORS = {
    on: "#facc15", ok: "#22c55e", online: "#22c55e", working: "#22c55e",
    off: "#6b7280", offline: "#6b7280",
    fault: "#ef4444", error: "#ef4444", broken: "#ef4444", defective: "#ef4444", lowBattery: "#f97316",
  };
  const DISTRICT_STYLE = { color: "#8b949e", weight: 1, opacity: 0.8, fillColor: "#1f2630", fillOpacity: 0.35 };
  const OVERLAY_STYLE = { color: "#58a6ff", weight: 1.5, opacity: 0.8, fillOpacity: 0.15 };
  const FIT_PADDING = 16;

  let map = null;
  let labels = {};
  let texts = {};
  let codes = {};
  let autoFit = false;
  let fitTo = "districts";
  let bridge = null;
  let control = null;
  let legend = null;
  let choropleth = null;
  let incidents = null; // iocPointsLayer
  let nearestMark = null;
  const pending = [];
  const geoLayers = {}; // layer id -> L.GeoJSON (inside groups[layer id])
  const groups = {}; // layer id -> L.LayerGroup, what the layer switcher toggles
  const names = {}; // layer id -> display name
  const cameras = new Map(); // id -> L.CircleMarker
  let highlighted = new Set();
  let cameraRenderer = null;

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

  // For the one Leaflet API that assigns innerHTML (L.Control.Layers names).
  function escapeHtml(text) {
    const box = document.createElement("span");
    box.textContent = String(text);
    return box.innerHTML.replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function send(method, ...args) {
    if (bridge) bridge[method](...args);
    else pending.push([method, args]); // the channel handshake is async: deliver later
  }

  // -- cameras ---------------------------------------------------------------
  function cameraStyle(c) {
    const near = highlighted.has(c.id);
    return {
      renderer: cameraRenderer, pane: "iocCameras",
      radius: near ? 9 : 6, color: near ? "#ffffff" : "#0d1117", weight: near ? 3 : 1,
      fillOpacity: 0.95, fillColor: CAMERA_COLORS[c.status] || MUTED,
    };
  }
  const cameraTooltip = (m) => textBox([["ioc-title", m.iocData.name]]);
  const cameraPopup = (m) => {
    const c = m.iocData;
    return textBox([["ioc-title", c.name], ["ioc-meta", label("camera", c.status)], ["ioc-meta", c.district]]);
  };

  function upsertCameras(list) {
    for (const c of list) {
      let m = cameras.get(c.id);
      if (m) {
        m.iocData = c;
        m.setLatLng([c.lat, c.lon]);
        m.setStyle(cameraStyle(c));
        if (m.isPopupOpen()) m.getPopup().update();
        if (m.isTooltipOpen()) m.getTooltip().update();
        continue;
      }
      m = L.circleMarker([c.lat, c.lon], cameraStyle(c));
      m.iocKind = "camera";
      m.iocData = c;
      m.bindTooltip(cameraTooltip, { direction: "top", offset: [0, -6] });
      m.bindPopup(cameraPopup);
      m.on("click", (e) => send("markerClicked", "camera", e.target.iocData.id));
      cameras.set(c.id, m);
      groups.cameras.addLayer(m);
    }
    maybeFit();
  }

  function setCameras(list) {
    groups.cameras.clearLayers();
    cameras.clear();
    upsertCameras(list);
  }

  function highlightCameras(ids, point) {
    highlighted = new Set(ids);
    for (const m of cameras.values()) m.setStyle(cameraStyle(m.iocData));
    if (nearestMark) nearestMark.remove();
    nearestMark = null;
    if (point) {
      nearestMark = L.circleMarker(point, {
        renderer: cameraRenderer, pane: "iocCameras", interactive: false,
        radius: 4, color: "#ffffff", weight: 2, fill: false,
      }).addTo(map);
    }
  }

  // -- incidents -------------------------------------------------------------
  function incidentRows(i) {
    const d = incidents.row(i);
    return [
      ["ioc-title", d.title],
      ["ioc-meta", label("priority", codes.priority[d.code & 3]) + " · " + label("status", codes.status[(d.code >> 3) & 3])],
      ["ioc-meta", label("category", codes.category[d.code >> 5])],
      ["ioc-meta", d.district],
    ];
  }

  let popupIndex = -1;
  function openIncidentPopup(i) {
    popupIndex = i;
    const popup = L.popup({ offset: [0, -4] }).setLatLng(incidents.latLng(i)).setContent(textBox(incidentRows(i)));
    popup.on("remove", () => { if (popupIndex === i) popupIndex = -1; });
    map.openPopup(popup);
    return popup;
  }

  let hoverTip = null;
  function showHover(item) {
    if (!item) {
      if (hoverTip) map.closeTooltip(hoverTip);
      hoverTip = null;
      map.getContainer().classList.remove("ioc-pointer");
      return null;
    }
    map.getContainer().classList.add("ioc-pointer");
    const rows = item.count
      ? [["ioc-title", texts.cluster.replace("{n}", String(item.count))]]
      : [["ioc-title", incidents.columns.title[item.i]]];
    const at = map.containerPointToLatLng([item.x + incidents._offset.x, item.y + incidents._offset.y]);
    hoverTip = hoverTip || L.tooltip({ direction: "top", offset: [0, -8] });
    hoverTip.setLatLng(at).setContent(textBox(rows));
    map.openTooltip(hoverTip);
    return hoverTip;
  }

  function onIncidentItem(item) {
    if (item.count) {
      const bounds = incidents.cellBounds(item.cell);
      if (bounds.isValid()) map.fitBounds(bounds.pad(0.2), { maxZoom: incidents.options.clusterBelowZoom, animate: false });
      return;
    }
    incidents.select(item.i);
    openIncidentPopup(item.i);
    send("markerClicked", "incident", incidents.columns.id[item.i]);
  }

  // Incidents are drawn on a canvas without pointer events: hit-test them first, in the capture
  // phase, unless the pointer is on a camera (drawn above them).
  function onPointer(e) {
    if (!incidents || !map.hasLayer(incidents)) return;
    if (e.target.closest && e.target.closest(".leaflet-iocCameras-pane, .leaflet-control, .leaflet-popup")) {
      if (e.type === "mousemove") showHover(null);
      return;
    }
    const item = incidents.hit(map.mouseEventToContainerPoint(e));
    if (e.type === "mousemove") {
      showHover(item);
      return;
    }
    if (!item) return;
    e.stopPropagation();
    e.preventDefault();
    onIncidentItem(item);
  }

  function setIncidents(columns) {
    incidents.setData(columns);
    maybeFit();
  }

  function upsertIncidents(columns) {
    const touched = incidents.upsert(columns);
    if (popupIndex >= 0 && touched.includes(popupIndex)) {
      map.eachLayer((l) => {
        if (l instanceof L.Popup && l.isOpen()) l.setContent(textBox(incidentRows(popupIndex)));
      });
    }
    maybeFit();
  }

  // Highlight an incident; bring it into view (zoomed in past the clusters) when asked.
  function selectIncident(id, pan) {
    const i = id === null ? -1 : incidents.index.get(id);
    if (i === undefined) return false;
    incidents.select(i);
    if (i < 0 || !pan) return i >= 0;
    const at = incidents.latLng(i);
    const zoom = Math.max(map.getZoom(), incidents.options.clusterBelowZoom);
    autoFit = false;
    map.setView(at, zoom, { animate: false });
    incidents.redraw();
    return true;
  }

  // -- geography -------------------------------------------------------------
  function featureKey(f) {
    if (f.id !== undefined && f.id !== null) return String(f.id);
    const p = f.properties || {};
    return String(p.id !== undefined && p.id !== null ? p.id : p.name);
  }

  function districtStyle(f) {
    const fill = choropleth && choropleth.fill[featureKey(f)];
    if (!choropleth) return DISTRICT_STYLE;
    return Object.assign({}, DISTRICT_STYLE, { fillColor: fill || choropleth.noDataColor, fillOpacity: 0.45 });
  }

  function pointStyle(f) {
    const status = f.properties && f.properties.status;
    return { radius: 3.5, weight: 0, fillColor: STATUS_COLORS[status] || "#d29922", fillOpacity: 0.95 };
  }

  function featureRows(f) {
    const p = f.properties || {};
    const rows = [["ioc-title", p.name !== undefined && p.name !== null ? p.name : p.id]];
    if (p.status !== undefined && p.status !== null) rows.push(["ioc-meta", label("asset", p.status)]);
    if (choropleth && choropleth.values[featureKey(f)] !== undefined) {
      rows.push(["ioc-meta", choropleth.title + ": " + choropleth.values[featureKey(f)]]);
    }
    return rows;
  }

  function setGeoJson(layerId, collection) {
    const group = groups[layerId] || (groups[layerId] = L.layerGroup().addTo(map));
    group.clearLayers();
    delete geoLayers[layerId];
    if (!collection) return;
    const base = layerId === "districts";
    const layer = L.geoJSON(null, {
      style: (f) => {
        if (base) return districtStyle(f);
        return f.geometry && f.geometry.type === "Point" ? pointStyle(f) : OVERLAY_STYLE;
      },
      pointToLayer: (f, latlng) => L.circleMarker(latlng, pointStyle(f)),
      onEachFeature: (f, l) => {
        l.bindTooltip(() => textBox(featureRows(f)), { sticky: true });
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
    geoLayers[layerId] = layer;
    group.addLayer(layer);
    restack();
    maybeFit();
  }

  // One canvas draws all geography: districts at the back.
  function restack() {
    for (const [id, layer] of Object.entries(geoLayers)) if (id !== "districts" && map.hasLayer(layer)) layer.bringToFront();
    if (geoLayers.districts && map.hasLayer(geoLayers.districts)) geoLayers.districts.bringToBack();
  }

  function setChoropleth(spec) {
    choropleth = spec;
    if (geoLayers.districts) geoLayers.districts.setStyle(districtStyle);
    if (legend) legend.remove();
    legend = null;
    if (!spec) return;
    legend = L.control({ position: "bottomright" });
    legend.onAdd = () => {
      const box = L.DomUtil.create("div", "ioc-legend leaflet-control");
      const title = box.appendChild(document.createElement("div"));
      title.className = "ioc-title";
      title.textContent = spec.title;
      for (const [color, text] of spec.legend) {
        const row = box.appendChild(document.createElement("div"));
        const swatch = row.appendChild(document.createElement("span"));
        swatch.className = "ioc-swatch";
        swatch.style.background = color;
        row.appendChild(document.createTextNode(text));
      }
      return box;
    };
    legend.addTo(map);
  }

  // -- layer switcher ----------------------------------------------------------
  function rebuildControl(baseLayers) {
    const overlays = {};
    for (const [id, group] of Object.entries(groups)) overlays[escapeHtml(names[id] || id)] = group;
    const bases = {};
    for (const [name, layer] of baseLayers || []) bases[escapeHtml(name)] = layer;
    if (control) control.remove();
    control = L.control.layers(bases, overlays, { collapsed: true, position: "topright" }).addTo(map);
    control.iocBases = baseLayers || [];
  }

  function setLayerNames(mapping) {
    Object.assign(names, mapping);
    rebuildControl(control ? control.iocBases : []);
  }

  // Fit once to the first data that has bounds; after that (or once the operator has touched
  // the map) the view is the operator's and is never moved by data.
  function maybeFit() {
    const size = map.getSize(); // a hidden or tiny map cannot fit: fit on a later resize
    if (!autoFit || Math.min(size.x, size.y) <= 4 * FIT_PADDING) return;
    const bounds = L.latLngBounds([]);
    if (fitTo === "districts") {
      if (geoLayers.districts) bounds.extend(geoLayers.districts.getBounds());
    } else {
      for (const m of cameras.values()) bounds.extend(m.getLatLng());
      for (let i = 0; i < incidents.size(); i++) bounds.extend(incidents.latLng(i));
    }
    if (!bounds.isValid()) return;
    autoFit = false;
    // Quarter zoom steps: whole steps left the province at half the panel's height.
    map.options.zoomSnap = 0.25;
    map.fitBounds(bounds, { padding: [FIT_PADDING, FIT_PADDING], animate: false });
  }

  function attach(leafletMap, options, baseLayers) {
    map = leafletMap;
    labels = options.labels || {};
    texts = options.texts || {};
    codes = options.codes || {};
    autoFit = Boolean(options.autoFit);
    fitTo = options.fitTo || "districts";
    map.createPane("iocIncidents").style.zIndex = 450;
    map.createPane("iocCameras").style.zIndex = 460;
    cameraRenderer = L.svg({ pane: "iocCameras" });
    incidents = iocPointsLayer({
      pane: "iocIncidents", colors: PRIORITY_COLORS, mutedColor: MUTED,
      clusterBelowZoom: options.clusterBelowZoom || 14,
    });
    for (const [id, name] of options.layers || []) {
      names[id] = name;
      if (id === "incidents") groups[id] = incidents;
      else groups[id] = L.layerGroup();
      groups[id].addTo(map);
    }
    groups.cameras = groups.cameras || L.layerGroup();
    rebuildControl(baseLayers);
    // Kilometres only: folium's scale bar also shows miles, which no one here reads.
    L.control.scale({ imperial: false }).addTo(map);
    map.on("resize", maybeFit);
    // A click on the land (or sea), not on a marker: the cameras nearest to it.
    map.on("click", (e) => send("pointClicked", e.latlng.lat, e.latlng.lng));
    map.on("overlayadd", restack);
    const container = map.getContainer();
    container.addEventListener("click", onPointer, true);
    container.addEventListener("mousemove", onPointer, true);
    container.addEventListener("mouseleave", () => showHover(null));
    for (const type of ["pointerdown", "wheel", "keydown"]) {
      container.addEventListener(type, () => { autoFit = false; }, { once: true, passive: true });
    }
    if (typeof QWebChannel !== "undefined" && window.qt && qt.webChannelTransport) {
      new QWebChannel(qt.webChannelTransport, (channel) => {
        bridge = channel.objects.bridge;
        for (const [method, args] of pending.splice(0)) bridge[method](...args);
      });
    }
  }

  // -- read back (tests, status) ------------------------------------------------
  function counts() {
    const layers = {};
    for (const [id, layer] of Object.entries(geoLayers)) layers[id] = layer.getLayers().length;
    return { cameras: cameras.size, incidents: incidents.size(), districts: layers.districts || 0, layers: layers };
  }

  function view() {
    const c = map.getCenter();
    return { lat: c.lat, lon: c.lng, zoom: map.getZoom() };
  }

  // An incident as drawn: its data, where it is on screen, and whether it is selected.
  function incident(id) {
    const i = incidents.index.get(id);
    if (i === undefined) return null;
    const at = map.hasLayer(incidents) && incidents._offset ? incidents.containerPoint(i) : null;
    const d = incidents.row(i);
    const data = {
      id: d.id, title: d.title, district: d.district, lat: d.lat / 1e6, lon: d.lon / 1e6,
      priority: codes.priority[d.code & 3], status: codes.status[(d.code >> 3) & 3],
      category: codes.category[d.code >> 5],
    };
    return { data: data, x: at && at.x, y: at && at.y, selected: incidents.selected === i };
  }

  // The text of an incident's tooltip and popup, as the operator would see them.
  function incidentTexts(id) {
    const i = incidents.index.get(id);
    const item = { x: incidents.containerPoint(i).x - incidents._offset.x, y: incidents.containerPoint(i).y - incidents._offset.y, i: i };
    const tip = showHover(item).getElement().textContent;
    showHover(null);
    const popup = openIncidentPopup(i).getElement().textContent;
    map.closePopup();
    return [tip, popup];
  }

  window.iocMap = Object.freeze({
    attach: attach,
    setCameras: setCameras,
    upsertCameras: upsertCameras,
    setIncidents: setIncidents,
    upsertIncidents: upsertIncidents,
    selectIncident: selectIncident,
    highlightCameras: highlightCameras,
    setGeoJson: setGeoJson,
    setLayerNames: setLayerNames,
    setChoropleth: setChoropleth,
    counts: counts,
    view: view,
    incident: incident,
    incidentTexts: incidentTexts,
    drawn: () => incidents._items.length,
    project: (lat, lon) => map.latLngToContainerPoint([lat, lon]),
    highlighted: () => Array.from(highlighted).sort(),
    marker: (kind, id) => (kind === "camera" ? cameras.get(id) : undefined),
    layer: (layerId) => geoLayers[layerId],
    control: () => control,
    legend: () => (legend ? legend.getContainer() : null),
  });
})();
