"""Which engine plays a stream, and one host widget that runs whichever was chosen.

libVLC is the main engine (native, cheapest per frame). Debian/Ubuntu build it without live555,
so it cannot open `rtsp://` (DESIGN §4): we look for the plugin once and, if it is missing or a
libVLC RTSP open fails anyway, play `rtsp://` with Qt Multimedia (FFmpeg) instead. A layout may
force either engine.
"""

from __future__ import annotations

import glob
import logging
import os
from functools import cache
from pathlib import Path
from typing import Literal, Protocol

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStackedLayout, QWidget

log = logging.getLogger(__name__)

EngineName = Literal["vlc", "qt"]
_vlc_failed_rtsp = False  # learnt at run time: a libVLC that claims RTSP but cannot open it


class Player(Protocol):
    stream_event: SignalInstance

    @property
    def generation(self) -> int: ...
    def play(self, url: str, caching_ms: int, low_fps: bool = False) -> None: ...
    def stop(self) -> None: ...
    def release(self) -> None: ...
    def frames_decoded(self) -> int: ...
    def snapshot(self) -> QImage | None: ...


def _vlc_plugin_dirs() -> list[Path]:
    dirs = [Path(p) for p in os.environ.get("VLC_PLUGIN_PATH", "").split(os.pathsep) if p]
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        maps = ""
    for line in maps.splitlines():
        if "libvlccore.so" in line:
            dirs.append(Path(line.split()[-1]).parent / "vlc" / "plugins")
    dirs += [Path(p) for p in [*glob.glob("/usr/lib/*/vlc/plugins"), "/usr/lib/vlc/plugins"]]
    return [d for d in dirs if d.is_dir()]


@cache
def vlc_has_live555() -> bool:
    """True unless we find libVLC's plugin folder and it has no live555 (RTSP) module."""
    dirs = _vlc_plugin_dirs()
    if not dirs:
        return True  # Windows/macOS builds of VLC ship live555
    found = any(any(d.glob("*/liblive555_plugin.*")) for d in dirs)
    if not found:
        log.info("libVLC has no live555 module: rtsp:// plays with Qt Multimedia")
    return found


def note_vlc_rtsp_failure() -> None:
    """libVLC failed an rtsp:// open: later RTSP streams go straight to Qt Multimedia."""
    global _vlc_failed_rtsp
    _vlc_failed_rtsp = True


def choose_engine(url: str, forced: str = "auto") -> EngineName:
    if forced in ("vlc", "qt"):
        return forced  # type: ignore[return-value]
    if url.lower().startswith(("rtsp:", "rtsps:")) and (_vlc_failed_rtsp or not vlc_has_live555()):
        return "qt"
    return "vlc"


class VideoHost(QWidget):
    """The tile's video area: a libVLC surface or a Qt frame surface, made on first use."""

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
                player = VideoPlayer(surface)  # type: ignore[arg-type]
            else:
                from widgets.video.qt_player import FrameSurface, QtVideoPlayer

                surface = FrameSurface()
                player = QtVideoPlayer(surface)  # type: ignore[arg-type]
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
        player = self._players.get(self.engine) if self.engine else None
        return player.frames_decoded() if player is not None else 0

    def snapshot(self) -> QImage | None:
        player = self._players.get(self.engine) if self.engine else None
        return player.snapshot() if player is not None else None
