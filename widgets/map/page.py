"""The map's web page: built once by folium from local files, in a locked-down profile.

Everything about what the page may load and call lives here: the base HTML (local Leaflet,
configured tile servers only), the off-the-record profile, a request guard that lets through
local files and the configured tile servers and nothing else (and logs the rest), a page that
refuses to navigate away, and the bridge object, the only thing the page can call.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, TypedDict, cast

import folium
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Slot
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)

from console.assets import map_dir
from console.layout.panel_kinds import BaseLayer, MapConfig
from widgets.map.refusals import RefusalLog

log = logging.getLogger(__name__)

RESOURCES = map_dir()
LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR)
JQUERY_DIR = Path(xstatic.pkg.jquery.BASE_DIR)
QWEBCHANNEL_JS = "qrc:///qtwebchannel/qwebchannel.js"
SCRIPTS = ("points.js", "map.js")  # points.js: the canvas layer map.js draws incidents with
LOCAL_SCHEMES = frozenset({"file", "qrc", "data", "about", "blob"})
REFUSALS_LOGGED = 20  # per interval, one line each; the rest as one summary line
REFUSAL_INTERVAL_S = 60.0
# Any src/href that leaves the machine: http(s) or protocol-relative.
_REMOTE_REF = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", re.I)


def file_url(path: Path) -> str:
    if not path.is_file():
        raise FileNotFoundError(f"map asset missing: {path}")
    return QUrl.fromLocalFile(str(path)).toString()


def js_literal(value: Any) -> str:
    """JSON that is also a safe JS expression: no `</`, no raw U+2028/2029, no NaN."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def origin_pattern(template: str) -> re.Pattern[str]:
    """The origins a tile URL template may reach: scheme, host (with `{s}` subdomains) and
    port; any path. Used to let tile requests through and nothing else."""
    url = QUrl(template.replace("{s}", "s"))
    host = re.escape(template.split("://", 1)[1].split("/", 1)[0].split("@")[-1])
    host = host.replace(re.escape("{s}"), "[a-z0-9-]+")
    if ":" not in host.rsplit("]", 1)[-1]:  # no explicit port: the scheme's default
        host += f"(?::{url.port(443 if url.scheme() == 'https' else 80)})?"
    return re.compile(rf"^{re.escape(url.scheme())}://{host}(?:/|$)", re.I)


class RequestGuard(QWebEngineUrlRequestInterceptor):
    """Lets local schemes and the configured tile servers through; blocks and logs the rest
    (an injected <img src=https://...> or a script that phones home), rate-limited."""

    def __init__(self, allowed: Iterable[re.Pattern[str]], parent: QObject) -> None:
        super().__init__(parent)
        self._allowed = tuple(allowed)
        self.blocked: list[str] = []  # the first 100, for tests and diagnostics
        self.refusals = RefusalLog(log, REFUSALS_LOGGED, REFUSAL_INTERVAL_S)
        self._summary = QTimer(self, singleShot=True)
        self._summary.timeout.connect(self.refusals.flush)

    def allows(self, url: QUrl) -> bool:
        if url.scheme() in LOCAL_SCHEMES:
            return True
        text = url.toString()
        return any(pattern.match(text) for pattern in self._allowed)

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if self.allows(url):
            return
        info.block(True)
        shown = QUrl(url)
        shown.setUserInfo("")  # a user:password in a hostile URL stays out of the log
        text = shown.toString()
        if len(self.blocked) < 100:
            self.blocked.append(url.toString())
        if self.refusals.refused(text, url.host()) and not self._summary.isActive():
            self._summary.start(round(self.refusals.due_in() * 1000))


class _TileOptions(TypedDict):
    """What XYZ and WMS base layers share (typed, so folium's arguments are checked)."""

    name: str
    attr: str
    overlay: bool
    control: bool
    show: bool
    max_zoom: int


def _add_base_layers(fmap: folium.Map, layers: tuple[BaseLayer, ...]) -> list[tuple[str, str]]:
    """Tile layers for the switcher (first one shown): [(name, JS variable)]. Attribution
    is shown by Leaflet as HTML, so it is escaped even though a layout file is trusted."""
    named: list[tuple[str, str]] = []
    for index, base in enumerate(layers):
        common: _TileOptions = {
            "name": base.name,
            "attr": html.escape(base.attribution) or " ",
            "overlay": False,
            "control": False,
            "show": index == 0,
            "max_zoom": base.max_zoom,
        }
        layer: folium.TileLayer | folium.WmsTileLayer
        if base.kind == "wms":
            layer = folium.WmsTileLayer(
                url=base.url,
                layers=base.layers,
                fmt=base.format,
                transparent=base.transparent,
                **common,
            )
        else:
            layer = folium.TileLayer(tiles=base.url, **common)
        layer.add_to(fmap)
        named.append((base.name, layer.get_name()))
    return named


def build_html(config: MapConfig, options: dict[str, Any]) -> str:
    """Render the base page once; raises if any asset would be fetched from the network."""
    fmap = folium.Map(
        location=config.center,
        zoom_start=config.zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,  # map.js adds a metric-only one
    )
    # Replace folium's CDN defaults (leaflet, jquery, bootstrap, font-awesome, awesome-markers):
    # keep what the page uses, from local xstatic packages; drop the rest.
    fmap.default_js = [
        ("leaflet", file_url(LEAFLET_DIR / "leaflet.js")),
        ("jquery", file_url(JQUERY_DIR / "jquery.min.js")),
    ]
    fmap.default_css = [("leaflet_css", file_url(LEAFLET_DIR / "leaflet.css"))]
    bases = _add_base_layers(fmap, config.base_layers)
    root = cast("folium.Figure", fmap.get_root())
    root.header.add_child(folium.JavascriptLink(QWEBCHANNEL_JS), name="qwebchannel")
    for script in SCRIPTS:
        root.header.add_child(folium.JavascriptLink(file_url(RESOURCES / script)), name=script)
    page = root.render()
    if remote := _REMOTE_REF.findall(page):
        raise RuntimeError(f"map page would load remote assets: {remote}")
    # Added to the rendered text so that they come after folium's own parts: the css after
    # leaflet.css (to win the cascade), the attach call after the script that creates the map.
    css = f'<link rel="stylesheet" href="{file_url(RESOURCES / "map.css")}"/>'
    base_list = "[" + ",".join(f"[{js_literal(name)},{var}]" for name, var in bases) + "]"
    attach = (
        f"<script>iocMap.attach({fmap.get_name()}, {js_literal(options)}, {base_list});</script>"
    )
    head, _, rest = page.partition("</head>")
    body, _, tail = rest.rpartition("</html>")
    return f"{head}{css}\n</head>{body}{attach}\n</html>{tail}"


@cache
def map_profile() -> QWebEngineProfile:
    """One off-the-record profile per process: nothing written to the wall PC's disk, and a
    page (file:// content) may not reach remote URLs unless it says so (MapPage does, and
    its guard decides)."""
    profile = QWebEngineProfile(QCoreApplication.instance())  # no storage name: off the record
    settings = profile.settings()
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanOpenWindows, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
    return profile


class MapPage(QWebEnginePage):
    """Accepts only the first navigation: a stray link click (e.g. the attribution) must
    not replace the map with an unreachable web page."""

    def __init__(
        self, profile: QWebEngineProfile, base_layers: tuple[BaseLayer, ...], parent: QObject
    ):
        super().__init__(profile, parent)
        self._navigated = False
        self.guard = RequestGuard((origin_pattern(b.url) for b in base_layers), self)
        self.setUrlRequestInterceptor(self.guard)
        # Chromium refuses a file:// page's remote requests before any interceptor sees
        # them, silently. Let every request reach the guard instead: it lets through the
        # tile servers (if any) and refuses, and logs, everything else.
        attribute = QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls
        self.settings().setAttribute(attribute, True)

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


class Bridge(QObject):
    """The only object published to the page: a marker click and a click on the land,
    nothing else (callbacks rather than signals keep its published surface to these slots)."""

    def __init__(
        self,
        on_marker: Callable[[str, str], None],
        on_point: Callable[[float, float], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._on_marker = on_marker
        self._on_point = on_point

    @Slot(str, str)
    def markerClicked(self, kind: str, marker_id: str) -> None:
        self._on_marker(kind, marker_id)

    @Slot(float, float)
    def pointClicked(self, lat: float, lon: float) -> None:
        self._on_point(lat, lon)
