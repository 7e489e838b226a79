"""Crash containment, stale-data badges and structured logs."""

from __future__ import annotations

import io
import json
import logging
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.domain.records import Kpi, KpiSampleEvent, utcnow
from console.layout.loader import LayoutLoader
from console.logs import RepeatedLines, configure_logging
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.stores.connections import ConnectionStatus
from widgets.kinds import register_builtin_kinds
from widgets.kpi.chart import KpiChartPanel
from widgets.panel import PanelContext
from widgets.wall import crash_guard
from widgets.wall.manager import WallManager

LAYOUT = """\
name: t
screens:
  - name: s
    rows: 1
    columns: 2
    cells:
      - {row: 0, column: 0, kind: kpi-chart, config: {kpis: [k]}}
      - {row: 0, column: 1, kind: incidents}
"""


@pytest.fixture
def wall(qtbot: QtBot) -> WallManager:
    register_builtin_kinds()
    context = PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    context.kpis.replace([Kpi(id="k", name="K", unit="%", value=1.0, updated_at=utcnow())])
    manager = WallManager(context)
    manager.apply(LayoutLoader("t.yaml", LAYOUT).load()[0])
    qtbot.addWidget(manager.window_list()[0])
    return manager


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_panel_slot_stays_in_that_panel(
    wall: WallManager,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(sys, "excepthook", crash_guard.handle_exception)
    chart_frame, queue_frame = wall.window_list()[0].frames
    assert isinstance(chart_frame.panel, KpiChartPanel)

    def broken_redraw() -> None:
        raise ZeroDivisionError("division by zero in a chart")

    monkeypatch.setattr(chart_frame.panel, "redraw", broken_redraw)
    with caplog.at_level(logging.ERROR):
        wall.context.kpis.add_samples([KpiSampleEvent(kpi_id="k", t=utcnow(), value=2.0)])
        qtbot.waitUntil(lambda: chart_frame.failure is not None, timeout=10000)
    assert (
        "division by zero in a chart"
        in chart_frame.failure.findChild(type(chart_frame.title), "PanelError").text()
    )
    assert "Traceback" in caplog.text and "panel kpi-chart" in caplog.text
    assert queue_frame.failure is None and queue_frame.panel.isVisible(), "the rest keeps working"
    monkeypatch.undo()
    chart_frame.reload()
    assert chart_frame.failure is None
    assert isinstance(chart_frame.panel, KpiChartPanel) and chart_frame.panel.isVisible()


def test_data_panels_say_since_when_their_data_is_stale(wall: WallManager) -> None:
    frames = wall.window_list()[0].frames
    board = wall.context.connections
    down = ConnectionStatus(
        "backend",
        "ioc",
        "offline",
        "cannot reach the backend",
        utcnow(),
        frozenset({"cameras", "incidents", "kpis", "layers"}),
    )
    board.set(down)
    badges = [frame.stale for frame in frames]
    assert all(badge.isVisibleTo(frame) for badge, frame in zip(badges, frames, strict=True))
    assert badges[0].text().startswith("stale since ")
    first = badges[0].text()
    board.set(replace(down, detail="still down"))
    assert badges[0].text() == first, "the time the data went stale, not the latest retry"
    board.set(replace(down, state="live", detail="", down_since=None))
    assert not any(badge.isVisibleTo(frame) for badge, frame in zip(badges, frames, strict=True))


def test_only_panels_of_the_connection_that_is_down_go_stale(wall: WallManager) -> None:
    """Two systems: the queue (incidents) is stale while the feedback portal is down; the
    KPI chart, fed by the other, is not; the badge names the system."""
    frames = wall.window_list()[0].frames
    board = wall.context.connections
    board.set(ConnectionStatus("province", "ioc", "live", "", None, frozenset({"kpis"})))
    board.set(
        ConnectionStatus(
            "feedback", "open311", "offline", "timed out", utcnow(), frozenset({"incidents"})
        )
    )
    stale = {f.spec.kind: f.stale.isVisibleTo(f) for f in frames}
    assert stale["incidents"] and not stale["kpi-chart"]
    queue = next(f for f in frames if f.spec.kind == "incidents")
    assert queue.stale.text().startswith("feedback stale since ")
    status_bar = wall.window_list()[0].link_label.text()
    assert "province: live" in status_bar and "feedback: unreachable — timed out" in status_bar


def test_logs_are_json_lines_and_chatty_libraries_are_quiet(tmp_path: Path) -> None:
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    try:
        path = configure_logging("DEBUG", tmp_path)
        logging.getLogger("console.sources.ioc.live").info(
            "backend link %s -> %s", "live", "offline"
        )
        logging.getLogger("httpx").info("HTTP Request: GET /api/v1/kpis")
        for handler in root.handlers:
            handler.flush()
        lines = [json.loads(line) for line in path.read_text().splitlines()]
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:] = saved[1]
        root.setLevel(saved[0])
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    assert [entry["message"] for entry in lines] == ["backend link live -> offline"]


def test_a_line_repeated_all_night_is_written_once_per_ten_minutes_with_its_count() -> None:
    """A dead camera retried every 30 s, or a library's warning on each reconnect, must
    not bury the lines that matter: screen and file hold it back alike, then say how many."""
    now = [0.0]
    repeats = RepeatedLines(every_s=600, keep=3, clock=lambda: now[0])
    screen, file = io.StringIO(), io.StringIO()
    logger = logging.getLogger("test.repeats")
    handlers = [logging.StreamHandler(screen), logging.StreamHandler(file)]
    for handler in handlers:
        handler.addFilter(repeats)
        logger.addHandler(handler)
    logger.propagate = False
    try:
        for minute in range(10):
            now[0] = minute * 60.0
            logger.warning("Could not open media %s: %s", "rtsp://cam-9", "Connection refused")
            logger.warning("Could not open media %s: %s", "rtsp://cam-9", "Connection refused")
        logger.warning("camera cam-3 is live")  # another line is never held back
        logger.warning("disk %s full", "100%")
        now[0] = 600.0
        logger.warning("Could not open media %s: %s", "rtsp://cam-9", "Connection refused")
        logger.warning("a %s with a bad format", "line", "too many")  # printed as logging does
    finally:
        for handler in handlers:
            logger.removeHandler(handler)
        logger.propagate = True
    lines = screen.getvalue().splitlines()
    assert lines[:4] == [
        "Could not open media rtsp://cam-9: Connection refused",
        "camera cam-3 is live",
        "disk 100% full",
        "Could not open media rtsp://cam-9: Connection refused (and 19 more in 10 min)",
    ]
    assert file.getvalue() == screen.getvalue()
    assert len(repeats._seen) <= 3  # bounded, however many different lines a month brings
    # Two threads logging at once: the screen handler sees a, then b; the file handler a.
    first, other = (
        logging.LogRecord("t", logging.WARNING, __file__, 1, text, None, None)
        for text in ("first", "other")
    )
    assert repeats.filter(first) and repeats.filter(other)
    assert repeats.filter(first), "a record is judged once: the file must get it too"


def test_a_panel_limited_to_a_connection_the_site_lacks_says_so(qtbot: QtBot) -> None:
    register_builtin_kinds()
    layout = LayoutLoader(
        "t.yaml",
        "name: t\nscreens:\n  - {name: s, rows: 1, columns: 1,\n"
        "     cells: [{row: 0, column: 0, kind: incidents, config: {connections: [feedbak]}}]}\n",
    ).load()[0]
    context = PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    context.connections.set(ConnectionStatus("feedback", "open311", "live"))
    wall = WallManager(context)
    wall.apply(layout)
    (frame,) = wall.window_list()[0].frames
    qtbot.addWidget(wall.window_list()[0])
    assert frame.stale.isVisibleTo(frame)
    assert frame.stale.text() == "no connection named feedbak in this site"
    wall.close()


def test_a_poll_with_the_same_indicators_changes_values_without_a_reset() -> None:
    store = KpiStore()
    resets: list[None] = []
    changed: list[str] = []
    store.kpisReset.connect(lambda: resets.append(None))
    store.kpiChanged.connect(changed.append)
    first = Kpi(id="ctx/k", connection="ctx", name="K", unit="%", value=1, updated_at=utcnow())
    store.replace([first], "ctx")
    assert len(resets) == 1, "a new indicator: panels rebuild"
    store.replace([first.model_copy(update={"value": 2.0})], "ctx")
    assert len(resets) == 1 and changed == ["ctx/k"], "a new value: no rebuild"
    assert store.get("k") is not None and store.get("k").value == 2.0  # type: ignore[union-attr]


def test_a_kpi_panel_is_stale_only_when_its_own_indicators_connection_is_down(
    wall: WallManager,
) -> None:
    frames = {frame.spec.kind: frame for frame in wall.window_list()[0].frames}
    board, kpis = wall.context.connections, wall.context.kpis
    board.set(ConnectionStatus("province", "ioc", "live", "", None, frozenset({"kpis"})))
    board.set(
        ConnectionStatus(
            "context", "ngsi-ld", "offline", "timed out", utcnow(), frozenset({"kpis"})
        )
    )
    chart = frames["kpi-chart"]
    assert chart.stale.isVisibleTo(chart), "before its KPI is known: any KPI source counts"
    kpi = Kpi(
        id="province/k", connection="province", name="K", unit="%", value=1, updated_at=utcnow()
    )
    kpis.replace([kpi])  # its indicator comes from the connection that is up
    assert not chart.stale.isVisibleTo(chart)
