"""One wall node in the Wall nodes dialog: what it shows, how it is, and its commands.

Read from across a room: the name and state are large, a coloured dot says online or
lost at a glance, and the thumbnail shows the node's first screen. A card is updated
only when its own node changed (the roster says which), the JPEG is decoded only when
it is a new one, and labels are set only when their words changed.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console.domain import formatting
from console.nodes.roster import NodeView
from widgets.text import PlainLabel, plain_tooltip
from widgets.theme import STATUS_COLOURS

if TYPE_CHECKING:
    from widgets.nodes.controller import WallController

THUMBNAIL_SIZE = (320, 180)
OFFLINE_COLOUR = "#8b949e"


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    """The theme's font (its size set once for the whole application) times `factor`."""
    font = QFont(widget.font())
    font.setPointSizeF(max(8.0, font.pointSizeF() * factor))
    font.setBold(bold)
    return font


class NodeCard(QFrame):
    """A node's state, preset, health, thumbnail and last command; Show, Send…, Take back."""

    def __init__(self, name: str, controller: WallController, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("PanelFrame")  # the theme's framed panel
        # The theme paints every widget's own background; on the card's it would patch.
        self.setStyleSheet("QLabel { background-color: transparent; }")
        self.name, self.controller = name, controller
        self.view: NodeView | None = None
        self._thumbnail: bytes = b""
        self._presets: list[str] = []
        self._state_colour = ""
        self.thumbnail = PlainLabel(self.tr("No picture yet"))
        self.thumbnail.setFixedSize(*THUMBNAIL_SIZE)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setStyleSheet("background-color: #0d1117; color: #8b949e;")
        self.dot = PlainLabel("●")
        self.title = PlainLabel(name)
        self.state = PlainLabel()
        self.preset = PlainLabel()
        self.health = PlainLabel()
        self.last = PlainLabel()
        self.notice = PlainLabel()  # why a command was refused
        self.notice.setStyleSheet(f"color: {STATUS_COLOURS['bad']};")
        self.notice.setWordWrap(True)
        self.presets = QComboBox()
        self.presets.setMinimumContentsLength(16)
        self.show_button = QPushButton(self.tr("Show"))
        self.send_button = QPushButton(self.tr("Send…"))
        self.take_back_button = QPushButton(self.tr("Take back"))
        self.show_button.clicked.connect(self.show_preset)
        self.send_button.clicked.connect(self.open_send)
        self.take_back_button.clicked.connect(self.take_back)
        self.send_dialog: QWidget | None = None
        self._fonts()
        self._layout()
        self.follow_role()

    def _fonts(self) -> None:
        big = scaled_font(self, 1.5, bold=True)
        for label in (self.dot, self.title, self.state):
            label.setFont(big)
        body = scaled_font(self, 1.15)
        for widget in (self.preset, self.health, self.last, self.notice):
            widget.setFont(body)

    def _layout(self) -> None:
        heading = QHBoxLayout()
        heading.addWidget(self.dot)
        heading.addSpacing(8)
        heading.addWidget(self.title)
        heading.addSpacing(16)
        heading.addWidget(self.state)
        heading.addStretch(1)
        commands = QHBoxLayout()
        commands.addWidget(self.presets)
        for button in (self.show_button, self.send_button, self.take_back_button):
            commands.addWidget(button)
        commands.addStretch(1)
        facts = QVBoxLayout()
        facts.addLayout(heading)
        for label in (self.preset, self.health, self.last):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            facts.addWidget(label)
        facts.addStretch(1)
        facts.addLayout(commands)
        facts.addWidget(self.notice)
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setHorizontalSpacing(16)
        grid.addWidget(self.thumbnail, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(facts, 0, 1)
        grid.setColumnStretch(1, 1)
        self.notice.hide()

    # -- showing the node --------------------------------------------------------------
    def show_view(self, view: NodeView) -> None:
        """Everything the card says, from the roster's view of the node."""
        self.view = view
        self._show_state(view)
        showing = view.showing
        preset = showing.preset if showing else ""
        self._set(self.preset, self.tr("Preset: {name}").format(name=preset or "–"))
        self._set(self.health, self.health_words(view))
        self.refresh_times()
        presets = list(showing.presets) if showing else []
        if presets != self._presets:
            chosen = self.presets.currentText() or preset
            self._presets = presets
            self.presets.clear()
            self.presets.addItems(presets)
            self.presets.setCurrentIndex(max(0, self.presets.findText(chosen)))
        if view.thumbnail is not self._thumbnail:
            self._show_thumbnail(view.thumbnail)
        self._enable()

    def refresh_times(self) -> None:
        """The words that age ("3 s ago"): the dialog calls this every few seconds."""
        if self.view is not None:
            self._set(self.last, self.command_words(self.view))

    def _show_state(self, view: NodeView) -> None:
        if view.online:
            words, colour = self.tr("online"), STATUS_COLOURS["ok"]
        elif view.lost_at is not None:
            when = formatting.clock(view.lost_at)
            words, colour = self.tr("lost since {time}").format(time=when), STATUS_COLOURS["bad"]
        else:
            words, colour = self.tr("offline"), OFFLINE_COLOUR
        self._set(self.state, words)
        if colour != self._state_colour:  # a style sheet re-polishes: only on a change
            self._state_colour = colour
            self.dot.setStyleSheet(f"color: {colour};")
            self.state.setStyleSheet(f"color: {colour};")

    def health_words(self, view: NodeView) -> str:
        health = view.health
        if health is None:
            return self.tr("No health report yet")
        machine = self.tr("CPU {cpu} % · {mb} MB").format(
            cpu=formatting.number(health.cpu_percent, 0), mb=formatting.number(health.rss_mb, 0)
        )
        if health.tiles == 0:  # a KPI or map node: "0/0 tiles live · 0 fps" reads as a fault
            return self.tr("No video · %s") % machine
        video = self.tr("{live}/{tiles} tiles live · {fps} fps").format(
            live=health.tiles_live, tiles=health.tiles, fps=formatting.number(health.fps, 0)
        )
        return f"{video} · {machine}"

    def command_words(self, view: NodeView) -> str:
        queued = self.controller.queued(self.name)
        if queued is not None and self.controller.broker_up:
            return self.tr("#{seq} sending…").format(seq=queued)
        if queued is not None:
            return self.tr("#{seq} queued: sent when the broker is back").format(seq=queued)
        applied = view.showing.applied_seq if view.showing else 0
        if view.desired is not None and view.desired.seq > applied:
            return self.tr("Waiting for #{seq}").format(seq=view.desired.seq)
        if applied == 0 or view.showing is None:
            return self.tr("No command yet")
        by = view.desired.by if view.desired and view.desired.seq == applied else "?"
        ago = self.ago(view.showing.painted_at)
        return self.tr("#{seq} by {by}, {ago}").format(seq=applied, by=by, ago=ago)

    def ago(self, at: float) -> str:
        seconds = max(0, int(time.time() - at))
        if at <= 0:
            return self.tr("not painted yet")
        if seconds < 60:
            return self.tr("{n} s ago").format(n=seconds)
        if seconds < 3600:
            return self.tr("{n} min ago").format(n=seconds // 60)
        return self.tr("at {time}").format(time=formatting.clock(at))

    def _show_thumbnail(self, jpeg: bytes) -> None:
        self._thumbnail = jpeg
        pixmap = QPixmap()
        if jpeg and pixmap.loadFromData(jpeg, "JPEG"):
            width, height = THUMBNAIL_SIZE
            self.thumbnail.setPixmap(
                pixmap.scaled(
                    width,
                    height,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.thumbnail.setText(self.tr("No picture yet"))

    @staticmethod
    def _set(label: PlainLabel, text: str) -> None:
        if label.text() != text:
            label.setText(text)

    # -- commands ------------------------------------------------------------------------
    def follow_role(self) -> None:
        """A viewer sees everything; every command control says why it is off."""
        why = self.controller.forbidden()
        for widget in self.command_widgets():
            widget.setToolTip(plain_tooltip(why or ""))
        self._enable()

    def command_widgets(self) -> list[QWidget]:
        return [self.presets, self.show_button, self.send_button, self.take_back_button]

    def _enable(self) -> None:
        may = self.controller.forbidden() is None
        showing = self.view.showing if self.view is not None else None
        self.presets.setEnabled(may and bool(self._presets))
        self.show_button.setEnabled(may and bool(self._presets))
        self.send_button.setEnabled(may and showing is not None and bool(showing.cells))
        self.take_back_button.setEnabled(may)

    def _answer(self, why: str | None) -> None:
        self.notice.setText(why or "")
        self.notice.setVisible(bool(why))

    def show_preset(self) -> None:
        preset = self.presets.currentText()
        if preset:
            self._answer(self.controller.show_preset(self.name, preset))

    def take_back(self) -> None:
        self._answer(self.controller.take_back(self.name))

    def open_send(self) -> QWidget | None:
        """Send…: pick a cell and what goes there (a dialog of its own)."""
        if self.view is None or self.view.showing is None:
            return None
        from widgets.nodes.send_dialog import SendDialog

        dialog = SendDialog(self.controller, self.view.showing, self)
        dialog.answered.connect(self._answer)
        self.send_dialog = dialog
        dialog.open()
        return dialog
