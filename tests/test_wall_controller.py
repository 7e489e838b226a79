"""A console as the wall's controller, against a real mosquitto and the real demo backend.

The controller and the node are two Consoles on one qasync loop (as two PCs would be),
or the node is a real `ioc_console` process whose death fires its will.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from console.demo.broker import LocalBroker, mosquitto_path
from console.nodes.messages import CameraContent, Presence, Showing, encode
from ioc_console.sites import demo_site
from tests.conftest import FIXTURES, run_on_qt_loop
from tests.test_wall_integration import wait_for as until

pytestmark = pytest.mark.skipif(mosquitto_path() is None, reason="mosquitto not installed")
PRESETS = FIXTURES / "node-presets.yaml"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[LocalBroker]:
    with LocalBroker(tmp_path / "broker") as running:
        yield running


async def quiet(link: Any) -> None:
    """Nothing in flight before a link is cancelled: on Python 3.11 a cancel that meets a
    publish's acknowledgement inside asyncio.wait_for (aiomqtt) is lost, and the link's
    task then never ends (see the report of issue #18's controller)."""
    if link is not None:
        await link.drain(5.0)


def console(demo_url: str, broker_url: str, node: str | None = None) -> Any:
    from ioc_console.app import Console

    preset = "node-a" if node else "node-b"
    return Console(demo_site(demo_url), PRESETS, preset=preset, node=node, broker_url=broker_url)


def run_wall(qapp: Any, demo_url: str, broker_url: str, scenario: Any, node: bool = True) -> None:
    """A controller console (and a node console "wall-1"), started; the scenario runs."""
    from widgets.nodes.controller import controller_of

    async def body() -> None:
        consoles = [console(demo_url, broker_url)]
        if node:
            consoles.append(console(demo_url, broker_url, "wall-1"))
        for each in consoles:
            each.start()
        try:
            controller = controller_of(consoles[0].controls)
            assert controller is not None and consoles[0].node is None
            controller.audit_mark = len(controller.audit.entries())
            await scenario(controller, *consoles)
        finally:
            for each in consoles:
                await quiet(each.broker_link)
                await each.aclose()

    run_on_qt_loop(qapp, body())


def open_dialog(ctl: Any) -> Any:
    """Wall ▸ Wall nodes… (Ctrl+Shift+W), as the menu does it."""
    titles = {title: actions for title, actions in ctl.controls.extra_menus}
    (action,) = titles["&Wall"]
    assert action.shortcut().toString() == "Ctrl+Shift+W"
    action.trigger()
    from widgets.nodes.controller import controller_of

    dialog = controller_of(ctl.controls).dialog  # type: ignore[union-attr]
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    return dialog


def audit_lines(controller: Any) -> dict[str, str]:
    """The commands this controller recorded (the log is shared by the whole session)."""
    return {
        e["key"]: e["action"]
        for e in controller.audit.entries()[controller.audit_mark :]
        if e["result"] == "sent" and e["connection"] == "broker"
    }


def test_the_dialog_lists_a_node_and_drives_it(
    qapp: Any, demo_url: str, broker: LocalBroker
) -> None:
    async def scenario(controller: Any, ctl: Any, wall: Any) -> None:
        dialog = open_dialog(ctl)
        await until(lambda: "wall-1" in dialog.cards, lambda: list(dialog.cards))
        card = dialog.cards["wall-1"]
        await until(lambda: card.view.online and card.view.showing, lambda: card.view)
        assert card.state.text() == "online" and card.preset.text() == "Preset: node-a"
        assert card.last.text() == "No command yet"
        wall.node.publish_thumbnail()  # its timer would take ten seconds
        wall.node.publish_health()
        await until(lambda: not card.thumbnail.pixmap().isNull(), card.thumbnail.text)
        # this node's preset has no camera: "0/0 tiles live · 0 fps" would read as a fault
        await until(lambda: card.health.text().startswith("No video · CPU "), card.health.text)
        video = {"tiles": 4, "tiles_live": 3, "fps": 75.0}
        playing = replace(card.view, health=card.view.health.model_copy(update=video))
        assert card.health_words(playing).startswith("3/4 tiles live · 75 fps · CPU ")
        assert open_dialog(ctl) is dialog  # reused, not built again

        card.presets.setCurrentIndex(card.presets.findText("node-b"))
        QTest.mouseClick(card.show_button, Qt.MouseButton.LeftButton)
        await until(lambda: wall.wall.current.name == "node-b", lambda: wall.wall.current.name)
        await until(lambda: card.last.text().startswith("#1 by "), card.last.text)
        assert card.preset.text() == "Preset: node-b"

        card.send_button.click()
        send = card.send_dialog
        send.cell.setCurrentIndex(send.cell.findData("1/2"))
        assert send.cell.currentText().startswith("Screen 1 · panel 2 — ")
        send.tabs.setCurrentIndex(0)
        send.camera.setCurrentIndex(send.camera.findData("CAM-03"))
        send.send_button.click()
        second = lambda: wall.wall.current.screens[0].cells[1]  # noqa: E731
        await until(lambda: second().kind == "camera", second)
        assert second().config["camera"] == "CAM-03"
        assert wall.wall.current.screens[0].cells[0].kind == "kpi-tile"  # kept
        await until(lambda: card.last.text().startswith("#2 by "), card.last.text)

        card.take_back_button.click()
        await until(lambda: wall.wall.current.name == "node-a", lambda: wall.wall.current.name)
        assert wall.wall.current.screens[0].cells[1].config["kpi"] == "satisfaction"
        await until(lambda: card.last.text().startswith("#3 by "), card.last.text)

        sent = audit_lines(controller)
        assert sent["wall-1#1"] == "wall-command node=wall-1 preset=node-b"
        assert sent["wall-1#2"] == "wall-command node=wall-1 preset=node-b 1/2=camera"
        assert sent["wall-1#3"] == "wall-command node=wall-1 take back"
        applied = {e["key"] for e in wall.node.audit.entries() if e["result"] == "applied"}
        assert {"wall-1#1", "wall-1#2", "wall-1#3"} <= applied

    run_wall(qapp, demo_url, broker.url, scenario)


def test_an_incidents_nearest_cameras_fill_the_following_cells(
    qapp: Any, demo_url: str, broker: LocalBroker
) -> None:
    async def scenario(controller: Any, ctl: Any, wall: Any) -> None:
        dialog = open_dialog(ctl)
        await until(lambda: "wall-1" in dialog.cards, lambda: list(dialog.cards))
        card = dialog.cards["wall-1"]
        await until(lambda: card.send_button.isEnabled(), lambda: card.view)
        store = ctl.context.incidents
        placed = lambda: [i for i in store.incidents() if (i.lat, i.lon) != (0, 0)]  # noqa: E731
        await until(lambda: placed() and ctl.context.cameras.cameras(), lambda: len(placed()))
        incident = placed()[0]
        controller.selected_incident = incident.id  # as a click in the queue does
        send = card.open_send()
        assert send.incident_id.text() == incident.local_id
        send.cell.setCurrentIndex(0)
        send.count.setValue(2)
        send.tabs.setCurrentIndex(1)
        nearest = controller.nearest(incident, 2)
        assert len(nearest) == 2 and send.nearest.text().startswith(f"{nearest[0]} → 1/1")
        send.send_button.click()
        cells = lambda: wall.wall.current.screens[0].cells  # noqa: E731
        await until(lambda: [c.kind for c in cells()] == ["camera", "camera"], cells)
        assert [c.config["camera"] for c in cells()] == nearest

        send = card.open_send()  # a map view of the incident's place, then a KPI chart
        send.cell.setCurrentIndex(1)
        send.tabs.setCurrentIndex(2)
        send.place_button.click()
        # the incident's place to the spin box's precision (rounding both can differ by one)
        assert abs(send.lat.value() - incident.lat) <= 0.5 * 10 ** -send.lat.decimals() + 1e-9
        assert send.contents()["1/2"].kind == "map"
        send.tabs.setCurrentIndex(3)
        send.send_button.click()
        assert send.problem.text() == "Tick one to 8 indicators." and send.isVisible()
        send.kpis.item(0).setCheckState(Qt.CheckState.Checked)
        send.send_button.click()
        await until(lambda: cells()[1].kind == "kpi-chart", cells)
        assert cells()[0].kind == "camera"  # the cells sent before stay
        assert audit_lines(controller)["wall-1#2"].endswith("node=wall-1 1/1=camera 1/2=kpi")

    run_wall(qapp, demo_url, broker.url, scenario)


def test_a_viewer_sees_the_wall_and_commands_nothing(
    qapp: Any, demo_url: str, broker: LocalBroker
) -> None:
    async def scenario(controller: Any, ctl: Any, _wall: Any) -> None:
        link = ctl.federation.links[next(iter(ctl.federation.links))]
        await until(lambda: link.role is not None, lambda: link.role)  # the backend spoke
        published: list[Any] = []
        publish = controller.link.publish
        controller.link.publish = lambda message: (published.append(message), publish(message))
        dialog = open_dialog(ctl)
        await until(lambda: "wall-1" in dialog.cards, lambda: list(dialog.cards))
        card = dialog.cards["wall-1"]
        await until(lambda: card.show_button.isEnabled(), lambda: card.view)
        ctl.context.session.set_role("viewer")
        for widget in card.command_widgets():
            assert not widget.isEnabled()
            assert "Your role (viewer) may not command the wall" in widget.toolTip()
        why = controller.show_preset("wall-1", "node-b")
        assert why == "Your role (viewer) may not command the wall"
        assert controller.take_back("wall-1") == why
        desired = controller.roster.command("wall-1", "someone", "operator", preset="node-b")
        assert controller.send(desired) == why
        assert published == [] and audit_lines(controller) == {}

        ctl.context.session.set_role("operator")  # the dialog follows the role
        assert card.show_button.isEnabled() and card.show_button.toolTip() == ""

    run_wall(qapp, demo_url, broker.url, scenario)


def test_commands_wait_for_a_broker_that_is_away(qapp: Any, demo_url: str, tmp_path: Path) -> None:
    later = LocalBroker(tmp_path / "broker")  # not listening yet

    async def scenario(controller: Any, ctl: Any) -> None:
        dialog = open_dialog(ctl)
        await until(lambda: not dialog.banner.isHidden(), dialog.banner.text)
        await until(lambda: controller.broker_up is False, dialog.banner.text)
        words = dialog.banner.text()
        assert words.startswith("Wall broker unreachable: ") and words.endswith("— retrying")
        topics = controller.topics  # what the broker kept from before, as it arrives
        controller.roster.on_message(
            topics.node("wall-7", "presence"), encode(Presence(node="wall-7", online=True)), True
        )
        showing = Showing(node="wall-7", preset="node-a", presets=["node-a", "node-b"])
        controller.roster.on_message(topics.node("wall-7", "showing"), encode(showing), True)
        card = dialog.cards["wall-7"]
        card.presets.setCurrentIndex(card.presets.findText("node-b"))
        card.show_button.click()
        assert card.last.text() == "#1 queued: sent when the broker is back"
        assert controller.send_cells("wall-7", {"1/1": CameraContent(camera="CAM-01")}) is None
        assert controller.send_cells("wall-7", {"1/2": CameraContent(camera="CAM-02")}) is None
        assert card.last.text() == "#3 queued: sent when the broker is back"
        later.start()
        try:
            await until(lambda: dialog.banner.isHidden(), dialog.banner.text)
            await until(lambda: card.last.text() == "Waiting for #3", card.last.text)
            desired = controller.roster.nodes["wall-7"].desired  # each built on the last
            assert desired.preset == "node-b" and sorted(desired.cells) == ["1/1", "1/2"]
        finally:
            await quiet(controller.link)
            later.stop()

    run_wall(qapp, demo_url, later.url, scenario, node=False)


def test_a_node_that_dies_is_lost_since_its_will_fired(
    qapp: Any, demo_url: str, broker: LocalBroker
) -> None:
    command = [sys.executable, "-m", "ioc_console", "--demo", "--broker", broker.url]
    command += ["--node", "wall-9", "--layout", str(PRESETS), "--preset", "node-a"]
    node = subprocess.Popen([*command, "--exit-after", "60"], cwd=ROOT, env=dict(os.environ))

    async def scenario(_controller: Any, ctl: Any) -> None:
        dialog = open_dialog(ctl)
        online = lambda: "wall-9" in dialog.cards and dialog.cards["wall-9"].view.online  # noqa: E731
        await until(online, lambda: list(dialog.cards), timeout=60)
        card = dialog.cards["wall-9"]
        assert card.state.text() == "online"
        before = time.time()
        os.kill(node.pid, signal.SIGKILL)  # no goodbye: the broker sends its will
        await until(lambda: card.state.text().startswith("lost since "), card.state.text)
        assert before - 1 <= card.view.lost_at <= time.time()
        from console.domain import formatting

        assert card.state.text() == f"lost since {formatting.clock(card.view.lost_at)}"

    try:
        run_wall(qapp, demo_url, broker.url, scenario, node=False)
    finally:
        node.kill()
        node.wait(10)
