"""Logging for an unattended wall: a readable console stream plus rotated JSON lines.

One line per state change of a source or stream, never one per frame or sample:
chatty libraries (httpx logs every request) are held at WARNING, and a line repeated
word for word (a dead camera's retries all night, a library's warning on every reconnect)
is written once per ten minutes with the count of those held back.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
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
    """The same line (logger, level, text) at most once per `every_s`; the next one let
    through says how many were held back. One instance serves every handler: it decides
    once per record, so the screen and the file always agree."""

    def __init__(
        self,
        every_s: float = REPEAT_EVERY_S,
        keep: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.every_s, self.keep, self._clock = every_s, keep, clock
        self._seen: OrderedDict[tuple[str, int, str], list[float]] = OrderedDict()
        self._last: logging.LogRecord | None = None
        self._passed = True

    def filter(self, record: logging.LogRecord) -> bool:
        if record is self._last:
            return self._passed
        self._last = record
        try:
            text = record.getMessage()
        except Exception:  # a bad format string: let the handler print it as it does
            self._passed = True
            return True
        if record.exc_text:  # the same words with another traceback are another line
            text += record.exc_text
        elif record.exc_info:
            text += repr(record.exc_info[1])
        key = (record.name, record.levelno, text)
        now = self._clock()
        seen = self._seen.get(key)
        if seen is not None and now - seen[0] < self.every_s:
            seen[1] += 1
            self._passed = False
            return False
        held = int(seen[1]) if seen is not None else 0
        self._seen[key] = [now, 0]
        self._seen.move_to_end(key)
        while len(self._seen) > self.keep:  # bounded, whatever a month of faults says
            self._seen.popitem(last=False)
        if held:
            minutes = round((now - seen[0]) / 60) if seen is not None else 0
            said = record.getMessage()
            record.msg, record.args = f"{said} (and {held} more in {minutes} min)", ()
        self._passed = True
        return True


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
