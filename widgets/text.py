"""Text from outside (a backend, a layout file, an error) is shown as text, never markup.

A QLabel in Qt's default AutoText format, and any tooltip, is read as rich text as soon
as `Qt.mightBeRichText()` says so: a title `<a href="javascript:…">` shows as a link and
`<img src="/path/to/file.png">` draws a local file on the wall. So every label in
widgets/ is a `PlainLabel`; the few that need markup are `MarkupLabel`s built from
escaped values; every tooltip goes through `plain_tooltip`. tests/test_plain_text.py
checks the source for anything else and walks a wall fed with markup.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from console.stores.tooltips import plain_tooltip

__all__ = ["MarkupLabel", "PlainLabel", "plain_tooltip"]


class PlainLabel(QLabel):
    """A label that shows its text as it is, whatever the text looks like."""

    def __init__(self, text: str = "", parent: QWidget | None = None, **properties: Any) -> None:
        super().__init__(text, parent, **properties)
        self.setTextFormat(Qt.TextFormat.PlainText)


class MarkupLabel(QLabel):
    """Markup on purpose (a coloured swatch, a smaller name): the caller escapes every
    value from outside with `html.escape`. Always RichText, never AutoText's guess: an
    escaped "&amp;" alone would otherwise be guessed plain and show its entity."""

    def __init__(self, markup: str = "", parent: QWidget | None = None) -> None:
        super().__init__(markup, parent)
        self.setTextFormat(Qt.TextFormat.RichText)
