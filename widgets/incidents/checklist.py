"""The procedure checklist under the detail pane: the steps of the incident's SOP as ticks.

A tick is a note ("[SOP 2/5] Call the traffic police — CSGT") requested from the store
like any other action, so the outbox delivers it and the backend keeps who and when; a
step may also ask the wall for the incident's nearest cameras. A ticked step stays
ticked: undoing would need a note that takes one back, which no procedure asks for.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QSizePolicy, QVBoxLayout, QWidget

from console.domain import formatting
from console.domain.procedures import (
    Procedure,
    Progress,
    StepAction,
    Who,
    step_note,
)
from console.domain.records import ActionKind, Incident, IncidentAction, IncidentStatus
from console.site.procedures import ProcedureBook
from widgets.text import PlainLabel

LATE_STYLE = "color: #ff6b5b; font-weight: bold;"
DETAIL_STYLE = "color: #9aa4b2;"


def _moment(at: datetime) -> str:
    """A time today as 14:05, another day's as 30/11 14:05."""
    local = formatting.local(at)
    return f"{local:%H:%M}" if local.date() == formatting.now().date() else f"{local:%d/%m %H:%M}"


class ProcedureChecklist(QWidget):
    """Emits `actionRequested(incident_id, IncidentAction)` and `camerasRequested(id)`."""

    actionRequested = Signal(str, object)
    camerasRequested = Signal(str)

    def __init__(self, book: ProcedureBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProcedureChecklist")
        self.book = book
        self.may_act = True
        self.incident: Incident | None = None
        self.boxes: list[QCheckBox] = []
        self.texts: list[PlainLabel] = []
        self.details: list[PlainLabel] = []
        self._sent: set[tuple[str, int]] = set()  # ticks requested, not yet seen as notes
        self._shown: tuple[object, ...] = ()
        self.heading = PlainLabel()
        self.heading.setObjectName("ProcedureHeading")
        self.heading.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(1, 1)
        self.grid.setVerticalSpacing(1)
        # The splitter decides the width; long steps wrap instead of squeezing the queue.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        layout.addWidget(self.heading)
        layout.addLayout(self.grid)
        self.show_incident(None)

    def set_may_act(self, may_act: bool) -> None:
        """A viewer sees the checklist but cannot tick."""
        self.may_act = may_act
        self._shown = ()
        self.show_incident(self.incident)

    def show_incident(self, incident: Incident | None) -> None:
        """Rebuilt only when the incident, its notes or the ticks in flight changed."""
        self.incident = incident
        found = None if incident is None else self.book.progress(incident)
        if incident is None or found is None:
            self._clear()
            self.heading.setText(self.book.problem)
            self.setVisible(bool(self.book.problem) and incident is not None)
            self._shown = ()
            return
        key = (incident.id, incident.revision, len(incident.notes), frozenset(self._sent))
        if key == self._shown:
            return
        self._shown = key
        self.setVisible(True)
        self._build(incident, found)

    def _build(self, incident: Incident, found: Progress) -> None:
        self._clear()
        language = formatting.language()
        procedure = found.procedure
        self._sent = {(i, n) for i, n in self._sent if i != incident.id or n not in found.done}
        self.heading.setText(
            self.tr("Procedure: {name} — {done} of {total} steps done").format(
                name=procedure.title(language), done=len(found.done), total=found.total
            )
        )
        closed = incident.status is IncidentStatus.RESOLVED
        for number in range(1, found.total + 1):
            box = QCheckBox()
            text = PlainLabel(procedure.step_title(number, language))
            text.setWordWrap(True)
            note = found.done.get(number)
            sent = (incident.id, number) in self._sent
            box.setChecked(note is not None or sent)
            box.setEnabled(self.may_act and note is None and not sent and not closed)
            box.toggled.connect(lambda on, n=number: self._tick(n) if on else None)
            detail = PlainLabel(self._detail(found, number, incident, sent))
            detail.setWordWrap(True)
            late = note is None and not closed and self._late(found, number, incident)
            detail.setStyleSheet(LATE_STYLE if late else DETAIL_STYLE)
            row = 2 * (number - 1)
            self.grid.addWidget(box, row, 0)
            self.grid.addWidget(text, row, 1)
            self.grid.addWidget(detail, row + 1, 1)
            self.boxes.append(box)
            self.texts.append(text)
            self.details.append(detail)

    def _detail(self, found: Progress, number: int, incident: Incident, sent: bool) -> str:
        step = found.procedure.steps[number - 1]
        parts = [self._who(step.who)]
        if not step.mandatory:
            parts.append(self.tr("optional"))
        note = found.done.get(number)
        if note is not None:
            parts.append(
                self.tr("✓ {author} {time}").format(author=note.author, time=_moment(note.at))
            )
        elif sent:
            parts.append(self.tr("sending…"))
        elif number in found.skipped:
            parts.append(self.tr("skipped"))
        else:
            due = found.due_at(number, incident.created_at)
            if due is not None:
                parts.append(self.tr("due {time}").format(time=_moment(due)))
        return " · ".join(parts)

    def _who(self, who: Who) -> str:
        names = {
            Who.OPERATOR: self.tr("operator"),
            Who.UNIT: self.tr("unit"),
            Who.LEADER: self.tr("leader"),
        }
        return names[who]

    @staticmethod
    def _late(found: Progress, number: int, incident: Incident) -> bool:
        due = found.due_at(number, incident.created_at)
        return due is not None and datetime.now(due.tzinfo) > due

    def _tick(self, number: int) -> None:
        incident = self.incident
        if incident is None or not self.may_act:
            return
        procedure: Procedure | None = self.book.for_incident(incident)
        if procedure is None:
            return
        self._sent.add((incident.id, number))
        text = step_note(number, procedure, formatting.language())
        self.actionRequested.emit(incident.id, IncidentAction(action=ActionKind.NOTE, text=text))
        if procedure.steps[number - 1].action is StepAction.SHOW_CAMERAS:
            self.camerasRequested.emit(incident.id)
        self._shown = ()
        self.show_incident(incident)

    def _clear(self) -> None:
        for widget in (*self.boxes, *self.texts, *self.details):
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self.boxes, self.texts, self.details = [], [], []
