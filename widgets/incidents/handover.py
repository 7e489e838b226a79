"""End shift: the handover report, the incoming operator's acceptance, both in the audit log.

Shift ▸ End shift… (Ctrl+Shift+E) shows what happened since the shift began (new,
resolved, overdue, every open incident with its last note and the procedure steps
left), takes the outgoing operator's own notes, and on "Hand over" writes the report as
a PDF beside the audit log and records the handover and its acceptance — with the PDF's
SHA-256, so a later change to the file is detectable. The next shift starts then.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from datetime import datetime
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from console.actions.audit import AuditLog
from console.actions.outbox import data_dir
from console.domain import formatting
from console.domain.handover import ShiftReport, shift_report
from console.domain.records import Incident, utcnow
from widgets.incidents.handover_pdf import report_document, write_report_pdf
from widgets.panel import PanelContext
from widgets.text import PlainLabel

log = logging.getLogger(__name__)
ACCEPTED = "handover-accepted"


class Shift(QObject):
    """The current shift of this console: when it began, and how it is handed over."""

    def __init__(
        self, context: PanelContext, audit: AuditLog | None = None, folder: Path | None = None
    ) -> None:
        super().__init__()
        self.context = context
        self.audit = audit or AuditLog(data_dir() / "audit.jsonl")
        self.folder = folder or data_dir() / "handovers"
        self.start = self._last_accepted() or utcnow()

    def menu_title(self) -> str:
        return self.tr("&Shift")

    def _last_accepted(self) -> datetime | None:
        """A console restarted mid-shift keeps the shift that was accepted before."""
        for entry in reversed(self.audit.entries()):
            if entry.get("action") == ACCEPTED:
                try:
                    return datetime.fromisoformat(str(entry["at"]))
                except (KeyError, ValueError):
                    return None
        return None

    def report(self, outgoing: str, notes: str, end: datetime | None = None) -> ShiftReport:
        store = self.context.incidents

        def is_overdue(incident: Incident) -> bool:  # as the queue colours it
            row = store.columns.row_of.get(incident.id)
            return row is not None and bool(store.columns.overdue(np.array([row], np.int64))[0])

        def steps_left(incident: Incident) -> tuple[str, ...]:
            found = self.context.procedures.progress(incident)
            if found is None:
                return ()
            language = formatting.language()
            return tuple(found.procedure.step_title(n, language) for n in found.open_steps())

        return shift_report(
            store.incidents(),
            self.start,
            end or utcnow(),
            outgoing,
            notes,
            is_overdue=is_overdue,
            steps_left=steps_left,
        )

    def hand_over(self, report: ShiftReport, incoming: str) -> Path:
        """Write the PDF, record the handover and its acceptance; the next shift begins."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"handover-{report.end:%Y%m%d-%H%M%S}.pdf"
        write_report_pdf(report, path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        summary = (
            f"{path.name} sha256 {digest}; new {len(report.new)}, resolved "
            f"{len(report.resolved)}, overdue {len(report.overdue)}, open {len(report.open)}"
        )
        self.audit.record(report.outgoing, "", "handover", summary)
        self.audit.record(incoming, "", ACCEPTED, f"{path.name} from {report.outgoing}")
        log.info("shift handed over by %s to %s: %s", report.outgoing, incoming, summary)
        self.start = report.end
        return path


class HandoverDialog(QDialog):
    """The report to read, the outgoing notes to write, the incoming name to accept."""

    def __init__(self, shift: Shift, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shift = shift
        self.saved: Path | None = None
        self.setWindowTitle(self.tr("End shift"))
        self.resize(900, 700)
        self.outgoing = QLineEdit(getpass.getuser())
        self.incoming = QLineEdit()
        self.incoming.setPlaceholderText(self.tr("Name of the operator taking over"))
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("Your notes for the next shift"))
        self.notes.setMaximumHeight(120)
        self.preview = QTextEdit()
        self.preview.setReadOnly(True)
        self.problem = PlainLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.hand_over_button = self.buttons.addButton(
            self.tr("Hand over and save the report"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self._hand_over)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Outgoing operator"), self.outgoing)
        form.addRow(self.tr("Notes"), self.notes)
        form.addRow(self.tr("Incoming operator"), self.incoming)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.notes.textChanged.connect(self.refresh)
        self.outgoing.textChanged.connect(self.refresh)
        self.refresh()

    def current(self) -> ShiftReport:
        return self.shift.report(self.outgoing.text().strip(), self.notes.toPlainText())

    def refresh(self) -> None:
        self.preview.setDocument(report_document(self.current()))

    def _hand_over(self) -> None:
        incoming, outgoing = self.incoming.text().strip(), self.outgoing.text().strip()
        if not incoming or not outgoing:
            self.problem.setText(self.tr("Both operators' names are needed for the handover."))
            return
        try:
            self.saved = self.shift.hand_over(self.current(), incoming)
        except OSError as error:
            self.problem.setText(self.tr("Could not save the report: {error}").format(error=error))
            return
        self.accept()


def shift_action(shift: Shift, parent: QWidget | None) -> QAction:
    """Shift ▸ End shift…: the dialog, shown over the wall."""
    action = QAction(shift.tr("End shift…"), shift)
    action.setShortcut(QKeySequence("Ctrl+Shift+E"))

    def open_dialog() -> None:
        HandoverDialog(shift, parent).open()

    action.triggered.connect(open_dialog)
    return action


__all__ = ["HandoverDialog", "Shift", "shift_action"]
