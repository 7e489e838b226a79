"""The `ioc` kind: our REST API and its event stream, for one connection of the site.

Push is the SSE stream, resumed from the last event id after a reconnect. While it
is down the backend is polled for what changed (`since` cursor), and the stream is
retried with exponential backoff and jitter. Events are applied in batches so a
burst costs one model update, not one per event.

The sync never dies silently: whatever a source raises (not only `BackendError`) is
logged once with its reason, shown as the link's detail, and retried with backoff; a
batch the stores refuse is applied record by record, skipping only the bad ones.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_exponential_jitter

from console.domain.periods import Period, history_window
from console.domain.records import (
    CameraStatusChange,
    Event,
    Incident,
    KpiSample,
    KpiSampleEvent,
    utcnow,
)
from console.site.model import Connection
from console.sources.ioc.api import BackendError, IocApi
from console.sources.ioc.events import EventStream
from console.sources.link import EVERY_ACTION, Link, LinkState
from console.sources.sink import Sink, apply_each
from console.waiting import wait_set

log = logging.getLogger(__name__)

HISTORY = timedelta(hours=24)
POLL_BACKOFF_MAX_S = 60.0  # while down, polling slows to this: no hammering a sick backend


class _StreamEnded(Exception):
    """The stream closed after delivering events: reconnect at once, fresh backoff."""


def _worth_retrying(error: BaseException) -> bool:
    """Any fault of a source; not a cancellation (quitting) and not a clean stream end."""
    return isinstance(error, Exception) and not isinstance(error, _StreamEnded)


class LiveSync(Link):
    """One `ioc` connection: the whole workflow, cameras, KPIs with history, layers."""

    actions = EVERY_ACTION

    def __init__(
        self,
        connection: Connection,
        sink: Sink,
        api: IocApi,
        poll_interval_s: float = 5.0,
        batch_interval_s: float = 0.1,
    ) -> None:
        super().__init__(connection, sink)
        self.api = api
        self.poll_interval_s = poll_interval_s
        self.batch_interval_s = batch_interval_s
        self.stream = EventStream(api.client)
        self._loaded = False
        self._answering = False  # the last catch-up (load or poll) got its answers
        self._pending: list[Event] = []
        self._flush_handle: asyncio.TimerHandle | None = None
        self._back_live = asyncio.Event()

    def set_state(self, state: LinkState, detail: str = "") -> None:
        if state == LinkState.LIVE:
            self._back_live.set()  # the poller's backoff belongs to the outage that ended
        super().set_state(state, detail)

    async def aclose(self) -> None:
        await self.api.aclose()

    async def run(self) -> None:
        """Run until cancelled: load, then stream, falling back to polling."""
        poller = asyncio.create_task(self._poll_while_down())
        try:
            while True:
                try:
                    async for attempt in AsyncRetrying(
                        wait=wait_exponential_jitter(multiplier=0.5, max=30.0, jitter=1.0),
                        retry=retry_if_exception(_worth_retrying),
                        before_sleep=self._on_retry,
                    ):
                        with attempt:
                            await self._connect_and_stream()
                except _StreamEnded:
                    continue
        finally:
            poller.cancel()
            self._flush()
            await asyncio.gather(poller, return_exceptions=True)

    async def _on_retry(self, retry_state: RetryCallState) -> None:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome else None
        wait = retry_state.next_action.sleep if retry_state.next_action else 0.0
        detail = f"{self.report(error, 'backend link')}; retrying in {wait:.0f} s" if error else ""
        # Polling only while the backend still answers (its last catch-up worked): a dead
        # backend stays offline, with the time it went away, instead of flapping.
        up = self._loaded and self._answering
        self.set_state(LinkState.POLLING if up else LinkState.OFFLINE, detail)

    async def _connect_and_stream(self) -> None:
        await self.catch_up()
        got_events = False
        gap: list[asyncio.Task[None]] = []

        def opened() -> None:
            self.set_state(LinkState.LIVE)
            gap.append(asyncio.ensure_future(self._close_gap()))

        try:
            async for event in self.stream.events(on_open=opened):
                got_events = True
                self._queue(event)
        finally:
            for task in gap:
                task.cancel()
        if got_events:
            raise _StreamEnded
        raise BackendError("the event stream closed without events")

    async def _close_gap(self) -> None:
        """What changed between the catch-up and the stream's start: a stream opened
        without a resume point begins at "now", so a record made in that gap would be
        missing until the next outage. One more catch-up after the open closes it."""
        try:
            await self.catch_up()
        except Exception as error:  # the stream itself is up: the next poll retries
            log.warning("%s: catch-up after the stream opened: %s", self.connection.name, error)

    async def _poll_while_down(self) -> None:
        """While the stream is down, fetch what changed; a failing backend is asked less
        and less often, until the link comes back (which starts the count afresh)."""
        failures = 0
        while True:
            delay = min(self.poll_interval_s * 2**failures, POLL_BACKOFF_MAX_S)
            await wait_set(self._back_live, delay)
            if self._back_live.is_set() or self.state not in (LinkState.POLLING, LinkState.OFFLINE):
                self._back_live.clear()
                failures = 0
                continue
            try:
                await self.catch_up()
            except Exception as error:  # any fault: say it, poll less often, keep going
                failures = min(failures + 1, 10)
                self.set_state(LinkState.OFFLINE, self.report(error, "polling"))
            else:
                failures = 0
                # Only up from offline: the stream may have gone live while this poll ran
                # (never downgrade it), and a polling link keeps the stream's own reason.
                if self.state == LinkState.OFFLINE:
                    self.set_state(LinkState.POLLING, "push stream down; polling")

    async def catch_up(self) -> None:
        """Fetch everything changed since the cursors; safe to repeat."""
        try:
            await self._catch_up()
        except BaseException:
            self._answering = False  # the last catch-up to finish failed: the backend is away
            raise
        self._answering = True

    async def _catch_up(self) -> None:
        if not self._loaded:
            await self._load_all()
            self._loaded = True
            self.set_state(LinkState.LIVE if self.state == LinkState.LIVE else LinkState.POLLING)
            return
        if self.sink.wants("cameras"):
            self.sink.cameras(await self.api.cameras(), merge=True)
        if self.sink.wants("incidents"):
            # After the first load, whatever a catch-up finds is news (it can alarm).
            async for page in self.api.incident_pages(since=self.sink.incident_cursor()):
                await self.sink.load_incidents(page, live=True)
        if self.sink.wants("kpis"):
            await self._catch_up_kpis()

    async def _load_all(self) -> None:
        steps: list[Callable[[], Awaitable[None]]] = [
            self._load_role,
            self._load_cameras,
            self._load_incidents,
            self._load_kpis,
            self._load_layers,
        ]
        results = await asyncio.gather(*(step() for step in steps), return_exceptions=True)
        errors = [result for result in results if isinstance(result, BaseException)]
        if errors:
            raise errors[0]

    async def _load_role(self) -> None:
        self.role = await self.api.me()
        self.roleChanged.emit(self.role)

    async def _load_cameras(self) -> None:
        if self.sink.wants("cameras"):
            self.sink.cameras(await self.api.cameras())

    async def _load_incidents(self) -> None:
        if self.sink.wants("incidents"):
            async for page in self.api.incident_pages():
                await self.sink.load_incidents(page)

    async def _load_kpis(self) -> None:
        if not self.sink.wants("kpis"):
            return
        kpis = await self.api.kpis()
        self.sink.kpis(kpis)
        end = utcnow()
        # Concurrently: a wall with district indicators has dozens of series to load.
        histories = await asyncio.gather(
            *(self.api.kpi_series(kpi.id, end - HISTORY, end) for kpi in kpis)
        )
        for kpi, series in zip(kpis, histories, strict=True):
            self.sink.kpi_series(kpi.id, series.points)

    async def _catch_up_kpis(self) -> None:
        end = utcnow()
        for kpi in self.sink.own_kpis():
            series = await self.api.kpi_series(kpi.local_id, end - timedelta(hours=1), end)
            self.sink.kpi_samples(
                KpiSampleEvent(kpi_id=kpi.local_id, t=point.t, value=point.value)
                for point in series.points
            )

    async def history(self, local_id: str, period: Period) -> Sequence[KpiSample]:
        """A period (week, month, ...) at the backend's interval for it."""
        start, end, interval = history_window(period, utcnow())
        return (await self.api.kpi_series(local_id, start, end, interval)).points

    async def _load_layers(self) -> None:
        if not self.sink.wants("layers"):
            return
        infos = await self.api.layers()
        self.sink.layers(infos)
        for info in infos:
            self.sink.layer_features(info.id, await self.api.layer(info.id))

    # -- batching -------------------------------------------------------------
    def _queue(self, event: Event) -> None:
        self._pending.append(event)
        if self._flush_handle is None:
            loop = asyncio.get_running_loop()
            self._flush_handle = loop.call_later(self.batch_interval_s, self._flush)

    def _flush(self) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        events, self._pending = self._pending, []
        incidents = [e.payload for e in events if isinstance(e.payload, Incident)]
        samples = [e.payload for e in events if isinstance(e.payload, KpiSampleEvent)]
        if incidents:
            self.sink.incidents(incidents, live=True)
        if samples:
            self.sink.kpi_samples(samples)
        changes = [e.payload for e in events if isinstance(e.payload, CameraStatusChange)]
        if changes:
            apply_each(self._set_camera_statuses, changes)

    def _set_camera_statuses(self, changes: list[CameraStatusChange]) -> None:
        for change in changes:
            self.sink.camera_status(change.id, change.status)


__all__ = ["LinkState", "LiveSync", "apply_each"]
