"""Alarms that are heard: a tone per priority (played for real on a null sink), repeats,
escalation when left alone, and silence once acknowledged — against the real demo."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.domain.escalation import AlarmWatch, loudest
from console.domain.records import ActionKind, IncidentStatus, Priority
from console.site.model import site_for_backend
from tests.conftest import needs_display
from tests.test_stores import incident
from tests.test_wall_integration import run_console, wait_for

ROOT = Path(__file__).resolve().parents[1]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_alarm_repeats_escalates_once_and_stops_when_acknowledged() -> None:
    clock = Clock()
    watch = AlarmWatch(repeat_s=60, escalate_after_s=300, clock=clock)
    first = incident(1).model_copy(update={"priority": Priority.HIGH})
    worse = incident(2).model_copy(update={"priority": Priority.CRITICAL})
    watch.track([first, worse])
    watch.track([first])  # already followed: its clock does not restart
    waiting = {first.id, worse.id}
    clock.now += 30
    assert watch.due(waiting.__contains__) == []
    clock.now += 30
    repeats = watch.due(waiting.__contains__)
    assert {s.incident_id for s in repeats} == waiting
    assert loudest(repeats).priority is Priority.CRITICAL  # a burst is one sound
    waiting.discard(first.id)  # acknowledged somewhere
    clock.now += 240
    (escalation,) = watch.due(waiting.__contains__)
    assert escalation.incident_id == worse.id and escalation.escalated
    assert escalation.first_escalation  # the leader is told once
    clock.now += 60
    (again,) = watch.due(waiting.__contains__)
    assert again.escalated and not again.first_escalation
    waiting.clear()
    clock.now += 600
    assert watch.due(waiting.__contains__) == [] and watch.waiting() == []


ALARM_LAYOUT = """\
version: 1
name: alarm-desk
screens:
  - name: desk
    rows: 1
    columns: 1
    cells:
      - row: 0
        column: 0
        kind: incidents
        config:
          alarms: [{priority_at_least: critical}]
          alarm_interval_s: 1
          alarm_repeat_s: 30
          escalate_after_s: 120
"""


@needs_display()
def test_a_critical_incident_sounds_escalates_when_left_alone_and_ack_silences(
    qapp: QApplication, demo_url: str, tmp_path: Path
) -> None:
    from ioc_console.app import Console
    from widgets.incidents.alarm_sound import alarm_sounder

    layout = tmp_path / "alarm-desk.yaml"
    layout.write_text(ALARM_LAYOUT, encoding="utf-8")
    sounder = alarm_sounder()
    clock = Clock()

    async def scenario(console: Console) -> None:
        panel = next(p for p in console.panels() if p.KIND == "incidents")
        sounder.watch = AlarmWatch(30, 120, clock)
        sounder.played.clear()
        await wait_for(lambda: panel.queue.rowCount() > 5, panel.queue.rowCount)
        created = httpx.post(
            f"{demo_url}/api/v1/demo/incidents",
            json={"title": "Cháy kho hàng", "category": "security", "priority": "critical"},
        ).json()
        await wait_for(lambda: panel.store.get(created["id"]) is not None, panel.queue.rowCount)
        ours = panel.store.get(created["id"]).id  # with its connection: "backend/INC-…"

        def heard(escalated: bool) -> bool:
            return (ours, Priority.CRITICAL, escalated) in sounder.played

        await wait_for(lambda: heard(False), sounder.played.copy)
        assert panel.alarm.isVisible()  # the banner (ours, or the demo's own critical one)
        assert ours in sounder.watch.waiting()
        clock.now += 120  # nobody acknowledges for two minutes
        await wait_for(lambda: ours in sounder.watch.escalated(), sounder.watch.escalated)
        await wait_for(lambda: any(louder for *_, louder in sounder.played), sounder.played.copy)
        await wait_for(lambda: panel.alarm.escalated, lambda: panel.alarm.escalated)

        def notes() -> list[str]:
            found = panel.store.get(ours)
            return [n.text for n in found.notes] if found else []

        await wait_for(lambda: any("Escalated to the duty leader" in t for t in notes()), notes)

        assert panel.select(ours)
        panel.action_bar.trigger(ActionKind.ACKNOWLEDGE)
        await wait_for(lambda: ours not in sounder.watch.waiting(), sounder.watch.waiting)
        heard_before = len([p for p in sounder.played if p[0] == ours])
        clock.now += 600
        panel._on_tick()  # a tick long after: ours sounds no more (the demo's may)
        assert len([p for p in sounder.played if p[0] == ours]) == heard_before
        await wait_for(
            lambda: panel.store.get(ours).status is not IncidentStatus.RECEIVED,
            lambda: panel.store.get(ours).status,
        )

    run_console(qapp, site_for_backend(demo_url), scenario, layout)


@pytest.fixture
def null_sink(tmp_path: Path) -> Iterator[str]:
    """A PulseAudio server with one null sink: a real audio device that plays into nothing."""
    binary = shutil.which("pulseaudio")
    assert binary, "pulseaudio is a system package of `make test` (Makefile APT_PACKAGES)"
    home = tmp_path / "pulse"
    home.mkdir()
    socket = home / "native"
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(home)}
    server = subprocess.Popen(
        [
            binary,
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "-L",
            "module-null-sink sink_name=null",
            "-L",
            f"module-native-protocol-unix socket={socket} auth-anonymous=1",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):  # up to 10 s for the server to open its socket
            if socket.exists():
                break
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(0.1)  # returns early only if the server died
                pytest.fail(f"pulseaudio ended at start (exit {server.returncode})")
        ready = subprocess.run(
            ["pactl", "--server", f"unix:{socket}", "info"], capture_output=True, timeout=10
        )
        assert ready.returncode == 0, ready.stderr
        yield f"unix:{socket}"
    finally:
        server.terminate()
        server.wait(10)


def test_the_critical_tone_really_plays_on_an_audio_device(null_sink: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.alarm_probe"],
        cwd=ROOT,
        env={**os.environ, "PULSE_SERVER": null_sink, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["outputs"] and report["played"], (report, result.stderr[-2000:])


@needs_display()
def test_a_notification_only_when_no_console_window_is_in_front(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QLabel

    from widgets.incidents.alarm_sound import AlarmSounder

    sounder = AlarmSounder(tmp_path)
    window = QLabel("wall")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    sounder.notify("IOC Console: new alarm", "Cháy kho hàng")
    assert sounder.notified == []  # the operator is looking at the console
    window.hide()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is None)
    sounder.notify("IOC Console: new alarm", "Cháy kho hàng")
    assert sounder.notified == ["Cháy kho hàng"]


def test_a_silent_kiosk_stays_silent_and_one_audible_queue_is_enough(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from widgets.incidents import alarm_sound

    sounder = alarm_sound.AlarmSounder(tmp_path)
    monkeypatch.setattr(alarm_sound, "_sounder", sounder)
    clock = Clock()
    sounder.watch.clock = clock
    critical = incident(1).model_copy(update={"priority": Priority.CRITICAL})
    kiosk = alarm_sound.AlarmVoice(False, 60, 300)  # `alarm_sound: false` in its layout
    kiosk.track([critical])
    kiosk.announce(critical, "Cháy kho hàng")
    assert sounder.played == []  # shown, not heard
    desk = alarm_sound.AlarmVoice(True, 60, 300)  # another queue on the same console
    clock.now += 61  # a minute later: the repeat is due
    kiosk.tick(lambda _id: True, lambda _id: "escalated")  # the silent queue ticks first...
    assert [p[0] for p in sounder.played] == [critical.id]  # ...and it is heard once
    assert desk.audible and sounder.audible()
