"""The periodic retention pass: resolved incidents older than the window go to the archive.

A console left running for weeks would otherwise hold every incident ever resolved,
and every queue keystroke and live update would pay for them. Hourly is plenty: the
window is days, and a pass over a few thousand rows takes milliseconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from console.domain.records import utcnow
from console.stores.archive import IncidentArchive
from console.stores.incidents import IncidentTableModel

log = logging.getLogger(__name__)

DEFAULT_RETENTION = timedelta(days=7)
INTERVAL_MS = 3_600_000  # hourly
FIRST_PASS_MS = 60_000  # a minute after start: the first load has landed, the wall is up
BATCH = 1000  # incidents per pass (~50 ms): a backlog after a restart goes in steps ...
CATCH_UP_MS = 2_000  # ... this far apart, so the wall keeps painting in between


def describe_span(span: timedelta) -> str:
    """ "7 days", "36 hours" or "90 minutes": the window as the log line reads it."""
    minutes = int(span.total_seconds() // 60)
    if minutes % 1440 == 0 and minutes:
        days = minutes // 1440
        return f"{days} day{'s' if days != 1 else ''}"
    if minutes % 60 == 0 and minutes:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"


class RetentionPass(QObject):
    """Calls `store.retire(now - retention, archive)` a minute after `start()`, then hourly
    (every few seconds while a backlog is left)."""

    passed = Signal(int)  # incidents archived by one pass

    def __init__(
        self,
        store: IncidentTableModel,
        archive: IncidentArchive,
        retention: timedelta = DEFAULT_RETENTION,
        parent: QObject | None = None,
        *,
        interval_ms: int = INTERVAL_MS,
        first_pass_ms: int = FIRST_PASS_MS,
        batch: int = BATCH,
        catch_up_ms: int = CATCH_UP_MS,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(parent)
        self.store, self.archive, self.retention = store, archive, retention
        self.interval_ms, self.batch, self.catch_up_ms = interval_ms, batch, catch_up_ms
        self._clock = clock
        self._timer = QTimer(self)
        self._timer.setInterval(first_pass_ms)
        self._timer.timeout.connect(self.run)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def run(self) -> int:
        """One pass now; returns how many incidents it archived."""
        self._timer.setInterval(self.interval_ms)
        try:
            moved = self.store.retire(self._clock() - self.retention, self.archive, self.batch)
        except Exception:  # a bug here must not stop the GUI, nor the next pass
            log.exception("incident retention pass failed")
            return 0
        if moved >= self.batch:
            self._timer.setInterval(self.catch_up_ms)  # more are waiting
        level = logging.INFO if moved else logging.DEBUG
        log.log(
            level,
            "archived %d resolved incidents older than %s (live %d, archive %d)",
            moved,
            describe_span(self.retention),
            len(self.store.columns),
            self.archive.count(),
        )
        self.passed.emit(moved)
        return moved

    def close(self) -> None:
        """Stop the timer and close the archive file (the console is quitting)."""
        self.stop()
        self.archive.close()


__all__ = ["DEFAULT_RETENTION", "RetentionPass", "describe_span"]
