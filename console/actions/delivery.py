"""How an operator's action reaches the system an incident came from, per protocol.

`ioc`: a POST to the incident's actions, with the idempotency key (the answer is the
incident as it now is). `ngsi-ld`: the entity's attributes appended or overwritten
(POST .../attrs; the new state arrives with the link's next poll). Both raise
`Deferred` for "try again later" (the system is away or failing) and `Refused` for a
final no, in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from pydantic import ValidationError

from console.domain.records import ActionKind, Incident, IncidentAction
from console.sources.auth import CredentialsError
from console.sources.ioc.api import BackendError, path_segment


class Deferred(Exception):
    """Try again later: the system is unreachable or failing."""


class Refused(Exception):
    """The system said no: final."""


@dataclass(frozen=True)
class Outcome:
    incident: Incident | None = None  # as it now is, when the system says
    replayed: bool = False  # the system had it already (same key): its first answer


class Delivery(Protocol):
    async def deliver(self, local_id: str, action: IncidentAction, key: str) -> Outcome:
        """Send one action."""
        ...


async def _send(client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> httpx.Response:
    try:
        response = await client.request(method, path, **kwargs)
    except httpx.HTTPError as error:
        raise Deferred(f"cannot reach the backend ({type(error).__name__})") from error
    except CredentialsError as error:  # refused before sending: fixed by an administrator
        raise Deferred(str(error)) from error
    except BackendError as error:  # e.g. a CA bundle that cannot be read
        raise Deferred(str(error)) from error
    if response.status_code >= 500 or response.status_code in (401, 429):
        # 401 after re-authenticating: credentials are being fixed; keep the action
        raise Deferred(f"the backend answered {response.status_code}")
    if response.status_code >= 400:
        raise Refused(_detail(response))
    return response


def _path(template: str, local_id: str) -> str:
    try:
        return template.format(path_segment(local_id))
    except BackendError as error:  # an id no request can name: never deliverable
        raise Refused(str(error)) from error


class IocDelivery:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def deliver(self, local_id: str, action: IncidentAction, key: str) -> Outcome:
        path = _path("/api/v1/incidents/{}/actions", local_id)
        response = await _send(
            self.client,
            "POST",
            path,
            json=action.model_dump(mode="json", exclude_none=True),
            headers={"Idempotency-Key": key},
        )
        try:
            incident = Incident.model_validate(response.json())
        except (ValueError, ValidationError) as error:
            raise Deferred("the backend's answer is not an incident") from error
        return Outcome(incident, response.headers.get("Idempotent-Replayed") == "true")


# The words a broker's Complaint `status` takes (smart-data-models), for each step.
NGSI_STATUS = {
    ActionKind.ACKNOWLEDGE: "Accepted",
    ActionKind.ASSIGN: "In progress",
    ActionKind.RESOLVE: "Solved",
    ActionKind.REOPEN: "Pending",  # on a solved incident: opened again
}


class NgsiDelivery:
    """Acknowledge, assign, resolve, reopen as NGSI-LD partial attribute updates."""

    def __init__(self, client: httpx.AsyncClient, root: str) -> None:
        self.client, self.root = client, root.rstrip("/")

    async def deliver(self, local_id: str, action: IncidentAction, key: str) -> Outcome:
        word = NGSI_STATUS.get(action.action)
        if word is None:
            raise Refused(f"a context broker cannot take a {action.action.value}")
        attrs: dict[str, Any] = {"status": {"type": "Property", "value": word}}
        if action.action is ActionKind.ASSIGN and action.assignee:
            attrs["assignee"] = {"type": "Property", "value": action.assignee}
        path = _path(self.root + "/ngsi-ld/v1/entities/{}/attrs", local_id)
        # POST appends or overwrites: an Alert has no `status` until the first action,
        # and a PATCH of an attribute the entity lacks is refused by real brokers.
        response = await _send(
            self.client, "POST", path, json=attrs, headers={"Idempotency-Key": key}
        )
        if response.status_code == 207:  # Multi-Status: some attribute was not taken
            raise Refused(f"the broker did not take every attribute: {_not_updated(response)}")
        return Outcome()


def _not_updated(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return "no reason given"
    missed = body.get("notUpdated") if isinstance(body, dict) else None
    if not isinstance(missed, list):
        return "no reason given"
    reasons = [
        f"{item.get('attributeName', '?')} ({item.get('reason', '?')})"
        for item in missed
        if isinstance(item, dict)
    ]
    return ", ".join(reasons)[:300] or "no reason given"


class NoDelivery:
    """A connection that takes no actions (what it may keep, the sender keeps)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    async def deliver(self, local_id: str, action: IncidentAction, key: str) -> Outcome:
        raise Refused(self.reason)


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"the backend answered {response.status_code}"
    if not isinstance(body, dict):
        return f"the backend answered {response.status_code}"
    detail = body.get("detail") or body.get("title")  # ours, or an NGSI-LD problem
    return str(detail)[:300] if detail else f"the backend answered {response.status_code}"
