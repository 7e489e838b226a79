"""What a meeting's seat shows: a slide with the presenter's ink over it, a banner above.

It only shows; `MeetingFollower` decides. The banner floats over the slide's title, so
saying "private view" or "connection lost" never re-lays out the live panels.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from console.layout.deck import Slide
from console.layout.model import Screen
from console.nodes.meeting import InkStroke
from widgets.briefing.annotation import AnnotationStore, paint_lines
from widgets.briefing.slide import SlideView
from widgets.panel import PanelContext
from widgets.text import PlainLabel

WAITING, SLIDE = 0, 1


class InkLayer(QWidget):
    """The presenter's strokes, scaled to this layer; clicks pass through."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[InkStroke] = []
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)

    def set_ink(self, strokes: Sequence[InkStroke]) -> None:
        if list(strokes) != self.strokes:
            self.strokes = list(strokes)
            self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        lines = [(s.colour, s.opacity, s.width, s.points) for s in self.strokes]
        paint_lines(painter, QRectF(self.rect()), lines)
        painter.end()


class FollowerSlide(SlideView):
    """A slide view whose ink comes from the presenter, not from a local pen."""

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        own = AnnotationStore()  # stays empty: a seat does not draw
        super().__init__(context, own, parent)
        own.setParent(self)
        self.ink = InkLayer(self)

    def show_slide(self, index: int, slide: Slide, screen: Screen) -> None:
        super().show_slide(index, slide, screen)
        self.ink.set_ink([])
        self.ink.raise_()

    def set_blank(self, blank: bool) -> None:
        super().set_blank(blank)
        self.ink.setVisible(not blank)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.ink.setGeometry(self.content_rect())


class FollowerWindow(QWidget):
    def __init__(self, context: PanelContext) -> None:
        super().__init__()
        self.setObjectName("MeetingSeat")
        self.waiting = PlainLabel()
        self.waiting.setObjectName("MeetingWaiting")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting.setWordWrap(True)
        self.waiting.setStyleSheet("font-size: 18pt; color: #8b949e;")
        self.slide = FollowerSlide(context)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.waiting)
        self.stack.addWidget(self.slide)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.stack)
        self.banner = PlainLabel("", self)
        self.banner.setObjectName("MeetingBanner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: rgba(31, 111, 235, 230); color: white; font-size: 14pt; padding: 6px;"
        )
        self.banner.hide()

    def show_waiting(self, text: str) -> None:
        self.waiting.setText(text)
        self.stack.setCurrentIndex(WAITING)

    def show_slide_page(self) -> None:
        self.stack.setCurrentIndex(SLIDE)

    def set_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self._place_banner()

    def _place_banner(self) -> None:
        height = self.banner.heightForWidth(self.width())
        self.banner.setGeometry(0, 0, self.width(), max(height, self.banner.sizeHint().height()))
        self.banner.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_banner()
