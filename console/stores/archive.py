"""Resolved incidents past the retention window, in a local SQLite file that stays searchable.

The live store stays small over weeks unattended; nothing leaves it unless it is here
first. Each incident is kept whole (its JSON, with the operator's notes) beside a few
plain columns, so support staff can read the file with the `sqlite3` tool. The search
text is folded like the live queue's, so "dong xoai" finds "Đồng Xoài".
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from console.domain.records import Incident
from console.domain.text import fold, fold_terms, one_line
from console.stores.durable import open_durable
from console.stores.incident_columns import RESOLVED, IncidentColumns, Rows, epoch_ms

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS incidents (
    id TEXT PRIMARY KEY,
    connection TEXT NOT NULL,
    revision INTEGER NOT NULL,
    title TEXT NOT NULL,
    district TEXT NOT NULL,
    status TEXT NOT NULL,
    category TEXT NOT NULL,
    priority TEXT NOT NULL,
    created_at TEXT NOT NULL,  -- UTC, fixed width: text order is time order
    updated_at TEXT NOT NULL,
    search TEXT NOT NULL,  -- folded: lower case, no diacritics
    body TEXT NOT NULL  -- Incident.model_dump_json()
);
CREATE INDEX IF NOT EXISTS incidents_created ON incidents (created_at);
"""
_UPSERT = """
INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
    connection = excluded.connection, revision = excluded.revision, title = excluded.title,
    district = excluded.district, status = excluded.status, category = excluded.category,
    priority = excluded.priority, created_at = excluded.created_at,
    updated_at = excluded.updated_at, search = excluded.search, body = excluded.body
WHERE excluded.revision > incidents.revision
"""
_Row = tuple[str, str, int, str, str, str, str, str, str, str, str, str]


def _utc(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _row(incident: Incident) -> _Row:
    notes = " ".join(note.text for note in incident.notes)
    words = (incident.title, incident.district, incident.id, incident.assignee or "", notes)
    search = fold(" ".join((*words, incident.description)))
    return (
        incident.id,
        incident.connection,
        incident.revision,
        incident.title,
        incident.district,
        incident.status.value,
        incident.category.value,
        incident.priority.value,
        _utc(incident.created_at),
        _utc(incident.updated_at),
        search,
        incident.model_dump_json(),
    )


def retirable(columns: IncidentColumns, before: datetime, busy: Iterable[str]) -> Rows:
    """Rows resolved and last updated before `before`, except incidents in `busy` (ids
    with actions not yet delivered: they stay live until the outbox is done with them)."""
    n = len(columns)
    old = (columns.status[:n] == RESOLVED) & (columns.updated[:n] < epoch_ms(before))
    held = [row for key in busy if (row := columns.row_of.get(key)) is not None]
    old[np.array(held, np.int64)] = False
    return np.flatnonzero(old).astype(np.int64)


class IncidentArchive:
    """Retired incidents by id; the highest revision of each wins, as in the live store."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._db = self._open(path)

    @staticmethod
    def _open(path: Path | None) -> sqlite3.Connection:
        if path is None:
            return open_durable(":memory:", _SCHEMA)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                return open_durable(path, _SCHEMA)
            except sqlite3.DatabaseError as error:
                # Not a database (a torn copy, a disk fault): kept aside for support, anew.
                aside = path.with_name(f"{path.name}.unreadable-{int(time.time())}")
                log.error("incident archive %s unreadable (%s): moved to %s", path, error, aside)
                path.replace(aside)
                return open_durable(path, _SCHEMA)
        except (OSError, sqlite3.Error) as error:
            # The console still starts: archived incidents are kept in memory until it quits
            # (the backend keeps them too).
            log.error("incident archive %s unusable (%s): kept in memory only", path, error)
            return open_durable(":memory:", _SCHEMA)

    def close(self) -> None:
        self._db.close()

    def put(self, incidents: Iterable[Incident]) -> None:
        """Store (or update) incidents in one transaction: all of them or, on error, none.

        Raises sqlite3.Error (a full disk): the caller then keeps them live."""
        rows = [_row(incident) for incident in incidents]
        with self._db:
            self._db.executemany(_UPSERT, rows)

    def count(self) -> int:
        try:
            return int(self._db.execute("SELECT COUNT(*) FROM incidents").fetchone()[0])
        except sqlite3.Error as error:
            log.warning("incident archive: count failed: %s", error)
            return 0

    def get(self, incident_id: str) -> Incident | None:
        found = self._select("WHERE id = ?", [incident_id], 1)
        return found[0] if found else None

    def search(self, text: str, limit: int = 200) -> list[Incident]:
        """Incidents whose folded text holds every word of `text`, newest first."""
        terms = fold_terms(text)
        where = " AND ".join("instr(search, ?) > 0" for _ in terms)
        return self._select(f"WHERE {where}" if terms else "", terms, limit)

    def created_between(
        self, start: datetime, end: datetime, limit: int = 200_000
    ) -> list[Incident]:
        """Archived incidents reported in [start, end): long periods of the statistics."""
        return self._select(
            "WHERE created_at >= ? AND created_at < ?", [_utc(start), _utc(end)], limit
        )

    def _select(self, where: str, args: list[str], limit: int) -> list[Incident]:
        query = f"SELECT id, body FROM incidents {where} ORDER BY created_at DESC, id LIMIT ?"
        try:
            rows = self._db.execute(query, [*args, limit]).fetchall()
        except sqlite3.Error as error:
            log.warning("incident archive: search failed: %s", error)
            return []
        found = []
        for incident_id, body in rows:
            try:
                found.append(Incident.model_validate_json(body))
            except (ValidationError, ValueError, TypeError) as error:
                log.warning(
                    "skipped unreadable archived incident %r: %s",
                    incident_id,
                    one_line(str(error), 200),
                )
        return found


__all__ = ["IncidentArchive", "retirable"]
