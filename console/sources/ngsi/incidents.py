"""NGSI-LD `Alert` and `Complaint` entities (FIWARE smart data models) as incidents.

An `Alert` comes from a sensor or a camera analytic: its `severity` is our priority, a
`validTo` in the past means it is over. A `Complaint` is a citizen's report: its
free-text `status` ("Pending", "In progress", "Solved" ...) is read into our workflow.
Both carry a GeoJSON `location` (lon, lat). Normalized, keyValues and JSON-LD forms
are read alike (see `ngsi.plain`); an entity that cannot be an incident is skipped
with its reason, never fatal to the rest.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from console.domain.records import Category, Incident, IncidentStatus, Priority, Source
from console.domain.text import fold
from console.sources.ngsi.kpis import NgsiLdApi, each_entity, parse_time, plain
from console.sources.open311.model import category_of

log = logging.getLogger(__name__)

INCIDENT_TYPES = ("Alert", "Complaint")
SEVERITY = {
    "informational": Priority.LOW,
    "low": Priority.LOW,
    "medium": Priority.MEDIUM,
    "high": Priority.HIGH,
    "critical": Priority.CRITICAL,
}
# Alert categories of the model that name ours directly; the rest go by their words.
ALERT_CATEGORIES = {
    "traffic": Category.TRAFFIC,
    "security": Category.SECURITY,
    "environment": Category.ENVIRONMENT,
    "weather": Category.ENVIRONMENT,
    "health": Category.PUBLIC_SERVICES,
    "agriculture": Category.ENVIRONMENT,
}
DONE_WORDS = ("solved", "resolved", "closed", "done", "completed", "rejected")
WORKING_WORDS = ("progress", "processing", "assigned", "working")
SEEN_WORDS = ("acknowledged", "accepted", "received", "open")


def _kind(entity: dict[str, Any]) -> str:
    return str(entity.get("type", "")).rsplit("/", 1)[-1]


def _text(entity: dict[str, Any], *names: str) -> str:
    for name in names:
        value = plain(entity.get(name))
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _location(entity: dict[str, Any]) -> tuple[float, float]:
    """(lat, lon), or (0, 0) — the console's "place unknown" — without a usable Point."""
    location = plain(entity.get("location"))
    if not isinstance(location, dict) or location.get("type") != "Point":
        return 0.0, 0.0
    coordinates = location.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return 0.0, 0.0
    try:
        lon, lat = float(coordinates[0]), float(coordinates[1])
    except (TypeError, ValueError):
        return 0.0, 0.0
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return 0.0, 0.0
    return lat, lon


def complaint_status(raw: str) -> IncidentStatus:
    words = fold(raw)
    if any(word in words for word in DONE_WORDS):
        return IncidentStatus.RESOLVED
    if any(word in words for word in WORKING_WORDS):
        return IncidentStatus.ASSIGNED
    if any(word in words for word in SEEN_WORDS) and "pending" not in words:
        return IncidentStatus.ACKNOWLEDGED
    return IncidentStatus.RECEIVED


def to_incident(entity: Any, district: str = "NGSI-LD", now: datetime | None = None) -> Incident:
    """Our incident for an Alert or a Complaint; raises ValueError saying why it is not one."""
    if not isinstance(entity, dict):
        raise ValueError("not an entity")
    ident = entity.get("id")
    if not isinstance(ident, str) or not ident:
        raise ValueError("entity without an id")
    kind = _kind(entity)
    if kind not in INCIDENT_TYPES:
        raise ValueError(f"not an Alert or a Complaint: {str(entity.get('type'))[:40]!r}")
    description = _text(entity, "description")
    category_word = _text(entity, "category")
    sub_category = _text(entity, "subCategory")
    if kind == "Alert":
        created = parse_time(entity.get("dateIssued")) or parse_time(entity.get("validFrom"))
        ends = parse_time(entity.get("validTo"))
        over = ends is not None and ends < (now or datetime.now(UTC))
        said = _text(entity, "status")  # not in the Alert model; brokers that track it add it
        status = IncidentStatus.RESOLVED if over else complaint_status(said)
        priority = SEVERITY.get(fold(_text(entity, "severity")), Priority.MEDIUM)
        category = ALERT_CATEGORIES.get(fold(category_word)) or category_of(
            category_word, sub_category, description
        )
        source = Source.SENSOR
        title = " · ".join(part for part in (category_word, sub_category) if part)
    else:
        created = parse_time(entity.get("timestamp")) or parse_time(entity.get("dateCreated"))
        status = complaint_status(_text(entity, "status"))
        priority = Priority.MEDIUM
        category = category_of(category_word, description)
        source = Source.CITIZEN
        title = category_word
    if created is None:
        raise ValueError("no time it was raised (dateIssued / timestamp)")
    modified = parse_time(entity.get("modifiedAt")) or parse_time(entity.get("dateModified"))
    updated = max(created, modified) if modified else created
    lat, lon = _location(entity)
    area = _text(entity, "areaServed", "address")
    assignee = _text(entity, "assignee")
    return Incident(
        id=ident,
        assignee=assignee[:120] or None,
        title=(title or description or ident)[:200],
        description=description,
        category=category,
        priority=priority,
        status=status,
        source=source,
        district=area or district,
        lat=lat,
        lon=lon,
        created_at=created,
        updated_at=updated,
        # Newer entity state wins in the store; the broker keeps no revision counter.
        revision=max(0, int(updated.timestamp() * 1000)),
    )


def to_incidents(entities: Any, district: str = "NGSI-LD") -> list[Incident]:
    """Every entity that is an incident; each one left out is logged with why."""
    return each_entity(entities, lambda e: to_incident(e, district), "incident", log)


async def fetch_incidents(api: NgsiLdApi, district: str = "NGSI-LD") -> list[Incident]:
    """Alerts and Complaints from a context broker, page by page."""
    found: list[Incident] = []
    for kind in INCIDENT_TYPES:
        found.extend(to_incidents(await api.entities(kind), district))
    return found
