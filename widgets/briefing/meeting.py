"""The presenter's side of a meeting: each change of slide, freeze, blank or ink becomes
one retained state on the broker, so every seat shows what the room sees.

Publishing never waits: while the broker is away only the newest state is kept, and the
deck and the last state are published again on every reconnection (a broker that lost
its store gets them back). The seats follow; nothing here waits for them.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Iterable

from PySide6.QtCore import QObject

from console.nodes.link import Outgoing
from console.nodes.meeting import MeetingDeck, MeetingState, decode_meeting, fit_ink
from console.nodes.messages import encode
from console.nodes.site import open_link
from console.nodes.topics import Topics
from console.site.broker import Broker
from widgets.briefing.annotation import line_of
from widgets.briefing.presenter import PresenterSession

log = logging.getLogger(__name__)


async def stop_tasks(tasks: Iterable[asyncio.Task[None]]) -> None:
    """Cancel the meeting's link tasks and wait until they end."""
    tasks = list(tasks)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class MeetingPublisher(QObject):
    """Publishes a presenter session's state to `Topics.meeting(name, "state")`."""

    def __init__(
        self,
        session: PresenterSession,
        name: str,
        broker: Broker,
        topics: Topics,
        deck: MeetingDeck,
    ) -> None:
        super().__init__(session)
        self.session, self.name, self.deck = session, name, deck
        self.state_topic = topics.meeting(name, "state")
        self.deck_topic = topics.meeting(name, "deck")
        self.id = uuid.uuid4().hex[:16]
        # Above what an earlier session on another laptop sent, in all likelihood; a
        # retained state with a higher seq is heard at connection and raises it anyway.
        self.seq = int(time.time() * 1000)
        self.last: MeetingState | None = None
        self.published_at = 0.0  # time.perf_counter() of the last state, for measurements
        self.link = open_link(
            broker,
            [self.state_topic],
            self._heard,
            births=self._births,
            on_state=self._link_state,
            name=f"presenter-{name}",
        )
        session.slideChanged.connect(self.publish_state)
        session.stateChanged.connect(self.publish_state)
        session.annotations.changed.connect(self._ink_changed)

    async def run(self) -> None:
        """Until cancelled: stay connected and send what changes."""
        await self.link.run()

    def current(self) -> MeetingState | None:
        """The state the audience sees now (None before the first slide)."""
        session = self.session
        if session.index < 0:
            return None
        lines = map(line_of, session.annotations.strokes(session.index))
        strokes = [(points, colour, width, opacity) for colour, opacity, width, points in lines]
        return MeetingState(
            meeting=self.name,
            seq=self.seq + 1,
            presenter=self.id,
            deck=self.deck.digest,
            title=session.deck.title[:200],
            slide=session.index,
            slides=len(session.deck.slides),
            frozen=session.audience.frozen_at is not None,
            blank=session.blank,
            ink=fit_ink(strokes),
        )

    def publish_state(self) -> None:
        """Send the state if it shows something new (a slide change also sets blank)."""
        state = self.current()
        if state is None or state.same_view(self.last):
            return
        self.seq, self.last = state.seq, state
        self.link.publish(Outgoing(self.state_topic, encode(state), coalesce=True))
        self.published_at = time.perf_counter()

    def _ink_changed(self, slide: int) -> None:
        if slide == self.session.index:
            self.publish_state()

    def _births(self) -> list[Outgoing]:
        sent = [Outgoing(self.deck_topic, encode(self.deck))]
        if self.last is not None:
            sent.append(Outgoing(self.state_topic, encode(self.last)))
        return sent

    def _heard(self, topic: str, payload: bytes, retained: bool) -> None:
        """A retained state of an earlier session: continue above its seq, at once."""
        state = decode_meeting(MeetingState, payload, topic, self.name)
        if state is None or state.presenter == self.id:
            return
        if not retained:
            log.warning("meeting %s: another presenter (%s) is presenting", self.name, topic)
        elif state.seq >= self.seq:
            self.seq, self.last = state.seq, None
            self.publish_state()

    def _link_state(self, up: bool, detail: str) -> None:
        if up:
            notice = self.tr("Meeting “{name}”: the seats follow this presentation")
        else:
            notice = self.tr(
                "Meeting “{name}”: broker away ({detail}), reconnecting; seats keep the last slide"
            )
        self.session.presenter.show_notice(notice.format(name=self.name, detail=detail))
