"""Keeps the stores in step with a backend: initial load, then push with a fallback.

Push is the SSE stream, resumed from the last event id after a reconnect. While it
is down the backend is polled for what changed (`since` cursor), and the stream is
retried with exponential backoff and jitter. Events are applied in batches so a
burst costs one model update, not one per event.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from enum import StrEnum

import httpx
from PySide6.QtCore import QObject, Signal
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, wait_exponential_jitter

from console.domain.periods import Period, history_window
from console.domain.records import (
    CameraStatusChange,
    Event,
    Incident,
    KpiSampleEvent,
    utcnow,
)
from console.sources.ioc.api import BackendError, IocApi
from console.sources.ioc.events import EventStream
from console.sources.layers import LayerSources
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore

log = logging.getLogger(__name__)

HISTORY = timedelta(hours=24)
RETRYABLE = (httpx.HTTPError, BackendError, OSError)


class LinkState(StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"  # initial data loaded, push stream connected
    POLLING = "polling"  # push down, polling works
    OFFLINE = "offline"  # backend unreachable


class _StreamEnded(Exception):
    """The stream closed after delivering events: reconnect at once, fresh backoff."""


class LiveSync(QObject):
    stateChanged = Signal(str, str)  # LinkState value, plain-words detail
    roleChanged = Signal(str)  # the backend says who we are (viewer, operator, leader)

    def __init__(
        self,
        api: IocApi,
        cameras: CameraStore,
        incidents: IncidentTableModel,
        kpis: KpiStore,
        layers: LayerStore,
        poll_interval_s: float = 5.0,
        batch_interval_s: float = 0.1,
    ) -> None:
        super().__init__()
        self.api, self.cameras, self.incidents = api, cameras, incidents
        self.kpis, self.layers = kpis, layers
        self.poll_interval_s = poll_interval_s
        self.batch_interval_s = batch_interval_s
        self.stream = EventStream(api.client)
        self.state = LinkState.CONNECTING
        self._loaded = False
        self._pending: list[Event] = []
        self._flush_handle: asyncio.TimerHandle | None = None
        self._history_tasks: set[asyncio.Task[None]] = set()
        kpis.historyRequested.connect(self._fetch_history)
        self.sources = LayerSources(layers, api.client)  # OGC / NGSI-LD layers of the maps

    def _set_state(self, state: LinkState, detail: str = "") -> None:
        if state != self.state:
            log.info("backend link %s -> %s %s", self.state.value, state.value, detail)
            self.state = state
            self.stateChanged.emit(state.value, detail)

    async def run(self) -> None:
        """Run until cancelled: load, then stream, falling back to polling."""
        poller = asyncio.create_task(self._poll_while_down())
        sources = asyncio.create_task(self.sources.run())
        try:
            while True:
                try:
                    async for attempt in AsyncRetrying(
                        wait=wait_exponential_jitter(multiplier=0.5, max=30.0, jitter=1.0),
                        retry=retry_if_exception_type(RETRYABLE),
                        before_sleep=self._on_retry,
                    ):
                        with attempt:
                            await self._connect_and_stream()
                except _StreamEnded:
                    continue
        finally:
            poller.cancel()
            sources.cancel()
            for task in self._history_tasks:
                task.cancel()
            self._flush()

    async def _on_retry(self, retry_state: RetryCallState) -> None:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome else None
        wait = retry_state.next_action.sleep if retry_state.next_action else 0.0
        detail = f"{error}; retrying in {wait:.0f} s" if error else ""
        self._set_state(LinkState.POLLING if self._loaded else LinkState.OFFLINE, detail)

    async def _connect_and_stream(self) -> None:
        await self.catch_up()
        got_events = False
        async for event in self.stream.events(on_open=lambda: self._set_state(LinkState.LIVE)):
            got_events = True
            self._queue(event)
        if got_events:
            raise _StreamEnded
        raise BackendError("the event stream closed without events")

    async def _poll_while_down(self) -> None:
        while True:
            await asyncio.sleep(self.poll_interval_s)
            if self.state in (LinkState.POLLING, LinkState.OFFLINE):
                try:
                    await self.catch_up()
                    self._set_state(LinkState.POLLING, "push stream down; polling")
                except RETRYABLE as error:
                    self._set_state(LinkState.OFFLINE, str(error))

    async def catch_up(self) -> None:
        """Fetch everything changed since the cursors; safe to repeat."""
        if not self._loaded:
            await self._load_all()
            self._loaded = True
            self._set_state(LinkState.LIVE if self.state == LinkState.LIVE else LinkState.POLLING)
            return
        self.cameras.merge(await self.api.cameras())
        self.incidents.upsert(await self.api.incidents(since=self.incidents.cursor))
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
        self.roleChanged.emit(await self.api.me())

    async def _load_cameras(self) -> None:
        self.cameras.replace(await self.api.cameras())

    async def _load_incidents(self) -> None:
        self.incidents.upsert(await self.api.incidents())

    async def _load_kpis(self) -> None:
        kpis = await self.api.kpis()
        self.kpis.replace(kpis)
        end = utcnow()
        # Concurrently: a wall with district indicators has dozens of series to load.
        histories = await asyncio.gather(
            *(self.api.kpi_series(kpi.id, end - HISTORY, end) for kpi in kpis)
        )
        for kpi, series in zip(kpis, histories, strict=True):
            self.kpis.set_series(kpi.id, series.points)

    async def _catch_up_kpis(self) -> None:
        end = utcnow()
        for kpi in self.kpis.kpis():
            series = await self.api.kpi_series(kpi.id, end - timedelta(hours=1), end)
            self.kpis.add_samples(
                KpiSampleEvent(kpi_id=kpi.id, t=point.t, value=point.value)
                for point in series.points
            )

    def _fetch_history(self, kpi_id: str, period: str) -> None:
        """A panel asked for a period (week, month, ...): fetch it at the backend's interval."""
        try:
            task = asyncio.get_running_loop().create_task(self._load_history(kpi_id, period))
        except RuntimeError:
            log.warning("history of %s (%s) asked for outside the event loop", kpi_id, period)
            return
        self._history_tasks.add(task)
        task.add_done_callback(self._history_tasks.discard)

    async def _load_history(self, kpi_id: str, period: str) -> None:
        start, end, interval = history_window(Period(period), utcnow())
        try:
            series = await self.api.kpi_series(kpi_id, start, end, interval)
        except RETRYABLE as error:
            log.warning("could not load the %s history of %s: %s", period, kpi_id, error)
            return
        self.kpis.set_history(kpi_id, Period(period), series.points)

    async def _load_layers(self) -> None:
        infos = await self.api.layers()
        self.layers.replace([*infos, *self.sources.infos()])
        for info in infos:
            self.layers.set_features(info.id, await self.api.layer(info.id))

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
            self.incidents.upsert(incidents, live=True)
        if samples:
            self.kpis.add_samples(samples)
        for event in events:
            if isinstance(event.payload, CameraStatusChange):
                self.cameras.set_status(event.payload.id, event.payload.status)
