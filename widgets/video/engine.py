"""One host widget that runs whichever video engine `choose_engine` picked for a stream.

The choice itself (libVLC, or Qt Multimedia for `rtsp://` when libVLC has no live555) is a
pure decision in console/video/engines.py; this widget makes the player and its view on
first use and relays their end/error events, tagged with a generation, to the GUI thread.
"""

from __future__ import annotations

from typing import Protocol

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStackedLayout, QWidget

from console.video.engines import EngineName, choose_engine
from console.video.stats import PlayerStats
from widgets.qt_setup import decoder_plan


class Player(Protocol):
    stream_event: SignalInstance

    @property
    def generation(self) -> int: ...
    def play(self, url: str, caching_ms: int, low_fps: bool = False) -> None: ...
    def stop(self) -> None: ...
    def release(self) -> None: ...
    def frames_decoded(self) -> int: ...
    def has_picture(self) -> bool: ...
    def stats(self) -> PlayerStats: ...
    def snapshot(self) -> QImage | None: ...
    @property
    def decoder(self) -> str: ...


class VideoHost(QWidget):
    """The tile's video area: a libVLC surface or a Qt video view, made on first use."""

    streamEvent = Signal(int, bool)  # generation of the host, True if the stream ended

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stack = QStackedLayout(self)
        self._players: dict[EngineName, Player] = {}
        self._surfaces: dict[EngineName, QWidget] = {}
        self.engine: EngineName | None = None
        self._generation = 0
        self._relay = QObject(self)

    @property
    def generation(self) -> int:
        return self._generation

    def _player(self, engine: EngineName) -> Player:
        if engine not in self._players:
            player: Player
            if engine == "vlc":
                from widgets.video.vlc_player import VideoPlayer, VideoSurface

                surface: QWidget = VideoSurface()
                player = VideoPlayer(surface, decoder_plan())  # type: ignore[arg-type]
            else:
                from widgets.video.qt_player import QtVideoPlayer, VideoView

                view = VideoView()
                surface, player = view, QtVideoPlayer(view, decoder_plan())
            self._stack.addWidget(surface)
            player.stream_event.connect(
                lambda gen, ended, e=engine: self._relay_event(e, gen, ended),
                Qt.ConnectionType.QueuedConnection,
            )
            self._players[engine], self._surfaces[engine] = player, surface
        return self._players[engine]

    def _relay_event(self, engine: EngineName, generation: int, ended: bool) -> None:
        if not shiboken6.isValid(self):
            return  # queued from libVLC's thread just before this tile was deleted
        player = self._players.get(engine)
        if engine == self.engine and player is not None and generation == player.generation:
            self.streamEvent.emit(self._generation, ended)

    def play(self, url: str, caching_ms: int, forced: str = "auto", low_fps: bool = False) -> None:
        engine = choose_engine(url, forced)
        self.stop()
        self._generation += 1
        self.engine = engine
        player = self._player(engine)
        self._stack.setCurrentWidget(self._surfaces[engine])
        player.play(url, caching_ms, low_fps)

    def stop(self) -> None:
        for player in self._players.values():
            player.stop()

    def release(self) -> None:
        for player in self._players.values():
            player.release()

    def frames_decoded(self) -> int:
        player = self._current()
        return player.frames_decoded() if player is not None else 0

    def has_picture(self) -> bool:
        """The current stream's first picture is on screen (sooner than frames are counted)."""
        player = self._current()
        return player is not None and player.has_picture()

    def _current(self) -> Player | None:
        return self._players.get(self.engine) if self.engine else None

    def stats(self) -> PlayerStats:
        player = self._current()
        return player.stats() if player is not None else PlayerStats(0, 0, None)

    def decoder(self) -> str:
        """The decoder the current stream uses, in words for tooltips and diagnostics."""
        player = self._current()
        return player.decoder if player is not None else ""

    def snapshot(self) -> QImage | None:
        player = self._current()
        return player.snapshot() if player is not None else None
