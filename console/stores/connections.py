"""How each connection of the site is doing, and what it lets the operator do.

The status bar lists every connection with its state; a panel marks itself stale when
a connection it shows is down (with since when); the action bar offers only what an
incident's connection can take, and says why not for the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from console.domain.records import ACTING_ROLES, ActionKind

UP_STATES = ("live", "polling")


@dataclass(frozen=True)
class ConnectionStatus:
    name: str
    kind: str
    state: str = "connecting"
    detail: str = ""
    down_since: datetime | None = None
    feeds: frozenset[str] = frozenset()
    actions: frozenset[ActionKind] = frozenset(ActionKind)  # sent to the system
    local_actions: frozenset[ActionKind] = field(default_factory=frozenset)  # kept here
    read_only_reason: str = ""
    role: str | None = None  # who the system says we are (None: it has no roles)

    @property
    def up(self) -> bool:
        return self.state in UP_STATES

    def role_refusal(self) -> str | None:
        """Why the role this system gives may not act on its incidents (None: it may, or
        the system has no roles)."""
        if self.role is None or self.role in ACTING_ROLES:
            return None
        return f"your role at {self.name} ({self.role}) may not act on incidents"


class ConnectionBoard(QObject):
    changed = Signal(str)  # connection name

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._statuses: dict[str, ConnectionStatus] = {}

    def set(self, status: ConnectionStatus) -> None:
        if self._statuses.get(status.name) != status:
            self._statuses[status.name] = status
            self.changed.emit(status.name)

    def get(self, name: str) -> ConnectionStatus | None:
        return self._statuses.get(name)

    def statuses(self) -> list[ConnectionStatus]:
        return list(self._statuses.values())

    def why_not(self, connection: str, action: ActionKind) -> str | None:
        """Why `action` cannot be taken on an incident of `connection` (None: it can)."""
        status = self._statuses.get(connection)
        if status is None:
            return None
        refusal = status.role_refusal()
        if refusal is not None:
            return refusal
        if action in status.actions | status.local_actions:
            return None
        return status.read_only_reason or f"{status.name} cannot take a {action.value}"

    def is_local(self, connection: str, action: ActionKind) -> bool:
        """The action stays on this console (the connection's protocol cannot take it)."""
        status = self._statuses.get(connection)
        return (
            status is not None and action not in status.actions and (action in status.local_actions)
        )

    def down(self, feeds: Iterable[str], only: Iterable[str] = ()) -> list[ConnectionStatus]:
        """Connections feeding any of `feeds` (among `only`, if given) that are down."""
        wanted, limit = set(feeds), set(only)
        return [
            status
            for status in self._statuses.values()
            if not status.up
            and status.state != "connecting"
            and status.feeds & wanted
            and (not limit or status.name in limit)
        ]
