"""Wall nodes as separate processes: the broker's ACL, a node's restart and will, a broker kill.

A real mosquitto with the shipped ACL file and accounts, the real demo backend, and each
node a real `python -m ioc_console --site … --node …` under the test's X server.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from console.assets import resources_dir
from console.demo.broker import LocalBroker, mosquitto_path
from console.nodes.link import BrokerLink, Outgoing
from console.nodes.messages import Desired, encode
from console.nodes.roster import NodeRoster
from console.nodes.topics import Topics
from console.site.broker import Broker
from tests.conftest import FIXTURES
from tests.test_wall_integration import wait_for

pytestmark = pytest.mark.skipif(mosquitto_path() is None, reason="mosquitto not installed")
ROOT = Path(__file__).resolve().parent.parent
TOPICS = Topics("ioc/test-wall")
ACCOUNTS = {"controller": "c-pass", "viewer": "v-pass", "wall-1": "n-pass"}


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[LocalBroker]:
    acl = resources_dir() / "broker" / "acl"
    with LocalBroker(tmp_path / "broker", acl_file=acl, accounts=ACCOUNTS) as running:
        yield running


def site_file(folder: Path, demo_url: str, broker: LocalBroker) -> Path:
    path = folder / "wall.site.yaml"
    path.write_text(
        f"""version: 1
name: test-wall
connections:
  - {{name: province, kind: ioc, url: "{demo_url}"}}
broker:
  url: "{broker.url}"
  username: wall-1
  password: {{env: TEST_NODE_PASSWORD}}
""",
        encoding="utf-8",
    )
    return path


def start_node(site: Path, folder: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TEST_NODE_PASSWORD": ACCOUNTS["wall-1"], "QT_QPA_PLATFORM": "offscreen"}
    env["XDG_DATA_HOME"] = str(folder / "node-data")  # its own audit log
    command = [sys.executable, "-m", "ioc_console", "--site", str(site), "--node", "wall-1"]
    command += ["--layout", str(FIXTURES / "node-presets.yaml"), "--preset", "node-a"]
    command += ["--exit-after", "120"]
    log = (folder / "node.log").open("ab")
    with log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)


class Desk:
    """A controller desk signed in as `account`, with the roster of the site's nodes."""

    def __init__(self, broker: LocalBroker, account: str) -> None:
        self.roster = NodeRoster(TOPICS)
        self.link = BrokerLink(
            Broker(url=broker.url, username=account),
            self.roster.subscriptions(),
            self.roster.on_message,
            password=ACCOUNTS[account],
            name=f"desk-{account}",
        )

    def send(self, desired: Desired) -> None:
        self.link.publish(Outgoing(TOPICS.node(desired.node, "desired"), encode(desired)))

    def view(self) -> Any:
        return self.roster.nodes.get("wall-1")


until = partial(wait_for, timeout=60.0)  # a node process starts in seconds


def test_the_broker_refuses_a_viewer_a_node_restarts_on_its_state_and_survives_a_broker_kill(
    qapp: Any, demo_url: str, broker: LocalBroker, tmp_path: Path
) -> None:
    site = site_file(tmp_path, demo_url, broker)
    node = start_node(site, tmp_path)

    def showing() -> Any:
        view = desk.view()
        return (
            None
            if view is None or view.showing is None
            else (view.showing.preset, view.showing.applied_seq)
        )

    async def scenario() -> None:
        viewer = Desk(broker, "viewer")
        tasks = [asyncio.create_task(d.link.run()) for d in (desk, viewer)]
        try:
            await until(lambda: desk.view() is not None and desk.view().online, showing)
            await until(lambda: showing() == ("node-a", 0), showing)
            # A viewer's account cannot publish a command, even one that claims a role.
            viewer.send(viewer.roster.command("wall-1", "intruder", "operator", preset="node-b"))
            await until(
                lambda: viewer.link.connected and not viewer.link._pending,
                lambda: viewer.link._pending,
            )
            desk.send(desk.roster.command("wall-1", "an", "operator", preset="node-b"))
            await until(lambda: showing() == ("node-b", 1), showing)
            assert desk.view().desired.by == "an"  # the viewer's forgery never reached the broker

            node.send_signal(signal.SIGKILL)  # a power cut: the broker sends its will
            await until(lambda: not desk.view().online, showing)
            assert desk.view().lost_at is not None
            restarted_at = time.time()
            restarted = start_node(site, tmp_path)
            try:
                await until(lambda: desk.view().online, showing)
                # painted by the new process, not the killed one's retained report
                await until(
                    lambda: (
                        showing() == ("node-b", 1) and desk.view().showing.painted_at > restarted_at
                    ),
                    showing,
                )

                broker.kill()  # kill -9; commands issued meanwhile wait in the desk's link
                await until(lambda: not desk.link.connected, lambda: desk.link.connected)
                for _ in range(3):
                    preset = "node-a" if desk.roster._sent["wall-1"] % 2 else "node-b"
                    desk.send(desk.roster.command("wall-1", "an", "operator", preset=preset))
                broker.start()
                back = time.monotonic()
                await until(lambda: showing() == ("node-a", 4), showing, timeout=30)
                assert time.monotonic() - back < 15
            finally:
                restarted.kill()
                restarted.wait()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    desk = Desk(broker, "controller")
    try:
        from tests.conftest import run_on_qt_loop

        run_on_qt_loop(qapp, scenario())
    finally:
        node.kill()
        node.wait()
        print((tmp_path / "node.log").read_text(errors="replace")[-3000:])
