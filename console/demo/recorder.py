"""The demo's recorder: when each camera was recording, over a ring of the last hours.

The demo's video is a deterministic function of wall-clock time (see `video.frame_index`),
so a recording needs no frames on disk: only the spans of time the camera was online.
Those spans are kept per camera in a small JSON file, rewritten atomically at most every
few seconds; spans older than the ring are dropped, so the files stay bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from console.demo.province import Province
from console.domain.records import CameraStatus

log = logging.getLogger(__name__)

Span = tuple[float, float]  # [start, end) in epoch seconds
RETENTION_S = 7200.0
POLL_S = 0.25  # how finely an outage's edges are known
FLUSH_S = 5.0  # at most one rewrite of the span files per this many seconds
OPEN = math.inf  # the end of a span still being recorded


def merged(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans with overlapping or touching ones joined."""
    out: list[Span] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


class Recorder:
    """Per camera, the spans it recorded (was online) within the last `retention_s`."""

    def __init__(
        self,
        province: Province,
        directory: Path,
        retention_s: float = RETENTION_S,
        seed: Mapping[str, Iterable[Span]] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.province = province
        self.directory = directory
        self.retention_s = retention_s
        self.clock = clock
        self.started = clock()  # the demo's past begins here
        self._spans: dict[str, list[Span]] = {}
        self._dirty: set[str] = set()
        self._last_flush = 0.0
        for camera in province.cameras(""):
            online = province.camera_status(camera.id) is CameraStatus.ONLINE
            self._spans[camera.id] = [(self.started, OPEN)] if online else []
            self._dirty.add(camera.id)
        for camera_id, spans in (seed or {}).items():
            self.seed(camera_id, spans)

    def seed(self, camera_id: str, spans: Iterable[Span]) -> None:
        """Add past spans (tests: gaps and the ring's edge without waiting hours)."""
        self._spans[camera_id] = merged([*self._spans.get(camera_id, []), *spans])
        self._dirty.add(camera_id)

    def known(self, camera_id: str) -> bool:
        return camera_id in self._spans

    def ring_start(self, now: float | None = None) -> float:
        return (self.clock() if now is None else now) - self.retention_s

    def observe(self) -> None:
        """Open or close spans for cameras whose status changed, and drop what left the ring."""
        now = self.clock()
        for camera_id, spans in self._spans.items():
            online = self.province.camera_status(camera_id) is CameraStatus.ONLINE
            recording = bool(spans) and spans[-1][1] == OPEN
            if online and not recording:
                spans.append((now, OPEN))
            elif recording and not online:
                spans[-1] = (spans[-1][0], now)
            edge = self.ring_start(now)
            while spans and spans[0][1] <= edge:  # wholly out of the ring; `spans()` clips
                spans.pop(0)
                self._dirty.add(camera_id)
            if online != recording:
                self._dirty.add(camera_id)

    def spans(self, camera_id: str, start: float, end: float) -> list[Span]:
        """The recorded spans clipped to [start, end), ascending; an open span ends now."""
        now = self.clock()
        start = max(start, self.ring_start(now))
        out = []
        for s, e in self._spans.get(camera_id, []):
            s, e = max(s, start), min(e, end, now)
            if e > s:
                out.append((s, e))
        return out

    def next_recorded(self, camera_id: str, t: float) -> float | None:
        """`t` if recorded (or being recorded) then, else the next span's start, or None."""
        for s, e in self._spans.get(camera_id, []):
            if t < e:
                return max(t, s)
        return None

    def disk_bytes(self, camera_id: str | None = None) -> int:
        """Bytes the span files use: one camera's, or all of them."""
        names = [camera_id] if camera_id else list(self._spans)
        total = 0
        for name in names:
            with contextlib.suppress(OSError):  # not written yet
                total += self._path(name).stat().st_size
        return total

    def _path(self, camera_id: str) -> Path:
        return self.directory / f"{camera_id}.json"

    def _documents(self) -> dict[str, str]:
        docs = {}
        for camera_id in sorted(self._dirty):
            spans = self._spans.get(camera_id, [])
            closed = [[round(s, 3), round(e, 3)] for s, e in spans if e != OPEN]
            current = next((round(s, 3) for s, e in spans if e == OPEN), None)
            doc = {"camera": camera_id, "retention_s": self.retention_s, "spans": closed}
            docs[camera_id] = json.dumps({**doc, "recording_since": current})
        self._dirty.clear()
        return docs

    def _write(self, docs: dict[str, str]) -> None:
        """Write each file beside its target, then rename: a reader never sees half a file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for camera_id, text in docs.items():
            target = self._path(camera_id)
            temporary = target.with_suffix(".json.tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, target)

    async def flush(self) -> None:
        """Rewrite the changed span files, off the event loop."""
        docs = self._documents()
        if docs:
            try:
                await asyncio.to_thread(self._write, docs)
            except OSError as error:
                log.warning("demo recorder could not write %s: %s", self.directory, error)
        self._last_flush = self.clock()

    async def run(self) -> None:
        """Follow camera status until cancelled; the files are written once more at the end."""
        try:
            while True:
                self.observe()
                if self._dirty and self.clock() - self._last_flush >= FLUSH_S:
                    await self.flush()
                await asyncio.sleep(POLL_S)
        finally:
            self.observe()
            docs = self._documents()
            if docs:
                try:
                    self._write(docs)  # shutting down: nothing else runs on the loop
                except OSError as error:
                    log.warning("demo recorder could not write %s: %s", self.directory, error)
