"""The presets available to the wall, read from layout files and kept up to date.

Files are watched: an edit on disk is re-read within a second. A file that turns
invalid keeps its last good presets, and its errors are reported until it is fixed,
so a typo never blanks a wall.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from console.layout.loader import LayoutLoader
from console.layout.model import Layout
from console.layout.positions import LayoutError, LayoutInvalid

log = logging.getLogger(__name__)
RELOAD_DELAY_MS = 150  # editors write in bursts (truncate, write, rename)


NOT_LAYOUTS = (".deck.yaml", ".site.yaml", ".procedures.yaml")  # decks, sites, SOPs


def layout_files(directory: Path) -> list[Path]:
    """Layout files of a folder, in name order; decks, sites and procedures are not layouts."""
    return sorted(p for p in directory.glob("*.yaml") if not p.name.endswith(NOT_LAYOUTS))


class LayoutLibrary(QObject):
    presetsChanged = Signal()
    errorsChanged = Signal(list)  # list[LayoutError]

    def __init__(self, files: list[Path], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.files = list(dict.fromkeys(path.resolve() for path in files))
        self._presets: dict[Path, list[Layout]] = {}
        self._errors: dict[Path, list[LayoutError]] = {}
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._schedule)
        self._watcher.directoryChanged.connect(self._schedule)
        self._timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self._load_all()
        self._watch()

    def presets(self) -> list[Layout]:
        return [preset for path in self.files for preset in self._presets.get(path, [])]

    def find(self, name: str) -> Layout | None:
        return next((preset for preset in self.presets() if preset.name == name), None)

    def errors(self) -> list[LayoutError]:
        return [error for path in self.files for error in self._errors.get(path, [])]

    def presets_of(self, path: Path) -> list[Layout]:
        return list(self._presets.get(path.resolve(), []))

    def add_file(self, path: Path) -> None:
        """Watch and load one more file now (a preset the editor just saved)."""
        path = path.resolve()
        if path not in self.files:
            self.files.append(path)
        self.reload()

    def _load_all(self) -> bool:
        changed = False
        for path in self.files:
            try:
                presets = LayoutLoader(path).load()
            except LayoutInvalid as invalid:
                if self._errors.get(path) != invalid.errors:
                    log.error("layout %s is invalid:\n%s", path, invalid)
                self._errors[path] = invalid.errors
                continue  # keep the last good presets of this file
            self._errors.pop(path, None)
            if self._presets.get(path) != presets:
                self._presets[path] = presets
                changed = True
        return changed

    def _watch(self) -> None:
        watched = set(self._watcher.files()) | set(self._watcher.directories())
        wanted = {str(path) for path in self.files if path.exists()}
        wanted |= {str(path.parent) for path in self.files}
        missing = sorted(wanted - watched)
        if missing:
            self._watcher.addPaths(missing)

    def _schedule(self, _path: str = "") -> None:
        self._timer.start()

    def reload(self) -> None:
        before = self.errors()
        changed = self._load_all()
        self._watch()  # a rename-on-save replaced the file: watch the new one
        if self.errors() != before:
            self.errorsChanged.emit(self.errors())
        if changed:
            log.info("layouts reloaded: %s", ", ".join(p.name for p in self.presets()))
            self.presetsChanged.emit()
