"""Bookmarks that are never lost: a durable queue per native API, delivered exactly once.

The same promise as the incident outbox, by the same means: a bookmark is committed to
SQLite with a fresh idempotency key before anything is sent; the head of the queue is
retried with backoff while the backend is away (network error, 5xx, 401, 429) and resent
after a restart with the *same* key, so the backend stores it once; a refusal (4xx) is
final. Every step lands in the audit log. A queue of its own rather than a new incident
action kind: a bookmark belongs to a camera and need not name an incident, and the
incident outbox, its sender and both protocols' deliveries all assume one.
"""

from __future__ import annotations

import asyncio
import getpass
import hashlib
import logging
import random
import uuid
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import ValidationError

from console.actions.audit import AuditLog
from console.actions.delivery import Deferred, Refused, _send
from console.actions.outbox import data_dir
from console.domain.bookmarks import Bookmark, BookmarkDraft
from console.domain.records import utcnow
from console.sources.ioc.api import BackendError, IocApi, path_segment
from console.stores.durable import open_durable
from console.waiting import wait_set

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS bookmarks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    camera TEXT NOT NULL,
    body TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',  -- pending | delivered | refused
    attempts INTEGER NOT NULL DEFAULT 0,
    detail TEXT NOT NULL DEFAULT ''
)
"""


@dataclass(frozen=True)
class QueuedBookmark:
    key: str
    camera: str  # the camera's id on its backend (local, not namespaced)
    draft: BookmarkDraft


class BookmarkQueue:
    """One backend's bookmarks: queued here, delivered in order by `run` (cancel to stop).

    `listeners` hear each bookmark the backend stored (a replay too), so a timeline or a
    detail pane that shows bookmarks can ask again."""

    def __init__(
        self,
        path: Path,
        client: httpx.AsyncClient,
        audit: AuditLog | None = None,
        *,
        user: str | None = None,
        connection: str = "",
        forbidden: Callable[[], str | None] = lambda: None,
        retry_min_s: float = 0.5,
        retry_max_s: float = 30.0,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = open_durable(path, _SCHEMA, isolation_level=None, check_same_thread=False)
        self.client, self.audit, self.connection = client, audit, connection
        self.user = user or getpass.getuser()
        self.forbidden = forbidden  # why this user may not write now (their role), or None
        self.retry_min_s, self.retry_max_s = retry_min_s, retry_max_s
        self.listeners: list[Callable[[Bookmark], None]] = []
        self.task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def close(self) -> None:
        self._db.close()

    async def aclose(self) -> None:
        """Stop delivering (what is pending stays on disk for next time), then close."""
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        self.close()

    def submit(self, camera: str, draft: BookmarkDraft) -> str:
        """Queue a bookmark durably and return its idempotency key; `Refused` (audited)
        when this user may not write, so the dialog can say why at once."""
        reason = self.forbidden()
        if reason is not None:
            self._audit(camera, draft, f"refused: {reason}", "")
            raise Refused(reason)
        key = str(uuid.uuid4())
        self._db.execute(
            "INSERT INTO bookmarks (key, camera, body, queued_at) VALUES (?, ?, ?, ?)",
            (key, camera, draft.model_dump_json(), utcnow().isoformat()),
        )
        self._audit(camera, draft, "queued", key)
        self._wake.set()
        return key

    def pending(self, camera: str | None = None) -> list[QueuedBookmark]:
        """What waits for the backend, oldest first (a timeline shows these marks too)."""
        rows = self._db.execute(
            "SELECT key, camera, body FROM bookmarks WHERE state = 'pending' ORDER BY seq"
        ).fetchall()
        return [
            QueuedBookmark(key, cam, BookmarkDraft.model_validate_json(body))
            for key, cam, body in rows
            if camera is None or cam == camera
        ]

    def states(self) -> dict[str, int]:
        rows = self._db.execute("SELECT state, COUNT(*) FROM bookmarks GROUP BY state").fetchall()
        return {state: count for state, count in rows}

    def start(self) -> None:
        """Deliver in the background on the running loop (once)."""
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self.run(), name="bookmarks")

    async def run(self) -> None:
        delay = self.retry_min_s
        while True:
            items = self.pending()
            if not items:
                self._wake.clear()
                await self._wake.wait()
                continue
            head = items[0]
            try:
                await self._deliver(head)
                delay = self.retry_min_s
            except Deferred as error:
                self._mark(head.key, None, str(error))
                log.warning("bookmark %s waits: %s; retry in %.1f s", head.key, error, delay)
                self._wake.clear()
                await wait_set(self._wake, delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, self.retry_max_s)

    async def _deliver(self, item: QueuedBookmark) -> None:
        try:
            path = f"/api/v1/cameras/{path_segment(item.camera)}/bookmarks"
            response = await _send(
                self.client,
                "POST",
                path,
                json=item.draft.model_dump(mode="json", exclude_none=True),
                headers={"Idempotency-Key": item.key},
            )
        except (Refused, BackendError) as error:  # a final no, or a camera no path can name
            self._mark(item.key, "refused", str(error))
            self._audit(item.camera, item.draft, f"refused: {error}", item.key)
            log.warning("bookmark on %s refused: %s", item.camera, error)
            return
        try:
            stored = Bookmark.model_validate(response.json())
        except (ValueError, ValidationError) as error:
            raise Deferred("the backend's answer is not a bookmark") from error
        replayed = response.headers.get("Idempotent-Replayed") == "true"
        self._mark(item.key, "delivered", "replayed" if replayed else "")
        self._audit(item.camera, item.draft, "replayed" if replayed else "delivered", item.key)
        for listener in list(self.listeners):
            try:
                listener(stored)
            except Exception:  # a listener's fault must never stop the deliveries
                log.exception("a bookmark listener failed")

    def _mark(self, key: str, state: str | None, detail: str) -> None:
        """A final state, or (None) one more attempt that must be tried again."""
        if state is None:
            sql = "UPDATE bookmarks SET attempts = attempts + 1, detail = ? WHERE key = ?"
            self._db.execute(sql, (detail, key))
        else:
            sql = "UPDATE bookmarks SET state = ?, detail = ? WHERE key = ?"
            self._db.execute(sql, (state, detail, key))

    def _audit(self, camera: str, draft: BookmarkDraft, result: str, key: str) -> None:
        if self.audit is not None:
            incident = draft.incident_id or ""
            self.audit.record(
                self.user, incident, f"bookmark {camera}", result, key, self.connection
            )


_QUEUES: weakref.WeakKeyDictionary[IocApi, BookmarkQueue] = weakref.WeakKeyDictionary()


def queue_for(api: IocApi, connection: str = "") -> BookmarkQueue:
    """The running bookmark queue of a native API, made on first use (one file per
    backend address, so what was queued before a restart is delivered)."""
    queue = _QUEUES.get(api)
    if queue is None:
        name = hashlib.sha1(api.base_url.encode()).hexdigest()[:12]
        queue = BookmarkQueue(
            data_dir() / f"bookmarks-{name}.sqlite",
            api.client,
            AuditLog(data_dir() / "audit.jsonl"),
            connection=connection,
            forbidden=lambda: None if api.may_act else f"your role ({api.role}) may not bookmark",
        )
        _QUEUES[api] = queue
    queue.start()
    return queue


async def close_queues(apis: Iterable[IocApi] | None = None) -> None:
    """At quit: stop the queues of `apis` (default: every one); what is pending stays on
    disk for next time."""
    for api in list(_QUEUES) if apis is None else list(apis):
        queue = _QUEUES.pop(api, None)
        if queue is not None:
            await queue.aclose()
