"""NGSI-LD partial attribute updates on the demo's `Alert` and `Complaint` entities.

A broker client changes an incident the way it would change any entity: PATCH `status`
and `assignee`. Each update becomes the desk's own workflow actions (the same path as
POST /api/v1/incidents/{id}/actions), so revisions bump, SSE events go out and the
workflow's refusals keep their status and words.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from console.demo.incidents import ActionError, IncidentDesk
from console.domain.records import ActionKind, Incident, IncidentAction, IncidentStatus, Source

ERRORS = "https://uri.etsi.org/ngsi-ld/errors/"
MAX_BODY = 64 * 1024  # bytes: an update names two short attributes
MAX_ASSIGNEE = 200
WRITABLE = ("status", "assignee")
NULL = "urn:ngsi-ld:null"  # NGSI-LD's "delete this attribute"

COMPLAINT_STATUS = {
    IncidentStatus.RECEIVED: "Pending",
    IncidentStatus.ACKNOWLEDGED: "Accepted",
    IncidentStatus.ASSIGNED: "In progress",
    IncidentStatus.RESOLVED: "Solved",
}
_WORDS = {word.lower(): status for status, word in COMPLAINT_STATUS.items()}


def problem(status: int, kind: str, title: str, detail: str | None = None) -> JSONResponse:
    """An NGSI-LD ProblemDetails answer; `kind` is one of the spec's error type names."""
    body = {"type": f"{ERRORS}{kind}", "title": title}
    if detail:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


class Refusal(Exception):
    """An update we answer with a problem instead of applying."""

    def __init__(self, status: int, kind: str, title: str, detail: str | None = None) -> None:
        super().__init__(title)
        self.response = problem(status, kind, title, detail)


def entity_kind(incident: Incident) -> str:
    """Which entity type an incident is served as: citizens complain, devices alert."""
    return "Complaint" if incident.source is Source.CITIZEN else "Alert"


def find_incident(desk: IncidentDesk, entity_id: str) -> Incident | None:
    """The incident behind `urn:ngsi-ld:{Alert|Complaint}:{incident id}`, if the type fits."""
    for kind in ("Alert", "Complaint"):
        prefix = f"urn:ngsi-ld:{kind}:"
        if entity_id.startswith(prefix):
            incident = desk.get(entity_id.removeprefix(prefix))
            return incident if incident is not None and entity_kind(incident) == kind else None
    return None


def _bad(title: str, detail: str | None = None) -> Refusal:
    return Refusal(400, "BadRequestData", title, detail)


def _text(body: dict[str, Any], name: str) -> str | None:
    """An attribute's text, given as a Property, concisely (`{"value": …}`) or as keyValues."""
    if name not in body:
        return None
    raw = body[name]
    if isinstance(raw, dict):
        if raw.get("type", "Property") != "Property":
            raise _bad(f"{name} must be a Property")
        if "value" not in raw:
            raise _bad(f"{name} has no value")
        raw = raw["value"]
    if not isinstance(raw, str):
        raise _bad(f"{name} must be a text")
    if raw == NULL:
        raise _bad(f"{name} cannot be removed, only changed")
    return raw.strip()


def plan(incident: Incident, body: Any) -> list[IncidentAction]:
    """The workflow actions an update stands for, in the order the workflow allows them."""
    if not isinstance(body, dict):
        raise _bad("The body must be a JSON object of attributes")
    unknown = sorted(str(name)[:40] for name in body if name not in (*WRITABLE, "@context"))
    if unknown:
        raise _bad("Only status and assignee can be updated", f"Not writable: {unknown[:5]}")
    word, assignee = _text(body, "status"), _text(body, "assignee")
    if word is None and assignee is None:
        raise _bad("Nothing to update: give status or assignee")
    if assignee is not None and not assignee:
        raise _bad("assignee must not be empty")
    if assignee is not None and len(assignee) > MAX_ASSIGNEE:
        raise _bad(f"assignee must be at most {MAX_ASSIGNEE} characters")
    if assignee is not None and any(unicodedata.category(c) == "Cc" for c in assignee):
        raise _bad("assignee must not contain control characters")
    assign = [IncidentAction(action=ActionKind.ASSIGN, assignee=assignee)] if assignee else []
    if word is None:
        return assign
    target = _WORDS.get(word.lower())
    if target is None:
        words = ", ".join(COMPLAINT_STATUS.values())
        raise _bad("Unknown status", f"status must be one of: {words}")
    if target is IncidentStatus.ASSIGNED:
        if not assign:
            raise _bad("Setting status to In progress needs an assignee")
        return assign
    if target is IncidentStatus.RESOLVED:
        return [*assign, IncidentAction(action=ActionKind.RESOLVE)]
    if target is IncidentStatus.ACKNOWLEDGED:
        return [IncidentAction(action=ActionKind.ACKNOWLEDGE), *assign]
    if incident.status is not IncidentStatus.RESOLVED:
        raise Refusal(
            409,
            "OperationNotSupported",
            "Only a solved incident can be set back to Pending",
            f"Incident {incident.id} is {COMPLAINT_STATUS[incident.status]}; "
            "Pending reopens a solved incident.",
        )
    return [IncidentAction(action=ActionKind.REOPEN), *assign]


async def read_body(request: Request) -> Any:
    """The JSON body, read no further than MAX_BODY bytes."""
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise _bad(f"The body is larger than {MAX_BODY // 1024} KiB")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise _bad("The body is not JSON") from None


def _refused(error: ActionError) -> Refusal:
    """The workflow's refusal with the status and words the native API gives it."""
    if error.status == 404:
        return Refusal(404, "ResourceNotFound", "The entity does not exist", error.message)
    title = "The incident workflow refused this update"
    return Refusal(error.status, "OperationNotSupported", title, error.message)


def apply_update(
    desk: IncidentDesk, incident: Incident, actions: list[IncidentAction], key: str | None
) -> bool:
    """Apply the actions (once per Idempotency-Key); returns whether it was a replay."""
    replayed = False
    for step, action in enumerate(actions):
        try:
            if key is None:
                desk.apply(incident.id, action)
                desk.human.add(incident.id)  # as apply_once does: the bot leaves it alone
                continue
            # NUL cannot arrive in a header, so later steps' keys never meet a client's key.
            step_key = key if step == 0 else f"{key}\x00{step}"
            stored, again = desk.apply_once(step_key, incident.id, action)
        except ActionError as error:
            raise _refused(error) from None
        replayed = replayed or again
        if stored.status != 200:
            raise _refused(ActionError(stored.status, str(stored.body.get("detail", ""))))
    return replayed


async def patch_attrs(
    desk: IncidentDesk, entity_id: str, request: Request, key: str | None
) -> Response:
    """PATCH /entities/{entityId}/attrs: 204, or a problem saying why not."""
    try:
        if getattr(request.state, "role", "operator") == "viewer":
            raise Refusal(403, "OperationNotSupported", "A viewer may not act on incidents")
        incident = find_incident(desk, entity_id)
        if incident is None:
            raise Refusal(404, "ResourceNotFound", "The entity does not exist", entity_id[:200])
        if key is not None and not 1 <= len(key.strip()) <= 255:
            raise _bad("Idempotency-Key must be 1 to 255 characters")
        actions = plan(incident, await read_body(request))
        replayed = apply_update(desk, incident, actions, key.strip() if key else None)
    except Refusal as refusal:
        return refusal.response
    return Response(status_code=204, headers={"Idempotent-Replayed": "true"} if replayed else None)
