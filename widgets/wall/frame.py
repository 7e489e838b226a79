"""One cell of the wall: a panel with its title bar, stale mark and failure box.

A panel that fails stays in its cell, says why, and offers to start again; the rest
of the wall keeps working. Frames outlive layout switches (see FramePool).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console.domain import formatting
from console.layout.model import PanelSpec
from console.stores.connections import ConnectionBoard
from widgets.panel import Panel, PanelContext, create_panel
from widgets.text import PlainLabel

log = logging.getLogger(__name__)


class PanelFrame(QFrame):
    """A title bar over one panel; a panel that fails to build shows why, here only."""

    def __init__(self, spec: PanelSpec, context: PanelContext) -> None:
        super().__init__()
        self.setObjectName("PanelFrame")
        # The layout's rows and columns decide sizes, not what a panel would like:
        # a wide queue must not squeeze the camera beside it.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.spec = spec
        self.identity = spec.identity()
        self.title = PlainLabel()  # a camera's or an indicator's name, from the backend
        self.title.setObjectName("PanelTitle")
        self.stale = PlainLabel()
        self.stale.setObjectName("StaleBadge")
        self.stale.hide()
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(0)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.stale)
        self.context = context
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(0)
        self.column.addLayout(bar)
        self.panel: Panel | None = None
        self.failure: QWidget | None = None
        self._build()

    def _build(self) -> None:
        try:
            self.panel = create_panel(self.spec.kind, self.context, self.spec.panel_config())
        except Exception as error:  # contain a broken panel to its own cell
            log.exception("panel %s could not be built", self.spec.kind)
            self.show_failure(error, self.tr("This panel could not start: {error}"))
            return
        self.column.addWidget(self.panel, 1)
        if self.isVisible():
            self.panel.show()  # a reload happens on a visible wall: show it now
        self.panel.titleChanged.connect(self._retitle)
        self._retitle()

    def _retitle(self) -> None:
        if self.panel is not None:
            self.title.setText(self.spec.title or self.panel.title())
        else:
            self.title.setText(self.spec.title or self.spec.kind)

    def show_failure(self, error: BaseException, template: str = "") -> None:
        """This panel failed: say why, here only, and offer to start it again."""
        if self.failure is not None:
            return  # the first error is the one to read; later ones follow from it
        if self.panel is not None:
            self.panel.hide()
        text = (template or self.tr("This panel stopped after an error: {error}")).format(
            error=error
        )
        box = QWidget()
        box.setObjectName("PanelFailure")
        lines = QVBoxLayout(box)
        message = PlainLabel(text)
        message.setObjectName("PanelError")
        message.setWordWrap(True)
        reload_button = QPushButton(self.tr("Reload panel"))
        reload_button.clicked.connect(self.reload)
        lines.addWidget(message)
        lines.addWidget(reload_button, 0, Qt.AlignmentFlag.AlignLeft)
        lines.addStretch(1)
        self.column.addWidget(box, 1)
        self.failure = box
        self._retitle()

    def reload(self) -> None:
        """Build the panel afresh from its spec (after an error)."""
        if self.panel is not None:
            self.panel.close()
            self.panel.deleteLater()
            self.panel = None
        if self.failure is not None:
            self.failure.deleteLater()
            self.failure = None
        self._build()

    def update_stale(self, board: ConnectionBoard) -> None:
        """Data panels keep their last data when a connection they show is down, and say
        since when (and which, when the site has several)."""
        panel = self.panel
        if panel is None or panel.SHOWS_OWN_STATE:
            self.stale.hide()
            return
        shown = panel.connections_shown()
        unknown = [name for name in shown if board.statuses() and board.get(name) is None]
        if unknown:  # a layout naming a connection the site does not have: say so here
            text = self.tr("no connection named {names} in this site")
            self.stale.setText(text.format(names=", ".join(unknown)))
            self.stale.show()
            return
        down = board.down(panel.FEEDS, shown)
        if not down:
            self.stale.hide()
            return
        moments = [status.down_since for status in down if status.down_since is not None]
        since = formatting.clock_seconds(min(moments)) if moments else formatting.clock_seconds()
        if len(board.statuses()) == 1:
            text = self.tr("stale since {time}").format(time=since)
        else:
            names = ", ".join(status.name for status in down)
            text = self.tr("{names} stale since {time}").format(names=names, time=since)
        self.stale.setText(text)
        self.stale.show()

    def dispose(self) -> None:
        if self.panel is not None:
            self.panel.close()
        self.hide()
        self.deleteLater()
