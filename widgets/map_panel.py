"""Map panel: a Leaflet page built once by folium, then fed live through a small JS API.

folium renders the page a single time (local Leaflet, no tiles, nothing remote, so it works
on an air-gapped wall). After that only data moves: store signals are coalesced into JSON
batches sent with runJavaScript, so new data never reloads the page or moves the view.
Heavy imports (QtWebEngine, folium) live here so that start-up does not pay for them.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, cast

import folium
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QObject,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.domain import Camera, CameraStatus, Category, Incident, IncidentStatus, Priority
from console.panel_kinds import MapConfig, PanelConfig
from widgets.panel import Panel, PanelContext

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "map"
LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR)
JQUERY_DIR = Path(xstatic.pkg.jquery.BASE_DIR)
QWEBCHANNEL_JS = "qrc:///qtwebchannel/qwebchannel.js"
FLUSH_MS = 200
STORE_LAYERS = frozenset({"cameras", "incidents"})  # live stores, not LayerStore GeoJSON
# Any src/href that leaves the machine: http(s) or protocol-relative.
_REMOTE_REF = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", re.I)


def _file_url(path: Path) -> str:
    if not path.is_file():
        raise FileNotFoundError(f"map asset missing: {path}")
    return QUrl.fromLocalFile(str(path)).toString()


def js_literal(value: Any) -> str:
    """JSON that is also a safe JS expression: no `</`, no raw U+2028/2029, no NaN."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# Popup labels: (group, translation context, values). lupdate finds the incident values in
# console/stores/incidents.py and the camera states here.
CAMERA_STATES = (QT_TRANSLATE_NOOP("MapPanel", "online"), QT_TRANSLATE_NOOP("MapPanel", "offline"))
LABELS: tuple[tuple[str, str, type[StrEnum]], ...] = (
    ("priority", "Incident", Priority),
    ("status", "Incident", IncidentStatus),
    ("category", "Incident", Category),
    ("camera", "MapPanel", CameraStatus),
)


def _labels() -> dict[str, dict[str, str]]:
    """Translated once here: the page has no translator of its own."""
    return {
        group: {v.value: QCoreApplication.translate(context, v.value) for v in values}
        for group, context, values in LABELS
    }


def build_html(config: MapConfig) -> str:
    """Render the base page once; raises if any asset would be fetched from the network."""
    fmap = folium.Map(
        location=config.center,
        zoom_start=config.zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
    )
    # Replace folium's CDN defaults (leaflet, jquery, bootstrap, font-awesome, awesome-markers):
    # keep what the page uses, from local xstatic packages; drop the rest.
    fmap.default_js = [
        ("leaflet", _file_url(LEAFLET_DIR / "leaflet.js")),
        ("jquery", _file_url(JQUERY_DIR / "jquery.min.js")),
    ]
    fmap.default_css = [("leaflet_css", _file_url(LEAFLET_DIR / "leaflet.css"))]
    root = cast("folium.Figure", fmap.get_root())
    root.header.add_child(folium.JavascriptLink(QWEBCHANNEL_JS), name="qwebchannel")
    root.header.add_child(folium.JavascriptLink(_file_url(RESOURCES / "map.js")), name="ioc_map")
    options = {
        "autoFit": config.center is None,
        "fitTo": "districts" if "districts" in config.layers else "markers",
        "labels": _labels(),
    }
    html = root.render()
    # Added to the rendered text so that they come after folium's own parts: the css after
    # leaflet.css (to win the cascade), the attach call after the script that creates the map.
    css = f'<link rel="stylesheet" href="{_file_url(RESOURCES / "map.css")}"/>'
    attach = f"<script>iocMap.attach({fmap.get_name()}, {js_literal(options)});</script>"
    head, _, rest = html.partition("</head>")
    body, _, tail = rest.rpartition("</html>")
    html = f"{head}{css}\n</head>{body}{attach}\n</html>{tail}"
    if remote := _REMOTE_REF.findall(html):
        raise RuntimeError(f"map page would load remote assets: {remote}")
    return html


@cache
def map_profile() -> QWebEngineProfile:
    """One off-the-record profile per process: nothing written to the wall PC's disk, and the
    page (file:// content) may not reach remote URLs even if injected markup asks it to."""
    profile = QWebEngineProfile(QCoreApplication.instance())  # no storage name: off the record
    settings = profile.settings()
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanOpenWindows, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
    return profile


class _MapPage(QWebEnginePage):
    """Accepts only the first navigation: a stray link click (e.g. the attribution) must
    not replace the map with an unreachable web page."""

    def __init__(self, profile: QWebEngineProfile, parent: QObject) -> None:
        super().__init__(profile, parent)
        self._navigated = False

    def allow_navigation(self) -> None:
        """Let the next (re)load of the base page through."""
        self._navigated = False

    def acceptNavigationRequest(
        self, url: QUrl | str, type: QWebEnginePage.NavigationType, isMainFrame: bool
    ) -> bool:
        if self._navigated:
            log.info("map: refused navigation to %s", QUrl(url).toString())
            return False
        self._navigated = True
        return True


class _Bridge(QObject):
    """The only object published to the page: it can report a marker click, nothing else
    (a callback rather than a signal keeps its published surface to this one slot)."""

    def __init__(self, on_click: Callable[[str, str], None], parent: QObject) -> None:
        super().__init__(parent)
        self._on_click = on_click

    @Slot(str, str)
    def markerClicked(self, kind: str, marker_id: str) -> None:
        self._on_click(kind, marker_id)


CAMERA_FIELDS = ("id", "name", "district", "status", "lat", "lon")
INCIDENT_FIELDS = ("id", "title", "priority", "status", "category", "district", "lat", "lon")


def _points(records: Iterable[Camera | Incident], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Only what the page shows; a record without a finite position stays off the map."""
    return [
        {field: getattr(record, field) for field in fields}
        for record in records
        if math.isfinite(record.lat) and math.isfinite(record.lon)
    ]


class MapPanel(Panel):
    """Districts, cameras and incidents on a dark, tile-less Leaflet map."""

    KIND = "map"

    cameraClicked = Signal(str)  # camera id
    incidentClicked = Signal(str)  # incident id
    pageReady = Signal()  # page loaded and the first data batch sent

    def __init__(
        self, context: PanelContext, config: PanelConfig, parent: QWidget | None = None
    ) -> None:
        if not isinstance(config, MapConfig):
            raise TypeError(f"MapPanel needs a MapConfig, got {type(config).__name__}")
        super().__init__(context, config, parent)
        self._ready = False
        self._layers = tuple(dict.fromkeys(config.layers))
        self._geo_layers = [layer for layer in self._layers if layer not in STORE_LAYERS]
        # What the page is missing: whole layers to resend, and single records to upsert.
        self._dirty: set[str] = set(self._layers)
        self._camera_ids: set[str] = set()
        self._incidents: dict[str, Incident] = {}
        self._timer = QTimer(self, singleShot=True, interval=FLUSH_MS)
        self._timer.timeout.connect(self._flush)

        self._view = QWebEngineView(self)
        self._view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no "Reload"
        self._page = _MapPage(map_profile(), self._view)
        self._bridge = _Bridge(self._on_marker_clicked, self)
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
        self._html = build_html(config)
        self._page.setHtml(self._html, QUrl.fromLocalFile(f"{RESOURCES}/"))

    # -- public -------------------------------------------------------------
    def title(self) -> str:
        return self.tr("Map")

    def is_ready(self) -> bool:
        return self._ready

    def page(self) -> QWebEnginePage:
        return self._page

    def read_counts(self, callback: Callable[[dict[str, Any]], None]) -> None:
        """Call back with what the page draws ({cameras, incidents, districts, layers}), after
        any pending batch is sent, or once the page is ready: a check for tests and status."""
        if not self._ready:
            once = Qt.ConnectionType.SingleShotConnection
            self.pageReady.connect(lambda: self.read_counts(callback), once)
            return
        self._flush()

        def deliver(text: str) -> None:
            if text:  # '' if the renderer went away meanwhile
                callback(json.loads(text))

        self._page.runJavaScript("JSON.stringify(iocMap.counts())", 0, deliver)

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

    def _on_reset(self) -> None:
        """Resets are rare (start, reconnect): resending every layer keeps this simple."""
        self._dirty.update(self._layers)
        self._schedule()

    def _on_camera_status(self, camera_id: str, _status: str) -> None:
        self._camera_ids.add(camera_id)
        self._schedule()

    def _on_incidents(self, incidents: list[Incident]) -> None:
        self._incidents.update((incident.id, incident) for incident in incidents)
        self._schedule()

    def _on_layer_loaded(self, layer_id: str) -> None:
        if layer_id in self._geo_layers:
            self._dirty.add(layer_id)
            self._schedule()

    def _schedule(self) -> None:
        """Coalesce: the first change starts the timer, later ones ride along (≤ FLUSH_MS)."""
        if self._ready and not self._timer.isActive():
            self._timer.start()

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
        self._ready, self._dirty = False, set(self._layers)
        self._page.allow_navigation()
        self._page.setHtml(self._html, QUrl.fromLocalFile(f"{RESOURCES}/"))

    def _flush(self) -> None:
        """Send everything pending as one runJavaScript batch."""
        if not self._ready:
            return
        self._timer.stop()
        calls: list[str] = []
        dirty, self._dirty = self._dirty, set()
        store = self.context
        if "cameras" in dirty:
            calls.append(self._call("setCameras", _points(store.cameras.cameras(), CAMERA_FIELDS)))
        elif self._camera_ids:
            cameras = [c for i in sorted(self._camera_ids) if (c := store.cameras.get(i))]
            calls.append(self._call("upsertCameras", _points(cameras, CAMERA_FIELDS)))
        if "incidents" in dirty:
            incidents = store.incidents.incidents()
            calls.append(self._call("setIncidents", _points(incidents, INCIDENT_FIELDS)))
        elif self._incidents:
            incidents = list(self._incidents.values())
            calls.append(self._call("upsertIncidents", _points(incidents, INCIDENT_FIELDS)))
        self._camera_ids.clear()
        self._incidents.clear()
        for layer_id in self._geo_layers:
            if layer_id in dirty:
                try:
                    calls.append(
                        self._call("setGeoJson", layer_id, store.layers.features(layer_id))
                    )
                except ValueError:  # NaN/Infinity from a backend: not JSON, not drawable
                    log.warning("map: layer %s has non-finite numbers; not shown", layer_id)
        if calls:
            self._page.runJavaScript(";\n".join(calls) + ";\n0")

    @staticmethod
    def _call(function: str, *args: Any) -> str:
        return f"iocMap.{function}({','.join(js_literal(arg) for arg in args)})"

    def _on_marker_clicked(self, kind: str, marker_id: str) -> None:
        """Re-emit only ids the stores know: the page is not trusted to invent them."""
        if kind == "camera" and self.context.cameras.get(marker_id) is not None:
            self.cameraClicked.emit(marker_id)
        elif kind == "incident" and self.context.incidents.get(marker_id) is not None:
            self.incidentClicked.emit(marker_id)
