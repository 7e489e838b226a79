"""The incident queue's columns, declared once.

The store's cells, the sort keys, the layout schema (`sort:` of an incidents panel) and
the view's headers all derive from `QueueColumn`, so adding or reordering a column is a
change in this file only.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication


class QueueColumn(StrEnum):
    """A queue column, in display order; its value is the layout's sort key."""

    CREATED = "created"
    PRIORITY = "priority"
    CATEGORY = "category"
    TITLE = "title"
    DISTRICT = "district"
    STATUS = "status"
    SOURCE = "source"
    DUE = "due"
    ASSIGNEE = "assignee"
    CONNECTION = "connection"  # which of the site's systems the incident came from

    @property
    def position(self) -> int:
        """Where the column stands in the table."""
        return COLUMNS.index(self)

    @property
    def field(self) -> str:
        """The `Incident` attribute the column shows."""
        return "created_at" if self is QueueColumn.CREATED else self.value

    @property
    def header(self) -> str:
        """The header in English; `label()` translates it."""
        return str(_HEADERS[self])

    def label(self) -> str:
        """The header in the UI language."""
        return QCoreApplication.translate("IncidentTableModel", self.header)


COLUMNS: tuple[QueueColumn, ...] = tuple(QueueColumn)

# Written out so the translation tools find them (context "IncidentTableModel").
_HEADERS: dict[QueueColumn, object] = {  # QT_TRANSLATE_NOOP is typed as object
    QueueColumn.CREATED: QT_TRANSLATE_NOOP("IncidentTableModel", "Time"),
    QueueColumn.PRIORITY: QT_TRANSLATE_NOOP("IncidentTableModel", "Priority"),
    QueueColumn.CATEGORY: QT_TRANSLATE_NOOP("IncidentTableModel", "Category"),
    QueueColumn.TITLE: QT_TRANSLATE_NOOP("IncidentTableModel", "Title"),
    QueueColumn.DISTRICT: QT_TRANSLATE_NOOP("IncidentTableModel", "District"),
    QueueColumn.STATUS: QT_TRANSLATE_NOOP("IncidentTableModel", "Status"),
    QueueColumn.SOURCE: QT_TRANSLATE_NOOP("IncidentTableModel", "Source"),
    QueueColumn.DUE: QT_TRANSLATE_NOOP("IncidentTableModel", "Due"),
    QueueColumn.ASSIGNEE: QT_TRANSLATE_NOOP("IncidentTableModel", "Assignee"),
    QueueColumn.CONNECTION: QT_TRANSLATE_NOOP("IncidentTableModel", "System"),
}
