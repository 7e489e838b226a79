"""Camera tiles as a wall: decode budget, hidden tiles, operator actions, endurance.

Real MJPEG cameras served from this process (see test_camera_panel.MjpegServer).
"""

from __future__ import annotations

import os
import resource
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from console.domain.records import Camera, Category, Incident, IncidentStatus, Priority, Source
from console.layout.panel_kinds import CameraConfig, CameraListConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.video.budget import DecodeBudget, Tier, plan
from console.video.policy import Timing
from tests.test_camera_panel import FAST, LIVE_MS, MjpegServer, _camera, _make_frames
from widgets.panel import PanelContext
from widgets.video.actions import CAMERA_MIME
from widgets.video.camera_list import CameraListPanel, fold
from widgets.video.camera_panel import CameraPanel

SUB_COST = 640 * 360 * 15
MAIN_COST = 1280 * 720 * 15


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MjpegServer]:
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs Debian's ffmpeg to make test clips")
    root = tmp_path_factory.mktemp("clips")
    frames = {"sub": _make_frames(root / "sub", "640x360")}
    frames["main"] = _make_frames(root / "main", "1280x720")
    with MjpegServer(frames) as running:
        yield running


def _cameras(server: MjpegServer) -> list[Camera]:
    base = _camera(server)
    return [
        base,
        base.model_copy(update={"id": "bp-002", "name": "Chợ Bình Long", "district": "Bình Long"}),
    ]


@pytest.fixture
def context(server: MjpegServer) -> PanelContext:
    store = CameraStore()
    store.replace(_cameras(server))
    return PanelContext(store, IncidentTableModel(), KpiStore(), LayerStore())


@pytest.fixture
def make_panel(qtbot, context) -> Iterator[Callable[..., CameraPanel]]:
    windows: list[QMainWindow] = []  # qtbot holds only weak references

    def make(budget: DecodeBudget, size: QSize | None = None, timing: Timing = FAST, **config):
        window = QMainWindow()
        windows.append(window)
        central = QWidget()
        QVBoxLayout(central).setContentsMargins(0, 0, 0, 0)
        panel = CameraPanel(context, CameraConfig(**config), timing=timing, budget=budget)
        central.layout().addWidget(panel)
        window.setCentralWidget(central)
        qtbot.addWidget(window)
        window.resize(size or QSize(640, 400))
        window.show()
        return panel

    yield make


def test_budget_steps_down_smallest_tiles_first_in_a_fixed_order() -> None:
    def tiers() -> list[Tier]:
        return [
            Tier("main", cost=MAIN_COST),
            Tier("sub", cost=SUB_COST),
            Tier("sub", low_fps=True, cost=SUB_COST / 2),
            Tier("sub", still=True, cost=1),
        ]

    areas = list(range(16, 0, -1))  # tile 15 is the smallest
    wall = [tiers() for _ in range(16)]
    assert plan(wall, areas, None) == [0] * 16
    assert plan(wall, areas, 16 * MAIN_COST) == [0] * 16
    # Room for one main: every other tile takes "sub" before any tile drops its frame rate.
    assert plan(wall, areas, MAIN_COST + 15 * SUB_COST) == [0] + [1] * 15
    levels = plan(wall, areas, 16 * SUB_COST * 0.75)
    assert set(levels) == {1, 2} and levels[-1] == 2 and levels[0] == 1
    assert plan(wall, areas, 100) == [3] * 16
    assert plan([[], tiers()], [1, 2], SUB_COST) == [0, 1]  # a hidden tile costs nothing


def test_over_budget_tile_degrades_with_a_badge_and_recovers_when_a_tile_hides(
    qtbot, server, make_panel
):
    budget = DecodeBudget(MAIN_COST + SUB_COST)
    small = make_panel(budget, QSize(700, 440), profile="main", camera="bp-001")
    big = make_panel(budget, QSize(1280, 800), profile="main", camera="bp-002")
    qtbot.waitUntil(lambda: small.state == "live" and big.state == "live", timeout=LIVE_MS)
    qtbot.waitUntil(lambda: small.current_url == server.url("sub"), timeout=3000)
    assert big.current_url == server.url("main") and big.badge() == ""
    assert small.badge() == "SUB"
    assert budget.used() <= MAIN_COST + SUB_COST
    big.window().hide()  # another preset, or a minimised window
    qtbot.waitUntil(lambda: big.tier is None and big.frames_decoded() == 0, timeout=3000)
    qtbot.waitUntil(lambda: small.current_url == server.url("main"), timeout=3000)
    qtbot.waitUntil(lambda: small.badge() == "", timeout=3000)
    big.window().show()
    qtbot.waitUntil(lambda: big.state == "live" and big.tier is not None, timeout=LIVE_MS)
    qtbot.waitUntil(lambda: small.badge() == "SUB", timeout=3000)


def test_last_tier_is_a_still_picture_refreshed_without_decoding(qtbot, make_panel):
    timing = Timing(**{**FAST.__dict__, "still_refresh_s": 30.0})
    panel = make_panel(DecodeBudget(100.0), timing=timing)
    qtbot.waitUntil(lambda: panel.badge() == "STILL", timeout=LIVE_MS)
    qtbot.waitUntil(lambda: panel.state == "live" and panel.frames_decoded() == 0, timeout=LIVE_MS)
    assert panel.tier is not None and panel.tier.still


def test_camera_list_search_ignores_diacritics_and_drops_onto_a_tile(
    qtbot, server, context, make_panel
):
    assert fold("Đồng Xoài") == "dong xoai"
    cameras = CameraListPanel(context, CameraListConfig())
    qtbot.addWidget(cameras)
    assert cameras.visible_ids() == ["bp-002", "bp-001"]  # sorted by name
    cameras.search.setText("binh long")
    assert cameras.visible_ids() == ["bp-002"]
    cameras.search.setText("PHU RIENG")
    assert cameras.visible_ids() == ["bp-001"]
    cameras.search.setText("")
    tile = make_panel(DecodeBudget(None), camera="bp-001")
    qtbot.waitUntil(lambda: tile.state == "live", timeout=LIVE_MS)
    index = cameras.proxy.mapToSource(cameras.proxy.index(0, 0))  # "Chợ Bình Long"
    mime: QMimeData = cameras.model.mimeData([index])
    assert mime.hasFormat(CAMERA_MIME)
    drop = QDropEvent(
        QPointF(20, 60),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    tile.dropEvent(drop)
    assert tile.camera_id == "bp-002" and tile.title() == "Chợ Bình Long"
    qtbot.waitUntil(lambda: tile.state == "live", timeout=LIVE_MS)


def test_snapshot_png_has_the_camera_name_and_time_burned_in(qtbot, tmp_path, make_panel):
    panel = make_panel(DecodeBudget(None), camera="bp-001")
    panel.snapshot_folder = tmp_path
    qtbot.waitUntil(lambda: panel.state == "live" and panel.frames_decoded() > 3, timeout=LIVE_MS)
    path = panel.save_snapshot()
    assert path is not None and path.parent == tmp_path and path.name.startswith("bp-001-")
    image = QImage(str(path))
    assert (image.width(), image.height()) == (640, 360)
    strip = image.copy(0, image.height() - 20, image.width(), 20)
    top = image.copy(0, 0, image.width(), 20)
    assert strip != top  # the caption strip is drawn over the picture
    assert "Snapshot saved" in panel.badge()


def _alarm(district: str) -> Incident:
    now = datetime.now(UTC)
    return Incident(
        id="INC-1",
        title="Ùn tắc",
        category=Category.TRAFFIC,
        priority=Priority.CRITICAL,
        status=IncidentStatus.RECEIVED,
        source=Source.CAMERA,
        district=district,
        lat=0,
        lon=0,
        created_at=now,
        updated_at=now,
        revision=1,
    )


def test_tour_cycles_pauses_and_holds_while_an_alarm_shows(qtbot, context, make_panel):
    panel = make_panel(DecodeBudget(None), tour=("bp-001", "bp-002"), dwell_s=2)
    assert panel.tour is not None and panel.camera_id == "bp-001"
    with qtbot.waitSignal(panel.tour.cameraChanged, timeout=4000):
        pass  # one dwell of 2 s
    assert panel.camera_id == "bp-002"
    panel.set_tour_paused(True)
    panel.tour.advance()
    assert panel.camera_id == "bp-002" and "TOUR PAUSED" in panel.badge()
    panel.set_tour_paused(False)
    panel.tour.advance()
    assert panel.camera_id == "bp-001"
    context.incidents.upsert([_alarm("Đồng Xoài")])  # bp-001's district
    assert panel.badge() == "ALARM · TOUR PAUSED"
    panel.tour.advance()
    assert panel.camera_id == "bp-001"


def test_double_click_enlarges_to_the_window_in_main_and_back(qtbot, server, make_panel):
    panel = make_panel(DecodeBudget(None), QSize(1280, 800), camera="bp-001")
    panel.window().resize(QSize(1280, 800))
    panel.parentWidget().layout().setContentsMargins(0, 0, 640, 400)  # a quarter of the window
    qtbot.waitUntil(lambda: panel.current_url == server.url("sub"), timeout=LIVE_MS)
    qtbot.mouseDClick(panel, Qt.MouseButton.LeftButton, pos=QPoint(40, 60))
    big = next(p for p in panel.window().findChildren(CameraPanel) if p is not panel)
    assert big.isVisible() and not panel.isVisible()
    qtbot.waitUntil(
        lambda: big.state == "live" and big.current_url == server.url("main"), timeout=LIVE_MS
    )
    assert panel.frames_decoded() == 0  # the wall under it stops decoding
    qtbot.mouseDClick(big, Qt.MouseButton.LeftButton, pos=QPoint(40, 60))
    qtbot.waitUntil(lambda: panel.isVisible() and panel.state == "live", timeout=LIVE_MS)


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def test_200_reconnect_cycles_keep_threads_and_memory_bounded(qtbot, server, make_panel):
    timing = Timing(
        stall_after_s=1.0, connect_timeout_s=5.0, backoff_base_s=0.005, backoff_cap_s=0.01
    )
    panel = make_panel(DecodeBudget(None), QSize(320, 200), timing=timing, camera="bp-001")
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    failures: list[str] = []
    panel.stateChanged.connect(lambda s: failures.append(s) if s == "offline" else None)
    server.pause()  # every reconnect meets a 503 and backs off
    try:
        qtbot.waitUntil(lambda: len(failures) >= 20, timeout=20_000)
        threads, rss = _threads(), _rss_mb()
        qtbot.waitUntil(lambda: len(failures) >= 220, timeout=60_000)
        assert _threads() <= threads + 3
        assert _rss_mb() < rss + 40
    finally:
        server.resume()
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
