"""The heap, kept out of the cyclic GC's reach: the start-up heap as the connections load,
and what the live streams add after that.

A full collection walks every object the program holds; with several connections of
5,000 incidents each, those walks grew into the wall's longest freezes while loading.
Each connection's first load is frozen as soon as it is in (`gc.freeze` moves what is
alive to a permanent generation at no cost), and once no connection is still
connecting, one collection of what came since and a last freeze.

After that, `LiveHeap` keeps each full collection short however much the stores grow.
Every record a live stream adds is more for a full collection to walk: at 1,000
incident events/s (tests/bench/incidents.py) they walked 25-55 ms half a minute into the
burst, and more the longer it runs. So a full collection comes after every other
middle-generation one instead of every eleventh (thresholds, which the GUI-thread
collector of widgets/qt_setup.py reads as CPython does), and each walks only what is not
frozen: one that took more than `FULL_COLLECTION_BUDGET_S` of CPU has what it left alive
frozen, since it has just found all of that reachable. The same burst's longest full
collection: about 10 ms.

What is frozen is never collected: a reference cycle alive at a freeze that dies later
stays in memory. At start-up that is bounded by the start-up heap; while live, a freeze
comes once per budget's worth of growth (thousands of objects, mostly records) and kept
about a dozen objects each in that burst (64 after 30 s).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time

from console.stores.connections import ConnectionBoard

log = logging.getLogger("ioc_console")

FULL_COLLECTION_BUDGET_S = 0.005  # CPU of one full collection before its survivors freeze
OLDEST_THRESHOLD = 1  # gc's third threshold: a full collection every other middle one (10)


class LiveHeap:
    """While installed: frequent full collections, none left to grow past the budget."""

    def __init__(
        self,
        budget_s: float = FULL_COLLECTION_BUDGET_S,
        oldest_threshold: int = OLDEST_THRESHOLD,
    ) -> None:
        self.budget_s = budget_s
        self.freezes = 0  # times the survivors of a long full collection were frozen
        self.longest_s = 0.0  # CPU of the longest full collection seen
        self._began = 0.0
        self._thresholds = gc.get_threshold()
        gc.set_threshold(self._thresholds[0], self._thresholds[1], oldest_threshold)
        gc.callbacks.append(self._collected)

    def close(self) -> None:
        """Uninstall: CPython's thresholds back; what is frozen stays frozen."""
        with contextlib.suppress(ValueError):  # closed already
            gc.callbacks.remove(self._collected)
            gc.set_threshold(*self._thresholds)

    def _collected(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._began = time.thread_time()  # CPU: a preempted short walk is no reason
            return
        took = time.thread_time() - self._began
        self.longest_s = max(self.longest_s, took)
        if took > self.budget_s:
            gc.freeze()  # the collection is over: what is left is alive
            self.freezes += 1


class StartupHeap:
    def __init__(self, board: ConnectionBoard) -> None:
        self.board = board
        self.frozen = False  # the last freeze is done
        self.freeze_s = 0.0  # how long it held the GUI thread
        self.live: LiveHeap | None = None  # installed with the last freeze
        self._loaded: set[str] = set()
        board.changed.connect(self._changed)

    def close(self) -> None:
        """Uninstall the live heap's GC settings (a benchmark's next session)."""
        if self.live is not None:
            self.live.close()

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
        self.live = LiveHeap()
        log.debug("start-up heap frozen: %d objects", gc.get_freeze_count())
