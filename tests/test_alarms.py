"""Alarm routing: rules, rate limit and coalescing, pin/dismiss, nearest cameras; the banner."""

from __future__ import annotations

import asyncio

import httpx
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.actions.delivery import IocDelivery
from console.actions.outbox import Outbox
from console.actions.sender import OutboxSender
from console.domain.alarms import AlarmRouter, AlarmRule, nearest_cameras
from console.domain.records import (
    ActionKind,
    Camera,
    CameraStatus,
    Category,
    IncidentAction,
    IncidentStatus,
    Priority,
)
from console.layout.panel_kinds import IncidentsConfig
from console.stores.cameras import CameraStore
from console.stores.incidents import IncidentTableModel
from console.stores.kpis import KpiStore
from console.stores.layers import LayerStore
from tests.test_stores import incident
from widgets.incidents.panel import IncidentsPanel
from widgets.panel import PanelContext

SECURITY_HIGH = AlarmRule(priority_at_least=Priority.HIGH, categories=(Category.SECURITY,))


def security(n: int, priority: Priority = Priority.HIGH, **changes: object):  # type: ignore[no-untyped-def]
    return incident(n).model_copy(
        update={"category": Category.SECURITY, "priority": priority, **changes}
    )


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rules_from_the_layout_match_priority_and_category() -> None:
    rule = IncidentsConfig.model_validate(
        {"alarms": [{"priority_at_least": "high", "categories": ["security"]}]}
    ).alarms[0]
    assert rule == SECURITY_HIGH
    assert rule.matches(security(1)) and rule.matches(security(2, Priority.CRITICAL))
    assert not rule.matches(security(3, Priority.MEDIUM))
    assert not rule.matches(incident(4))  # traffic


def test_a_burst_becomes_one_alarm_counting_the_rest() -> None:
    clock = Clock()
    router = AlarmRouter([SECURITY_HIGH], interval_s=10, clock=clock)
    first = router.offer([security(1)])
    assert first is not None and first.headline.id == "inc-1"
    for n in range(2, 30):  # a storm within the interval: nothing pops up
        clock.now += 0.1
        assert router.offer([security(n), incident(100 + n)]) is None
    assert router.offer([security(5)]) is None  # seen already: never twice
    clock.now += 10
    burst = router.tick()
    assert burst is not None and burst.count == 28
    assert router.tick() is None and router.current is burst


def test_the_headline_is_the_most_urgent_incident_of_the_burst() -> None:
    clock = Clock()
    router = AlarmRouter([SECURITY_HIGH], interval_s=5, clock=clock)
    router.offer([security(1)])
    router.offer([security(2), security(3, Priority.CRITICAL), security(4)])
    clock.now += 5
    alarm = router.tick()
    assert alarm is not None and alarm.headline.id == "inc-3" and alarm.count == 3


def test_pin_holds_the_alarm_and_dismiss_shows_what_waited() -> None:
    clock = Clock()
    router = AlarmRouter([SECURITY_HIGH], interval_s=5, clock=clock)
    router.offer([security(1)])
    router.pin()
    clock.now += 60
    assert router.offer([security(2)]) is None  # pinned: it waits
    assert router.current is not None and router.current.headline.id == "inc-1"
    assert router.waiting is not None and router.waiting.count == 1
    shown = router.dismiss()
    assert shown is not None and shown.headline.id == "inc-2" and not router.pinned
    assert router.dismiss() is None and router.current is None


def test_resolved_or_unmatched_incidents_never_alarm() -> None:
    router = AlarmRouter([SECURITY_HIGH], interval_s=5, clock=Clock())
    resolved = security(1, status=IncidentStatus.RESOLVED)
    assert router.offer([resolved, incident(2)]) is None and router.waiting is None


def camera(camera_id: str, lat: float, lon: float, online: bool = True) -> Camera:
    status = CameraStatus.ONLINE if online else CameraStatus.OFFLINE
    return Camera.model_validate(
        {
            "id": camera_id,
            "name": camera_id,
            "district": "Đồng Xoài",
            "lat": lat,
            "lon": lon,
            "status": status,
            "streams": {},
        }
    )


def test_nearest_cameras_are_online_and_nearest_first() -> None:
    cameras = [
        camera("far", 11.9, 107.2),
        camera("near", 11.536, 106.884),
        camera("near-but-offline", 11.535, 106.883, online=False),
        camera("mid", 11.6, 106.9),
    ]
    picked = nearest_cameras(cameras, 11.535, 106.883, 2)
    assert [c.id for c in picked] == ["near", "mid"]
    assert nearest_cameras(cameras, 0.0, 0.0, 2) == []  # unknown place: no guess


def make_panel(qtbot: QtBot, store: IncidentTableModel, **config: object) -> IncidentsPanel:
    context = PanelContext(CameraStore(), store, KpiStore(), LayerStore())
    panel = IncidentsPanel(context, IncidentsConfig.model_validate(config))
    qtbot.addWidget(panel)
    panel.resize(1100, 500)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_panel_spot_shows_live_matches_and_signals_the_place(qtbot: QtBot) -> None:
    store = IncidentTableModel()
    store.upsert([security(1)])  # the first load: never an alarm
    panel = make_panel(
        qtbot, store, alarms=[{"priority_at_least": "high", "categories": ["security"]}]
    )
    assert not panel.alarm.isVisible()
    with qtbot.waitSignal(panel.alarmRaised) as raised:
        store.upsert([security(2, title="Gây rối <b>trật tự</b>", lat=11.6, lon=106.7)], live=True)
    assert raised.args == ["inc-2", 11.6, 106.7]
    assert panel.alarm.isVisible()
    assert "Gây rối <b>trật tự</b>" in panel.alarm.text.text()  # shown as text, not HTML
    assert panel.alarm.text.textFormat() is Qt.TextFormat.PlainText
    store.upsert([security(3), security(4)], live=True)  # within the interval: waits
    assert panel.alarms.waiting is not None and panel.alarm.waiting.text() == "2 waiting"
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_P)
    assert panel.alarms.pinned and panel.alarm.pin_button.isChecked()
    with qtbot.waitSignal(panel.alarmRaised) as raised:
        qtbot.keyClick(panel.table, Qt.Key.Key_D)  # dismiss: the burst shows at once
    assert raised.args[0] in ("inc-3", "inc-4")
    assert "(+1 more in this burst)" in panel.alarm.text.text()
    panel.alarm.open_button.click()
    assert panel.selected_incident_id() == raised.args[0]
    qtbot.keyClick(panel.table, Qt.Key.Key_D)
    assert not panel.alarm.isVisible()


def test_a_refused_action_is_explained_in_the_panel(
    qtbot: QtBot, qapp: QApplication, tmp_path, demo_url: str
) -> None:  # type: ignore[no-untyped-def]
    created = httpx.post(f"{demo_url}/api/v1/demo/incidents", json={"title": "Refuse me"}).json()
    store = IncidentTableModel()
    panel = make_panel(qtbot, store)
    outbox = Outbox(tmp_path / "outbox.sqlite")
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)

    async def scenario() -> None:
        async with httpx.AsyncClient(base_url=demo_url) as client:
            sender = OutboxSender(outbox, IocDelivery(client), store)
            task = asyncio.create_task(sender.run())
            try:
                refused = asyncio.Event()
                sender.refused.connect(lambda *_: refused.set())
                # A newly received incident cannot be reopened: the backend says 409.
                store.request_action(created["id"], IncidentAction(action=ActionKind.REOPEN))
                await asyncio.wait_for(refused.wait(), 10)
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    try:
        loop.run_until_complete(asyncio.wait_for(scenario(), 20))
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        outbox.close()
    assert panel.notice.isVisible()
    text = panel.notice.text()
    assert text.startswith(f"Could not reopen incident {created['id']}:")
    assert "only a resolved incident can be reopened" in text
