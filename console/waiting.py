"""Waiting for an event with a time limit, in a way a cancellation always ends.

Not `asyncio.wait_for`: on Python 3.11 it swallows a cancellation that arrives in the
same turn as the event is set (CPython gh-86296). A loop that waits that way cannot be
stopped: the task that owns it never ends, and whatever awaits that task (quitting the
console, a link being replaced) waits for ever. `asyncio.timeout` counts cancellations
and never mistakes the caller's for its own.
"""

from __future__ import annotations

import asyncio
import contextlib


async def wait_set(event: asyncio.Event, timeout_s: float) -> bool:
    """Wait until `event` is set or `timeout_s` passes; True when it is set."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout_s):
            await event.wait()
    return event.is_set()
