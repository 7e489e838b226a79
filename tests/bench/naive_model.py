"""The baseline: the queue as the foundation had it (a Python list model, one
`beginInsertRows` per new incident, the id index rebuilt each time)."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from console.domain.records import Incident

FIELDS = ("created_at", "priority", "category", "title", "district", "status")


class NaiveIncidentModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Incident] = []
        self._row_of: dict[str, int] = {}

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return len(self._rows)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return len(FIELDS)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return str(getattr(self._rows[index.row()], FIELDS[index.column()]))

    def load(self, incidents: list[Incident]) -> None:
        self.beginResetModel()
        self._rows = sorted(incidents, key=lambda i: -i.created_at.timestamp())
        self._row_of = {item.id: i for i, item in enumerate(self._rows)}
        self.endResetModel()

    def upsert(self, incidents: list[Incident]) -> None:
        for incident in incidents:
            row = self._row_of.get(incident.id)
            if row is None:
                keys = [-r.created_at.timestamp() for r in self._rows]
                row = bisect_left(keys, -incident.created_at.timestamp())
                self.beginInsertRows(QModelIndex(), row, row)
                self._rows.insert(row, incident)
                self._row_of = {item.id: i for i, item in enumerate(self._rows)}
                self.endInsertRows()
            elif incident.revision > self._rows[row].revision:
                self._rows[row] = incident
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(FIELDS) - 1))
