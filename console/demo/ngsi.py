"""The NGSI-LD subset the console reads and writes, served from the demo's KPIs, street
lights and incidents (as `Alert` and `Complaint` entities), so the adapter meets a server.

Under `/ngsi-ld/v1`:
- `GET /entities?type=KeyPerformanceIndicator|Streetlight|Alert|Complaint` with
  `limit`/`offset` and `options=keyValues`; Alerts and Complaints come ordered by
  (dateModified, id) and take `q=dateModified>…` (also `>=`, `<`, `<=`, joined by `;`),
  so a client can poll for changes with a cursor and page without missing any;
- `GET /entities/{id}`: one KPI, Alert or Complaint;
- `POST` or `PATCH /entities/{id}/attrs`: change an incident's `status` and `assignee` through the
  desk's workflow (see ngsi_write), answering 204;
- `GET /temporal/entities/{id}`: a KPI's `kpiValue` history (normalized instances, or
  `options=temporalValues` pairs).
"""

from __future__ import annotations

import operator
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from console.demo.kpis import LOCAL
from console.demo.layers import StreetLight
from console.demo.ngsi_write import COMPLAINT_STATUS, entity_kind, find_incident, patch_attrs
from console.demo.ngsi_write import problem as _problem
from console.demo.province import Province
from console.domain.records import Incident, IncidentStatus, Kpi
from console.domain.standing import standing

URN = "urn:ngsi-ld:KeyPerformanceIndicator:"
ORGANIZATION = "UBND tỉnh Bình Phước"


def _z(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


Cursor = tuple[str, datetime]  # a comparison and the dateTime it compares with
_CLAUSE = re.compile(r'\s*dateModified\s*(>=|<=|>|<)\s*("?)([^";]*)\2\s*')
_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
_BAD_Q = "Only dateModified comparisons with a dateTime are supported in q"


def _datetime(text: str) -> datetime | None:
    """An ISO dateTime (no zone: UTC); an unencoded `+07:00` arrives as ` 07:00`."""
    for candidate in (text, "+".join(text.rsplit(" ", 1))):
        try:
            moment = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def parse_q(q: str) -> list[Cursor] | None:
    """`dateModified>2026-11-29T10:00:00Z` (also >=, <, <=, quoted, joined by `;`), or None."""
    clauses: list[Cursor] = []
    for clause in q.split(";"):
        match = _CLAUSE.fullmatch(clause)
        moment = _datetime(match[3].strip()) if match else None
        if match is None or moment is None:
            return None
        clauses.append((match[1], moment))
    return clauses


def _passes(moment: datetime, clauses: list[Cursor]) -> bool:
    return all(_OPS[op](moment, bound) for op, bound in clauses)


def entity(kpi: Kpi, key_values: bool) -> dict[str, Any]:
    day = kpi.updated_at.astimezone(LOCAL).date()
    attrs: dict[str, Any] = {
        "name": kpi.name,
        "organization": ORGANIZATION,
        "calculationFrequency": "daily",
        "calculationPeriod": {"from": day.isoformat(), "to": _z(kpi.updated_at)},
    }
    rank = standing(kpi.value, kpi.target, kpi.higher_is_better)
    if rank is not None:
        attrs["currentStanding"] = rank.value
    if kpi.target is not None:
        attrs["kpiTarget"] = kpi.target
    body: dict[str, Any] = {"id": f"{URN}{kpi.id}", "type": "KeyPerformanceIndicator"}
    if key_values:
        body.update(attrs, kpiValue=kpi.value)
        return body
    body.update({name: {"type": "Property", "value": value} for name, value in attrs.items()})
    value: dict[str, Any] = {
        "type": "Property",
        "value": kpi.value,
        "observedAt": _z(kpi.updated_at),
    }
    if kpi.unit == "%":
        value["unitCode"] = "P1"
    body["kpiValue"] = value
    return body


def light_entity(light: StreetLight, key_values: bool) -> dict[str, Any]:
    """A demo street light as a smart-data-models `Streetlight` (status and powerState)."""
    attrs: dict[str, Any] = {
        "name": light.name,
        "areaServed": light.district,
        "status": "ok" if light.status == "on" else "defectiveLamp",
        "powerState": "on" if light.status == "on" else "off",
        "powerRating": light.power_w,
    }
    return point_entity("Streetlight", light.id, attrs, (light.lon, light.lat), key_values)


def point_entity(
    kind: str, ident: str, attrs: dict[str, Any], lon_lat: tuple[float, float], key_values: bool
) -> dict[str, Any]:
    """An entity with properties and a GeoJSON Point location, keyValues or normalized."""
    location = {"type": "Point", "coordinates": list(lon_lat)}
    body: dict[str, Any] = {"id": f"urn:ngsi-ld:{kind}:{ident}", "type": kind}
    if key_values:
        body.update(attrs, location=location)
        return body
    body.update({name: {"type": "Property", "value": value} for name, value in attrs.items()})
    body["location"] = {"type": "GeoProperty", "value": location}
    return body


def incident_entity(incident: Incident, key_values: bool) -> dict[str, Any]:
    """A demo incident as the smart data model a broker would hold: a citizen's report
    as a `Complaint`, a camera's or a sensor's as an `Alert` (over once resolved). Both
    carry the workflow's `status` and `assignee`, which PATCH …/attrs changes."""
    kind = entity_kind(incident)
    attrs: dict[str, Any] = {
        "description": incident.description or incident.title,
        "category": incident.category.value,
        "areaServed": incident.district,
        "dateModified": _z(incident.updated_at),
        "status": COMPLAINT_STATUS[incident.status],
    }
    if incident.assignee:
        attrs["assignee"] = incident.assignee
    if kind == "Complaint":
        attrs["timestamp"] = _z(incident.created_at)
    else:
        attrs.update(
            subCategory=incident.title,
            severity=incident.priority.value,
            dateIssued=_z(incident.created_at),
            validFrom=_z(incident.created_at),
        )
        if incident.status is IncidentStatus.RESOLVED:
            attrs["validTo"] = _z(incident.updated_at)
    return point_entity(kind, incident.id, attrs, (incident.lon, incident.lat), key_values)


def ngsi_router(province: Province) -> APIRouter:
    router = APIRouter(prefix="/ngsi-ld/v1", tags=["ngsi-ld"])
    board = province.kpis

    def short(entity_id: str) -> str | None:
        ident = entity_id.removeprefix(URN)
        return ident if ident in board.defs else None

    @router.get("/entities", summary="KPI, Streetlight, Alert or Complaint entities (NGSI-LD)")
    async def entities(
        type: str | None = None,
        q: str | None = None,
        options: str = "",
        limit: Annotated[int, Query(ge=1, le=1000)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> JSONResponse:
        key_values = "keyValues" in options.split(",")
        clauses = None if q is None else parse_q(q)
        if q is not None and clauses is None:
            return _problem(400, "BadRequestData", _BAD_Q, q[:200])
        if clauses is not None and type not in ("Alert", "Complaint"):
            return JSONResponse([])  # these entities have no dateModified to compare
        if type == "Streetlight":
            lights = province.lights[offset : offset + limit]
            return JSONResponse([light_entity(light, key_values) for light in lights])
        if type in ("Alert", "Complaint"):
            chosen = sorted(
                (
                    i
                    for i in province.desk.all()
                    if entity_kind(i) == type and _passes(i.updated_at, clauses or [])
                ),
                key=lambda i: (i.updated_at, i.id),
            )
            page = chosen[offset : offset + limit]
            return JSONResponse([incident_entity(i, key_values) for i in page])
        if type not in (None, "KeyPerformanceIndicator"):
            return JSONResponse([])
        kpis = board.kpis()[offset : offset + limit]
        return JSONResponse([entity(kpi, key_values) for kpi in kpis])

    @router.get("/entities/{entity_id}", summary="One KPI, Alert or Complaint (NGSI-LD)")
    async def one(entity_id: str, options: str = "") -> JSONResponse:
        key_values = "keyValues" in options.split(",")
        incident = find_incident(province.desk, entity_id)
        if incident is not None:
            return JSONResponse(incident_entity(incident, key_values))
        ident = short(entity_id)
        if ident is None:
            return _problem(404, "ResourceNotFound", f"{entity_id} does not exist")
        return JSONResponse(entity(board.kpi(ident), key_values))

    @router.post(
        "/entities/{entity_id}/attrs",
        status_code=204,
        summary="Append or overwrite an Alert's or Complaint's status and assignee (NGSI-LD)",
    )
    @router.patch(
        "/entities/{entity_id}/attrs",
        status_code=204,
        summary="Update an Alert's or Complaint's status and assignee (NGSI-LD partial update)",
        description="Body: NGSI-LD Properties or keyValues, e.g. "
        '`{"status": {"type": "Property", "value": "Accepted"}}`. Accepted acknowledges, '
        "In progress (or an assignee) assigns, Solved resolves, Pending reopens a solved "
        "incident. An `Idempotency-Key` header makes a retry change nothing twice.",
    )
    async def update(
        entity_id: str,
        request: Request,
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    ) -> Response:
        return await patch_attrs(province.desk, entity_id, request, idempotency_key)

    @router.get("/temporal/entities/{entity_id}", summary="kpiValue history (NGSI-LD temporal)")
    async def temporal(
        entity_id: str,
        time_at: Annotated[datetime | None, Query(alias="timeAt")] = None,
        end_time_at: Annotated[datetime | None, Query(alias="endTimeAt")] = None,
        options: str = "",
        last_n: Annotated[int | None, Query(alias="lastN", ge=1)] = None,
    ) -> JSONResponse:
        ident = short(entity_id)
        if ident is None:
            return _problem(404, "ResourceNotFound", f"{entity_id} does not exist")
        end = end_time_at or datetime.now(UTC)
        start = time_at or end - timedelta(hours=6)
        end = end if end.tzinfo else end.replace(tzinfo=UTC)
        start = start if start.tzinfo else start.replace(tzinfo=UTC)
        if start >= end:
            return _problem(400, "BadRequestData", "timeAt must be earlier than endTimeAt")
        samples = board.window(ident, start, end)[-(last_n or 0) :]
        body: dict[str, Any] = {"id": f"{URN}{ident}", "type": "KeyPerformanceIndicator"}
        if "temporalValues" in options.split(","):
            values = [[s.value, _z(s.t)] for s in samples]
            body["kpiValue"] = {"type": "Property", "values": values}
        else:
            body["kpiValue"] = [
                {"type": "Property", "value": s.value, "observedAt": _z(s.t)} for s in samples
            ]
        return JSONResponse(body)

    return router
