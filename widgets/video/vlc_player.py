"""libVLC behind a small Qt-friendly API: one shared Instance, one player per video surface.

libVLC reports events on its own threads. This module only forwards them to the GUI thread
through a queued Qt signal, so no widget is ever touched from a VLC thread. `vlc` is imported
here and nowhere else, so panels without video never pay for it at start-up.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from typing import Any

import vlc
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from console.video.decoders import DecoderPlan
from console.video.stats import PlayerStats

log = logging.getLogger(__name__)

# Window systems we can hand a native window to; anything else (offscreen, wayland) decodes
# into libVLC's dummy output so the state machine still runs, but nothing is drawn.
_EMBEDDABLE = {"xcb", "windows", "cocoa"}
_instance: vlc.Instance | None = None


def embeddable() -> bool:
    return QGuiApplication.platformName() in _EMBEDDABLE


def vlc_instance() -> vlc.Instance:
    """The process-wide libVLC instance, made on first use (it loads ~100 plugins)."""
    global _instance
    if _instance is None:
        # --no-xlib: Qt owns the X connection; libVLC must use only xcb from its threads.
        # --no-audio: a wall of cameras must never play sound tracks on its own.
        args = ["--quiet", "--no-xlib", "--no-audio", "--no-video-title-show", "--no-osd"]
        if not embeddable():
            args.append("--vout=dummy")
        _instance = vlc.Instance(args)
        if _instance is None:
            raise RuntimeError("libVLC could not start (is the vlc-plugin-base package installed?)")
    return _instance


class VideoSurface(QWidget):
    """A black native child window that libVLC draws into.

    Native children paint above their siblings, so never place other widgets over it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if embeddable():  # offscreen Qt warns about native children; it gets no video anyway
            self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
            self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        self.setStyleSheet("background: black;")
        self.setAutoFillBackground(True)


class _Bridge(QObject):
    # Not named `event`: that would shadow QObject.event(), which Qt calls for every event.
    streamEvent = Signal(int, bool)  # generation of the stream, True if it ended (False: error)


class VideoPlayer:
    """One libVLC MediaPlayer bound to a surface; `stream_event` says end/error on the GUI thread.

    A plain Python object (not a QObject child) so it outlives the panel's C++ side long enough
    for `release()` to run from the panel's `destroyed` signal.
    """

    _EVENTS = (vlc.EventType.MediaPlayerEndReached, vlc.EventType.MediaPlayerEncounteredError)

    def __init__(self, surface: VideoSurface, decoders: DecoderPlan) -> None:
        self._surface = surface
        self._decoders = decoders
        self.decoder = decoders.label
        self._bridge = _Bridge()
        self.stream_event = self._bridge.streamEvent
        self._generation = 0
        self._media: vlc.Media | None = None
        self._stats = vlc.MediaStats()
        self._player: vlc.MediaPlayer | None = vlc_instance().media_player_new()
        self._player.video_set_key_input(False)  # let Qt see keys and clicks on the tile
        self._player.video_set_mouse_input(False)
        self._events = self._player.event_manager()  # keep: it owns the ctypes callback
        for kind in self._EVENTS:
            self._events.event_attach(kind, self._on_vlc_event)

    @property
    def generation(self) -> int:
        return self._generation

    def _on_vlc_event(self, event: Any) -> None:
        """Runs on a libVLC thread: only hand the event over, tagged with its stream."""
        ended = event.type == vlc.EventType.MediaPlayerEndReached
        self._bridge.streamEvent.emit(self._generation, ended)

    def _bind_window(self) -> None:
        """Every play: Qt makes a new native window if the panel moves to another window."""
        if self._player is None or not embeddable():
            return
        handle = int(self._surface.winId())
        if sys.platform.startswith("linux"):
            self._player.set_xwindow(handle)
        elif sys.platform == "win32":
            self._player.set_hwnd(handle)
        else:
            self._player.set_nsobject(handle)

    def play(self, url: str, caching_ms: int, low_fps: bool = False) -> None:
        """(Re)start on `url`; events of any previous stream are dropped by generation.

        `low_fps` skips decoding non-reference frames (the decode budget's third step).
        """
        if self._player is None:
            return
        self.stop()
        self._bind_window()
        self._generation += 1
        media = vlc_instance().media_new(url)
        media.add_option(f":network-caching={caching_ms}")
        media.add_option(f":live-caching={caching_ms}")
        media.add_option(self._decoders.vlc_option())  # falls back to software by itself
        if low_fps:
            media.add_option(":avcodec-skip-frame=1")
        self._media = media
        self._player.set_media(media)
        if self._player.play() != 0:
            self._bridge.streamEvent.emit(self._generation, False)

    def stop(self) -> None:
        """Synchronous in libVLC 3: no event of the old stream is emitted after it returns."""
        if self._player is not None and self._media is not None:
            self._player.stop()
            self._media.release()
            self._media = None

    def release(self) -> None:
        """Stop and free the player (idempotent); joins libVLC's threads of this player."""
        if self._player is None:
            return
        self.stop()
        for kind in self._EVENTS:
            self._events.event_detach(kind)
        self._player.release()
        self._player = None
        log.debug("video player released")

    def snapshot(self) -> QImage | None:
        """The picture on screen now, at the stream's size (None if nothing is shown)."""
        if self._player is None or self._media is None:
            return None
        handle, path = tempfile.mkstemp(suffix=".png", prefix="ioc-snapshot-")
        os.close(handle)
        try:
            if self._player.video_take_snapshot(0, path, 0, 0) != 0:
                return None
            image = QImage(path)
            return None if image.isNull() else image
        finally:
            os.unlink(path)

    def frames_decoded(self) -> int:
        """Video frames decoded from the current stream (libVLC counts every ~250 ms)."""
        return self.stats().decoded

    def has_picture(self) -> bool:
        """libVLC has made its video output, which it does for the first decoded picture:
        in software decoding that picture was on screen within ~20 ms of it (probed with
        screen grabs), a quarter second or more before libVLC's counts say so; it then holds
        the picture until its buffer is full. (A hardware decoder may make the output when
        it learns the format, a little earlier: untested, no GPU here.)"""
        return self._player is not None and self._media is not None and self._player.has_vout() > 0

    def stats(self) -> PlayerStats:
        if self._media is None or not self._media.get_stats(self._stats):
            return PlayerStats(0, 0, 0)
        stats = self._stats
        return PlayerStats(
            int(stats.decoded_video), int(stats.displayed_pictures), int(stats.lost_pictures)
        )
