"""The dark control-room theme, applied once to the whole application."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from console.assets import themes_dir

PRIORITY_COLOURS = {
    "critical": "#ff4d4f",
    "high": "#ff9f43",
    "medium": "#f5d547",
    "low": "#58a6ff",
}
STATUS_COLOURS = {"live": "#3fb950", "ok": "#3fb950", "warn": "#d29922", "bad": "#ff7b72"}


BASE_POINT_SIZE = 14.0  # readable on a desk screen; screens scale it (layout `scale`)


def apply_theme(app: QApplication, name: str = "dark") -> None:
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setPointSizeF(BASE_POINT_SIZE)
    app.setFont(font)
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#0d1117"),
        (QPalette.ColorRole.Base, "#0d1117"),
        (QPalette.ColorRole.AlternateBase, "#131922"),
        (QPalette.ColorRole.Text, "#e6edf3"),
        (QPalette.ColorRole.WindowText, "#e6edf3"),
        (QPalette.ColorRole.Button, "#1f2630"),
        (QPalette.ColorRole.ButtonText, "#e6edf3"),
        (QPalette.ColorRole.Highlight, "#1f6feb"),
    ):
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    app.setStyleSheet((themes_dir() / f"{name}.qss").read_text(encoding="utf-8"))
