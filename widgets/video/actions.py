"""Operator actions on a camera tile that outlive it: snapshots and the enlarged view.

Snapshots carry the camera's name and the time burned into the picture, so a PNG attached to
an incident report says what it shows and when, on its own.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRect, QStandardPaths, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QMainWindow, QWidget

CAMERA_MIME = "application/x-ioc-camera-id"


def snapshot_dir() -> Path:
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    return Path(pictures or Path.home()) / "IOC Console"


def burn_in(image: QImage, caption: str) -> QImage:
    """`image` with `caption` on a dark strip along its bottom edge."""
    out = image.convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(out)
    font = QFont()
    font.setPixelSize(max(12, out.height() // 24))
    font.setBold(True)
    painter.setFont(font)
    height = painter.fontMetrics().height() + 8
    strip = QRect(0, out.height() - height, out.width(), height)
    painter.fillRect(strip, QColor(0, 0, 0, 170))
    painter.setPen(Qt.GlobalColor.white)
    painter.drawText(strip.adjusted(8, 0, -8, 0), int(Qt.AlignmentFlag.AlignVCenter), caption)
    painter.end()
    return out


def save_snapshot(
    image: QImage, camera_id: str, caption: str, when: datetime, folder: Path
) -> Path:
    """Write the burned-in PNG as `<camera>-<YYYYmmdd-HHMMSS>.png`; raises OSError on failure."""
    folder.mkdir(parents=True, exist_ok=True)
    safe_id = re.sub(r"[^\w.-]", "_", camera_id) or "camera"
    path = folder / f"{safe_id}-{when:%Y%m%d-%H%M%S}.png"
    if not burn_in(image, caption).save(str(path)):  # the .png suffix picks the format
        raise OSError(f"could not write {path}")
    return path


class Enlarged(QObject):
    """Shows `view` over the whole window's central area and hides the wall under it.

    The wall is hidden, not covered: its tiles stop decoding (and native video windows would
    paint over any sibling). `close()` removes the view and shows the wall again.
    """

    def __init__(self, window: QMainWindow, view: QWidget) -> None:
        super().__init__(window)
        self.window, self.view = window, view
        central = window.centralWidget()
        if central is None:
            raise ValueError("a window without a central widget has no wall to cover")
        self.central: QWidget = central
        view.setParent(window)
        window.installEventFilter(self)
        self.central.hide()
        self._fit()
        view.show()
        view.setFocus()

    def _fit(self) -> None:
        """The central area: below the window's top bars, above its status bar."""
        top = self.central.geometry().top()
        bar = self.window.statusBar()
        bottom = self.window.height() - (bar.height() if bar.isVisible() else 0)
        self.view.setGeometry(QRect(0, top, self.window.width(), bottom - top))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def close(self) -> None:
        self.window.removeEventFilter(self)
        self.view.close()
        self.view.deleteLater()
        self.central.show()
        self.deleteLater()
