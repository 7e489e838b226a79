"""A big number for a briefing: value and unit, change against the previous period
with an arrow, coloured by standing (very good … very bad), and a sparkline."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from console.domain import formatting
from console.domain.periods import Period
from console.domain.records import Kpi
from console.domain.standing import Standing
from console.layout.panel_kinds import KpiTileConfig
from widgets.kpi.common import (
    BACKGROUND,
    MUTED,
    NEUTRAL,
    STANDING_COLOURS,
    TARGET,
    KpiPanel,
    iso,
    rank_of,
    standing_names,
)
from widgets.panel import PanelContext
from widgets.text import PlainLabel


def previous_names() -> dict[Period, str]:
    return {
        Period.LIVE: QCoreApplication.translate("KpiTilePanel", "vs last hour"),
        Period.DAY: QCoreApplication.translate("KpiTilePanel", "vs yesterday"),
        Period.WEEK: QCoreApplication.translate("KpiTilePanel", "vs last week"),
        Period.MONTH: QCoreApplication.translate("KpiTilePanel", "vs last month"),
        Period.QUARTER: QCoreApplication.translate("KpiTilePanel", "vs last quarter"),
        Period.YEAR: QCoreApplication.translate("KpiTilePanel", "vs last year"),
    }


SPARK_MIN_HEIGHT = 260
TARGET_MIN_HEIGHT = 150


class KpiTilePanel(KpiPanel):
    KIND = "kpi-tile"

    def __init__(self, context: PanelContext, config: KpiTileConfig, parent: Any = None):
        super().__init__(context, config, parent)
        self.tile_config = config
        self.value = PlainLabel()
        self.value.setObjectName("KpiTileValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The font follows the tile's size, so the label must not ask the grid for more.
        self.value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.change = PlainLabel()
        self.change.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rank = PlainLabel()
        self.rank.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.target = PlainLabel()
        self.target.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.target.setStyleSheet(f"color: {MUTED}; background: transparent;")
        self.spark = pg.PlotWidget(background=BACKGROUND)
        self.spark.hideAxis("left")
        self.spark.hideAxis("bottom")
        self.spark.setMenuEnabled(False)
        self.spark.setMouseEnabled(False, False)
        self.spark.hideButtons()
        self.spark.setMaximumHeight(70)
        self.spark.setVisible(config.sparkline)
        self.spark_curve = self.spark.plot(pen=pg.mkPen(NEUTRAL, width=1), skipFiniteCheck=True)
        self.spark_curve.setDownsampling(auto=True, method="peak")
        texts = QVBoxLayout()
        texts.addStretch(1)
        texts.addWidget(self.value, 4)
        under = QHBoxLayout()
        under.addStretch(1)
        under.addWidget(self.change)
        under.addWidget(self.rank)
        under.addStretch(1)
        texts.addLayout(under)
        texts.addWidget(self.target)
        texts.addStretch(1)
        self.body.addLayout(texts, 1)
        self.body.addWidget(self.spark)
        self.current = math.nan
        self.previous = math.nan
        self._colour = NEUTRAL
        for label in (self.change, self.rank, self.target):
            label.setAutoFillBackground(False)
        self.rebuild()
        self.apply_font_scales()

    def kpi_ids(self) -> list[str]:
        if self.tile_config.kpi:
            return [self.tile_config.kpi]
        kpis = self.store.kpis()
        return [kpis[0].id] if kpis else []

    def redraw(self) -> None:
        kpis = self.kpis()
        if not kpis:
            self.value.setText("–")
            return
        kpi = kpis[0]
        self.current, self.previous = self.store.period_values(kpi.id, self.period)
        rank = rank_of(kpi, self.current)
        colour = NEUTRAL if rank is None else STANDING_COLOURS[rank]
        self.value.setText(formatting.quantity(self.current, kpi.unit))
        self._colour = colour
        self.rank.setText(standing_names()[rank] if rank else "")
        self.rank.setStyleSheet(
            f"color: {BACKGROUND}; background: {colour}; border-radius: 4px; padding: 1px 8px;"
            if rank
            else "background: transparent;"
        )
        self.rank.setVisible(rank is not None)
        self._show_change(kpi)
        target = kpi.target
        self.target.setText(
            self.tr("target {value}").format(value=formatting.quantity(target, kpi.unit))
            if target is not None
            else ""
        )
        if self.spark.isVisible() or not self.isVisible():
            times, values = self.store.period_series(kpi.id, self.period)
            self.spark_curve.setData(times, values, connect="finite")
        self._fit_font()

    def _show_change(self, kpi: Kpi) -> None:
        delta = self.current - self.previous
        if not math.isnan(delta):  # a change smaller than the shown precision is none
            delta = round(delta, formatting.decimals_for(kpi.unit, self.current))
        if math.isnan(delta):
            self.change.setText("")
            return
        arrow = "▲" if delta > 0 else ("▼" if delta < 0 else "▶")
        better = (delta > 0) == kpi.higher_is_better
        colour = MUTED if delta == 0 else (STANDING_COLOURS[Standing.GOOD] if better else TARGET)
        text = f"{arrow} {formatting.signed(delta, kpi.unit)} {previous_names()[self.period]}"
        self.change.setText(text)
        self.change.setStyleSheet(f"color: {colour}; background: transparent;")

    def font_scales(self) -> dict[QWidget | None, float]:
        return {
            **super().font_scales(),
            getattr(self, "target", None): 0.93,
            getattr(self, "change", None): 1.07,
        }

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A short tile gives up the sparkline, then the target line, never the number.
        height = self.height()
        self.spark.setVisible(self.tile_config.sparkline and height >= SPARK_MIN_HEIGHT)
        self.target.setVisible(height >= TARGET_MIN_HEIGHT)
        self._fit_font()

    def _fit_font(self) -> None:
        """As big as the tile allows: readable from the back of the room. The size goes
        into the style sheet, which would otherwise override a font set in code."""
        text = self.value.text() or "0"
        width = max(1, self.width() - 16)
        line = self.fontMetrics().height()
        used = 36 + line * (2 if self.target.isVisibleTo(self) else 1)  # header, lines below
        used += 70 if self.spark.isVisibleTo(self) else 0
        height = max(1, self.height() - used)
        size = max(18, int(min(height * 0.72, width / max(3, len(text)) * 1.6, 160)))
        colour = self._colour
        self.value.setStyleSheet(
            f"color: {colour}; font-weight: bold; font-size: {size}px; background: transparent;"
        )

    def csv_rows(self) -> list[list[str]]:
        kpis = self.kpis()
        if not kpis:
            return [["indicator", "period", "value", "previous", "unit"]]
        kpi = kpis[0]
        times, values = self.store.period_series(kpi.id, self.period)
        rows = [["indicator", "period", "value", "previous", "unit"]]
        rows.append(
            [kpi.name, self.period.value, f"{self.current:.6g}", f"{self.previous:.6g}", kpi.unit]
        )
        rows.append([])
        rows.append(["time", "value"])
        rows.extend(
            [iso(float(t)), f"{v:.6g}"]
            for t, v in zip(times, values, strict=True)
            if np.isfinite(v)
        )
        return rows
