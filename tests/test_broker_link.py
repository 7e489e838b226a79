"""The broker link against a real mosquitto: order, retained state, and a broker kill -9."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console.demo.broker import LocalBroker, mosquitto_path
from console.nodes.link import BrokerLink, Outgoing
from console.site.broker import Broker
from tests.conftest import run_on_qt_loop

pytestmark = pytest.mark.skipif(mosquitto_path() is None, reason="mosquitto not installed")


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[LocalBroker]:
    with LocalBroker(tmp_path / "broker") as running:
        yield running


class Listener:
    """A link that records what it hears."""

    def __init__(self, broker: LocalBroker, topics: list[str], persistent: bool = False) -> None:
        self.heard: list[tuple[str, bytes, bool]] = []
        self.states: list[bool] = []
        self.link = BrokerLink(
            Broker(url=broker.url),
            topics,
            lambda topic, payload, retained: self.heard.append((topic, payload, retained)),
            on_state=lambda up, _detail: self.states.append(up),
            name=f"listener-{id(self)}",
            persistent=persistent,
        )

    async def until(self, condition: Any, timeout: float = 10.0) -> None:
        async with asyncio.timeout(timeout):
            while not condition():
                await asyncio.sleep(0.01)


def test_what_is_published_arrives_in_order_and_retained_state_greets_a_newcomer(
    qapp: Any, broker: LocalBroker
) -> None:
    async def scenario() -> None:
        talker = Listener(broker, [])
        tasks = [asyncio.create_task(talker.link.run())]
        for n in range(50):
            talker.link.publish(Outgoing("t/cmd", str(n).encode(), retain=True))
        listener = Listener(broker, ["t/#"])
        await talker.until(lambda: not talker.link._pending)
        tasks.append(asyncio.create_task(listener.link.run()))
        await listener.until(lambda: listener.heard)
        assert listener.heard[0] == ("t/cmd", b"49", True)  # the newest, retained
        for n in range(50, 60):
            talker.link.publish(Outgoing("t/cmd", str(n).encode()))
        await listener.until(lambda: len(listener.heard) == 11)
        assert [int(p) for _, p, _ in listener.heard[1:]] == list(range(50, 60))
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    run_on_qt_loop(qapp, scenario())


def test_a_broker_killed_and_restarted_loses_nothing_that_was_published_meanwhile(
    qapp: Any, broker: LocalBroker
) -> None:
    async def scenario() -> None:
        talker, listener = Listener(broker, []), Listener(broker, ["t/#"], persistent=True)
        tasks = [asyncio.create_task(x.link.run()) for x in (talker, listener)]
        await listener.until(lambda: talker.link.connected and listener.link.connected)
        db = broker.folder / "mosquitto.db"
        saved = db.stat().st_mtime_ns if db.exists() else 0
        talker.link.publish(Outgoing("t/state", b"before"))
        await listener.until(lambda: listener.heard)
        # mosquitto delivers first and saves later in the same loop pass: kill after the save
        await listener.until(lambda: db.exists() and db.stat().st_mtime_ns != saved)
        broker.kill()
        await listener.until(lambda: not talker.link.connected and not listener.link.connected)
        for n in range(5):
            talker.link.publish(Outgoing("t/cmd", str(n).encode(), retain=False))
        broker.start()
        await listener.until(lambda: len([h for h in listener.heard if h[0] == "t/cmd"]) == 5)
        await listener.until(lambda: len([h for h in listener.heard if h[0] == "t/state"]) == 2)
        assert [p for t, p, _ in listener.heard if t == "t/cmd"] == [b"0", b"1", b"2", b"3", b"4"]
        assert ("t/state", b"before", True) in listener.heard[1:]  # retained survived kill -9
        assert talker.states[-1] is True and False in talker.states
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    run_on_qt_loop(qapp, scenario())
