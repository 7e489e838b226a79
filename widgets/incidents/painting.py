"""How the queue is painted and scrolled: colours per row state, sideways-scrolling rows.

The rows and their order come from IncidentQueueModel (numpy, QtGui-free); this paints
them: priority colours, overdue rows in red, new high-priority rows flashing, pending
actions in italics, and each status with its procedure's progress ("assigned · 3/5").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QWidget

from console.domain.queue import QueueColumn
from console.site.procedures import ProcedureBook
from console.stores.incident_view import (
    FreshRole,
    IncidentQueueModel,
    IncidentRole,
    OverdueRole,
    PendingRole,
)
from console.stores.incidents import IncidentTableModel
from widgets.theme import PRIORITY_COLOURS

ModelIndex = QModelIndex | QPersistentModelIndex
OVERDUE_BACKGROUND = "#4a1518"
FLASH_BACKGROUND = "#5a3a00"
TICK_MS = 1_000  # countdowns, flashing and the overdue count refresh this often


class PaintedQueue(IncidentQueueModel):
    """Colours only: the rows and their order come from IncidentQueueModel."""

    def __init__(self, store: IncidentTableModel, book: ProcedureBook) -> None:
        super().__init__(store)
        self.book = book
        self._priority = {key: QBrush(QColor(value)) for key, value in PRIORITY_COLOURS.items()}
        self._overdue = QBrush(QColor(OVERDUE_BACKGROUND))
        self._flash = QBrush(QColor(FLASH_BACKGROUND))
        self._italic = QFont()
        self._italic.setItalic(True)
        self.flash_on = True

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            incident = super().data(index, IncidentRole)
            return None if incident is None else self._priority.get(incident.priority.value)
        if role == Qt.ItemDataRole.BackgroundRole:
            if self.flash_on and super().data(index, FreshRole):
                return self._flash
            return self._overdue if super().data(index, OverdueRole) else None
        if role == Qt.ItemDataRole.FontRole and super().data(index, PendingRole):
            return self._italic
        if role == Qt.ItemDataRole.DisplayRole and index.column() == QueueColumn.STATUS.position:
            return self._with_steps(index, super().data(index, role))
        return super().data(index, role)

    def _with_steps(self, index: ModelIndex, status: str) -> str:
        """The status and, where a procedure applies, its steps done: "assigned · 3/5"."""
        incident = super().data(index, IncidentRole)
        found = None if incident is None else self.book.progress(incident)
        return status if found is None else f"{status} · {found.label}"


def _scrolling(content: QWidget, sideways: bool) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    policy = Qt.ScrollBarPolicy
    area.setVerticalScrollBarPolicy(
        policy.ScrollBarAlwaysOff if sideways else policy.ScrollBarAsNeeded
    )
    area.setHorizontalScrollBarPolicy(
        policy.ScrollBarAsNeeded if sideways else policy.ScrollBarAlwaysOff
    )
    return area


def scrolling_row(row: QWidget) -> QScrollArea:
    """A row of controls that scrolls sideways in a narrow cell instead of widening it."""
    area = _scrolling(row, sideways=True)
    area.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    area.setFixedHeight(row.sizeHint().height() + area.horizontalScrollBar().sizeHint().height())
    return area


def scrolling_checklist(checklist: QWidget) -> QScrollArea:
    """The procedure scrolls in its share of the side pane; its steps wrap to the width."""
    return _scrolling(checklist, sideways=False)
