"""Operator actions that are never lost: a SQLite outbox per connection.

An action is committed (with a fresh idempotency key) before anything else, so a
`kill -9` right after a click loses nothing; `console.actions.sender` delivers it.
An action the connection's protocol cannot take is kept here too, as `kept`: the
operator's local note or assignment, re-applied whenever the record comes again.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import platformdirs

from console.domain.records import IncidentAction, utcnow
from console.stores.durable import open_durable

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS actions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    incident_id TEXT NOT NULL,
    body TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',  -- pending | delivered | refused | kept
    attempts INTEGER NOT NULL DEFAULT 0,
    detail TEXT NOT NULL DEFAULT ''
)
"""


def data_dir() -> Path:
    """Where the outbox and the audit log live (the user's data directory)."""
    return Path(platformdirs.user_data_dir("ioc-console", "ioc-console"))


@dataclass(frozen=True)
class OutboxItem:
    seq: int
    key: str
    incident_id: str
    action: IncidentAction


class Outbox:
    """The durable queue. Every write is committed before the call returns."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = open_durable(path, _SCHEMA, isolation_level=None, check_same_thread=False)

    def close(self) -> None:
        self._db.close()

    def enqueue(self, incident_id: str, action: IncidentAction) -> str:
        key = str(uuid.uuid4())
        self._db.execute(
            "INSERT INTO actions (key, incident_id, body, queued_at) VALUES (?, ?, ?, ?)",
            (key, incident_id, action.model_dump_json(), utcnow().isoformat()),
        )
        return key

    def pending(self) -> list[OutboxItem]:
        rows = self._db.execute(
            "SELECT seq, key, incident_id, body FROM actions WHERE state = 'pending' ORDER BY seq"
        ).fetchall()
        return [
            OutboxItem(seq, key, incident, IncidentAction.model_validate_json(body))
            for seq, key, incident, body in rows
        ]

    def pending_by_incident(self) -> dict[str, tuple[str, ...]]:
        grouped: dict[str, list[str]] = {}
        for item in self.pending():
            grouped.setdefault(item.incident_id, []).append(item.action.action.value)
        return {key: tuple(value) for key, value in grouped.items()}

    def kept(self) -> dict[str, list[tuple[datetime, IncidentAction]]]:
        """The actions kept on this console (local notes, assignments) per incident."""
        rows = self._db.execute(
            "SELECT incident_id, body, queued_at FROM actions WHERE state = 'kept' ORDER BY seq"
        ).fetchall()
        grouped: dict[str, list[tuple[datetime, IncidentAction]]] = {}
        for incident, body, at in rows:
            action = IncidentAction.model_validate_json(body)
            grouped.setdefault(incident, []).append((datetime.fromisoformat(at), action))
        return grouped

    def mark(self, key: str, state: str, detail: str = "") -> None:
        self._db.execute(
            "UPDATE actions SET state = ?, detail = ? WHERE key = ?", (state, detail, key)
        )

    def count_attempt(self, key: str, detail: str) -> None:
        self._db.execute(
            "UPDATE actions SET attempts = attempts + 1, detail = ? WHERE key = ?", (detail, key)
        )

    def states(self) -> dict[str, int]:
        rows = self._db.execute("SELECT state, COUNT(*) FROM actions GROUP BY state").fetchall()
        return {state: count for state, count in rows}
