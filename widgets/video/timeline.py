"""The timeline under a camera tile in playback: what is recorded, where we are, and controls.

Painted, not built from widgets per span: a wall repaints it four times a second. Recorded
spans are solid, gaps hatched grey, incidents near the camera red ticks, "now" a white line
and the position a thick amber one. Dragging shows the time under the cursor and seeks only
on release (each seek reopens the stream). The window follows the position.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.domain import formatting
from console.domain.recordings import Recording
from console.video.playback import SPEEDS, STEP_S, speed_text
from widgets.text import PlainLabel

AMBER, SPAN, GAP, MARK = "#f5a623", "#2e86c1", "#5d6d7e", "#e74c3c"
WINDOW = timedelta(minutes=10)  # what the strip spans: 30 s back is 1/20 of it
SNAP_PX = 8  # a click this close to an incident mark goes to the incident's time


@dataclass
class TimelineView:
    """What the strip shows; the playback mode fills it on each tick."""

    now: datetime
    recording: Recording | None = None
    position: datetime | None = None
    marks: list[tuple[datetime, str]] = field(default_factory=list)
    note: str = ""  # words instead of spans (loading, no recordings, an error)


class TimeStrip(QWidget):
    """The painted strip; emits `seekRequested(datetime)` when a drag or click ends."""

    seekRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = TimelineView(formatting.now())
        self._drag_x: float | None = None
        self.setMouseTracking(False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        return QSize(400, self.fontMetrics().height() * 3)

    def shown(self) -> tuple[datetime, datetime]:
        """The strip's [start, end]: the last WINDOW, shifted left to keep the position in."""
        end = self.view.now
        start = end - WINDOW
        position = self.view.position
        if position is not None and position < start + WINDOW / 10:
            start = position - WINDOW / 4
            end = start + WINDOW
        return start, end

    def x_of(self, when: datetime) -> float:
        start, end = self.shown()
        share = (when - start) / (end - start)
        return self.width() * min(1.0, max(0.0, share))

    def time_at(self, x: float) -> datetime:
        start, end = self.shown()
        return start + (end - start) * min(1.0, max(0.0, x / max(1, self.width())))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        line = self.fontMetrics().height()
        bar = QRectF(0, line * 0.2, self.width(), self.height() - line * 1.4)
        painter.fillRect(self.rect(), QColor("#111417"))
        painter.fillRect(bar, QBrush(QColor(GAP), Qt.BrushStyle.BDiagPattern))
        view = self.view
        if view.note or view.recording is None or view.recording.empty:
            painter.setPen(QColor("#e8e8e8"))
            painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, view.note)
            return
        for span in view.recording.spans:
            left, right = self.x_of(span.start), self.x_of(span.end)
            if right > left:
                painter.fillRect(QRectF(left, bar.top(), right - left, bar.height()), QColor(SPAN))
        painter.setPen(QPen(QColor(MARK), 3))
        for when, _title in view.marks:
            x = self.x_of(when)
            painter.drawLine(QPointF(x, bar.top()), QPointF(x, bar.bottom()))
        self._labels(painter, bar, line)
        painter.setPen(QPen(QColor("white"), 2))
        now_x = self.x_of(view.now) - 1
        painter.drawLine(QPointF(now_x, 0), QPointF(now_x, bar.bottom()))
        if view.position is not None:
            self._handle(painter, self.x_of(view.position), bar, AMBER)
        if self._drag_x is not None:
            self._handle(painter, self._drag_x, bar, "white")
            text = formatting.clock_seconds(self.time_at(self._drag_x))
            width = self.fontMetrics().horizontalAdvance(text) + 12
            left = min(max(0.0, self._drag_x - width / 2), self.width() - width)
            box = QRectF(left, bar.top(), width, line * 1.2)
            painter.fillRect(box, QColor("black"))
            painter.setPen(QColor("white"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _handle(self, painter: QPainter, x: float, bar: QRectF, colour: str) -> None:
        painter.setPen(QPen(QColor(colour), 4))
        painter.drawLine(QPointF(x, bar.top()), QPointF(x, bar.bottom()))
        size = bar.height() / 4
        triangle = QPolygonF(
            [
                QPointF(x - size, bar.top()),
                QPointF(x + size, bar.top()),
                QPointF(x, bar.top() + size),
            ]
        )
        painter.setBrush(QColor(colour))
        painter.drawPolygon(triangle)

    def _labels(self, painter: QPainter, bar: QRectF, line: int) -> None:
        """Clock times under the strip at its start, middle and end."""
        painter.setPen(QColor("#c8ccd0"))
        start, end = self.shown()
        flags = (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignHCenter)
        for share, align in ((0.0, flags[0]), (0.5, flags[1]), (1.0, Qt.AlignmentFlag.AlignRight)):
            box = QRectF(0, bar.bottom(), self.width(), line * 1.2)
            text = formatting.clock_seconds(start + (end - start) * share)
            painter.drawText(box, int(align | Qt.AlignmentFlag.AlignVCenter), text)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._drag_x = event.position().x()
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_x is not None:
            self._drag_x = event.position().x()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_x is None:
            return
        x, self._drag_x = event.position().x(), None
        near = [when for when, _ in self.view.marks if abs(self.x_of(when) - x) <= SNAP_PX]
        self.seekRequested.emit(near[0] if near else self.time_at(x))
        self.update()


class Timeline(QWidget):
    """The banner ("PLAYBACK 10:31:05 ×2"), the strip and the controls; signals only."""

    seekRequested = Signal(object)  # datetime
    stepRequested = Signal(float)  # seconds, ±STEP_S
    pauseToggled = Signal()
    speedChosen = Signal(float)
    liveRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet("Timeline, QLabel { background: #111417; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.banner = PlainLabel()
        self.banner.setStyleSheet(f"color: {AMBER}; font-weight: 700; background: #111417;")
        self.strip = TimeStrip()
        self.strip.seekRequested.connect(self.seekRequested)
        self.back = QPushButton(self.tr("−%d s") % STEP_S)
        self.pause = QPushButton(self.tr("Pause"))
        self.forward = QPushButton(self.tr("+%d s") % STEP_S)
        self.speed = QComboBox()
        for speed in SPEEDS:
            self.speed.addItem(f"×{speed_text(speed)}", speed)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.live = QPushButton(self.tr("Live"))
        self.back.clicked.connect(lambda: self.stepRequested.emit(-STEP_S))
        self.forward.clicked.connect(lambda: self.stepRequested.emit(STEP_S))
        self.pause.clicked.connect(self.pauseToggled)
        self.speed.activated.connect(lambda i: self.speedChosen.emit(self.speed.itemData(i)))
        self.live.clicked.connect(self.liveRequested)
        buttons = QHBoxLayout()
        for widget in (self.back, self.pause, self.forward, self.speed):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.live)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 4, 8, 6)
        column.setSpacing(4)
        column.addWidget(self.banner)
        column.addWidget(self.strip)
        column.addLayout(buttons)

    def show_view(self, view: TimelineView, banner: str, paused: bool, can_play: bool) -> None:
        """Repaint with `view`; the controls of playback work only with recordings."""
        self.strip.view = view
        self.strip.update()
        self.banner.setText(banner)
        self.banner.setVisible(bool(banner))
        self.pause.setText(self.tr("Play") if paused else self.tr("Pause"))
        for widget in (self.back, self.pause, self.forward, self.speed, self.strip):
            widget.setEnabled(can_play)

    def set_speed(self, speed: float) -> None:
        self.speed.setCurrentIndex(SPEEDS.index(speed))

    def set_font_px(self, px: int) -> None:
        """Readable from across the room: the banner twice the tile's text."""
        for widget in (self, self.strip, self.back, self.pause, self.forward, self.speed):
            font = widget.font()
            font.setPixelSize(px)
            widget.setFont(font)
        font = self.live.font()
        font.setPixelSize(px)
        font.setBold(True)
        self.live.setFont(font)
        font = self.banner.font()
        font.setPixelSize(int(px * 1.6))
        font.setBold(True)
        self.banner.setFont(font)
        self.strip.updateGeometry()


def ask_time(parent: QWidget, title: str, chosen: Callable[[datetime], None]) -> None:
    """A small window-modal question "from when?", in province time like every clock."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    then = formatting.now() - timedelta(minutes=5)
    start = QDateTime(then.year, then.month, then.day, then.hour, then.minute, then.second)
    edit = QDateTimeEdit(start, dialog)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
    ok, cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
    buttons = QDialogButtonBox(ok | cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    column = QVBoxLayout(dialog)
    column.addWidget(edit)
    column.addWidget(buttons)

    def accepted() -> None:
        day, clock = edit.date(), edit.time()
        parts = (day.year(), day.month(), day.day(), clock.hour(), clock.minute(), clock.second())
        chosen(datetime(*parts, tzinfo=then.tzinfo))

    dialog.accepted.connect(accepted)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
