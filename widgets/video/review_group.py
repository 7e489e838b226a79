"""Synchronised review: the cameras nearest an incident play its past together.

The spot tiles each play back from the incident's time; whatever the operator does on
one tile's timeline (seek, ±10 s, pause, speed, Live) the group does on the others, so
the tiles stay on one recorded moment. Every relayed seek goes to the position of the
tile the operator touched, not a relative step, so small differences do not add up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QObject

from widgets.video.playback_mode import PlaybackMode

log = logging.getLogger(__name__)


class ReviewGroup(QObject):
    """Members' timelines drive each other until one goes back to live."""

    def __init__(self, members: Sequence[PlaybackMode], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.members = list(members)
        self._relaying = False
        for member in self.members:
            line = member.timeline
            line.seekRequested.connect(lambda _when, m=member: self._follow(m))
            line.stepRequested.connect(lambda _s, m=member: self._follow(m))
            line.speedChosen.connect(lambda speed, m=member: self._relay(m, "speed", speed))
            line.pauseToggled.connect(lambda m=member: self._relay(m, "pause", None))
            line.liveRequested.connect(lambda m=member: self._relay(m, "live", None))

    def start(self, when: datetime) -> None:
        for member in self.members:
            member.play_from(when)
        log.info("review of %d cameras from %s", len(self.members), when.isoformat())

    def _follow(self, leader: PlaybackMode) -> None:
        """After the leader's own seek or step: the others go to where it now is."""
        where = leader.position.at(time.monotonic()) if leader.position is not None else None
        if where is not None:
            self._relay(leader, "seek", where)

    def _relay(self, leader: PlaybackMode, what: str, value: object) -> None:
        if self._relaying:
            return
        self._relaying = True
        try:
            for member in self.members:
                if member is leader or not member.active:
                    continue
                if what == "seek" and isinstance(value, datetime):
                    member.seek(value)
                elif what == "speed" and isinstance(value, float | int):
                    member.set_speed(float(value))
                elif what == "pause" and member.position is not None and leader.position:
                    if member.position.paused != leader.position.paused:
                        member.toggle_pause()
                elif what == "live":
                    member.back_to_live()
        finally:
            self._relaying = False

    def drift(self) -> timedelta:
        """The widest gap in recorded time between the members now playing."""
        clock = time.monotonic()
        here = [m.position.at(clock) for m in self.members if m.active and m.position]
        return max(here) - min(here) if len(here) > 1 else timedelta(0)
