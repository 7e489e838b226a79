"""The detail pane: one incident's facts, deadline, location, notes and pending actions.

Everything from the backend is set as plain text (QLabel in PlainText format,
QPlainTextEdit), never as rich text: citizen feedback is untrusted.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from console.domain import formatting
from console.domain.records import Incident
from console.sources.ioc.api import IocApi
from console.stores.incident_columns import now_ms
from console.stores.incident_view import countdown
from console.stores.incidents import value_name
from widgets.incidents.bookmark_list import IncidentBookmarks
from widgets.text import PlainLabel


def _plain(text: str = "") -> PlainLabel:
    label = PlainLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class IncidentDetail(QWidget):
    evidenceRequested = Signal()  # "Export evidence…" for the incident shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("IncidentDetail")
        self.heading = _plain()
        self.heading.setObjectName("IncidentHeading")
        self.fields: dict[str, PlainLabel] = {}
        form = QFormLayout()
        for key, label in (
            ("id", self.tr("Id")),
            ("state", self.tr("State")),
            ("due", self.tr("Due")),
            ("assignee", self.tr("Unit")),
            ("location", self.tr("Location")),
            ("reported", self.tr("Reported")),
        ):
            self.fields[key] = _plain()
            form.addRow(label, self.fields[key])
        self.history = QPlainTextEdit()
        self.history.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.history, 1)
        self.bookmarks = IncidentBookmarks()
        layout.addWidget(self.bookmarks)
        self.recorders: Mapping[str, IocApi] = {}  # the panel's: who to ask for bookmarks
        self.incident: Incident | None = None
        self.evidence = QPushButton(self.tr("Export evidence…"))
        self.evidence.clicked.connect(self.evidenceRequested)  # the panel has the cameras
        layout.addWidget(self.evidence)
        self.show_incident(None, (), 0)

    def show_incident(
        self, incident: Incident | None, pending: tuple[str, ...], due_ms: int
    ) -> None:
        self.incident = incident
        self.bookmarks.show_for(incident, self.recorders)
        self.evidence.setEnabled(incident is not None)
        if incident is None:
            self.heading.setText(self.tr("Select an incident to see its details."))
            for label in self.fields.values():
                label.setText("")
            self.history.setPlainText("")
            return
        self.heading.setText(incident.title)
        state = " · ".join(
            value_name(value)
            for value in (incident.status.value, incident.priority.value, incident.category.value)
        )
        if pending:
            actions = ", ".join(value_name(action) for action in pending)
            state += " · " + self.tr("sending {actions}…").format(actions=actions)
        system = f" · {incident.connection}" if incident.connection else ""
        self.fields["id"].setText(f"{incident.local_id}{system}")
        self.fields["state"].setText(state)
        resolved = incident.status.value == "resolved"
        self.fields["due"].setText("—" if resolved else countdown(due_ms, now_ms()))
        self.fields["assignee"].setText(incident.assignee or self.tr("not assigned"))
        located = not (incident.lat == 0 and incident.lon == 0)
        where = f"{incident.lat:.5f}, {incident.lon:.5f}" if located else self.tr("unknown")
        self.fields["location"].setText(f"{incident.district} — {where}")
        reported = formatting.local(incident.created_at)
        source = value_name(incident.source.value)
        self.fields["reported"].setText(f"{reported:%Y-%m-%d %H:%M} · {source}")
        lines = [incident.description, ""] if incident.description else []
        for note in incident.notes:
            kept = " " + self.tr("(kept on this console)") if note.local else ""
            moment = formatting.local(note.at)
            lines.append(f"{moment:%d/%m %H:%M}  {note.author}{kept}: {note.text}")
        if not incident.notes:
            lines.append(self.tr("No notes yet."))
        self.history.setPlainText("\n".join(lines))
