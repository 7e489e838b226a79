"""Open311 GeoReport v2 over the demo's incidents, so the console's adapter meets a real server.

`/open311/v2/services.{json,xml}`, `/open311/v2/requests.{json,xml}` (GET with
`page`/`page_size`, `start_date`/`end_date` on the time requested, `status`,
`service_code`, and the common `updated_after`/`updated_before` extension on the time
last updated; POST a citizen request as a form) and `/open311/v2/requests/{id}.{json,xml}`.
With `updated_after` the list runs oldest change first, so a client polling with a change
cursor (the last `updated_datetime` it saw, exact to the microsecond) misses nothing;
otherwise newest request first. Our workflow folds into open/closed; the
title, district, priority and source travel in `extended_attributes`, as some real
servers do. Errors use the spec's error list, in the format asked for.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from console.demo import geo
from console.demo.province import Province
from console.domain.records import (
    Category,
    Incident,
    IncidentStatus,
    Priority,
    Source,
    utcnow,
)

Fmt = Literal["json", "xml"]
SERVICES: dict[Category, tuple[str, str]] = {
    Category.TRAFFIC: ("Giao thông", "Kẹt xe, tai nạn, đèn tín hiệu hỏng"),
    Category.SECURITY: ("An ninh trật tự", "Gây rối, trộm cắp, tụ tập đông người"),
    Category.ENVIRONMENT: ("Môi trường", "Rác thải, ô nhiễm, ngập nước"),
    Category.PUBLIC_SERVICES: ("Dịch vụ công", "Hồ sơ hành chính, phản ánh thủ tục"),
    Category.INFRASTRUCTURE: ("Hạ tầng đô thị", "Ổ gà, vỉa hè, cầu cống hư hỏng"),
    Category.LIGHTING: ("Chiếu sáng công cộng", "Đèn đường hỏng hoặc sáng ban ngày"),
}
NOTICE = "Trung tâm IOC đã tiếp nhận phản ánh và sẽ chuyển đơn vị xử lý."
MAX_PAGE_SIZE = 1000


def _time(value: datetime) -> str:
    """Exact to the microsecond: `updated_datetime` is a change cursor for `updated_after`,
    and an untouched request's two times stay equal (a reader takes later as "touched")."""
    return value.astimezone(UTC).isoformat()


def _utc(value: datetime | None) -> datetime | None:
    """A query's time; one without a zone is UTC."""
    return value.replace(tzinfo=value.tzinfo or UTC) if value else None


def service_request(incident: Incident) -> dict[str, Any]:
    """One incident as a GeoReport v2 service request (None: the field is null)."""
    note = incident.notes[-1].text if incident.notes else None
    return {
        "service_request_id": incident.id,
        "status": "closed" if incident.status is IncidentStatus.RESOLVED else "open",
        "status_notes": note,
        "service_name": SERVICES[incident.category][0],
        "service_code": incident.category.value,
        "description": incident.description,
        "agency_responsible": incident.assignee,
        "service_notice": None,
        "requested_datetime": _time(incident.created_at),
        "updated_datetime": _time(incident.updated_at),
        "expected_datetime": None,
        "address": incident.district,
        "address_id": None,
        "zipcode": None,
        "lat": incident.lat,
        "long": incident.lon,
        "media_url": None,
        "extended_attributes": {
            "title": incident.title,
            "district": incident.district,
            "priority": incident.priority.value,
            "source": incident.source.value,
            **({"rating": incident.rating} if incident.rating is not None else {}),
        },
    }


def _xml(root: str, item: str, records: list[dict[str, Any]]) -> Response:
    """The spec's XML: null fields are left out, so a reader can tell them from ""."""
    top = Element(root)
    for record in records:
        element = SubElement(top, item)
        for key, value in record.items():
            if value is None:
                continue
            child = SubElement(element, key)
            if isinstance(value, dict):
                for sub_key, sub_value in value.items():
                    SubElement(child, sub_key).text = str(sub_value)
            else:
                child.text = str(value).lower() if isinstance(value, bool) else str(value)
    body = tostring(top, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="text/xml; charset=utf-8")


def _answer(fmt: Fmt, root: str, item: str, records: list[dict[str, Any]]) -> Response:
    return JSONResponse(records) if fmt == "json" else _xml(root, item, records)


def _error(fmt: Fmt, status: int, description: str) -> Response:
    response = _answer(fmt, "errors", "error", [{"code": status, "description": description}])
    response.status_code = status
    return response


def _district_at(lat: float, lon: float) -> str:
    """The district containing a point, else the one whose centre is nearest."""
    for district in geo.DISTRICTS:
        if geo.contains(geo.polygon(district.id), (lon, lat)):
            return district.name
    nearest = min(geo.DISTRICTS, key=lambda d: math.hypot(d.lat - lat, d.lon - lon))
    return nearest.name


def _number(form: dict[str, str], key: str) -> float | None:
    try:
        value = float(form[key])
    except (KeyError, ValueError):
        return None
    return value if math.isfinite(value) and value != 0 else None


def open311_router(province: Province) -> APIRouter:
    router = APIRouter(prefix="/open311/v2", tags=["open311"])

    @router.get("/services.{fmt}", summary="Open311: the kinds of request citizens can file")
    async def services(fmt: Fmt) -> Response:
        records = [
            {
                "service_code": category.value,
                "service_name": name,
                "description": description,
                "metadata": False,
                "type": "realtime",
                "keywords": category.value,
                "group": "ioc",
            }
            for category, (name, description) in SERVICES.items()
        ]
        return _answer(fmt, "services", "service", records)

    @router.get(
        "/requests.{fmt}",
        summary="Open311: service requests, newest first (oldest change first with "
        "updated_after), paged",
    )
    async def requests(
        fmt: Fmt,
        page: Annotated[int, Query(ge=1)] = 1,
        page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 100,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        updated_after: datetime | None = None,
        updated_before: datetime | None = None,
        status: str | None = None,
        service_code: str | None = None,
    ) -> Response:
        wanted = {s.strip() for s in status.split(",")} if status else {"open", "closed"}
        codes = {c.strip() for c in service_code.split(",")} if service_code else None
        start, end = _utc(start_date), _utc(end_date)
        after, before = _utc(updated_after), _utc(updated_before)
        if after is None:
            ordered = sorted(province.desk.all(), key=lambda i: (i.created_at, i.id), reverse=True)
        else:
            ordered = sorted(province.desk.all(), key=lambda i: (i.updated_at, i.id))
        records = [
            service_request(incident)
            for incident in ordered
            if (start is None or incident.created_at >= start)
            and (end is None or incident.created_at <= end)
            and (after is None or incident.updated_at > after)
            and (before is None or incident.updated_at < before)
            and (codes is None or incident.category.value in codes)
        ]
        records = [r for r in records if r["status"] in wanted]
        first = (page - 1) * page_size
        return _answer(fmt, "service_requests", "request", records[first : first + page_size])

    @router.get("/requests/{request_id}.{fmt}", summary="Open311: one service request")
    async def one_request(request_id: str, fmt: Fmt) -> Response:
        incident = province.desk.get(request_id)
        if incident is None:
            return _error(fmt, 404, f"Service request {request_id} does not exist.")
        return _answer(fmt, "service_requests", "request", [service_request(incident)])

    @router.post("/requests.{fmt}", summary="Open311: file a citizen request (form fields)")
    async def create(fmt: Fmt, request: Request) -> Response:
        raw = parse_qs((await request.body()).decode("utf-8", "replace"))
        form = {key: values[0].strip() for key, values in raw.items() if values}
        code = form.get("service_code", "")
        if code not in {c.value for c in Category}:
            return _error(fmt, 400, f"Unknown service_code {code!r}; see services.{fmt}.")
        lat, lon = _number(form, "lat"), _number(form, "long")
        address = form.get("address_string", "")
        if (lat is None or lon is None) and not address:
            return _error(fmt, 400, "A location is required: lat and long, or address_string.")
        category = Category(code)
        description = form.get("description", "")[:4000]
        located = lat is not None and lon is not None
        district = _district_at(lat or 0.0, lon or 0.0) if located else address
        now = utcnow()
        draft = Incident(
            id=province.desk.next_id(),
            title=(description.splitlines()[0][:120] if description else "")
            or SERVICES[category][0],
            description=description,
            category=category,
            priority=Priority.MEDIUM,
            status=IncidentStatus.RECEIVED,
            source=Source.CITIZEN,
            district=district[:120],
            lat=(lat or 0.0) if located else 0.0,
            lon=(lon or 0.0) if located else 0.0,
            created_at=now,
            updated_at=now,
            revision=0,
        )
        incident = province.desk.create(draft)
        province.desk.human.add(incident.id)
        record = {"service_request_id": incident.id, "service_notice": NOTICE, "account_id": None}
        return _answer(fmt, "service_requests", "request", [record])

    return router
