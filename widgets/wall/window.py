"""Wall windows and their pages: a grid or nested splits of framed panels.

A frame (title bar + panel) is identified by its panel's kind, title and config;
`FramePool` hands an existing frame back when a new preset wants the same panel, so
a playing camera keeps playing across preset switches and hot reloads.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from console.domain import formatting
from console.layout.model import PanelSpec, Screen, Split
from console.stores.connections import ConnectionStatus
from widgets.panel import Panel, PanelContext
from widgets.text import PlainLabel
from widgets.theme import BASE_POINT_SIZE
from widgets.video.wall_health import wall_health
from widgets.wall.frame import PanelFrame

log = logging.getLogger(__name__)


class FramePool:
    """Frames not on screen right now, kept warm for the next preset that wants them.

    A parked frame stays where it is (hidden) and is re-laid out in place when reused:
    reparenting re-polishes a whole panel and recreates native video windows. The
    least recently parked frames beyond `keep` are disposed of.
    """

    def __init__(self, context: PanelContext, keep: int = 48) -> None:
        self.context = context
        self.keep = keep
        self._idle: list[PanelFrame] = []  # oldest first
        self.reused = 0
        self.created = 0

    def park(self, frame: PanelFrame) -> None:
        frame.hide()
        if frame not in self._idle:
            self._idle.append(frame)

    def take(self, spec: PanelSpec, home: QWidget) -> PanelFrame:
        identity = spec.identity()
        # Prefer a frame already on this page: no reparenting at all.
        candidates = [f for f in self._idle if f.identity == identity]
        frame = next((f for f in candidates if f.parent() is home), None) or next(
            iter(candidates), None
        )
        if frame is not None:
            self._idle.remove(frame)
            self.reused += 1
        else:
            frame = PanelFrame(spec, self.context)
            self.created += 1
        frame.spec = spec
        return frame

    def warm(self, spec: PanelSpec, home: QWidget) -> bool:
        """Build `spec`'s panel before it is wanted, parked on `home`; False when full."""
        if any(frame.identity == spec.identity() for frame in self._idle):
            return True
        if len(self._idle) >= self.keep:
            return False
        frame = PanelFrame(spec, self.context)
        self.created += 1
        frame.setParent(home)
        self.park(frame)
        return True

    def trim(self) -> None:
        while len(self._idle) > self.keep:
            self._idle.pop(0).dispose()

    def forget(self, window: QWidget) -> None:
        """The window is going away, and its parked frames with it."""
        self._idle = [f for f in self._idle if not window.isAncestorOf(f)]


class ScreenPage(QWidget):
    """What one layout screen shows: its panels in a grid or in nested splits.

    The page lives as long as its window; `show_screen` re-lays out frames in place.
    """

    def __init__(self) -> None:
        super().__init__()
        self.spec: Screen | None = None
        self.frames: list[PanelFrame] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(4, 4, 4, 4)
        self.grid.setSpacing(4)
        self._splitters: list[QSplitter] = []
        self._stretched = (0, 0)

    def release(self, pool: FramePool) -> None:
        """Hand every frame back to the pool and empty the layout (frames stay here)."""
        for frame in self.frames:
            pool.park(frame)
        while self.grid.count():
            self.grid.takeAt(0)
        self.frames = []

    def show_screen(self, spec: Screen, pool: FramePool) -> None:
        self.spec = spec
        if self.font().pointSizeF() != BASE_POINT_SIZE * spec.scale:
            font = QFont(self.font())
            font.setPointSizeF(BASE_POINT_SIZE * spec.scale)
            self.setFont(font)  # inherited by every panel that sizes text from its font
        old_splitters, self._splitters = self._splitters, []
        if spec.split is not None:
            self.grid.addWidget(self._splitter(spec.split, pool), 0, 0)
            self._stretch(1, 1)
        else:
            for cell in spec.cells:
                frame = self._take(cell, pool)
                self.grid.addWidget(frame, cell.row, cell.column, cell.row_span, cell.column_span)
            self._stretch(spec.rows or 1, spec.columns or 1)
        for splitter in old_splitters:
            for frame in splitter.findChildren(PanelFrame):
                if frame not in self.frames:
                    frame.setParent(self)  # parked: keep it out of the deleted splitter
                    frame.hide()
            splitter.deleteLater()
        # Show every frame first, then lay them out once: with the layout enabled, each
        # show() re-ran the grid with the frames shown so far, resizing (and repainting)
        # every chart up to seven times per preset switch.
        self.grid.setEnabled(False)
        for frame in self.frames:
            frame.show()
        self.grid.setEnabled(True)
        self.grid.activate()

    def _stretch(self, rows: int, columns: int) -> None:
        old_rows, old_columns = self._stretched
        for row in range(max(rows, old_rows)):
            self.grid.setRowStretch(row, 1 if row < rows else 0)
        for column in range(max(columns, old_columns)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self._stretched = (rows, columns)

    def _take(self, spec: PanelSpec, pool: FramePool) -> PanelFrame:
        frame = pool.take(spec, self)
        if frame.parent() is not self:
            frame.setParent(self)
        self.frames.append(frame)
        return frame

    def _splitter(self, split: Split, pool: FramePool) -> QSplitter:
        orientation = (
            Qt.Orientation.Horizontal
            if split.orientation == "horizontal"
            else Qt.Orientation.Vertical
        )
        splitter = QSplitter(orientation)
        splitter.setChildrenCollapsible(False)
        self._splitters.append(splitter)
        for child in split.children:
            if isinstance(child, Split):
                splitter.addWidget(self._splitter(child, pool))
            else:
                splitter.addWidget(self._take(child, pool))
        weights = split.sizes or [1.0] * len(split.children)
        for index, weight in enumerate(weights):
            splitter.setStretchFactor(index, max(1, round(weight * 100)))
        # Stretch factors only share out the space left over by the panels' size hints;
        # the layout's sizes are the proportions themselves (Qt scales these to fit).
        splitter.setSizes([max(1, round(weight * 1000)) for weight in weights])
        return splitter


class WallWindow(QMainWindow):
    """One physical screen: a banner, its page(s) and a status bar.

    Normally one page; a layout screen whose display is missing is folded in as an
    extra page, reachable from a tab bar that only appears then.
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setWindowTitle(title)
        self.banner = PlainLabel()
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.tabs = QTabBar()
        self.tabs.hide()
        self.stack = QStackedWidget()
        self.tabs.currentChanged.connect(self.stack.setCurrentIndex)
        self.holder = QWidget(self)  # parks frames of dropped pages; never shown
        self.holder.hide()
        outer = QWidget()
        column = QVBoxLayout(outer)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.tabs)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(outer)
        self.link_label = PlainLabel()  # its detail is a backend's error message
        self.clock = PlainLabel()
        self.health_label = PlainLabel()  # the wall-health overlay's CPU figure (F9)
        self.health_label.hide()
        wall_health().summaryChanged.connect(self._show_health)
        self.statusBar().addWidget(self.link_label, 1)
        self.statusBar().addPermanentWidget(self.health_label)
        self.statusBar().addPermanentWidget(self.clock)
        self.set_link_state("connecting", "")
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._update_clock)
        self._tick.start()
        self._update_clock()

    @property
    def pages(self) -> list[ScreenPage]:
        widgets = (self.stack.widget(i) for i in range(self.stack.count()))
        return [page for page in widgets if isinstance(page, ScreenPage)]  # the stack's only kind

    def screen_name(self) -> str:
        """The layout screen shown first here ("" before any): windows sort by it."""
        spec = self.pages[0].spec if self.pages else None
        return spec.name if spec is not None else ""

    @property
    def frames(self) -> list[PanelFrame]:
        return [frame for page in self.pages for frame in page.frames]

    def panels(self) -> list[Panel]:
        return [frame.panel for frame in self.frames if frame.panel is not None]

    def show_screens(self, screens: list[Screen], pool: FramePool) -> None:
        """Show these layout screens as this window's pages (usually exactly one)."""
        pages = self.pages
        for page in pages:
            page.release(pool)
        for extra in pages[len(screens) :]:
            for frame in extra.findChildren(PanelFrame):
                frame.setParent(self.holder)  # parked frames outlive their page
            self.stack.removeWidget(extra)
            extra.deleteLater()
        for index, spec in enumerate(screens):
            if index >= self.stack.count():
                self.stack.addWidget(ScreenPage())
            self.pages[index].show_screen(spec, pool)
        while self.tabs.count() > len(screens):
            self.tabs.removeTab(self.tabs.count() - 1)
        for index, spec in enumerate(screens):
            if index < self.tabs.count():
                self.tabs.setTabText(index, spec.name)
            else:
                self.tabs.addTab(spec.name)
        self.tabs.setVisible(len(screens) > 1)

    def show_connections(self, statuses: list[ConnectionStatus]) -> None:
        """Every connection with its state; one connection reads as it always did."""
        if len(statuses) == 1:
            self.set_link_state(statuses[0].state, statuses[0].detail)
            return
        words = {
            "connecting": self.tr("connecting…"),
            "live": self.tr("live"),
            "polling": self.tr("polling"),
            "offline": self.tr("unreachable"),
        }
        parts = []
        for status in statuses:
            part = f"● {status.name}: {words.get(status.state, status.state)}"
            if status.detail and status.state != "live":
                part += f" — {status.detail}"
            parts.append(part)
        order = ("offline", "polling", "connecting", "live")
        worst = min(
            (s.state for s in statuses),
            key=lambda state: order.index(state) if state in order else 0,
            default="connecting",
        )
        self._show_link("   ".join(parts), worst)

    def set_link_state(self, state: str, detail: str) -> None:
        names = {
            "connecting": self.tr("Connecting to the backend…"),
            "live": self.tr("Backend: live"),
            "polling": self.tr("Backend: live updates interrupted, polling"),
            "offline": self.tr("Backend unreachable: showing last data"),
        }
        text = names.get(state, state)
        if detail and state != "live":
            text = f"{text} — {detail}"
        self._show_link(f"● {text}", state)

    def _show_link(self, text: str, state: str) -> None:
        self.link_label.setText(text)
        self.link_label.setProperty("link", state)
        self.link_label.style().unpolish(self.link_label)
        self.link_label.style().polish(self.link_label)

    def show_banner(self, text: str) -> None:
        """A problem the operator should know about, shown until it is fixed."""
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _show_health(self, text: str) -> None:
        self.health_label.setText(text)
        self.health_label.setVisible(bool(text))

    def _update_clock(self) -> None:
        self.clock.setText(formatting.now().strftime("%Y-%m-%d %H:%M:%S"))

    def grab_screen(self) -> QPixmap:
        """Grab what is on screen, native video and web views included."""
        return QPixmap.fromImage(grab_widget(self))


def grab_widget(widget: QWidget) -> QImage:
    """What the widget shows; on X11 from the screen, so web views and video are in it."""
    window = widget.window()
    if QGuiApplication.platformName() == "xcb" and widget.isVisible():
        screen = window.screen() or QGuiApplication.primaryScreen()
        origin = widget.mapTo(window, widget.rect().topLeft())
        pixmap = screen.grabWindow(
            window.winId(), origin.x(), origin.y(), widget.width(), widget.height()
        )
        if not pixmap.isNull():
            return pixmap.toImage()
    from widgets.video.qt_player import draw_video_views

    image = widget.grab().toImage()
    draw_video_views(widget, image)  # grab() leaves the video windows out
    return image
