"""The presenter's screen: current and next slide, notes, elapsed time, the slide list,
annotation tools and "export minutes". It shows; `PresenterSession` decides."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.layout.deck import Deck
from widgets.briefing.annotation import AnnotationStore
from widgets.text import PlainLabel


def _label(name: str, style: str = "") -> PlainLabel:
    label = PlainLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    if style:
        label.setStyleSheet(style)
    return label


class PresenterView(QWidget):
    jumpRequested = Signal(int)
    toolPicked = Signal(object)  # "pen", "highlighter" or None
    undoRequested = Signal()
    clearRequested = Signal()
    exportRequested = Signal(str)  # PDF path

    def __init__(self, deck: Deck, annotations: AnnotationStore) -> None:
        super().__init__()
        self.deck = deck
        self.annotations = annotations
        self.setWindowTitle(self.tr("Presenter — {title}").format(title=deck.title))
        self.current = _label("PresenterCurrent", "font-size: 20pt; font-weight: 600;")
        self.next_title = _label("PresenterNext", "font-size: 13pt; color: #8b949e;")
        self.state = _label("PresenterState", "font-size: 13pt; color: #ff7b72;")
        self.elapsed = _label("PresenterElapsed", "font-size: 20pt;")
        self.notice = _label("PresenterNotice")
        self.notes = QPlainTextEdit()
        self.notes.setReadOnly(True)
        self.notes.setStyleSheet("font-size: 14pt;")
        self.slides = QListWidget()
        for number, slide in enumerate(deck.slides, 1):
            self.slides.addItem(f"{number}. {slide.title}")
        self.slides.itemActivated.connect(
            lambda item: self.jumpRequested.emit(self.slides.row(item))
        )
        self.slides.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrow keys drive the deck
        tools = QHBoxLayout()
        self.tool_buttons = QButtonGroup(self)
        for tool, text in (
            (None, self.tr("Pointer")),
            ("pen", self.tr("Pen")),
            ("highlighter", self.tr("Highlighter")),
        ):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setChecked(tool is None)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, t=tool: self.toolPicked.emit(t))
            self.tool_buttons.addButton(button)
            tools.addWidget(button)
        for text, signal in (
            (self.tr("Undo"), self.undoRequested),
            (self.tr("Clear"), self.clearRequested),
        ):
            button = QPushButton(text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(signal.emit)
            tools.addWidget(button)
        export = QPushButton(self.tr("Export minutes…"))
        export.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        export.clicked.connect(self._ask_path)
        tools.addStretch(1)
        tools.addWidget(export)
        left = QVBoxLayout()
        left.addWidget(self.current)
        left.addWidget(self.next_title)
        left.addWidget(self.state)
        left.addWidget(self.notes, 1)
        left.addLayout(tools)
        left.addWidget(self.notice)
        right = QVBoxLayout()
        right.addWidget(self.elapsed)
        right.addWidget(self.slides, 1)
        row = QHBoxLayout(self)
        row.addLayout(left, 3)
        row.addLayout(right, 1)
        self.show_elapsed(0)

    def show_position(self, index: int) -> None:
        slides = self.deck.slides
        slide = slides[index]
        self.current.setText(
            self.tr("{n}/{total}: {title}").format(
                n=index + 1, total=len(slides), title=slide.title
            )
        )
        following = slides[index + 1].title if index + 1 < len(slides) else self.tr("(end)")
        self.next_title.setText(self.tr("Next: {title}").format(title=following))
        self.notes.setPlainText(slide.notes)
        self.slides.setCurrentRow(index)

    def show_state(self, *, blank: bool, frozen_at: datetime | None) -> None:
        parts = []
        if blank:
            parts.append(self.tr("Audience screen blank (B)"))
        if frozen_at is not None:
            parts.append(
                self.tr("Frozen, data as of {time} (F)").format(time=frozen_at.strftime("%H:%M:%S"))
            )
        self.state.setText(" · ".join(parts))

    def show_elapsed(self, seconds: float) -> None:
        minutes, secs = divmod(int(seconds), 60)
        self.elapsed.setText(self.tr("Elapsed {m:02d}:{s:02d}").format(m=minutes, s=secs))

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)

    def _ask_path(self) -> None:
        """A non-modal save dialog: no nested event loop under qasync."""
        dialog = QFileDialog(self, self.tr("Export minutes"), "minutes.pdf")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.setNameFilter("PDF (*.pdf)")
        dialog.fileSelected.connect(self.exportRequested.emit)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
