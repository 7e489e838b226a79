"""Incidents and their lifecycle: received → acknowledged → assigned → resolved (→ reopened).

Operators' actions are exactly-once: the response to each `Idempotency-Key` is kept
and replayed, so an outbox that retries after a lost answer changes nothing twice.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from console.demo.events import EventHub
from console.domain.records import (
    ActionKind,
    EventType,
    Incident,
    IncidentAction,
    IncidentNote,
    IncidentStatus,
    utcnow,
)

# Which statuses each action may start from; `note` works in any status.
ALLOWED_FROM: dict[ActionKind, frozenset[IncidentStatus]] = {
    ActionKind.ACKNOWLEDGE: frozenset({IncidentStatus.RECEIVED}),
    ActionKind.ASSIGN: frozenset({IncidentStatus.ACKNOWLEDGED, IncidentStatus.ASSIGNED}),
    ActionKind.RESOLVE: frozenset({IncidentStatus.ACKNOWLEDGED, IncidentStatus.ASSIGNED}),
    ActionKind.NOTE: frozenset(IncidentStatus),
    ActionKind.REOPEN: frozenset({IncidentStatus.RESOLVED}),
}
TARGET: dict[ActionKind, IncidentStatus | None] = {
    ActionKind.ACKNOWLEDGE: IncidentStatus.ACKNOWLEDGED,
    ActionKind.ASSIGN: IncidentStatus.ASSIGNED,
    ActionKind.RESOLVE: IncidentStatus.RESOLVED,
    ActionKind.NOTE: None,
    ActionKind.REOPEN: IncidentStatus.ACKNOWLEDGED,
}
_HINT: dict[ActionKind, str] = {
    ActionKind.ACKNOWLEDGE: "only a newly received incident can be acknowledged",
    ActionKind.ASSIGN: "acknowledge it first; a resolved incident cannot be reassigned",
    ActionKind.RESOLVE: "acknowledge it first",
    ActionKind.REOPEN: "only a resolved incident can be reopened",
}


class ActionError(Exception):
    """An action the API refuses; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class StoredResponse:
    fingerprint: str
    status: int
    body: dict[str, object]


class IncidentDesk:
    """All incidents, keyed by id, changed only through `create` and `apply`.

    `rate` gives a settled incident its citizen's rating (None: not rated), so the
    feedback statistics have something to read; without it nothing is rated."""

    def __init__(
        self,
        hub: EventHub,
        max_incidents: int = 5_000,
        max_keys: int = 50_000,
        rate: Callable[[Incident], int | None] | None = None,
    ) -> None:
        self._hub = hub
        self._rate = rate
        self._items: dict[str, Incident] = {}
        self._next_number = 1
        self._responses: OrderedDict[str, StoredResponse] = OrderedDict()
        self._max_incidents = max_incidents
        self._max_keys = max_keys
        # Incidents an operator touched or a demo created: the bot leaves them alone.
        self.human: set[str] = set()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, incident_id: str) -> Incident | None:
        return self._items.get(incident_id)

    def all(self) -> list[Incident]:
        return sorted(self._items.values(), key=lambda item: item.revision)

    def open(self) -> list[Incident]:
        return [i for i in self._items.values() if i.status is not IncidentStatus.RESOLVED]

    def next_id(self) -> str:
        incident_id = f"INC-{self._next_number:05d}"
        self._next_number += 1
        return incident_id

    def create(self, draft: Incident) -> Incident:
        """Record a new incident (its revision is assigned here) and announce it."""
        created = self._hub.publish(
            EventType.INCIDENT_CREATED, lambda rev: draft.model_copy(update={"revision": rev})
        )
        self._items[created.id] = created
        self._prune()
        return created

    def apply(
        self, incident_id: str, action: IncidentAction, at: datetime | None = None
    ) -> Incident:
        """Apply one action or raise ActionError (404 unknown, 409 impossible, 422 incomplete)."""
        current = self._items.get(incident_id)
        if current is None:
            raise ActionError(404, f"Incident {incident_id} does not exist.")
        kind = action.action
        if kind is ActionKind.ASSIGN and not (action.assignee or "").strip():
            raise ActionError(422, "An assign action needs an assignee.")
        if kind is ActionKind.NOTE and not (action.text or "").strip():
            raise ActionError(422, "A note action needs a text.")
        if current.status not in ALLOWED_FROM[kind]:
            raise ActionError(
                409,
                f"Cannot {kind.value} incident {incident_id}: it is {current.status.value}; "
                f"{_HINT[kind]}.",
            )
        now = at or utcnow()
        update: dict[str, object] = {"updated_at": now}
        target = TARGET[kind]
        if target is not None:
            update["status"] = target
        if kind is ActionKind.ASSIGN:
            update["assignee"] = (action.assignee or "").strip()
        update.update(self._milestones(current, kind, now))
        if action.text and action.text.strip():
            note = IncidentNote(at=now, author=action.author, text=action.text.strip())
            update["notes"] = (*current.notes, note)
        updated = self._hub.publish(
            EventType.INCIDENT_UPDATED,
            lambda rev: current.model_copy(update={**update, "revision": rev}),
        )
        self._items[incident_id] = updated
        return updated

    def _milestones(self, current: Incident, kind: ActionKind, now: datetime) -> dict[str, object]:
        """When it was first acknowledged and last resolved, and the rating a resolution
        earns; a reopened incident is unsettled again (its rating with it)."""
        if kind is ActionKind.ACKNOWLEDGE and current.acknowledged_at is None:
            return {"acknowledged_at": now}
        if kind is ActionKind.RESOLVE:
            rating = self._rate(current) if self._rate is not None else None
            return {"resolved_at": now, "rating": rating}
        if kind is ActionKind.REOPEN:
            return {"resolved_at": None, "rating": None}
        return {}

    def apply_once(
        self, key: str, incident_id: str, action: IncidentAction
    ) -> tuple[StoredResponse, bool]:
        """Apply an action at most once per key; returns (response, replayed).

        Refusals that depend on state (409) are stored too: retrying a refused action
        with the same key must not succeed later, when the state has moved on.
        """
        fingerprint = f"{incident_id}\n{action.model_dump_json()}"
        stored = self._responses.get(key)
        if stored is not None:
            if stored.fingerprint != fingerprint:
                raise ActionError(422, "This Idempotency-Key was already used for another request.")
            self._responses.move_to_end(key)
            return stored, True
        try:
            incident = self.apply(incident_id, action)
        except ActionError as error:
            if error.status != 409:
                raise
            stored = StoredResponse(fingerprint, 409, {"detail": error.message})
        else:
            stored = StoredResponse(fingerprint, 200, incident.model_dump(mode="json"))
            self.human.add(incident_id)
        self._responses[key] = stored
        while len(self._responses) > self._max_keys:
            self._responses.popitem(last=False)
        return stored, False

    def _prune(self) -> None:
        """Forget the oldest resolved incidents so a long-running demo stays small."""
        excess = len(self._items) - self._max_incidents
        if excess <= 0:
            return
        resolved = sorted(
            (i for i in self._items.values() if i.status is IncidentStatus.RESOLVED),
            key=lambda item: item.updated_at,
        )
        for item in resolved[:excess]:
            del self._items[item.id]
            self.human.discard(item.id)
