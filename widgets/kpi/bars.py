"""Districts or units side by side: one horizontal bar each, sorted, coloured by
standing, the value at the bar's end and the target as a dashed line across."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from console.domain import formatting
from console.layout.panel_kinds import KpiBarsConfig
from widgets.kpi.common import MUTED, TARGET, TEXT, KpiPanel, colour_for
from widgets.panel import PanelContext


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    colour: str


class BarsView(QWidget):
    """Paints bars on a shared scale; the store-free part, easy to check by pixels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.scale = (0.0, 100.0)
        self.target: float | None = None
        self.target_text = ""
        self.setMinimumHeight(120)

    def x_of(self, value: float, left: float, width: float) -> float:
        low, high = self.scale
        return left + width * min(1.0, max(0.0, (value - low) / ((high - low) or 1.0)))

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.bars:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rows = len(self.bars)
        row_h = (self.height() - 28) / rows
        font = QFont(self.font())
        font.setPixelSize(int(max(12, min(26, row_h * 0.55))))
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        label_w = min(
            self.width() * 0.38, max(metrics.horizontalAdvance(b.label) for b in self.bars) + 12
        )
        value_w = max(metrics.horizontalAdvance(b.text) for b in self.bars) + 12
        left, width = label_w, max(10.0, self.width() - label_w - value_w)
        for i, bar in enumerate(self.bars):
            top = 4 + i * row_h
            painter.setPen(QColor(TEXT))
            label_rect = QRectF(0, top, label_w - 8, row_h)
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(
                label_rect,
                align,
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_w - 8),
            )
            end = self.x_of(bar.value, left, width) if not math.isnan(bar.value) else left
            painter.fillRect(
                QRectF(left, top + row_h * 0.15, end - left, row_h * 0.7), QColor(bar.colour)
            )
            painter.drawText(
                QRectF(end + 6, top, value_w, row_h), Qt.AlignmentFlag.AlignVCenter, bar.text
            )
        if self.target is not None:
            x = self.x_of(self.target, left, width)
            painter.setPen(QPen(QColor(TARGET), 2, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, 2), QPointF(x, self.height() - 24))
            painter.setPen(QColor(TARGET))
            small = QFont(font)
            small.setPixelSize(max(11, int(font.pixelSize() * 0.8)))
            painter.setFont(small)
            painter.drawText(
                QRectF(x - 150, self.height() - 24, 300, 22),
                Qt.AlignmentFlag.AlignCenter,
                self.target_text,
            )
        painter.setPen(QColor(MUTED))
        painter.end()


class KpiBarsPanel(KpiPanel):
    KIND = "kpi-bars"

    def __init__(self, context: PanelContext, config: KpiBarsConfig, parent: Any = None):
        super().__init__(context, config, parent)
        self.bars_config = config
        self.view = BarsView(self)
        self.body.addWidget(self.view, 1)
        self.rebuild()

    def kpi_ids(self) -> list[str]:
        if self.bars_config.kpis:
            return list(self.bars_config.kpis)
        prefix = f"{self.bars_config.group}." if self.bars_config.group else ""
        # By the id its system gives (a site names each KPI "connection/id").
        return [kpi.id for kpi in self.store.kpis() if prefix and kpi.local_id.startswith(prefix)]

    def title(self) -> str:
        group = self.store.get(self.bars_config.group or "")
        if group is not None:
            return self.tr("{name} by unit").format(name=group.name)
        return super().title()

    def redraw(self) -> None:
        bars = []
        kpis = self.kpis()
        for kpi in kpis:
            value, _ = self.store.period_values(kpi.id, self.period)
            label = kpi.name.rsplit(" · ", 1)[-1]
            bars.append(
                Bar(label, value, formatting.quantity(value, kpi.unit), colour_for(kpi, value))
            )
        order = self.bars_config.sort
        if order != "none":
            bars.sort(
                key=lambda b: -math.inf if math.isnan(b.value) else b.value,
                reverse=order == "descending",
            )
        self.view.bars = bars
        targets = {kpi.target for kpi in kpis if kpi.target is not None}
        self.view.target = targets.pop() if len(targets) == 1 else None
        unit = kpis[0].unit if kpis else ""
        finite = [b.value for b in bars if not math.isnan(b.value)] + (
            [self.view.target] if self.view.target else []
        )
        if unit == "%" and finite:
            low = max(0.0, math.floor(min(finite) - 2))
            self.view.scale = (low, min(100.0, max(math.ceil(max(finite) + 1), low + 1)))
        else:
            self.view.scale = (0.0, max(finite, default=1.0) * 1.1)
        self.view.target_text = (
            self.tr("target {value}").format(value=formatting.quantity(self.view.target, unit))
            if self.view.target is not None
            else ""
        )
        self.view.update()

    def csv_rows(self) -> list[list[str]]:
        rows = [["unit", "period", "value"]]
        rows.extend([bar.label, self.period.value, f"{bar.value:.6g}"] for bar in self.view.bars)
        return rows
