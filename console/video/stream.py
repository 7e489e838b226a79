"""What a tile's stream supervisor and its view share: states, reasons, the decoder driven.

Reasons are codes, not words: the view puts them in the operator's language.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, Protocol

State = Literal["connecting", "live", "stalled", "offline", "error"]
RUNNING: tuple[State, ...] = ("connecting", "live", "stalled")  # a player may be playing


class Reason(StrEnum):
    """Why the tile shows words instead of video (NONE: it shows video)."""

    NONE = ""
    WAITING_FOR_LIST = "waiting-for-list"
    UNKNOWN_CAMERA = "unknown-camera"
    CAMERA_OFFLINE = "camera-offline"
    NO_STREAM = "no-stream"  # the backend lists the camera but no stream to play
    NO_VIDEO = "no-video"
    RTSP_UNSUPPORTED = "rtsp-unsupported"
    ENDED = "ended"
    OPEN_FAILED = "open-failed"


class Decoder(Protocol):
    """What the supervisor drives: the view's video host, or a fake in tests."""

    @property
    def generation(self) -> int: ...
    @property
    def engine(self) -> str | None: ...
    def play(
        self, url: str, caching_ms: int, forced: str = "auto", low_fps: bool = False
    ) -> None: ...
    def stop(self) -> None: ...
    def frames_decoded(self) -> int: ...
