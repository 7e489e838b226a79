"""Alarm routing: which new incidents reach the "spot" area, and how often.

Rules come from the layout (`alarms:` of an incidents panel). At most one alarm is
raised every `interval_s`; what matches in between is coalesced into the next alarm,
which names its most urgent incident and counts the rest, so a burst is one alarm,
not a storm of pop-ups. A pinned alarm stays; newer ones wait behind it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from console.domain import geo
from console.domain.records import (
    PRIORITY_RANK,
    Camera,
    CameraStatus,
    Category,
    Incident,
    IncidentStatus,
    Priority,
    Source,
)


class AlarmRule(BaseModel):
    """e.g. `{priority_at_least: high, categories: [security]}`; empty lists match all."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    priority_at_least: Priority = Priority.HIGH
    categories: tuple[Category, ...] = ()
    sources: tuple[Source, ...] = ()
    districts: tuple[str, ...] = Field((), description="District names as the backend spells them")

    def matches(self, incident: Incident) -> bool:
        return (
            PRIORITY_RANK[incident.priority] >= PRIORITY_RANK[self.priority_at_least]
            and (not self.categories or incident.category in self.categories)
            and (not self.sources or incident.source in self.sources)
            and (not self.districts or incident.district in self.districts)
        )


@dataclass(frozen=True)
class Alarm:
    """One alarm: its headline incident and every incident it stands for."""

    incidents: tuple[Incident, ...]

    @cached_property
    def headline(self) -> Incident:
        return max(self.incidents, key=lambda i: (PRIORITY_RANK[i.priority], i.created_at))

    @property
    def count(self) -> int:
        return len(self.incidents)

    def merged(self, other: Alarm) -> Alarm:
        return Alarm(self.incidents + other.incidents)


@dataclass
class AlarmRouter:
    """Pure state: feed it new incidents and a clock tick; it says what to show."""

    rules: Sequence[AlarmRule]
    interval_s: float = 10.0
    clock: Callable[[], float] = time.monotonic
    current: Alarm | None = None
    pinned: bool = False
    waiting: Alarm | None = None  # matched but not yet shown (rate limit or pin)
    _last_raised: float = -math.inf
    _seen: set[str] = field(default_factory=set)

    def offer(self, incidents: Iterable[Incident]) -> Alarm | None:
        """New incidents; returns the alarm to show now, or None (nothing, or it waits)."""
        fresh = tuple(
            i
            for i in incidents
            if i.id not in self._seen
            and i.status is not IncidentStatus.RESOLVED
            and self.matches(i)
        )
        self._seen.update(i.id for i in fresh)
        if len(self._seen) > 100_000:
            self._seen = {i.id for i in fresh}
        if fresh:
            batch = Alarm(fresh)
            self.waiting = batch if self.waiting is None else self.waiting.merged(batch)
        return self.tick()

    def matches(self, incident: Incident) -> bool:
        """Whether any rule sends this incident to the alarm spot."""
        return any(rule.matches(incident) for rule in self.rules)

    def tick(self) -> Alarm | None:
        """Call now and then: raises what waits once the interval has passed."""
        if self.waiting is None or self.pinned:
            return None
        if self.clock() - self._last_raised < self.interval_s:
            return None
        return self._raise()

    def _raise(self) -> Alarm | None:
        self.current, self.waiting = self.waiting, None
        self._last_raised = self.clock()
        return self.current

    def pin(self, pinned: bool = True) -> Alarm | None:
        """Keep the alarm on screen; unpinning lets what waits through (rate limit kept)."""
        self.pinned = pinned and self.current is not None
        return None if self.pinned else self.tick()

    def dismiss(self) -> Alarm | None:
        """The operator has seen it: show what waits at once (their own pace), or nothing."""
        self.pinned = False
        self.current = None
        return self._raise() if self.waiting is not None else None


def nearest_cameras(cameras: Iterable[Camera], lat: float, lon: float, n: int = 4) -> list[Camera]:
    """The n online cameras nearest a place, nearest first; none for an unknown place (0, 0)."""
    if lat == 0 and lon == 0:
        return []
    online = [c for c in cameras if c.status is CameraStatus.ONLINE]
    return [camera for camera, _ in geo.nearest_cameras(online, lat, lon, n)]
