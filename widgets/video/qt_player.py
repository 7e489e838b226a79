"""Qt Multimedia (FFmpeg, shipped in the PySide6 wheel) as the second video engine.

Debian's libVLC has no live555 and cannot open `rtsp://`; FFmpeg inside Qt can.
Frames arrive in a QVideoSink; `FrameSurface` paints the newest one scaled into the tile, so
nothing native is involved and the tile's overlays stay on top. Same API as `VideoPlayer`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRect, Qt, QUrl, Signal
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtMultimedia import QMediaPlayer, QPlaybackOptions, QVideoFrame, QVideoSink
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class FrameSurface(QWidget):
    """Paints the newest decoded frame, letterboxed; black until the first one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.frame: QVideoFrame | None = None
        self.paint_every = 1  # >1 draws every n-th frame (the budget's "lower frame rate")
        self._count = 0

    def show_frame(self, frame: QVideoFrame) -> None:
        self._count += 1
        self.frame = frame
        if self.isVisible() and self._count % self.paint_every == 0:
            self.update()

    def clear(self) -> None:
        self.frame = None
        self.update()

    def image(self) -> QImage | None:
        frame = self.frame
        return frame.toImage() if frame is not None and frame.isValid() else None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        image = self.image()
        if image is None or image.isNull():
            return
        size = image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(self.rect().center())
        painter.drawImage(target, image)


class _Bridge(QObject):
    streamEvent = Signal(int, bool)  # generation, True if it ended (False: error)


class QtVideoPlayer:
    """A QMediaPlayer feeding a FrameSurface; errors and the end come out as `stream_event`."""

    def __init__(self, surface: FrameSurface) -> None:
        self.surface = surface
        self._bridge = _Bridge()
        self.stream_event = self._bridge.streamEvent
        self._generation = 0
        self._frames = 0
        self._player: QMediaPlayer | None = None
        self._sink = QVideoSink(self._bridge)
        self._sink.videoFrameChanged.connect(self._on_frame)

    @property
    def generation(self) -> int:
        return self._generation

    def _on_frame(self, frame: QVideoFrame) -> None:
        if self._player is None or not frame.isValid():
            return
        self._frames += 1
        self.surface.show_frame(frame)

    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        log.info("Qt Multimedia: %s", message)
        self._bridge.streamEvent.emit(self._generation, False)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._bridge.streamEvent.emit(self._generation, True)
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._bridge.streamEvent.emit(self._generation, False)

    def play(self, url: str, caching_ms: int, low_fps: bool = False) -> None:
        """(Re)start on `url` with a fresh QMediaPlayer: FFmpeg's state never carries over."""
        self.stop()
        self._generation += 1
        self._frames = 0
        self.surface.paint_every = 5 if low_fps else 1
        player = QMediaPlayer(self._bridge)
        options = QPlaybackOptions()
        options.setPlaybackIntent(QPlaybackOptions.PlaybackIntent.LowLatencyStreaming)
        options.setNetworkTimeout(max(1000, caching_ms * 10))
        player.setPlaybackOptions(options)
        player.setVideoSink(self._sink)
        player.errorOccurred.connect(self._on_error)
        player.mediaStatusChanged.connect(self._on_status)
        self._player = player
        player.setSource(QUrl(url))
        player.play()

    def stop(self) -> None:
        player, self._player = self._player, None
        if player is not None:
            player.errorOccurred.disconnect(self._on_error)
            player.mediaStatusChanged.disconnect(self._on_status)
            player.stop()
            player.setVideoSink(None)  # type: ignore[arg-type]
            player.setSource(QUrl())
            player.deleteLater()
        self._frames = 0

    def release(self) -> None:
        self.stop()

    def frames_decoded(self) -> int:
        return self._frames

    def snapshot(self) -> QImage | None:
        return self.surface.image()
