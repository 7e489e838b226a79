"""Operator actions that are never lost: a SQLite outbox, delivered exactly once.

`submit` commits the action (with a fresh idempotency key) before anything else, so a
`kill -9` right after a click loses nothing. `OutboxSender.run` delivers in order; on a
network error or a 5xx it keeps the action and retries with backoff; after a restart it
resends what was not confirmed with the *same* key, and the backend replays its first
answer instead of applying the action twice. Refusals (4xx) are final and reported.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import logging
import random
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import platformdirs
from pydantic import ValidationError
from PySide6.QtCore import QObject, Signal

from console.actions.audit import AuditLog
from console.domain.records import Incident, IncidentAction, utcnow
from console.sources.auth import CredentialsError
from console.sources.ioc.api import BackendError, path_segment
from console.stores.incidents import IncidentTableModel

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS actions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    incident_id TEXT NOT NULL,
    body TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',  -- pending | delivered | refused
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
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(_SCHEMA)

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


class _Transient(Exception):
    """Try again later: the backend is unreachable or failing."""


class _Refused(Exception):
    """The backend said no (4xx): final."""


class OutboxSender(QObject):
    """Delivers the outbox to the backend, in order, forever (cancel to stop)."""

    delivered = Signal(str, object)  # key, Incident
    refused = Signal(str, str, str)  # key, incident id, plain-words reason
    retrying = Signal(str)  # plain-words reason the head of the queue waits

    def __init__(
        self,
        outbox: Outbox,
        client: httpx.AsyncClient,
        store: IncidentTableModel | None = None,
        audit: AuditLog | None = None,
        user: str | None = None,
        retry_min_s: float = 0.5,
        retry_max_s: float = 30.0,
        forbidden: Callable[[], str | None] = lambda: None,
    ) -> None:
        super().__init__()
        self.outbox, self.client, self.store, self.audit = outbox, client, store, audit
        self.forbidden = forbidden  # why this user may not act now (their role), or None
        self.user = user or getpass.getuser()
        self.retry_min_s, self.retry_max_s = retry_min_s, retry_max_s
        self._wake = asyncio.Event()
        if store is not None:
            store.actionRequested.connect(self.submit)
            store.set_pending(outbox.pending_by_incident())

    def submit(self, incident_id: str, action: IncidentAction) -> str:
        """Queue an action durably; returns its idempotency key ("" if refused here)."""
        reason = self.forbidden()
        if reason is not None:  # the client refuses what the role may not do
            self._audit(incident_id, action, f"refused: {reason}", "")
            self.refused.emit("", incident_id, reason)
            if self.store is not None:
                self.store.report_refused(incident_id, action.action.value, reason)
            return ""
        key = self.outbox.enqueue(incident_id, action)
        self._audit(incident_id, action, "queued", key)
        self._publish_pending()
        self._wake.set()
        return key

    async def run(self) -> None:
        delay = self.retry_min_s
        while True:
            items = self.outbox.pending()
            if not items:
                self._wake.clear()
                await self._wake.wait()
                continue
            try:
                await self._deliver(items[0])
                delay = self.retry_min_s
            except _Transient as error:
                self.outbox.count_attempt(items[0].key, str(error))
                self.retrying.emit(str(error))
                log.warning("action %s waits: %s; retry in %.1f s", items[0].key, error, delay)
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, self.retry_max_s)

    async def _deliver(self, item: OutboxItem) -> None:
        try:
            path = f"/api/v1/incidents/{path_segment(item.incident_id)}/actions"
        except BackendError as error:  # an id no request can name: never deliverable
            self._refuse(item, str(error))
            return
        try:
            response = await self.client.post(
                path,
                json=item.action.model_dump(mode="json", exclude_none=True),
                headers={"Idempotency-Key": item.key},
            )
        except httpx.HTTPError as error:
            raise _Transient(f"cannot reach the backend ({type(error).__name__})") from error
        except CredentialsError as error:  # refused before sending: fixed by an administrator
            raise _Transient(str(error)) from error
        if response.status_code >= 500 or response.status_code in (401, 429):
            # 401 after re-authenticating: credentials are being fixed; keep the action
            raise _Transient(f"the backend answered {response.status_code}")
        replayed = response.headers.get("Idempotent-Replayed") == "true"
        if response.status_code >= 400:
            self._refuse(item, _detail(response))
            return
        try:
            incident = Incident.model_validate(response.json())
        except (ValueError, ValidationError) as error:
            raise _Transient("the backend's answer is not an incident") from error
        self.outbox.mark(item.key, "delivered", "replayed" if replayed else "")
        self._audit(
            item.incident_id, item.action, "replayed" if replayed else "delivered", item.key
        )
        if self.store is not None:
            self.store.upsert([incident])
        self._publish_pending()
        self.delivered.emit(item.key, incident)

    def _refuse(self, item: OutboxItem, reason: str) -> None:
        self.outbox.mark(item.key, "refused", reason)
        self._audit(item.incident_id, item.action, f"refused: {reason}", item.key)
        self._publish_pending()
        log.warning("action %s on %s refused: %s", item.action.action, item.incident_id, reason)
        self.refused.emit(item.key, item.incident_id, reason)
        if self.store is not None:
            self.store.report_refused(item.incident_id, item.action.action.value, reason)

    def _publish_pending(self) -> None:
        if self.store is not None:
            self.store.set_pending(self.outbox.pending_by_incident())

    def _audit(self, incident_id: str, action: IncidentAction, result: str, key: str) -> None:
        if self.audit is not None:
            self.audit.record(self.user, incident_id, action.action.value, result, key)


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"the backend answered {response.status_code}"
    detail = body.get("detail") if isinstance(body, dict) else None
    return str(detail) if detail else f"the backend answered {response.status_code}"
