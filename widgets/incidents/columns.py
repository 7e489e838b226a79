"""Queue column widths that follow the text, and a narrow queue that drops what matters least.

Fixed pixel widths were cut at large text scales and pushed the title (the column an
operator reads) off a half-width cell. Each column is sized from the longest text it
can hold in the table's own font; when the table is too narrow for all of them, the
least useful columns are hidden until the title keeps a readable share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QTableView

from console.domain.queue import COLUMNS, QueueColumn
from console.stores.incidents import value_name

# Dropped first when space runs out: system (the connection), assignee, source, category,
# due (overdue rows are coloured anyway), district. Time, priority, title and status always stay.
DROP_ORDER = (9, 8, 6, 2, 7, 4)
TITLE_SHARE = 0.3  # of the table's width, at least
PADDING_PX = 18


def _samples() -> dict[int, list[str]]:
    """The longest texts each column shows, in the UI language."""
    names = [value_name(value) for value in ("low", "medium", "high", "critical")]
    categories = [
        value_name(value)
        for value in (
            "traffic",
            "security",
            "environment",
            "public_services",
            "infrastructure",
            "lighting",
        )
    ]
    statuses = [value_name(value) for value in ("received", "acknowledged", "assigned", "resolved")]
    sources = [value_name(value) for value in ("citizen", "camera", "sensor")]
    overdue = QCoreApplication.translate("IncidentTableModel", "overdue {span}")
    overdue = overdue.format(span="10 h 59 min")
    return {
        0: ["00:00:00"],
        1: names,
        2: categories,
        4: ["Bù Gia Mập"],
        5: statuses,
        6: sources,
        7: [overdue, "10 h 59 min"],
        8: ["Phòng CSGT"],
    }


def fit_columns(table: QTableView, connections: list[str] | None = None) -> None:
    """Size every column to its text; hide the least useful ones if the title would not fit.

    The system column shows only when the queue holds incidents of several connections."""
    header = table.horizontalHeader()
    model = table.model()
    metrics = table.fontMetrics()
    header_metrics = header.fontMetrics()
    widths: dict[int, int] = {}
    samples = _samples()
    system = QueueColumn.CONNECTION.position
    if connections is None or len(connections) < 2:
        header.setSectionHidden(system, True)
    else:
        samples[system] = connections
    for column, texts in samples.items():
        label = str(model.headerData(column, header.orientation()) or COLUMNS[column].label())
        longest = max(
            [metrics.horizontalAdvance(text) for text in texts]
            + [header_metrics.horizontalAdvance(label) + 12]  # room for the sort arrow
        )
        widths[column] = longest + PADDING_PX
    available = table.viewport().width()
    shown = set(widths)
    for column in _drop(widths, available):
        shown.discard(column)
    for column, width in widths.items():
        header.setSectionHidden(column, column not in shown)
        if column in shown:
            header.resizeSection(column, width)


def _drop(widths: dict[int, int], available: int) -> Iterable[int]:
    """Columns to hide, in DROP_ORDER, until the title keeps its share."""
    total = sum(widths.values())
    for column in DROP_ORDER:
        if available - total >= available * TITLE_SHARE:
            return
        if column not in widths:
            continue
        total -= widths[column]
        yield column


class ColumnFitter(QObject):
    """Refits a table's columns whenever it is resized or its font (scale) changes."""

    EVENTS = (QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.Show)

    def __init__(self, table: QTableView, connections: Callable[[], list[str]]) -> None:
        super().__init__(table)
        self._table = table
        self._connections = connections
        self._shown: list[str] = []
        table.installEventFilter(self)
        # The viewport's own resize, not only the table's: the table hears of its resize
        # before it resizes its viewport, so a fit then would measure the old width.
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)
        self.refit()

    def refit(self) -> None:
        self._shown = list(self._connections())
        fit_columns(self._table, self._shown)

    def connections_changed(self) -> None:
        """Refit only when a new connection's incidents arrived (rare)."""
        if len(self._connections()) != len(self._shown):
            self.refit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        watching = watched is self._table or watched is self._viewport  # no call: may be dying
        if watching and event.type() in self.EVENTS:
            self.refit()
        return False
