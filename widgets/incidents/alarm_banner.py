"""The alarm "spot": a banner at the top of the incident queue with Pin and Dismiss.

P pins (the alarm stays, newer ones wait), D dismisses (the next waiting alarm, if
any, shows at once). The text is the backend's, so it is set as plain text only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from console.domain.alarms import Alarm
from console.stores.incidents import value_name
from widgets.text import PlainLabel, plain_tooltip

TOOLTIP_LINES = 30


class IncidentAlarmBanner(QFrame):
    """Shows one Alarm; emits `pinRequested(bool)` and `dismissRequested()`."""

    pinRequested = Signal(bool)
    dismissRequested = Signal()
    openRequested = Signal(str)  # incident id: select it in the queue

    def __init__(self, shortcut_scope: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("IncidentAlarm")
        self.setStyleSheet(
            "#IncidentAlarm { background: #7a1010; border: 2px solid #ff5040; }"
            '#IncidentAlarm[escalated="true"] { background: #c01010; border: 4px solid #ffd000; }'
            "#IncidentAlarm QLabel { color: white; font-weight: bold; }"
        )
        self.escalated = False
        self.alarm: Alarm | None = None
        self.text = PlainLabel()
        self.text.setWordWrap(True)
        self.waiting = PlainLabel()
        self.open_button = QPushButton(self.tr("Show"))
        self.pin_button = QPushButton(self.tr("Pin (P)"))
        self.pin_button.setCheckable(True)
        self.dismiss_button = QPushButton(self.tr("Dismiss (D)"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.waiting)
        for button in (self.open_button, self.pin_button, self.dismiss_button):
            layout.addWidget(button)
        self.open_button.clicked.connect(self._open)
        self.pin_button.toggled.connect(self.pinRequested)
        self.dismiss_button.clicked.connect(self.dismissRequested)
        for key, slot in (("P", self.pin_button.toggle), ("D", self.dismiss_button.click)):
            shortcut = QShortcut(QKeySequence(key), shortcut_scope)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=slot: self.isVisible() and s())
        self.show_alarm(None, None, False)

    def show_alarm(self, alarm: Alarm | None, waiting: Alarm | None, pinned: bool) -> None:
        self.alarm = alarm
        self.setVisible(alarm is not None)
        if alarm is None:
            return
        top = alarm.headline
        text = self.tr("ALARM · {priority} · {category}: {title} — {district}").format(
            priority=value_name(top.priority.value).upper(),
            category=value_name(top.category.value),
            title=top.title,
            district=top.district,
        )
        if alarm.count > 1:
            text += " " + self.tr("(+{n} more in this burst)").format(n=alarm.count - 1)
        self.text.setText(text)
        shown = alarm.incidents[:TOOLTIP_LINES]  # a burst can hold thousands
        titles = "\n".join(f"{i.id}: {i.title}" for i in shown)
        if alarm.count > len(shown):
            titles += "\n" + self.tr("(+{n} more in this burst)").format(n=alarm.count - len(shown))
        self.text.setToolTip(plain_tooltip(titles))
        self.waiting.setText(
            self.tr("{n} waiting").format(n=waiting.count) if waiting is not None else ""
        )
        self.pin_button.blockSignals(True)
        self.pin_button.setChecked(pinned)
        self.pin_button.blockSignals(False)

    def set_escalated(self, escalated: bool) -> None:
        """Left unacknowledged too long: a brighter, thicker frame nobody can miss."""
        if escalated == self.escalated:
            return
        self.escalated = escalated
        self.setProperty("escalated", escalated)
        style = self.style()
        style.unpolish(self)
        style.polish(self)

    def _open(self) -> None:
        if self.alarm is not None:
            self.openRequested.emit(self.alarm.headline.id)
