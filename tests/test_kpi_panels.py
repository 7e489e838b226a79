"""The five KPI panel kinds on a store filled in the test: what a leader reads off them."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from console.domain import formatting
from console.domain.periods import Period
from console.domain.records import Kpi, KpiSample, KpiSampleEvent, utcnow
from console.domain.standing import Standing
from console.layout.panel_kinds import (
    KpiBarsConfig,
    KpiChartConfig,
    KpiGaugeConfig,
    KpiTableConfig,
    KpiTileConfig,
)
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from widgets.kpi.bars import KpiBarsPanel
from widgets.kpi.chart import KpiChartPanel
from widgets.kpi.common import STANDING_COLOURS
from widgets.kpi.gauge import KpiGaugePanel
from widgets.kpi.table import KpiTablePanel
from widgets.kpi.tile import KpiTilePanel
from widgets.panel import PanelContext

SHOTS = Path("/tmp/kpi-panels")
THEME = Path(__file__).resolve().parents[1] / "resources" / "themes" / "dark.qss"


def kpi(
    kpi_id: str, value: float, name: str = "", target: float | None = 97.0, age_s: float = 0
) -> Kpi:
    when = utcnow() - timedelta(seconds=age_s)
    return Kpi(
        id=kpi_id, name=name or kpi_id, unit="%", value=value, target=target, updated_at=when
    )


@pytest.fixture
def context() -> PanelContext:
    store = KpiStore()
    districts = {"dong-xoai": 98.8, "bu-dop": 94.5, "loc-ninh": 96.5}
    store.replace(
        [kpi("on-time-rate", 97.6, "Đúng hạn"), kpi("satisfaction", 94.0, "Hài lòng", 95.0)]
        + [kpi(f"on-time-rate.{d}", v, f"Đúng hạn · {d}") for d, v in districts.items()]
    )
    now = utcnow()
    for item in store.kpis():
        store.set_series(
            item.id,
            [
                KpiSample(t=now - timedelta(minutes=5 * i), value=item.value)
                for i in range(300, -1, -1)
            ],
        )
    return PanelContext(CameraStore(), IncidentTableModel(), store, LayerStore())


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    formatting.set_language("en")
    yield
    formatting.set_language("en")


def shown(qtbot: QtBot, panel: QWidget, name: str) -> QImage:
    qtbot.addWidget(panel)
    panel.setStyleSheet(THEME.read_text(encoding="utf-8"))  # the wall's dark theme
    panel.resize(480, 320)
    panel.show()
    qtbot.waitExposed(panel)
    image = panel.grab().toImage()
    SHOTS.mkdir(exist_ok=True)
    image.save(str(SHOTS / f"{name}.png"))  # looked at by eye while writing these tests
    return image


def share_of(image: QImage, colour: str) -> float:
    """The share of sampled pixels close to `colour`."""
    want = QColor(colour)
    hits = total = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            got = image.pixelColor(x, y)
            total += 1
            if (
                abs(got.red() - want.red())
                + abs(got.green() - want.green())
                + abs(got.blue() - want.blue())
                < 40
            ):
                hits += 1
    return hits / total


def test_tile_shows_big_value_change_and_standing(qtbot: QtBot, context: PanelContext) -> None:
    panel = KpiTilePanel(context, KpiTileConfig(kpi="on-time-rate"))
    image = shown(qtbot, panel, "tile")
    assert panel.value.text() == "97.6%"
    assert panel.rank.text() == "good"
    assert panel.target.text() == "target 97.0%"
    assert share_of(image, STANDING_COLOURS[Standing.GOOD]) > 0.02  # the big number is green
    context.kpis.add_samples([KpiSampleEvent(kpi_id="on-time-rate", t=utcnow(), value=90.0)])
    qtbot.waitUntil(lambda: panel.value.text() == "90.0%", timeout=10000)
    assert panel.rank.text() == "very bad"
    assert panel.change.text().startswith("▼ −")  # down against the last hour
    formatting.set_language("vi")
    panel.redraw()
    assert panel.value.text() == "90,0%"


def test_gauge_fills_to_the_value_with_the_target_marked(
    qtbot: QtBot, context: PanelContext
) -> None:
    panel = KpiGaugePanel(context, KpiGaugeConfig(kpi="satisfaction", minimum=80))
    image = shown(qtbot, panel, "gauge")
    assert panel.gauge.value_text == "94.0%" and panel.gauge.caption == "target 95.0%"
    assert panel.gauge.fraction(94.0) == pytest.approx(0.7)
    assert share_of(image, STANDING_COLOURS[Standing.BAD]) > 0.01  # 1 point under: bad, red


def test_bars_sorted_coloured_with_target(qtbot: QtBot, context: PanelContext) -> None:
    panel = KpiBarsPanel(context, KpiBarsConfig(group="on-time-rate"))
    image = shown(qtbot, panel, "bars")
    assert [bar.label for bar in panel.view.bars] == ["dong-xoai", "loc-ninh", "bu-dop"]
    assert [bar.text for bar in panel.view.bars] == ["98.8%", "96.5%", "94.5%"]
    assert panel.view.target == 97.0
    assert panel.title() == "Đúng hạn by unit"
    for rank in (Standing.GOOD, Standing.FAIR, Standing.BAD):
        assert share_of(image, STANDING_COLOURS[rank]) > 0.01, rank


def test_table_colours_each_day_by_standing(qtbot: QtBot, context: PanelContext) -> None:
    panel = KpiTablePanel(
        context, KpiTableConfig(kpis=("on-time-rate", "satisfaction"), period="day", columns=6)
    )
    shown(qtbot, panel, "table")
    table = panel.table
    assert table.rowCount() == 2 and table.columnCount() == 6
    assert table.verticalHeaderItem(1).text() == "Hài lòng"
    assert table.item(0, 5).text() == "97.6%" and table.item(1, 5).text() == "94.0%"
    assert table.item(0, 5).data(256) == "good" and table.item(1, 5).data(256) == "bad"
    assert table.horizontalHeaderItem(5).text().endswith(":00")


def test_chart_periods_crosshair_and_threshold_bands(qtbot: QtBot, context: PanelContext) -> None:
    asked: list[tuple[str, str]] = []
    context.kpis.historyRequested.connect(lambda k, p: asked.append((k, p)))
    panel = KpiChartPanel(context, KpiChartConfig(kpis=("on-time-rate",), window_hours=24))
    shown(qtbot, panel, "chart-live")
    assert len(panel.bands) == 2  # fair just under the target, bad below
    times, values = context.kpis.period_series("on-time-rate", Period.LIVE)
    curve = panel.curves["on-time-rate"]
    assert 0 < panel.point_count() <= 301  # every sample, or its per-pixel min/max
    assert (curve.yData.min(), curve.yData.max()) == (values.min(), values.max())
    assert curve.xData[-1] >= times[-1] - 3600 * 24 / panel.plot.width() * 2
    text = panel.show_crosshair(utcnow().timestamp() - 3600)
    assert "Đúng hạn: 97.6%" in text
    panel.set_period(Period.WEEK)
    assert asked == [("on-time-rate", "week")]
    assert panel.point_count() == 7  # one mean per day
    shown(qtbot, panel, "chart-week")


def test_live_repaints_are_rate_limited(qtbot: QtBot, context: PanelContext) -> None:
    panel = KpiTilePanel(context, KpiTileConfig(kpi="on-time-rate"))
    qtbot.addWidget(panel)
    draws: list[int] = []
    panel.spark_curve.sigPlotChanged.connect(lambda *_: draws.append(1))
    start = utcnow()
    for i in range(100):
        event = KpiSampleEvent(kpi_id="on-time-rate", t=start + timedelta(seconds=i), value=95.0)
        context.kpis.add_samples([event])
    qtbot.waitUntil(lambda: panel.value.text() == "95.0%", timeout=10000)
    assert len(draws) <= 2


def test_old_data_says_as_of(qtbot: QtBot, context: PanelContext) -> None:
    context.kpis.replace([kpi("on-time-rate", 97.6, "Đúng hạn", age_s=2 * 3600)])
    panel = KpiTilePanel(context, KpiTileConfig(kpi="on-time-rate", refresh_s=300))
    shown(qtbot, panel, "tile-stale")
    stamp = formatting.clock(utcnow() - timedelta(hours=2))
    assert panel.as_of.isVisible() and panel.as_of.text() == f"as of {stamp}"
    context.kpis.add_samples([KpiSampleEvent(kpi_id="on-time-rate", t=utcnow(), value=97.0)])
    qtbot.waitUntil(lambda: not panel.as_of.isVisible(), timeout=10000)


def test_export_png_and_csv_from_the_context_menu(
    qtbot: QtBot, context: PanelContext, tmp_path: Path
) -> None:
    panel = KpiTablePanel(context, KpiTableConfig(kpis=("on-time-rate",), period="day", columns=3))
    shown(qtbot, panel, "table-export")
    labels = [action.text() for action in panel.context_menu().actions()]
    assert labels == ["Export as PNG…", "Export as CSV…"]
    assert panel.export_png(tmp_path / "t.png")
    assert QImage(str(tmp_path / "t.png")).width() == panel.width()
    assert panel.export_csv(tmp_path / "t.csv")
    rows = list(csv.reader((tmp_path / "t.csv").open(encoding="utf-8-sig")))
    assert rows[0][:2] == ["indicator", "unit"] and rows[1][:3] == ["Đúng hạn", "%", "97.6"]
    assert not panel.export_csv(tmp_path / "missing-dir" / "t.csv")
    assert "Could not write" in panel.as_of.text()


def test_bars_find_a_group_whose_kpis_come_from_a_named_connection(qtbot: QtBot) -> None:
    """A site names each KPI "connection/id": the group is matched on the system's own id
    (the demo's leader wall showed an empty "by unit" panel)."""
    store = KpiStore()
    districts = {"dong-xoai": 98.8, "bu-dop": 94.5}
    store.replace(
        [
            item.model_copy(update={"id": f"context/{item.id}", "connection": "context"})
            for item in [kpi("on-time-rate", 97.6, "Đúng hạn")]
            + [kpi(f"on-time-rate.{d}", v, f"Đúng hạn · {d}") for d, v in districts.items()]
        ]
    )
    context = PanelContext(CameraStore(), IncidentTableModel(), store, LayerStore())
    panel = KpiBarsPanel(context, KpiBarsConfig(group="on-time-rate"))
    qtbot.addWidget(panel)
    assert sorted(panel.kpi_ids()) == [
        "context/on-time-rate.bu-dop",
        "context/on-time-rate.dong-xoai",
    ]
