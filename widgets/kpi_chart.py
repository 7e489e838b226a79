"""KPI time series with its target line; repaints at most 10 times a second."""

from __future__ import annotations

import html
import time
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout

from console.domain import Kpi
from console.panel_kinds import KpiChartConfig
from widgets.panel import Panel, PanelContext

SERIES_COLOURS = ("#58a6ff", "#3fb950", "#f5d547", "#ff9f43", "#d2a8ff")
REPAINT_INTERVAL_MS = 100


class KpiChartPanel(Panel):
    KIND = "kpi-chart"

    def __init__(self, context: PanelContext, config: KpiChartConfig, parent: Any = None):
        super().__init__(context, config, parent)
        self.chart_config = config
        self.store = context.kpis
        self.value_label = QLabel()
        self.value_label.setObjectName("KpiValue")
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()}, background="#0d1117")
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.setMenuEnabled(False)
        tick_font = QFont(self.font())
        tick_font.setPointSizeF(max(10.0, self.font().pointSizeF() * 0.85))
        for name in ("bottom", "left"):
            axis = self.plot.getAxis(name)
            axis.setTickFont(tick_font)
            axis.setTextPen("#c9d1d9")
        self.legend = self.plot.addLegend(
            offset=(10, 10), labelTextSize=f"{tick_font.pointSizeF()}pt"
        )
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.targets: dict[str, pg.InfiniteLine] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.value_label)
        layout.addWidget(self.plot)
        self._dirty: set[str] = set()
        self._repaint = QTimer(self, singleShot=True, interval=REPAINT_INTERVAL_MS)
        self._repaint.timeout.connect(self._redraw)
        self.store.kpisReset.connect(self._rebuild)
        self.store.seriesChanged.connect(self._mark_dirty)
        self._rebuild()

    def kpi_ids(self) -> list[str]:
        if self.chart_config.kpis:
            return list(self.chart_config.kpis)
        kpis = self.store.kpis()
        return [kpis[0].id] if kpis else []

    def title(self) -> str:
        names = [kpi.name for kpi in map(self.store.get, self.kpi_ids()) if kpi is not None]
        return ", ".join(names) or self.tr("Indicators")

    def _rebuild(self) -> None:
        for item in (*self.curves.values(), *self.targets.values()):
            self.plot.removeItem(item)
        self.curves.clear()
        self.targets.clear()
        for i, kpi_id in enumerate(self.kpi_ids()):
            kpi = self.store.get(kpi_id)
            if kpi is None:
                continue
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            curve = self.plot.plot(
                pen=pg.mkPen(colour, width=1), name=kpi.name, skipFiniteCheck=True
            )
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self.curves[kpi_id] = curve
            if kpi.target is not None:
                target = pg.InfiniteLine(
                    pos=kpi.target,
                    angle=0,
                    pen=pg.mkPen("#ff7b72", width=1, style=Qt.PenStyle.DashLine),
                    label=self.tr("target {value}").format(value=_fmt(kpi.target, kpi.unit)),
                    labelOpts={"position": 0.08, "color": "#ff7b72", "fill": "#0d1117cc"},
                )
                self.plot.addItem(target)
                self.targets[kpi_id] = target
        self.legend.setVisible(len(self.curves) > 1)  # one series: the frame title names it
        self._dirty.update(self.curves)
        self._redraw()
        self.titleChanged.emit(self.title())

    def _mark_dirty(self, kpi_id: str) -> None:
        if kpi_id in self.curves:
            self._dirty.add(kpi_id)
            if not self._repaint.isActive():
                self._repaint.start()

    def _redraw(self) -> None:
        for kpi_id in self._dirty:
            series = self.store.series(kpi_id)
            self.curves[kpi_id].setData(series.times, series.values)
        self._dirty.clear()
        now = time.time()
        self.plot.setXRange(now - self.chart_config.window_hours * 3600, now, padding=0.02)
        self._show_latest()

    def _show_latest(self) -> None:
        parts = []
        for kpi_id in self.curves:
            kpi = self.store.get(kpi_id)
            if kpi is not None:
                parts.append(_headline(kpi))
        self.value_label.setText("   ".join(parts))

    def point_count(self) -> int:
        return sum(0 if c.xData is None else len(c.xData) for c in self.curves.values())


def _fmt(value: float, unit: str) -> str:
    return f"{value:,.1f} {unit}".strip() if unit != "%" else f"{value:.1f}%"


def _headline(kpi: Kpi) -> str:
    text = html.escape(_fmt(kpi.value, kpi.unit))
    if kpi.target is None:
        return text
    good = kpi.value >= kpi.target if kpi.higher_is_better else kpi.value <= kpi.target
    colour = "#3fb950" if good else "#ff7b72"
    return f'<span style="color:{colour}">{text}</span>'
