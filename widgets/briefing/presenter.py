"""Presenting a deck: the audience view on one screen, the presenter view on another.

Keys (also what presentation clickers send): → PageDown Space next, ← PageUp
previous, B blank, F freeze, a number then Enter jumps, Esc leaves. A slide with
`dwell_s` moves on by itself. Both windows take the keys, so the presenter can
drive from either screen.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QWidget

from console.domain import formatting
from console.layout.deck import Deck
from console.layout.model import Layout
from widgets.briefing.annotation import AnnotationStore
from widgets.briefing.data import BriefingData
from widgets.briefing.pdf import export_minutes
from widgets.briefing.presenter_view import PresenterView
from widgets.briefing.slide import SlideView

log = logging.getLogger(__name__)
NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Down}
PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up}


class PresenterSession(QObject):
    slideChanged = Signal(int)
    stateChanged = Signal()  # blank or frozen changed (a meeting's seats follow both)
    finished = Signal()
    minutesExported = Signal(str)  # path

    def __init__(
        self,
        deck: Deck,
        presets: Mapping[str, Layout],
        data: BriefingData,
        *,
        fullscreen: bool = True,
    ) -> None:
        super().__init__()
        self.deck, self.presets, self.data = deck, presets, data
        self.fullscreen = fullscreen
        self.index = -1  # the slide shown; -1 before the first
        self.annotations = AnnotationStore(self)
        self.audience = SlideView(data.context, self.annotations)
        self.audience.setWindowTitle(deck.title)
        self.presenter = PresenterView(deck, self.annotations)
        self.presenter.jumpRequested.connect(self.go)
        self.presenter.toolPicked.connect(self.audience.overlay.set_tool)
        self.presenter.undoRequested.connect(lambda: self.annotations.undo(self.index))
        self.presenter.clearRequested.connect(lambda: self.annotations.clear(self.index))
        self.presenter.exportRequested.connect(self._export_requested)
        self.blank = False
        self.typed = ""
        self.started = time.monotonic()
        self._exports: set[asyncio.Task[int]] = set()
        self._dwell = QTimer(self, singleShot=True)
        self._dwell.timeout.connect(self.next)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._update_clock)
        for window in (self.audience, self.presenter):
            window.installEventFilter(self)

    # -- windows ---------------------------------------------------------------
    def start(self) -> None:
        # As presentation programs do: the presenter on the primary screen (the lectern),
        # the audience on the largest other screen (projector or wall); one screen: both.
        presenter_screen = QGuiApplication.primaryScreen()
        others = [s for s in QGuiApplication.screens() if s is not presenter_screen]
        audience_screen = max(
            others or [presenter_screen],
            key=lambda s: s.geometry().width() * s.geometry().height(),
        )
        self.audience.setScreen(audience_screen)
        self.presenter.setScreen(presenter_screen)
        if self.fullscreen:
            self.audience.setGeometry(audience_screen.geometry())
            self.audience.showFullScreen()
        else:
            self.audience.resize(1280, 720)
            self.audience.show()
        self.presenter.setGeometry(presenter_screen.availableGeometry())
        self.presenter.show()
        self.started = time.monotonic()
        self._tick.start()
        self.go(0)
        self.audience.prepare([slide.screen(self.presets) for slide in self.deck.slides])

    def close(self) -> None:
        self._dwell.stop()
        self._tick.stop()
        self.audience.dispose()
        for window in (self.audience, self.presenter):
            window.removeEventFilter(self)
            window.close()
            window.deleteLater()

    # -- navigation --------------------------------------------------------------
    def go(self, index: int) -> None:
        if not 0 <= index < len(self.deck.slides):
            return
        self.index = index
        slide = self.deck.slides[index]
        self.audience.show_slide(index, slide, slide.screen(self.presets))
        self.set_blank(False)
        self.presenter.show_position(index)
        self._dwell.stop()
        if slide.dwell_s is not None:
            self._dwell.start(int(slide.dwell_s * 1000))
        self.slideChanged.emit(index)

    def next(self) -> None:
        if self.index + 1 < len(self.deck.slides):
            self.go(self.index + 1)
        else:
            self._dwell.stop()  # the last slide stays up

    def previous(self) -> None:
        self.go(self.index - 1)

    def set_blank(self, blank: bool) -> None:
        self.blank = blank
        self.audience.set_blank(blank)
        self.presenter.show_state(blank=blank, frozen_at=self.audience.frozen_at)
        self.stateChanged.emit()

    def toggle_freeze(self) -> None:
        if self.audience.frozen_at is None:
            self.audience.freeze()
        else:
            self.audience.unfreeze()
        self.presenter.show_state(blank=self.blank, frozen_at=self.audience.frozen_at)
        self.stateChanged.emit()

    def handle_key(self, key: int, text: str) -> bool:
        if text.isdigit():
            self.typed = (self.typed + text)[-3:]
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.typed:
            number, self.typed = int(self.typed), ""
            self.go(number - 1)
            return True
        self.typed = ""
        if key in NEXT_KEYS:
            self.next()
        elif key in PREVIOUS_KEYS:
            self.previous()
        elif key == Qt.Key.Key_B:
            self.set_blank(not self.blank)
        elif key == Qt.Key.Key_F:
            self.toggle_freeze()
        elif key == Qt.Key.Key_Escape:
            self.finished.emit()
        else:
            return False
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_key = event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
        if is_key and self.handle_key(event.key(), event.text()):  # type: ignore[attr-defined]
            return True
        return super().eventFilter(watched, event)

    def _update_clock(self) -> None:
        self.presenter.show_elapsed(time.monotonic() - self.started)

    # -- minutes ---------------------------------------------------------------
    def _export_requested(self, path: str) -> None:
        task = asyncio.ensure_future(self.export(Path(path)))
        self._exports.add(task)
        task.add_done_callback(self._exports.discard)

    async def export(self, path: Path) -> int:
        """The session's minutes, annotations included, rendered off the audience screen."""
        renderer = SlideView(self.data.context, self.annotations)
        renderer.setWindowTitle(self.tr("Exporting minutes…"))
        renderer.resize(1600, 900)
        renderer.show()
        self.presenter.show_notice(self.tr("Exporting minutes to {path}…").format(path=path))
        try:
            pages = await export_minutes(
                self.deck, self.presets, self.data, renderer, self.annotations, path
            )
        except OSError as error:
            log.error("minutes export to %s failed: %s", path, error)
            self.presenter.show_notice(
                self.tr("Could not write {path}: {error}").format(path=path, error=error)
            )
            return 0
        finally:
            renderer.dispose()
            renderer.close()
            renderer.deleteLater()
        self.presenter.show_notice(
            self.tr("Minutes written to {path} ({pages} pages, {time})").format(
                path=path, pages=pages, time=formatting.clock(formatting.now())
            )
        )
        self.minutesExported.emit(str(path))
        return pages

    async def wait_exports(self) -> None:
        if self._exports:
            await asyncio.gather(*self._exports, return_exceptions=True)

    def windows(self) -> list[QWidget]:
        return [self.audience, self.presenter]
