"""SQLite files that must not lose a committed write: the outbox, bookmarks, the archive."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def open_durable(target: str | Path, schema: str, **connect: Any) -> sqlite3.Connection:
    """`target` with `schema` applied, in WAL mode with `synchronous=FULL` (a commit
    survives a power cut); `connect` goes to `sqlite3.connect`. A file that is no database
    raises `sqlite3.DatabaseError` and is left closed."""
    db: sqlite3.Connection = sqlite3.connect(target, **connect)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(schema)
    except sqlite3.Error:
        db.close()
        raise
    return db
