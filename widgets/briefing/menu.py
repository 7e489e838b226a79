"""Console → Present: start a briefing from the running wall, on its live data.

The decks are the `*.deck.yaml` files beside the layouts. A session shares the
console's stores and backend link (and so its credentials); the wall keeps running.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from console.layout.positions import LayoutInvalid
from widgets.wall.controls import WallControls

log = logging.getLogger(__name__)


class BriefingMenu(QObject):
    def __init__(self, controls: WallControls, layouts_dir: Path, running: tuple[Any, Any]):
        super().__init__()
        self.layouts_dir, self.running = layouts_dir, running
        self.session: Any = None
        actions = []
        for deck in sorted(layouts_dir.glob("*.deck.yaml")):
            action = QAction(self.tr("Present “{name}”").format(name=deck.name[:-10]), self)
            action.triggered.connect(lambda _checked=False, path=deck: self.present(path))
            actions.append(action)
        if actions:
            controls.add_menu(self.tr("&Briefing"), actions)

    def present(self, path: Path) -> None:
        """Audience and presenter windows for `path`, fed by the console's live data."""
        from widgets.briefing.app import read_deck
        from widgets.briefing.data import BriefingData
        from widgets.briefing.presenter import PresenterSession

        if self.session is not None:
            self.session.close()
        try:
            deck, presets = read_deck(path)
        except LayoutInvalid as invalid:
            log.error("deck %s is invalid:\n%s", path, invalid)
            return
        data = BriefingData(self.running)
        self.session = PresenterSession(deck, presets, data, fullscreen=True)
        self.session.finished.connect(self._ended)
        self.session.start()

    def _ended(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None
