"""The action bar: acknowledge, assign, note, resolve, reopen — by button or key.

A (acknowledge), S (assign: type the unit, Enter), N (note: type, Enter), R (resolve),
O (reopen). Actions are requested from the store; the outbox delivers them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QWidget

from console.domain.procedures import skip_note
from console.domain.records import ActionKind, Incident, IncidentAction, IncidentStatus
from console.stores.connections import ConnectionBoard
from widgets.text import PlainLabel, plain_tooltip

# Which status each action needs, as the backend's lifecycle says (note: any).
ENABLED_IN: dict[ActionKind, frozenset[IncidentStatus]] = {
    ActionKind.ACKNOWLEDGE: frozenset({IncidentStatus.RECEIVED}),
    ActionKind.ASSIGN: frozenset({IncidentStatus.ACKNOWLEDGED, IncidentStatus.ASSIGNED}),
    ActionKind.RESOLVE: frozenset({IncidentStatus.ACKNOWLEDGED, IncidentStatus.ASSIGNED}),
    ActionKind.REOPEN: frozenset({IncidentStatus.RESOLVED}),
    ActionKind.NOTE: frozenset(IncidentStatus),
}
KEYS = {
    ActionKind.ACKNOWLEDGE: "A",
    ActionKind.ASSIGN: "S",
    ActionKind.NOTE: "N",
    ActionKind.RESOLVE: "R",
    ActionKind.REOPEN: "O",
}


class IncidentActionBar(QWidget):
    """Emits `actionRequested(incident_id, IncidentAction)`."""

    actionRequested = Signal(str, object)

    def __init__(
        self,
        units: tuple[str, ...],
        shortcut_scope: QWidget,
        parent: QWidget | None = None,
        board: ConnectionBoard | None = None,
    ):
        """`board`: what each connection lets the operator do (an Open311 request cannot
        be resolved from here; a note on it stays on this console)."""
        super().__init__(parent)
        self.board = board or ConnectionBoard()
        self.incident: Incident | None = None
        self._mode: ActionKind | None = None
        # The mandatory procedure steps still open (set by the panel): resolving then
        # asks why they are skipped, and the reason goes to the incident as a note.
        self.open_mandatory: Callable[[Incident], list[int]] = lambda _incident: []
        self._skipping: list[int] = []
        labels = {
            ActionKind.ACKNOWLEDGE: self.tr("Acknowledge"),
            ActionKind.ASSIGN: self.tr("Assign…"),
            ActionKind.NOTE: self.tr("Note…"),
            ActionKind.RESOLVE: self.tr("Resolve"),
            ActionKind.REOPEN: self.tr("Reopen"),
        }
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        self.buttons: dict[ActionKind, QPushButton] = {}
        for kind, label in labels.items():
            button = QPushButton(f"{label} ({KEYS[kind]})")
            button.clicked.connect(lambda _=False, k=kind: self.trigger(k))
            layout.addWidget(button)
            self.buttons[kind] = button
            shortcut = QShortcut(QKeySequence(KEYS[kind]), shortcut_scope)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda k=kind: self.trigger(k))
        self.prompt = PlainLabel()
        self.input = QComboBox()
        self.input.setEditable(True)
        self.input.addItems(list(units))
        self.input.setMinimumWidth(220)
        line = self.input.lineEdit()
        assert line is not None  # an editable combo box always has one
        self._line = line
        self._line.returnPressed.connect(self._submit)
        layout.addWidget(self.prompt)
        layout.addWidget(self.input, 1)
        self._show_input(None)
        self.set_incident(None)

    def set_incident(self, incident: Incident | None) -> None:
        """Offer what the incident's status and its connection allow; say why not."""
        if self._mode is ActionKind.RESOLVE and (
            incident is None or self.incident is None or incident.id != self.incident.id
        ):
            self._show_input(None)  # the reason asked for belongs to the incident that was
        self.incident = incident
        connection = incident.connection if incident else ""
        status = self.board.get(connection)
        for kind, button in self.buttons.items():
            why_not = self.board.why_not(connection, kind) if incident else None
            button.setEnabled(
                incident is not None and incident.status in ENABLED_IN[kind] and why_not is None
            )
            reason = why_not or ""
            if incident is not None and status and self.board.is_local(connection, kind):
                reason = self.tr("Kept on this console only: {reason}").format(
                    reason=status.read_only_reason
                )
            button.setToolTip(plain_tooltip(reason))
        if incident is None:
            self._show_input(None)

    def trigger(self, kind: ActionKind) -> None:
        """A button or key: immediate actions go at once, assign/note ask for text first."""
        if self.incident is None or not self.buttons[kind].isEnabled():
            return
        if kind in (ActionKind.ASSIGN, ActionKind.NOTE):
            self._show_input(kind)
            return
        if kind is ActionKind.RESOLVE:
            self._skipping = self.open_mandatory(self.incident)
            if self._skipping:  # refused until the operator says why
                self._show_input(ActionKind.RESOLVE)
                return
        self.actionRequested.emit(self.incident.id, IncidentAction(action=kind))

    def _show_input(self, kind: ActionKind | None) -> None:
        self._mode = kind
        visible = kind is not None
        self.prompt.setVisible(visible)
        self.input.setVisible(visible)
        if kind is ActionKind.ASSIGN:
            self.prompt.setText(self.tr("Unit:"))
        elif kind is ActionKind.NOTE:
            self.prompt.setText(self.tr("Note:"))
            self.input.setCurrentText("")
        elif kind is ActionKind.RESOLVE:
            steps = ", ".join(str(n) for n in self._skipping)
            self.prompt.setText(
                self.tr("Mandatory steps {steps} are not done. Why resolve now?").format(
                    steps=steps
                )
            )
            self.input.setCurrentText("")
        if visible:
            self.input.setFocus()
            self._line.selectAll()

    def _submit(self) -> None:
        text = self.input.currentText().strip()
        if self.incident is None or self._mode is None or not text:
            return
        if self._mode is ActionKind.RESOLVE:
            note = IncidentAction(action=ActionKind.NOTE, text=skip_note(self._skipping, text))
            self.actionRequested.emit(self.incident.id, note)
            action = IncidentAction(action=ActionKind.RESOLVE)
        elif self._mode is ActionKind.ASSIGN:
            action = IncidentAction(action=ActionKind.ASSIGN, assignee=text)
        else:
            action = IncidentAction(action=ActionKind.NOTE, text=text)
        self.actionRequested.emit(self.incident.id, action)
        self._show_input(None)
