"""What every KPI panel shares: header (period selector, "as of" stamp), calm repaints,
colours by standing, and PNG/CSV export from the context menu."""

from __future__ import annotations

import csv
import logging
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from console.domain import formatting
from console.domain.periods import Period
from console.domain.records import Kpi
from console.domain.standing import Standing, standing
from console.layout.panel_kinds import (
    KpiBarsConfig,
    KpiChartConfig,
    KpiGaugeConfig,
    KpiTableConfig,
    KpiTileConfig,
)
from widgets.panel import Panel, PanelContext
from widgets.text import PlainLabel

log = logging.getLogger(__name__)
REPAINT_INTERVAL_MS = 100  # at most 10 repaints a second per panel
BACKGROUND = "#0d1117"
TEXT = "#e6edf3"
MUTED = "#8b949e"
NEUTRAL = "#58a6ff"
TARGET = "#ff7b72"
STANDING_COLOURS: dict[Standing, str] = {
    Standing.VERY_GOOD: "#2ea043",
    Standing.GOOD: "#3fb950",
    Standing.FAIR: "#d29922",
    Standing.BAD: "#ff7b72",
    Standing.VERY_BAD: "#ff4d4f",
}


def period_names() -> dict[Period, str]:
    return {
        Period.LIVE: QCoreApplication.translate("KpiPanel", "Live"),
        Period.DAY: QCoreApplication.translate("KpiPanel", "Day"),
        Period.WEEK: QCoreApplication.translate("KpiPanel", "Week"),
        Period.MONTH: QCoreApplication.translate("KpiPanel", "Month"),
        Period.QUARTER: QCoreApplication.translate("KpiPanel", "Quarter"),
        Period.YEAR: QCoreApplication.translate("KpiPanel", "Year"),
    }


def standing_names() -> dict[Standing, str]:
    return {
        Standing.VERY_GOOD: QCoreApplication.translate("KpiPanel", "very good"),
        Standing.GOOD: QCoreApplication.translate("KpiPanel", "good"),
        Standing.FAIR: QCoreApplication.translate("KpiPanel", "fair"),
        Standing.BAD: QCoreApplication.translate("KpiPanel", "bad"),
        Standing.VERY_BAD: QCoreApplication.translate("KpiPanel", "very bad"),
    }


def rank_of(kpi: Kpi, value: float, edges: Sequence[float] = ()) -> Standing | None:
    """The standing of the value as shown (rounded), so '97.0%' never reads as under 97."""
    if value == value:  # not NaN
        value = round(value, formatting.decimals_for(kpi.unit, value))
    return standing(value, kpi.target, kpi.higher_is_better, edges)


def colour_for(kpi: Kpi | None, value: float, edges: Sequence[float] = ()) -> str:
    if kpi is None:
        return NEUTRAL
    rank = rank_of(kpi, value, edges)
    return NEUTRAL if rank is None else STANDING_COLOURS[rank]


class RepaintLimiter(QObject):
    """Coalesces change notices into one call at most every 100 ms (like SignalProxy).

    Each limiter gets its own phase so a wall of charts fed by the same batch spreads
    its repaints over the interval instead of painting all of them in one frame."""

    _phase = 0

    def __init__(self, parent: QObject, callback: Any) -> None:
        super().__init__(parent)
        RepaintLimiter._phase = (RepaintLimiter._phase + 7) % 50
        self._timer = QTimer(self, singleShot=True, interval=REPAINT_INTERVAL_MS + self._phase)
        self._timer.timeout.connect(callback)

    def mark(self) -> None:
        if not self._timer.isActive():
            self._timer.start()


KpiConfig = KpiChartConfig | KpiBarsConfig | KpiTileConfig | KpiGaugeConfig | KpiTableConfig


class KpiPanel(Panel):
    FEEDS = frozenset({"kpis"})
    """Base of the kpi-* panels: a header with the period and an 'as of' stamp."""

    def __init__(self, context: PanelContext, config: KpiConfig, parent: Any = None):
        super().__init__(context, config, parent)
        self.store = context.kpis
        self.period = Period(config.period)
        self.refresh_s = float(config.refresh_s)
        self.period_box = QComboBox()
        self.period_box.setObjectName("KpiPeriod")
        for period, name in period_names().items():
            self.period_box.addItem(name, period.value)
        self.period_box.setCurrentIndex(list(Period).index(self.period))
        self.period_box.currentIndexChanged.connect(self._period_picked)
        self.as_of = PlainLabel()
        self.as_of.setObjectName("KpiAsOf")
        self.as_of.setStyleSheet(f"color: {TARGET}; padding: 0 6px;")
        self.as_of.hide()
        header = QHBoxLayout()
        header.setContentsMargins(4, 2, 4, 0)
        header.addWidget(self.as_of)
        header.addStretch(1)
        header.addWidget(self.period_box)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(0)
        self.body.addLayout(header)
        self.limiter = RepaintLimiter(self, self._redraw_now)
        self._stale_timer = QTimer(self, interval=5000)
        self._stale_timer.timeout.connect(self.update_as_of)
        self._stale_timer.start()
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.store.kpisReset.connect(self._on_reset)
        self.store.seriesChanged.connect(self._on_series)
        self.store.historyChanged.connect(self._on_history)

    def sizeHint(self) -> QSize:
        """Every KPI panel asks for the same: a briefing grid shares space evenly
        instead of giving it to whichever chart or table asks loudest."""
        return QSize(320, 220)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 120)

    # -- text sizes follow the screen's scale --------------------------------
    def font_scales(self) -> dict[QWidget | None, float]:
        """Child widgets and their text size relative to this panel's font.

        Sizes are set as fonts, not style sheets, so a screen's `scale` (inherited
        through the panel's font) reaches them."""
        return {getattr(self, "as_of", None): 0.85}

    def apply_font_scales(self) -> None:
        base = self.font().pointSizeF()
        for widget, factor in self.font_scales().items():
            if widget is None:
                continue  # a subclass still being built
            font = QFont(self.font())
            font.setPointSizeF(base * factor)
            widget.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.apply_font_scales()

    # -- what a subclass says ------------------------------------------------
    def kpi_ids(self) -> list[str]:
        raise NotImplementedError

    def redraw(self) -> None:
        """Draw from the store; called at most ten times a second."""
        raise NotImplementedError

    def csv_rows(self) -> list[list[str]]:
        """The data shown, header row first, for CSV export."""
        raise NotImplementedError

    def rebuild(self) -> None:
        """The set of KPIs changed: rebuild items, then draw."""
        self.request_history()
        self.redraw()
        self.update_as_of()
        self.titleChanged.emit(self.title())

    # -- shared behaviour ----------------------------------------------------
    def kpis(self) -> list[Kpi]:
        return [kpi for kpi in map(self.store.get, self.kpi_ids()) if kpi is not None]

    def connections_shown(self) -> tuple[str, ...]:
        """The connections its indicators come from: only their outage makes it stale."""
        return tuple(sorted({kpi.connection for kpi in self.kpis() if kpi.connection}))

    def is_ready(self) -> bool:
        """Ready once the store knows at least one of its indicators."""
        return bool(self.kpis())

    def title(self) -> str:
        names = [kpi.name for kpi in self.kpis()]
        return ", ".join(names) or self.tr("Indicators")

    def set_period(self, period: Period) -> None:
        self.period_box.setCurrentIndex(list(Period).index(period))

    def _period_picked(self, index: int) -> None:
        self.period = list(Period)[index]
        self.request_history()
        self.rebuild()

    def request_history(self) -> None:
        for kpi_id in self.kpi_ids():
            self.store.request_history(kpi_id, self.period)

    def _on_reset(self) -> None:
        self.rebuild()

    def _on_series(self, kpi_id: str) -> None:
        if kpi_id in self.store.keys(self.kpi_ids()):
            self.limiter.mark()

    def _on_history(self, kpi_id: str, period: str) -> None:
        if period == self.period.value and kpi_id in self.store.keys(self.kpi_ids()):
            self.limiter.mark()

    def _redraw_now(self) -> None:
        self.redraw()
        self.update_as_of()

    def data_time(self) -> float | None:
        """When the newest shown value was measured (epoch seconds)."""
        times = [kpi.updated_at.timestamp() for kpi in self.kpis()]
        return max(times) if times else None

    def update_as_of(self) -> None:
        newest = self.data_time()
        stale = newest is not None and time.time() - newest > self.refresh_s
        if stale and newest is not None:
            self.as_of.setText(self.tr("as of {time}").format(time=formatting.clock(newest)))
        self.as_of.setVisible(stale)

    # -- export --------------------------------------------------------------
    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.tr("Export as PNG…"), lambda: self._ask_path("png"))
        menu.addAction(self.tr("Export as CSV…"), lambda: self._ask_path("csv"))
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        menu = self.context_menu()
        menu.popup(self.mapToGlobal(pos))

    def _ask_path(self, suffix: str) -> None:
        """A non-modal save dialog: no nested event loop under qasync."""
        name = "".join(c if c.isalnum() else "-" for c in self.title().lower())[:40] or "kpi"
        dialog = QFileDialog(self, self.tr("Export"), f"{name}.{suffix}")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix)
        dialog.setNameFilter("PNG (*.png)" if suffix == "png" else "CSV (*.csv)")
        export = self.export_png if suffix == "png" else self.export_csv
        dialog.fileSelected.connect(lambda path: export(Path(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def export_widget(self) -> QWidget:
        return self

    def export_png(self, path: Path) -> bool:
        ok = bool(self.export_widget().grab().save(str(path), "PNG"))
        if not ok:
            self.as_of.setText(self.tr("Could not write {path}").format(path=str(path)))
            self.as_of.show()
        return ok

    def export_csv(self, path: Path) -> bool:
        try:
            write_csv(path, self.csv_rows())
        except OSError as error:
            self.as_of.setText(self.tr("Could not write {path}").format(path=str(path)))
            self.as_of.show()
            log.warning("CSV export to %s failed: %s", path, error)
            return False
        return True


def write_csv(path: Path, rows: Iterable[Sequence[str]]) -> None:
    """UTF-8 with a BOM, so spreadsheet programs read Vietnamese names right."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def iso(t: float) -> str:
    return formatting.local(t).isoformat(timespec="minutes")
