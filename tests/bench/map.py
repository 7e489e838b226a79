"""Benchmark: 50,000 incidents on the map panel, against folium regenerating the page.

Measured inside QtWebEngine, end to end: from the store's signal (the data has arrived) to
the first animation frame after the page drew it, read with the renderer's clock
(performance.timeOrigin + now(), the same wall clock as Python's time.time()).
- first_paint_ms: all 50,000 incidents sent to a ready map and painted.
- update_1000_ms: 1,000 of them change (priority, status) and are repainted.
- folium_reload_ms: the baseline in the same run: folium builds a page with the same
  50,000 incidents as CircleMarkers (canvas, tooltips, local Leaflet), and a web view loads
  and paints it (what an update costs when the page is regenerated).
- ratio = folium_reload_ms / first_paint_ms; update_ratio = folium_reload_ms / update_1000_ms.
- webview_mb: resident memory of the map's renderer process with the 50,000 incidents.

    python -m tests.bench.map --json [--markers 50000] [--folium-markers N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

import folium
import shiboken6
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication

from console.domain.records import Incident, Priority
from console.layout.panel_kinds import MapConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from widgets.qt_setup import configure_qt

CENTER = (11.75, 106.9)  # Bình Phước
COLORS = {"low": "#3b82f6", "medium": "#eab308", "high": "#f97316", "critical": "#ef4444"}
PAINTED = (
    "requestAnimationFrame(() => requestAnimationFrame(() => "
    "{ window.__painted = performance.timeOrigin + performance.now(); }))"
)


def make_incidents(count: int, seed: int = 7) -> list[Incident]:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    priorities = list(Priority)
    return [
        Incident.model_validate(
            {
                "id": f"INC-{i:06d}",
                "title": f"Phản ánh số {i}: đèn đường hỏng, ngập nước",
                "category": "infrastructure",
                "priority": rng.choice(priorities),
                "status": "received",
                "source": "citizen",
                "district": "Đồng Xoài",
                "lat": CENTER[0] + rng.gauss(0, 0.25),
                "lon": CENTER[1] + rng.gauss(0, 0.25),
                "created_at": now,
                "updated_at": now,
                "revision": 1,
            }
        )
        for i in range(count)
    ]


def pump_until(app: QApplication, done: Callable[[], bool], timeout_s: float = 600) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not answer in time")
        app.processEvents()


def wait_painted(app: QApplication, page: QWebEnginePage) -> float:
    """Epoch ms of the first frame after everything queued so far ran in the page."""
    page.runJavaScript(f"window.__painted = 0; {PAINTED}")
    while True:
        got: list[Any] = []
        page.runJavaScript("window.__painted || 0", 0, got.append)
        pump_until(app, lambda got=got: bool(got))
        if got[0]:
            return float(got[0])


def renderer_mb(page: QWebEnginePage) -> float:
    status = Path(f"/proc/{page.renderProcessPid()}/status").read_text()
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
    return round(kb / 1024, 1)


def measure_panel(app: QApplication, incidents: list[Incident]) -> dict[str, float]:
    from widgets.map.panel import MapPanel
    from widgets.panel import PanelContext

    store = IncidentTableModel()
    arrived: list[float] = []
    store.incidentsUpserted.connect(lambda _batch: arrived.append(time.time() * 1000))
    context = PanelContext(CameraStore(), store, KpiStore(), LayerStore())
    panel = MapPanel(context, MapConfig(center=CENTER, zoom=10, layers=("incidents",)))
    panel.resize(1280, 800)
    panel.show()
    pump_until(app, panel.is_ready)
    wait_painted(app, panel.page())
    empty_mb = renderer_mb(panel.page())
    time.sleep(0.3)  # past the flush throttle, so the batch goes at once (a bench, not a test)

    store.upsert(incidents)
    counts: list[Any] = []
    panel.read_counts(counts.append)  # sends the pending batch first, then asks
    first_paint = wait_painted(app, panel.page()) - arrived[-1]
    seen_ms = time.time() * 1000 - arrived[-1]  # by Python's clock: an upper bound
    pump_until(app, lambda: bool(counts))
    assert counts[0]["incidents"] == len(incidents), counts
    memory = renderer_mb(panel.page())

    time.sleep(0.3)
    rng = random.Random(11)
    changed = [
        incident.model_copy(
            update={"priority": Priority.CRITICAL, "status": "acknowledged", "revision": 2}
        )
        for incident in rng.sample(incidents, 1000)
    ]
    store.upsert(changed)
    panel.read_counts(counts.append)
    update = wait_painted(app, panel.page()) - arrived[-1]
    drawn: list[Any] = []
    panel.evaluate(f"iocMap.incident({json.dumps(changed[0].id)}).data.status", drawn.append)
    pump_until(app, lambda: bool(drawn))
    assert drawn[0] == "acknowledged", drawn  # the change is on the page
    shiboken6.delete(panel)  # before the profile goes, at exit
    return {
        "first_paint_ms": round(first_paint, 1),
        "first_paint_seen_ms": round(seen_ms, 1),
        "update_1000_ms": round(update, 1),
        "webview_mb": memory,
        "webview_empty_mb": empty_mb,
    }


def measure_folium(app: QApplication, incidents: list[Incident]) -> float:
    """Regenerate the whole page with folium and load it: the 'reload' way to update."""
    from widgets.map.page import JQUERY_DIR, LEAFLET_DIR, file_url, map_profile

    view = QWebEngineView()
    page = QWebEnginePage(map_profile(), view)
    view.setPage(page)
    view.resize(1280, 800)
    view.show()
    loaded: list[bool] = []
    page.loadFinished.connect(loaded.append)
    start = time.time() * 1000
    fmap = folium.Map(location=CENTER, zoom_start=10, tiles=None, prefer_canvas=True)
    fmap.default_js = [
        ("leaflet", file_url(LEAFLET_DIR / "leaflet.js")),
        ("jquery", file_url(JQUERY_DIR / "jquery.min.js")),
    ]
    fmap.default_css = [("leaflet_css", file_url(LEAFLET_DIR / "leaflet.css"))]
    for incident in incidents:
        folium.CircleMarker(
            [incident.lat, incident.lon],
            radius=6,
            color="#0d1117",
            weight=1,
            fill=True,
            fill_color=COLORS[incident.priority.value],
            fill_opacity=0.95,
            tooltip=incident.title,
        ).add_to(fmap)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "folium.html"  # setHtml stops at 2 MB: load from a file
        path.write_text(fmap.get_root().render(), encoding="utf-8")
        page.load(QUrl.fromLocalFile(str(path)))
        pump_until(app, lambda: bool(loaded))
        painted = wait_painted(app, page)
    shiboken6.delete(view)
    return painted - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--markers", type=int, default=50_000)
    parser.add_argument(
        "--folium-markers", type=int, default=None, help="baseline size (default: --markers)"
    )
    args = parser.parse_args()
    configure_qt()  # as the console does (no GL without a GPU, web engine flags)
    app = QApplication.instance() or QApplication([])
    incidents = make_incidents(args.markers)
    panel = measure_panel(app, incidents)
    folium_markers = args.folium_markers or args.markers
    folium_ms = measure_folium(app, incidents[:folium_markers])
    result = {
        "markers": args.markers,
        **panel,
        "folium_markers": folium_markers,
        "folium_reload_ms": round(folium_ms, 1),
        "ratio": round(folium_ms / panel["first_paint_ms"], 1),
        "update_ratio": round(folium_ms / panel["update_1000_ms"], 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>18}: {value}")


if __name__ == "__main__":
    main()
