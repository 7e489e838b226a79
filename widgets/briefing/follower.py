"""A seat of a meeting: the presenter's slide with its ink, within a blink of the state.

The deck comes over the broker too and is validated like a deck file, so a seat needs
no copy. The participant may page privately (arrows, PageUp/PageDown); Home follows the
presenter again. While the broker is away the last slide stays up and a banner says so;
the link comes back by itself. A message that is stale, malformed, oversized or about
another meeting is dropped (with a log line) and changes nothing on screen.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent

from console.layout.deck import Deck, DeckLoader
from console.layout.model import Layout
from console.layout.positions import LayoutInvalid
from console.nodes.meeting import InkStroke, MeetingDeck, MeetingState, decode_meeting
from console.nodes.site import open_link
from console.nodes.topics import Topics
from console.site.broker import Broker
from widgets.briefing.data import BriefingData
from widgets.briefing.follower_view import FollowerWindow
from widgets.briefing.presenter import NEXT_KEYS, PREVIOUS_KEYS

log = logging.getLogger(__name__)
FREEZE_WAIT_S = 5.0  # a seat that meets a frozen slide first lets its data arrive


class MeetingFollower(QObject):
    """Follows `Topics.meeting(name, …)`: the deck, then every newer state."""

    applied = Signal(object)  # the seq (an int past 2³¹) of a presenter state now on screen
    finished = Signal()

    def __init__(
        self,
        name: str,
        broker: Broker,
        topics: Topics,
        data: BriefingData,
        presets: Mapping[str, Layout],
        *,
        node: str | None = None,
        fullscreen: bool = True,
    ) -> None:
        super().__init__()
        self.name, self.broker, self.data = name, broker, data
        self.presets = dict(presets)
        self.fullscreen = fullscreen
        self.deck_topic = topics.meeting(name, "deck")
        self.state_topic = topics.meeting(name, "state")
        self.window = FollowerWindow(data.context)
        self.view = self.window.slide
        self.deck: Deck | None = None
        self.digest: str | None = None
        self.latest: MeetingState | None = None  # the newest valid state heard
        self.applied_seq = 0
        self.showing: tuple[str, int] | None = None  # (deck digest, slide) on screen
        self.private: int | None = None  # the slide paged to, while not following
        self.ink_seen: dict[int, list[InkStroke]] = {}  # the presenter's ink, by slide
        self.connected = self.was_connected = False
        self._freeze: asyncio.Task[None] | None = None
        self.link = open_link(
            broker,
            [self.deck_topic, self.state_topic],
            self.handle,
            on_state=self._link_state,
            name=f"seat-{node or 'guest'}",
        )
        self.window.setWindowTitle(self.tr("Meeting “{name}”").format(name=name))
        self.window.installEventFilter(self)

    # -- life ------------------------------------------------------------------
    def start(self) -> None:
        self.window.show_waiting(
            self.tr("Connecting to the meeting “{name}” at {url}…").format(
                name=self.name, url=self.broker.url
            )
        )
        if self.fullscreen:
            self.window.showFullScreen()
        else:
            self.window.resize(1280, 720)
            self.window.show()

    async def run(self) -> None:
        """Until cancelled: stay connected to the meeting."""
        await self.link.run()

    def close(self) -> None:
        if self._freeze is not None:
            self._freeze.cancel()
        self.window.removeEventFilter(self)
        self.view.dispose()
        self.window.close()
        self.window.deleteLater()

    # -- what the broker says ----------------------------------------------------
    def handle(self, topic: str, payload: bytes, _retained: bool = False) -> None:
        if topic == self.deck_topic:
            deck = decode_meeting(MeetingDeck, payload, topic, self.name)
            if deck is not None and deck.digest != self.digest:
                self._load_deck(deck)
        elif topic == self.state_topic:
            state = decode_meeting(MeetingState, payload, topic, self.name)
            if state is not None:
                self._state_heard(state)

    def _load_deck(self, message: MeetingDeck) -> None:
        try:
            deck = DeckLoader(f"meeting {self.name}", self.presets, message.text).load_deck()
        except LayoutInvalid as invalid:  # a deck on screen stays there
            log.warning("meeting %s: the deck is not valid here:\n%s", self.name, invalid)
            if self.deck is None:
                first = invalid.errors[0] if invalid.errors else ""
                self.window.show_waiting(
                    self.tr("The meeting's deck cannot be shown here: {error}").format(error=first)
                )
            return
        self.deck, self.digest = deck, message.digest
        self.private, self.showing = None, None
        self.ink_seen.clear()
        self.window.setWindowTitle(
            self.tr("{title} — meeting “{name}”").format(title=deck.title, name=self.name)
        )
        log.info("meeting %s: deck %r, %d slides", self.name, deck.title, len(deck.slides))
        self.view.prepare([slide.screen(self.presets) for slide in deck.slides])
        if self.latest is not None and self.latest.deck == self.digest:
            self._follow(self.latest)
        else:
            self.window.show_waiting(self.tr("Waiting for the presenter…"))
        self._update_banner()

    def _state_heard(self, state: MeetingState) -> None:
        newest = self.latest.seq if self.latest is not None else 0
        if state.seq <= newest:
            log.info(
                "meeting %s: ignored state %d, not newer than %d", self.name, state.seq, newest
            )
            return
        if (
            self.deck is not None
            and state.deck == self.digest
            and state.slide >= len(self.deck.slides)
        ):
            log.warning(
                "meeting %s: dropped state %d: no slide %d", self.name, state.seq, state.slide
            )
            return
        self.latest = state
        if self.deck is not None and state.deck == self.digest:
            self._follow(state)  # else it waits for its deck

    def _follow(self, state: MeetingState) -> None:
        if state.slide >= len(self.deck.slides if self.deck else []):
            return
        self.ink_seen[state.slide] = state.ink
        if self.private is not None:
            return  # kept for Home
        changed = self._show(state.slide)
        view = self.view
        if not state.frozen:
            view.unfreeze()
        elif view.frozen_at is None and not changed:
            view.freeze()
        elif view.frozen_at is None:  # met frozen: hold it once this seat's data is there
            self._freeze_when_ready(state.seq)
        view.set_blank(state.blank)
        view.ink.set_ink(state.ink)
        self.applied_seq = state.seq
        self.window.repaint()  # painted now: the time below is what the seat sees
        self.applied.emit(state.seq)
        log.debug(  # across machines this includes their clocks' difference
            "meeting %s: state %d, slide %d, on screen %.1f ms after it was sent",
            self.name,
            state.seq,
            state.slide + 1,
            (time.time() - state.sent_at) * 1000,
        )

    def _show(self, index: int) -> bool:
        """Put slide `index` of the deck on screen; False if it already is."""
        assert self.deck is not None and self.digest is not None
        self.window.show_slide_page()
        if self.showing == (self.digest, index):
            return False
        slide = self.deck.slides[index]
        self.view.show_slide(index, slide, slide.screen(self.presets))
        self.showing = (self.digest, index)
        return True

    def _freeze_when_ready(self, seq: int) -> None:
        async def freeze() -> None:
            await self.data.wait_ready(self.view.panels(), FREEZE_WAIT_S)
            latest = self.latest
            if self.private is None and latest is not None and latest.seq == seq:
                self.view.freeze()

        if self._freeze is not None:
            self._freeze.cancel()
        self._freeze = asyncio.ensure_future(freeze())

    def _link_state(self, up: bool, _detail: str) -> None:
        self.connected = up
        self.was_connected = self.was_connected or up
        if up and self.deck is None:
            self.window.show_waiting(self.tr("Waiting for the presenter's deck…"))
        self._update_banner()

    # -- the participant's own paging ----------------------------------------------
    def page(self, step: int) -> None:
        """Privately to the slide `step` away; the presenter's state is kept for Home."""
        if self.deck is None:
            return
        here = self.private if self.private is not None else max(self.view.index, 0)
        self.private = min(max(here + step, 0), len(self.deck.slides) - 1)
        if self._freeze is not None:
            self._freeze.cancel()
        self._show(self.private)
        self.view.unfreeze()
        self.view.set_blank(False)
        self.view.ink.set_ink(self.ink_seen.get(self.private, []))
        self._update_banner()

    def follow(self) -> None:
        """Home: back to the presenter's slide, and follow again."""
        if self.private is None:
            return
        self.private = None
        if self.latest is not None and self.latest.deck == self.digest:
            self._follow(self.latest)
        self._update_banner()

    def handle_key(self, key: int) -> bool:
        if key in NEXT_KEYS:
            self.page(1)
        elif key in PREVIOUS_KEYS:
            self.page(-1)
        elif key == Qt.Key.Key_Home:
            self.follow()
        elif key == Qt.Key.Key_Escape:
            self.finished.emit()
        else:
            return False
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if self.handle_key(event.key()):
                return True
        elif event.type() == QEvent.Type.Close and watched is self.window:
            self.finished.emit()
        return super().eventFilter(watched, event)

    def _update_banner(self) -> None:
        lines = []
        if self.was_connected and not self.connected:
            lines.append(self.tr("Meeting connection lost — showing the last slide"))
        if self.private is not None and self.deck is not None:
            lines.append(
                self.tr("Private view — slide {n} of {total} · Home: return to presenter").format(
                    n=self.private + 1, total=len(self.deck.slides)
                )
            )
        self.window.set_banner("\n".join(lines))

    def summary(self) -> str:
        """One line for the command line when the seat closes."""
        shown = self.latest.slide + 1 if self.latest is not None else 0
        return f"meeting {self.name}: state {self.applied_seq}, presenter on slide {shown}"
