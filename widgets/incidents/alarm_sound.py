"""The console's alarm voice: one sound per priority, and a desktop notification.

One per console (`alarm_sounder()`), shared by every queue on every screen, so one
acknowledgement silences an alarm everywhere here and two queues never sound twice.
The tones are written once as WAV files into the cache folder (no audio files to ship
or license): critical three fast high beeps, high two, lower ones a single beep.
A wall node that must stay silent (a meeting-room kiosk) says so in its layout
(`alarm_sound: false`); the banner and the escalation still work there.
"""

from __future__ import annotations

import logging
import math
import struct
import wave
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject, QUrl
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from console.domain.escalation import AlarmWatch, Sounding, loudest
from console.domain.records import Incident, Priority

log = logging.getLogger(__name__)

RATE = 22_050
# (frequency Hz, beeps) per priority: higher and more insistent as it gets worse.
TONES: dict[Priority, tuple[int, int]] = {
    Priority.CRITICAL: (1320, 3),
    Priority.HIGH: (990, 2),
    Priority.MEDIUM: (740, 1),
    Priority.LOW: (660, 1),
}
VOLUME = {False: 0.6, True: 1.0}  # escalated: louder


def write_tone(path: Path, frequency: int, beeps: int) -> None:
    """Beeps of 0.18 s with 0.12 s gaps, softly ramped so they do not click."""
    frames = bytearray()
    beep, gap, ramp = int(RATE * 0.18), int(RATE * 0.12), int(RATE * 0.01)
    for _ in range(beeps):
        for n in range(beep):
            envelope = min(1.0, n / ramp, (beep - n) / ramp)
            sample = envelope * 0.8 * math.sin(2 * math.pi * frequency * n / RATE)
            frames += struct.pack("<h", int(sample * 32767))
        frames += b"\0\0" * gap
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))


class AlarmSounder(QObject):
    """Plays the tones and shows notifications; remembers what it did, for tests and logs."""

    def __init__(self, folder: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder or Path(platformdirs.user_cache_dir("ioc-console")) / "alarm-tones"
        self.watch = AlarmWatch()
        self.effects: dict[Priority, QSoundEffect] = {}
        self.played: list[tuple[str, Priority, bool]] = []  # incident id, priority, louder
        self.notified: list[str] = []
        self._tray: QSystemTrayIcon | None = None
        self._said_silent = False
        self.voices: weakref.WeakSet[AlarmVoice] = weakref.WeakSet()

    def audible(self) -> bool:
        """Heard if any queue of this console wants sound (a silent kiosk has none that do);
        whichever queue's tick comes first sounds an alarm, for all of them."""
        return any(voice.audible for voice in self.voices)

    def effect(self, priority: Priority) -> QSoundEffect:
        if priority not in self.effects:
            frequency, beeps = TONES[priority]
            path = self.folder / f"{priority.value}-{frequency}-{beeps}.wav"
            if not path.exists():
                write_tone(path, frequency, beeps)
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self.effects[priority] = effect
        return self.effects[priority]

    def play(self, sounding: Sounding) -> None:
        priority, escalated = sounding.priority, sounding.escalated
        self.played.append((sounding.incident_id, priority, escalated))
        log.info(
            "alarm sound: %s for %s%s",
            priority.value,
            sounding.incident_id,
            " (escalated)" if escalated else "",
        )
        if not QMediaDevices.audioOutputs():
            if not self._said_silent:
                log.warning("no audio output on this PC: alarms are shown, not heard")
                self._said_silent = True
            return
        effect = self.effect(priority)
        effect.setVolume(VOLUME[escalated])
        effect.play()

    def notify(self, title: str, text: str) -> None:
        """A desktop notification, only when no console window is in front."""
        if QApplication.activeWindow() is not None:
            return
        self.notified.append(text)
        if not QSystemTrayIcon.isSystemTrayAvailable():
            log.info("notification (no system tray here): %s — %s", title, text)
            return
        if self._tray is None:
            style = QApplication.style()
            self._tray = QSystemTrayIcon(
                style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning), self
            )
            self._tray.show()
        self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, 15_000)


_sounder: AlarmSounder | None = None


def alarm_sounder() -> AlarmSounder:
    """The console's one sounder."""
    global _sounder
    if _sounder is None:
        _sounder = AlarmSounder()
    return _sounder


class AlarmVoice(QObject):
    """One queue's part: sound its new alarms, repeat and escalate them until acknowledged.

    `is_waiting(id)` says whether an incident still waits for acknowledgement (the queue
    knows its store and the actions in flight); `escalate(id)` is the queue's way of
    telling the leader (a note on the incident)."""

    def __init__(
        self,
        audible: bool,
        repeat_s: float,
        escalate_after_s: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.audible = audible
        self.sounder = alarm_sounder()
        self.sounder.voices.add(self)
        self.sounder.watch.repeat_s = repeat_s
        self.sounder.watch.escalate_after_s = escalate_after_s

    def track(self, incidents: list[Incident]) -> None:
        """Alarmed incidents: repeated and escalated until someone acknowledges them."""
        self.sounder.watch.track(incidents)

    def announce(self, headline: Incident, text: str) -> None:
        """The banner raised an alarm (at most one per interval: a burst is one sound)."""
        escalated = self.sounder.watch.is_escalated(headline.id)
        if self.sounder.audible():
            self.sounder.play(Sounding(headline.id, headline.priority, escalated, False))
        self.sounder.notify(self.tr("IOC Console: new alarm"), text)

    def tick(self, is_waiting: Callable[[str], bool], escalate: Callable[[str], str]) -> None:
        """Every second: one sound for what is due (the loudest), and each escalation."""
        due = self.sounder.watch.due(is_waiting)
        sounding = loudest(due)
        if sounding is None:
            return
        if self.sounder.audible():
            self.sounder.play(sounding)
        said = [escalate(s.incident_id) for s in due if s.first_escalation]
        if said:
            more = self.tr(" (+{n} more)").format(n=len(said) - 1) if len(said) > 1 else ""
            self.sounder.notify(self.tr("IOC Console: alarm not acknowledged"), said[0] + more)

    def escalated(self, incident_id: str) -> bool:
        return self.sounder.watch.is_escalated(incident_id)

    def silence(self, incident_ids: Iterable[str]) -> None:
        for incident_id in incident_ids:
            self.sounder.watch.silence(incident_id)
