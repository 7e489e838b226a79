"""Plays the critical alarm tone through the console's sounder and says whether it played.

Run in its own process, with PULSE_SERVER pointing at a null sink (tests/test_alarm_sound.py):
the test process itself may already have opened Qt Multimedia without any audio device.
Prints one JSON line: {"outputs": [...], "played": bool, "status": str}.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import QApplication

from console.domain.escalation import Sounding
from console.domain.records import Priority
from widgets.incidents.alarm_sound import AlarmSounder


def main() -> int:
    app = QApplication(sys.argv[:1])
    result: dict[str, object] = {
        "outputs": [device.description() for device in QMediaDevices.audioOutputs()],
        "played": False,
    }
    sounder = AlarmSounder(Path(tempfile.mkdtemp()))
    effect = sounder.effect(Priority.CRITICAL)

    def on_playing() -> None:
        if effect.isPlaying():
            result["played"] = True
            app.quit()

    effect.playingChanged.connect(on_playing)
    sounding = Sounding("probe", Priority.CRITICAL, escalated=False, first_escalation=False)
    QTimer.singleShot(0, lambda: sounder.play(sounding))
    QTimer.singleShot(10_000, app.quit)
    app.exec()
    result["status"] = effect.status().name
    effect.playingChanged.disconnect(on_playing)
    effect.stop()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
