"""The `open311` kind: a citizen-feedback portal's GeoReport v2 requests as incidents.

GeoReport v2 has no push and no way to change a request, so the link polls with a
change cursor (`updated_after`, the extension most servers offer; one that ignores it
answers with every page, and revisions keep the store right) and its incidents are
read-only here: a note or an assignment the operator makes stays on this console.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from console.domain.records import ActionKind, Incident, utcnow
from console.site.model import Connection
from console.sources.link import PollingLink
from console.sources.open311.client import Open311Api
from console.sources.sink import Sink

LOAD_DAYS = 30  # a first load reaches back this far (a portal may hold years)
OVERLAP = timedelta(seconds=2)  # clocks and equal timestamps: ask a little before the cursor


class Open311Link(PollingLink):
    local_actions = frozenset({ActionKind.NOTE, ActionKind.ASSIGN})
    read_only_reason = (
        "Open311 (GeoReport v2) cannot change a request: notes and assignments stay on "
        "this console, the portal's staff close it"
    )

    def __init__(self, connection: Connection, sink: Sink, api: Open311Api) -> None:
        super().__init__(connection, sink)
        self.api = api
        self.cursor: datetime | None = None  # the newest update seen

    async def aclose(self) -> None:
        await self.api.aclose()

    async def load(self) -> None:
        await self._take(await self.api.requests(start_date=utcnow() - timedelta(days=LOAD_DAYS)))

    async def follow(self) -> None:
        after = self.cursor - OVERLAP if self.cursor else None
        await self._take(await self.api.requests(updated_after=after))

    async def _take(self, incidents: list[Incident]) -> None:
        self.cursor = self.advance(self.cursor, (incident.updated_at for incident in incidents))
        await self.sink.load_incidents(incidents, live=self._loaded)
