"""Shows a preset on the physical screens, and re-places it when screens change.

Windows are kept per physical screen and frames are reused across presets (see
`FramePool`), so switching presets, reloading a file or plugging a screen in keeps
unchanged panels alive. Problems (a broken layout file, a missing screen) go to a
banner on the wall, never to a dialog.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from console.layout.model import Layout, Screen
from console.layout.placement import Physical, Placement, place
from widgets.panel import Panel, PanelContext
from widgets.wall.window import FramePool, WallWindow

log = logging.getLogger(__name__)


def physical_screens() -> list[tuple[QScreen, Physical]]:
    screens = QGuiApplication.screens()
    return [
        (
            s,
            Physical(
                s.name(),
                s.geometry().x(),
                s.geometry().y(),
                s.geometry().width(),
                s.geometry().height(),
            ),
        )
        for s in screens
    ]


class WallManager(QObject):
    presetApplied = Signal(str)  # preset name

    def __init__(self, context: PanelContext, fullscreen: bool = False) -> None:
        super().__init__()
        self.context = context
        self.fullscreen = fullscreen
        self.pool = FramePool(context)
        self.windows: dict[str, WallWindow] = {}  # by physical screen name
        self.current: Layout | None = None
        self.placements: list[Placement] = []
        self._error = ""
        self._window_setup: list[Callable[[WallWindow], None]] = []
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screens_changed)
        context.connections.changed.connect(self._connections_changed)
        # A KPI panel is stale only for its indicators' connections: known once they load.
        context.kpis.kpisReset.connect(self._mark_stale)
        self._replace = QTimer(self, singleShot=True, interval=0)
        self._replace.timeout.connect(self.reapply)

    # -- public ---------------------------------------------------------------
    def apply(self, layout: Layout) -> None:
        """Show `layout`; frames whose panel is unchanged move over instead of restarting."""
        self.current = layout
        screens = physical_screens()
        self.placements = place(layout.screens, [p for _, p in screens])
        shown: dict[int, list[Screen]] = {}
        for placement in self.placements:
            shown.setdefault(placement.physical, []).append(placement.screen)
        keep = {screens[i][1].name for i in shown}
        for name in set(self.windows) - keep:
            window = self.windows.pop(name)
            self.pool.forget(window)
            for panel in window.panels():
                panel.close()
            window.deleteLater()
        for index, specs in shown.items():
            qscreen, physical = screens[index]
            window = self._window_for(qscreen, physical)
            window.setUpdatesEnabled(False)  # one repaint for the whole switch, not one per move
            try:
                window.show_screens(specs, self.pool)
            finally:
                window.setUpdatesEnabled(True)
        self.pool.trim()
        self._mark_stale()
        title = layout.title or layout.name
        for window in self.windows.values():
            window.setWindowTitle(f"IOC Console — {title}")
        self._update_banners()
        log.info(
            "preset %s on %d screen(s), %d folded; panels reused %d, created %d",
            layout.name,
            len(shown),
            sum(p.folded for p in self.placements),
            self.pool.reused,
            self.pool.created,
        )
        self.presetApplied.emit(layout.name)

    def reapply(self) -> None:
        if self.current is not None:
            self.apply(self.current)

    def window_list(self) -> list[WallWindow]:
        """Windows in the order of the layout's screens."""
        ordered: list[WallWindow] = []
        for window in self.windows.values():
            if window not in ordered:
                ordered.append(window)
        return sorted(ordered, key=WallWindow.screen_name)

    def panels(self) -> list[Panel]:
        return [panel for window in self.windows.values() for panel in window.panels()]

    def _connections_changed(self, _name: str = "") -> None:
        """A connection's state changed: the status bars and the stale marks follow."""
        statuses = self.context.connections.statuses()
        for window in self.windows.values():
            if statuses:
                window.show_connections(statuses)
        self._mark_stale()

    def _mark_stale(self) -> None:
        for window in self.windows.values():
            for frame in window.frames:
                frame.update_stale(self.context.connections)

    def show_error(self, text: str) -> None:
        """A layout problem: shown on every wall window until it is fixed."""
        self._error = text
        self._update_banners()

    def on_new_window(self, setup: Callable[[WallWindow], None]) -> None:
        """Run `setup(window)` for every wall window, now and later (menus, kiosk)."""
        self._window_setup.append(setup)
        for window in self.windows.values():
            setup(window)

    def close(self) -> None:
        for window in self.windows.values():
            for panel in window.panels():
                panel.close()
            window.close()
            window.deleteLater()
        self.windows.clear()

    # -- internals -----------------------------------------------------------
    def _window_for(self, qscreen: QScreen, physical: Physical) -> WallWindow:
        window = self.windows.get(physical.name)
        if window is None:
            window = WallWindow("IOC Console")
            statuses = self.context.connections.statuses()
            if statuses:
                window.show_connections(statuses)
            self.windows[physical.name] = window
            for setup in self._window_setup:
                setup(window)
        self._show_on(window, qscreen)
        return window

    def _show_on(self, window: QWidget, qscreen: QScreen) -> None:
        if window.screen() is not qscreen or not window.isVisible():
            window.setScreen(qscreen)
        if self.fullscreen:
            window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            window.setGeometry(qscreen.geometry())
            window.showFullScreen()
        else:
            if not window.isVisible():
                window.setGeometry(qscreen.availableGeometry())
            window.show()

    def _update_banners(self) -> None:
        notices: dict[int, list[str]] = {}
        for placement in self.placements:
            if placement.folded:
                notices.setdefault(placement.physical, []).append(
                    self.tr(
                        "Screen “{name}” is not connected: its panels are on the “{name}” tab here."
                    ).format(name=placement.screen.name)
                )
        screens = physical_screens()
        for index, (_, physical) in enumerate(screens):
            window = self.windows.get(physical.name)
            if window is not None:
                window.show_banner(
                    "\n".join([*([self._error] if self._error else []), *notices.get(index, [])])
                )

    def _screens_changed(self, _screen: QScreen) -> None:
        log.info("screens changed: %s", ", ".join(s.name() for s in QGuiApplication.screens()))
        self._replace.start()
