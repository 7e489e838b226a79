"""NGSI-LD asset entities (`Streetlight`, `Camera`, `Device`) as GeoJSON points for the map.

Their state is mapped to the map's status words; an entity without a usable `location`
(a Device often has none, published examples swap lat and lon) is skipped with its reason.
"""

from __future__ import annotations

import logging
from typing import Any

from console.domain.records import GeoJson
from console.sources.ngsi.kpis import NgsiLdApi, each_entity, number, plain

log = logging.getLogger(__name__)

POINT_TYPES = ("Streetlight", "Camera", "Device")
# Streetlight `status` values that mean a fault (smart-data-models Streetlighting).
LIGHT_FAULTS = {"defectiveLamp", "columnIssue", "brokenLantern", "fault", "error"}
# Device `deviceState` is free text: the common words, else shown as it is.
DEVICE_STATES = {"ok": "ok", "on": "on", "off": "off", "fault": "fault", "error": "fault"}


def point_status(kind: str, entity: dict[str, Any]) -> str | None:
    """One of the map's status words (on, off, ok, fault) for an asset entity."""
    if kind == "Streetlight":
        status, power = plain(entity.get("status")), plain(entity.get("powerState"))
        if status in LIGHT_FAULTS:
            return "fault"
        if power in ("on", "off"):
            return str(power)
        return "ok" if status == "ok" else None
    if kind == "Camera":
        on = plain(entity.get("on"))
        status = plain(entity.get("status"))
        if isinstance(on, bool):
            return "ok" if on else "off"
        return str(status) if isinstance(status, str) else None
    state = plain(entity.get("deviceState"))
    return DEVICE_STATES.get(str(state), str(state)) if state is not None else None


def point_feature(entity: Any, kind: str) -> dict[str, Any]:
    """A GeoJSON Feature for one point entity; raises ValueError saying why it cannot be one."""
    if not isinstance(entity, dict):
        raise ValueError("not an entity")
    ident = entity.get("id")
    if not isinstance(ident, str) or not ident:
        raise ValueError("entity without an id")
    if str(entity.get("type", "")).rsplit("/", 1)[-1] != kind:
        raise ValueError(f"not a {kind}: {entity.get('type')!r}")
    location = plain(entity.get("location"))
    if not isinstance(location, dict):
        raise ValueError("no location")
    coordinates = location.get("coordinates")
    if location.get("type") != "Point" or not isinstance(coordinates, list):
        raise ValueError(f"location is not a GeoJSON Point ({str(location.get('type'))[:20]})")
    lon, lat = (number(c) for c in [*coordinates, None, None][:2])
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"coordinates out of range: {str(coordinates)[:60]}")
    name = next(
        (str(v) for k in ("name", "cameraName", "serialNumber") if (v := plain(entity.get(k)))),
        ident.rsplit(":", 1)[-1],
    )
    properties: dict[str, Any] = {"id": ident, "name": name, "type": kind}
    status = point_status(kind, entity)
    if status is not None:
        properties["status"] = status
    area = plain(entity.get("areaServed")) or plain(entity.get("address"))
    if isinstance(area, str):
        properties["district"] = area
    return {
        "type": "Feature",
        "id": ident,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def point_collection(entities: Any, kind: str) -> GeoJson:
    """Entities of one type as a FeatureCollection; each one left out is logged with why."""
    features = each_entity(entities, lambda e: point_feature(e, kind), kind, log)
    return {"type": "FeatureCollection", "features": features}


async def point_layer(api: NgsiLdApi, kind: str, key_values: bool = False) -> GeoJson:
    """Every entity of an asset type (Streetlight, Camera, Device) as map points."""
    return point_collection(await api.entities(kind, key_values), kind)
