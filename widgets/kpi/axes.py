"""Chart axes in the UI language, and grid lines drawn apart from them.

pyqtgraph draws `showGrid` lines as part of each axis, which makes an axis as big as
the plot: every live repaint of a curve then re-rendered both axes with all their
tick labels (measured: two thirds of a chart's frame on a 24-chart wall). Here the
axes keep only their labels and are cached as pixmaps; `TickGrid`, a separate item
under the curves, draws the lines at the ticks the axes last chose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsItem

from console.domain import formatting
from console.domain.periods import LOCAL_TZ, Period

Ticks = tuple[tuple[float, tuple[float, ...]], ...]
UTC_OFFSET = -int(LOCAL_TZ.utcoffset(None).total_seconds())
DAY = 86400.0


class _RemembersTicks:
    """Keeps the tick values an axis last chose and tells the grid when they change."""

    last_ticks: Ticks = ()
    on_ticks: Callable[[], None] | None = None

    def tickValues(self, low: float, high: float, size: float) -> Any:
        ticks = super().tickValues(low, high, size)  # type: ignore[misc]
        plain = tuple((float(gap), tuple(float(v) for v in values)) for gap, values in ticks)
        if plain != self.last_ticks:
            self.last_ticks = plain
            if self.on_ticks is not None:
                self.on_ticks()
        return ticks


class LocaleAxis(_RemembersTicks, pg.AxisItem):  # type: ignore[misc]
    """Value ticks in the UI language's number format (1.234,5 or 1,234.5)."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        places = max(0, int(np.ceil(-np.log10(spacing)))) if spacing > 0 else 0
        return [formatting.number(v * scale, min(places, 3)) for v in values]


class LocaleDateAxis(_RemembersTicks, pg.DateAxisItem):  # type: ignore[misc]
    """Time ticks in province time, with dates written the UI language's way."""

    def __init__(self) -> None:
        super().__init__(utcOffset=UTC_OFFSET)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [time_tick(float(v), spacing) for v in values]


def time_tick(t: float, spacing: float) -> str:
    """'14:05:30', '14:05', '24/11' (vi) or '24 Nov' (en), 'T11/2026' or 'Nov 2026', '2026'."""
    moment = formatting.local(t)
    if spacing < 60:
        return moment.strftime("%H:%M:%S")
    if spacing < DAY:
        return moment.strftime("%H:%M")
    if spacing < 28 * DAY:
        return formatting.day(moment)
    if spacing < 365 * DAY:
        return formatting.bucket_label(moment, Period.YEAR)  # a month: 'T11/2026'
    return str(moment.year)


class TickGrid(pg.GraphicsObject):  # type: ignore[misc]
    """Faint lines at the ticks of the plot's left and bottom axes, under the data."""

    def __init__(self, plot: pg.PlotItem, alpha: float = 0.15) -> None:
        super().__init__()
        self._plot = plot
        self._colour = pg.mkColor("#c9d1d9")
        self._colour.setAlphaF(alpha)
        self.setZValue(-30)  # under bands, lines and curves
        plot.addItem(self, ignoreBounds=True)
        plot.vb.sigRangeChanged.connect(self._moved)
        for name in ("bottom", "left"):
            plot.getAxis(name).on_ticks = self.update

    def _moved(self, *_: Any) -> None:
        self.prepareGeometryChange()

    def boundingRect(self) -> QRectF:
        (x0, x1), (y0, y1) = self._plot.vb.viewRange()
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    def paint(self, painter: QPainter, *_: Any) -> None:
        """Every tick level, each fainter than the one above (as pyqtgraph's grid)."""
        (x0, x1), (y0, y1) = self._plot.vb.viewRange()
        bottom = self._plot.getAxis("bottom").last_ticks
        left = self._plot.getAxis("left").last_ticks
        for level in range(max(len(bottom), len(left))):
            xs = bottom[level][1] if level < len(bottom) else ()
            ys = left[level][1] if level < len(left) else ()
            lines = [QLineF(x, y0, x, y1) for x in xs] + [QLineF(x0, y, x1, y) for y in ys]
            colour = QColor(self._colour)
            colour.setAlphaF(self._colour.alphaF() / (level + 1))
            painter.setPen(pg.mkPen(colour, width=0))  # cosmetic: one pixel at any zoom
            painter.drawLines(lines)
