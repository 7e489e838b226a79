"""The `ngsi-ld` kind: a FIWARE context broker's entities, followed by polling.

Alert and Complaint entities are incidents (followed with the query language's
`q=dateModified>T` cursor; a broker that refuses the query is read in full instead),
KeyPerformanceIndicator entities are KPIs (their temporal history on request),
Camera entities are cameras (with their `streamURL`), and Streetlight, Camera and
Device entities are map layers. Acknowledge, assign, resolve
and reopen are attribute updates on the entity (see console.sources.ngsi.write); a
note has no place in the Alert and Complaint models, so it stays on this console.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from console.domain.periods import Period, history_window
from console.domain.records import (
    ActionKind,
    Incident,
    KpiSample,
    KpiSampleEvent,
    LayerInfo,
    utcnow,
)
from console.site.model import Connection
from console.sources.ioc.api import BackendStatusError
from console.sources.link import PollingLink
from console.sources.ngsi.cameras import to_cameras
from console.sources.ngsi.incidents import INCIDENT_TYPES, to_incidents
from console.sources.ngsi.kpis import NgsiLdApi
from console.sources.ngsi.points import POINT_TYPES, point_collection
from console.sources.sink import Sink

log = logging.getLogger(__name__)
HISTORY = timedelta(hours=24)
OVERLAP = timedelta(seconds=2)
LAYER_NAMES = {"Streetlight": "Street lights", "Camera": "Cameras (broker)", "Device": "Devices"}


def broker_root(url: str) -> str:
    """The broker's root: a site file may give it with or without `/ngsi-ld/v1`."""
    return url.rstrip("/").removesuffix("/ngsi-ld/v1")


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class NgsiLink(PollingLink):
    actions = frozenset(
        {ActionKind.ACKNOWLEDGE, ActionKind.ASSIGN, ActionKind.RESOLVE, ActionKind.REOPEN}
    )
    local_actions = frozenset({ActionKind.NOTE})
    read_only_reason = "the context broker keeps no notes: a note stays on this console"

    def __init__(self, connection: Connection, sink: Sink, api: NgsiLdApi) -> None:
        super().__init__(connection, sink)
        self.api = api
        self.cursor: datetime | None = None
        self._query_works = True

    async def aclose(self) -> None:
        await self.api.aclose()

    async def load(self) -> None:
        if self.sink.wants("cameras"):
            self.sink.cameras(to_cameras(await self.api.entities("Camera")))
        if self.sink.wants("incidents"):
            await self._incidents(None)
        if self.sink.wants("kpis"):
            kpis = await self.api.kpis()
            self.sink.kpis(kpis)
            end = utcnow()
            for kpi in kpis:
                self.sink.kpi_series(kpi.id, await self.api.kpi_history(kpi.id, end - HISTORY, end))
        if self.sink.wants("layers"):
            await self._layers()

    async def follow(self) -> None:
        if self.sink.wants("cameras"):
            self.sink.cameras(to_cameras(await self.api.entities("Camera")), merge=True)
        if self.sink.wants("incidents"):
            await self._incidents(self.cursor - OVERLAP if self.cursor else None)
        if self.sink.wants("kpis"):
            kpis = await self.api.kpis()
            self.sink.kpis(kpis)
            self.sink.kpi_samples(
                KpiSampleEvent(kpi_id=kpi.id, t=kpi.updated_at, value=kpi.value)
                for kpi in kpis
                if kpi.value == kpi.value  # NaN: the entity carries no value yet
            )
        if self.sink.wants("layers"):
            await self._layers()

    async def _incidents(self, after: datetime | None) -> None:
        found: list[Incident] = []
        for kind in INCIDENT_TYPES:
            found.extend(to_incidents(await self._changed(kind, after)))
        self.cursor = self.advance(self.cursor, (incident.updated_at for incident in found))
        await self.sink.load_incidents(found, live=self._loaded)

    async def _changed(self, kind: str, after: datetime | None) -> list[object]:
        """Entities of `kind` modified after the cursor. The broker's own `modifiedAt`
        (sysAttrs) orders versions; the query needs `dateModified`, which only some
        publishers keep: without it, or where the broker refuses the query, the type is
        read in full (said once in the log)."""
        if after is None or not self._query_works:
            found = await self.api.entities(kind, sys_attrs=True)
            if (
                after is None
                and found
                and not all(
                    isinstance(entity, dict) and "dateModified" in entity for entity in found
                )
            ):
                self._query_works = False  # q=dateModified> would miss these entities
            return found
        try:
            return await self.api.entities(kind, q=f"dateModified>{_z(after)}", sys_attrs=True)
        except BackendStatusError as error:
            if error.status != 400:
                raise
            log.warning("%s: the broker refuses dateModified queries; reading in full", self.name)
            self._query_works = False
            return await self.api.entities(kind, sys_attrs=True)

    async def _layers(self) -> None:
        infos, collections = [], {}
        for kind in POINT_TYPES:
            collection = point_collection(await self.api.entities(kind), kind)
            if collection["features"]:
                layer = kind.lower()
                collections[layer] = collection
                infos.append(
                    LayerInfo(
                        id=layer,
                        name=LAYER_NAMES[kind],
                        geometry="point",
                        feature_count=len(collection["features"]),
                    )
                )
        self.sink.layers(infos)
        for layer, collection in collections.items():
            self.sink.layer_features(layer, collection)

    async def history(self, local_id: str, period: Period) -> Sequence[KpiSample]:
        start, end, _interval = history_window(period, utcnow())
        return await self.api.kpi_history(local_id, start, end)
