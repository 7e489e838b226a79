"""Who is at the console: the role the backend gives, which the whole UI follows.

viewer: sees everything, acts on nothing; operator: acts on incidents; leader: acts,
and runs briefings. The client refuses what the role may not do, not just the UI.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from console.domain.records import ACTING_ROLES


class Session(QObject):
    roleChanged = Signal(str)

    def __init__(self, role: str = "operator", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.role = role

    def set_role(self, role: str) -> None:
        if role != self.role:
            self.role = role
            self.roleChanged.emit(role)

    @property
    def may_act(self) -> bool:
        return self.role in ACTING_ROLES

    def forbidden(self) -> str | None:
        """Why this user may not act on incidents, or None if they may."""
        return None if self.may_act else f"your role ({self.role}) may not act on incidents"
