"""Keyboard and menu control of the wall: presets, reload, pages, quit, kiosk mode.

The same actions serve every wall window. In kiosk mode there is no menu bar, the
cursor hides when idle, and only a deliberate chord closes the console.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from console.layout.library import LayoutLibrary
from widgets.video.wall_health import wall_health
from widgets.wall.manager import WallManager
from widgets.wall.window import WallWindow

KIOSK_QUIT = QKeySequence("Ctrl+Alt+Shift+Q")
CURSOR_IDLE_MS = 3000


class IdleCursor(QObject):
    """Hides the mouse cursor over the wall after a few seconds without movement."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hidden = False
        self._timer = QTimer(self, singleShot=True, interval=CURSOR_IDLE_MS)
        self._timer.timeout.connect(self._hide)
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseMove:
            if self.hidden:
                QGuiApplication.restoreOverrideCursor()
                self.hidden = False
            self._timer.start()
        return False

    def _hide(self) -> None:
        if not self.hidden:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
            self.hidden = True

    def stop(self) -> None:
        """Show the cursor and leave the application's events alone (before deletion)."""
        self._timer.stop()
        QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
        if self.hidden:
            QGuiApplication.restoreOverrideCursor()
            self.hidden = False


class CloseGuard(QObject):
    """Refuses window close requests (Alt+F4, the window manager) until allowed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.allowed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and not self.allowed:
            assert isinstance(event, QCloseEvent)
            event.ignore()
            return True
        return False


class WallControls(QObject):
    def __init__(
        self,
        library: LayoutLibrary,
        wall: WallManager,
        quit_console: Callable[[], None],
        kiosk: bool = False,
    ) -> None:
        super().__init__()
        self.library, self.wall, self.kiosk = library, wall, kiosk
        self._quit_console = quit_console
        self.guard = CloseGuard(self) if kiosk else None
        self.idle_cursor = IdleCursor(self) if kiosk else None
        self.quit_action = self._action(
            self.tr("Quit"), KIOSK_QUIT if kiosk else QKeySequence.StandardKey.Quit
        )
        self.quit_action.triggered.connect(self.quit)
        self.reload_action = self._action(self.tr("Reload layouts"), QKeySequence("F5"))
        self.reload_action.triggered.connect(library.reload)
        self.next_page = self._action(self.tr("Next page"), QKeySequence("Ctrl+PgDown"))
        self.next_page.triggered.connect(lambda: self._step_page(1))
        self.health_action = self._action(self.tr("Wall health"), QKeySequence("F9"))
        self.health_action.setCheckable(True)
        self.health_action.toggled.connect(wall_health().set_shown)
        self.preset_actions: list[QAction] = []
        self.extra_menus: list[tuple[str, list[QAction]]] = []  # e.g. the layout editor's
        library.presetsChanged.connect(self._rebuild_presets)
        wall.presetApplied.connect(self._mark_current)
        self._rebuild_presets()

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        return action

    def install(self, window: WallWindow) -> None:
        own = (self.quit_action, self.reload_action, self.next_page, self.health_action)
        for action in (*own, *self.preset_actions):
            window.addAction(action)
        if self.guard is not None:
            window.installEventFilter(self.guard)
            window.menuBar().hide()
            return
        for _title, actions in self.extra_menus:
            window.addActions(actions)
        self._fill_menus(window)

    def add_menu(self, title: str, actions: list[QAction]) -> bool:
        """Another menu on every wall window, after the built-in ones; not in kiosk mode."""
        if self.kiosk:
            return False
        self.extra_menus.append((title, actions))
        for window in self.wall.windows.values():
            self.install(window)
        return True

    def _fill_menus(self, window: WallWindow) -> None:
        bar = window.menuBar()
        bar.clear()
        console_menu = bar.addMenu(self.tr("&Console"))
        console_menu.addAction(self.reload_action)
        console_menu.addAction(self.health_action)
        console_menu.addSeparator()
        console_menu.addAction(self.quit_action)
        presets_menu = bar.addMenu(self.tr("&Presets"))
        for action in self.preset_actions:
            presets_menu.addAction(action)
        presets_menu.addSeparator()
        presets_menu.addAction(self.next_page)
        for title, actions in self.extra_menus:
            bar.addMenu(title).addActions(actions)

    def _rebuild_presets(self) -> None:
        for action in self.preset_actions:
            for window in self.wall.windows.values():
                window.removeAction(action)
            action.deleteLater()
        self.preset_actions = []
        for index, preset in enumerate(self.library.presets()):
            action = QAction(preset.title or preset.name, self)
            action.setCheckable(True)
            action.setData(preset.name)
            if index < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, name=preset.name: self.switch(name))
            self.preset_actions.append(action)
        for window in self.wall.windows.values():
            self.install(window)
        if self.wall.current is not None:
            self._mark_current(self.wall.current.name)

    def _mark_current(self, name: str) -> None:
        for action in self.preset_actions:
            action.setChecked(action.data() == name)

    def switch(self, name: str) -> None:
        preset = self.library.find(name)
        if preset is not None and (self.wall.current is None or self.wall.current != preset):
            self.wall.apply(preset)

    def _step_page(self, step: int) -> None:
        window = QApplication.activeWindow()
        if isinstance(window, WallWindow) and window.tabs.count() > 1:
            window.tabs.setCurrentIndex((window.tabs.currentIndex() + step) % window.tabs.count())

    def quit(self) -> None:
        if self.guard is not None:
            self.guard.allowed = True
        if self.idle_cursor is not None:
            self.idle_cursor.stop()
        self._quit_console()
