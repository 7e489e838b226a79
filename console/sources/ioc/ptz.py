"""Pan, tilt and zoom of a camera over the native API v1 (`/api/v1/cameras/{id}/ptz`).

A tile sends a move as the operator drags and a stop on release; the backend stops by
itself a second after the last move, so a lost stop never leaves a camera spinning.
Refusals come back as `PtzRefused` in words an operator can act on; a camera held by
another operator is `PtzHeld`, which says who and until when.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import httpx

from console.sources.ioc.api import BackendError, IocApi, decode_json, path_segment


@dataclass(frozen=True)
class PtzStatus:
    pan: float
    tilt: float
    zoom: float
    moving: bool
    holder: str | None = None
    until: datetime | None = None


class PtzRefused(BackendError):
    """The backend would not do it (403 viewer, 404 not a PTZ camera), with its reason."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class PtzHeld(PtzRefused):
    """Another operator holds the camera until `until`."""

    def __init__(self, message: str, operator: str, until: datetime) -> None:
        super().__init__(message, 409)
        self.operator, self.until = operator, until


class PtzClient(Protocol):
    """What a tile needs of a PTZ protocol (native here; ONVIF would be another)."""

    async def move(self, pan: float, tilt: float, zoom: float) -> PtzStatus: ...
    async def stop(self) -> PtzStatus: ...
    async def status(self) -> PtzStatus: ...
    async def presets(self) -> list[str]: ...
    async def goto(self, name: str) -> PtzStatus: ...
    async def save(self, name: str) -> list[str]: ...


def _status(body: Any) -> PtzStatus:
    try:
        position, holder = body["position"], body.get("holder")
        return PtzStatus(
            float(position["pan"]),
            float(position["tilt"]),
            float(position["zoom"]),
            bool(body["moving"]),
            str(holder["operator"]) if holder else None,
            datetime.fromisoformat(holder["until"]) if holder else None,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BackendError(f"PTZ status: a malformed answer ({error})") from error


class NativePtz:
    """One camera's PTZ through its connection's `IocApi` (same client, same credentials)."""

    def __init__(self, api: IocApi, camera: str, operator: str | None = None) -> None:
        self.api, self.camera = api, camera
        self.operator = operator or getpass.getuser()
        self._base = f"/api/v1/cameras/{path_segment(camera)}/ptz"

    async def _call(self, method: str, path: str, body: dict[str, float] | None = None) -> Any:
        try:
            response = await self.api.client.request(
                method, self._base + path, json=body, headers={"X-Operator": self.operator}
            )
        except httpx.TransportError as error:
            raise BackendError(f"PTZ of {self.camera}: cannot reach the backend") from error
        answer = decode_json(response.content, f"PTZ of {self.camera}") if response.content else {}
        if response.status_code < 400:
            return answer
        detail = answer.get("detail") if isinstance(answer, dict) else None
        message = str(detail) if detail else f"the backend answered {response.status_code}"
        holder = answer.get("holder") if isinstance(answer, dict) else None
        if response.status_code == 409 and isinstance(holder, dict):
            until = datetime.fromisoformat(str(holder.get("until")))
            raise PtzHeld(message, str(holder.get("operator")), until)
        raise PtzRefused(message, response.status_code)

    async def move(self, pan: float, tilt: float, zoom: float) -> PtzStatus:
        speeds = {"pan_speed": pan, "tilt_speed": tilt, "zoom_speed": zoom}
        return _status(await self._call("POST", "/move", speeds))

    async def stop(self) -> PtzStatus:
        return _status(await self._call("POST", "/stop"))

    async def status(self) -> PtzStatus:
        return _status(await self._call("GET", ""))

    async def presets(self) -> list[str]:
        return _names(await self._call("GET", "/presets"))

    async def goto(self, name: str) -> PtzStatus:
        return _status(await self._call("POST", f"/presets/{path_segment(name)}/goto"))

    async def save(self, name: str) -> list[str]:
        return _names(await self._call("PUT", f"/presets/{path_segment(name)}"))


def _names(body: Any) -> list[str]:
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise BackendError("PTZ presets: the answer has no list of items")
    return [str(item["name"]) for item in items if isinstance(item, dict) and "name" in item]
