"""One slide on screen: its title, its live panels, and the annotation layer on top.

Panels are laid out by the wall's `ScreenPage` from a frame pool shared by all
slides, so a panel on two slides keeps running between them. A frozen slide shows
a still image of itself with its "data as of" time; a blank slide shows black.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from console.domain import formatting
from console.layout.deck import Slide
from console.layout.model import Screen
from widgets.briefing.annotation import AnnotationOverlay, AnnotationStore
from widgets.panel import Panel, PanelContext
from widgets.text import PlainLabel
from widgets.wall.frame import PanelFrame
from widgets.wall.window import FramePool, ScreenPage, grab_widget

LIVE, FROZEN, BLANK = 0, 1, 2


class SlideView(QWidget):
    def __init__(
        self, context: PanelContext, annotations: AnnotationStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SlideView")
        self.pool = FramePool(context)
        self.title = PlainLabel()
        self.title.setObjectName("SlideTitle")
        self.title.setStyleSheet("font-size: 22pt; font-weight: 600; padding: 6px 12px;")
        self.page = ScreenPage()
        self.still = PlainLabel()
        self.still.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.still.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.blank = QWidget()
        self.blank.setStyleSheet("background: black;")
        self.stack = QStackedWidget()
        for widget in (self.page, self.still, self.blank):
            self.stack.addWidget(widget)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.title)
        column.addWidget(self.stack, 1)
        self.overlay = AnnotationOverlay(annotations, self)
        self.slide: Slide | None = None
        self.index = -1
        self.frozen_at: datetime | None = None
        self._disposed = False

    # -- what is shown --------------------------------------------------------
    def show_slide(self, index: int, slide: Slide, screen: Screen) -> None:
        self.unfreeze()
        self.index, self.slide = index, slide
        self.title.setText(slide.title)
        self.page.release(self.pool)
        self.page.show_screen(screen, self.pool)
        self.pool.trim()
        self.overlay.show_slide(index)
        self.overlay.raise_()

    def prepare(self, screens: Sequence[Screen]) -> None:
        """Build every slide's panels ahead, hidden, one per turn of the event loop: a
        slide's first visit then takes warm panels (a map's first build is about half a
        second) instead of building them while the room waits."""
        shown = {frame.identity for frame in self.page.frames}
        pending = [spec for s in screens for spec in s.panels() if spec.identity() not in shown]

        def step() -> None:
            if pending and not self._disposed and self.pool.warm(pending.pop(0), self.page):
                QTimer.singleShot(0, self, step)  # dropped with this view

        QTimer.singleShot(0, self, step)

    def panels(self) -> list[Panel]:
        return [frame.panel for frame in self.page.frames if frame.panel is not None]

    def freeze(self) -> None:
        """Hold the slide still: an image of it now, with the time its data is from."""
        if self.frozen_at is not None or self.slide is None:
            return
        image = grab_widget(self.page)
        self.frozen_at = formatting.now()
        self.still.setPixmap(
            QPixmap.fromImage(image).scaled(
                self.stack.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.stack.setCurrentIndex(FROZEN)
        self.title.setText(
            self.tr("{title} — frozen, data as of {time}").format(
                title=self.slide.title, time=self.frozen_at.strftime("%H:%M:%S")
            )
        )

    def unfreeze(self) -> None:
        if self.frozen_at is None:
            return
        self.frozen_at = None
        self.stack.setCurrentIndex(LIVE)
        if self.slide is not None:
            self.title.setText(self.slide.title)

    def set_blank(self, blank: bool) -> None:
        if blank:
            self.stack.setCurrentIndex(BLANK)
        else:
            self.stack.setCurrentIndex(FROZEN if self.frozen_at else LIVE)
        self.overlay.setVisible(not blank)

    def content_image(self) -> QImage:
        """The panels area as an image (without annotations: they are drawn on top)."""
        widget = self.still if self.frozen_at is not None else self.page
        return grab_widget(widget)

    def content_rect(self) -> QRect:
        return self.stack.geometry()

    def dispose(self) -> None:
        self._disposed = True
        self.page.release(self.pool)
        for frame in self.findChildren(PanelFrame):
            frame.dispose()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.overlay.setGeometry(self.content_rect())
