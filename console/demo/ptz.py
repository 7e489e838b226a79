"""PTZ cameras of the demo: their position over time, who holds them, and the native API.

Two cameras move for real: a continuous move integrates its speeds from the time it was
asked until a stop, a new command or a 1 s dead-man timeout, and their video
(ptz_video.py) is cropped to the position at each frame's time. An operator who moves a
camera holds it for HOLD_S; another operator is then refused (409) with who and until when.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from console.demo.province import Province
from console.demo.ptz_video import View

PTZ_CAMERAS = ("CAM-04", "CAM-06")  # not the default wall's first camera: its video is fixed
MOVE_TIMEOUT_S = 1.0  # a client that stops sending moves stops the camera
HOLD_S = 30.0
PAN_RATE = 1.0  # pan/tilt units per second at full speed (the whole range in 2 s)
ZOOM_RATE = 1.5  # zoom factor per second at full speed
PRESETS_MAX = 50  # a camera's preset memory: saving one more is refused, not grown for ever
PRESET_NAME_MAX = 40
PRESET_NAME_PATTERN = r"^[^/\s][^/]*$"  # a path segment, not blank
ZOOM_MIN, ZOOM_MAX = 1.0, 4.0
HOME: View = (0.0, 0.0, 1.0)
PRESETS: dict[str, View] = {"home": HOME, "left": (-0.8, 0.0, 1.0), "close-up": (0.3, -0.2, 3.0)}
ACTING = ("operator", "leader")
Speed = Annotated[float, Field(ge=-1.0, le=1.0)]


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


@dataclass
class PtzState:
    """One camera's position, anchored at `since` and moving at `velocity` until `stop_at`."""

    position: View = HOME
    velocity: View = (0.0, 0.0, 0.0)
    since: float = 0.0
    stop_at: float = 0.0
    presets: dict[str, View] = field(default_factory=lambda: dict(PRESETS))
    holder: str | None = None
    held_until: float = 0.0

    def at(self, t: float) -> View:
        dt = max(0.0, min(t, self.stop_at) - self.since)
        (pan, tilt, zoom), (vp, vt, vz) = self.position, self.velocity
        return (
            _clamp(pan + vp * PAN_RATE * dt, -1.0, 1.0),
            _clamp(tilt + vt * PAN_RATE * dt, -1.0, 1.0),
            _clamp(zoom + vz * ZOOM_RATE * dt, ZOOM_MIN, ZOOM_MAX),
        )

    def moving(self, t: float) -> bool:
        return t < self.stop_at and any(self.velocity)

    def set(self, t: float, position: View, velocity: View = (0.0, 0.0, 0.0)) -> None:
        self.position, self.velocity, self.since = position, velocity, t
        self.stop_at = t + MOVE_TIMEOUT_S if any(velocity) else t

    def save_preset(self, name: str, t: float) -> None:
        """Where the camera is at `t`, under `name`; PresetsFull for one more than it keeps."""
        if name not in self.presets and len(self.presets) >= PRESETS_MAX:
            raise PresetsFull(PRESETS_MAX)
        self.presets[name] = self.at(t)


class PresetsFull(Exception):
    def __init__(self, most: int) -> None:
        super().__init__(f"keeps {most} presets")


class Held(Exception):
    def __init__(self, operator: str, until: float) -> None:
        super().__init__(operator)
        self.operator, self.until = operator, until


class PtzDesk:
    """The PTZ cameras' states; changed only on the server's loop."""

    def __init__(self, cameras: tuple[str, ...] = PTZ_CAMERAS) -> None:
        self.states = {camera_id: PtzState() for camera_id in cameras}

    def view_at(self, camera_id: str, t: float) -> View:
        return self.states[camera_id].at(t)

    def claim(self, state: PtzState, operator: str, now: float) -> None:
        """Take (or keep) the camera for `operator`; Held if someone else has it."""
        if state.holder not in (None, operator) and state.held_until > now:
            raise Held(state.holder or "", state.held_until)
        state.holder, state.held_until = operator, now + HOLD_S


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def status(camera_id: str, state: PtzState, now: float) -> dict[str, Any]:
    pan, tilt, zoom = state.at(now)
    held = state.holder is not None and state.held_until > now
    holder = {"operator": state.holder, "until": iso(state.held_until)} if held else None
    return {
        "camera": camera_id,
        "position": {"pan": pan, "tilt": tilt, "zoom": zoom},
        "moving": state.moving(now),
        "holder": holder,
    }


class Move(BaseModel):
    pan_speed: Speed = 0.0
    tilt_speed: Speed = 0.0
    zoom_speed: Speed = 0.0


PresetName = Annotated[
    str, Path(min_length=1, max_length=PRESET_NAME_MAX, pattern=PRESET_NAME_PATTERN)
]
Operator = Annotated[str | None, Header(alias="X-Operator", max_length=80)]


def ptz_router(province: Province, desk: PtzDesk) -> APIRouter:
    router = APIRouter(tags=["cameras"])

    def camera_state(camera_id: str) -> PtzState:
        if province.camera_status(camera_id) is None:
            raise HTTPException(404, f"Camera {camera_id} does not exist.")
        state = desk.states.get(camera_id)
        if state is None:
            raise HTTPException(404, f"Camera {camera_id} cannot pan, tilt or zoom.")
        return state

    def acting(camera_id: str, request: Request, operator: str | None) -> tuple[PtzState, str]:
        """The state to change and who changes it; 403 for a viewer, 409 if held."""
        state = camera_state(camera_id)
        role = getattr(request.state, "role", "operator")
        if role not in ACTING:
            raise HTTPException(403, f"A {role} may not move cameras.")
        who = (operator or "").strip() or role
        try:
            desk.claim(state, who, time.time())
        except Held as held:
            raise HeldError(camera_id, held) from None
        return state, who

    @router.get("/cameras/{camera_id}/ptz", summary="PTZ position, motion and holder")
    async def get_status(camera_id: str) -> dict[str, Any]:
        return status(camera_id, camera_state(camera_id), time.time())

    @router.post(
        "/cameras/{camera_id}/ptz/move",
        summary="Move continuously at these speeds (-1..1) until stop, or 1 s without a move",
    )
    async def move(
        camera_id: str, body: Move, request: Request, operator: Operator = None
    ) -> dict[str, Any]:
        state, _ = acting(camera_id, request, operator)
        now = time.time()
        state.set(now, state.at(now), (body.pan_speed, body.tilt_speed, body.zoom_speed))
        return status(camera_id, state, now)

    @router.post("/cameras/{camera_id}/ptz/stop", summary="Stop moving")
    async def stop(camera_id: str, request: Request, operator: Operator = None) -> dict[str, Any]:
        state, _ = acting(camera_id, request, operator)
        now = time.time()
        state.set(now, state.at(now))
        return status(camera_id, state, now)

    @router.get("/cameras/{camera_id}/ptz/presets", summary="The camera's presets")
    async def presets(camera_id: str) -> dict[str, Any]:
        state = camera_state(camera_id)
        items = [
            {"name": name, "pan": pan, "tilt": tilt, "zoom": zoom}
            for name, (pan, tilt, zoom) in state.presets.items()
        ]
        return {"items": items}

    @router.post("/cameras/{camera_id}/ptz/presets/{name}/goto", summary="Go to a preset")
    async def goto(
        camera_id: str, name: PresetName, request: Request, operator: Operator = None
    ) -> dict[str, Any]:
        state = camera_state(camera_id)
        if name not in state.presets:
            raise HTTPException(404, f"Camera {camera_id} has no preset {name!r}.")
        state, _ = acting(camera_id, request, operator)
        now = time.time()
        state.set(now, state.presets[name])
        return status(camera_id, state, now)

    @router.put(
        "/cameras/{camera_id}/ptz/presets/{name}",
        summary="Save the current position as a preset (operators and leaders)",
    )
    async def save(
        camera_id: str, name: PresetName, request: Request, operator: Operator = None
    ) -> dict[str, Any]:
        state, _ = acting(camera_id, request, operator)
        try:
            state.save_preset(name, time.time())
        except PresetsFull as full:
            raise HTTPException(409, f"{camera_id} {full}; replace one.") from None
        return await presets(camera_id)

    return router


class HeldError(HTTPException):
    """409 naming the holder; the body also carries it as data for the tile."""

    def __init__(self, camera_id: str, held: Held) -> None:
        until = iso(held.until)
        super().__init__(409, f"{camera_id} is held by {held.operator} until {until}.")
        self.holder = {"operator": held.operator, "until": until}


def held_handler(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HeldError)
    return JSONResponse({"detail": error.detail, "holder": error.holder}, status_code=409)
