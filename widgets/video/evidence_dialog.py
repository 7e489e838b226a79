""" "Export evidence…": chosen cameras' recordings of a span, to a folder or a zip.

Opened from a tile in playback (its camera, around the time on screen) or from an
incident's detail pane (its nearest cameras, from BEFORE to AFTER its time). The manifest's
SHA-256 is shown selectable and written to the audit log: that line is what later proves
the export unchanged (console.video.evidence.verify).
"""

from __future__ import annotations

import asyncio
import getpass
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.actions.audit import AuditLog
from console.actions.outbox import data_dir
from console.domain import formatting
from console.domain.geo import nearest_cameras
from console.domain.periods import province_zone
from console.domain.records import Camera, Incident
from console.sources.ioc.api import IocApi
from console.video.evidence import EvidenceCamera, ExportError, Progress, export_evidence
from widgets.panel import PanelContext
from widgets.text import PlainLabel

log = logging.getLogger(__name__)
BEFORE, AFTER = timedelta(minutes=2), timedelta(minutes=3)  # around an incident's time
AROUND = timedelta(minutes=1)  # around the time on a tile's screen
NEAREST = 4
ACTION = "evidence-export"


def _editor(when: datetime) -> QDateTimeEdit:
    """Province wall-clock time, whatever the machine's zone (the spec is never read)."""
    local = formatting.local(when).replace(tzinfo=None)
    edit = QDateTimeEdit(QDateTime(*local.timetuple()[:6]))
    edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
    edit.setCalendarPopup(True)
    return edit


def _read(edit: QDateTimeEdit) -> datetime:
    day, clock = edit.dateTime().date(), edit.dateTime().time()
    parts = (day.year(), day.month(), day.day(), clock.hour(), clock.minute(), clock.second())
    return datetime(*parts, tzinfo=province_zone())


class EvidenceDialog(QDialog):
    def __init__(
        self,
        recorders: Mapping[str, IocApi],
        cameras: Sequence[Camera],
        start: datetime,
        end: datetime,
        incident_id: str = "",
        audit: AuditLog | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export evidence"))
        self.recorders, self.incident_id = recorders, incident_id
        self.audit = audit or AuditLog(data_dir() / "audit.jsonl")
        self.operator = getpass.getuser()
        self.cameras = QListWidget()
        for camera in cameras:
            item = QListWidgetItem(f"{camera.name} ({camera.local_id})", self.cameras)
            item.setData(Qt.ItemDataRole.UserRole, camera)
            item.setCheckState(Qt.CheckState.Checked)
        self.start, self.end = _editor(start), _editor(end)
        self.target = QLineEdit()
        folder, archive = QPushButton(self.tr("Folder…")), QPushButton(self.tr("Zip…"))
        folder.clicked.connect(self._choose_folder)
        archive.clicked.connect(self._choose_zip)
        where = QHBoxLayout()
        for widget in (self.target, folder, archive):
            where.addWidget(widget)
        form = QFormLayout()
        form.addRow(self.tr("Cameras"), self.cameras)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        form.addRow(self.tr("Save to"), where)
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = PlainLabel()
        self.status.setWordWrap(True)
        self.hash = QLineEdit(readOnly=True)  # selectable, copyable, not editable
        self.hash.hide()
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for shown in (self.progress, self.status, self.hash, self.buttons):
            layout.addWidget(shown)
        self.task: asyncio.Task[None] | None = None
        self._cancelled = False
        self.digest = ""

    def chosen(self) -> list[Camera]:
        items = (self.cameras.item(row) for row in range(self.cameras.count()))
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _choose_folder(self) -> None:
        parent = QFileDialog.getExistingDirectory(self, self.tr("Export evidence into"))
        if parent:
            stamp = formatting.local(_read(self.start)).strftime("%Y%m%d_%H%M%S")
            name = f"evidence_{self.incident_id or 'cameras'}_{stamp}"
            self.target.setText(str(Path(parent) / name))

    def _choose_zip(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export evidence as"), "", self.tr("Zip archive (*.zip)")
        )
        if path:
            self.target.setText(path if path.lower().endswith(".zip") else path + ".zip")

    def start_export(self) -> None:
        """Check the choices, then download on the event loop; the dialog stays live."""
        cameras, target = self.chosen(), self.target.text().strip()
        connections = {camera.connection for camera in cameras}
        problem = (
            self.tr("Choose at least one camera.")
            if not cameras
            else self.tr("Choose where to save the evidence.")
            if not target
            else self.tr("Choose cameras of one system at a time.")
            if len(connections) > 1
            else self.tr("This system keeps no recordings.")
            if next(iter(connections)) not in self.recorders
            else ""
        )
        if problem:
            self.status.setText(problem)
            return
        api = self.recorders[next(iter(connections))]
        self.export_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(self.tr("Exporting…"))
        self._cancelled = False
        chosen = [EvidenceCamera(camera.local_id, camera.name) for camera in cameras]
        self.task = asyncio.get_event_loop().create_task(
            self._run(api, chosen, Path(target), next(iter(connections)))
        )

    async def _run(
        self, api: IocApi, cameras: list[EvidenceCamera], target: Path, connection: str
    ) -> None:
        start, end = _read(self.start), _read(self.end)
        try:
            digest = await export_evidence(
                api, cameras, start, end, target, self.operator, self.incident_id,
                province_zone(), self._show_progress, lambda: self._cancelled,
            )  # fmt: skip
        except (ExportError, OSError) as error:
            log.warning("evidence export to %s: %s", target, error)
            self._finished(self.tr("Nothing was saved: %s") % error)
            self.audit.record(self.operator, self.incident_id, ACTION, f"failed: {error}",
                              connection=connection)  # fmt: skip
            return
        self.digest = digest
        self.audit.record(self.operator, self.incident_id, ACTION,
                          f"sha256={digest} path={target}", connection=connection)  # fmt: skip
        self._finished(self.tr("Saved to %s. Manifest SHA-256 (kept in the audit log):") % target)
        self.hash.setText(digest)
        self.hash.show()
        self.cancel_button.setText(self.tr("Close"))

    def _show_progress(self, progress: Progress) -> None:
        """Bytes of the files whose size the backend announced; else files done."""
        if progress.expected >= progress.done > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * progress.done / progress.expected))
        else:
            self.progress.setRange(0, progress.files_total)
            self.progress.setValue(progress.files_done)
        self.status.setText(self.tr("%s · %.1f MB") % (progress.current, progress.done / 1e6))

    def _finished(self, text: str) -> None:
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.status.setText(text)
        self.task = None

    def _cancel(self) -> None:
        self.reject()

    def reject(self) -> None:
        """During an export: cancel it (it removes what it wrote) and stay open to say so."""
        if self.task is not None:
            self._cancelled = True
            return
        super().reject()


def open_evidence(
    parent: QWidget | None,
    recorders: Mapping[str, IocApi],
    cameras: Sequence[Camera],
    start: datetime,
    end: datetime,
    incident_id: str = "",
) -> EvidenceDialog:
    """The export dialog, open and gone when closed (returned for tests)."""
    dialog = EvidenceDialog(recorders, cameras, start, end, incident_id, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def from_playback(
    parent: QWidget | None,
    camera: Camera | None,
    recorders: Mapping[str, IocApi],
    at: datetime,
    until: datetime | None = None,
    incident_id: str = "",
) -> None:
    """The tile's camera from `at` to `until` (a bookmark's span), else a minute either
    side of `at` (the time on screen, a moment's bookmark)."""
    if camera is not None:
        start, end = (at, until) if until is not None else (at - AROUND, at + AROUND)
        open_evidence(parent, recorders, [camera], start, end, incident_id)


def from_incident(
    parent: QWidget | None, context: PanelContext, incident: Incident
) -> EvidenceDialog:
    """The incident's nearest cameras, from BEFORE to AFTER its time (all editable)."""
    found = nearest_cameras(context.cameras.cameras(), incident.lat, incident.lon, NEAREST)
    at = incident.created_at
    cameras = [camera for camera, _ in found]
    return open_evidence(
        parent, context.recorders, cameras, at - BEFORE, at + AFTER, incident.local_id
    )
