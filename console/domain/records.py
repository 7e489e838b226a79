"""Domain objects shared by the demo backend, the sources and the stores.

They are also the wire format of API v1: the demo backend serialises them and the
sources validate what a backend sends with them, so a malformed record is rejected
with a clear reason instead of reaching a panel.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
)

ACTING_ROLES = ("operator", "leader")  # roles that may act on incidents; a viewer only sees


MAX_REVISION = 2**63 - 1  # stores keep revisions and event ids as int64
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def _wall_time(value: datetime) -> datetime:
    """A time every clock on the wall can show, or a validation error at the boundary.

    Year 9999, or year 1 with a +14:00 offset, parse as datetimes but overflow when turned
    into province time at each repaint; such a record is refused once, where it arrives."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # the API sends UTC; a bare time means UTC
    try:
        in_range = EARLIEST <= value.astimezone(UTC) < LATEST
    except OverflowError:
        in_range = False
    if not in_range:
        raise ValueError(f"time {value.isoformat()} is out of range (1970 to 2199)")
    return value


WallTime = Annotated[datetime, AfterValidator(_wall_time)]
Revision = Annotated[int, Field(ge=0, le=MAX_REVISION)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


def _name(value: str) -> str:
    """An id a request can name and a person can read: the same rule for every source."""
    if value.strip() in ("", ".", "..") or len(value) > 256:
        raise ValueError(f"{value[:40]!r} is not an id (empty, '.', '..' or over 256 characters)")
    if any(ord(char) < 32 or 0xD800 <= ord(char) <= 0xDFFF for char in value):
        raise ValueError(f"id {value[:40]!r} holds a control character or broken Unicode")
    return value


Name = Annotated[str, AfterValidator(_name)]


class OwnedRecord(_Model):
    """A record a connection of the site delivered: `id` is namespaced by it.

    `connection` is "" for a record built in code or served by the demo; a source's sink
    sets both when the record arrives (see console.domain.naming), whatever the wire said."""

    id: Name
    connection: str = ""

    @property
    def local_id(self) -> str:
        """The id as the connection's own system knows it (what the operator reads)."""
        return self.id.removeprefix(f"{self.connection}/") if self.connection else self.id


class CameraStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"


class StreamProfile(_Model):
    url: str
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    codec: str
    fps: float = 25.0


class Camera(OwnedRecord):
    name: str
    district: str
    lat: float  # NaN: the place is unknown (the map leaves it out)
    lon: float
    status: CameraStatus
    streams: dict[Literal["main", "sub"], StreamProfile]  # may be empty: a place, no video
    onvif: str | None = None  # ONVIF device address: PTZ over ONVIF (console.sources.onvif_ptz)


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


PRIORITY_RANK = {Priority.LOW: 0, Priority.MEDIUM: 1, Priority.HIGH: 2, Priority.CRITICAL: 3}


class Category(StrEnum):
    TRAFFIC = "traffic"
    SECURITY = "security"
    ENVIRONMENT = "environment"
    PUBLIC_SERVICES = "public_services"
    INFRASTRUCTURE = "infrastructure"
    LIGHTING = "lighting"


class IncidentStatus(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    RESOLVED = "resolved"


class Source(StrEnum):
    CITIZEN = "citizen"
    CAMERA = "camera"
    SENSOR = "sensor"


class IncidentNote(_Model):
    at: WallTime
    author: str
    text: str
    local: bool = False  # kept on this console only: the connection's protocol cannot take it


class Incident(OwnedRecord):
    title: str
    description: str = ""
    category: Category
    priority: Priority
    status: IncidentStatus
    source: Source
    district: str
    lat: float  # NaN: the place is unknown (the map leaves it out)
    lon: float
    created_at: WallTime
    updated_at: WallTime
    assignee: str | None = None
    notes: tuple[IncidentNote, ...] = ()
    # Monotonic across the whole backend: a store keeps the record with the highest
    # revision, so a replayed or late event never overwrites newer state.
    revision: Revision
    # What feedback statistics read, when the source knows it: first acknowledged, last
    # resolved, and the citizen's satisfaction (1 to 5) once it was settled.
    acknowledged_at: WallTime | None = None
    resolved_at: WallTime | None = None
    rating: int | None = None

    @field_validator("acknowledged_at", "resolved_at", mode="wrap")
    @classmethod
    def _optional_time(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """A bad optional time is unknown, not a reason to lose the incident."""
        try:
            return handler(value)
        except ValidationError:
            return None

    @field_validator("rating", mode="before")
    @classmethod
    def _rating(cls, value: Any) -> int | None:
        """1 to 5 as a whole number; anything else (7, "five", true, 4.5) is no rating."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if type(value) is int and 1 <= value <= 5:
            return value
        return None


class ActionKind(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    NOTE = "note"
    RESOLVE = "resolve"
    REOPEN = "reopen"  # a resolved incident back to acknowledged (the problem came back)


class IncidentAction(_Model):
    action: ActionKind
    assignee: str | None = None
    text: str | None = None
    author: str = "operator"


class Kpi(OwnedRecord):
    name: str
    unit: str
    value: float
    target: float | None = None
    higher_is_better: bool = True
    updated_at: WallTime


class KpiSample(_Model):
    t: WallTime
    value: float


class KpiSeries(_Model):
    kpi_id: str
    interval: str
    points: tuple[KpiSample, ...]


class LayerInfo(OwnedRecord):
    name: str
    geometry: Literal["point", "line", "polygon"]
    feature_count: int = Field(ge=0)


class CameraStatusChange(_Model):
    id: str
    status: CameraStatus


class KpiSampleEvent(_Model):
    kpi_id: str
    t: WallTime
    value: float


class EventType(StrEnum):
    INCIDENT_CREATED = "incident.created"
    INCIDENT_UPDATED = "incident.updated"
    CAMERA_STATUS = "camera.status"
    KPI_SAMPLE = "kpi.sample"


EVENT_PAYLOADS: dict[EventType, type[_Model]] = {
    EventType.INCIDENT_CREATED: Incident,
    EventType.INCIDENT_UPDATED: Incident,
    EventType.CAMERA_STATUS: CameraStatusChange,
    EventType.KPI_SAMPLE: KpiSampleEvent,
}


class Event(_Model):
    """One Server-Sent Event: `id` is the backend revision it carries, for resuming."""

    id: Revision
    type: EventType
    payload: Incident | CameraStatusChange | KpiSampleEvent


GeoJson = dict[str, Any]


def utcnow() -> datetime:
    return datetime.now(UTC)
