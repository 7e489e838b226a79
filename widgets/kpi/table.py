"""Indicators × periods: one row per KPI, one column per bucket of the period (the
last seven days, months of the year ...), cells coloured by standing."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from console.domain import formatting
from console.domain.periods import Period
from console.layout.panel_kinds import KpiTableConfig
from widgets.kpi.common import BACKGROUND, STANDING_COLOURS, TEXT, KpiPanel, iso, rank_of
from widgets.panel import PanelContext


class KpiTablePanel(KpiPanel):
    KIND = "kpi-table"

    def __init__(self, context: PanelContext, config: KpiTableConfig, parent: Any = None):
        super().__init__(context, config, parent)
        self.table_config = config
        if self.period is Period.LIVE:
            self.period = Period.DAY  # a table of raw samples says nothing: hours of today
            self.set_period(Period.DAY)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.body.addWidget(self.table, 1)
        self.columns: list[float] = []
        self.rebuild()
        self.apply_font_scales()

    def kpi_ids(self) -> list[str]:
        if self.table_config.kpis:
            return list(self.table_config.kpis)
        return [kpi.id for kpi in self.store.kpis() if "." not in kpi.id]

    def title(self) -> str:
        return self.tr("Indicators by {period}").format(
            period=self.period_box.currentText().lower()
        )

    def redraw(self) -> None:
        if self.period is Period.LIVE:
            self.set_period(Period.DAY)
            return
        kpis = self.kpis()
        count = self.table_config.columns
        self.table.setRowCount(len(kpis))
        self.table.setColumnCount(count)
        header_set = False
        for row, kpi in enumerate(kpis):
            starts, means = self.store.period_series(kpi.id, self.period)
            starts, means = starts[-count:], means[-count:]
            if not header_set:
                self.columns = [float(t) for t in starts]
                labels = [formatting.bucket_label(float(t), self.period) for t in starts]
                self.table.setHorizontalHeaderLabels(labels)
                header_set = True
            name = QTableWidgetItem(kpi.name)
            self.table.setVerticalHeaderItem(row, name)
            for column in range(count):
                value = float(means[column]) if column < len(means) else math.nan
                self._set_cell(row, column, value, kpi)

    def _set_cell(self, row: int, column: int, value: float, kpi: Any) -> None:
        item = self.table.item(row, column) or QTableWidgetItem()
        item.setText("–" if math.isnan(value) else formatting.quantity(value, kpi.unit))
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        rank = rank_of(kpi, value)
        if rank is None:
            item.setBackground(QBrush(QColor(BACKGROUND)))
            item.setForeground(QBrush(QColor(TEXT)))
        else:
            colour = QColor(STANDING_COLOURS[rank])
            colour.setAlpha(150)
            item.setBackground(QBrush(colour))
            item.setForeground(QBrush(QColor("#ffffff")))
        item.setData(Qt.ItemDataRole.UserRole, rank.value if rank else "")
        if self.table.item(row, column) is None:
            self.table.setItem(row, column, item)

    def font_scales(self) -> dict[QWidget | None, float]:
        return {**super().font_scales(), getattr(self, "table", None): 1.07}

    def csv_rows(self) -> list[list[str]]:
        rows = [["indicator", "unit", *(iso(t) for t in self.columns)]]
        for row, kpi in enumerate(self.kpis()):
            _, means = self.store.period_series(kpi.id, self.period)
            means = means[-len(self.columns) :] if self.columns else means[:0]
            rows.append([kpi.name, kpi.unit, *("" if math.isnan(v) else f"{v:.6g}" for v in means)])
            del row
        return rows
