"""What crosses the broker: every message is validated before anything acts on it.

A payload that is too large, not JSON, of an unknown version or shape, or about another
node than its topic names is dropped with one log line: a broken or hostile publisher
can never crash a node or change what it shows.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

log = logging.getLogger(__name__)

MAX_PAYLOAD = 64 * 1024  # state and commands; a thumbnail is a raw JPEG of at most:
MAX_THUMBNAIL = 256 * 1024
NodeName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
CellRef = Annotated[str, Field(pattern=r"^[0-9]{1,2}/[0-9]{1,3}$")]  # screen/panel, from 1
Text = Annotated[str, Field(max_length=200)]


class Message(BaseModel):
    """Frozen, strict, no unknown fields: what a node acts on is exactly what was meant."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)
    v: Literal[1] = 1


class Presence(Message):
    node: NodeName
    online: bool
    kiosk: bool = False
    since: float = Field(default_factory=time.time)


class CellShown(Message):
    cell: CellRef
    kind: Text
    title: Text = ""


class Showing(Message):
    """What a node shows, and the last command it applied (and when it was painted)."""

    node: NodeName
    preset: Text
    page: int = Field(0, ge=0, le=100)
    enlarged: CellRef | None = None
    cells: list[CellShown] = Field(default_factory=list, max_length=200)
    presets: list[Text] = Field(default_factory=list, max_length=200)
    applied_seq: int = Field(0, ge=0)
    painted_at: float = 0.0
    slide: int | None = Field(None, ge=0)


class Health(Message):
    node: NodeName
    tiles: int = Field(0, ge=0)
    tiles_live: int = Field(0, ge=0)
    fps: float = Field(0.0, ge=0)
    cpu_percent: float = Field(0.0, ge=0)
    rss_mb: float = Field(0.0, ge=0)
    at: float = Field(default_factory=time.time)


class CameraContent(Message):
    kind: Literal["camera"] = "camera"
    camera: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,128}$")]


class MapContent(Message):
    kind: Literal["map"] = "map"
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    zoom: int = Field(13, ge=1, le=20)


class KpiContent(Message):
    kind: Literal["kpi"] = "kpi"
    indicators: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,128}$")]] = Field(
        min_length=1, max_length=8
    )


M = TypeVar("M", bound=Message)
Content = Annotated[CameraContent | MapContent | KpiContent, Field(discriminator="kind")]


class Desired(Message):
    """A node's desired state, retained per node: the latest sequence number wins.

    `seq` grows by one with every command for that node (the controller reads the
    retained state first); a message with a lower or equal `seq` than the node applied
    is stale and ignored, so a late or replayed command never undoes a newer one."""

    node: NodeName
    seq: int = Field(ge=1, le=2**53)
    by: Text
    role: Text
    issued_at: float
    preset: Text | None = None
    cells: dict[CellRef, Content] = Field(default_factory=dict, max_length=200)


def decode(model: type[M], payload: bytes | bytearray, topic: str) -> M | None:
    """The message, or None (logged) when it is oversized, not JSON or not the model."""
    if len(payload) > MAX_PAYLOAD:
        log.warning("dropped %s: %d bytes, more than %d", topic, len(payload), MAX_PAYLOAD)
        return None
    try:
        data: Any = json.loads(bytes(payload))
        return model.model_validate(data)
    except (ValueError, RecursionError) as error:
        reason = error.errors()[0]["msg"] if isinstance(error, ValidationError) else "not JSON"
        log.warning("dropped %s: %s", topic, reason)
        return None


def encode(message: Message) -> bytes:
    return message.model_dump_json(exclude_defaults=False).encode()
