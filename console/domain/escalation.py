"""Alarms that are heard until someone acts: repeat, then escalate, until acknowledged.

Pure state with an injectable clock. An alarmed incident sounds when raised, again
every `repeat_s` while it is still unacknowledged, and once it has waited
`escalate_after_s` it escalates: louder, highlighted, and the leader is told (once).
It falls silent as soon as anyone acknowledges it (here, on another console, or by the
backend's own workflow) — the console asks `is_waiting` before every repeat.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from console.domain.records import PRIORITY_RANK, Incident, Priority


@dataclass(frozen=True)
class Sounding:
    """One moment an alarm must be heard."""

    incident_id: str
    priority: Priority
    escalated: bool  # louder, highlighted
    first_escalation: bool  # the moment the leader is told


@dataclass
class _Watched:
    priority: Priority
    raised_at: float
    sounded_at: float
    escalated: bool = False


@dataclass
class AlarmWatch:
    repeat_s: float = 60.0
    escalate_after_s: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _watched: dict[str, _Watched] = field(default_factory=dict)
    _escalated: set[str] = field(default_factory=set)

    def track(self, incidents: Iterable[Incident]) -> None:
        """Alarmed incidents to follow until acknowledged (the alarm itself sounded now)."""
        now = self.clock()
        for incident in incidents:
            if incident.id not in self._watched:
                self._watched[incident.id] = _Watched(incident.priority, now, now)

    def silence(self, incident_id: str) -> None:
        """Acknowledged (here, elsewhere, or by the backend): no more sound for it."""
        watched = self._watched.pop(incident_id, None)
        if watched is not None and watched.escalated:
            self._escalated.discard(incident_id)

    def waiting(self) -> list[str]:
        return list(self._watched)

    def escalated(self) -> frozenset[str]:
        return frozenset(self._escalated)

    def is_escalated(self, incident_id: str) -> bool:
        return incident_id in self._escalated

    def due(self, is_waiting: Callable[[str], bool]) -> list[Sounding]:
        """What must sound now. Only those due are asked `is_waiting` (a burst leaves
        thousands followed; asking each every second would freeze the wall): one
        acknowledged meanwhile is forgotten then, if nobody silenced it before."""
        now = self.clock()
        soundings = []
        for key, watched in list(self._watched.items()):
            escalate = not watched.escalated and now - watched.raised_at >= self.escalate_after_s
            if not escalate and now - watched.sounded_at < self.repeat_s:
                continue
            if not is_waiting(key):
                self.silence(key)
                continue
            if escalate:
                watched.escalated = True
                self._escalated.add(key)
            watched.sounded_at = now
            soundings.append(Sounding(key, watched.priority, watched.escalated, escalate))
        return soundings


def loudest(soundings: Iterable[Sounding]) -> Sounding | None:
    """A burst is one sound: the escalated before the rest, then the most urgent."""
    return max(soundings, key=lambda s: (s.escalated, PRIORITY_RANK[s.priority]), default=None)
