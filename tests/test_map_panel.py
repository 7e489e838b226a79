"""MapPanel: local-only page, live batched updates, clicks through QWebChannel, no XSS.

Stores are built here from domain objects, so no backend or network is involved. Every wait
is a qtbot wait on a signal or a condition read back from the page.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QUrl

from console.domain.records import Camera, CameraStatus, Incident
from console.layout.panel_kinds import KpiChartConfig, MapConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from widgets.panel import PanelContext

# The GPU-probe noise QtWebEngine logs on a machine without a GPU is ignored in pyproject.toml.

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
LOCAL_SCHEMES = {"file", "qrc", "data", "about"}
PRIORITIES = ("critical", "high", "medium", "low")

INJECTIONS = (
    '<img src=x onerror="window.__pwned=true">',
    "</script><script>window.__pwned=true</script>",
    '"><svg onload="window.__pwned=true">',
    "${window.__pwned=true}",
    "`;window.__pwned=true;`",
    "'); window.__pwned=true; ('",
    '"); window.__pwned=true; //',
    '\\"); window.__pwned=true; //',
    "\u2028window.__pwned=true//\u2029",
    '<iframe srcdoc="<script>parent.__pwned=true</script>"></iframe>',
    '<details open ontoggle="window.__pwned=true">',
    "javascript:window.__pwned=true",
    "{{constructor.constructor('window.__pwned=true')()}}",
    "]]><!--<script>window.__pwned=true</script>-->",
    "Đường Nguyễn Huệ \x00 \u200b",
)


def camera(i: int, name: str | None = None, district: str = "Đồng Xoài") -> Camera:
    return Camera(
        id=f"cam-{i}",
        name=name or f"Camera {i}",
        district=district,
        lat=11.5 + 0.01 * i,
        lon=106.9 + 0.01 * i,
        status=CameraStatus.ONLINE if i % 2 else CameraStatus.OFFLINE,
        streams={},
    )


def incident(i: int, title: str | None = None, revision: int = 1, **extra: Any) -> Incident:
    return Incident.model_validate(
        {
            "id": f"inc-{i}",
            "title": title or f"Incident {i}",
            "category": "traffic",
            "priority": PRIORITIES[i % 4],
            "status": "received",
            "source": "citizen",
            "district": "Đồng Xoài",
            "lat": 11.52 + 0.01 * i,
            "lon": 106.88 + 0.01 * i,
            "created_at": T0 + timedelta(minutes=i),
            "updated_at": T0 + timedelta(minutes=i),
            "revision": revision,
            **extra,
        }
    )


def district(name: str, lon: float, lat: float, size: float = 0.1) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture(name="context")
def context_fixture(qapp: Any) -> PanelContext:
    cameras, incidents, layers = CameraStore(), IncidentTableModel(), LayerStore()
    cameras.replace(camera(i) for i in range(5))
    incidents.upsert(incident(i) for i in range(7))
    layers.set_features(
        "districts",
        collection(
            district("Đồng Xoài", 106.8, 11.45),
            district("Bình Long", 106.9, 11.45),
            district("Phước Long", 106.8, 11.55),
        ),
    )
    return PanelContext(cameras, incidents, KpiStore(), layers)


@pytest.fixture(name="open_panel")
def open_panel_fixture(qtbot: Any) -> Iterator[Callable[..., Any]]:
    """Shows a MapPanel and waits for its page. Panels are deleted at teardown, even when a
    failing test's traceback still holds them, so no page outlives the shared profile."""
    from widgets.map.panel import MapPanel

    panels: list[MapPanel] = []

    def open_(context: PanelContext, config: MapConfig | None = None) -> MapPanel:
        panel = MapPanel(context, config or MapConfig())
        panels.append(panel)
        panel.resize(640, 480)
        panel.show()
        if not panel.is_ready():
            with qtbot.waitSignal(panel.pageReady, timeout=15_000):
                pass
        return panel

    yield open_
    for panel in panels:
        if shiboken6.isValid(panel):
            shiboken6.delete(panel)


def evaluate(qtbot: Any, panel: Any, expression: str) -> Any:
    """Value of a JS expression, after any batch the panel has pending."""
    results: list[Any] = []
    panel.evaluate(expression, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5_000)
    return results[0]


def counts(qtbot: Any, panel: Any) -> dict[str, Any]:
    """Through the panel's own read_counts (also used by the wall integration test)."""
    results: list[dict[str, Any]] = []
    panel.read_counts(results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5_000)
    return results[0]


@pytest.fixture(name="recorded_requests")
def recorded_requests_fixture(qapp: Any) -> Iterator[list[str]]:
    """Every URL the map profile requests. Chromium's own LocalContentCanAccessRemoteUrls
    block would hide remote attempts from the interceptor, so it is relaxed for the test."""
    from PySide6.QtWebEngineCore import QWebEngineSettings, QWebEngineUrlRequestInterceptor

    from widgets.map.panel import map_profile

    seen: list[str] = []

    class Recorder(QWebEngineUrlRequestInterceptor):
        def interceptRequest(self, info: Any) -> None:
            url = info.requestUrl()
            seen.append(url.toString())
            # Loopback goes on to the page's own guard (a test tile server lives there).
            if url.scheme() not in LOCAL_SCHEMES and url.host() != "127.0.0.1":
                info.block(True)

    profile, attribute = (
        map_profile(),
        QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls,
    )
    recorder = Recorder()
    profile.setUrlRequestInterceptor(recorder)
    profile.settings().setAttribute(attribute, True)
    try:
        yield seen
    finally:
        profile.settings().setAttribute(attribute, False)
        profile.setUrlRequestInterceptor(None)


def test_page_loads_only_local_files(
    qtbot: Any, open_panel: Any, context: PanelContext, recorded_requests: list[str]
):
    panel = open_panel(context)

    remote = [url for url in recorded_requests if QUrl(url).scheme() not in LOCAL_SCHEMES]
    assert remote == []
    assert any(url.endswith("/leaflet.js") for url in recorded_requests)
    assert any(url.endswith("/map.js") for url in recorded_requests)
    # The check is not vacuous: a remote reference added to the page is seen (and blocked).
    panel.page().runJavaScript(
        "document.head.appendChild(Object.assign(document.createElement('script'),"
        " {src: 'https://cdn.invalid/probe.js'}))"
    )
    qtbot.waitUntil(lambda: "https://cdn.invalid/probe.js" in recorded_requests, timeout=5_000)


def test_profile_is_off_the_record_and_local_only(
    qtbot: Any, open_panel: Any, context: PanelContext
):
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings

    panel = open_panel(context)
    page = panel.page()
    assert page.profile().isOffTheRecord()
    attribute = QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls
    # The profile keeps Chromium's blanket refusal; the map page hands every remote request
    # to its guard instead, which refuses (and logs) all but the tile servers: none here.
    assert not page.profile().settings().testAttribute(attribute)
    assert not page.guard.allows(QUrl("https://leafletjs.com/leaflet.js"))
    link = QWebEnginePage.NavigationType.NavigationTypeLinkClicked
    assert not page.acceptNavigationRequest(QUrl("https://leafletjs.com"), link, True)
    assert panel.title() == "Map" and panel.KIND == "map"


def test_markers_on_page_match_the_stores(qtbot: Any, open_panel: Any, context: PanelContext):
    lights = collection(
        *(
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": c}}
            for c in ([106.9, 11.5], [106.91, 11.51], [106.92, 11.52])
        )
    )
    context.layers.set_features("streetlights", lights)
    context.layers.set_features("cameras", collection())  # the live CameraStore wins
    config = MapConfig(layers=("districts", "cameras", "incidents", "streetlights"))
    panel = open_panel(context, config)

    assert counts(qtbot, panel) == {
        "cameras": len(context.cameras.cameras()),
        "incidents": len(context.incidents.incidents()),
        "districts": 3,
        "layers": {"districts": 3, "streetlights": 3},
    }


def test_a_hidden_panel_answers_counts_when_ready_and_fits_when_shown(
    qtbot: Any, context: PanelContext
):
    from widgets.map.panel import MapPanel

    panel = MapPanel(context, MapConfig())  # never shown: the page loads all the same
    try:
        results: list[dict[str, Any]] = []
        panel.read_counts(results.append)
        assert not panel.is_ready()
        qtbot.waitUntil(lambda: bool(results), timeout=15_000)
        assert (results[0]["cameras"], results[0]["incidents"]) == (5, 7)
        # A hidden map has no size to fit; it fits to the districts once it is shown.
        panel.resize(640, 480)
        panel.show()
        qtbot.waitUntil(lambda: evaluate(qtbot, panel, "iocMap.view().zoom") > 8, timeout=5_000)
    finally:
        shiboken6.delete(panel)


def test_live_updates_are_batched_without_reload_and_keep_the_view(
    qtbot: Any, open_panel: Any, context: PanelContext
):
    panel = open_panel(context, MapConfig(center=(11.55, 106.95), zoom=12))
    loads: list[bool] = []
    panel.page().loadStarted.connect(lambda: loads.append(True))
    view = evaluate(qtbot, panel, "iocMap.view()")
    assert view == {
        "lat": pytest.approx(11.55, abs=1e-3),
        "lon": pytest.approx(106.95, abs=1e-3),
        "zoom": 12,
    }
    sent: list[str] = []
    run_js = panel.page().runJavaScript
    panel.page().runJavaScript = lambda script, *a: (sent.append(script), run_js(script, *a))

    for i in range(7, 27):  # a burst of single-record signals...
        context.incidents.upsert([incident(i)])
    context.incidents.upsert([incident(0, title="Updated", revision=2)])
    context.cameras.set_status("cam-1", CameraStatus.OFFLINE)
    far_away = collection(district("Far", 108.0, 15.0, 2.0))
    context.layers.set_features("districts", far_away)

    qtbot.waitUntil(lambda: counts(qtbot, panel)["incidents"] == 27, timeout=5_000)
    assert len([s for s in sent if s.startswith("iocMap.")]) == 1  # ...is one JS call
    assert counts(qtbot, panel)["districts"] == 1
    assert evaluate(qtbot, panel, "iocMap.incident('inc-0').data.title") == "Updated"
    assert evaluate(qtbot, panel, "iocMap.marker('camera', 'cam-1').iocData.status") == "offline"
    assert evaluate(qtbot, panel, "iocMap.view()") == view
    assert loads == []


def test_fits_districts_once_when_they_first_arrive(
    qtbot: Any, open_panel: Any, context: PanelContext
):
    context.layers.set_features("districts", collection())  # not there yet
    panel = open_panel(context, MapConfig(center=None))
    assert evaluate(qtbot, panel, "iocMap.view().zoom") == 1  # folium's world view

    context.layers.set_features("districts", collection(district("A", 106.8, 11.45)))
    qtbot.waitUntil(lambda: evaluate(qtbot, panel, "iocMap.view().zoom") > 8, timeout=5_000)
    fitted = evaluate(qtbot, panel, "iocMap.view()")
    assert fitted["lat"] == pytest.approx(11.5, abs=0.05)

    context.layers.set_features("districts", collection(district("B", 100.0, 20.0)))
    first_name = "iocMap.layer('districts').toGeoJSON().features[0].properties.name"
    qtbot.waitUntil(lambda: evaluate(qtbot, panel, first_name) == "B", timeout=5_000)
    assert evaluate(qtbot, panel, "iocMap.view()") == fitted


def click_at(panel: Any, x: float, y: float) -> None:
    """A real left click on the page, where the operator would click."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    target = panel._view.focusProxy()
    QTest.mouseClick(
        target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), QPoint(round(x), round(y))
    )


def test_camera_marker_click_emits_its_id(qtbot: Any, open_panel: Any, context: PanelContext):
    panel = open_panel(context)
    with qtbot.waitSignal(panel.cameraClicked, timeout=5_000) as blocker:
        panel.page().runJavaScript("iocMap.marker('camera', 'cam-2').fire('click')")
    assert blocker.args == ["cam-2"]


def test_a_click_on_an_incident_emits_its_id_and_selects_it(
    qtbot: Any, open_panel: Any, context: PanelContext
):
    panel = open_panel(context, MapConfig(center=(11.55, 106.91), zoom=15))
    where = evaluate(qtbot, panel, "iocMap.incident('inc-3')")
    assert where["data"]["title"] == "Incident 3" and not where["selected"]
    with qtbot.waitSignal(panel.incidentClicked, timeout=5_000) as blocker:
        click_at(panel, where["x"], where["y"])
    assert blocker.args == ["inc-3"]
    assert evaluate(qtbot, panel, "iocMap.incident('inc-3').selected") is True
    popup = "document.querySelector('.leaflet-popup-content').textContent"
    assert evaluate(qtbot, panel, popup).startswith("Incident 3")


SHOW_ALL_OVERLAYS = """(() => {
    const texts = [];
    const show = (layer) => {
        layer.openTooltip();
        texts.push(layer.getTooltip().getElement().textContent);
        if (layer.getPopup()) {
            layer.openPopup();
            texts.push(layer.getPopup().getElement().textContent);
        }
    };
    const ids = %s;
    ids.camera.forEach((id) => show(iocMap.marker("camera", id)));
    ids.incident.forEach((id) => texts.push(...iocMap.incidentTexts(id)));
    iocMap.layer("districts").eachLayer(show);
    return texts;
})()"""


def test_injected_markup_never_executes(qtbot: Any, open_panel: Any):
    cameras, incidents, layers = CameraStore(), IncidentTableModel(), LayerStore()
    cameras.replace(camera(i, name=p, district=p) for i, p in enumerate(INJECTIONS))
    districts = (district(p, 106 + 0.1 * i, 11) for i, p in enumerate(INJECTIONS))
    layers.set_features("districts", collection(*districts))
    first, later = INJECTIONS[::2], INJECTIONS[1::2]
    incidents.upsert(incident(i, title=p, district=p) for i, p in enumerate(first))
    panel = open_panel(PanelContext(cameras, incidents, KpiStore(), layers))
    # The rest arrive live (the upsert path), one with a hostile id.
    evil_id = INJECTIONS[1]
    incidents.upsert([incident(100, title=evil_id, id=evil_id)])
    incidents.upsert(incident(101 + i, title=p, district=p) for i, p in enumerate(later[1:]))
    qtbot.waitUntil(lambda: counts(qtbot, panel)["incidents"] == len(INJECTIONS), timeout=5_000)

    ids = {
        "camera": [c.id for c in cameras.cameras()],
        "incident": [i.id for i in incidents.incidents()],
    }
    texts = evaluate(qtbot, panel, SHOW_ALL_OVERLAYS % json.dumps(ids))
    assert set(INJECTIONS) <= set(texts)  # shown verbatim, as text
    # Barrier: a failing image load issued now errors after any injected one would have.
    panel.page().runJavaScript(
        "{ const probe = new Image(); probe.onerror = () => { window.__probe = true; };"
        " probe.src = 'missing-probe.png'; }"
    )
    qtbot.waitUntil(lambda: evaluate(qtbot, panel, "window.__probe === true"), timeout=5_000)
    assert evaluate(qtbot, panel, "typeof window.__pwned") == "undefined"
    injected = ".leaflet-map-pane :is(img, iframe, details, script, style)"
    assert evaluate(qtbot, panel, f"document.querySelectorAll('{injected}').length") == 0
    # The only SVG is Leaflet's own renderer (the camera pane), directly in its pane.
    svgs = "[...document.querySelectorAll('.leaflet-map-pane svg')]"
    stray = f"{svgs}.filter((e) => !e.parentElement.classList.contains('leaflet-pane')).length"
    assert evaluate(qtbot, panel, stray) == 0

    # A hostile id survives the round trip through the page as data.
    panel.select_incident(evil_id)
    selected = evaluate(qtbot, panel, f"iocMap.incident({json.dumps(evil_id)})")
    assert selected["selected"] is True
    with qtbot.waitSignal(panel.incidentClicked, timeout=5_000) as blocker:
        click_at(panel, selected["x"], selected["y"])
    assert blocker.args == [evil_id]


def test_reloads_and_resends_after_the_renderer_dies(
    qtbot: Any, open_panel: Any, context: PanelContext
):
    panel = open_panel(context)
    pid = panel.page().renderProcessPid()
    assert pid > 0
    with qtbot.waitSignal(panel.pageReady, timeout=15_000):
        os.kill(pid, signal.SIGKILL)  # the renderer this test's page started
    assert panel.page().renderProcessPid() != pid
    assert counts(qtbot, panel)["incidents"] == len(context.incidents.incidents())


def test_a_deleted_panel_leaves_the_stores_working(
    qtbot: Any, open_panel: Any, context: PanelContext
):
    panel = open_panel(context)
    shiboken6.delete(panel)
    context.cameras.replace([camera(9)])
    context.cameras.set_status("cam-9", CameraStatus.OFFLINE)
    context.incidents.upsert([incident(50)])
    context.layers.replace([])
    context.layers.set_features("districts", collection())


def test_js_literal_cannot_break_out_of_a_script():
    from widgets.map.panel import js_literal

    text = js_literal({"t": "</script>\u2028\u2029"})
    assert "</" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"t": "</script>\u2028\u2029"}
    with pytest.raises(ValueError):
        js_literal(float("nan"))


def test_a_remote_asset_in_the_page_is_refused_at_build_time(monkeypatch: Any, qapp: Any):
    from widgets.map import page as map_page

    monkeypatch.setattr(map_page, "QWEBCHANNEL_JS", "//cdn.example.org/qwebchannel.js")
    with pytest.raises(RuntimeError, match=r"cdn\.example\.org"):
        map_page.build_html(MapConfig(), {})


def test_rejects_a_config_of_another_kind(qtbot: Any, context: PanelContext):
    from widgets.map.panel import MapPanel

    with pytest.raises(TypeError):
        MapPanel(context, KpiChartConfig())


def test_a_feature_with_nan_coordinates_is_skipped_and_the_layer_stays(
    qtbot: Any, open_panel: Any, context: PanelContext, caplog: pytest.LogCaptureFixture
) -> None:
    broken = [
        district("NaN", float("nan"), 11.5),
        district("Inf", 106.9, float("inf")),
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": "x"}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1]}},
    ]
    good = [district("A", 106.8, 11.45), district("C", 106.9, 11.6)]
    context.layers.set_features("districts", collection(good[0], *broken, good[1]))
    panel = open_panel(context, MapConfig(layers=("districts",)))
    assert counts(qtbot, panel)["districts"] == 2
    assert "districts: skipped 4 feature(s)" in caplog.text


def test_refusals_are_logged_by_host_and_a_flood_is_summed_up(qtbot: Any) -> None:
    """The first refusals of an interval get a line each, the rest one line at its end."""
    import logging

    from widgets.map.refusals import RefusalLog

    now = [0.0]
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    log = logging.getLogger("test.refusals")
    log.addHandler(Collect())
    refusals = RefusalLog(log, burst=5, interval_s=60.0, clock=lambda: now[0])
    owed = [refusals.refused(f"http://evil.invalid/{i}", "evil.invalid") for i in range(1000)]
    assert len(records) == 5 and "evil.invalid" in records[0]
    assert owed[4] is False and owed[5] is True and refusals.due_in() == 60.0
    now[0] = 60.0
    refusals.flush()
    assert len(records) == 6 and "995 more" in records[5] and "evil.invalid ×995" in records[5]
    refusals.flush()  # nothing owed: no line
    refusals.refused("http://other.invalid/", "other.invalid")  # a fresh interval
    assert len(records) == 7 and "other.invalid" in records[6]


def test_a_page_without_tile_servers_logs_each_refused_host_rate_limited(
    qtbot: Any,
    open_panel: Any,
    context: PanelContext,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Chromium used to refuse a tile-less page's remote requests silently."""
    import re

    import widgets.map.page

    monkeypatch.setattr(widgets.map.page, "REFUSAL_INTERVAL_S", 3.0)
    panel = open_panel(context)  # no base layers: nothing remote is allowed
    guard = panel.page().guard
    panel.page().runJavaScript("new Image().src = 'http://10.0.0.1/probe.png'")
    qtbot.waitUntil(lambda: "10.0.0.1" in caplog.text, timeout=5_000)  # names the host
    panel.page().runJavaScript(
        "for (let i = 0; i < 1000; i++) new Image().src = `http://10.9.9.9/t${i}.png`"
    )
    qtbot.waitUntil(lambda: guard.refusals.total == 1001, timeout=15_000)
    qtbot.waitUntil(lambda: guard.refusals.suppressed == 0, timeout=10_000)  # summed up
    lines = [r.getMessage() for r in caplog.records if r.name == "widgets.map.page"]
    single = [line for line in lines if "refused a request to 10.9.9.9" in line]
    summed = [int(m[1]) for line in lines if (m := re.search(r"refused (\d+) more", line))]
    assert single and summed and len(single) + sum(summed) == 1000  # each one accounted for
    assert all("10.9.9.9 ×" in line for line in lines if "more request(s)" in line)
    # Each interval: at most REFUSALS_LOGGED lines and its summary; the last may have none.
    assert len(lines) <= (len(summed) + 1) * (widgets.map.page.REFUSALS_LOGGED + 1)
