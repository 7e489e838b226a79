"""The moving picture of a demo PTZ camera: a window over the clip frame, per tick.

No image library is a dependency, and an ffmpeg per frame costs ~40 ms, so each clip's
main-profile frames are decoded once into YUV planes (numpy), a frame is cropped and
scaled there (nearest neighbour, ~1 ms) and encoded by one long-lived ffmpeg per camera
and profile that turns each raw frame into a JPEG at once (~5 ms at 640×360).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from console.demo.clips import ClipStore, VideoUnavailable

View = tuple[float, float, float]  # pan, tilt in -1..1; zoom 1..4
WINDOW = 0.6  # the share of the scene seen at zoom 1, so pan and tilt have room to move
EOI = b"\xff\xd9"  # a JPEG's last marker; never inside its entropy-coded data
Planes = tuple[NDArray[np.uint8], NDArray[np.uint8], NDArray[np.uint8]]
QUIET = ("-nostdin", "-hide_banner", "-loglevel", "error")


@dataclass(frozen=True)
class Window:
    """Where, in scene pixels, the camera looks; even numbers, for 4:2:0 chroma."""

    x: int
    y: int
    w: int
    h: int


def window(view: View, scene_w: int, scene_h: int) -> Window:
    """Pan right moves the window right; tilt up moves it up; zoom shrinks it."""
    pan, tilt, zoom = view
    w = int(scene_w * WINDOW / zoom) // 2 * 2
    h = int(scene_h * WINDOW / zoom) // 2 * 2
    x = (scene_w - w) / 2 * (1 + pan)
    y = (scene_h - h) / 2 * (1 - tilt)
    return Window(int(x) // 2 * 2, int(y) // 2 * 2, w, h)


def _pick(start: int, span: int, out: int) -> NDArray[np.intp]:
    return start + (np.arange(out) * span) // out


def crop(planes: Planes, where: Window, out_w: int, out_h: int) -> bytes:
    """One raw yuv420p frame of `out_w`×`out_h` showing `where` of the scene."""
    y, u, v = planes
    rows, cols = _pick(where.y, where.h, out_h), _pick(where.x, where.w, out_w)
    crows = _pick(where.y // 2, where.h // 2, out_h // 2)
    ccols = _pick(where.x // 2, where.w // 2, out_w // 2)
    parts = [y[np.ix_(rows, cols)], u[np.ix_(crows, ccols)], v[np.ix_(crows, ccols)]]
    return b"".join(part.tobytes() for part in parts)


class Encoder:
    """One ffmpeg that answers each raw frame written to it with one JPEG."""

    def __init__(self, ffmpeg: str, width: int, height: int) -> None:
        self.command = [
            ffmpeg,
            *QUIET,
            *("-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{width}x{height}", "-r", "10"),
            *("-i", "pipe:0", "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "5"),
            *("-flush_packets", "1", "-threads", "1", "pipe:1"),  # threads here: no delay
        ]
        self._process: asyncio.subprocess.Process | None = None
        self._buffer = b""
        self._lock = asyncio.Lock()

    async def encode(self, raw: bytes) -> bytes:
        async with self._lock:  # one frame in flight: answers come back in order
            process = self._process
            if process is None or process.returncode is not None:
                process = self._process = await asyncio.create_subprocess_exec(
                    *self.command,
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.DEVNULL,
                )
                self._buffer = b""
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(raw)
            await process.stdin.drain()
            while (end := self._buffer.find(EOI)) < 0:
                chunk = await process.stdout.read(1 << 16)
                if not chunk:
                    raise VideoUnavailable("the PTZ encoder stopped")
                self._buffer += chunk
            jpeg, self._buffer = self._buffer[: end + 2], self._buffer[end + 2 :]
            return jpeg

    async def aclose(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()


async def decode(ffmpeg: str, jpegs: Sequence[bytes]) -> tuple[int, int, list[Planes]]:
    """A clip's JPEGs as YUV planes, by one ffmpeg run (once per PTZ camera)."""
    probe = await asyncio.create_subprocess_exec(
        *(ffmpeg, *QUIET, "-f", "image2pipe", "-c:v", "mjpeg", "-i", "pipe:0"),
        *("-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    raw, _ = await probe.communicate(b"".join(jpegs))
    width, height = _jpeg_size(jpegs[0])
    size = width * height * 3 // 2
    if probe.returncode != 0 or len(raw) < size * len(jpegs):
        raise VideoUnavailable("the PTZ clip could not be decoded")
    frames: list[Planes] = []
    for i in range(len(jpegs)):
        flat = np.frombuffer(raw, np.uint8, size, i * size)
        y = flat[: width * height].reshape(height, width)
        u = flat[width * height : width * height * 5 // 4].reshape(height // 2, width // 2)
        v = flat[width * height * 5 // 4 :].reshape(height // 2, width // 2)
        frames.append((y, u, v))
    return width, height, frames


def _jpeg_size(jpeg: bytes) -> tuple[int, int]:
    """Width and height from a baseline or progressive JPEG's SOF marker."""
    i = 2
    while i + 9 < len(jpeg):
        marker, length = jpeg[i + 1], int.from_bytes(jpeg[i + 2 : i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            height = int.from_bytes(jpeg[i + 5 : i + 7], "big")
            return int.from_bytes(jpeg[i + 7 : i + 9], "big"), height
        i += 2 + length
    raise VideoUnavailable("a clip frame is not a JPEG")


class PtzVideo:
    """JPEGs of PTZ cameras by (camera, profile, tick), from the view `view_at` gives."""

    def __init__(
        self,
        clips: ClipStore,
        profiles: Mapping[str, tuple[int, int]],
        view_at: Callable[[str, float], View],
        cameras: Collection[str],
    ) -> None:
        self.clips, self.profiles, self.view_at = clips, profiles, view_at
        self.cameras = frozenset(cameras)
        self._scenes: dict[str, tuple[int, int, list[Planes]]] = {}
        self._scene_locks: dict[str, asyncio.Lock] = {}
        self._encoders: dict[tuple[str, str], Encoder] = {}
        self._last: dict[tuple[str, str], tuple[tuple[int, View], bytes]] = {}

    async def _scene(self, camera_id: str) -> tuple[int, int, list[Planes]]:
        async with self._scene_locks.setdefault(camera_id, asyncio.Lock()):
            if camera_id not in self._scenes:
                ffmpeg = shutil.which("ffmpeg")
                if ffmpeg is None:
                    raise VideoUnavailable("ffmpeg is not installed")
                largest = max(self.profiles, key=lambda name: self.profiles[name][0])
                jpegs = await self.clips.frames(camera_id, largest)
                self._scenes[camera_id] = await decode(ffmpeg, jpegs)
            return self._scenes[camera_id]

    async def frame(self, camera_id: str, profile: str, tick: int) -> bytes:
        """The JPEG of `tick` as the camera sees it then (viewers of a tick share it)."""
        key = (camera_id, profile)
        view = self.view_at(camera_id, tick / self.clips.fps)
        last = self._last.get(key)
        if last is not None and last[0] == (tick, view):
            return last[1]
        width, height, frames = await self._scene(camera_id)
        out_w, out_h = self.profiles[profile]
        raw = crop(frames[tick % len(frames)], window(view, width, height), out_w, out_h)
        encoder = self._encoders.get(key)
        if encoder is None:
            ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
            encoder = self._encoders[key] = Encoder(ffmpeg, out_w, out_h)
        jpeg = await encoder.encode(raw)
        self._last[key] = ((tick, view), jpeg)
        return jpeg

    async def aclose(self) -> None:
        """Stop the encoders (server shutdown)."""
        encoders, self._encoders = list(self._encoders.values()), {}
        for encoder in encoders:
            await encoder.aclose()
