"""The live event stream (Server-Sent Events), resumable with `Last-Event-ID`.

A client subscribes before the backlog is read, and both happen without yielding
to the loop, so no event falls between replay and live, and ids already replayed
are skipped: each event reaches a resuming client exactly once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query
from sse_starlette import EventSourceResponse, ServerSentEvent

from console.demo.events import EventHub, Published

PING_S = 15.0


def _cursor(last_event_id: str | None, since: int | None) -> int | None:
    """Where to resume: the browser-style header wins over the query parameter."""
    if last_event_id is not None and last_event_id.strip().isdigit():
        return int(last_event_id.strip())
    return since


def _message(item: Published) -> ServerSentEvent:
    return ServerSentEvent(data=item.data, event=item.event.type.value, id=str(item.id))


async def stream(hub: EventHub, cursor: int | None) -> AsyncIterator[ServerSentEvent]:
    """Replay the buffered events after `cursor`, then follow live ones until closed."""
    subscription = hub.subscribe()
    try:
        if cursor is not None and cursor > hub.revision:
            # Ids from an earlier run of the backend: skipping up to them would lose events.
            yield ServerSentEvent(comment=f"revision {cursor} is unknown here; live events only")
            cursor = None
        last = hub.revision if cursor is None else cursor
        backlog = hub.since(cursor) if cursor is not None else []
        oldest = hub.oldest
        if cursor is not None and oldest is not None and oldest > cursor + 1:
            yield ServerSentEvent(comment=f"events {cursor + 1}..{oldest - 1} are gone")
        for item in backlog:
            yield _message(item)
            last = item.id
            await asyncio.sleep(0)  # let a disconnect land before the next write
        while (live := await subscription.get()) is not None:
            if live.id > last:
                last = live.id
                yield _message(live)
    finally:
        hub.unsubscribe(subscription)


def events_router(hub: EventHub) -> APIRouter:
    router = APIRouter()

    @router.get(
        "/events",
        tags=["events"],
        summary="Live events as Server-Sent Events (resume with Last-Event-ID or since)",
        description="Each event has `event: <type>`, `id: <revision>` and JSON `data`: an "
        "Incident (incident.created/updated), CameraStatusChange (camera.status) or "
        "KpiSampleEvent (kpi.sample). Events after the given revision are replayed first.",
        response_class=EventSourceResponse,
    )
    async def events(
        since: Annotated[int | None, Query(ge=0)] = None,
        last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    ) -> EventSourceResponse:
        return EventSourceResponse(
            stream(hub, _cursor(last_event_id, since)), ping=PING_S, send_timeout=30
        )

    return router
