"""The NGSI-LD subset the console reads, served from the demo's KPIs, street lights and
incidents (as `Alert` and `Complaint` entities).

`/ngsi-ld/v1/entities?type=KeyPerformanceIndicator` (normalized, or keyValues with
`options=keyValues`), one entity by id, and the temporal API for `kpiValue` (normalized
instances, or `options=temporalValues` pairs), so the adapter runs against a server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from console.demo.kpis import LOCAL
from console.demo.layers import StreetLight
from console.demo.province import Province
from console.domain.records import Incident, IncidentStatus, Kpi, Source
from console.domain.standing import standing

URN = "urn:ngsi-ld:KeyPerformanceIndicator:"
ORGANIZATION = "UBND tỉnh Bình Phước"


def _z(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _problem(status: int, kind: str, title: str) -> JSONResponse:
    body = {"type": f"https://uri.etsi.org/ngsi-ld/errors/{kind}", "title": title}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


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


COMPLAINT_STATUS = {
    IncidentStatus.RECEIVED: "Pending",
    IncidentStatus.ACKNOWLEDGED: "Accepted",
    IncidentStatus.ASSIGNED: "In progress",
    IncidentStatus.RESOLVED: "Solved",
}


def incident_entity(incident: Incident, key_values: bool) -> dict[str, Any]:
    """A demo incident as the smart data model a broker would hold: a citizen's report
    as a `Complaint`, a camera's or a sensor's as an `Alert` (over once resolved)."""
    kind = "Complaint" if incident.source is Source.CITIZEN else "Alert"
    attrs: dict[str, Any] = {
        "description": incident.description or incident.title,
        "category": incident.category.value,
        "areaServed": incident.district,
        "dateModified": _z(incident.updated_at),
    }
    if kind == "Complaint":
        attrs.update(status=COMPLAINT_STATUS[incident.status], timestamp=_z(incident.created_at))
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
        options: str = "",
        limit: Annotated[int, Query(ge=1, le=1000)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> JSONResponse:
        key_values = "keyValues" in options.split(",")
        if type == "Streetlight":
            lights = province.lights[offset : offset + limit]
            return JSONResponse([light_entity(light, key_values) for light in lights])
        if type in ("Alert", "Complaint"):
            citizen = type == "Complaint"
            chosen = [i for i in province.desk.all() if (i.source is Source.CITIZEN) == citizen]
            page = chosen[offset : offset + limit]
            return JSONResponse([incident_entity(i, key_values) for i in page])
        if type not in (None, "KeyPerformanceIndicator"):
            return JSONResponse([])
        kpis = board.kpis()[offset : offset + limit]
        return JSONResponse([entity(kpi, key_values) for kpi in kpis])

    @router.get("/entities/{entity_id}", summary="One KeyPerformanceIndicator (NGSI-LD)")
    async def one(entity_id: str, options: str = "") -> JSONResponse:
        ident = short(entity_id)
        if ident is None:
            return _problem(404, "ResourceNotFound", f"{entity_id} does not exist")
        return JSONResponse(entity(board.kpi(ident), "keyValues" in options.split(",")))

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
