"""The local audit log: one JSON line per operator action and per outcome.

Append-only and flushed per line, so the record survives a crash; plain JSON lines so
a supervisor reads it with any tool (time, user, incident, action, result).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from console.domain.records import utcnow


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def record(
        self,
        user: str,
        incident_id: str,
        action: str,
        result: str,
        key: str = "",
        connection: str = "",
    ) -> None:
        entry = {
            "at": utcnow().isoformat(),
            "user": user,
            "connection": connection,
            "incident": incident_id,
            "action": action,
            "result": result,
            "key": key,
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as file:
            file.write(line)

    def entries(self) -> list[dict[str, Any]]:
        """Every entry, oldest first; a torn last line (crash mid-write) is skipped."""
        if not self.path.exists():
            return []
        entries = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except ValueError:
                continue
        return entries
