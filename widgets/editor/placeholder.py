"""The 'empty' panel kind: what a new half of a split cell shows until a kind is chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.layout.panel_kinds import PanelConfig
from widgets.panel import Panel, PanelContext
from widgets.text import PlainLabel


class PlaceholderPanel(Panel):
    KIND = "empty"
    FEEDS = frozenset[str]()

    def __init__(
        self, context: PanelContext, config: PanelConfig, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, config, parent)
        hint = PlainLabel(
            self.tr(
                "Empty cell. In edit mode (Ctrl+E), pick a panel kind on its title bar (▾ or ✎)."
            )
        )
        hint.setObjectName("PlaceholderHint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        hint.setEnabled(False)  # greyed: nothing to operate here
        QVBoxLayout(self).addWidget(hint)

    def title(self) -> str:
        return self.tr("Empty")
