"""A camera tour: one tile cycles a list of cameras, a dwell time on each.

The operator can pause and resume it; it also holds still while an alarm shows on the tile,
so the picture an operator must look at never rotates away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from console.domain.records import Incident, IncidentStatus, Priority, Source
from console.stores import IncidentTableModel

_ALARM_PRIORITIES = (Priority.HIGH, Priority.CRITICAL)


def alarm_open(incidents: Iterable[Incident], district: str | None) -> bool:
    """An unacknowledged high-priority camera alarm is open in `district`: a tour holds."""
    return any(
        incident.source == Source.CAMERA
        and incident.status == IncidentStatus.RECEIVED
        and incident.priority in _ALARM_PRIORITIES
        and incident.district == district
        for incident in incidents
    )


class CameraTour(QObject):
    cameraChanged = Signal(str)  # the camera id to show now
    pausedChanged = Signal()  # the operator paused or resumed, or an alarm hold began or ended

    def __init__(
        self, cameras: Sequence[str], dwell_s: float, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.cameras = list(cameras)
        self.index = 0
        self.paused_by_operator = False
        self.paused_by_alarm = False
        self._timer = QTimer(self, interval=int(dwell_s * 1000))
        self._timer.timeout.connect(self.advance)
        self._incidents: IncidentTableModel | None = None
        self._district: Callable[[], str | None] = lambda: None

    @property
    def current(self) -> str | None:
        return self.cameras[self.index] if self.cameras else None

    @property
    def paused(self) -> bool:
        return self.paused_by_operator or self.paused_by_alarm

    def start(self) -> None:
        self._update()

    def stop(self) -> None:
        self._timer.stop()

    def advance(self) -> None:
        if not self.cameras or self.paused:
            return
        self.index = (self.index + 1) % len(self.cameras)
        self.cameraChanged.emit(self.cameras[self.index])

    def set_paused(self, paused: bool) -> None:
        self.paused_by_operator = paused
        self._update()
        self.pausedChanged.emit()

    def set_alarm(self, alarm: bool) -> None:
        self.paused_by_alarm = alarm
        self._update()
        self.pausedChanged.emit()

    def follow_alarms(
        self, incidents: IncidentTableModel, district: Callable[[], str | None]
    ) -> None:
        """Hold while `alarm_open` in `district()` (the district of the camera shown now)."""
        self._incidents, self._district = incidents, district
        incidents.incidentsUpserted.connect(self.check_alarm)

    def check_alarm(self, _incidents: object = None) -> None:
        """Look again: new incidents arrived, or the tile shows another camera."""
        if self._incidents is None:
            return
        alarm = alarm_open(self._incidents.incidents(), self._district())
        if alarm != self.paused_by_alarm:
            self.set_alarm(alarm)

    def _update(self) -> None:
        if self.paused or len(self.cameras) < 2:
            self._timer.stop()
        elif not self._timer.isActive():
            self._timer.start()  # a full dwell after resuming, not what was left
