"""Logging for an unattended wall: a readable console stream plus rotated JSON lines.

One line per state change of a source or stream, never one per frame or sample:
chatty libraries (httpx logs every request) are held at WARNING, and a line repeated
word for word (a dead camera's retries all night, a library's warning on every reconnect)
is written once per ten minutes with the count of those held back.
"""

from __future__ import annotations

import hashlib
import json
import logging
import logging.handlers
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from console.sources.redaction import RedactSecrets

QUIET_LIBRARIES = ("httpx", "httpcore", "uvicorn.access", "asyncio", "PIL")
MAX_BYTES = 5_000_000
BACKUPS = 5
REPEAT_EVERY_S = 600.0


class RepeatedLines(logging.Filter):
    """The same line (logger, level, text, traceback) at most once per `every_s`; the next
    one let through says how many were held back. One instance serves every handler: its
    decision is written on the record, so the screen and the file always agree, whichever
    threads log at once."""

    _DECIDED = "_ioc_repeat_passed"

    def __init__(
        self,
        every_s: float = REPEAT_EVERY_S,
        keep: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.every_s, self.keep, self._clock = every_s, keep, clock
        self._seen: OrderedDict[tuple[str, int, bytes], list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        decided = record.__dict__.get(self._DECIDED)
        if decided is not None:
            return bool(decided)
        try:
            text = record.getMessage()
        except Exception:  # a bad format string: not this filter's to judge
            return True
        trace = record.exc_text or (
            logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        )  # the same words from another place are another line
        digest = hashlib.blake2b(f"{text}\0{trace}".encode(errors="replace"), digest_size=16)
        key = (record.name, record.levelno, digest.digest())
        with self._lock:
            passed, held, since = self._admit(key)
            record.__dict__[self._DECIDED] = passed
        if held:
            minutes = round(since / 60)
            record.msg, record.args = f"{text} (and {held} more in {minutes} min)", ()
        return passed

    def _admit(self, key: tuple[str, int, bytes]) -> tuple[bool, int, float]:
        """(let through, how many were held back since it last was, seconds since then)."""
        now = self._clock()
        seen = self._seen.get(key)
        self._seen[key] = seen if seen is not None else [now, 0]
        self._seen.move_to_end(key)  # a line that keeps coming stays remembered
        while len(self._seen) > self.keep:  # bounded, whatever a month of faults says
            self._seen.popitem(last=False)
        if seen is None:
            return True, 0, 0.0
        if now - seen[0] < self.every_s:
            seen[1] += 1
            return False, 0, 0.0
        held, since = int(seen[1]), now - seen[0]
        seen[0], seen[1] = now, 0
        return True, held, since


class JsonLines(logging.Formatter):
    """One JSON object per line: easy to ship to a log collector or to grep."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:  # as RedactSecrets left it, secrets masked
            entry["traceback"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def log_directory() -> Path:
    return Path(platformdirs.user_log_dir("ioc-console", appauthor=False))


def configure_logging(level: str = "INFO", directory: Path | None = None) -> Path:
    """Console + rotated file logging; returns the log file's path."""
    folder = directory or log_directory()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "console.log.jsonl"
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in list(root.handlers):
        root.removeHandler(handler)
    stream = logging.StreamHandler()
    stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    rotating = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    rotating.setFormatter(JsonLines())
    repeats = RepeatedLines()
    for handler in (stream, rotating):
        handler.addFilter(RedactSecrets())  # credentials never reach a log, at any level
        handler.addFilter(repeats)
        root.addHandler(handler)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    # A handler that fails (a full disk) would print the record, unmasked, to stderr.
    logging.raiseExceptions = False
    return path
