"""Map panel: a Leaflet page built once by folium, then fed live through a small JS API.

folium renders the page a single time (local Leaflet, configured tile servers or none, so it
works on an air-gapped wall). After that only data moves: store signals are coalesced into
JSON batches sent with runJavaScript, so new data never reloads the page or moves the view.
Incidents are drawn on one canvas and grouped at low zoom (resources/map/points.js), so
50,000 of them paint in a fraction of a second.
Heavy imports (QtWebEngine, folium) live here so that start-up does not pay for them.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, SignalInstance
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.domain.geo import nearest_cameras
from console.domain.records import Incident
from console.layout.panel_kinds import MapConfig, PanelConfig
from widgets.map.data import (
    camera_points,
    choropleth_spec,
    incident_columns,
    layer_name,
    page_options,
)
from widgets.map.page import RESOURCES, Bridge, MapPage, build_html, js_literal, map_profile
from widgets.panel import (
    FOLLOWS_INCIDENT,
    SELECTS_CAMERA,
    SELECTS_INCIDENT,
    SELECTS_PLACE,
    SHOWS_ALARMS,
    Panel,
    PanelContext,
)

log = logging.getLogger(__name__)

FLUSH_MS = 200
BIG_BATCH = 5_000  # incidents in one store signal past which the page gets the whole set
STORE_LAYERS = frozenset({"cameras", "incidents"})  # live stores, not LayerStore GeoJSON
__all__ = ["MapPanel", "build_html", "js_literal", "map_profile"]


class MapPanel(Panel):
    """Districts (optionally a KPI choropleth), cameras, incidents and asset layers."""

    KIND = "map"
    OUTPUTS = (SELECTS_INCIDENT, SELECTS_CAMERA, SELECTS_PLACE)
    INPUTS = (FOLLOWS_INCIDENT, SHOWS_ALARMS)

    cameraClicked = Signal(str)  # camera id
    incidentClicked = Signal(str)  # incident id
    nearestCameras = Signal(list)  # camera ids near the clicked point or selected incident
    pageReady = Signal()  # page loaded and the first data batch sent

    def __init__(
        self, context: PanelContext, config: PanelConfig, parent: QWidget | None = None
    ) -> None:
        if not isinstance(config, MapConfig):
            raise TypeError(f"MapPanel needs a MapConfig, got {type(config).__name__}")
        super().__init__(context, config, parent)
        self._config = config
        self._ready = False
        self._layers = tuple(dict.fromkeys(config.layers))
        self._geo_layers = [layer for layer in self._layers if layer not in STORE_LAYERS]
        # What the page is missing: whole layers to resend, and single records to upsert.
        self._dirty: set[str] = {*self._layers, "choropleth", "names"}
        self._camera_ids: set[str] = set()
        self._incidents: dict[str, Incident] = {}
        self._selected: tuple[str | None, bool] | None = None  # (id, pan) to send
        self._highlight: tuple[list[str], list[float] | None] | None = None
        self._last_flush = 0.0
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._flush)

        self._view = QWebEngineView(self)
        self._view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no "Reload"
        self._page = MapPage(map_profile(), config.base_layers, self._view)
        self._bridge = Bridge(self._on_marker_clicked, self._on_point_clicked, self)
        channel = QWebChannel(self._page)
        channel.registerObject("bridge", self._bridge)
        self._page.setWebChannel(channel)
        self._view.setPage(self._page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)

        self._connect_stores()
        self._page.loadFinished.connect(self._on_load_finished)
        self._page.renderProcessTerminated.connect(self._on_renderer_gone)
        options = page_options(self._layers, config.cluster_below_zoom, config.center is None)
        self._html = build_html(config, options)
        self._page.setHtml(self._html, QUrl.fromLocalFile(f"{RESOURCES}/"))

    # -- public -------------------------------------------------------------
    def title(self) -> str:
        return self.tr("Map")

    def is_ready(self) -> bool:
        return self._ready

    def page(self) -> MapPage:
        return self._page

    def blocked_requests(self) -> list[str]:
        """URLs the page tried to load and was refused (neither local nor a tile server)."""
        return list(self._page.guard.blocked)

    @property
    def incidentSelected(self) -> SignalInstance:
        """SELECTS_INCIDENT: on the map an incident is selected by clicking it."""
        return self.incidentClicked

    def follow_incident(self, incident_id: str) -> None:
        """Selected elsewhere (the queue, an alarm): highlight it and bring it into view."""
        self.select_incident(incident_id, pan=True)

    def select_incident(self, incident_id: str | None, pan: bool = True) -> None:
        """Highlight an incident (e.g. selected in the queue) and bring it into view; its
        nearest cameras are highlighted too. None clears the selection."""
        self._selected = (incident_id, pan)
        incident = self.context.incidents.get(incident_id) if incident_id else None
        if incident is not None:
            self._show_nearest(incident.lat, incident.lon, mark=False)
        self._schedule()

    def show_nearest_cameras(self, lat: float, lon: float) -> list[str]:
        """Highlight the cameras nearest a point; returns their ids, nearest first."""
        return self._show_nearest(lat, lon, mark=True)

    def read_report(self, done: Callable[[dict[str, Any]], None]) -> None:
        self.read_counts(lambda counts: done({**self.report(), "markers": counts}))

    def read_counts(self, callback: Callable[[dict[str, Any]], None]) -> None:
        """Call back with what the page draws ({cameras, incidents, districts, layers}), after
        any pending batch is sent, or once the page is ready: a check for tests and status."""
        self.evaluate("iocMap.counts()", callback)

    def evaluate(self, expression: str, callback: Callable[[Any], None]) -> None:
        """Call back with a JS expression's value (through JSON), after pending data is sent."""
        if not self._ready:
            once = Qt.ConnectionType.SingleShotConnection
            self.pageReady.connect(lambda: self.evaluate(expression, callback), once)
            return
        self._flush()

        def deliver(text: str) -> None:
            if text:  # '' if the renderer went away meanwhile
                callback(json.loads(text).get("v"))

        self._page.runJavaScript(f"JSON.stringify({{v: {expression}}})", 0, deliver)

    # -- store wiring ---------------------------------------------------------
    def _connect_stores(self) -> None:
        """Bound methods only (no lambdas): Qt drops them with the panel; the stores live on."""
        ctx = self.context
        if "cameras" in self._layers:
            ctx.cameras.camerasReset.connect(self._on_reset)
            ctx.cameras.statusChanged.connect(self._on_camera_status)
        if "incidents" in self._layers:
            ctx.incidents.incidentsUpserted.connect(self._on_incidents)
            ctx.incidents.modelReset.connect(self._on_reset)
        ctx.layers.layersReset.connect(self._on_reset)
        ctx.layers.layerLoaded.connect(self._on_layer_loaded)
        if self._config.choropleth:
            ctx.kpis.kpisReset.connect(self._on_kpis)
            ctx.kpis.kpiChanged.connect(self._on_kpi_changed)

    def _on_reset(self) -> None:
        """Resets are rare (start, reconnect): resending every layer keeps this simple."""
        self._dirty.update({*self._layers, "choropleth", "names"})
        self._schedule()

    def _on_camera_status(self, camera_id: str, _status: str) -> None:
        self._camera_ids.add(camera_id)
        self._schedule()

    def _on_incidents(self, incidents: list[Incident]) -> None:
        if len(incidents) > BIG_BATCH:  # a first load: resending all is cheaper than merging
            self._dirty.add("incidents")
        else:
            self._incidents.update((incident.id, incident) for incident in incidents)
        self._schedule()

    def _on_layer_loaded(self, layer_id: str) -> None:
        if layer_id in self._geo_layers:
            self._dirty.add(layer_id)
            if layer_id == "districts":
                self._dirty.add("choropleth")
            self._schedule()

    def _on_kpis(self) -> None:
        self._dirty.add("choropleth")
        self._schedule()

    def _on_kpi_changed(self, kpi_id: str) -> None:
        prefix = self._config.choropleth or ""
        kpi = self.context.kpis.get(kpi_id)
        local = kpi.local_id if kpi else kpi_id
        if local == prefix or local.startswith(prefix + ".") or kpi_id == prefix:
            self._on_kpis()

    def _schedule(self) -> None:
        """Throttle: send at once after a quiet spell, else at most every FLUSH_MS, so a
        burst of signals becomes one batch and a lone update is not delayed."""
        if self._ready and not self._timer.isActive():
            since_ms = (time.monotonic() - self._last_flush) * 1000
            self._timer.start(max(0, round(FLUSH_MS - since_ms)))

    # -- page ---------------------------------------------------------------
    def _on_load_finished(self, ok: bool) -> None:
        if not ok:
            log.error("map: the base page failed to load")
            return
        self._ready = True
        self._flush()
        self.pageReady.emit()

    def _on_renderer_gone(self, status: QWebEnginePage.RenderProcessTerminationStatus) -> None:
        """A wall runs for weeks: if Chromium's renderer dies, load the page again and resend
        everything (the only reload there is; the view starts over)."""
        log.error("map: web renderer ended (%s); reloading the map", status.name)
        self._ready = False
        self._dirty = {*self._layers, "choropleth", "names"}
        self._page.allow_navigation()
        self._page.setHtml(self._html, QUrl.fromLocalFile(f"{RESOURCES}/"))

    def _flush(self) -> None:
        """Send everything pending as one runJavaScript batch."""
        if not self._ready:
            return
        self._timer.stop()
        self._last_flush = time.monotonic()
        dirty, self._dirty = self._dirty, set()
        calls = [*self._camera_calls(dirty), *self._incident_calls(dirty)]
        for layer_id in self._geo_layers:
            if layer_id in dirty:
                features = self.context.layers.features(layer_id, self._config.connections)
                calls.append(self._safe_call("setGeoJson", layer_id, features))
        if "names" in dirty:
            infos = {info.local_id: info.name for info in self.context.layers.infos()}
            infos.update({info.id: info.name for info in self.context.layers.infos()})
            names = {layer: layer_name(layer, infos.get(layer)) for layer in self._layers}
            calls.append(self._call("setLayerNames", names))
        if "choropleth" in dirty and self._config.choropleth and "districts" in self._layers:
            calls.append(self._safe_call("setChoropleth", self._choropleth()))
        if self._selected is not None:
            calls.append(self._call("selectIncident", *self._selected))
            self._selected = None
        if self._highlight is not None:
            calls.append(self._call("highlightCameras", *self._highlight))
            self._highlight = None
        calls = [call for call in calls if call]
        if calls:
            self._page.runJavaScript(";\n".join(calls) + ";\n0")

    def _camera_calls(self, dirty: set[str]) -> list[str]:
        cameras = self.context.cameras
        ids, self._camera_ids = self._camera_ids, set()
        shows = self._config.shows
        if "cameras" in dirty:
            mine = [camera for camera in cameras.cameras() if shows(camera.connection)]
            return [self._call("setCameras", camera_points(mine))]
        if ids:
            changed = [c for i in sorted(ids) if (c := cameras.get(i)) and shows(c.connection)]
            return [self._call("upsertCameras", camera_points(changed))]
        return []

    def _incident_calls(self, dirty: set[str]) -> list[str]:
        changed, self._incidents = self._incidents, {}
        shows = self._config.shows
        if "incidents" in dirty:
            everything = self.context.incidents.incidents()
            if self._config.connections:
                everything = [i for i in everything if shows(i.connection)]
            return [self._call("setIncidents", incident_columns(everything))]
        mine = [i for i in changed.values() if shows(i.connection)]
        if mine:
            return [self._call("upsertIncidents", incident_columns(mine))]
        return []

    def _choropleth(self) -> dict[str, Any] | None:
        kpi_id = self._config.choropleth or ""
        kpis = self.context.kpis
        base = kpis.get(kpi_id)
        owner = base.connection if base is not None else None  # district figures of its system
        lookup = {
            k.local_id: k
            for k in kpis.kpis()
            if k.local_id.startswith(kpi_id + ".") and (owner is None or k.connection == owner)
        }
        districts = self.context.layers.features("districts")
        return choropleth_spec(kpi_id, base, districts, lookup)

    @staticmethod
    def _call(function: str, *args: Any) -> str:
        """A call with JSON arguments, as a JS literal (measured: wrapping big ones in
        JSON.parse costs more in escaping and transfer than V8 saves in parsing)."""
        return f"iocMap.{function}({','.join(js_literal(arg) for arg in args)})"

    def _safe_call(self, function: str, *args: Any) -> str:
        try:
            return self._call(function, *args)
        except ValueError:  # NaN/Infinity from a backend: not JSON, not drawable
            log.warning("map: %s got non-finite numbers from the backend; not shown", function)
            return ""

    def _show_nearest(self, lat: float, lon: float, mark: bool) -> list[str]:
        count = self._config.nearest_cameras
        if "cameras" not in self._layers or count == 0:
            return []
        shown = [c for c in self.context.cameras.cameras() if self._config.shows(c.connection)]
        found = nearest_cameras(shown, lat, lon, count)
        ids = [camera.id for camera, _ in found]
        self._highlight = (ids, [lat, lon] if mark else None)
        self._schedule()
        self.nearestCameras.emit(ids)
        return ids

    def _on_marker_clicked(self, kind: str, marker_id: str) -> None:
        """Re-emit only ids the stores know: the page is not trusted to invent them."""
        if kind == "camera" and self.context.cameras.get(marker_id) is not None:
            self.cameraClicked.emit(marker_id)
        elif kind == "incident" and (incident := self.context.incidents.get(marker_id)):
            self._show_nearest(incident.lat, incident.lon, mark=False)
            self.incidentClicked.emit(marker_id)

    def _on_point_clicked(self, lat: float, lon: float) -> None:
        if math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 540:
            self._show_nearest(lat, lon, mark=True)
