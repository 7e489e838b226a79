"""The contract every source kind keeps: one supervised link per connection of the site.

A link loads its connection's records, then follows them (push where the protocol has
it, polling with a change cursor where not), and says how it is doing: its state, the
reason in plain words, and since when it is down. It writes only through its `Sink`.
What the operator may do to its incidents is declared per link (`actions` go to the
system, `local_actions` stay on this console), with the reason when something cannot.

A link never dies: whatever a source raises is logged once, shown as the detail, and
retried with backoff, while every other link carries on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from PySide6.QtCore import QObject, Signal
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_exponential_jitter

from console.domain.periods import Period
from console.domain.records import ActionKind, KpiSample, utcnow
from console.domain.text import one_line
from console.site.model import Connection
from console.sources.ioc.api import EXPECTED, describe
from console.sources.redaction import redact
from console.sources.sink import Sink
from console.waiting import wait_set

log = logging.getLogger(__name__)

EVERY_ACTION = frozenset(ActionKind)
CLOCK_SKEW = timedelta(minutes=2)


class LinkState(StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"  # loaded, and following (push connected, or the last poll answered)
    POLLING = "polling"  # push down, polling works
    OFFLINE = "offline"  # unreachable or answering what cannot be used


def worth_retrying(error: BaseException) -> bool:
    """Any fault of a source; never a cancellation (quitting)."""
    return isinstance(error, Exception)


class Link(QObject):
    stateChanged = Signal(str, str)  # LinkState value, plain-words detail
    roleChanged = Signal(str)  # the system says who we are (viewer, operator, leader)

    actions: frozenset[ActionKind] = frozenset()  # sent to the system
    local_actions: frozenset[ActionKind] = frozenset()  # kept on this console, marked local
    read_only_reason = ""  # why other actions are not offered, for the operator
    role: str | None = None  # who the system says we are; None: the protocol has no roles

    def __init__(self, connection: Connection, sink: Sink) -> None:
        super().__init__()
        self.connection = connection
        self.name = connection.name
        self.sink = sink
        self.state = LinkState.CONNECTING
        self.detail = ""
        self.down_since: datetime | None = None  # start of the current outage
        self._faults_logged: set[str] = set()  # each distinct fault gets one full log entry

    async def run(self) -> None:
        """Load, then follow, until cancelled."""
        raise NotImplementedError

    async def history(self, local_id: str, period: Period) -> Sequence[KpiSample] | None:
        """A period's samples of one of this link's indicators (None: the kind keeps no
        history); faults are the federation's to log."""
        return None

    async def aclose(self) -> None:
        """Close what the link opened (its HTTP client)."""

    def wake(self) -> None:
        """Something changed at the system (an action went through): look again soon."""

    # -- shared by every kind ------------------------------------------------
    def report(self, error: BaseException, doing: str) -> str:
        """Log a fault once (with its traceback if it is not a plain backend fault)."""
        detail = describe(error)
        if detail not in self._faults_logged:
            if len(self._faults_logged) >= 100:  # weeks down with ever-new words: stay bounded
                self._faults_logged.clear()
            self._faults_logged.add(detail)
            unexpected = None if isinstance(error, EXPECTED) else error
            log.error("%s: %s failed: %s", self.name, doing, detail, exc_info=unexpected)
        return detail

    def set_state(self, state: LinkState, detail: str = "") -> None:
        detail = one_line(redact(detail))  # on the wall: no secret, no bidi trick, not a page
        if state == LinkState.LIVE:
            self._faults_logged.clear()  # after a recovery, a new fault is news again
        if state in (LinkState.LIVE, LinkState.POLLING):
            self.down_since = None
        elif state == LinkState.OFFLINE and self.down_since is None:
            self.down_since = utcnow()
        if state != self.state:
            log.info("%s link %s -> %s %s", self.name, self.state.value, state.value, detail)
        elif detail == self.detail:
            return
        self.state, self.detail = state, detail
        self.stateChanged.emit(state.value, detail)  # a new reason is news even in the same state


class PollingLink(Link):
    """A link for protocols without push: load once, then poll for what changed.

    Subclasses implement `load` (everything) and `follow` (what changed since their
    cursor). A failure backs off (exponential, jittered, capped) until one answers."""

    def __init__(self, connection: Connection, sink: Sink) -> None:
        super().__init__(connection, sink)
        self.poll_s = connection.poll_s
        self._loaded = False
        self._wake = asyncio.Event()

    async def load(self) -> None:
        raise NotImplementedError

    async def follow(self) -> None:
        raise NotImplementedError

    def wake(self) -> None:
        self._wake.set()

    def advance(self, cursor: datetime | None, times: Iterable[datetime]) -> datetime | None:
        """The change cursor after records updated at `times`: never past now (plus clock
        skew), so a server's wrong clock or a time without its zone cannot make the next
        polls ask for the future and miss every change."""
        newest = max(times, default=None)
        if newest is None:
            return cursor
        limit = utcnow() + CLOCK_SKEW
        if newest > limit:
            log.warning(
                "%s: a record updated in the future (%s); cursor kept at now",
                self.name,
                newest.isoformat(),
            )
            newest = limit
        return newest if cursor is None or newest > cursor else cursor

    async def run(self) -> None:
        while True:
            async for attempt in AsyncRetrying(
                wait=wait_exponential_jitter(
                    multiplier=min(self.poll_s, 2.0), max=max(60.0, self.poll_s), jitter=1.0
                ),
                retry=retry_if_exception(worth_retrying),
                before_sleep=self._on_retry,
            ):
                with attempt:
                    await self._cycle()
            self._wake.clear()
            await wait_set(self._wake, self.poll_s)

    async def _cycle(self) -> None:
        step: Callable[[], Awaitable[None]] = self.follow if self._loaded else self.load
        await step()
        self._loaded = True
        self.set_state(LinkState.LIVE)

    async def _on_retry(self, retry_state: RetryCallState) -> None:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome else None
        wait = retry_state.next_action.sleep if retry_state.next_action else 0.0
        if error is not None:
            doing = "polling" if self._loaded else "loading"
            detail = f"{self.report(error, doing)}; retrying in {wait:.0f} s"
            self.set_state(LinkState.OFFLINE, detail)
