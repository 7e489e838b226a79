"""The incident queue as a Qt table model, newest first."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from console.domain import Incident

ModelIndex = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, str], ...] = (
    ("created_at", "Time"),
    ("priority", "Priority"),
    ("category", "Category"),
    ("title", "Title"),
    ("district", "District"),
    ("status", "Status"),
)

# How enum values read in cells, declared here so the translation tools find them.
VALUE_NAMES = {
    "low": QT_TRANSLATE_NOOP("Incident", "low"),
    "medium": QT_TRANSLATE_NOOP("Incident", "medium"),
    "high": QT_TRANSLATE_NOOP("Incident", "high"),
    "critical": QT_TRANSLATE_NOOP("Incident", "critical"),
    "traffic": QT_TRANSLATE_NOOP("Incident", "traffic"),
    "security": QT_TRANSLATE_NOOP("Incident", "security"),
    "environment": QT_TRANSLATE_NOOP("Incident", "environment"),
    "public_services": QT_TRANSLATE_NOOP("Incident", "public services"),
    "infrastructure": QT_TRANSLATE_NOOP("Incident", "infrastructure"),
    "lighting": QT_TRANSLATE_NOOP("Incident", "lighting"),
    "received": QT_TRANSLATE_NOOP("Incident", "received"),
    "acknowledged": QT_TRANSLATE_NOOP("Incident", "acknowledged"),
    "assigned": QT_TRANSLATE_NOOP("Incident", "assigned"),
    "resolved": QT_TRANSLATE_NOOP("Incident", "resolved"),
}
COLUMN_NAMES = (
    QT_TRANSLATE_NOOP("IncidentTableModel", "Time"),
    QT_TRANSLATE_NOOP("IncidentTableModel", "Priority"),
    QT_TRANSLATE_NOOP("IncidentTableModel", "Category"),
    QT_TRANSLATE_NOOP("IncidentTableModel", "Title"),
    QT_TRANSLATE_NOOP("IncidentTableModel", "District"),
    QT_TRANSLATE_NOOP("IncidentTableModel", "Status"),
)

# Views read the raw record through this role (e.g. to colour a row by priority)
# so the model stays free of QtGui.
IncidentRole = int(Qt.ItemDataRole.UserRole) + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("IncidentTableModel", text)


class IncidentTableModel(QAbstractTableModel):
    """Rows keyed by incident id; an update applies only if its revision is newer."""

    incidentsUpserted = Signal(list)  # list[Incident] that were added or changed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Incident] = []  # sorted by created_at descending
        self._row_of: dict[str, int] = {}

    # -- Qt model interface -------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(COLUMNS[section][1])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        incident = self._rows[index.row()]
        if role == IncidentRole:
            return incident
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        field = COLUMNS[index.column()][0]
        if field == "created_at":
            return incident.created_at.astimezone().strftime("%H:%M:%S")
        value = str(getattr(incident, field))
        if field in ("title", "district"):
            return value
        return QCoreApplication.translate("Incident", str(VALUE_NAMES.get(value, value)))

    # -- store interface ----------------------------------------------------
    def incidents(self) -> list[Incident]:
        return list(self._rows)

    def get(self, incident_id: str) -> Incident | None:
        row = self._row_of.get(incident_id)
        return None if row is None else self._rows[row]

    @property
    def cursor(self) -> int:
        """Highest revision seen: where a catch-up request resumes."""
        return max((incident.revision for incident in self._rows), default=0)

    def upsert(self, incidents: Iterable[Incident]) -> None:
        """Apply a batch; stale revisions are dropped, so replays are harmless."""
        changed: list[Incident] = []
        for incident in incidents:
            row = self._row_of.get(incident.id)
            if row is None:
                self._insert(incident)
            elif incident.revision > self._rows[row].revision:
                self._rows[row] = incident
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            else:
                continue
            changed.append(incident)
        if changed:
            self.incidentsUpserted.emit(changed)

    def _insert(self, incident: Incident) -> None:
        keys = [-row.created_at.timestamp() for row in self._rows]
        row = bisect_left(keys, -incident.created_at.timestamp())
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, incident)
        self._row_of = {item.id: i for i, item in enumerate(self._rows)}
        self.endInsertRows()
