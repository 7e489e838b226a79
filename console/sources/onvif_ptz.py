"""Pan, tilt and zoom over ONVIF PTZ, for cameras listed with an ONVIF address.

The same `PtzClient` a tile uses for the native API, spoken with onvif-zeep-async: its
WSDLs ship in the package (no remote fetch) and zeep's on-disk cache stays off, so nothing
is written under the user's home. An address is `http(s)://host:port/onvif/device_service`,
the path ONVIF clients fix; a fragment names the media profile when one device serves several
cameras (an NVR, or the demo), otherwise the first profile with a PTZ configuration is used.
Positions come back in the camera's ONVIF generic spaces (zoom 0..1). Every failure becomes
`PtzRefused` in words, since a wrong password reaches zeep as a plain SOAP fault.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import onvif
import zeep.exceptions
from onvif import ONVIFCamera
from onvif.exceptions import ONVIFError

from console.sources.ioc.ptz import PtzRefused, PtzStatus

WSDL_DIR = os.path.join(os.path.dirname(onvif.__file__), "wsdl")
DEVICE_PATH = "/onvif/device_service"
CALL_TIMEOUT_S = 10.0  # the library's own default is 90 s: far too long for a drag
NOT_AUTHORIZED = "sender not authorized"


@dataclass(frozen=True)
class OnvifLogin:
    user: str
    password: str = field(repr=False)


# ONVIF logins by the camera's ONVIF address, set by the link that read them from the site
# file's secret references; records never carry credentials, so a tile looks them up here.
_LOGINS: dict[str, OnvifLogin] = {}


def remember_login(address: str, login: OnvifLogin | None) -> None:
    if login is None:
        _LOGINS.pop(address, None)
    else:
        _LOGINS[address] = login


def login_for(address: str | None) -> OnvifLogin | None:
    return _LOGINS.get(address) if address else None


class OnvifPtz:
    """One camera's PTZ over ONVIF; connects on first use, `aclose()` when done."""

    def __init__(self, address: str, login: OnvifLogin, operator: str | None = None) -> None:
        self.address, self.login = address, login
        self.operator = operator or login.user  # who the device sees as holding the camera
        try:
            parts = urlsplit(address)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            parts, port = urlsplit(""), 0
        # A wrong address is said on each call, like an unreachable one: a tile never raises.
        self._problem = ""
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self._problem = f"ONVIF address {address!r} is not http(s)://host:port{DEVICE_PATH}"
        elif parts.path.rstrip("/") not in ("", DEVICE_PATH):
            self._problem = f"ONVIF address {address!r}: the device service is at {DEVICE_PATH}"
        self._host = parts.hostname if parts.scheme == "http" else f"https://{parts.hostname}"
        self._port = port
        self._profile = parts.fragment or None
        self._camera: ONVIFCamera | None = None
        self._ptz: Any = None
        self._presets: dict[str, str] = {}  # name -> token
        self._lock = asyncio.Lock()

    @property
    def where(self) -> str:
        return f"{urlsplit(self.address).netloc}{'#' + self._profile if self._profile else ''}"

    async def _connect(self) -> Any:
        async with self._lock:
            if self._ptz is not None:
                return self._ptz
            camera = ONVIFCamera(
                self._host,
                self._port,
                self.login.user,
                self.login.password,
                wsdl_dir=WSDL_DIR,
                no_cache=True,
            )
            try:
                await camera.update_xaddrs()
                media = await camera.create_media_service()
                profiles = await media.GetProfiles()
                self._profile = _pick(profiles, self._profile, self.where)
                self._ptz = await camera.create_ptz_service()
            except BaseException:
                await camera.close()
                raise
            self._camera = camera
            return self._ptz

    async def _call(self, operation: str, **arguments: Any) -> Any:
        if self._problem:
            raise PtzRefused(self._problem, 400)
        try:
            async with asyncio.timeout(CALL_TIMEOUT_S):
                ptz = await self._connect()
                return await getattr(ptz, operation)({"ProfileToken": self._profile, **arguments})
        except zeep.exceptions.Fault as error:
            raise _refusal(self.where, str(error.message or "")) from error
        except ONVIFError as error:
            raise _refusal(self.where, str(error)) from error
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            raise PtzRefused(f"cannot reach the ONVIF service of {self.where}", 502) from error

    async def move(self, pan: float, tilt: float, zoom: float) -> PtzStatus:
        velocity = {"PanTilt": {"x": pan, "y": tilt}, "Zoom": {"x": zoom}}
        await self._call("ContinuousMove", Velocity=velocity)
        return PtzStatus(0.0, 0.0, 0.0, moving=any((pan, tilt, zoom)))  # no position in reply

    async def stop(self) -> PtzStatus:
        await self._call("Stop", PanTilt=True, Zoom=True)
        return await self.status()

    async def status(self) -> PtzStatus:
        answer = await self._call("GetStatus")
        try:
            position, moves = answer.Position, answer.MoveStatus
            moving = "MOVING" in (str(moves.PanTilt), str(moves.Zoom)) if moves else False
            return PtzStatus(
                float(position.PanTilt.x), float(position.PanTilt.y), float(position.Zoom.x), moving
            )
        except (AttributeError, TypeError, ValueError) as error:
            raise PtzRefused(f"{self.where} sent a PTZ status without a position", 502) from error

    async def presets(self) -> list[str]:
        answer = await self._call("GetPresets") or []
        self._presets = {str(p.Name or p.token): str(p.token) for p in answer if p.token}
        return list(self._presets)

    async def goto(self, name: str) -> PtzStatus:
        if name not in self._presets:
            await self.presets()
        token = self._presets.get(name)
        if token is None:
            raise PtzRefused(f"{self.where} has no preset {name!r}", 404)
        await self._call("GotoPreset", PresetToken=token)
        return await self.status()

    async def save(self, name: str) -> list[str]:
        """SetPreset where the camera is now; a preset of that name is moved, not doubled.

        The camera's list is read first: a preset renamed or removed elsewhere (its web
        page, another client) must not be overwritten through a token kept here."""
        await self.presets()
        token = self._presets.get(name)
        await self._call("SetPreset", PresetName=name, **({"PresetToken": token} if token else {}))
        return await self.presets()

    async def aclose(self) -> None:
        camera, self._camera, self._ptz = self._camera, None, None
        if camera is not None:
            await camera.close()


def _pick(profiles: Any, wanted: str | None, where: str) -> str:
    """The media profile to steer: the named one, else the first that has PTZ."""
    tokens = [(str(p.token), p.PTZConfiguration is not None) for p in profiles or []]
    if wanted is not None:
        if wanted not in (token for token, _ in tokens):
            raise PtzRefused(f"{where}: the device has no media profile {wanted!r}", 404)
        return wanted
    ptz = [token for token, has_ptz in tokens if has_ptz]
    if not ptz:
        raise PtzRefused(f"{where}: the device has no PTZ profile", 404)
    return ptz[0]


def _refusal(where: str, message: str) -> PtzRefused:
    """Words for a fault: the credentials, another holder, or the device's own reason."""
    if "held by" in message:
        return PtzRefused(message, 409)
    if NOT_AUTHORIZED in message.lower():
        return PtzRefused(f"{where} refused the ONVIF user name or password", 401)
    return PtzRefused(f"{where} refused: {message or 'a SOAP fault without a reason'}", 400)
