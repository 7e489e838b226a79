"""A queue view over the incident columns: its own filter and order, as a row permutation.

Replaces QSortFilterProxyModel, which calls Python `data()` per comparison (tens of
seconds for 100k rows). A batch of live updates costs one `searchsorted` and at most
one insert plus one layout change, and keeps the operator's selection on its rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from console.domain.queue import COLUMNS, QueueColumn
from console.stores.incident_columns import Rows, now_ms
from console.stores.incident_query import IncidentQuery, Keys, Sorter, accept, order

if TYPE_CHECKING:
    from console.stores.incidents import IncidentTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
_USER = int(Qt.ItemDataRole.UserRole)
IncidentRole = _USER + 1  # the Incident record of the row
OverdueRole = _USER + 2  # bool: past its deadline and not resolved
PendingRole = _USER + 3  # tuple[str, ...]: actions queued in the outbox, not yet delivered
FreshRole = _USER + 4  # bool: high or critical, arrived live in the last FLASH_S seconds
FLASH_S = 10.0
REBUILD_SHARE = 8  # a batch touching more than 1/8 of the rows re-sorts from scratch


def _tr(text: str) -> str:
    return QCoreApplication.translate("IncidentTableModel", text)


def countdown(due_ms: int, at_ms: int) -> str:
    """ "1 h 05 min" left, or "overdue 12 min"."""
    left = (due_ms - at_ms) // 60_000
    span = abs(left)
    text = f"{span // 60} h {span % 60:02d} min" if span >= 60 else f"{span} min"
    return _tr("overdue {span}").format(span=text) if left < 0 else text


class IncidentQueueModel(QAbstractTableModel):
    """Rows of the store that `query` accepts, ordered by one column (newest first by default)."""

    def __init__(self, store: IncidentTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.query = IncidentQuery()
        self.sort_field = QueueColumn.CREATED
        self.descending = True
        self._sorter = Sorter()
        self._perm: Rows = np.zeros(0, np.int64)
        self._keys: Keys = np.zeros(0, np.int64)
        self._pos = np.full(store.columns.capacity, -1, np.int64)
        store.rowsApplied.connect(self._on_rows)
        store.rowsTouched.connect(self._on_touched)
        if store is not self:
            store.modelAboutToBeReset.connect(self._on_store_resetting)
            store.modelReset.connect(self._on_store_reset)
            self.refilter()

    # -- queries ------------------------------------------------------------
    def set_query(self, query: IncidentQuery) -> None:
        self.query = query
        self.refilter()

    def sort(self, column: int, order_: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_field = COLUMNS[column]
        self.descending = order_ == Qt.SortOrder.DescendingOrder
        self.refilter()

    def refilter(self) -> None:
        """Filter and sort every row again (a keystroke, a header click, a timer)."""
        columns = self.store.columns
        perm, keys = order(columns, self.query, self._sorter, self.sort_field, self.descending)
        self._apply(perm, keys)

    def store_rows(self) -> Rows:
        """The store rows shown, in view order."""
        return self._perm

    def row_of(self, incident_id: str) -> int:
        """View row of an incident, or -1 if it is not shown."""
        row = self.store.columns.find_row(incident_id)
        return -1 if row is None or row >= len(self._pos) else int(self._pos[row])

    def incident_at(self, row: int) -> Any:
        return self.store.columns.records[int(self._perm[row])]

    # -- Qt model interface -------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._perm)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].label()
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in self.store.CELL_ROLES:  # six of the seven roles a paint asks a cell for
            return None
        if not index.isValid() or index.row() >= len(self._perm):
            return None
        row = int(self._perm[index.row()])
        return self.store.cell(row, index.column(), role)

    # -- live updates -------------------------------------------------------
    def _grow_pos(self) -> None:
        capacity = self.store.columns.capacity
        if len(self._pos) < capacity:
            pos = np.full(capacity, -1, np.int64)
            pos[: len(self._pos)] = self._pos
            self._pos = pos

    def _on_rows(self, new: Rows, changed: Rows) -> None:
        self._grow_pos()
        affected = np.unique(np.concatenate([new, changed]))  # a row listed twice shows once
        if len(affected) * REBUILD_SHARE > max(len(self._perm), 1000):
            self.refilter()
            return
        columns = self.store.columns
        at = self._pos[affected]
        present = at >= 0
        accepted = accept(columns, self.query, affected)
        keys = self._sorter.keys(columns, self.sort_field, affected, self.descending, False)
        held = self._keys[np.where(present, at, 0)] if len(self._keys) else keys + 1
        same = present & accepted & (held == keys)
        if same.all():
            if len(at):
                self.dataChanged.emit(
                    self.index(int(at.min()), 0), self.index(int(at.max()), len(COLUMNS) - 1)
                )
            return
        keep = np.ones(len(self._perm), np.bool_)
        keep[at[present]] = False
        perm, kept_keys = self._perm[keep], self._keys[keep]
        rows, keys = affected[accepted], keys[accepted]
        by = np.argsort(keys, kind="stable")
        rows, keys = rows[by], keys[by]
        where = np.searchsorted(kept_keys, keys, side="right")
        self._apply(np.insert(perm, where, rows), np.insert(kept_keys, where, keys))

    def _on_touched(self, rows: Rows) -> None:
        self._grow_pos()
        at = self._pos[rows]
        at = at[at >= 0]
        if len(at):
            last = len(COLUMNS) - 1
            self.dataChanged.emit(self.index(int(at.min()), 0), self.index(int(at.max()), last))

    def _on_store_resetting(self) -> None:
        self.beginResetModel()

    def _on_store_reset(self) -> None:
        """The store's rows moved (retention): this view's row numbers mean nothing now."""
        self.rebuild()
        self.endResetModel()

    def rebuild(self) -> None:
        """Filter and sort every row again without signals, inside a model reset."""
        self._grow_pos()
        self._pos[:] = -1
        self._perm = np.zeros(0, np.int64)
        columns = self.store.columns
        self._set(*order(columns, self.query, self._sorter, self.sort_field, self.descending))

    def _apply(self, perm: Rows, keys: Keys) -> None:
        """Show `perm`: insert or remove at the end, then one layout change that moves
        every persistent index (the selection, the current row) with its incident."""
        self._grow_pos()
        old_n, new_n = len(self._perm), len(perm)
        if new_n > old_n:
            self.beginInsertRows(QModelIndex(), old_n, new_n - 1)
            self._set(np.concatenate([self._perm, perm[: new_n - old_n]]), self._keys)
            self.endInsertRows()
        target = perm
        if new_n < old_n:
            mark = np.zeros(len(self._pos), np.bool_)
            mark[perm] = True
            removed = self._perm[~mark[self._perm]]
            target = np.concatenate([perm, removed[: old_n - new_n]])
        self.layoutAboutToBeChanged.emit()
        target_pos = np.full(len(self._pos), -1, np.int64)
        target_pos[target] = np.arange(len(target))
        old_indexes = self.persistentIndexList()
        new_indexes = []
        for index in old_indexes:
            moved = (
                int(target_pos[self._perm[index.row()]]) if index.row() < len(self._perm) else -1
            )
            new_indexes.append(self.index(moved, index.column()) if moved >= 0 else QModelIndex())
        self._set(target, keys)
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()
        if new_n < old_n:
            self.beginRemoveRows(QModelIndex(), new_n, old_n - 1)
            self._set(perm, keys)
            self.endRemoveRows()

    def _set(self, perm: Rows, keys: Keys) -> None:
        self._pos[self._perm] = -1
        self._perm = perm
        self._keys = keys
        self._pos[perm] = np.arange(len(perm))

    def distinct_ids(self) -> int:
        """Distinct incidents shown: equal to `rowCount()` unless a row is duplicated."""
        records = self.store.columns.records
        return len({records[int(row)].id for row in self._perm})

    def overdue_count(self) -> int:
        """Overdue rows in this view."""
        return int(self.store.columns.overdue(self._perm, now_ms()).sum())


__all__ = [
    "FLASH_S",
    "FreshRole",
    "IncidentQueueModel",
    "IncidentRole",
    "OverdueRole",
    "PendingRole",
    "countdown",
]
