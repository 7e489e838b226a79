"""The camera tile's status bar: name, district, degraded-stream badge, state and clock.

It sits above the video, never over it: a native video window would paint over an overlay.
Every text is plain (names come from a backend and must never be read as HTML).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QWidget

from console.domain import formatting
from widgets.text import PlainLabel, plain_tooltip

GREEN, AMBER, RED, GREY = "#2ecc71", "#f5a623", "#e74c3c", "#5d6d7e"
STATE_COLOURS = {"live": GREEN, "connecting": AMBER, "stalled": AMBER, "offline": RED, "error": RED}


class ElidedLabel(PlainLabel):
    """Shrinks below its text and ends it with "…", so a long name never widens the tile."""

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        QPainter(self).drawText(rect, int(self.alignment()), text)


class CameraBar(QWidget):
    """One row of labels; fonts scale with the tile so a wall reads from across the room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name, self.district = ElidedLabel(), ElidedLabel()
        self.badge, self.state, self.clock = (PlainLabel() for _ in range(3))
        bold = self.name.font()
        bold.setBold(True)
        self.name.setFont(bold)
        self.district.setStyleSheet("color: #a8b0b8;")
        self.badge.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.setSpacing(14)
        for widget in (self.name, self.district):
            row.addWidget(widget)
        row.addStretch(1)
        for label in (self.badge, self.state, self.clock):
            row.addWidget(label)
        self.clock.setText("00:00:00")  # sized now, set by the first tick
        self._px = 12
        self._state_colour = AMBER

    def set_font_px(self, px: int) -> None:
        self._px = px
        for label in (self.name, self.district, self.clock):
            font = label.font()  # per label: style sheets stop fonts propagating
            font.setPixelSize(px)
            label.setFont(font)
        self._paint()

    def set_state(self, text: str, state: str) -> None:
        self.state.setText(text)
        self._state_colour = STATE_COLOURS[state]
        self._paint()

    def set_badge(self, text: str, tooltip: str = "") -> None:
        """A small grey tag (e.g. "SUB", "STILL"); empty hides it."""
        self.badge.setText(text)
        self.badge.setToolTip(plain_tooltip(tooltip))
        self.badge.setVisible(bool(text))

    def tick(self) -> None:
        self.clock.setText(formatting.clock_seconds())

    def _paint(self) -> None:
        pill = f"font-size: {self._px}px; font-weight: 700; padding: 0 6px; border-radius: 4px;"
        self.state.setStyleSheet(f"{pill} color: black; background: {self._state_colour};")
        self.badge.setStyleSheet(f"{pill} color: white; background: {GREY};")
