"""A waiting loop always stops when cancelled, even as its event is set.

The CI hung for 90 minutes in a sync test: the link's poller waited with
`asyncio.wait_for`, which on Python 3.11 swallows a cancellation arriving in the turn its
event is set, so the link never stopped (and quitting the console would wait for ever).
"""

from __future__ import annotations

import asyncio

from console.waiting import wait_set


async def _poll_forever(event: asyncio.Event) -> None:
    while True:
        if await wait_set(event, 0.2):
            event.clear()


def test_a_cancellation_that_meets_the_event_still_stops_the_waiter() -> None:
    async def scenario() -> bool:
        event = asyncio.Event()
        task = asyncio.create_task(_poll_forever(event))
        await asyncio.sleep(0.01)
        event.set()
        await asyncio.sleep(0)  # the event's waiter completes in this turn
        task.cancel()
        await asyncio.wait({task}, timeout=5)
        return task.cancelled()

    assert asyncio.run(scenario())


def test_the_wait_says_whether_the_event_came() -> None:
    async def scenario() -> tuple[bool, bool]:
        event = asyncio.Event()
        missed = await wait_set(event, 0.01)
        asyncio.get_running_loop().call_later(0.01, event.set)
        return missed, await wait_set(event, 5)

    assert asyncio.run(scenario()) == (False, True)
