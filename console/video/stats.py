"""What a tile's decoder reports: frames received and shown, and how many were lost.

Counting frames one by one would mean a Python call per frame on the GUI thread, which is
the cost the video path exists to avoid. The newest frame's timestamp says the same: how far
the stream has advanced since it started, times its frame rate.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_FPS = 25.0


@dataclass(frozen=True)
class PlayerStats:
    decoded: int  # frames received from the stream so far
    shown: int  # frames drawn (fewer on the budget's lower frame rate)
    dropped: int | None  # frames the decoder lost (None: this engine does not say)


class FrameCounter:
    """Frames since the stream started, read from samples of its newest frame."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.count, self._base = 0, 0
        self._first_us: int | None = None
        self._last_us = -1
        self._last: object = None

    def see(self, start_us: int, fps: float, id_of: object) -> int:
        """`start_us` is the frame's stream time (-1 unknown); `id_of` tells frames apart."""
        if start_us < 0:
            if id_of != self._last:  # no timestamps: at least count each new frame seen
                self.count += 1
        elif self._first_us is None or start_us < self._last_us:
            self._base, self._first_us = self.count, start_us  # first frame, or time restarted
            self.count += 1
        else:
            elapsed = (start_us - self._first_us) / 1_000_000
            self.count = max(self.count, self._base + round(elapsed * (fps or DEFAULT_FPS)) + 1)
        self._last_us, self._last = start_us, id_of
        return self.count
