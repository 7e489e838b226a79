"""The bookmarks linked to the incident in the detail pane: camera, time, note.

Asked of the incident's own native API when another incident (or a new revision of it)
is shown, and again when the bookmark queue delivers one of its bookmarks, so a mark
made on a tile appears here without a click. Plain text: a note is an operator's words.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from shiboken6 import isValid

from console.actions.bookmarks import queue_for
from console.domain import formatting
from console.domain.bookmarks import Bookmark
from console.domain.records import Incident
from console.sources.ioc.api import IocApi, describe
from console.sources.ioc.bookmarks import incident_bookmarks
from widgets.text import PlainLabel

log = logging.getLogger(__name__)


class IncidentBookmarks(PlainLabel):
    """Hidden while the incident has no bookmarks (most have none)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("IncidentBookmarks")
        self.setWordWrap(True)
        self.hide()
        self.items: list[Bookmark] = []
        self._shown: tuple[str, int] | None = None
        self._source: tuple[IocApi, str] | None = None  # whom to ask, and for which id
        self._task: asyncio.Task[None] | None = None

    def show_for(self, incident: Incident | None, recorders: Mapping[str, IocApi]) -> None:
        api = recorders.get(incident.connection) if incident is not None else None
        if incident is None or api is None:
            self._shown, self._source, self.items = None, None, []
            self.hide()
            return
        if self._shown != (incident.id, incident.revision):
            self._shown, self._source = (incident.id, incident.revision), (api, incident.local_id)
            self._ask(api, incident.local_id)
            queue = queue_for(api, incident.connection)
            if self._delivered not in queue.listeners:
                queue.listeners.append(self._delivered)

    def _delivered(self, bookmark: Bookmark) -> None:
        """A bookmark of the incident shown has reached the backend: ask again."""
        if isValid(self) and self._source and bookmark.incident_id == self._source[1]:
            self._ask(*self._source)

    def _ask(self, api: IocApi, incident_id: str) -> None:
        if self._task is not None:
            self._task.cancel()

        async def ask() -> None:
            try:
                self.items = await incident_bookmarks(api, incident_id)
            except Exception as error:  # any fault: the pane shows what it had
                log.warning("bookmarks of %s: %s", incident_id, describe(error))
                return
            lines = [
                f"{formatting.local(item.start):%d/%m %H:%M:%S}  {item.camera}: {item.note}"
                for item in self.items
            ]
            self.setText("\n".join([self.tr("Bookmarks"), *lines]))
            self.setVisible(bool(lines))

        self._task = asyncio.get_event_loop().create_task(ask())
