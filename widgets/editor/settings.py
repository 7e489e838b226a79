"""A panel's settings as YAML text, checked as you type; OK only when they are valid."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from console.layout.edit import EditError, parse_settings, settings_text
from console.layout.model import PanelSpec
from widgets.text import PlainLabel


class SettingsDialog(QDialog):
    """Non-modal: opened with `open()`, it reports valid settings through `applied`."""

    applied = Signal(dict)

    def __init__(self, spec: PanelSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = spec.kind
        self.config: dict[str, Any] | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(
            self.tr("Settings of “{title}” ({kind})").format(
                title=spec.title or spec.kind, kind=spec.kind
            )
        )
        self.editor = QPlainTextEdit(settings_text(spec))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.error = PlainLabel()
        self.error.setObjectName("SettingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #ff7b72;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        hint = PlainLabel(
            self.tr("One setting per line, as in the layout file. Empty values use the default.")
        )
        hint.setWordWrap(True)
        column.addWidget(hint)
        column.addWidget(self.editor, 1)
        column.addWidget(self.error)
        column.addWidget(self.buttons)
        self.resize(760, 380)
        self.editor.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        try:
            self.config = parse_settings(self.kind, self.editor.toPlainText())
            self.error.setText("")
        except EditError as error:
            self.config = None
            self.error.setText(str(error))
        self.error.setVisible(self.config is None)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.config is not None)

    def accept(self) -> None:
        if self.config is None:
            return
        self.applied.emit(self.config)
        super().accept()
