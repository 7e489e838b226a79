"""The `cameras` kind: a plain list of streams in the site file, for a site without a
camera API. Nothing to poll: the list is the connection, and each tile watches its stream."""

from __future__ import annotations

import asyncio
import logging
import math

from console.domain.records import Camera, CameraStatus, StreamProfile
from console.site.model import StaticCamera
from console.sources.auth import CredentialsError, read_secret
from console.sources.link import Link, LinkState
from console.sources.onvif_ptz import OnvifLogin, remember_login

log = logging.getLogger(__name__)

# What a tile assumes until the stream tells it (the list gives only addresses).
MAIN_SIZE, SUB_SIZE = (1280, 720), (640, 360)


def to_camera(entry: StaticCamera) -> Camera:
    streams = {
        "main": StreamProfile(
            url=entry.url, width=MAIN_SIZE[0], height=MAIN_SIZE[1], codec="unknown"
        )
    }
    if entry.sub_url:
        streams["sub"] = StreamProfile(
            url=entry.sub_url, width=SUB_SIZE[0], height=SUB_SIZE[1], codec="unknown"
        )
    return Camera(
        id=entry.id,
        name=entry.name,
        district=entry.district,
        lat=math.nan if entry.lat is None else entry.lat,
        lon=math.nan if entry.lon is None else entry.lon,
        status=CameraStatus.ONLINE,
        streams=streams,
        onvif=entry.onvif,
    )


def onvif_login(entry: StaticCamera) -> OnvifLogin | None:
    """The camera's ONVIF login from its secret references (None: none, or not set)."""
    if entry.onvif_user is None or entry.onvif_password is None:
        return None
    try:
        user = read_secret(entry.onvif_user, f"the ONVIF user of {entry.id}", secret=False)
        password = read_secret(entry.onvif_password, f"the ONVIF password of {entry.id}")
    except CredentialsError as error:
        log.warning("%s", error)
        return None
    return OnvifLogin(user, password) if user and password else None


class CamerasLink(Link):
    read_only_reason = "a camera list has no incidents"

    async def run(self) -> None:
        for entry in self.connection.cameras:
            if entry.onvif:
                remember_login(entry.onvif, onvif_login(entry))
        self.sink.cameras([to_camera(entry) for entry in self.connection.cameras])
        self.set_state(LinkState.LIVE)
        await asyncio.Event().wait()  # until cancelled
