"""A tile's bookmarks in playback: "Bookmark this moment…", and the marks on its timeline.

The dialog hands the bookmark to the backend's durable queue, never to the network, so a
bookmark made while the backend is away is not lost; it shows on the timeline at once
(queued) and stays there once the backend has it. The incident is prefilled only when
one answer is obvious: a single open incident near the camera, reported in the hour up
to the moment marked.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial

from pydantic import ValidationError
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMenu,
    QSpinBox,
    QWidget,
)
from shiboken6 import isValid

from console.actions.bookmarks import BookmarkQueue, queue_for
from console.actions.delivery import Refused
from console.domain import formatting
from console.domain.bookmarks import MAX_NOTE, Bookmark, BookmarkDraft
from console.domain.geo import near_camera
from console.domain.recordings import LOOK_BACK
from console.domain.records import Camera, Incident, IncidentStatus
from console.sources.ioc.api import IocApi, describe
from console.sources.ioc.bookmarks import camera_bookmarks
from console.stores import IncidentTableModel
from widgets.text import PlainLabel

log = logging.getLogger(__name__)
OBVIOUS = timedelta(hours=1)


def obvious_incident(incidents: Iterable[Incident], camera: Camera, at: datetime) -> str:
    """The local id of the one open incident near `camera` reported in the hour up to `at`,
    or "" when there is none or more than one (the operator then types it, or not)."""
    found = [
        incident.local_id
        for incident in incidents
        if incident.status is not IncidentStatus.RESOLVED
        and incident.connection == camera.connection
        and at - OBVIOUS <= incident.created_at <= at
        and near_camera(camera, incident.lat, incident.lon)
    ]
    return found[0] if len(found) == 1 else ""


MAX_SPAN_S = 3600
NEAR_BOOKMARK = timedelta(seconds=10)  # "at a bookmark": within this of its span


class TileBookmarks(QObject):
    """The bookmarks of the camera in playback: the backend's, and the ones still queued."""

    def __init__(
        self, tile: QWidget, recorders: Mapping[str, IocApi], incidents: IncidentTableModel
    ) -> None:
        super().__init__(tile)
        self._tile, self._recorders, self._incidents = tile, recorders, incidents
        self.items: list[Bookmark] = []
        self.queued: list[BookmarkDraft] = []
        self._camera: Camera | None = None
        self._task: asyncio.Task[None] | None = None

    def marks(self) -> list[tuple[datetime, str]]:
        """(start, "Bookmark: note") for the timeline; queued ones are marked too."""
        return [(item.start, self.tr("Bookmark: %s") % item.note) for item in self.items] + [
            (draft.start, self.tr("Bookmark (sending): %s") % draft.note) for draft in self.queued
        ]

    def load(self, camera: Camera) -> None:
        """Ask the camera's backend for its bookmarks; a failure leaves the marks as they were."""
        api = self._recorders.get(camera.connection)
        if api is None:
            return
        self._camera = camera
        queue = self._queue(api, camera)
        self.queued = [item.draft for item in queue.pending(camera.local_id)]
        now = datetime.now(UTC)

        async def ask() -> None:
            try:
                self.items = await camera_bookmarks(api, camera.local_id, now - LOOK_BACK, now)
            except Exception as error:  # any fault: the timeline simply shows no bookmarks
                log.warning("bookmarks of %s: %s", camera.id, describe(error))

        if self._task is not None:
            self._task.cancel()
        self._task = asyncio.get_event_loop().create_task(ask())

    def _queue(self, api: IocApi, camera: Camera) -> BookmarkQueue:
        """The backend's queue, told to let this tile know what it delivers."""
        queue = queue_for(api, camera.connection)
        if self._delivered not in queue.listeners:
            queue.listeners.append(self._delivered)
        return queue

    def _delivered(self, bookmark: Bookmark) -> None:
        if isValid(self) and self._camera and bookmark.camera == self._camera.local_id:
            self.load(self._camera)

    def incidents(self) -> list[Incident]:
        return self._incidents.incidents()

    def add_action(self, menu: QMenu, camera: Camera | None, at: datetime | None) -> None:
        """ "Bookmark this moment…" in the tile's menu while recorded video plays (`at`), and
        the evidence of a bookmark the picture is at (its span, or a minute either side)."""
        if at is None:
            return
        menu.addAction(self.tr("Bookmark this moment…"), lambda: self.ask(camera, at))
        for item in self.items:
            end = item.end or item.start
            if item.start - NEAR_BOOKMARK <= at <= end + NEAR_BOOKMARK:
                label = self.tr("Export evidence of “%s”…") % item.note[:40]
                menu.addAction(label, partial(self.export, camera, item))

    def export(self, camera: Camera | None, item: Bookmark) -> None:
        from widgets.video.evidence_dialog import from_playback

        incident = item.incident_id or ""
        from_playback(self._tile, camera, self._recorders, item.start, item.end, incident)

    def ask(self, camera: Camera | None, at: datetime) -> QDialog:
        """The window-modal "Bookmark this moment…" dialog (returned for tests)."""
        incidents = self.incidents()
        dialog = QDialog(self._tile)
        dialog.setWindowTitle(self.tr("Bookmark this moment…"))
        note = QLineEdit(dialog)
        note.setObjectName("BookmarkNote")
        note.setMaxLength(MAX_NOTE)
        incident = QLineEdit(obvious_incident(incidents, camera, at) if camera else "", dialog)
        incident.setObjectName("BookmarkIncident")
        incident.setPlaceholderText(self.tr("optional, e.g. INC-00012"))
        problem = PlainLabel("", dialog)
        problem.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        form = QFormLayout(dialog)
        form.addRow(self.tr("Time"), PlainLabel(formatting.clock_seconds(at), dialog))
        span = QSpinBox(dialog)  # a moment, or a span from it
        span.setObjectName("BookmarkSpan")
        span.setRange(0, MAX_SPAN_S)
        span.setSuffix(self.tr(" s"))
        span.setSpecialValueText(self.tr("a moment"))
        form.addRow(self.tr("Lasting"), span)
        form.addRow(self.tr("Note"), note)
        form.addRow(self.tr("Incident"), incident)
        form.addRow(problem)
        form.addRow(buttons)

        def accepted() -> None:
            end = at + timedelta(seconds=span.value()) if span.value() else None
            reason = self.submit(camera, at, note.text(), incident.text().strip() or None, end)
            if reason:
                problem.setText(reason)
            else:
                dialog.accept()

        buttons.accepted.connect(accepted)
        buttons.rejected.connect(dialog.reject)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def submit(
        self,
        camera: Camera | None,
        at: datetime,
        note: str,
        incident: str | None,
        end: datetime | None = None,
    ) -> str:
        """Queue the bookmark (a moment, or `at` to `end`); "" when queued, else why not."""
        api = self._recorders.get(camera.connection) if camera is not None else None
        if camera is None or api is None:
            return self.tr("This camera's backend takes no bookmarks.")
        try:
            draft = BookmarkDraft(start=at, end=end, note=note, incident_id=incident)
            self._queue(api, camera).submit(camera.local_id, draft)
        except ValidationError as error:
            return str(error.errors()[0]["msg"]).removeprefix("Value error, ")
        except Refused as error:
            return str(error)
        self.queued.append(draft)
        return ""
