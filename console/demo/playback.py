"""Recorded video over the native API: what was recorded, playback from a time, clip export.

Because the demo's frame at time t is `video.frame_index(t)`, playback and export only
need the recorder's spans. A start before the ring begins at the ring's start (a
timeline dragged too far back still plays); a start with nothing recorded after it is
416. Clips are remuxed by ffmpeg (JPEGs copied into Matroska, never re-encoded).
"""

from __future__ import annotations

import asyncio
import logging
import math
import shutil
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import JSONResponse, StreamingResponse

from console.demo.bookmarks import bookmarks_router
from console.demo.clips import ClipStore, VideoUnavailable
from console.demo.province import PROFILES, Province
from console.demo.recorder import Recorder, Span
from console.demo.video import BOUNDARY, NO_CACHE, frame_tick, part

log = logging.getLogger(__name__)

SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)
MAX_CLIP_S = 15 * 60.0
EPSILON = 1e-6


def iso(t: float) -> str:
    """Epoch seconds as ISO 8601 UTC with milliseconds, as the API writes every time."""
    moment = datetime.fromtimestamp(t, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(value: str | None, name: str) -> float:
    """An ISO 8601 query parameter as epoch seconds (no zone: UTC); 422 if missing or bad."""
    if not value:
        raise HTTPException(422, f"`{name}` is required (an ISO 8601 time).")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"`{name}` is not an ISO 8601 time: {value!r}.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def span_ticks(spans: list[Span], fps: float) -> list[range]:
    """The frames whose timestamps fall in each span [start, end)."""
    return [range(math.ceil(s * fps - EPSILON), math.ceil(e * fps - EPSILON)) for s, e in spans]


async def playback(
    province: Province,
    recorder: Recorder,
    camera_id: str,
    frames: list[bytes],
    fps: float,
    start: float,
    speed: float,
) -> AsyncIterator[bytes]:
    """Recorded frames from `start` at `speed`×, skipping gaps, following the recording."""
    step = max(1, int(speed))  # recorded frames per part: above 1×, frames are skipped
    interval = 1.0 / (fps * min(1.0, speed))  # below 1×, parts come slower instead
    tick = frame_tick(start, fps)
    province.video_streams.add(1)
    try:
        clock, sent = time.monotonic(), 0
        while not province.closing.is_set():
            at = recorder.next_recorded(camera_id, tick / fps)
            if at is None:
                return  # the end of the recording: the camera stopped recording
            if at > tick / fps:
                tick = math.ceil(at * fps - EPSILON)  # a gap: go on at the next span
            ahead = tick / fps - time.time()
            if ahead > 0:  # caught up with now: follow the recording as it grows, live
                step, interval = 1, 1.0 / fps
                await asyncio.sleep(ahead)
                clock, sent = time.monotonic(), 0
                continue
            yield part(frames[tick % len(frames)], tick, fps)
            tick += step
            sent += 1
            delay = clock + sent * interval - time.monotonic()
            if delay < -1.0:  # a slow reader: restart the clock, never skip recorded time
                clock, sent, delay = time.monotonic(), 0, 0.0
            await asyncio.sleep(max(0.0, delay))
    finally:
        province.video_streams.add(-1)


async def remux(
    ffmpeg: str, frames: list[bytes], ticks: list[range], fps: float
) -> AsyncIterator[bytes]:
    """Pipe the JPEGs through ffmpeg into Matroska (stream copy) and stream what it writes."""
    process = await asyncio.create_subprocess_exec(
        *(ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "image2pipe"),
        *("-framerate", f"{fps:g}", "-c:v", "mjpeg", "-i", "-"),
        *("-c:v", "copy", "-f", "matroska", "-"),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdin and process.stdout and process.stderr

    async def feed(stdin: asyncio.StreamWriter) -> None:
        try:
            for frame_range in ticks:
                for tick in frame_range:
                    stdin.write(frames[tick % len(frames)])
                    await stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            pass  # ffmpeg failed or was killed: its exit status tells
        finally:
            stdin.close()

    feeder = asyncio.create_task(feed(process.stdin))
    try:
        while chunk := await process.stdout.read(1 << 16):
            yield chunk
        errors = await process.stderr.read()
        if await process.wait() != 0:
            log.warning("clip export: ffmpeg failed: %s", errors.decode(errors="replace")[-300:])
    finally:
        feeder.cancel()
        if process.returncode is None:  # the client went away: do not leave ffmpeg running
            process.kill()
            await process.wait()


def playback_router(province: Province, clips: ClipStore, recorder: Recorder) -> APIRouter:
    router = APIRouter(tags=["cameras"])
    router.include_router(bookmarks_router(province))  # bookmarks are places in recordings
    errors: dict[int | str, dict[str, Any]] = {
        code: {"description": text}
        for code, text in (
            (404, "Unknown camera or profile"),
            (416, "Nothing recorded at or after the requested time"),
            (422, "A missing or malformed time or speed"),
            (503, "Video not ready"),
        )
    }

    def known(camera_id: str) -> None:
        if province.camera(camera_id, "") is None or not recorder.known(camera_id):
            raise HTTPException(404, f"Camera {camera_id} does not exist.")

    async def frames_for(camera_id: str, profile: str) -> list[bytes]:
        if profile not in PROFILES:
            raise HTTPException(404, f"Camera {camera_id} has no {profile} stream.")
        try:
            return await clips.frames(camera_id, profile)
        except VideoUnavailable as error:
            raise HTTPException(503, f"Camera {camera_id}: {error}", {"Retry-After": "2"}) from None

    @router.get(
        "/cameras/{camera_id}/recordings",
        summary="When a camera recorded, within a window (default: the whole ring)",
        responses={k: v for k, v in errors.items() if k in (404, 422)},
    )
    async def recordings(
        camera_id: str, start: str | None = None, end: str | None = None
    ) -> JSONResponse:
        known(camera_id)
        now = time.time()
        begin = parse_time(start, "start") if start else recorder.ring_start(now)
        finish = parse_time(end, "end") if end else now
        if begin >= finish:
            raise HTTPException(422, "`start` must be earlier than `end`.")
        spans = recorder.spans(camera_id, begin, finish)
        return JSONResponse(
            {
                "camera": camera_id,
                "retention_s": recorder.retention_s,
                "spans": [{"start": iso(s), "end": iso(e)} for s, e in spans],
                "disk_bytes": recorder.disk_bytes(camera_id),
            }
        )

    @router.get(
        "/cameras/{camera_id}/playback.mjpeg",
        summary="Recorded MJPEG from `start` at `speed`× (0.5, 1, 2, 4, 8); parts carry "
        "X-Frame-Time. Gaps are skipped; a start before the ring begins at its start.",
        response_class=StreamingResponse,
        responses={
            200: {"content": {f"multipart/x-mixed-replace; boundary={BOUNDARY}": {}}},
            **errors,
        },
    )
    async def play(
        camera_id: str, start: str | None = None, speed: str = "1", profile: str = "sub"
    ) -> Response:
        known(camera_id)
        at = parse_time(start, "start")
        try:
            rate = float(speed)
        except ValueError:
            rate = math.nan
        if rate not in SPEEDS:
            raise HTTPException(422, f"`speed` must be one of 0.5, 1, 2, 4, 8, not {speed!r}.")
        if at > time.time():
            raise HTTPException(422, "`start` is in the future.")
        at = max(at, recorder.ring_start())
        if recorder.next_recorded(camera_id, at) is None:
            raise HTTPException(416, f"Camera {camera_id} recorded nothing after {iso(at)}.")
        frames = await frames_for(camera_id, profile)
        return StreamingResponse(
            playback(province, recorder, camera_id, frames, clips.fps, at, rate),
            media_type=f"multipart/x-mixed-replace; boundary={BOUNDARY}",
            headers=NO_CACHE,
        )

    @router.get(
        "/cameras/{camera_id}/clip.mkv",
        summary="The recorded frames between `start` and `end` (at most 15 min) as Matroska, "
        "remuxed, not re-encoded; gaps are left out (see X-Recorded-Spans)",
        response_class=StreamingResponse,
        responses={
            200: {"content": {"video/x-matroska": {}}},
            413: {"description": "Over 15 min"},
            **errors,
        },
    )
    async def clip(
        camera_id: str, start: str | None = None, end: str | None = None, profile: str = "main"
    ) -> Response:
        known(camera_id)
        begin, finish = parse_time(start, "start"), parse_time(end, "end")
        if begin >= finish:
            raise HTTPException(422, "`start` must be earlier than `end`.")
        if finish - begin > MAX_CLIP_S:
            raise HTTPException(413, f"A clip may span at most {MAX_CLIP_S / 60:g} minutes.")
        spans = recorder.spans(camera_id, begin, finish)
        ticks = [r for r in span_ticks(spans, clips.fps) if r]
        if not ticks:
            raise HTTPException(416, f"Camera {camera_id} recorded nothing in that window.")
        frames = await frames_for(camera_id, profile)
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            raise HTTPException(503, "Clip export needs ffmpeg, which is not installed.")
        name = f"{camera_id}_{iso(begin).replace(':', '').replace('-', '')}.mkv"
        headers = {
            "X-Recorded-Spans": ",".join(f"{iso(s)}/{iso(e)}" for s, e in spans),
            "Content-Disposition": f'attachment; filename="{name}"',
        }
        return StreamingResponse(
            remux(ffmpeg, frames, ticks, clips.fps), media_type="video/x-matroska", headers=headers
        )

    return router
