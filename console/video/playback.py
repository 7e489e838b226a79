"""A tile's playback of recorded video, without a screen: where it is, how fast, what to open.

The backend streams recorded MJPEG from a start time at a speed; the player cannot tell us
each frame's time, so the position is the start plus the wall-clock time since the first
frame, times the speed, walked through the recorded spans (a gap is skipped, as the backend
skips it). Seeking clamps into what is on disk: before the ring's edge → its edge, into a
gap → the next span, past the end → just before the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import quote, urlencode

from console.domain.recordings import Recording, Span, parse_recording

__all__ = ["PlaybackPosition", "Recording", "Span", "parse_recording", "playback_url"]

SPEEDS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)
STEP_S = 10.0  # the ±10 s buttons
REPLAY_S = 30.0  # instant replay goes this far back
EDGE = timedelta(seconds=2)  # a seek past the end lands this far before it (the head is live)
PlaybackProfile = Literal["main", "sub"]


def speed_text(speed: float) -> str:
    """ "½" for half speed, "2" for double: what the banner and the selector show."""
    return "½" if speed == 0.5 else f"{speed:g}"


def _segment(value: str) -> str:
    """A camera id as one URL path segment (no id may name another path)."""
    if value in ("", ".", ".."):
        raise ValueError(f"cannot play back a camera with the id {value!r}")
    return quote(value, safe="")


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def playback_url(
    base_url: str, camera: str, start: datetime, speed: float, profile: PlaybackProfile = "sub"
) -> str:
    """The MJPEG to open for recorded time `start` at `speed`."""
    if speed not in SPEEDS:
        raise ValueError(f"speed {speed} is not one of {SPEEDS}")
    query = urlencode({"start": _iso(start), "speed": f"{speed:g}", "profile": profile})
    return f"{base_url.rstrip('/')}/api/v1/cameras/{_segment(camera)}/playback.mjpeg?{query}"


def clip_url(
    base_url: str, camera: str, start: datetime, end: datetime, profile: PlaybackProfile = "main"
) -> str:
    """The Matroska clip of [start, end) (for an export; the tile does not play it)."""
    if end <= start:
        raise ValueError("a clip ends before it starts")
    query = urlencode({"start": _iso(start), "end": _iso(end), "profile": profile})
    return f"{base_url.rstrip('/')}/api/v1/cameras/{_segment(camera)}/clip.mkv?{query}"


def clamp(recording: Recording, when: datetime, now: datetime | None = None) -> datetime | None:
    """The recorded moment nearest after `when` (None: nothing is recorded)."""
    earliest = recording.earliest(now)
    if earliest is None:
        return None
    when = max(when, earliest)
    for span in recording.spans:
        if when < span.end:
            return max(when, span.start)  # inside this span, or in the gap before it
    last = recording.spans[-1]
    return max(last.start, earliest, last.end - EDGE)


def advance(recording: Recording, start: datetime, seconds: float) -> datetime:
    """`start` moved on by `seconds` of recorded video, skipping gaps; stops at the end."""
    left = timedelta(seconds=max(0.0, seconds))
    when = start
    for span in recording.spans:
        if span.end <= when:
            continue
        when = max(when, span.start)
        if when + left <= span.end:
            return when + left
        left -= span.end - when
        when = span.end
    return when


@dataclass
class PlaybackPosition:
    """Where playback is: an anchor in recorded time, started at a clock reading.

    `anchor_clock` is None until the stream's first frame: the picture has not moved yet.
    Clock readings are seconds of a monotonic clock; `now` is wall time (UTC-aware).
    """

    recording: Recording
    anchor: datetime
    speed: float = 1.0
    paused: bool = False
    anchor_clock: float | None = None

    @classmethod
    def replay(cls, recording: Recording, now: datetime) -> PlaybackPosition | None:
        """Instant replay: REPLAY_S ago (None: nothing recorded)."""
        return cls.at_time(recording, now - timedelta(seconds=REPLAY_S), now)

    @classmethod
    def at_time(
        cls, recording: Recording, when: datetime, now: datetime
    ) -> PlaybackPosition | None:
        """ "Go to time T" (an incident's time, a time the operator typed)."""
        start = clamp(recording, when, now)
        return None if start is None else cls(recording, start)

    def at(self, clock: float) -> datetime:
        """The recorded time on screen now."""
        if self.paused or self.anchor_clock is None:
            return self.anchor
        return advance(self.recording, self.anchor, (clock - self.anchor_clock) * self.speed)

    def started(self, clock: float) -> None:
        """The first frame arrived: recorded time starts moving from here."""
        self.anchor_clock = clock

    def seek(self, when: datetime, clock: float, now: datetime) -> datetime:
        """Go to `when` (clamped into the recordings); the stream must be reopened there."""
        self.anchor = clamp(self.recording, when, now) or self.anchor
        self.anchor_clock = None
        return self.anchor

    def step(self, seconds: float, clock: float, now: datetime) -> datetime:
        """±STEP_S buttons: from the time on screen, into the recordings."""
        here = self.at(clock)
        if seconds >= 0:
            return self.seek(advance(self.recording, here, seconds), clock, now)
        target = here + timedelta(seconds=seconds)
        before = [span for span in self.recording.spans if span.start <= target]
        if before and target >= before[-1].end:  # back across a gap: the end of the span before
            target = max(before[-1].start, before[-1].end - EDGE)
        return self.seek(target, clock, now)

    def set_speed(self, speed: float, clock: float) -> None:
        """A new speed from the time on screen (the stream is reopened at that speed)."""
        if speed not in SPEEDS:
            raise ValueError(f"speed {speed} is not one of {SPEEDS}")
        self.anchor, self.anchor_clock, self.speed = self.at(clock), None, speed

    def pause(self, clock: float) -> None:
        self.anchor, self.anchor_clock, self.paused = self.at(clock), None, True

    def resume(self) -> None:
        self.paused, self.anchor_clock = False, None

    def set_recording(self, recording: Recording, clock: float) -> None:
        """Fresh recordings (the ring moved on): keep the time on screen."""
        here = self.at(clock)
        self.recording = recording
        if self.anchor_clock is not None:
            self.anchor, self.anchor_clock = here, clock

    def url(self, base_url: str, camera: str, profile: PlaybackProfile = "sub") -> str:
        return playback_url(base_url, camera, self.anchor, self.speed, profile)
