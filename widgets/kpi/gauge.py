"""Progress to a target: an arc from the scale start, filled up to the value in the
colour of its standing, with the target marked on the arc and the number inside."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from console.domain import formatting
from console.domain.records import Kpi
from console.layout.panel_kinds import KpiGaugeConfig
from widgets.kpi.common import MUTED, NEUTRAL, STANDING_COLOURS, TARGET, TEXT, KpiPanel, rank_of
from widgets.panel import PanelContext

START_DEG = 210.0  # the arc runs clockwise from lower left to lower right
SPAN_DEG = 240.0


class GaugeView(QWidget):
    """Paints one value on a scale; knows nothing about stores."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = math.nan
        self.scale = (0.0, 100.0)
        self.target: float | None = None
        self.colour = NEUTRAL
        self.value_text = "–"
        self.caption = ""
        self.setMinimumSize(160, 140)

    def fraction(self, value: float) -> float:
        low, high = self.scale
        if math.isnan(value) or high <= low:
            return 0.0
        return min(1.0, max(0.0, (value - low) / (high - low)))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height() * 1.25) - 20
        thickness = max(8.0, side * 0.09)
        rect = QRectF(0, 0, side - thickness, side - thickness)
        rect.moveCenter(QPointF(self.width() / 2, self.height() / 2 + side * 0.08))
        track = QPen(QColor("#21262d"), thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
        painter.setPen(track)
        painter.drawArc(rect, int(START_DEG * 16), int(-SPAN_DEG * 16))
        painter.setPen(
            QPen(QColor(self.colour), thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
        )
        painter.drawArc(rect, int(START_DEG * 16), int(-SPAN_DEG * self.fraction(self.value) * 16))
        if self.target is not None:
            angle = math.radians(START_DEG - SPAN_DEG * self.fraction(self.target))
            centre, radius = rect.center(), rect.width() / 2
            inner, outer = radius - thickness * 0.9, radius + thickness * 0.9
            painter.setPen(QPen(QColor(TARGET), 3))
            painter.drawLine(
                QPointF(centre.x() + inner * math.cos(angle), centre.y() - inner * math.sin(angle)),
                QPointF(centre.x() + outer * math.cos(angle), centre.y() - outer * math.sin(angle)),
            )
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(16, int(side * 0.2)))
        painter.setFont(font)
        painter.setPen(QColor(self.colour))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.value_text)
        font.setBold(False)
        font.setPixelSize(max(12, int(side * 0.075)))
        painter.setFont(font)
        painter.setPen(QColor(MUTED))
        below = QRectF(rect.left(), rect.center().y() + side * 0.14, rect.width(), side * 0.2)
        painter.drawText(
            below, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self.caption
        )
        painter.setPen(QColor(TEXT))
        painter.end()


class KpiGaugePanel(KpiPanel):
    KIND = "kpi-gauge"

    def __init__(self, context: PanelContext, config: KpiGaugeConfig, parent: Any = None):
        super().__init__(context, config, parent)
        self.gauge_config = config
        self.gauge = GaugeView(self)
        self.body.addWidget(self.gauge, 1)
        self.rebuild()

    def kpi_ids(self) -> list[str]:
        if self.gauge_config.kpi:
            return [self.gauge_config.kpi]
        kpis = self.store.kpis()
        with_target = [kpi for kpi in kpis if kpi.target is not None] or kpis
        return [with_target[0].id] if with_target else []

    def scale(self, kpi: Kpi) -> tuple[float, float]:
        low = self.gauge_config.minimum if self.gauge_config.minimum is not None else 0.0
        if self.gauge_config.maximum is not None:
            return low, self.gauge_config.maximum
        if kpi.unit == "%":
            return low, 100.0
        return low, (kpi.target or max(kpi.value, 1.0)) * 1.25

    def redraw(self) -> None:
        kpis = self.kpis()
        if not kpis:
            return
        kpi = kpis[0]
        value, _ = self.store.period_values(kpi.id, self.period)
        rank = rank_of(kpi, value)
        self.gauge.value = value
        self.gauge.scale = self.scale(kpi)
        self.gauge.target = kpi.target
        self.gauge.colour = NEUTRAL if rank is None else STANDING_COLOURS[rank]
        self.gauge.value_text = formatting.quantity(value, kpi.unit)
        self.gauge.caption = (
            self.tr("target {value}").format(value=formatting.quantity(kpi.target, kpi.unit))
            if kpi.target is not None
            else ""
        )
        self.gauge.update()

    def csv_rows(self) -> list[list[str]]:
        rows = [["indicator", "period", "value", "target", "unit"]]
        for kpi in self.kpis():
            value, _ = self.store.period_values(kpi.id, self.period)
            target = "" if kpi.target is None else f"{kpi.target:.6g}"
            rows.append([kpi.name, self.period.value, f"{value:.6g}", target, kpi.unit])
        return rows
