"""Wall windows: one per configured screen, a grid of framed panels each."""

from __future__ import annotations

import logging

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from console.layout import Cell, Layout, Screen
from widgets.panel import Panel, PanelContext, create_panel

log = logging.getLogger(__name__)


class PanelFrame(QFrame):
    """A title bar over one panel; a panel that fails to build shows why, here only."""

    def __init__(self, cell: Cell, context: PanelContext) -> None:
        super().__init__()
        self.setObjectName("PanelFrame")
        self.cell = cell
        self.title = QLabel()
        self.title.setObjectName("PanelTitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        self.panel: Panel | None = None
        try:
            self.panel = create_panel(cell.kind, context, cell.panel_config())
        except Exception as error:  # contain a broken panel to its own cell
            log.exception("panel %s could not be built", cell.kind)
            message = self.tr("This panel could not start: {error}").format(error=error)
            failed = QLabel(message)
            failed.setObjectName("PanelError")
            failed.setWordWrap(True)
            layout.addWidget(failed, 1)
            self.title.setText(cell.title or cell.kind)
            return
        layout.addWidget(self.panel, 1)
        self.panel.titleChanged.connect(self._retitle)
        self._retitle()

    def _retitle(self) -> None:
        if self.panel is not None:
            self.title.setText(self.cell.title or self.panel.title())


class WallWindow(QMainWindow):
    def __init__(self, layout: Layout, screen: Screen, context: PanelContext) -> None:
        super().__init__()
        self.screen_spec = screen
        self.setWindowTitle(f"IOC Console — {layout.title or layout.name} — {screen.name}")
        central = QWidget()
        grid = QGridLayout(central)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setSpacing(4)
        self.frames: list[PanelFrame] = []
        for cell in screen.cells:
            frame = PanelFrame(cell, context)
            grid.addWidget(frame, cell.row, cell.column, cell.row_span, cell.column_span)
            self.frames.append(frame)
        for row in range(screen.rows):
            grid.setRowStretch(row, 1)
        for column in range(screen.columns):
            grid.setColumnStretch(column, 1)
        self.banner = QLabel()
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer = QWidget()
        column = QVBoxLayout(outer)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(central, 1)
        self.setCentralWidget(outer)
        self.link_label = QLabel()
        self.clock = QLabel()
        self.statusBar().addWidget(self.link_label, 1)
        self.statusBar().addPermanentWidget(self.clock)
        self.set_link_state("connecting", "")
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._update_clock)
        self._tick.start()
        self._update_clock()

    def panels(self) -> list[Panel]:
        return [frame.panel for frame in self.frames if frame.panel is not None]

    def set_link_state(self, state: str, detail: str) -> None:
        names = {
            "connecting": self.tr("Connecting to the backend…"),
            "live": self.tr("Backend: live"),
            "polling": self.tr("Backend: live updates interrupted, polling"),
            "offline": self.tr("Backend unreachable: showing last data"),
        }
        text = names.get(state, state)
        self.link_label.setText(
            f"● {text}" + (f" — {detail}" if detail and state != "live" else "")
        )
        self.link_label.setProperty("link", state)
        self.link_label.style().unpolish(self.link_label)
        self.link_label.style().polish(self.link_label)

    def show_banner(self, text: str) -> None:
        """A problem the operator should know about, shown until it is fixed."""
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _update_clock(self) -> None:
        self.clock.setText(QDateTime.currentDateTime().toString("yyyy-MM-dd HH:mm:ss"))

    def grab_screen(self) -> QPixmap:
        """Grab what is on screen, native video and web views included."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if QGuiApplication.platformName() == "xcb":
            pixmap = screen.grabWindow(self.winId())
            if not pixmap.isNull():
                return pixmap
        return self.grab()


def build_wall(layout: Layout, context: PanelContext, fullscreen: bool) -> list[WallWindow]:
    """One window per screen of the layout, placed on the matching physical screen."""
    screens = QGuiApplication.screens()
    windows = []
    for index, screen_spec in enumerate(layout.screens):
        window = WallWindow(layout, screen_spec, context)
        target = screens[min(index, len(screens) - 1)]
        window.setGeometry(target.availableGeometry())
        if fullscreen:
            window.setWindowFlag(Qt.WindowType.FramelessWindowHint)
            window.showFullScreen()
        else:
            window.show()
        windows.append(window)
    return windows
