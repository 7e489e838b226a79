"""Edit mode on the live wall: split, merge, change kind and settings, swap, undo, save.

Every edit is a pure operation on the current Layout (console.layout.edit) applied at
once with `WallManager.apply`, so panels the edit did not touch stay alive (a camera
keeps playing while the operator rearranges). Not available in kiosk mode.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit

from console.layout.edit import (
    Direction,
    EditError,
    PanelRef,
    UndoHistory,
    as_preset,
    merge,
    set_kind,
    set_settings,
    split,
    swap,
    to_yaml,
)
from console.layout.model import Layout
from widgets.editor.settings import SettingsDialog
from widgets.editor.tools import FrameTools
from widgets.text import PlainLabel
from widgets.wall.controls import WallControls
from widgets.wall.frame import PanelFrame
from widgets.wall.window import WallWindow

log = logging.getLogger(__name__)
MESSAGE_MS = 10_000


class LayoutEditor(QObject):
    editingChanged = Signal(bool)
    saved = Signal(Path)
    failed = Signal(str)  # a plain-words reason an edit or a save did not happen

    def __init__(self, controls: WallControls, layouts_dir: Path) -> None:
        super().__init__(controls)
        self.controls, self.wall, self.library = controls, controls.wall, controls.library
        self.layouts_dir = layouts_dir
        self.history = UndoHistory()
        self.editing = False
        self._shown: Layout | None = controls.wall.current
        self._hints: dict[WallWindow, PlainLabel] = {}
        self.edit_action = self._action(self.tr("Edit layout…"), "Ctrl+E", self.set_editing)
        self.edit_action.setCheckable(True)
        self.undo_action = self._action(self.tr("Undo"), "Ctrl+Z", self.undo)
        self.redo_action = self._action(self.tr("Redo"), "Ctrl+Shift+Z", self.redo)
        self.save_action = self._action(
            self.tr("Save as new preset…"), "Ctrl+Shift+S", self.ask_save_name
        )
        self.available = controls.add_menu(
            self.tr("&Layout"),
            [self.edit_action, self.undo_action, self.redo_action, self.save_action],
        )
        self.wall.presetApplied.connect(self._after_apply)
        self._update_actions()

    def _action(self, text: str, keys: str, slot: Callable[..., object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        return action

    # -- edit mode ------------------------------------------------------------------
    def set_editing(self, on: bool) -> None:
        on = bool(on) and self.available and not self.controls.kiosk
        if on != self.editing:
            self.editing = on
            self._decorate()
            self.editingChanged.emit(on)
        self.edit_action.setChecked(on)
        self._update_actions()

    def frames(self) -> list[PanelFrame]:
        return [frame for window in self.wall.window_list() for frame in window.frames]

    def _decorate(self) -> None:
        """Tools on every frame on screen while editing; none otherwise."""
        on_screen = set(self.frames()) if self.editing else set()
        for window in self.wall.windows.values():
            for frame in window.findChildren(PanelFrame):
                tools = frame.title.findChild(FrameTools)
                if frame in on_screen and tools is None:
                    FrameTools(frame, self)
                elif frame not in on_screen and tools is not None:
                    tools.remove()
            self._hint(window)

    def _hint(self, window: WallWindow) -> None:
        label = self._hints.get(window)
        if label is None and self.editing:
            label = PlainLabel(
                self.tr(
                    "Editing the layout: drag a title bar onto another panel to swap ·"
                    " Ctrl+Z undo · Ctrl+Shift+S save as a preset · Ctrl+E done"
                )
            )
            label.setObjectName("EditHint")
            label.setStyleSheet("color: #58a6ff;")
            window.statusBar().insertWidget(0, label)
            self._hints[window] = label
        if label is not None:
            label.setVisible(self.editing)

    # -- addressing -------------------------------------------------------------------
    def ref_of(self, frame: PanelFrame) -> PanelRef | None:
        """Where a frame's panel is in the current layout."""
        layout = self.wall.current
        if layout is None:
            return None
        for window in self.wall.windows.values():
            for page in window.pages:
                if frame in page.frames and page.spec is not None:
                    screens = layout.screens
                    index = next(
                        (i for i, s in enumerate(screens) if s is page.spec),
                        next((i for i, s in enumerate(screens) if s == page.spec), None),
                    )
                    return None if index is None else (index, page.frames.index(frame))
        return None

    # -- edits --------------------------------------------------------------------------
    def edit(self, change: Callable[[Layout], Layout]) -> bool:
        """Apply one edit to the wall; an impossible edit is explained, nothing is lost."""
        current = self.wall.current
        if current is None:
            return False
        try:
            changed = change(current)
        except EditError as error:
            self._report(str(error))
            return False
        if changed == current:
            return False
        self.history.record(current)
        self._show(changed)
        return True

    def _on_frame(self, frame: PanelFrame, change: Callable[[Layout, PanelRef], Layout]) -> None:
        ref = self.ref_of(frame)
        if ref is None:
            self._report(self.tr("That panel is no longer on the wall: nothing was changed"))
            return
        self.edit(lambda layout: change(layout, ref))

    def split(self, frame: PanelFrame, direction: Direction) -> None:
        self._on_frame(frame, lambda layout, ref: split(layout, ref, direction))

    def merge(self, frame: PanelFrame, direction: Direction) -> None:
        self._on_frame(frame, lambda layout, ref: merge(layout, ref, direction))

    def set_kind(self, frame: PanelFrame, kind: str) -> None:
        self._on_frame(frame, lambda layout, ref: set_kind(layout, ref, kind))

    def set_settings(self, frame: PanelFrame, config: dict[str, object]) -> None:
        self._on_frame(frame, lambda layout, ref: set_settings(layout, ref, config))

    def swap_frames(self, source: PanelFrame, target: PanelFrame) -> None:
        a, b = self.ref_of(source), self.ref_of(target)
        if a is not None and b is not None:
            self.edit(lambda layout: swap(layout, a, b))

    def open_settings(self, frame: PanelFrame) -> SettingsDialog:
        dialog = SettingsDialog(frame.spec, frame.window())
        dialog.applied.connect(lambda config: self.set_settings(frame, config))
        dialog.open()
        return dialog

    def undo(self) -> None:
        if self.wall.current is not None and (before := self.history.undo(self.wall.current)):
            self._show(before)

    def redo(self) -> None:
        if self.wall.current is not None and (after := self.history.redo(self.wall.current)):
            self._show(after)

    def _show(self, layout: Layout) -> None:
        self._shown = layout
        self.wall.apply(layout)

    def _after_apply(self, _name: str) -> None:
        current = self.wall.current
        if current is not None and current is not self._shown:
            # Not our edit: another preset, or its file changed on disk. Edits to the same
            # preset stay one Ctrl+Z away; another preset starts a fresh history.
            if self._shown is not None and self._shown.name == current.name:
                self.history.record(self._shown)
            else:
                self.history.clear()
            self._shown = current
        if self.editing:
            self._decorate()
        self._update_actions()

    def _update_actions(self) -> None:
        self.undo_action.setEnabled(self.editing and self.history.can_undo())
        self.redo_action.setEnabled(self.editing and self.history.can_redo())
        self.save_action.setEnabled(self.editing)

    def _report(self, message: str) -> None:
        log.warning("layout edit refused: %s", message)
        for window in self.wall.windows.values():
            window.statusBar().showMessage(message, MESSAGE_MS)
        self.failed.emit(message)

    # -- saving -------------------------------------------------------------------------
    def ask_save_name(self) -> QInputDialog | None:
        windows = self.wall.window_list()
        if not self.editing or not windows:
            return None
        dialog = QInputDialog(windows[0])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(self.tr("Save as new preset"))
        dialog.setLabelText(self.tr("Name of the new preset:"))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.textValueSelected.connect(self.save_as)
        dialog.open()
        return dialog

    def save_as(self, title: str) -> Path | None:
        """Write the wall as `<layouts_dir>/<name>.yaml`; the preset library picks it up."""
        current = self.wall.current
        if current is None:
            return None
        try:
            preset = as_preset(current, title)
        except EditError as error:
            self._report(str(error))
            return None
        path = self.layouts_dir / f"{preset.name}.yaml"
        if self.library.find(preset.name) is not None or path.exists():
            self._report(
                self.tr("A preset named “{name}” exists already: choose another name").format(
                    name=preset.name
                )
            )
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)  # the user's folder, first save
            temporary = path.with_name(f".{path.name}.tmp")
            temporary.write_text(to_yaml(preset), encoding="utf-8")
            os.replace(temporary, path)
        except OSError as error:
            self._report(
                self.tr("Could not save {path}: {error}").format(
                    path=path, error=error.strerror or error
                )
            )
            return None
        log.info("layout saved as preset %s in %s", preset.name, path)
        self.history.record(current)
        self._show(preset)  # same panels, new name: the library's reload then matches it
        self.library.add_file(path)
        for window in self.wall.windows.values():
            window.statusBar().showMessage(
                self.tr("Saved as preset “{title}” ({path})").format(
                    title=preset.title, path=path.name
                ),
                MESSAGE_MS,
            )
        self.saved.emit(path)
        return path
