"""Incidents as numpy columns, so a 100k-row queue filters and sorts in milliseconds.

The records themselves stay in a list (views read one per visible cell); every field a
filter or a sort looks at is also held as a column of small integers or folded bytes.
Pure numpy, no Qt: `IncidentTableModel` and the queue views build on it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from itertools import compress

import numpy as np
import numpy.typing as npt

from console.domain.records import Category, Incident, IncidentStatus, Priority, Source
from console.domain.text import fold

Rows = npt.NDArray[np.int64]

STATUSES: tuple[IncidentStatus, ...] = tuple(IncidentStatus)
PRIORITIES: tuple[Priority, ...] = tuple(Priority)  # index = rank, low .. critical
CATEGORIES: tuple[Category, ...] = tuple(Category)
SOURCES: tuple[Source, ...] = tuple(Source)
RESOLVED = STATUSES.index(IncidentStatus.RESOLVED)

# Hours from report to the deadline, per category: security and traffic are urgent,
# citizen feedback on public services has days (a provincial IOC's usual service level).
DEFAULT_SLA_HOURS: dict[Category, float] = {
    Category.SECURITY: 1.0,
    Category.TRAFFIC: 2.0,
    Category.ENVIRONMENT: 24.0,
    Category.INFRASTRUCTURE: 24.0,
    Category.LIGHTING: 48.0,
    Category.PUBLIC_SERVICES: 72.0,
}
SEARCH_BYTES = 160  # folded search text kept per row (title, district, id, assignee, start of text)
SORT_BYTES = 48  # folded text kept for sorting by title / district / assignee


def epoch_ms(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1000)


def now_ms() -> int:
    return int(time.time() * 1000)


def _clip(text: str, size: int) -> bytes:
    """UTF-8 cut at a character boundary, so a search never matches half a letter."""
    clipped = text.encode("utf-8", "replace")[:size]  # "replace": a lone surrogate is a "?"
    return clipped.decode("utf-8", "ignore").encode("utf-8")


class IncidentColumns:
    """Rows in arrival order; `row_of` finds a row by id. Grows by doubling."""

    INT_FIELDS = ("created", "due", "updated", "revision")
    CODE_FIELDS = ("priority", "status", "category", "source", "district", "assignee", "connection")
    ARRAYS = (*INT_FIELDS, *CODE_FIELDS, "arrived", "search", "title_key")

    def __init__(self, sla_hours: Mapping[Category, float] | None = None, capacity: int = 1024):
        self.sla_ms = {
            category: int(hours * 3_600_000)
            for category, hours in {**DEFAULT_SLA_HOURS, **(sla_hours or {})}.items()
        }
        self.records: list[Incident] = []
        self.row_of: dict[str, int] = {}
        self.created = np.zeros(capacity, np.int64)  # ms since epoch
        self.due = np.zeros(capacity, np.int64)
        self.updated = np.zeros(capacity, np.int64)  # ms since epoch: when retention may act
        self.revision = np.zeros(capacity, np.int64)
        self.priority = np.zeros(capacity, np.int8)
        self.status = np.zeros(capacity, np.int8)
        self.category = np.zeros(capacity, np.int8)
        self.source = np.zeros(capacity, np.int8)
        self.district = np.zeros(capacity, np.int32)  # index into `districts`
        self.assignee = np.zeros(capacity, np.int32)  # index into `assignees`; 0 = nobody
        self.connection = np.zeros(capacity, np.int16)  # index into `connections`
        self.arrived = np.zeros(capacity, np.float64)  # monotonic s when first seen live; 0 = load
        self.search = np.zeros(capacity, f"S{SEARCH_BYTES}")
        self.title_key = np.zeros(capacity, f"S{SORT_BYTES}")
        self.districts: list[str] = []
        self._district_code: dict[str, int] = {}
        self.assignees: list[str] = [""]
        self._assignee_code: dict[str, int] = {"": 0}
        self.connections: list[str] = []  # the site's connections, in order of first record
        self._connection_code: dict[str, int] = {}
        self.version = 0  # bumped on every change; views cache string ranks against it
        # Highest revision of removed rows, per connection code: a cursor never goes back.
        self._removed_top: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.records)

    @property
    def capacity(self) -> int:
        return int(self.created.shape[0])

    def _grow(self, needed: int) -> None:
        capacity = self.capacity
        while capacity < needed:
            capacity *= 2
        if capacity == self.capacity:
            return
        for name in self.ARRAYS:
            old = getattr(self, name)
            new = np.zeros(capacity, old.dtype)
            new[: len(self)] = old[: len(self)]
            setattr(self, name, new)

    @staticmethod
    def _code(value: str, names: list[str], codes: dict[str, int]) -> int:
        code = codes.get(value)
        if code is None:
            code = codes[value] = len(names)
            names.append(value)
        return code

    def upsert(self, incidents: Iterable[Incident], live: bool = False) -> tuple[Rows, Rows]:
        """Apply records newer than what is held; returns (new rows, changed rows)."""
        new: list[int] = []
        changed: dict[int, None] = {}  # ordered set
        first_new = len(self.records)  # rows from here on are new in this batch, never "changed"
        arrived = time.monotonic() if live else 0.0
        for incident in incidents:
            row = self.row_of.get(incident.id)
            if row is None:
                row = len(self.records)
                self._grow(row + 1)
                self._write(row, incident)  # first: a record it refuses is not half-held
                self.records.append(incident)
                self.row_of[incident.id] = row
                self.arrived[row] = arrived
                new.append(row)
                continue
            if incident.revision <= self.records[row].revision:
                continue
            self._write(row, incident)
            self.records[row] = incident
            if row < first_new:
                changed[row] = None
        if new or changed:
            self.version += 1
        return np.array(new, np.int64), np.fromiter(changed, np.int64, len(changed))

    def _write(self, row: int, incident: Incident) -> None:
        created = epoch_ms(incident.created_at)
        self.created[row] = created
        self.due[row] = created + self.sla_ms.get(incident.category, 24 * 3_600_000)
        self.updated[row] = epoch_ms(incident.updated_at)
        self.revision[row] = incident.revision
        self.priority[row] = PRIORITIES.index(incident.priority)
        self.status[row] = STATUSES.index(incident.status)
        self.category[row] = CATEGORIES.index(incident.category)
        self.source[row] = SOURCES.index(incident.source)
        self.district[row] = self._code(incident.district, self.districts, self._district_code)
        assignee = incident.assignee or ""
        self.assignee[row] = self._code(assignee, self.assignees, self._assignee_code)
        self.connection[row] = self._code(
            incident.connection, self.connections, self._connection_code
        )
        title = fold(incident.title)
        text = " ".join((title, fold(incident.district), incident.id.casefold(), fold(assignee)))
        self.search[row] = _clip(f"{text} {fold(incident.description)}", SEARCH_BYTES)
        self.title_key[row] = _clip(title, SORT_BYTES)

    def find_row(self, ref: str) -> int | None:
        """The row of a key, or of a local id when exactly one connection has it."""
        row = self.row_of.get(ref)
        if row is not None or "/" in ref:  # a qualified reference names one key only
            return row
        rows = [
            found
            for connection in self.connections
            if connection and (found := self.row_of.get(f"{connection}/{ref}")) is not None
        ]
        return rows[0] if len(rows) == 1 else None

    def cursor(self, connection: str) -> int:
        """The highest revision held from `connection`: where its catch-up resumes."""
        code = self._connection_code.get(connection)
        if code is None:
            return 0
        n = len(self)
        mine = self.revision[:n][self.connection[:n] == code]
        held = int(mine.max()) if len(mine) else 0
        return max(held, self._removed_top.get(code, 0))

    def remove(self, rows: Rows) -> list[Incident]:
        """Drop rows (retention): the others keep their order, ids and cursors stay right.

        Row numbers change, so every view over these columns must rebuild afterwards."""
        n = len(self)
        drop = np.zeros(n, np.bool_)
        drop[rows] = True
        if not drop.any():
            return []
        for code in np.unique(self.connection[:n][drop]):
            top = int(self.revision[:n][drop & (self.connection[:n] == code)].max())
            self._removed_top[int(code)] = max(self._removed_top.get(int(code), 0), top)
        keep = np.flatnonzero(~drop)
        for name in self.ARRAYS:
            array = getattr(self, name)
            array[: len(keep)] = array[keep]
            array[len(keep) : n] = array.dtype.type()  # 0, or b"" for the texts
        removed = list(compress(self.records, drop.tolist()))
        self.records = list(compress(self.records, (~drop).tolist()))
        # Renumbered from the old map: reading `id` off every record is 3x slower.
        gone = {incident.id for incident in removed}
        moved_to = (np.arange(n) - np.cumsum(drop)).tolist()
        self.row_of = {key: moved_to[row] for key, row in self.row_of.items() if key not in gone}
        self.version += 1
        return removed

    def overdue(self, rows: Rows | None = None, at_ms: int | None = None) -> npt.NDArray[np.bool_]:
        """Past the deadline and not resolved."""
        at = now_ms() if at_ms is None else at_ms
        if rows is None:
            n = len(self)
            late: npt.NDArray[np.bool_] = (self.due[:n] < at) & (self.status[:n] != RESOLVED)
        else:
            late = (self.due[rows] < at) & (self.status[rows] != RESOLVED)
        return late

    def of_connections(self, names: Iterable[str]) -> Rows:
        """The rows of these connections."""
        codes = [code for name in names if (code := self._connection_code.get(name)) is not None]
        n = len(self)
        return np.flatnonzero(np.isin(self.connection[:n], np.array(codes, np.int16)))

    def status_counts(self, rows: Rows | None = None) -> dict[IncidentStatus, int]:
        statuses = self.status[: len(self)] if rows is None else self.status[rows]
        counts = np.bincount(statuses, minlength=len(STATUSES))
        return {status: int(counts[i]) for i, status in enumerate(STATUSES)}

    def nbytes(self) -> int:
        """Memory held by the columns (not the records)."""
        return sum(int(getattr(self, name).nbytes) for name in self.ARRAYS)
