"""The picture area of a camera tile: the video, words in its place, or a still picture.

One page shows at a time (a native video window would paint over anything laid on top of it).
The pages live in the tile's own layout, so the video stays a direct descendant of the tile.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QStackedLayout

from widgets.text import PlainLabel
from widgets.video.engine import VideoHost


class TilePages:
    """The video host, a message label and a still label in one stacked layout."""

    def __init__(self) -> None:
        self.video = VideoHost()
        self.message = PlainLabel(wordWrap=True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.still = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.still.setMinimumSize(1, 1)
        self.stack = QStackedLayout()
        for page in (self.video, self.message, self.still):
            self.stack.addWidget(page)

    def show_reason(self, text: str) -> None:
        """Words replace the video while it is stopped; no words bring the video back."""
        if text:
            self.stack.setCurrentWidget(self.message)
        elif self.stack.currentWidget() is self.message:
            self.stack.setCurrentWidget(self.video)
        self.message.setText(text)

    def show_still(self, image: QImage) -> None:
        pixmap = QPixmap.fromImage(image).scaled(
            self.still.size(),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.still.setPixmap(pixmap)
        self.stack.setCurrentWidget(self.still)

    def still_image(self) -> QImage | None:
        """The last still picture, if one was kept."""
        pixmap = self.still.pixmap()
        return None if pixmap is None or pixmap.isNull() else pixmap.toImage()

    def set_font_px(self, px: int) -> None:
        font = self.message.font()
        font.setPixelSize(px)
        self.message.setFont(font)

    def tile_size(self) -> QSize:
        """Video area in device pixels (a hidden page keeps a stale size, so use the stack)."""
        page = self.stack.currentWidget() or self.video
        return page.size() * self.video.devicePixelRatio()
