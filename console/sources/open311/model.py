"""Open311 GeoReport v2 records, and how one becomes our `Incident`.

Codes and ids are strings (`"001"` keeps its zeros, `638344` becomes `"638344"`); a
lat/long of 0 or none means the place is unknown; null and "" stay distinct on the
record. Open311 knows only open/closed, so the workflow status is read from what the
record says: closed → resolved; open with an agency → assigned; open with notes or a
later update → acknowledged; otherwise received. Status notes become a note.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from console.domain.records import (
    Category,
    Incident,
    IncidentNote,
    IncidentStatus,
    Priority,
    Source,
)
from console.domain.text import fold

# Words in a service's code, name or group that tell our category (folded, no accents).
CATEGORY_WORDS: tuple[tuple[Category, tuple[str, ...]], ...] = (
    (Category.LIGHTING, ("light", "lamp", "den ", "chieu sang")),
    (Category.TRAFFIC, ("traffic", "signal", "parking", "vehicle", "giao thong", "ket xe")),
    (Category.SECURITY, ("security", "crime", "graffiti", "an ninh", "trat tu")),
    (
        Category.ENVIRONMENT,
        ("garbage", "sanitation", "trash", "noise", "water", "tree", "moi truong", "rac"),
    ),
    (
        Category.INFRASTRUCTURE,
        ("sidewalk", "curb", "street", "pothole", "construction", "plate", "road", "ha tang"),
    ),
)
CATEGORY_CODES = frozenset(category.value for category in Category)
STRING_FIELDS = ("service_request_id", "service_code", "token", "address_id", "zipcode")


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    @field_validator(*STRING_FIELDS, mode="before", check_fields=False)
    @classmethod
    def _code_as_string(cls, value: Any) -> Any:
        """Numbers sent for codes and ids are read as their text; booleans are not ids."""
        if isinstance(value, bool):
            raise ValueError("a code or id must be text, not true/false")
        if isinstance(value, int | float):
            return str(value)
        return value


class Service(_Record):
    service_code: str = Field(min_length=1)
    service_name: str = ""
    description: str | None = None
    metadata: bool = False
    type: str = "realtime"
    keywords: str | None = None
    group: str | None = None

    @field_validator("metadata", mode="before")
    @classmethod
    def _blank_is_false(cls, value: Any) -> Any:
        return False if value in (None, "") else value


class ServiceRequest(_Record):
    """One service request as the server sent it (strings trimmed, nothing interpreted)."""

    service_request_id: str = Field(min_length=1)
    status: Literal["open", "closed"]
    status_notes: str | None = None
    service_name: str | None = None
    service_code: str | None = None
    description: str | None = None
    agency_responsible: str | None = None
    service_notice: str | None = None
    requested_datetime: datetime
    updated_datetime: datetime | None = None
    expected_datetime: datetime | None = None
    address: str | None = None
    address_id: str | None = None
    zipcode: str | None = None
    lat: float | None = None
    long: float | None = None
    media_url: str | None = None
    # Non-standard, as some servers send with `extensions=true`: title, district, priority,
    # and the citizen's rating of a closed request.
    extended_attributes: dict[str, Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _prepare(cls, data: Any) -> Any:
        """Blank numbers and times are absent; NGSI's `location`/`address_string` are read."""
        if not isinstance(data, dict):
            raise ValueError("a service request must be an object")
        data = dict(data)
        for key in ("lat", "long", "updated_datetime", "expected_datetime"):
            if data.get(key) == "":
                data[key] = None
        if isinstance(data.get("status"), str):
            data["status"] = data["status"].strip().lower()
        if data.get("address") is None and isinstance(data.get("address_string"), str):
            data["address"] = data["address_string"]
        point = data.get("location")
        if data.get("lat") is None and isinstance(point, dict):
            coordinates = point.get("coordinates")
            if isinstance(coordinates, list) and len(coordinates) == 2:
                data["long"], data["lat"] = coordinates
        if data.get("extended_attributes") == "":
            data["extended_attributes"] = None
        return data

    @field_validator("requested_datetime", "updated_datetime", "expected_datetime")
    @classmethod
    def _zone(cls, value: datetime | None) -> datetime | None:
        """A time without a zone is read as UTC."""
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    @field_validator("lat", "long")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("a coordinate must be a finite number")
        return value


class Posted(_Record):
    """The answer to a POST: an id at once, or a token to look the id up later."""

    service_request_id: str | None = None
    token: str | None = None
    service_notice: str | None = None
    account_id: str | None = None

    @model_validator(mode="after")
    def _id_or_token(self) -> Posted:
        if not self.service_request_id and not self.token:
            raise ValueError("neither a service_request_id nor a token")
        return self


def category_of(*words: str | None) -> Category:
    """Our category for an Open311 service: an exact code, else words in its name."""
    for word in words:
        if word and word in CATEGORY_CODES:
            return Category(word)
    text = " " + fold(" ".join(w for w in words if w)) + " "
    for category, needles in CATEGORY_WORDS:
        if any(needle in text for needle in needles):
            return category
    return Category.PUBLIC_SERVICES


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def workflow_status(request: ServiceRequest) -> IncidentStatus:
    """Open311's open/closed read into our workflow (see the module docstring)."""
    if request.status == "closed":
        return IncidentStatus.RESOLVED
    if not _blank(request.agency_responsible):
        return IncidentStatus.ASSIGNED
    updated = request.updated_datetime
    touched = updated is not None and updated > request.requested_datetime
    if touched or not _blank(request.status_notes) or not _blank(request.service_notice):
        return IncidentStatus.ACKNOWLEDGED
    return IncidentStatus.RECEIVED


def location(request: ServiceRequest) -> tuple[float, float]:
    """(lat, lon); (0, 0) is the console's "unknown place" (0 or missing either way)."""
    lat, lon = request.lat, request.long
    if not lat or not lon or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return 0.0, 0.0
    return lat, lon


def to_incident(request: ServiceRequest, district: str = "Open311") -> Incident:
    """Our incident for a service request; `district` is used when it names none."""
    extra = request.extended_attributes or {}
    service = request.service_name or request.service_code or "Service request"
    title = extra.get("title") if isinstance(extra.get("title"), str) else None
    if not title:
        title = service if _blank(request.address) else f"{service} — {request.address}"
    try:
        priority = Priority(str(extra.get("priority", "medium")))
    except ValueError:
        priority = Priority.MEDIUM
    try:
        source = Source(str(extra.get("source", "citizen")))
    except ValueError:
        source = Source.CITIZEN
    place = extra.get("district")
    rating = extra.get("rating")  # the citizen's 1-5, where the server gives one (XML: text)
    if isinstance(rating, str) and rating.strip().isdigit():
        rating = int(rating)
    updated = request.updated_datetime or request.requested_datetime
    notes: tuple[IncidentNote, ...] = ()
    if not _blank(request.status_notes):
        author = request.agency_responsible or "Open311"
        notes = (IncidentNote(at=updated, author=author, text=str(request.status_notes).strip()),)
    lat, lon = location(request)
    status = workflow_status(request)
    return Incident(
        id=request.service_request_id,
        title=title,
        description=request.description or "",
        category=category_of(request.service_code, request.service_name),
        priority=priority,
        status=status,
        source=source,
        district=place if isinstance(place, str) and place else district,
        lat=lat,
        lon=lon,
        created_at=request.requested_datetime,
        updated_at=updated,
        assignee=None if _blank(request.agency_responsible) else request.agency_responsible,
        notes=notes,
        # A closed request was last updated when it was closed (GeoReport v2 says no more).
        resolved_at=request.updated_datetime if status is IncidentStatus.RESOLVED else None,
        rating=rating,
        # Open311 has no revisions: the update time orders versions of one request.
        revision=max(0, int(updated.timestamp() * 1000)),
    )
