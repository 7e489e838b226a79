"""The start-up heap, moved out of the cyclic GC's reach as the connections load.

A full collection walks every object the program holds; with several connections of
5,000 incidents each, those walks grew into the wall's longest freezes while loading.
Each connection's first load is frozen as soon as it is in (`gc.freeze` moves what is
alive to a permanent generation at no cost), and once no connection is still
connecting, one collection of what came since and a last freeze. A cycle among frozen
objects that dies later is never collected: that is bounded by the start-up heap.
"""

from __future__ import annotations

import gc
import logging
import time

from console.stores.connections import ConnectionBoard

log = logging.getLogger("ioc_console")


class StartupHeap:
    def __init__(self, board: ConnectionBoard) -> None:
        self.board = board
        self.frozen = False  # the last freeze is done
        self.freeze_s = 0.0  # how long it held the GUI thread
        self._loaded: set[str] = set()
        board.changed.connect(self._changed)

    def _changed(self, name: str) -> None:
        if self.frozen:
            return
        status = self.board.get(name)
        if status is not None and status.up and name not in self._loaded:
            self._loaded.add(name)
            gc.freeze()  # this connection's load: later collections need not walk it
        if any(status.state == "connecting" for status in self.board.statuses()):
            return
        self.frozen = True
        began = time.perf_counter()
        gc.collect()
        gc.freeze()
        self.freeze_s = time.perf_counter() - began
        log.debug("start-up heap frozen: %d objects", gc.get_freeze_count())
