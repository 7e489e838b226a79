"""Delivers one connection's outbox to its system, in order, forever (cancel to stop).

On a network error or a 5xx the action stays and is retried with backoff; after a
restart what was not confirmed is resent with the *same* key, and the backend replays
its first answer instead of applying the action twice. Refusals are final and reported.

What the connection's protocol cannot take but the operator may keep (a note on an
Open311 request) is applied on this console, marked local, and kept in the outbox so
it is applied again whenever the record comes back from the system.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import random
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from console.actions.audit import AuditLog
from console.actions.delivery import Deferred, Delivery, Refused
from console.actions.outbox import Outbox, OutboxItem
from console.domain.naming import connection_of, local_of, tagged
from console.domain.records import (
    ActionKind,
    Incident,
    IncidentAction,
    IncidentNote,
    utcnow,
)
from console.stores.incidents import IncidentTableModel
from console.waiting import wait_set

log = logging.getLogger(__name__)
EVERY_ACTION = frozenset(ActionKind)


def with_kept(incident: Incident, kept: list[tuple[datetime, IncidentAction]]) -> Incident:
    """The incident with what the operator kept on this console: each note, and each
    assignment as a note too (both marked local); the last assignment also fills the
    assignee while the system names none (the system's own assignee always wins)."""
    notes = [
        IncidentNote(
            at=at,
            author=action.author,
            text=action.text or "" if action.action is ActionKind.NOTE else f"→ {action.assignee}",
            local=True,
        )
        for at, action in kept
        if action.action in (ActionKind.NOTE, ActionKind.ASSIGN)
    ]
    assigned = [action.assignee for _, action in kept if action.action is ActionKind.ASSIGN]
    update: dict[str, object] = {"notes": (*incident.notes, *notes)}
    if assigned and assigned[-1] and not incident.assignee:
        update["assignee"] = assigned[-1]
    return incident.model_copy(update=update)


class OutboxSender(QObject):
    """One connection's actions: sent (`remote`), kept here (`local`), or refused."""

    delivered = Signal(str, object)  # key, Incident (or None: the next poll brings it)
    refused = Signal(str, str, str)  # key, incident id, plain-words reason
    retrying = Signal(str)  # plain-words reason the head of the queue waits

    def __init__(
        self,
        outbox: Outbox,
        delivery: Delivery,
        store: IncidentTableModel | None = None,
        audit: AuditLog | None = None,
        user: str | None = None,
        retry_min_s: float = 0.5,
        retry_max_s: float = 30.0,
        forbidden: Callable[[], str | None] = lambda: None,
        *,
        connection: str | None = None,
        remote: frozenset[ActionKind] = EVERY_ACTION,
        local: frozenset[ActionKind] = frozenset(),
        why_not: str = "",
        receive: Callable[[list[Incident]], None] | None = None,
    ) -> None:
        """`connection`: take only the actions on its incidents (None: every action);
        `receive`: where incidents coming back go (the connection's sink)."""
        super().__init__()
        self.outbox, self.delivery, self.store, self.audit = outbox, delivery, store, audit
        self.forbidden = forbidden  # why this user may not act now (their role), or None
        self.user = user or getpass.getuser()
        self.retry_min_s, self.retry_max_s = retry_min_s, retry_max_s
        self.connection = connection
        self.remote, self.local, self.why_not = remote, local, why_not
        self.receive = receive or (store.upsert if store is not None else lambda _i: None)
        self._kept = outbox.kept()
        self._wake = asyncio.Event()
        if store is not None:
            store.actionRequested.connect(self._requested)
            self._publish_pending()

    def overlay(self, incident: Incident) -> Incident:
        """Re-apply what the operator kept locally on this incident (for the sink)."""
        kept = self._kept.get(incident.id)
        return with_kept(incident, kept) if kept else incident

    def _requested(self, incident_id: str, action: IncidentAction) -> None:
        if self.connection is None or connection_of(incident_id) == self.connection:
            self.submit(incident_id, action)

    def _mine(self, item: OutboxItem) -> bool:
        """An action of this connection (or queued before sites, with a bare id)."""
        owner = connection_of(item.incident_id)
        return self.connection is None or owner in ("", self.connection)

    def submit(self, incident_id: str, action: IncidentAction) -> str:
        """Queue an action durably; returns its idempotency key ("" if refused here)."""
        reason = self.forbidden()
        if reason is None and action.action not in self.remote | self.local:
            reason = self.why_not or f"this system cannot take a {action.action.value}"
        if reason is not None:  # the client refuses what the role or protocol cannot do
            self._audit(incident_id, action, f"refused: {reason}", "")
            self.refused.emit("", incident_id, reason)
            if self.store is not None:
                self.store.report_refused(incident_id, action.action.value, reason)
            return ""
        key = self.outbox.enqueue(incident_id, action)
        if action.action not in self.remote:
            self._keep(key, incident_id, action)
            return key
        self._audit(incident_id, action, "queued", key)
        self._publish_pending()
        self._wake.set()
        return key

    def _keep(self, key: str, incident_id: str, action: IncidentAction) -> None:
        """Apply an action this console keeps (the protocol cannot take it)."""
        self.outbox.mark(key, "kept")
        self._kept.setdefault(incident_id, []).append((utcnow(), action))
        self._audit(incident_id, action, "kept on this console", key)
        current = self.store.get(incident_id) if self.store is not None else None
        if current is not None and self.store is not None:
            changed = with_kept(current, [(utcnow(), action)])
            self.store.upsert([changed.model_copy(update={"revision": current.revision + 1})])
        self.delivered.emit(key, current)

    async def run(self) -> None:
        delay = self.retry_min_s
        while True:
            items = [item for item in self.outbox.pending() if self._mine(item)]
            if not items:
                self._wake.clear()
                await self._wake.wait()
                continue
            try:
                await self._deliver(items[0])
                delay = self.retry_min_s
            except Deferred as error:
                self.outbox.count_attempt(items[0].key, str(error))
                self.retrying.emit(str(error))
                log.warning("action %s waits: %s; retry in %.1f s", items[0].key, error, delay)
                self._wake.clear()
                await wait_set(self._wake, delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, self.retry_max_s)

    async def _deliver(self, item: OutboxItem) -> None:
        local = local_of(item.incident_id, self.connection or "")
        try:
            outcome = await self.delivery.deliver(local, item.action, item.key)
        except Refused as error:
            self._refuse(item, str(error))
            return
        incident, result = outcome.incident, "replayed" if outcome.replayed else "delivered"
        self.outbox.mark(item.key, "delivered", "replayed" if outcome.replayed else "")
        self._audit(item.incident_id, item.action, result, item.key)
        if incident is not None:
            self.receive(
                [incident if self.connection is None else tagged(incident, self.connection)]
            )
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
            self.store.set_pending(self.outbox.pending_by_incident(), self.connection)

    def _audit(self, incident_id: str, action: IncidentAction, result: str, key: str) -> None:
        if self.audit is not None:
            self.audit.record(
                self.user, incident_id, action.action.value, result, key, self.connection or ""
            )
