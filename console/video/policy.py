"""A tile's pure choices: which stream covers it, which tiers it can step down through, and
how long to wait before reconnecting. Plain functions, so they are tested without a player.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QSize

from console.domain.records import Camera
from console.video.budget import Tier

Profile = Literal["main", "sub"]


@dataclass(frozen=True)
class Timing:
    """Reconnect and stall timings; tests shorten them, operators never need to."""

    stall_after_s: float = 4.0  # no new frame for this long while live → stalled
    connect_timeout_s: float = 12.0  # no first frame for this long → offline, retry
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 30.0
    tick_ms: int = 250
    still_refresh_s: float = 5.0  # the budget's last tier: one picture this often


def backoff_delay(attempt: int, timing: Timing, rng: random.Random) -> float:
    """Exponential backoff with 'equal jitter': never 0, never above the cap."""
    ceiling = min(timing.backoff_cap_s, timing.backoff_base_s * 2.0**attempt)
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def choose_profile(camera: Camera, wanted: str, tile: QSize) -> Profile:
    """`auto`: the smallest stream that covers the tile (20 % upscaling allowed), else the largest.

    Decoding a main stream for a small tile costs 3-6x the CPU for no visible gain.
    """
    for name in camera.streams:
        if name == wanted:
            return name
    streams = camera.streams
    by_area = sorted(streams, key=lambda name: streams[name].width * streams[name].height)
    for name in by_area:
        stream = streams[name]
        if stream.width * 1.2 >= tile.width() and stream.height * 1.2 >= tile.height():
            return name
    return by_area[-1]


def budget_tiers(camera: Camera, wanted: Profile, still_refresh_s: float) -> list[Tier]:
    """The tiers a tile can step down through, best first, with their decode cost."""

    def cost(name: Profile, fps_share: float = 1.0) -> float:
        stream = camera.streams[name]
        return stream.width * stream.height * stream.fps * fps_share

    smallest = min(camera.streams, key=lambda n: camera.streams[n].width * camera.streams[n].height)
    tiers = [Tier(wanted, cost=cost(wanted))]
    if smallest != wanted:
        tiers.append(Tier(smallest, cost=cost(smallest)))
    fps = camera.streams[smallest].fps or 25.0
    tiers.append(Tier(smallest, low_fps=True, cost=cost(smallest, 0.5)))
    tiers.append(Tier(smallest, still=True, cost=cost(smallest, 1 / (fps * still_refresh_s))))
    return tiers
