"""Server-Sent Events from the backend, parsed into domain events.

`EventStream` resumes from the last event id it saw, so a reconnect replays what
was missed; the store ignores anything it already has (revisions only go up).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import cast

import httpx
from httpx_sse import ServerSentEvent, aconnect_sse

# httpx-sse's own decoders, fed by `capped_sse` so that a line and an event are bounded
# (its `aiter_sse` buffers a line without limit); the version is pinned in the lock file.
from httpx_sse._decoders import SSEDecoder, SSELineDecoder
from pydantic import ValidationError

from console.domain.records import EVENT_PAYLOADS, Event, EventType
from console.domain.text import parse_json
from console.sources.ioc.api import BackendError

log = logging.getLogger(__name__)

YIELD_EVERY = 16  # events parsed between chances for the GUI to run (~2 ms of work)
MAX_LINE = 1_000_000  # characters in one line; real events are a few kB
MAX_EVENT = 1_000_000  # characters of data in one event


async def _capped_lines(response: httpx.Response) -> AsyncGenerator[str, None]:
    """The stream's lines; one that grows past MAX_LINE without ending is an error."""
    lines = SSELineDecoder()
    text = cast(AsyncGenerator[str, None], response.aiter_text())  # closed here, not by GC
    async with contextlib.aclosing(text) as chunks:
        async for chunk in chunks:
            for line in lines.decode(chunk):
                yield line
            if sum(map(len, lines.buffer)) > MAX_LINE:
                raise BackendError(
                    f"the event stream sent over {MAX_LINE:,} bytes without a line end"
                )
    for line in lines.flush():  # the stream ended on a line end the decoder still holds
        yield line


async def capped_sse(response: httpx.Response) -> AsyncGenerator[ServerSentEvent, None]:
    """The stream's events; a line or an event over its cap ends the stream with an error.

    A backend that sends bytes but never a line end would otherwise grow memory without
    bound while the link still says "live"."""
    decoder, data = SSEDecoder(), 0
    async with contextlib.aclosing(_capped_lines(response)) as lines:
        async for line in lines:
            data = 0 if not line else data + len(line) * line.startswith("data")
            if data > MAX_EVENT:
                raise BackendError(f"the event stream sent an event over {MAX_EVENT:,} bytes")
            sse = decoder.decode(line)
            if sse is not None:
                yield sse


def parse_event(sse: ServerSentEvent) -> Event | None:
    """One SSE message to an Event, or None (logged) if it is not one we understand."""
    try:
        kind = EventType(sse.event)
    except ValueError:
        log.debug("ignored SSE event type %r", sse.event)
        return None
    try:
        payload = EVENT_PAYLOADS[kind].model_validate(parse_json(sse.data))
        return Event.model_validate({"id": int(sse.id or 0), "type": kind, "payload": payload})
    except (ValueError, ValidationError, RecursionError) as error:  # RecursionError: deep JSON
        log.warning("skipped malformed %s event %s: %s", kind.value, sse.id, error)
        return None


class EventStream:
    def __init__(self, client: httpx.AsyncClient, path: str = "/api/v1/events") -> None:
        self.client = client
        self.path = path
        self.last_event_id = 0

    async def events(self, on_open: Callable[[], None] | None = None) -> AsyncIterator[Event]:
        """Yield events until the connection ends; raises httpx errors on failure."""
        headers = {"Last-Event-ID": str(self.last_event_id)} if self.last_event_id else {}
        timeout = httpx.Timeout(10.0, read=45.0)  # the server pings every 15 s
        async with aconnect_sse(
            self.client, "GET", self.path, headers=headers, timeout=timeout
        ) as source:
            source.response.raise_for_status()
            kind = source.response.headers.get("content-type", "").partition(";")[0].strip()
            if kind != "text/event-stream":
                raise BackendError(f"the event stream answered with {kind or 'no content type'!r}")
            if on_open is not None:
                on_open()
            parsed = 0
            async with contextlib.aclosing(capped_sse(source.response)) as stream:
                async for sse in stream:
                    parsed += 1
                    if parsed % YIELD_EVERY == 0:
                        # One network read can hold hundreds of events; parsing them all in
                        # one go kept the GUI (same thread, qasync) from painting.
                        await asyncio.sleep(0)
                    event = parse_event(sse)
                    if event is None:
                        continue
                    self.last_event_id = max(self.last_event_id, event.id)
                    yield event
