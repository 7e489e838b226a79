"""Chart axes in the UI language, and grid lines drawn apart from them.

pyqtgraph draws `showGrid` lines as part of each axis, which makes an axis as big as
the plot: every live repaint of a curve then re-rendered both axes with all their
tick labels (measured: two thirds of a chart's frame on a 24-chart wall). Here the
axes keep only their labels and are cached as pixmaps; `TickGrid`, a separate item
under the curves, draws the lines at the ticks the axes last chose.

Time ticks fall on the province's clock (`periods.province_zone()`, read at each
layout, not at import): pyqtgraph's DateAxisItem knows one fixed UTC offset or the
machine's own zone, neither of which is right for a province zone with daylight
saving, so `LocaleDateAxis` chooses its ticks on the local wall clock and converts
each one back to an instant with the offset in force at that moment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsItem

from console.domain import formatting
from console.domain.periods import Period, province_zone

Ticks = tuple[tuple[float, tuple[float, ...]], ...]
DAY = 86400.0
HOUR = 3600.0
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_WALL_EPOCH = datetime(1970, 1, 1)
# pyqtgraph's own view limits (years 1 to 9999), a day inside so an offset never overflows.
_FIRST = -62135596800.0 + DAY
_LAST = 253370764800.0 - DAY


def utc_offset(t: float, zone: tzinfo | None = None) -> float:
    """Seconds province clocks are ahead of UTC at the instant `t` (daylight saving included)."""
    zone = province_zone() if zone is None else zone
    moment = _EPOCH + timedelta(seconds=min(max(t, _FIRST), _LAST))
    offset = moment.astimezone(zone).utcoffset()
    return offset.total_seconds() if offset is not None else 0.0


def wall_to_instants(wall: float, zone: tzinfo, every_fold: bool) -> list[float]:
    """The instants at which province clocks read `wall` (seconds of a clock that started at
    1970-01-01 00:00). With `every_fold`, a time shown twice (clocks set back) gives both
    instants and a time never shown (clocks set forward) none; without, the first instant,
    or for a skipped time the end of the gap (a day starting at a skipped midnight)."""
    clock = _WALL_EPOCH + timedelta(seconds=min(max(wall, _FIRST), _LAST))
    instants: list[float] = []
    for fold in (0, 1) if every_fold else (0,):
        delta = zone.utcoffset(clock.replace(fold=fold))
        offset = delta.total_seconds() if delta is not None else 0.0
        instant = wall - offset
        if every_fold and utc_offset(instant, zone) != offset:
            continue  # in a gap: this offset is not in force at that instant
        if instant not in instants:
            instants.append(instant)
    return instants


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


class ProvinceDateAxis(pg.DateAxisItem):  # type: ignore[misc]
    """pyqtgraph's date axis with its ticks on province clocks, daylight saving included.

    The zoom level's tick specs step through the wall clock (pyqtgraph's steppers count
    in UTC, which is the wall clock when the offset is taken as 0); each wall tick then
    becomes the instant(s) the province clock reads it. Only the ends of the view and the
    ticks themselves (a few dozen) are converted: the cost does not grow with the data.
    """

    def __init__(self, orientation: str = "bottom") -> None:
        super().__init__(orientation, utcOffset=0)

    def tickValues(self, low: float, high: float, size: float) -> Any:
        if not (np.isfinite(low) and np.isfinite(high)) or high <= low or size <= 0:
            return []
        self.setZoomLevelForDensity((high - low) / size)
        zone = province_zone()
        # The clock reads between these over the view, with one change of offset inside;
        # a long view (hour ticks or coarser) may hold several, each at most two hours.
        offsets = utc_offset(low, zone), utc_offset(high, zone)
        seen = np.empty(0)
        levels: list[tuple[float, list[float]]] = []
        for spec in self.zoomLevel.tickSpecs:
            pad = 2 * HOUR if spec.spacing >= HOUR else 0.0
            wall_low, wall_high = low + min(offsets) - pad, high + max(offsets) + pad
            walls, skip = spec.makeTicks(wall_low, wall_high, self.minSpacing)
            # A day, month or year starts once, at its first instant; an hour may come twice.
            every_fold = spec.spacing < DAY
            ticks = np.array(
                sorted(
                    t
                    for wall in walls
                    for t in wall_to_instants(float(wall), zone, every_fold)
                    if low <= t <= high
                ),
                dtype=np.float64,
            )
            # As pyqtgraph: drop a tick already placed by a coarser level.
            close = np.isclose(seen, ticks[:, np.newaxis], rtol=0, atol=self.minSpacing * 0.01)
            ticks = ticks[~np.any(close, axis=-1)]
            seen = np.concatenate([seen, ticks])
            levels.append((spec.spacing, ticks.tolist()))
            if skip > 1:  # ticks are thinned at this level: finer ones would be noise
                break
        return levels


class LocaleDateAxis(_RemembersTicks, ProvinceDateAxis):
    """Time ticks in province time, with dates written the UI language's way."""

    def __init__(self) -> None:
        super().__init__()
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
