"""Citizen-feedback figures as big tiles ("600 received", "96,19% satisfied") for a
period and a district, counted from the incident store itself rather than a KPI feed,
so a leader's wall shows them for any district and any source the site has.

Counting runs at most once a second however busy the stream (a single-shot timer), and
once a minute anyway, so a new day, week or month starts from zero on its own.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime
from typing import Any

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QVBoxLayout, QWidget

from console.domain import formatting
from console.domain.feedback_stats import FeedbackStats, feedback_stats
from console.domain.periods import SPECS, Period, floor, shift
from console.domain.records import Incident
from console.domain.text import fold
from console.layout.panel_kinds import FeedbackFigure, FeedbackStatsConfig
from console.stores.incident_columns import SOURCES, epoch_ms
from widgets.kpi.common import MUTED, NEUTRAL, TEXT
from widgets.panel import Panel, PanelContext
from widgets.text import PlainLabel

RECOMPUTE_MS = 1_000  # at most one count a second, however many events arrive
ROLLOVER_MS = 60_000  # a new period starts within a minute of midnight
PERCENTAGES = frozenset({"on_time", "satisfaction"})


class FigureTile(QWidget):
    """One figure: the number, what it counts, and a muted line of detail."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = PlainLabel("–")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The font follows the tile's size, so the label must not ask the grid for more.
        self.value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.caption = PlainLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = PlainLabel()
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setStyleSheet(f"color: {MUTED}; background: transparent;")
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.setSpacing(0)
        column.addStretch(1)
        column.addWidget(self.value, 4)
        column.addWidget(self.caption)
        column.addWidget(self.detail)
        column.addStretch(1)

    def show_figure(self, value: str, caption: str, detail: str, colour: str) -> None:
        self.value.setText(value)
        self.caption.setText(caption)
        self.detail.setText(detail)
        self.value.setStyleSheet(f"color: {colour}; background: transparent;")


class FeedbackStatsPanel(Panel):
    KIND = "feedback-stats"
    FEEDS = frozenset({"incidents"})

    def __init__(self, context: PanelContext, config: FeedbackStatsConfig, parent: Any = None):
        super().__init__(context, config, parent)
        self.store = context.incidents
        self.stats_config = config
        self.period = Period(config.period)
        self.stats = FeedbackStats()
        self.start, self.end = self.period_window()
        self.scope = PlainLabel()
        self.scope.setObjectName("FeedbackScope")
        self.scope.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scope.setStyleSheet(f"color: {MUTED}; background: transparent;")
        self.tiles = {figure: FigureTile() for figure in config.figures}
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self._columns = 0
        body = QVBoxLayout(self)
        body.setContentsMargins(6, 4, 6, 6)
        body.addWidget(self.scope)
        body.addLayout(self.grid, 1)
        self._archive_key: tuple[datetime, datetime, int] | None = None
        self._archive_rows: list[Incident] = []
        self._debounce = QTimer(self, singleShot=True, interval=RECOMPUTE_MS)
        self._debounce.timeout.connect(self.recompute)
        self._rollover = QTimer(self, interval=ROLLOVER_MS)
        self._rollover.timeout.connect(self.recompute)
        self._rollover.start()
        self.store.rowsApplied.connect(self._on_rows)
        self.store.modelReset.connect(self._schedule)  # rows removed (retention)
        self._arrange()
        self.recompute()

    def sizeHint(self) -> QSize:
        return QSize(480, 260)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 120)

    def title(self) -> str:
        district = self.stats_config.district
        name = self.tr("Feedback statistics")
        return f"{name} · {district}" if district else name

    def is_ready(self) -> bool:
        """Ready once the store holds incidents (an empty period then reads 0)."""
        return len(self.store.columns) > 0

    def report(self) -> dict[str, Any]:
        return {
            **super().report(),
            "period": self.period.value,
            "district": self.stats_config.district,
            "figures": {figure: tile.value.text() for figure, tile in self.tiles.items()},
            "stats": dataclasses.asdict(self.stats),
        }

    # -- counting ---------------------------------------------------------------
    def period_window(self) -> tuple[datetime, datetime]:
        """The calendar period holding now, in province time: [its start, the next one's)."""
        unit = SPECS[self.period].calendar
        start = floor(formatting.now(), unit)
        return start, shift(start, unit, 1)

    def _on_rows(self, _new: object, _changed: object) -> None:
        self._schedule()

    def _schedule(self) -> None:
        if not self._debounce.isActive():
            self._debounce.start()

    def candidates(self, start: datetime, end: datetime) -> list[Incident]:
        """Records that may count, picked with the store's columns (a 100k-row store
        costs milliseconds); `feedback_stats` makes the exact decision."""
        columns = self.store.columns
        n = len(columns)
        created = columns.created[:n]
        keep = (created >= epoch_ms(start) - 1) & (created <= epoch_ms(end))
        config = self.stats_config
        if config.connections:
            mine = np.zeros(n, np.bool_)
            mine[columns.of_connections(config.connections)] = True
            keep &= mine
        if config.district:
            wanted = fold(config.district)
            codes = [i for i, name in enumerate(columns.districts) if fold(name) == wanted]
            keep &= np.isin(columns.district[:n], np.array(codes, np.int32))
        if config.sources:
            codes = [SOURCES.index(source) for source in config.sources]
            keep &= np.isin(columns.source[:n], np.array(codes, np.int8))
        live = [columns.records[int(row)] for row in np.flatnonzero(keep)]
        return live + self._archived(start, end, {incident.id for incident in live})

    def _archived(self, start: datetime, end: datetime, live: set[str]) -> list[Incident]:
        """Resolved incidents past the retention window still count for a month or a year;
        read again only when the period or the archive changed (an hourly pass)."""
        archive = self.context.archive
        if archive is None:
            return []
        key = (start, end, archive.count())
        if key != self._archive_key:
            self._archive_key, self._archive_rows = key, archive.created_between(start, end)
        config = self.stats_config
        return [
            incident
            for incident in self._archive_rows
            if incident.id not in live
            and (not config.connections or incident.connection in config.connections)
            and (not config.sources or incident.source in config.sources)
        ]

    def recompute(self) -> None:
        self._debounce.stop()
        self.start, self.end = self.period_window()
        sla = {category: ms / 3_600_000 for category, ms in self.store.columns.sla_ms.items()}
        self.stats = feedback_stats(
            self.candidates(self.start, self.end),
            self.start,
            self.end,
            self.stats_config.district,
            sla,
        )
        self._show()

    # -- showing ----------------------------------------------------------------
    def _show(self) -> None:
        today = formatting.date(formatting.now())
        first = formatting.date(self.start)
        self.scope.setText(today if self.period is Period.DAY else f"{first} – {today}")
        for figure, tile in self.tiles.items():
            value, caption, detail = self.figure_texts(figure)
            tile.show_figure(value, caption, detail, NEUTRAL if figure in PERCENTAGES else TEXT)
        self._fit_fonts()

    def figure_texts(self, figure: FeedbackFigure) -> tuple[str, str, str]:
        """(value, caption, detail) of one tile, in the default locale's numbers."""
        s = self.stats
        if figure == "received":
            return formatting.number(s.received, 0), self.tr("received"), ""
        if figure == "settled":
            share = percent(100.0 * s.settled / s.received if s.received else None)
            detail = self.tr("{share} of received").format(share=share) if s.received else ""
            return formatting.number(s.settled, 0), self.tr("settled"), detail
        if figure == "on_time":
            detail = self.tr("{count} of {total}").format(
                count=formatting.number(s.settled_on_time, 0),
                total=formatting.number(s.settled, 0),
            )
            return percent(s.on_time_pct), self.tr("settled on time"), detail
        if figure == "satisfaction":
            detail = self.tr("{count} of {total} ratings").format(
                count=formatting.number(s.satisfied, 0), total=formatting.number(s.rated, 0)
            )
            return percent(s.satisfaction_pct), self.tr("satisfied"), detail
        if figure == "ack_time":
            return self.duration(s.median_ack_s), self.tr("to acknowledge (median)"), ""
        return self.duration(s.median_resolve_s), self.tr("to resolve (median)"), ""

    def duration(self, seconds: float | None) -> str:
        """'12 min', '3 h 05 min' or '2,5 days': read at a glance across the room."""
        if seconds is None or not math.isfinite(seconds):
            return "–"
        minutes = round(seconds / 60)
        if minutes < 1:
            return self.tr("< 1 min")
        if minutes < 60:
            return self.tr("{minutes} min").format(minutes=minutes)
        if minutes < 48 * 60:
            return self.tr("{hours} h {minutes} min").format(
                hours=minutes // 60, minutes=f"{minutes % 60:02d}"
            )
        return self.tr("{days} days").format(days=formatting.number(seconds / 86_400, 1))

    # -- size -------------------------------------------------------------------
    def _best_columns(self) -> int:
        """As many tiles a row as gives each the largest number (tiles near 2:1)."""
        count = len(self.tiles)
        width, height = max(1, self.width()), max(1, self.height() - 30)
        return max(
            range(1, count + 1),
            key=lambda c: min(width / c / 2.0, height / math.ceil(count / c)),
        )

    def _arrange(self) -> None:
        columns = self._best_columns()
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
        for i, tile in enumerate(self.tiles.values()):
            self.grid.addWidget(tile, i // columns, i % columns)

    def _fit_fonts(self) -> None:
        """One size for every number, as big as the tiles allow (the longest decides)."""
        rows = math.ceil(len(self.tiles) / max(1, self._columns))
        line = self.fontMetrics().height()
        width = max(1, self.width() - 12) / max(1, self._columns) - 8
        height = max(1, self.height() - 30) / rows - 2 * line - 8
        longest = max((len(tile.value.text()) for tile in self.tiles.values()), default=1)
        size = max(14, int(min(height * 0.8, width / max(3, longest) * 1.7, 150)))
        for tile in self.tiles.values():
            font = QFont(self.font())
            font.setBold(True)
            font.setPixelSize(size)
            tile.value.setFont(font)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()
        self._fit_fonts()


def percent(value: float | None) -> str:
    """Two decimals, as a provincial report prints a rate: '96,19%' (vi), '96.19%' (en)."""
    return "–" if value is None else f"{formatting.number(value, 2)}%"
