"""The wall's health in figures an operator can read: per tile, frames per second received
and shown, decoder, profile and frames lost; for the wall, the console's CPU.

Rates come from counters sampled now and then (never per frame): the difference between two
samples over the time between them. Pure; widgets/video/wall_health.py samples and shows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from console.video.stats import PlayerStats


@dataclass(frozen=True)
class TileFacts:
    """What a tile says about itself when sampled."""

    name: str
    state: str
    profile: str  # sub, main, ... ("" while stopped)
    decoder: str
    stats: PlayerStats


@dataclass(frozen=True)
class TileReading:
    facts: TileFacts
    received_fps: float
    shown_fps: float
    lost: int | None  # frames lost since the previous sample (None: the engine does not say)

    def words(self) -> str:
        """One line for the tile's overlay, e.g. "25.0/25.0 fps · software · sub · 0 lost"."""
        facts = self.facts
        parts = [f"{self.shown_fps:.1f}/{self.received_fps:.1f} fps", facts.decoder, facts.profile]
        if self.lost is not None:
            parts.append(f"{self.lost} lost")
        return " · ".join(part for part in parts if part)


class Rates:
    """Rates per tile between successive samples; a tile seen first reads 0 fps."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last: dict[Hashable, tuple[float, PlayerStats]] = {}

    def read(self, key: Hashable, facts: TileFacts) -> TileReading:
        now, stats = self._clock(), facts.stats
        before = self._last.get(key)
        self._last[key] = (now, stats)
        if before is None or now <= before[0] or stats.decoded < before[1].decoded:
            return TileReading(facts, 0.0, 0.0, None if stats.dropped is None else 0)
        seconds, old = now - before[0], before[1]
        lost = None
        if stats.dropped is not None:
            lost = max(0, stats.dropped - (old.dropped or 0))
        return TileReading(
            facts,
            (stats.decoded - old.decoded) / seconds,
            max(0, stats.shown - old.shown) / seconds,
            lost,
        )

    def forget_except(self, keys: set[Hashable]) -> None:
        for key in set(self._last) - keys:
            del self._last[key]


class CpuMeter:
    """Cores this process used since the previous reading (1.0 = one core busy)."""

    def __init__(self) -> None:
        self._last = (time.monotonic(), time.process_time())

    def cores(self) -> float:
        now = (time.monotonic(), time.process_time())
        wall, cpu = now[0] - self._last[0], now[1] - self._last[1]
        self._last = now
        return cpu / wall if wall > 0 else 0.0


def summary(readings: Sequence[TileReading], cores: float) -> str:
    live = sum(1 for reading in readings if reading.facts.state == "live")
    return f"{live}/{len(readings)} tiles live · CPU {cores:.2f} cores"


def log_lines(readings: Sequence[TileReading], cores: float) -> list[str]:
    """For the log every few minutes: the summary, then one line per tile."""
    tiles = [f"  {r.facts.name} [{r.facts.state}]: {r.words()}" for r in readings]
    return ["wall health: " + summary(readings, cores), *tiles]
