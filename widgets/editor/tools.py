"""Edit-mode controls on a panel's title bar: tool buttons, and the bar as a drag handle.

The strip is a child of the frame's title label, so the wall's own widgets stay as they
are; removing the strip leaves the frame exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QAction, QGuiApplication, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMenu,
    QRubberBand,
    QToolButton,
    QWidget,
)

from console.layout.edit import Direction
from console.layout.panel_kinds import PANEL_CONFIGS
from widgets.text import plain_tooltip
from widgets.wall.frame import PanelFrame


class FrameEditor(Protocol):
    """What the tools ask of the layout editor."""

    def split(self, frame: PanelFrame, direction: Direction) -> None: ...
    def merge(self, frame: PanelFrame, direction: Direction) -> None: ...
    def set_kind(self, frame: PanelFrame, kind: str) -> None: ...
    def open_settings(self, frame: PanelFrame) -> object: ...
    def swap_frames(self, source: PanelFrame, target: PanelFrame) -> None: ...


def frame_at(global_pos: QPoint) -> PanelFrame | None:
    """The panel frame under a screen position, on any wall window."""
    widget = QApplication.widgetAt(global_pos)
    while widget is not None and not isinstance(widget, PanelFrame):
        widget = widget.parentWidget()
    return widget


class FrameTools(QWidget):
    """Split, merge, kind and settings buttons at the right end of a title bar."""

    STYLE = (
        "QToolButton { background: #2d3748; color: #e6edf3; border: 1px solid #4a5568;"
        " border-radius: 3px; padding: 0 4px; margin: 1px; }"
        "QToolButton:hover { background: #1f6feb; }"
        "QToolButton::menu-indicator { image: none; }"
    )

    def __init__(self, frame: PanelFrame, editor: FrameEditor) -> None:
        super().__init__(frame.title)
        self.setObjectName("FrameTools")
        self.frame = frame
        self.setStyleSheet(self.STYLE)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 2, 0)
        row.setSpacing(0)
        self.actions_by_name: dict[str, QAction] = {}
        self.buttons: dict[str, QToolButton] = {}
        self.kind_menu = QMenu(self)
        for kind in sorted(PANEL_CONFIGS):
            choice = self.kind_menu.addAction(kind)
            choice.setCheckable(True)
            choice.setChecked(kind == frame.spec.kind)
            choice.triggered.connect(lambda _c=False, k=kind: editor.set_kind(frame, k))
        self.more_menu = QMenu(self)  # everything, for frames too narrow for the buttons
        tools: list[tuple[str, str, str, Callable[[], object] | None]] = [
            (
                "split-right",
                "+→",
                self.tr("Split: a new panel on the right"),
                lambda: editor.split(frame, "right"),
            ),
            (
                "split-down",
                "+↓",
                self.tr("Split: a new panel below"),
                lambda: editor.split(frame, "down"),
            ),
            (
                "merge-right",
                "⇥",
                self.tr("Merge with the panel on the right (it is removed)"),
                lambda: editor.merge(frame, "right"),
            ),
            (
                "merge-down",
                "⤓",
                self.tr("Merge with the panel below (it is removed)"),
                lambda: editor.merge(frame, "down"),
            ),
            ("kind", "▾", self.tr("Change the kind of panel"), None),
            (
                "settings",
                "⚙",
                self.tr("Settings of this panel…"),
                lambda: editor.open_settings(frame),
            ),
            ("more", "✎", self.tr("Edit this panel"), None),
        ]
        for name, text, tip, slot in tools:
            action = QAction(text, self)
            action.setToolTip(plain_tooltip(tip))
            if slot is not None:
                action.triggered.connect(slot)
            if name == "kind":
                action.setMenu(self.kind_menu)
            if name == "more":
                action.setMenu(self.more_menu)
            else:
                entry = self.more_menu.addAction(f"{text}  {tip}")
                entry.triggered.connect(action.trigger)
                if name == "kind":
                    entry.setMenu(self.kind_menu)
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setAccessibleName(tip)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            row.addWidget(button)
            self.actions_by_name[name] = action
            self.buttons[name] = button
        self._drag = DragHandle(frame, editor, self)
        frame.title.installEventFilter(self)
        frame.title.installEventFilter(self._drag)
        frame.title.setCursor(Qt.CursorShape.OpenHandCursor)
        frame.title.setToolTip(plain_tooltip(self.tr("Drag onto another panel to swap the two")))
        self._place()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place()
        return False

    def _place(self) -> None:
        title = self.frame.title
        self.setFixedHeight(max(title.height(), 1))
        full = sum(b.sizeHint().width() for n, b in self.buttons.items() if n != "more")
        compact = full > title.width() * 0.7
        for name, button in self.buttons.items():
            button.setVisible(compact == (name == "more"))
        self.adjustSize()
        self.move(max(0, title.width() - self.width()), 0)
        self.raise_()

    def remove(self) -> None:
        title = self.frame.title
        title.removeEventFilter(self)
        title.removeEventFilter(self._drag)
        title.unsetCursor()
        title.setToolTip("")
        self._drag.stop()
        self.hide()
        self.setParent(None)  # gone from the title bar now, not at the next event loop turn
        self.deleteLater()


class DragHandle(QObject):
    """Press on a title bar, move onto another panel, release: the two panels swap."""

    def __init__(self, frame: PanelFrame, editor: FrameEditor, parent: QObject) -> None:
        super().__init__(parent)
        self.frame, self.editor = frame, editor
        self._start: QPoint | None = None
        self.dragging = False
        self._band: QRubberBand | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QMouseEvent):
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._start = event.globalPosition().toPoint()
            return True
        if kind == QEvent.Type.MouseMove and self._start is not None:
            moved = (event.globalPosition().toPoint() - self._start).manhattanLength()
            if not self.dragging and moved >= QApplication.startDragDistance():
                self.dragging = True
                QGuiApplication.setOverrideCursor(Qt.CursorShape.ClosedHandCursor)
            if self.dragging:
                self._highlight(frame_at(event.globalPosition().toPoint()))
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._start is not None:
            target = frame_at(event.globalPosition().toPoint()) if self.dragging else None
            self.stop()
            if target is not None and target is not self.frame:
                self.editor.swap_frames(self.frame, target)
            return True
        return False

    def _highlight(self, target: PanelFrame | None) -> None:
        if target is None or target is self.frame:
            if self._band is not None:
                self._band.hide()
            return
        window = target.window()
        if self._band is None or self._band.parentWidget() is not window:
            self.stop_band()
            self._band = QRubberBand(QRubberBand.Shape.Rectangle, window)
        origin = target.mapTo(window, QPoint(0, 0))
        self._band.setGeometry(QRect(origin, target.size()))
        self._band.show()

    def stop_band(self) -> None:
        if self._band is not None:
            self._band.hide()
            self._band.deleteLater()
            self._band = None

    def stop(self) -> None:
        if self.dragging:
            QGuiApplication.restoreOverrideCursor()
        self.dragging = False
        self._start = None
        self.stop_band()
