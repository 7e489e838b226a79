"""The shift handover report as a document: the dialog's preview and the PDF are one.

Built with QTextCursor inserts, never HTML: titles, notes and district names come from
backends and citizens, so they are text (a "<b>" in a citizen's report prints as typed).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import (
    QFont,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from console.domain import formatting
from console.domain.handover import ShiftReport
from console.domain.records import Incident
from console.stores.incidents import value_name


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShiftReport", text)


class _Writer:
    def __init__(self, document: QTextDocument) -> None:
        self.cursor = QTextCursor(document)
        self.body = QTextCharFormat()
        self.body.setFont(QFont("Noto Sans", 10))
        self.heading = QTextCharFormat()
        self.heading.setFont(QFont("Noto Sans", 13, QFont.Weight.Bold))
        self.title = QTextCharFormat()
        self.title.setFont(QFont("Noto Sans", 18, QFont.Weight.Bold))

    def line(self, text: str, style: QTextCharFormat | None = None) -> None:
        self.cursor.insertText(text, style or self.body)
        self.cursor.insertBlock()

    def section(self, title: str, incidents: Sequence[Incident]) -> None:
        self.line("")
        self.line(f"{title} ({len(incidents)})", self.heading)
        if not incidents:
            self.line("—")
        for incident in incidents:
            self.line(_row(incident))


def _row(incident: Incident) -> str:
    created = formatting.local(incident.created_at)
    return (
        f"{created:%d/%m %H:%M}  {value_name(incident.priority.value)} · "
        f"{value_name(incident.status.value)} · {incident.local_id} · {incident.title} — "
        f"{incident.district}"
    )


def report_document(report: ShiftReport) -> QTextDocument:
    document = QTextDocument()
    write = _Writer(document)
    start, end = formatting.local(report.start), formatting.local(report.end)
    write.line(_tr("Shift handover"), write.title)
    write.line(
        _tr("Shift {start} – {end} · outgoing operator: {who}").format(
            start=f"{start:%d/%m/%Y %H:%M}", end=f"{end:%d/%m/%Y %H:%M}", who=report.outgoing
        )
    )
    write.line(
        _tr(
            "New {new} · resolved {resolved} · overdue {overdue} · open {open} · "
            "procedure steps left {steps}"
        ).format(
            new=len(report.new),
            resolved=len(report.resolved),
            overdue=len(report.overdue),
            open=len(report.open),
            steps=report.steps_left,
        )
    )
    write.line("")
    write.line(_tr("Notes of the outgoing operator"), write.heading)
    for text in (report.notes or "—").splitlines():
        write.line(text)
    write.section(_tr("Overdue now"), report.overdue)
    write.line("")
    write.line(_tr("Open incidents ({n})").format(n=len(report.open)), write.heading)
    if not report.open:
        write.line("—")
    for item in report.open:
        write.line(("⚠ " if item.overdue else "") + _row(item.incident))
        if item.last_note:
            write.line("    " + _tr("Last note: {note}").format(note=item.last_note))
        for step in item.steps_left:
            write.line("    " + _tr("To do: {step}").format(step=step))
    write.section(_tr("New during the shift"), report.new)
    write.section(_tr("Resolved during the shift"), report.resolved)
    if report.skipped_steps:
        write.line("")
        write.line(_tr("Resolved with procedure steps skipped"), write.heading)
        for incident, note in report.skipped_steps:
            write.line(f"{incident.local_id} · {incident.title}: {note}")
    return document


def write_report_pdf(report: ShiftReport, path: Path) -> None:
    """A4, page numbers at the foot (QTextDocument's own), text selectable and searchable."""
    writer = QPdfWriter(str(path))
    writer.setTitle(_tr("Shift handover"))
    writer.setCreator("IOC Console")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
        )
    )
    writer.setResolution(150)
    document = report_document(report)
    document.print_(writer)
