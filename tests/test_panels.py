"""KPI chart, incident queue and wall frames against stores filled in the test."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.domain.records import Kpi, KpiSample, KpiSampleEvent, utcnow
from console.layout.loader import LayoutLoader
from console.layout.panel_kinds import IncidentsConfig, KpiChartConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from tests.test_stores import incident
from widgets.incidents.panel import IncidentsPanel
from widgets.kpi.chart import KpiChartPanel
from widgets.panel import PanelContext
from widgets.theme import PRIORITY_COLOURS


@pytest.fixture
def context() -> PanelContext:
    return PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())


def on_time(value: float) -> Kpi:
    return Kpi(
        id="on-time-rate", name="Đúng hạn", unit="%", value=value, target=97.0, updated_at=utcnow()
    )


def test_kpi_chart_draws_history_target_and_live_samples(
    qtbot: QtBot, context: PanelContext
) -> None:
    now = utcnow()
    context.kpis.replace([on_time(96.0)])
    context.kpis.set_series(
        "on-time-rate",
        [KpiSample(t=now - timedelta(minutes=m), value=95 + m % 3) for m in range(60, 0, -1)],
    )
    panel = KpiChartPanel(context, KpiChartConfig(kpis=("on-time-rate",)))
    qtbot.addWidget(panel)
    assert panel.point_count() == 60
    assert panel.targets["on-time-rate"].value() == 97.0
    assert "96.0%" in panel.value_label.text()
    assert panel.title() == "Đúng hạn"
    context.kpis.add_samples([KpiSampleEvent(kpi_id="on-time-rate", t=utcnow(), value=98.5)])
    qtbot.waitUntil(lambda: panel.point_count() == 61, timeout=10000)
    assert "98.5%" in panel.value_label.text()


def test_kpi_chart_repaints_at_most_ten_times_a_second(qtbot: QtBot, context: PanelContext) -> None:
    context.kpis.replace([on_time(96.0)])
    panel = KpiChartPanel(context, KpiChartConfig())
    qtbot.addWidget(panel)
    draws: list[int] = []
    panel.curves["on-time-rate"].sigPlotChanged.connect(lambda *_: draws.append(1))
    start = utcnow()
    for i in range(200):  # a burst of single-sample updates
        context.kpis.add_samples(
            [KpiSampleEvent(kpi_id="on-time-rate", t=start + timedelta(seconds=i), value=90.0)]
        )
    qtbot.waitUntil(lambda: panel.point_count() == 200, timeout=10000)
    assert len(draws) <= 2


def test_queue_shows_newest_first_coloured_and_counts(qtbot: QtBot, context: PanelContext) -> None:
    panel = IncidentsPanel(context, IncidentsConfig())
    qtbot.addWidget(panel)
    context.incidents.upsert([incident(1), incident(2, status="resolved")])
    assert panel.table.model().rowCount() == 2
    assert panel.table.model().index(0, 3).data() == "Sự cố 2"
    colour = panel.table.model().index(0, 1).data(Qt.ItemDataRole.ForegroundRole).color().name()
    assert colour == PRIORITY_COLOURS["high"]
    assert panel.counts.text().startswith("1 open")
    context.incidents.upsert([incident(3)])
    assert panel.table.model().rowCount() == 3
    assert panel.counts.text().startswith("2 open")


def test_queue_filters_by_status(qtbot: QtBot, context: PanelContext) -> None:
    panel = IncidentsPanel(context, IncidentsConfig(statuses=("received",)))
    qtbot.addWidget(panel)
    context.incidents.upsert([incident(1), incident(2, status="resolved")])
    assert panel.table.model().rowCount() == 1


def test_a_panel_that_fails_to_build_shows_why_in_its_cell_only(
    qtbot: QtBot, context: PanelContext
) -> None:
    from widgets.panel import register
    from widgets.wall.manager import WallManager

    def broken() -> type:
        raise RuntimeError("no video output module")

    text = (
        "name: t\nscreens:\n  - name: s\n    rows: 1\n    columns: 2\n    cells:\n"
        "      - {row: 0, column: 0, kind: camera}\n      - {row: 0, column: 1, kind: incidents}\n"
    )
    from widgets.kinds import register_builtin_kinds

    register_builtin_kinds()
    register("camera", broken)
    try:
        wall = WallManager(context)
        wall.apply(LayoutLoader("t.yaml", text).load()[0])
        window = wall.window_list()[0]
        qtbot.addWidget(window)
        assert window.frames[0].panel is None
        assert (
            "no video output module"
            in window.frames[0].findChild(type(window.link_label), "PanelError").text()
        )
        assert isinstance(window.frames[1].panel, IncidentsPanel)
    finally:
        register_builtin_kinds()


def test_a_screens_scale_reaches_kpi_text(qtbot: QtBot, context: PanelContext) -> None:
    """Headline numbers follow the page font that a layout screen's `scale` sets."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    context.kpis.replace([on_time(96.0)])
    page = QWidget()
    QVBoxLayout(page).addWidget(panel := KpiChartPanel(context, KpiChartConfig()))
    qtbot.addWidget(page)
    font = QFont(page.font())
    font.setPointSizeF(14.0)
    page.setFont(font)
    normal = panel.value_label.font().pointSizeF()
    font.setPointSizeF(21.0)  # scale 1.5
    page.setFont(font)
    assert panel.value_label.font().pointSizeF() == pytest.approx(normal * 1.5)
    assert normal == pytest.approx(14.0 * 1.6), "the headline is larger than body text"


def test_a_queue_limited_to_one_system_shows_only_its_incidents(
    qtbot: QtBot, context: PanelContext
) -> None:
    from console.domain.naming import tagged
    from console.domain.queue import QueueColumn

    mine = IncidentsPanel(context, IncidentsConfig(connections=("feedback",)))
    every = IncidentsPanel(context, IncidentsConfig())
    for panel in (mine, every):
        qtbot.addWidget(panel)
        panel.resize(1800, 400)
        panel.show()
        qtbot.waitExposed(panel)
    context.incidents.upsert(
        [
            tagged(incident(1), "province"),
            tagged(incident(1), "feedback"),
            tagged(incident(2), "feedback"),
        ]
    )
    assert mine.table.model().rowCount() == 2
    assert every.table.model().rowCount() == 3, "the same local id from two systems: two rows"
    system = QueueColumn.CONNECTION.position
    assert every.queue.headerData(system, Qt.Orientation.Horizontal) == "System"
    assert not every.table.isColumnHidden(system), "several systems: the column shows"
    assert mine.table.isColumnHidden(system), "one system: nothing to tell apart"
    names = {every.table.model().index(row, system).data() for row in range(3)}
    assert names == {"province", "feedback"}
