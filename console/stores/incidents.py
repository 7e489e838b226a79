"""The incident store: every incident as numpy columns, and the default queue (newest first).

Panels show their own `IncidentQueueModel` (filter + order) over this store; the map and
the sync use `upsert`, `get`, `incidents()` and `cursor`. Revisions only go forward, so a
replayed or late event changes nothing.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal

from console.domain import formatting
from console.domain.queue import COLUMNS, QueueColumn
from console.domain.records import (
    Category,
    Incident,
    IncidentAction,
    IncidentStatus,
    Priority,
)
from console.stores.archive import IncidentArchive, retirable
from console.stores.incident_columns import IncidentColumns, now_ms
from console.stores.incident_view import (
    FLASH_S,
    FreshRole,
    IncidentQueueModel,
    IncidentRole,
    OverdueRole,
    PendingRole,
    countdown,
)
from console.stores.tooltips import plain_tooltip

log = logging.getLogger(__name__)

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
    "citizen": QT_TRANSLATE_NOOP("Incident", "citizen"),
    "camera": QT_TRANSLATE_NOOP("Incident", "camera"),
    "sensor": QT_TRANSLATE_NOOP("Incident", "sensor"),
    "acknowledge": QT_TRANSLATE_NOOP("Incident", "acknowledge"),
    "assign": QT_TRANSLATE_NOOP("Incident", "assign"),
    "note": QT_TRANSLATE_NOOP("Incident", "note"),
    "resolve": QT_TRANSLATE_NOOP("Incident", "resolve"),
    "reopen": QT_TRANSLATE_NOOP("Incident", "reopen"),
}
_FRESH = frozenset({Priority.HIGH, Priority.CRITICAL})


def value_name(value: str) -> str:
    """An enum value as the operator reads it, translated."""
    return QCoreApplication.translate("Incident", str(VALUE_NAMES.get(value, value)))


class IncidentTableModel(IncidentQueueModel):
    """The store (all incidents) and, as a table, the whole queue newest first."""

    incidentsUpserted = Signal(list)  # list[Incident] that were added or changed
    rowsApplied = Signal(object, object)  # new store rows, changed store rows (numpy)
    rowsTouched = Signal(object)  # store rows whose pending actions changed
    actionRequested = Signal(str, object)  # incident id, IncidentAction: the outbox takes it
    actionRefused = Signal(str, str, str)  # incident id, action, the backend's reason

    def __init__(
        self, parent: QObject | None = None, sla_hours: Mapping[Category, float] | None = None
    ) -> None:
        self.columns = IncidentColumns(sla_hours)
        self._pending: dict[str, tuple[str, ...]] = {}
        super().__init__(self, parent)

    # -- store interface ----------------------------------------------------
    def incidents(self) -> list[Incident]:
        """All incidents, newest first."""
        records = self.columns.records
        return [records[int(row)] for row in self.store_rows()]

    def get(self, incident_id: str) -> Incident | None:
        """The incident with this key, or with this local id when one connection has it."""
        row = self.columns.find_row(incident_id)
        return None if row is None else self.columns.records[row]

    @property
    def cursor(self) -> int:
        """Highest revision seen (retired rows included): where a catch-up request resumes."""
        return max((self.columns.cursor(name) for name in self.columns.connections), default=0)

    def cursor_of(self, connection: str) -> int:
        """Highest revision seen from one connection (each numbers its own)."""
        return self.columns.cursor(connection)

    def upsert(self, incidents: Iterable[Incident], live: bool = False) -> None:
        """Apply a batch; stale revisions are dropped, so replays are harmless.

        `live` marks arrivals from the event stream (new high-priority ones flash)."""
        new, changed = self.columns.upsert(incidents, live)
        if not len(new) and not len(changed):
            return
        self.rowsApplied.emit(new, changed)
        records = self.columns.records
        self.incidentsUpserted.emit([records[int(row)] for row in np.concatenate([new, changed])])

    def status_counts(self) -> dict[IncidentStatus, int]:
        return self.columns.status_counts()

    def retire(self, before: datetime, archive: IncidentArchive, limit: int | None = None) -> int:
        """Move incidents resolved and untouched since `before` into `archive` (at most
        `limit`, oldest arrivals first); returns how many. One with an action still in the
        outbox stays. Row numbers change, so the model resets and every queue view over it
        rebuilds (a selection there is cleared).

        Archived first, removed after: if the archive cannot take them, they stay live."""
        rows = retirable(self.columns, before, self._pending)[:limit]
        if not len(rows):
            return 0
        try:
            archive.put(self.columns.records[int(row)] for row in rows)
        except sqlite3.Error as error:
            log.error("could not archive %d resolved incidents, kept live: %s", len(rows), error)
            return 0
        self.beginResetModel()
        self.columns.remove(rows)
        self.rebuild()
        self.endResetModel()
        return len(rows)

    def request_action(self, incident_id: str, action: IncidentAction) -> None:
        """A panel asks for an action; whoever delivers actions (the outbox) listens."""
        self.actionRequested.emit(incident_id, action)

    def report_refused(self, incident_id: str, action: str, reason: str) -> None:
        """The outbox's final "no" for an action, for panels to show in plain words."""
        self.actionRefused.emit(incident_id, action, reason)

    def pending(self, incident_id: str) -> tuple[str, ...]:
        return self._pending.get(incident_id, ())

    def set_pending(
        self, pending: Mapping[str, tuple[str, ...]], connection: str | None = None
    ) -> None:
        """Actions queued per incident (from an outbox); rows show them until delivered.

        With `connection`, only that connection's incidents are replaced (each connection
        has its own outbox)."""
        old = self._pending
        if connection is not None:
            prefix = f"{connection}/"
            old = {key: value for key, value in old.items() if key.startswith(prefix)}
        touched = set(old) ^ set(pending)
        touched |= {key for key in pending if old.get(key) != pending[key]}
        others = {key: value for key, value in self._pending.items() if key not in old}
        self._pending = {**others, **{key: value for key, value in pending.items() if value}}
        rows = [self.columns.row_of[key] for key in touched if key in self.columns.row_of]
        if rows:
            self.rowsTouched.emit(np.array(rows, np.int64))

    # -- cells, for every queue view ----------------------------------------
    # The roles `cell` answers: a queue view answers None for any other without asking
    # (a paint asks each visible cell for seven roles: font, colours, alignment... the
    # store has only the text).
    CELL_ROLES = frozenset(
        {IncidentRole, OverdueRole, PendingRole, FreshRole}
        | {int(Qt.ItemDataRole.ToolTipRole), int(Qt.ItemDataRole.DisplayRole)}
    )

    def cell(self, row: int, column: int, role: int) -> Any:
        incident = self.columns.records[row]
        if role == IncidentRole:
            return incident
        if role == OverdueRole:
            return bool(self.columns.overdue(np.array([row], np.int64))[0])
        if role == PendingRole:
            return self._pending.get(incident.id, ())
        if role == FreshRole:
            return self._fresh(row, incident)
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[column] is QueueColumn.TITLE:
            return plain_tooltip(incident.title)  # a tooltip string is read as markup
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._display(row, COLUMNS[column].field, incident)

    def _fresh(self, row: int, incident: Incident) -> bool:
        arrived = float(self.columns.arrived[row])
        return incident.priority in _FRESH and arrived > 0 and time.monotonic() - arrived < FLASH_S

    def _display(self, row: int, field: str, incident: Incident) -> str:
        if field == "created_at":
            return formatting.clock_seconds(incident.created_at)
        if field in ("title", "district"):
            return str(getattr(incident, field))
        if field == "assignee":
            return incident.assignee or ""
        if field == "due":
            if incident.status is IncidentStatus.RESOLVED:
                return "—"
            return countdown(int(self.columns.due[row]), now_ms())
        text = value_name(str(getattr(incident, field)))
        pending = self._pending.get(incident.id) if field == "status" else None
        if pending:
            actions = ", ".join(value_name(action) for action in pending)
            text = QCoreApplication.translate("IncidentTableModel", "{status} · sending {actions}…")
            return text.format(status=value_name(incident.status.value), actions=actions)
        return text


__all__ = ["IncidentRole", "IncidentTableModel", "value_name"]
