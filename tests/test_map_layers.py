"""Map layers: clustered incidents, choropleth, asset colours, switcher, selection, nearest
cameras and configured tile servers, read back from the real page under QtWebEngine."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QUrl

from console.domain.geo import NO_DATA, PALETTE, nearest_cameras
from console.domain.records import Kpi, KpiSampleEvent, LayerInfo
from console.layout.panel_kinds import BaseLayer, MapConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from tests.test_map_panel import (  # noqa: F401  (the *_fixture names register fixtures)
    INJECTIONS,
    LOCAL_SCHEMES,
    camera,
    click_at,
    collection,
    context_fixture,
    evaluate,
    incident,
    open_panel_fixture,
    recorded_requests_fixture,
)
from widgets.panel import PanelContext

NOW = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
SWITCHER_NAMES = (
    "[...iocMap.control().getContainer().querySelectorAll('label')]"
    ".map((l) => l.textContent.trim())"
)


def crowd(count: int) -> list[Any]:
    """Incidents packed into a few km: one blob at city zoom, separate points up close."""
    return [
        incident(i, lat=11.5 + 0.0004 * (i % 25), lon=106.9 + 0.0004 * (i // 25))
        for i in range(count)
    ]


def test_incidents_group_at_low_zoom_and_separate_up_close(qtbot: Any, open_panel: Any):
    incidents = IncidentTableModel()
    incidents.upsert(crowd(500))
    ctx = PanelContext(CameraStore(), incidents, KpiStore(), LayerStore())
    panel = open_panel(ctx, MapConfig(center=(11.505, 106.904), zoom=10, layers=("incidents",)))

    assert evaluate(qtbot, panel, "iocMap.counts().incidents") == 500
    assert evaluate(qtbot, panel, "iocMap.drawn()") <= 4  # a handful of groups, not 500 dots

    panel.select_incident("inc-260")  # from the queue: zooms in past the groups, to it
    qtbot.waitUntil(lambda: evaluate(qtbot, panel, "iocMap.view().zoom") >= 14, timeout=5_000)
    shown = evaluate(qtbot, panel, "iocMap.incident('inc-260')")
    assert shown["selected"] is True
    where = f"iocMap.project({shown['data']['lat']}, {shown['data']['lon']})"
    expected = evaluate(qtbot, panel, where)
    assert (shown["x"], shown["y"]) == (
        pytest.approx(expected["x"], abs=1),
        pytest.approx(expected["y"], abs=1),
    )
    assert evaluate(qtbot, panel, "iocMap.drawn()") > 100  # now single points


def test_districts_are_coloured_by_their_kpi_with_a_legend(
    qtbot: Any, open_panel: Any, context: PanelContext
):
    def kpi(kpi_id: str, value: float, name: str = "") -> Kpi:
        return Kpi(id=kpi_id, name=name or kpi_id, unit="%", value=value, updated_at=NOW)

    context.kpis.replace(
        [
            kpi("on-time-rate", 97.0, "Tỉ lệ đúng hạn <b>"),
            kpi("on-time-rate.Đồng Xoài", 90.0),
            kpi("on-time-rate.Bình Long", 99.0),
        ]
    )
    panel = open_panel(context, MapConfig(choropleth="on-time-rate"))
    fills = "iocMap.layer('districts').getLayers().map((l) => l.options.fillColor)"
    assert evaluate(qtbot, panel, fills) == [PALETTE[0], PALETTE[-1], NO_DATA]
    legend = evaluate(qtbot, panel, "iocMap.legend().textContent")
    assert legend.startswith("Tỉ lệ đúng hạn <b>")  # the KPI name, as text
    assert "90 – 94.5 %" in legend and "94.5 – 99 %" in legend and "no data" in legend

    # A live sample turns the worst district into the best one.
    context.kpis.add_samples([KpiSampleEvent(kpi_id="on-time-rate.Đồng Xoài", t=NOW, value=100.0)])
    qtbot.waitUntil(
        lambda: evaluate(qtbot, panel, fills) == [PALETTE[-1], PALETTE[0], NO_DATA],
        timeout=5_000,
    )


def test_asset_points_take_status_colours_and_names_are_escaped_in_the_switcher(
    qtbot: Any, open_panel: Any, context: PanelContext
):
    def light(status: str, lon: float) -> dict[str, Any]:
        return {
            "type": "Feature",
            "properties": {"name": f"Light {status}", "status": status},
            "geometry": {"type": "Point", "coordinates": [lon, 11.5]},
        }

    context.layers.set_features("streetlights", collection(light("on", 106.9), light("fault", 107)))
    context.layers.set_features("assets", collection(light("ok", 106.95)))
    hostile = INJECTIONS[0]
    context.layers.replace(
        [LayerInfo(id="assets", name=hostile, geometry="point", feature_count=1)]
    )
    config = MapConfig(layers=("districts", "streetlights", "assets", "cameras", "incidents"))
    panel = open_panel(context, config)

    colours = "iocMap.layer('streetlights').getLayers().map((l) => l.options.fillColor)"
    on, fault = evaluate(qtbot, panel, colours)
    assert on != fault and fault == "#ef4444"
    names = SWITCHER_NAMES
    qtbot.waitUntil(lambda: hostile in evaluate(qtbot, panel, names), timeout=5_000)
    assert evaluate(qtbot, panel, names) == [
        "District boundaries",
        "Street lights",
        hostile,
        "Cameras",
        "Incidents",
    ]
    assert evaluate(qtbot, panel, "document.querySelectorAll('.leaflet-control img').length") == 0
    assert evaluate(qtbot, panel, "typeof window.__pwned") == "undefined"


def test_nearest_cameras_to_a_selected_incident_and_to_a_clicked_point(
    qtbot: Any, open_panel: Any, context: PanelContext
):
    context.cameras.replace(camera(i) for i in range(12))
    panel = open_panel(context, MapConfig(center=(11.55, 106.9), zoom=11))
    target = context.incidents.get("inc-4")
    assert target is not None
    expected = [c.id for c, _ in nearest_cameras(context.cameras.cameras(), target.lat, target.lon)]

    with qtbot.waitSignal(panel.nearestCameras, timeout=5_000) as blocker:
        panel.select_incident("inc-4")
    assert blocker.args == [expected] and len(expected) == 3
    qtbot.waitUntil(lambda: evaluate(qtbot, panel, "iocMap.highlighted()") == sorted(expected))

    # A click on the map, away from every marker: the cameras nearest that point.
    spot = evaluate(qtbot, panel, "iocMap.project(11.565, 106.925)")
    with qtbot.waitSignal(panel.nearestCameras, timeout=5_000) as blocker:
        click_at(panel, spot["x"], spot["y"])
    near = nearest_cameras(context.cameras.cameras(), 11.565, 106.925)
    assert blocker.args == [[c.id for c, _ in near]]
    assert all(c.status.value == "online" for c, _ in near)  # offline ones cannot help


class _Tiles(BaseHTTPRequestHandler):
    """A loopback tile server: a 1×1 PNG for every /z/x/y.png, and a list of what it served."""

    PNG = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
    )
    served: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.served.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.PNG)))
        self.end_headers()
        self.wfile.write(self.PNG)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def tile_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Tiles.served = []
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_tiles_load_from_the_configured_server_and_nothing_else_leaves(
    qtbot: Any,
    open_panel: Any,
    context: PanelContext,
    tile_server: str,
    recorded_requests: list[str],
):
    base = BaseLayer(name="City tiles", url=tile_server + "/{z}/{x}/{y}.png")
    panel = open_panel(context, MapConfig(center=(11.55, 106.95), zoom=12, base_layers=(base,)))
    qtbot.waitUntil(lambda: len(_Tiles.served) >= 4, timeout=10_000)
    assert all(path.startswith("/12/") and path.endswith(".png") for path in _Tiles.served)

    # Another loopback origin gets past the test's recorder: the page's own guard refuses it.
    probe = "http://127.0.0.1:9/probe.png"
    panel.page().runJavaScript(
        f"document.body.appendChild(Object.assign(new Image(), {{src: '{probe}'}}))"
    )
    qtbot.waitUntil(lambda: probe in panel.blocked_requests(), timeout=5_000)
    remote = [
        url
        for url in recorded_requests
        if QUrl(url).scheme() not in LOCAL_SCHEMES and not url.startswith(tile_server + "/")
    ]
    assert remote == [probe]
    names = SWITCHER_NAMES
    assert evaluate(qtbot, panel, names)[0] == "City tiles"
