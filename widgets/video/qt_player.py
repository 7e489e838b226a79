"""Qt Multimedia (FFmpeg, shipped in the PySide6 wheel) as the second video engine.

Debian's libVLC has no live555 and cannot open `rtsp://`; FFmpeg inside Qt can. Frames go
from the decoder straight to a QVideoWidget and are drawn by Qt's own C++ (no Python call and
no conversion of ours per frame), through the GPU or, without one, in software (see
console/video/render.py).
Python only samples the newest frame when asked: its timestamp counts frames, and a still or a
snapshot converts that one frame. Same API as `VideoPlayer`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QPoint, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtMultimedia import QMediaPlayer, QPlaybackOptions, QVideoFrame, QVideoSink
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QWidget

from console.video.decoders import DecoderPlan
from console.video.stats import FrameCounter, PlayerStats

log = logging.getLogger(__name__)
LOW_FPS_MS = 200  # the budget's "lower frame rate": 5 pictures a second


class VideoView(QVideoWidget):
    """Where Qt draws the frames: QVideoWidget's own window, textures on a GPU, a raster
    backing store without one. Its own window repaints on its own, so 16 tiles' frames are
    not painted in one pass with the rest of the wall (a QGraphicsVideoItem in the wall's
    window measured GUI stalls p99 23-31 ms against 8-21 ms here, 16 tiles at 360p25)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The tile handles clicks, menus and drops (the inner window ignores input already).
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("background: black;")


def draw_video_views(widget: QWidget, image: QImage) -> None:
    """`widget.grab()` leaves out each QVideoWidget's own window: draw their newest frames into
    `image` (a grab of `widget`), letterboxed as on screen. One conversion per view, per grab."""
    painter = QPainter(image)
    for view in widget.findChildren(VideoView):
        frame = view.videoSink().videoFrame()
        if not view.isVisible() or not frame.isValid():
            continue
        area = QRect(view.mapTo(widget, QPoint(0, 0)), view.size())
        picture = frame.toImage()
        size = picture.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(QPoint(0, 0), size)
        target.moveCenter(area.center())
        painter.fillRect(area, Qt.GlobalColor.black)
        painter.drawImage(target, picture)
    painter.end()


class _Bridge(QObject):
    streamEvent = Signal(int, bool)  # generation, True if it ended (False: error)


class QtVideoPlayer:
    """A QMediaPlayer drawing into a video view; errors and the end come out as `stream_event`."""

    def __init__(self, view: VideoView, decoders: DecoderPlan) -> None:
        self.view = view
        self.decoder = decoders.label
        self._bridge = _Bridge()
        self.stream_event = self._bridge.streamEvent
        self._generation = 0
        self._player: QMediaPlayer | None = None
        self._counter = FrameCounter()
        self._low_fps = False
        self._shown = 0
        # Lower frame rate: the player decodes into this sink and a timer shows 5 frames a second.
        self._relay_sink = QVideoSink(self._bridge)
        self._relay = QTimer(self._bridge, interval=LOW_FPS_MS)
        self._relay.timeout.connect(self._forward)

    @property
    def generation(self) -> int:
        return self._generation

    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        log.info("Qt Multimedia: %s", message)
        self._bridge.streamEvent.emit(self._generation, False)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._bridge.streamEvent.emit(self._generation, True)
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._bridge.streamEvent.emit(self._generation, False)

    def _forward(self) -> None:
        frame, shown = self._relay_sink.videoFrame(), self.view.videoSink()
        if frame.isValid() and frame != shown.videoFrame():
            shown.setVideoFrame(frame)
            self._shown += 1

    def play(self, url: str, caching_ms: int, low_fps: bool = False) -> None:
        """(Re)start on `url` with a fresh QMediaPlayer: FFmpeg's state never carries over."""
        self.stop()
        self._generation += 1
        self._low_fps = low_fps
        self.view.videoSink().setVideoFrame(QVideoFrame())  # black, not the last camera's picture
        player = QMediaPlayer(self._bridge)
        options = QPlaybackOptions()
        options.setPlaybackIntent(QPlaybackOptions.PlaybackIntent.LowLatencyStreaming)
        options.setNetworkTimeout(max(1000, caching_ms * 10))
        player.setPlaybackOptions(options)
        player.setVideoOutput(self._relay_sink if low_fps else self.view)
        player.errorOccurred.connect(self._on_error)
        player.mediaStatusChanged.connect(self._on_status)
        self._player = player
        if low_fps:
            self._relay.start()
        player.setSource(QUrl(url))
        player.play()

    def stop(self) -> None:
        self._relay.stop()
        player, self._player = self._player, None
        if player is not None:
            player.errorOccurred.disconnect(self._on_error)
            player.mediaStatusChanged.disconnect(self._on_status)
            player.stop()
            player.setVideoOutput(None)  # type: ignore[arg-type]
            player.setSource(QUrl())
            player.deleteLater()
        self._relay_sink.setVideoFrame(QVideoFrame())  # the next stream starts without a picture
        self._counter.reset()
        self._shown = 0

    def release(self) -> None:
        self.stop()

    def _newest(self) -> QVideoFrame | None:
        sink = self._player.videoSink() if self._player is not None else None
        frame = sink.videoFrame() if sink is not None else None
        return frame if frame is not None and frame.isValid() else None

    def frames_decoded(self) -> int:
        """Frames received so far, from the newest frame's timestamp (no per-frame count)."""
        frame = self._newest()
        if frame is None:
            return self._counter.count
        rate = frame.surfaceFormat().streamFrameRate()
        return self._counter.see(frame.startTime(), rate, id_of=frame)

    def has_picture(self) -> bool:
        return self._newest() is not None

    def stats(self) -> PlayerStats:
        decoded = self.frames_decoded()
        return PlayerStats(decoded, self._shown if self._low_fps else decoded, None)

    def snapshot(self) -> QImage | None:
        """The newest frame as an image: one conversion, when an operator or a still asks."""
        frame = self._newest()
        return frame.toImage() if frame is not None else None
