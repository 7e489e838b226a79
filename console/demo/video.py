"""Camera video over HTTP: endless MJPEG (multipart/x-mixed-replace) and snapshots.

Frames are sent in real time at the clip's frame rate, from memory. A stream ends
when its camera goes offline or the server stops, so a player notices at once. The
frame shown at wall-clock time t is a pure function of t (`frame_index`), so what was
live at t is exactly what a playback of t shows; each part says its time in X-Frame-Time.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse, StreamingResponse

from console.demo.clips import ClipStore, VideoUnavailable
from console.demo.province import PROFILES, Province
from console.demo.ptz_video import PtzVideo
from console.domain.records import CameraStatus

BOUNDARY = "frame"
Render = Callable[[int], Awaitable[bytes]]  # a frame by its tick (PTZ cameras)
NO_CACHE = {"Cache-Control": "no-cache, no-store, must-revalidate", "Pragma": "no-cache"}


def frame_tick(t: float, fps: float) -> int:
    """The number of the frame on screen at epoch time `t`, counted from the epoch.

    The micro-epsilon makes a frame's own (rounded) timestamp map back to that frame."""
    return math.floor(t * fps + 1e-6)


def frame_index(t: float, fps: float, count: int) -> int:
    """Which frame of a looping clip of `count` frames is shown at epoch time `t`."""
    return frame_tick(t, fps) % count


def frame_time(tick: int, fps: float) -> str:
    """A frame's timestamp as ISO 8601 UTC with milliseconds (the X-Frame-Time header)."""
    moment = datetime.fromtimestamp(tick / fps, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def part(jpeg: bytes, tick: int, fps: float) -> bytes:
    """One multipart part: a JPEG and the recorded time of its frame."""
    head = (
        f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n"
        f"X-Frame-Time: {frame_time(tick, fps)}\r\n\r\n"
    )
    return head.encode() + jpeg + b"\r\n"


async def mjpeg(
    province: Province,
    camera_id: str,
    frames: list[bytes],
    fps: float,
    render: Render | None = None,
) -> AsyncIterator[bytes]:
    """Send the frame of each wall-clock tick on time; a late client skips rather than bursts."""
    province.video_streams.add(1)
    try:
        tick = frame_tick(time.time(), fps)
        while not province.closing.is_set():
            if province.camera_status(camera_id) is not CameraStatus.ONLINE:
                return
            jpeg = frames[tick % len(frames)] if render is None else await render(tick)
            yield part(jpeg, tick, fps)
            tick += 1
            delay = tick / fps - time.time()
            if delay < -1.0:  # more than a second behind (slow reader): skip to now
                tick, delay = frame_tick(time.time(), fps), 0.0
            await asyncio.sleep(max(0.0, delay))
    finally:
        province.video_streams.add(-1)


def video_router(province: Province, clips: ClipStore, ptz: PtzVideo | None = None) -> APIRouter:
    router = APIRouter(tags=["video"])

    def renderer(camera_id: str, profile: str) -> Render | None:
        """A PTZ camera's frames are drawn per tick from where it looks (ptz_video.py)."""
        if ptz is None or camera_id not in ptz.cameras:
            return None
        return lambda tick: ptz.frame(camera_id, profile, tick)

    async def frames_or_error(camera_id: str, profile: str) -> list[bytes] | Response:
        camera = province.camera(camera_id, "")
        if camera is None:
            return PlainTextResponse(f"Camera {camera_id} does not exist.", 404)
        if profile not in PROFILES:
            return PlainTextResponse(f"Camera {camera_id} has no {profile} stream.", 404)
        if camera.status is not CameraStatus.ONLINE:
            return PlainTextResponse(f"Camera {camera_id} ({camera.name}) is offline.", 503)
        try:
            return await clips.frames(camera_id, profile)
        except VideoUnavailable as error:
            return PlainTextResponse(
                f"Camera {camera_id}: {error}", 503, headers={"Retry-After": "2"}
            )

    @router.get(
        "/video/{camera_id}/snapshot.jpg",
        summary="The camera's current picture as one JPEG",
        response_class=Response,
        responses={200: {"content": {"image/jpeg": {}}}, 404: {}, 503: {}},
    )
    async def snapshot(camera_id: str, profile: str = "main") -> Response:
        frames = await frames_or_error(camera_id, profile)
        if isinstance(frames, Response):
            return frames
        tick = frame_tick(time.time(), clips.fps)
        render = renderer(camera_id, profile)
        jpeg = frames[tick % len(frames)] if render is None else await render(tick)
        headers = {**NO_CACHE, "X-Frame-Time": frame_time(tick, clips.fps)}
        return Response(jpeg, media_type="image/jpeg", headers=headers)

    @router.get(
        "/video/{camera_id}/{profile}.mjpg",
        summary="Live MJPEG stream of a camera profile (main 1280×720, sub 640×360)",
        response_class=StreamingResponse,
        responses={
            200: {"content": {f"multipart/x-mixed-replace; boundary={BOUNDARY}": {}}},
            404: {"description": "Unknown camera or profile"},
            503: {"description": "Camera offline or video not ready"},
        },
    )
    async def stream(camera_id: str, profile: str) -> Response:
        frames = await frames_or_error(camera_id, profile)
        if isinstance(frames, Response):
            return frames
        return StreamingResponse(
            mjpeg(province, camera_id, frames, clips.fps, renderer(camera_id, profile)),
            media_type=f"multipart/x-mixed-replace; boundary={BOUNDARY}",
            headers=NO_CACHE,
        )

    return router
