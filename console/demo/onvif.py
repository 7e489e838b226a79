"""The demo's ONVIF device: the PTZ cameras as one device with a media profile per camera.

One device (an NVR, as far as a client can tell) because ONVIF clients fix the device
service at `/onvif/device_service` of a host and port; each PTZ camera is a media profile
whose token is its id. Every move goes through the same `PtzDesk` state as the native API,
so an ONVIF ContinuousMove turns the camera's picture, and the holder rule applies alike
(the ONVIF user holds the camera like an operator). Positions use ONVIF's generic spaces:
pan and tilt -1..1 as the demo has them, zoom 0..1 for the demo's 1..4.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from fastapi import APIRouter, Request
from starlette.responses import Response

from console.demo.onvif_soap import (
    MAX_BODY,
    TDS,
    TPTZ,
    TRT,
    Account,
    SoapFault,
    child,
    element,
    envelope,
    fault,
    local,
    parse,
    text,
    text_of,
)
from console.demo.province import Province
from console.demo.ptz import (
    PRESET_NAME_MAX,
    PRESET_NAME_PATTERN,
    ZOOM_MAX,
    ZOOM_MIN,
    Held,
    PresetsFull,
    PtzDesk,
    PtzState,
    iso,
)
from console.demo.ptz_video import View

USER = "onvif"
PASSWORD_ENV = "IOC_DEMO_ONVIF_PASSWORD"
DEFAULT_PASSWORD = "ptz-demo"  # a loopback demo; set PASSWORD_ENV to change it
SERVICES = {"device": TDS, "media": TRT, "ptz": TPTZ}
NO_AUTH = {"GetSystemDateAndTime"}  # clients read the clock before they can sign
Answer = Callable[[Request, str, Element], str]


def demo_account() -> Account:
    return Account(USER, os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD)


def _zoom_out(zoom: float) -> float:
    return (zoom - ZOOM_MIN) / (ZOOM_MAX - ZOOM_MIN)


def _zoom_in(zoom: float) -> float:
    return ZOOM_MIN + max(0.0, min(1.0, zoom)) * (ZOOM_MAX - ZOOM_MIN)


def _number(value: str | None, what: str) -> float:
    try:
        number = float(value) if value is not None else 0.0
    except ValueError:
        raise SoapFault(f"{what} is not a number") from None
    if not -1.0 <= number <= 1.0:  # also refuses NaN
        raise SoapFault(f"{what} {number} is outside -1..1", "ter:InvalidArgVal")
    return number


def _position(view: View) -> str:
    pan, tilt, zoom = view
    space = "http://www.onvif.org/ver10/tptz/"
    return element(
        "tt:PanTilt",
        x=repr(pan),
        y=repr(tilt),
        space=f"{space}PanTiltSpaces/PositionGenericSpace",
    ) + element("tt:Zoom", x=repr(_zoom_out(zoom)), space=f"{space}ZoomSpaces/PositionGenericSpace")


def onvif_router(desk: PtzDesk, province: Province, account: Account | None = None) -> APIRouter:
    """The device's services; the province's camera records then list its address."""
    province.onvif = frozenset(desk.states)
    router = APIRouter(tags=["cameras"])
    login = account or demo_account()

    def base(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    def state_of(operation: Element) -> tuple[str, PtzState]:
        token = text_of(operation, "ProfileToken")
        state = desk.states.get(token or "")
        if token is None or state is None:
            raise SoapFault(f"no media profile {token!r}", "ter:NoProfile")
        return token, state

    def acting(user: str, operation: Element) -> tuple[str, PtzState, float]:
        camera_id, state = state_of(operation)
        now = time.time()
        try:
            desk.claim(state, user, now)
        except Held as held:
            reason = f"{camera_id} is held by {held.operator} until {iso(held.until)}."
            raise SoapFault(reason, "ter:NotAuthorized") from None
        return camera_id, state, now

    def services(request: Request, _user: str, _op: Element) -> str:
        return "".join(
            element(
                "tds:Service",
                text("tds:Namespace", namespace)
                + text("tds:XAddr", f"{base(request)}/onvif/{name}_service")
                + element("tds:Version", text("tt:Major", 2) + text("tt:Minor", 0)),
            )
            for name, namespace in SERVICES.items()
        )

    def capabilities(request: Request, _user: str, _op: Element) -> str:
        def xaddr(name: str) -> str:
            return text("tt:XAddr", f"{base(request)}/onvif/{name}_service")

        return element(
            "tds:Capabilities",
            element("tt:Device", xaddr("device"))
            + element("tt:Media", xaddr("media"))
            + element("tt:PTZ", xaddr("ptz")),
        )

    def clock(_request: Request, _user: str, _op: Element) -> str:
        now = datetime.now(UTC)
        hms = text("tt:Hour", now.hour) + text("tt:Minute", now.minute)
        ymd = text("tt:Year", now.year) + text("tt:Month", now.month) + text("tt:Day", now.day)
        utc = element("tt:Time", hms + text("tt:Second", now.second)) + element("tt:Date", ymd)
        return element(
            "tds:SystemDateAndTime",
            text("tt:DateTimeType", "NTP")
            + text("tt:DaylightSavings", "false")
            + element("tt:TimeZone", text("tt:TZ", "UTC0"))
            + element("tt:UTCDateTime", utc),
        )

    def information(_request: Request, _user: str, _op: Element) -> str:
        fields = {"Manufacturer": "IOC demo", "Model": "PTZ simulator", "FirmwareVersion": "1"}
        fields |= {"SerialNumber": "DEMO-PTZ", "HardwareId": "demo"}
        return "".join(text(f"tds:{name}", value) for name, value in fields.items())

    def profiles(_request: Request, _user: str, _op: Element) -> str:
        return "".join(
            element(
                "trt:Profiles",
                text("tt:Name", camera_id)
                + element(
                    "tt:PTZConfiguration",
                    text("tt:Name", camera_id)
                    + text("tt:UseCount", 1)
                    + text("tt:NodeToken", camera_id),
                    token=camera_id,
                ),
                token=camera_id,
                fixed="true",
            )
            for camera_id in desk.states
        )

    def stream_uri(request: Request, _user: str, operation: Element) -> str:
        camera_id, _ = state_of(operation)
        uri = text("tt:Uri", f"{base(request)}/video/{camera_id}/main.mjpg")
        never = text("tt:InvalidAfterConnect", "false") + text("tt:InvalidAfterReboot", "false")
        return element("trt:MediaUri", uri + never + text("tt:Timeout", "PT0S"))

    def move(_request: Request, user: str, operation: Element) -> str:
        _, state, now = acting(user, operation)
        velocity = child(operation, "Velocity")
        pan_tilt = child(velocity, "PanTilt") if velocity is not None else None
        zoom = child(velocity, "Zoom") if velocity is not None else None
        speeds = (
            _number(pan_tilt.get("x") if pan_tilt is not None else None, "pan speed"),
            _number(pan_tilt.get("y") if pan_tilt is not None else None, "tilt speed"),
            _number(zoom.get("x") if zoom is not None else None, "zoom speed"),
        )
        state.set(now, state.at(now), speeds)
        return ""

    def stop(_request: Request, user: str, operation: Element) -> str:
        _, state, now = acting(user, operation)
        state.set(now, state.at(now))
        return ""

    def presets(_request: Request, _user: str, operation: Element) -> str:
        _, state = state_of(operation)
        return "".join(
            element(
                "tptz:Preset",
                text("tt:Name", name) + element("tt:PTZPosition", _position(view)),
                token=name,
            )
            for name, view in state.presets.items()
        )

    def goto(_request: Request, user: str, operation: Element) -> str:
        camera_id, state = state_of(operation)
        name = text_of(operation, "PresetToken")
        if name is None or name not in state.presets:
            raise SoapFault(f"{camera_id} has no preset {name!r}", "ter:NoToken")
        _, state, now = acting(user, operation)
        state.set(now, state.presets[name])
        return ""

    def save(_request: Request, user: str, operation: Element) -> str:
        """SetPreset: the demo's token is the name, as on its native API (same rules)."""
        camera_id, state = state_of(operation)
        token = text_of(operation, "PresetToken")
        name = token if token in state.presets else text_of(operation, "PresetName")
        if not name or len(name) > PRESET_NAME_MAX or not re.fullmatch(PRESET_NAME_PATTERN, name):
            raise SoapFault(f"{name!r} cannot name a preset", "ter:InvalidPresetName")
        _, state, now = acting(user, operation)
        try:
            state.save_preset(name, now)
        except PresetsFull as full:
            raise SoapFault(f"{camera_id} {full}", "ter:TooManyPresets") from None
        return text("tptz:PresetToken", name)

    def status(_request: Request, _user: str, operation: Element) -> str:
        _, state = state_of(operation)
        now = time.time()
        moving = "MOVING" if state.moving(now) else "IDLE"
        moves = text("tt:PanTilt", moving) + text("tt:Zoom", moving)
        return element(
            "tptz:PTZStatus",
            element("tt:Position", _position(state.at(now)))
            + element("tt:MoveStatus", moves)
            + text("tt:UtcTime", iso(now)),
        )

    operations: dict[str, tuple[str, Answer]] = {
        "GetSystemDateAndTime": ("tds", clock),
        "GetServices": ("tds", services),
        "GetCapabilities": ("tds", capabilities),
        "GetDeviceInformation": ("tds", information),
        "GetProfiles": ("trt", profiles),
        "GetStreamUri": ("trt", stream_uri),
        "ContinuousMove": ("tptz", move),
        "Stop": ("tptz", stop),
        "GetPresets": ("tptz", presets),
        "GotoPreset": ("tptz", goto),
        "SetPreset": ("tptz", save),
        "GetStatus": ("tptz", status),
    }

    @router.post("/onvif/{service}_service", summary="ONVIF device, media and PTZ (SOAP 1.2)")
    async def soap(service: str, request: Request) -> Response:
        try:
            body = await _read(request)
            header, operation = parse(body)
            name = local(operation.tag)
            known = operations.get(name)
            if known is None or service not in SERVICES:
                raise SoapFault(f"{name} is not supported here", "ter:ActionNotSupported", False)
            prefix, answer = known
            user = "" if name in NO_AUTH else login.check(header, time.time())
            return envelope(element(f"{prefix}:{name}Response", answer(request, user, operation)))
        except SoapFault as error:
            return fault(error)

    return router


async def _read(request: Request) -> bytes:
    """The body, refused as soon as it passes MAX_BODY (a declared length is not trusted)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise SoapFault(f"the request is over {MAX_BODY // 1024} KiB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise SoapFault(f"the request is over {MAX_BODY // 1024} KiB")
        chunks.append(chunk)
    return b"".join(chunks)
