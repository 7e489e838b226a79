/* iocPointsLayer: tens of thousands of points on one canvas, grouped into grid clusters at low zoom.
 *
 * Why not one Leaflet marker per point: 50,000 layer objects take seconds to build and
 * Leaflet.markercluster seconds more to index. Here the data are plain column arrays, the
 * projection to zoom-0 pixels is computed once per point, and a redraw (every pan or zoom
 * end, or after an update) bins the visible points into fixed screen-size cells and fills
 * one canvas path per colour: a few milliseconds for 50,000 points.
 *
 * Nothing here touches the DOM with data strings: counts are drawn as canvas text, and the
 * caller builds tooltips and popups with textContent.
 */
"use strict";
(function () {
  const CELL = 64; // cluster cell, CSS px
  const PAD = 0.1; // the canvas covers the view plus a tenth on every side (as L.Canvas)
  const RADIUS = 6;
  const HIT_SLOP = 3;
  const MAX_LAT = 85.0511287798;

  // Web Mercator at zoom 0, in Leaflet's 256 px world (EPSG:3857).
  function projectX(lon) { return 256 * (0.5 + lon / 360); }
  function projectY(lat) {
    const phi = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
    return 256 * (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI));
  }

  function clusterRadius(count) {
    return Math.min(26, 10 + 4 * Math.log10(count + 1) * 2);
  }

  // A function, not a class: this file loads before leaflet.js in folium's header.
  window.iocPointsLayer = (options) => new (L.Layer.extend({
    // options: colors (by rank), mutedColor, clusterBelowZoom, onClick(index), onHover(index|cluster|null)
    initialize: function (options) {
      L.setOptions(this, options);
      this.columns = { id: [] };
      this.index = new Map();
      this.x0 = [];
      this.y0 = [];
      this.selected = -1;
      this._items = []; // what the last redraw drew: {x, y, r, i} or {x, y, r, count, cell}
      this._frame = 0;
    },

    size: function () { return this.columns.id.length; },

    // Replace every point; `columns` holds equal-length arrays: id, lat and lon in
    // microdegrees, code (rank | muted << 2 | ...), and whatever else popups show.
    setData: function (columns) {
      const n = columns.id.length;
      this.names = columns.districts || [];
      delete columns.districts;
      this.columns = columns;
      this.index = new Map();
      this.x0 = new Array(n);
      this.y0 = new Array(n);
      for (let i = 0; i < n; i++) {
        this.index.set(columns.id[i], i);
        this.x0[i] = projectX(columns.lon[i] / 1e6);
        this.y0[i] = projectY(columns.lat[i] / 1e6);
      }
      this.selected = -1;
      this._cellCache = null;
      this.redraw();
    },

    // Add or change points by id; returns the indices touched.
    upsert: function (columns) {
      if (!this.size()) { // nothing yet: the batch is the whole set
        this.setData(columns);
        return Array.from(this.index.values());
      }
      const own = this.columns;
      const keys = Object.keys(own);
      const touched = [];
      // District codes are per batch: map them onto this layer's own table.
      const names = this.names || (this.names = []);
      const recode = (columns.districts || []).map((name) => {
        const at = names.indexOf(name);
        return at >= 0 ? at : names.push(name) - 1;
      });
      columns.district = columns.district.map((code) => recode[code]);
      for (let k = 0; k < columns.id.length; k++) {
        let i = this.index.get(columns.id[k]);
        if (i === undefined) {
          i = own.id.length;
          this.index.set(columns.id[k], i);
        }
        for (const key of keys) own[key][i] = columns[key][k];
        this.x0[i] = projectX(own.lon[i] / 1e6);
        this.y0[i] = projectY(own.lat[i] / 1e6);
        touched.push(i);
      }
      const ci = this._cellCache;
      if (ci) ci.stale = (ci.stale || []).concat(touched); // re-filed at the next redraw
      this.scheduleRedraw();
      return touched;
    },

    row: function (i) {
      const out = {};
      for (const key of Object.keys(this.columns)) out[key] = this.columns[key][i];
      out.district = this.names[out.district];
      return out;
    },

    latLng: function (i) { return L.latLng(this.columns.lat[i] / 1e6, this.columns.lon[i] / 1e6); },

    onAdd: function (map) {
      const pane = map.getPane(this.options.pane) || map.getPanes().overlayPane;
      this._canvas = L.DomUtil.create("canvas", "ioc-points leaflet-zoom-hide", pane);
      this._canvas.style.pointerEvents = "none";
      this._ctx = this._canvas.getContext("2d");
      map.on("moveend viewreset resize", this.redraw, this);
      map.on("zoomstart", this._hide, this);
      this.redraw();
    },

    onRemove: function (map) {
      map.off("moveend viewreset resize", this.redraw, this);
      map.off("zoomstart", this._hide, this);
      L.DomUtil.remove(this._canvas);
      this._canvas = this._ctx = null;
      this._items = [];
    },

    _hide: function () { if (this._canvas) this._canvas.style.visibility = "hidden"; },

    scheduleRedraw: function () {
      if (this._frame) return;
      this._frame = requestAnimationFrame(() => { this._frame = 0; this.redraw(); });
    },

    clustered: function () { return this._map && this._map.getZoom() < this.options.clusterBelowZoom; },

    redraw: function () {
      const map = this._map;
      if (!map || !this._canvas) return;
      if (this._frame) { cancelAnimationFrame(this._frame); this._frame = 0; }
      const size = map.getSize();
      const pad = size.multiplyBy(PAD).round();
      const topLeft = map.containerPointToLayerPoint(pad.multiplyBy(-1)).round();
      const w = size.x + 2 * pad.x, h = size.y + 2 * pad.y;
      const ratio = window.devicePixelRatio || 1;
      const canvas = this._canvas, ctx = this._ctx;
      if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
        canvas.width = Math.round(w * ratio);
        canvas.height = Math.round(h * ratio);
        canvas.style.width = w + "px";
        canvas.style.height = h + "px";
      }
      L.DomUtil.setPosition(canvas, topLeft);
      canvas.style.visibility = "";
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, w, h);
      const origin = map.getPixelOrigin();
      // Canvas (0, 0) in absolute pixels at this zoom; `offset` maps canvas to container.
      this._ox = origin.x + topLeft.x;
      this._oy = origin.y + topLeft.y;
      this._offset = map.layerPointToContainerPoint(topLeft);
      this._scale = Math.pow(2, map.getZoom()); // x0, y0 are zoom-0 pixels
      this._items = this.clustered() ? this._drawClusters(ctx, w, h) : this._drawPoints(ctx, w, h);
      this._drawSelection(ctx);
      if (this.options.onDraw) this.options.onDraw(this._items.length);
    },

    _xy: function (i) {
      return [this.x0[i] * this._scale - this._ox, this.y0[i] * this._scale - this._oy];
    },

    // One path per colour, lowest rank first so that critical points end on top.
    _drawPoints: function (ctx, w, h) {
      const cols = this.columns, n = cols.id.length, colors = this.options.colors;
      const buckets = colors.map(() => []);
      const muted = [];
      for (let i = 0; i < n; i++) {
        const x = this.x0[i] * this._scale - this._ox, y = this.y0[i] * this._scale - this._oy;
        if (x < -RADIUS || y < -RADIUS || x > w + RADIUS || y > h + RADIUS) continue;
        const code = cols.code[i];
        (code & 4 ? muted : buckets[code & 3]).push(i);
      }
      const items = [];
      const fill = (list, color, alpha) => {
        if (!list.length) return;
        ctx.beginPath();
        for (const i of list) {
          const x = this.x0[i] * this._scale - this._ox, y = this.y0[i] * this._scale - this._oy;
          ctx.moveTo(x + RADIUS, y);
          ctx.arc(x, y, RADIUS, 0, 2 * Math.PI);
          items.push({ x: x, y: y, r: RADIUS, i: i });
        }
        ctx.globalAlpha = alpha;
        ctx.fillStyle = color;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.lineWidth = 1;
        ctx.strokeStyle = "#0d1117";
        ctx.stroke();
      };
      fill(muted, this.options.mutedColor, 0.45);
      buckets.forEach((list, rank) => fill(list, colors[rank], 0.95));
      return items;
    },

    // Each point's cluster cell at zoom scale `s`: cells are fixed in absolute pixels, so
    // this holds while panning and only changes with the zoom or a point's position. Kept
    // between redraws (an update of 1,000 of 50,000 points re-files just those).
    _cells: function (s) {
      const n = this.columns.id.length;
      let ci = this._cellCache;
      if (!ci || ci.scale !== s || ci.idx.length < n) {
        ci = this._cellCache = { scale: s, idx: new Int32Array(n), ids: new Map(), keys: [], stale: null };
        for (let i = 0; i < n; i++) this._file(ci, i);
      } else if (ci.stale) {
        for (const i of ci.stale) this._file(ci, i);
      }
      ci.stale = null;
      return ci;
    },

    _file: function (ci, i) {
      const s = ci.scale;
      const key = Math.floor(this.x0[i] * s / CELL) * 4194304 + Math.floor(this.y0[i] * s / CELL);
      let k = ci.ids.get(key);
      if (k === undefined) {
        k = ci.keys.length;
        ci.ids.set(key, k);
        ci.keys.push(key);
      }
      ci.idx[i] = k;
    },

    // Fixed cells in absolute pixels (so clusters do not jump while panning), drawn at the
    // mean position of their points and coloured by the most urgent open point in them.
    _drawClusters: function (ctx, w, h) {
      const cols = this.columns, n = cols.id.length, s = this._scale;
      const ci = this._cells(s), m = ci.keys.length;
      const count = new Int32Array(m), sx = new Float64Array(m), sy = new Float64Array(m);
      const best = new Int32Array(m), rankOf = new Int8Array(m);
      const margin = CELL;
      for (let i = 0; i < n; i++) {
        const x = this.x0[i] * s - this._ox, y = this.y0[i] * s - this._oy;
        if (x < -margin || y < -margin || x > w + margin || y > h + margin) continue;
        const k = ci.idx[i], code = cols.code[i], rank = code & 4 ? -1 : code & 3;
        if (count[k] === 0) { best[k] = i; rankOf[k] = rank; }
        else if (rank > rankOf[k]) { best[k] = i; rankOf[k] = rank; }
        count[k] += 1;
        sx[k] += x;
        sy[k] += y;
      }
      const list = [];
      for (let k = 0; k < m; k++) {
        if (count[k]) list.push({ count: count[k], sx: sx[k], sy: sy[k], rank: rankOf[k], i: best[k], cell: ci.keys[k] });
      }
      const colors = this.options.colors;
      const items = [];
      list.sort((a, b) => a.rank - b.rank);
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.font = "600 11px system-ui, sans-serif";
      for (const c of list) {
        const color = c.rank >= 0 ? colors[c.rank] : this.options.mutedColor;
        if (c.count === 1) {
          const [x, y] = this._xy(c.i);
          ctx.beginPath();
          ctx.arc(x, y, RADIUS, 0, 2 * Math.PI);
          ctx.globalAlpha = c.rank >= 0 ? 0.95 : 0.45;
          ctx.fillStyle = color;
          ctx.fill();
          ctx.globalAlpha = 1;
          ctx.strokeStyle = "#0d1117";
          ctx.stroke();
          items.push({ x: x, y: y, r: RADIUS, i: c.i });
          continue;
        }
        const x = c.sx / c.count, y = c.sy / c.count, r = clusterRadius(c.count);
        ctx.beginPath();
        ctx.arc(x, y, r + 4, 0, 2 * Math.PI);
        ctx.globalAlpha = 0.35;
        ctx.fillStyle = color;
        ctx.fill();
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.globalAlpha = 0.9;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.fillStyle = "#0d1117";
        ctx.fillText(c.count >= 10000 ? Math.round(c.count / 1000) + "k" : String(c.count), x, y);
        items.push({ x: x, y: y, r: r + 4, count: c.count, cell: c.cell });
      }
      return items;
    },

    _drawSelection: function (ctx) {
      const i = this.selected;
      if (i < 0 || i >= this.size()) return;
      const [x, y] = this._xy(i);
      ctx.beginPath();
      ctx.arc(x, y, RADIUS + 5, 0, 2 * Math.PI);
      ctx.lineWidth = 3;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
      ctx.lineWidth = 1;
    },

    select: function (i) { this.selected = i; this.redraw(); },

    // The topmost drawn item under a container point, or null.
    hit: function (containerPoint) {
      if (!this._map || !this._offset) return null;
      const x = containerPoint.x - this._offset.x, y = containerPoint.y - this._offset.y;
      for (let k = this._items.length - 1; k >= 0; k--) {
        const it = this._items[k];
        const dx = it.x - x, dy = it.y - y, r = it.r + HIT_SLOP;
        if (dx * dx + dy * dy <= r * r) return it;
      }
      return null;
    },

    // Bounds of the points in a cluster cell at the current zoom (to zoom into it).
    cellBounds: function (cell) {
      const s = this._scale, bounds = L.latLngBounds([]);
      for (let i = 0; i < this.size(); i++) {
        const key = Math.floor(this.x0[i] * s / CELL) * 4194304 + Math.floor(this.y0[i] * s / CELL);
        if (key === cell) bounds.extend(this.latLng(i));
      }
      return bounds;
    },

    // Where point i is drawn, in container pixels (tests click there).
    containerPoint: function (i) {
      const [x, y] = this._xy(i);
      return { x: x + this._offset.x, y: y + this._offset.y };
    },
  }))(options);
})();
