"""A console as a wall node, against a real mosquitto and the real demo backend."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.demo.broker import LocalBroker, mosquitto_path
from console.nodes.link import BrokerLink, Outgoing
from console.nodes.messages import Desired, KpiContent, Showing, decode, encode
from console.nodes.topics import Topics
from console.site.broker import Broker
from ioc_console.sites import demo_site
from tests.conftest import FIXTURES, run_on_qt_loop
from tests.test_wall_integration import wait_for as until

pytestmark = pytest.mark.skipif(mosquitto_path() is None, reason="mosquitto not installed")
PRESETS = FIXTURES / "node-presets.yaml"
TOPICS = Topics("ioc/demo-binh-phuoc")


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[LocalBroker]:
    with LocalBroker(tmp_path / "broker") as running:
        yield running


def command(seq: int, role: str = "operator", **fields: Any) -> Outgoing:
    desired = Desired(
        node="wall-1", seq=seq, by="tester", role=role, issued_at=time.time(), **fields
    )
    return Outgoing(TOPICS.node("wall-1", "desired"), encode(desired))


class Controller:
    """A bare link that sends commands and hears what the node says it shows."""

    def __init__(self, broker: LocalBroker) -> None:
        self.showing: list[Showing] = []
        self.link = BrokerLink(Broker(url=broker.url), [TOPICS.every_node("showing")], self._heard)

    def _heard(self, topic: str, payload: bytes, _retained: bool) -> None:
        showing = decode(Showing, payload, topic)
        if showing is not None:
            self.showing.append(showing)

    def applied(self) -> int:
        return self.showing[-1].applied_seq if self.showing else -1


def run_node(qapp: Any, demo_url: str, broker: LocalBroker, scenario: Any) -> None:
    from ioc_console.app import Console

    async def body() -> None:
        console = Console(
            demo_site(demo_url), PRESETS, preset="node-a", node="wall-1", broker_url=broker.url
        )
        controller = Controller(broker)
        console.start()
        task = asyncio.create_task(controller.link.run())
        try:
            await scenario(console, controller)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await console.aclose()

    run_on_qt_loop(qapp, body())


def test_a_node_follows_commands_refuses_a_viewer_and_ignores_a_stale_one(
    qapp: Any, demo_url: str, broker: LocalBroker
) -> None:
    async def scenario(console: Any, controller: Controller) -> None:
        await until(lambda: controller.showing, lambda: controller.showing)
        assert controller.showing[-1].preset == "node-a"
        assert {"node-a", "node-b"} <= set(controller.showing[-1].presets)
        controller.link.publish(command(1, preset="node-b"))
        await until(lambda: controller.applied() == 1, controller.applied)
        assert console.wall.current.name == "node-b"
        assert controller.showing[-1].painted_at > 0

        controller.link.publish(command(2, role="viewer", preset="node-a"))
        await until(lambda: console.node.applied_seq == 2, lambda: console.node.applied_seq)
        assert console.wall.current.name == "node-b"  # a viewer does not drive the wall

        controller.link.publish(command(1, preset="node-a"))  # late, replayed
        kpi = KpiContent(indicators=["satisfaction"])
        controller.link.publish(command(3, preset="node-b", cells={"1/2": kpi}))
        await until(lambda: controller.applied() == 3, controller.applied)
        cell = console.wall.current.screens[0].cells[1]
        assert (cell.kind, cell.config["kpis"]) == ("kpi-chart", ["satisfaction"])

        controller.link.publish(command(4))  # take back: the node's own preset
        await until(lambda: controller.applied() == 4, controller.applied)
        assert console.wall.current.name == "node-a"
        audit = [e for e in console.node.audit.entries() if e["key"].startswith("wall-1#")]
        results = {e["key"]: e["result"] for e in audit}
        assert results["wall-1#1"] == "applied" and results["wall-1#4"] == "applied"
        assert results["wall-1#2"].startswith("refused: role viewer")
        assert "wall-1#1" in results and list(results).count("wall-1#1") == 1

    run_node(qapp, demo_url, broker, scenario)


hostile = st.one_of(
    st.binary(max_size=300),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=20,
    ).map(lambda value: __import__("json").dumps(value).encode()),
    st.fixed_dictionaries(
        {
            "node": st.sampled_from(["wall-1", "wall-2", "../x"]),
            "seq": st.integers(),
            "by": st.text(max_size=5),
            "role": st.sampled_from(["viewer", "operator", ""]),
            "issued_at": st.floats(allow_nan=False),
            "preset": st.none() | st.text(max_size=10),
            "cells": st.dictionaries(
                st.text(max_size=6),
                st.dictionaries(st.text(max_size=6), st.integers(), max_size=2),
                max_size=2,
            ),
        }
    ).map(lambda value: __import__("json").dumps(value).encode()),
)


class StubWall:
    """Only for the hostile corpus: records what the node asks of the wall."""

    def __init__(self) -> None:
        from PySide6.QtCore import QObject, Signal

        class Signals(QObject):
            presetApplied = Signal(str)

        self._signals = Signals()
        self.presetApplied = self._signals.presetApplied
        self.current = None
        self.applied: list[Any] = []

    def apply(self, layout: Any) -> None:
        self.applied.append(layout)

    def window_list(self) -> list[Any]:
        return []


class StubLibrary:
    def find(self, _name: str) -> None:
        return None

    def presets(self) -> list[Any]:
        return []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=hostile)
def test_a_malformed_or_foreign_command_is_dropped_and_never_crashes_a_node(
    qapp: Any, tmp_path_factory: pytest.TempPathFactory, payload: bytes
) -> None:
    from console.actions.audit import AuditLog
    from console.layout.loader import load_presets
    from widgets.nodes.node import WallNode

    wall = StubWall()
    wall.current = load_presets([PRESETS])[0]
    audit = AuditLog(tmp_path_factory.mktemp("audit") / "audit.jsonl")
    node = WallNode("wall-1", TOPICS, wall, StubLibrary(), audit)
    node.on_message(TOPICS.node("wall-1", "desired"), payload, False)
    valid = decode(Desired, payload, "t")
    if valid is None or valid.node != "wall-1" or valid.seq < 1:
        assert wall.applied == [] and node.applied_seq == 0
    elif valid.role not in ("operator", "leader"):
        assert wall.applied == []
