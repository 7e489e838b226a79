"""NGSI-LD `Camera` entities (smart-data-models) as the console's cameras.

A broker's Camera carries its place (`location`), whether it is on (`on`) and where its
video is (`streamURL`, else `mediaURL`). One without a stream the wall can play, or
without a usable place, is still a camera: it shows as a place without video, or as a
video without a place; one without an id or of another type is skipped with its reason.
"""

from __future__ import annotations

import logging
import math
from typing import Any
from urllib.parse import urlsplit

from console.domain.records import Camera, CameraStatus, StreamProfile
from console.sources.ngsi.kpis import each_entity, plain
from console.sources.ngsi.points import point_feature

log = logging.getLogger(__name__)
PLAYABLE = ("rtsp", "rtsps", "http", "https", "rtmp")
ASSUMED_SIZE = (1280, 720)  # until the stream says


def to_camera(entity: Any) -> Camera:
    """Our camera for a Camera entity; raises ValueError saying why it is not one."""
    if not isinstance(entity, dict) or str(entity.get("type", "")).rsplit("/", 1)[-1] != "Camera":
        raise ValueError("not a Camera entity")
    ident = entity.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise ValueError("entity without an id")
    try:
        feature = point_feature(entity, "Camera")
        lon, lat = feature["geometry"]["coordinates"]
        name, district = feature["properties"]["name"], feature["properties"].get("district", "")
    except ValueError:  # no usable place: still a camera, off the map
        lat = lon = math.nan
        name = str(plain(entity.get("cameraName")) or ident.rsplit(":", 1)[-1])
        district = ""
    streams: dict[str, StreamProfile] = {}
    url = plain(entity.get("streamURL")) or plain(entity.get("mediaURL"))
    if isinstance(url, str) and urlsplit(url).scheme in PLAYABLE:
        width, height = ASSUMED_SIZE
        streams["main"] = StreamProfile(url=url, width=width, height=height, codec="unknown")
    on = plain(entity.get("on"))
    status = CameraStatus.OFFLINE if on is False else CameraStatus.ONLINE
    return Camera.model_validate(
        {
            "id": ident,
            "name": str(name)[:120],
            "district": str(district)[:120],
            "lat": lat,
            "lon": lon,
            "status": status,
            "streams": streams,
        }
    )


def to_cameras(entities: Any) -> list[Camera]:
    """Every entity that is a camera; each one left out is logged with why."""
    return each_entity(entities, to_camera, "camera", log)
