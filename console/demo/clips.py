"""Camera clips: short looping JPEG sequences made once with ffmpeg and cached on disk.

Generation runs in ffmpeg child processes (never on the event loop), at most one per
core, the default wall's first camera first; a stream asks for its frames and waits
only for its own clip. Clips live under the user cache directory, keyed by a hash
of everything that shapes them, so a changed clip spec never reuses stale frames.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from console.demo.catalog import CameraSpec
from console.waiting import wait_set

log = logging.getLogger(__name__)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
CLIP_VERSION = 1
Key = tuple[str, str]  # (camera id, profile)


class VideoUnavailable(Exception):
    """The clip cannot be served (no ffmpeg, generation failed, or not ready in time)."""


@dataclass(frozen=True)
class ClipJob:
    """One camera's clip, rendered once at the largest size and scaled for the others."""

    camera_id: str
    pattern: str
    label: str
    sizes: tuple[tuple[str, int, int], ...]  # (profile, width, height), largest first


def default_cache_root() -> Path:
    return Path(platformdirs.user_cache_dir("ioc-console")) / "demo-video"


class ClipStore:
    """Generates, caches and hands out the JPEG frames of every camera and profile."""

    def __init__(
        self,
        cameras: Sequence[CameraSpec],
        profiles: Iterable[tuple[str, tuple[int, int]]],
        fps: float,
        seconds: float = 2.0,
        cache_root: Path | None = None,
    ) -> None:
        self.fps = fps
        self.seconds = seconds
        self._font = FONT_DIR / "DejaVuSans-Bold.ttf"
        has_font = self._font.exists()
        sizes = tuple(sorted(((n, w, h) for n, (w, h) in profiles), key=lambda s: -s[1]))
        # The default wall shows the first camera big: it is made first.
        self._jobs = [ClipJob(c.id, c.pattern, f"{c.id} · {c.name}", sizes) for c in cameras]
        spec = [CLIP_VERSION, fps, seconds, has_font, [list(vars(j).values()) for j in self._jobs]]
        digest = hashlib.sha256(json.dumps(spec, ensure_ascii=False).encode()).hexdigest()[:12]
        self.version = f"v{CLIP_VERSION}-{digest}"
        self.directory = (cache_root or default_cache_root()) / self.version
        self._ready = {j.camera_id: asyncio.Event() for j in self._jobs}
        self._errors: dict[str, str] = {}
        self._frames: dict[Key, list[bytes]] = {}
        self.generation_s: float | None = None  # wall time of the last `prepare`
        self.generated = 0  # clips made by ffmpeg (the others came from the cache)

    def _path(self, key: Key) -> Path:
        return self.directory / key[0] / key[1]

    def _has_frames(self, key: Key) -> bool:
        return any(self._path(key).glob("*.jpg"))

    async def prepare(self) -> None:
        """Make every clip missing from the cache, one ffmpeg process per core."""
        started = time.perf_counter()
        ffmpeg = shutil.which("ffmpeg")
        gate = asyncio.Semaphore(max(1, os.cpu_count() or 1))

        async def one(job: ClipJob) -> None:
            try:
                if not all(self._has_frames((job.camera_id, n)) for n, _, _ in job.sizes):
                    if ffmpeg is None:
                        raise VideoUnavailable("ffmpeg is not installed")
                    async with gate:
                        await self._generate(ffmpeg, job)
                        self.generated += 1
            except (OSError, VideoUnavailable) as error:
                self._errors[job.camera_id] = str(error)
                log.warning("demo clip for %s failed: %s", job.camera_id, error)
            finally:
                self._ready[job.camera_id].set()

        async with asyncio.TaskGroup() as group:
            for job in self._jobs:
                group.create_task(one(job))
        self.generation_s = time.perf_counter() - started
        log.info(
            "demo clips ready in %.2f s (%d generated, %d cached) under %s",
            self.generation_s,
            self.generated,
            len(self._jobs) - self.generated,
            self.directory,
        )

    def _command(self, ffmpeg: str, job: ClipJob) -> list[str]:
        _, width, height = job.sizes[0]
        size = height // 20
        chain = []
        if self._font.exists():
            # Texts go through files: no filter-graph escaping of Vietnamese or punctuation.
            chain += [
                f"drawtext=fontfile={self._font}:textfile=label.txt:expansion=none"
                f":fontsize={size}:fontcolor=white:box=1:boxcolor=black@0.55"
                f":boxborderw={size // 3}:x={size}:y={size}",
                # A dot crossing the frame once per loop: a frozen stream is obvious.
                f"drawtext=fontfile={self._font}:textfile=dot.txt:expansion=none"
                f":fontsize={size}:fontcolor=red:x=(w-tw)*t/{self.seconds:g}:y=h-th-{size}",
            ]
        names = [name for name, _, _ in job.sizes]
        chain.append(f"split={len(names)}" + "".join(f"[s{i}]" for i in range(len(names))))
        graph = [",".join(chain)]
        outputs: list[str] = []
        for i, (name, w, h) in enumerate(job.sizes):
            graph.append(f"[s{i}]scale={w}:{h}[{name}]" if (w, h) != (width, height) else "")
            label = f"[{name}]" if (w, h) != (width, height) else f"[s{i}]"
            outputs += ["-map", label, "-q:v", "5", f"{name}/%03d.jpg"]
        return [
            ffmpeg,
            *("-nostdin", "-hide_banner", "-loglevel", "error", "-threads", "1"),
            *("-filter_threads", "1", "-t", f"{self.seconds:g}", "-f", "lavfi"),
            *("-i", f"{job.pattern}=s={width}x{height}:r={self.fps:g}"),
            *("-filter_complex", ";".join(part for part in graph if part)),
            *outputs,
        ]

    async def _generate(self, ffmpeg: str, job: ClipJob) -> None:
        """Run ffmpeg into a private directory, then move each profile's frames into place."""
        self.directory.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{job.camera_id}-", dir=self.directory))
        try:
            for name, _, _ in job.sizes:
                (work / name).mkdir()
            (work / "label.txt").write_text(job.label, encoding="utf-8")
            (work / "dot.txt").write_text("●", encoding="utf-8")
            process = await asyncio.create_subprocess_exec(
                *self._command(ffmpeg, job),
                cwd=work,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            try:
                _, stderr = await process.communicate()
            except asyncio.CancelledError:
                process.kill()  # server stopping: do not leave ffmpeg running
                await process.wait()
                raise
            if process.returncode != 0:
                message = stderr.decode(errors="replace").strip()[-300:]
                raise VideoUnavailable(f"ffmpeg failed ({process.returncode}): {message}")
            for name, _, _ in job.sizes:
                key = (job.camera_id, name)
                self._path(key).parent.mkdir(parents=True, exist_ok=True)
                try:
                    (work / name).rename(self._path(key))
                except OSError:
                    if not self._has_frames(key):
                        raise  # not another process winning the same race: a real failure
        finally:
            shutil.rmtree(work, ignore_errors=True)

    async def frames(self, camera_id: str, profile: str, timeout: float = 60.0) -> list[bytes]:
        """The clip's frames, waiting for generation if needed; raises VideoUnavailable."""
        key = (camera_id, profile)
        if key in self._frames:
            return self._frames[key]
        ready = self._ready.get(camera_id)
        if ready is None or not any(name == profile for name, _, _ in self._jobs[0].sizes):
            raise VideoUnavailable(f"no clip for {camera_id}/{profile}")
        if not await wait_set(ready, timeout):
            raise VideoUnavailable("the video is still being prepared; try again")
        if camera_id in self._errors:
            raise VideoUnavailable(f"video unavailable: {self._errors[camera_id]}")
        if key not in self._frames:
            # A few hundred kB to a few MB, read once per clip on first use.
            paths = sorted(self._path(key).glob("*.jpg"))
            self._frames[key] = [path.read_bytes() for path in paths]
        return self._frames[key]

    @property
    def total(self) -> int:
        return len(self._jobs)

    @property
    def ready_count(self) -> int:
        return sum(1 for event in self._ready.values() if event.is_set())
