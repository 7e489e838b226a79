"""The incident queue: newest first, rows coloured by priority, counts per status."""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout

from console.domain import Incident
from console.panel_kinds import IncidentsConfig
from console.stores.incidents import IncidentRole
from widgets.panel import Panel, PanelContext
from widgets.theme import PRIORITY_COLOURS

ModelIndex = QModelIndex | QPersistentModelIndex


class _QueueView(QSortFilterProxyModel):
    """Filters by status and paints priority; the store model stays QtGui-free."""

    def __init__(self, statuses: tuple[str, ...]) -> None:
        super().__init__()
        self.statuses = set(statuses)
        self._brushes = {key: QBrush(QColor(value)) for key, value in PRIORITY_COLOURS.items()}

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if not self.statuses:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        incident: Incident = self.sourceModel().data(index, IncidentRole)
        return incident.status.value in self.statuses

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            incident: Incident = super().data(index, IncidentRole)
            return self._brushes.get(incident.priority.value)
        return super().data(index, role)


class IncidentsPanel(Panel):
    KIND = "incidents"

    def __init__(self, context: PanelContext, config: IncidentsConfig, parent: Any = None):
        super().__init__(context, config, parent)
        self.model = context.incidents
        self.proxy = _QueueView(config.statuses)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.counts = QLabel()
        self.counts.setObjectName("QueueCounts")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.counts)
        layout.addWidget(self.table)
        for signal in (self.model.rowsInserted, self.model.dataChanged, self.model.modelReset):
            signal.connect(self._update_counts)
        self._update_counts()

    def title(self) -> str:
        return self.tr("Incidents and citizen feedback")

    def _update_counts(self) -> None:
        counts = Counter(incident.status.value for incident in self.model.incidents())
        open_count = sum(n for status, n in counts.items() if status != "resolved")
        self.counts.setText(
            self.tr("{open} open · {received} new · {resolved} resolved").format(
                open=open_count, received=counts["received"], resolved=counts["resolved"]
            )
        )
