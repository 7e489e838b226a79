"""Pen and highlighter strokes over a slide, kept per slide for the minutes.

Points are stored as fractions of the slide's width and height, so the same strokes
draw on the audience screen, the presenter's preview and the PDF page alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QWidget

Tool = Literal["pen", "highlighter"]
COLOURS: dict[Tool, str] = {"pen": "#ff3b30", "highlighter": "#ffd60a"}
WIDTHS: dict[Tool, float] = {"pen": 0.004, "highlighter": 0.025}  # of the slide's height


@dataclass
class Stroke:
    tool: Tool
    points: list[tuple[float, float]] = field(default_factory=list)


class AnnotationStore(QObject):
    """Strokes by slide index; undo takes the slide's last stroke back."""

    changed = Signal(int)  # slide index

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._strokes: dict[int, list[Stroke]] = {}

    def strokes(self, slide: int) -> list[Stroke]:
        return list(self._strokes.get(slide, []))

    def add(self, slide: int, stroke: Stroke) -> None:
        self._strokes.setdefault(slide, []).append(stroke)
        self.changed.emit(slide)

    def undo(self, slide: int) -> None:
        if self._strokes.get(slide):
            self._strokes[slide].pop()
            self.changed.emit(slide)

    def clear(self, slide: int) -> None:
        if self._strokes.pop(slide, None):
            self.changed.emit(slide)


HIGHLIGHTER_OPACITY = 0.45
Line = tuple[str, float, float, Sequence[tuple[float, float]]]  # colour, opacity, width, points


def line_of(stroke: Stroke) -> Line:
    """How a tool draws: a highlighter is wide and half transparent (here and on a seat)."""
    opacity = HIGHLIGHTER_OPACITY if stroke.tool == "highlighter" else 1.0
    return COLOURS[stroke.tool], opacity, WIDTHS[stroke.tool], stroke.points


def paint_strokes(painter: QPainter, rect: QRectF, strokes: list[Stroke]) -> None:
    """Draw strokes scaled into `rect`."""
    paint_lines(painter, rect, [line_of(stroke) for stroke in strokes])


def paint_lines(painter: QPainter, rect: QRectF, lines: Iterable[Line]) -> None:
    """Ink in slide-relative coordinates (0..1; width a share of the height) in `rect`:
    the presenter's own and what a meeting's seat receives are drawn alike."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for colour_name, opacity, width, relative in lines:
        colour = QColor(colour_name)
        colour.setAlphaF(opacity)
        pen = QPen(colour, max(1.0, width * rect.height()))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        points = [
            QPointF(rect.x() + x * rect.width(), rect.y() + y * rect.height()) for x, y in relative
        ]
        if len(points) == 1:
            painter.drawPoint(points[0])
            continue
        path = QPainterPath(points[0])
        for point in points[1:]:
            path.lineTo(point)
        painter.drawPath(path)
    painter.restore()


class AnnotationOverlay(QWidget):
    """A transparent layer over the slide: draws when a tool is picked, else lets
    clicks through to the panels below."""

    def __init__(self, store: AnnotationStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.slide = 0
        self.tool: Tool | None = None
        self._drawing: Stroke | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.set_tool(None)
        store.changed.connect(self._on_changed)

    def set_tool(self, tool: Tool | None) -> None:
        self.tool = tool
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, tool is None)
        self.setCursor(Qt.CursorShape.CrossCursor if tool else Qt.CursorShape.ArrowCursor)

    def show_slide(self, index: int) -> None:
        self.slide = index
        self._drawing = None
        self.update()

    def _on_changed(self, slide: int) -> None:
        if slide == self.slide:
            self.update()

    def _fraction(self, pos: QPointF) -> tuple[float, float]:
        width, height = max(1, self.width()), max(1, self.height())
        return (min(max(pos.x() / width, 0.0), 1.0), min(max(pos.y() / height, 0.0), 1.0))

    def begin(self, pos: QPointF) -> None:
        if self.tool is not None:
            self._drawing = Stroke(self.tool, [self._fraction(pos)])
            self.update()

    def extend(self, pos: QPointF) -> None:
        if self._drawing is not None:
            self._drawing.points.append(self._fraction(pos))
            self.update()

    def finish(self) -> None:
        if self._drawing is not None:
            stroke, self._drawing = self._drawing, None
            self.store.add(self.slide, stroke)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.extend(event.position())
        self.finish()

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen tablet draws like the mouse."""
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self.begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self.extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self.finish()
        event.accept()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        strokes = self.store.strokes(self.slide)
        if self._drawing is not None:
            strokes.append(self._drawing)
        paint_strokes(painter, QRectF(self.rect()), strokes)
        painter.end()
