"""Logging for an unattended wall: a readable console stream plus rotated JSON lines.

One line per state change of a source or stream, never one per frame or sample:
chatty libraries (httpx logs every request) are held at WARNING.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from console.sources.redaction import RedactSecrets

QUIET_LIBRARIES = ("httpx", "httpcore", "uvicorn.access", "asyncio", "PIL")
MAX_BYTES = 5_000_000
BACKUPS = 5


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
    for handler in (stream, rotating):
        handler.addFilter(RedactSecrets())  # credentials never reach a log, at any level
        root.addHandler(handler)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    # A handler that fails (a full disk) would print the record, unmasked, to stderr.
    logging.raiseExceptions = False
    return path
