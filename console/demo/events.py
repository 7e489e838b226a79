"""The backend's revision counter, event ring buffer and live subscribers.

Every change gets the next global revision and becomes one event. Subscribers
(one per SSE client) get their own bounded inbox: a client that stops reading is
dropped instead of growing memory, and resumes from the ring buffer with
`Last-Event-ID`, so nothing is lost and nothing is delivered twice.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from console.domain.records import CameraStatusChange, Event, EventType, Incident, KpiSampleEvent

Payload = Incident | CameraStatusChange | KpiSampleEvent
P = TypeVar("P", bound=Payload)


@dataclass(frozen=True)
class Published:
    """An event with its JSON payload encoded once, not once per subscriber."""

    event: Event
    data: str

    @property
    def id(self) -> int:
        return self.event.id


class Gauge:
    """A counter that can be awaited, so tests wait for a state instead of sleeping."""

    def __init__(self) -> None:
        self.value = 0
        self._changed = asyncio.Event()

    def add(self, delta: int) -> None:
        self.value += delta
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_at_most(self, target: int, timeout: float) -> bool:
        """Wait until the value is at most `target`; False if it was not within `timeout`."""
        try:
            async with asyncio.timeout(timeout):
                while self.value > target:
                    await self._changed.wait()
        except TimeoutError:
            return False
        return True


class Subscription:
    """One subscriber's inbox. `get()` returns None once it is closed."""

    def __init__(self, limit: int) -> None:
        self._items: deque[Published] = deque()
        self._limit = limit
        self._wake = asyncio.Event()
        self.closed = False

    def push(self, item: Published) -> None:
        if self.closed:
            return
        if len(self._items) >= self._limit:
            self.close()  # too slow: it reconnects and resumes from the ring buffer
            return
        self._items.append(item)
        self._wake.set()

    def close(self) -> None:
        self.closed = True
        self._items.clear()
        self._wake.set()

    async def get(self) -> Published | None:
        while not self._items:
            if self.closed:
                return None
            self._wake.clear()
            await self._wake.wait()
        return self._items.popleft()


class EventHub:
    """Allocates revisions, keeps the last `capacity` events and fans them out."""

    def __init__(self, capacity: int = 10_000, inbox_limit: int = 2_000) -> None:
        self.revision = 0
        self._buffer: deque[Published] = deque(maxlen=capacity)
        self._subscribers: set[Subscription] = set()
        self._inbox_limit = inbox_limit
        self._closed = False
        self.subscribers = Gauge()

    def publish(self, kind: EventType, build: Callable[[int], P]) -> P:
        """Take the next revision, build the payload with it, record and fan it out."""
        self.revision += 1
        payload = build(self.revision)
        event = Event(id=self.revision, type=kind, payload=payload)
        data = json.dumps(
            payload.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")
        )
        item = Published(event, data)
        self._buffer.append(item)
        for subscription in list(self._subscribers):
            subscription.push(item)
        return payload

    def emit(self, kind: EventType, payload: CameraStatusChange | KpiSampleEvent) -> None:
        """Publish a payload that does not carry its revision."""
        self.publish(kind, lambda _rev: payload)

    def since(self, revision: int) -> list[Published]:
        """Buffered events after `revision`, oldest first."""
        if not self._buffer or self._buffer[-1].id <= revision:
            return []
        return [item for item in self._buffer if item.id > revision]

    @property
    def oldest(self) -> int | None:
        return self._buffer[0].id if self._buffer else None

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def subscribe(self) -> Subscription:
        subscription = Subscription(self._inbox_limit)
        if self._closed:
            subscription.close()
        self._subscribers.add(subscription)
        self.subscribers.add(1)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        if subscription in self._subscribers:
            self._subscribers.remove(subscription)
            self.subscribers.add(-1)
        subscription.close()

    def close(self) -> None:
        """End every live stream now (server shutdown), so no connection holds it open."""
        self._closed = True
        for subscription in list(self._subscribers):
            subscription.close()
