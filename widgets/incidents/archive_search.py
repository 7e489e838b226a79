"""The queue's search reaches the archive: resolved incidents older than the retention.

While the search box holds text, a button under the queue says how many archived
incidents match ("12 in the archive"); it opens them read-only, newest first, with
the facts and notes of the one selected — the record of what was done stays findable
after it left the live queue. Searched a moment after typing stops, not per key.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.domain import formatting
from console.domain.records import Incident
from console.stores.archive import IncidentArchive
from console.stores.incidents import value_name
from widgets.incidents.detail import IncidentDetail

SEARCH_DELAY_MS = 300
LIMIT = 200


class ArchiveFinder(QWidget):
    """The button under the queue; hidden while nothing archived matches."""

    def __init__(self, archive: IncidentArchive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.text = ""
        self.found: list[Incident] = []
        self.button = QPushButton()
        self.button.clicked.connect(self.show_found)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 2)
        layout.addWidget(self.button)
        layout.addStretch(1)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.dialog: ArchiveDialog | None = None
        self.hide()

    def search(self, text: str) -> None:
        """The search box changed: look in the archive once typing pauses."""
        self.text = text.strip()
        if self.text:
            self._timer.start()
        else:
            self._timer.stop()
            self.found = []
            self.hide()

    def search_now(self) -> None:
        self.found = self.archive.search(self.text, LIMIT) if self.text else []
        count = len(self.found)
        more = "+" if count >= LIMIT else ""
        self.button.setText(self.tr("{n}{more} in the archive…").format(n=count, more=more))
        self.setVisible(count > 0)

    def show_found(self) -> None:
        self.dialog = ArchiveDialog(self.text, self.found, self.window())
        self.dialog.open()


class ArchiveDialog(QDialog):
    """Archived incidents, read-only: the list, and the selected one in full."""

    def __init__(self, text: str, found: list[Incident], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Archive: “{text}”").format(text=text))
        self.resize(1000, 600)
        self.found = found
        self.list = QListWidget()
        for incident in found:
            when = formatting.local(incident.created_at)
            self.list.addItem(
                f"{when:%d/%m/%Y %H:%M} · {value_name(incident.status.value)} · "
                f"{incident.local_id} · {incident.title} — {incident.district}"
            )
        self.detail = IncidentDetail()
        self.list.currentRowChanged.connect(self._show)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        if found:
            self.list.setCurrentRow(0)

    def _show(self, row: int) -> None:
        incident = self.found[row] if 0 <= row < len(self.found) else None
        self.detail.show_incident(incident, (), 0)
