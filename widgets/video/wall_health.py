"""The wall-health overlay (a toggle) and its log lines every few minutes.

Camera tiles register here; while the overlay is on, every tile shows its frames per second
shown / received, decoder, profile and lost frames once a second, and the wall windows show
the console's CPU. The same figures go to the log every `log_every_s`, overlay or not.
"""

from __future__ import annotations

import logging
import weakref
from typing import Protocol

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from console.video.health import CpuMeter, Rates, TileFacts, log_lines, summary

log = logging.getLogger(__name__)


class HealthTile(Protocol):
    def health_facts(self) -> TileFacts: ...
    def show_health(self, words: str | None) -> None: ...


class WallHealth(QObject):
    """One per process: `wall_health()`."""

    summaryChanged = Signal(str)  # "16/16 tiles live · CPU 0.84 cores", "" when hidden

    def __init__(self, log_every_s: float = 300.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shown = False
        self._tiles: weakref.WeakSet[HealthTile] = weakref.WeakSet()
        self._overlay_rates, self._log_rates = Rates(), Rates()
        self._overlay_cpu, self._log_cpu = CpuMeter(), CpuMeter()
        self._node_rates, self._node_cpu = Rates(), CpuMeter()
        self._refresh = QTimer(self, interval=1000)
        self._refresh.timeout.connect(self.refresh)
        self._log = QTimer(self, interval=int(log_every_s * 1000))
        self._log.timeout.connect(self.log_now)

    def register(self, tile: HealthTile) -> None:
        self._tiles.add(tile)
        self._log_rates.read(id(tile), tile.health_facts())  # the log's rates start here
        if not self._log.isActive():
            self._log.start()
        if self.shown:
            tile.show_health("…")

    def set_shown(self, shown: bool) -> None:
        self.shown = shown
        if shown:
            self._refresh.start()
            self.refresh()
        else:
            self._refresh.stop()
            for tile in self._live_tiles():
                tile.show_health(None)
            self.summaryChanged.emit("")

    def _live_tiles(self) -> list[HealthTile]:
        """Tiles whose Qt side still exists (a deleted tile's wrapper may linger in Python)."""
        return [tile for tile in list(self._tiles) if shiboken6.isValid(tile)]

    def refresh(self) -> None:
        tiles = self._live_tiles()
        readings = [self._overlay_rates.read(id(t), t.health_facts()) for t in tiles]
        self._overlay_rates.forget_except({id(t) for t in tiles})
        for tile, reading in zip(tiles, readings, strict=True):
            tile.show_health(reading.words())
        self.summaryChanged.emit(summary(readings, self._overlay_cpu.cores()))

    def figures(self) -> tuple[int, int, float, float]:
        """Tiles, tiles live, frames shown per second in all, CPU cores since the last call:
        what a wall node tells its controller (its own reader of the rates)."""
        tiles = self._live_tiles()
        readings = [self._node_rates.read(id(t), t.health_facts()) for t in tiles]
        self._node_rates.forget_except({id(t) for t in tiles})
        live = sum(1 for reading in readings if reading.facts.state == "live")
        shown = sum(reading.shown_fps for reading in readings)
        return len(readings), live, shown, self._node_cpu.cores()

    def log_now(self) -> None:
        tiles = self._live_tiles()
        if not tiles:
            return
        readings = [self._log_rates.read(id(t), t.health_facts()) for t in tiles]
        self._log_rates.forget_except({id(t) for t in tiles})
        for line in log_lines(readings, self._log_cpu.cores()):
            log.info("%s", line)


_shared: WallHealth | None = None


def wall_health() -> WallHealth:
    global _shared
    if _shared is None:
        _shared = WallHealth()
    return _shared
