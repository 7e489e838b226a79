"""Where one connection's records enter the merged stores: the only way in.

Every source kind hands its records to its connection's `Sink`, which namespaces their
ids (console.domain.naming), stamps the connection, drops the feeds the site file did
not ask this connection for, and re-applies what the operator kept locally for it. So
no kind can write another connection's records, collide with them, or forget a rule.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from console.domain.naming import qualify, tagged
from console.domain.periods import Period
from console.domain.records import (
    Camera,
    CameraStatus,
    GeoJson,
    Incident,
    Kpi,
    KpiSample,
    KpiSampleEvent,
    LayerInfo,
    Source,
)
from console.site.model import Feed
from console.sources.ioc.api import describe
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore

log = logging.getLogger(__name__)
T = TypeVar("T")
SLICE = 250  # incidents applied in one go during a load (~10 ms of work)
SLICE_PAUSE_S = 0.002


class Stores:
    """The merged stores every connection feeds."""

    def __init__(
        self,
        cameras: CameraStore,
        incidents: IncidentTableModel,
        kpis: KpiStore,
        layers: LayerStore,
    ) -> None:
        self.cameras, self.incidents, self.kpis, self.layers = cameras, incidents, kpis, layers


def apply_each(apply: Callable[[list[T]], object], batch: list[T]) -> None:
    """Apply a batch; if a store refuses it, apply one record at a time and skip only
    the records it refuses (each logged), so one bad record never stops the rest."""
    try:
        apply(batch)
    except Exception:
        for record in batch:
            try:
                apply([record])
            except Exception as error:
                log.warning("skipped a record the stores refused: %s", describe(error))


class Sink:
    """One connection's way into the stores."""

    def __init__(
        self,
        connection: str,
        stores: Stores,
        feeds: Iterable[Feed],
        incident_sources: Iterable[Source] = (),
        overlay: Callable[[Incident], Incident] = lambda incident: incident,
    ) -> None:
        self.connection = connection
        self.stores = stores
        self.feeds = frozenset(feeds)
        self.incident_sources = frozenset(incident_sources)
        self.overlay = overlay  # the operator's local notes on this connection's incidents

    def key(self, local_id: str) -> str:
        return qualify(self.connection, local_id)

    def wants(self, feed: Feed) -> bool:
        return feed in self.feeds

    # -- cameras ---------------------------------------------------------------
    def cameras(self, cameras: Iterable[Camera], *, merge: bool = False) -> None:
        if not self.wants("cameras"):
            return
        mine = [tagged(camera, self.connection) for camera in cameras]
        store = self.stores.cameras
        (store.merge if merge else store.replace)(mine, self.connection)

    def camera_status(self, local_id: str, status: CameraStatus) -> None:
        if self.wants("cameras"):
            self.stores.cameras.set_status(self.key(local_id), status)

    # -- incidents -------------------------------------------------------------
    def incidents(self, incidents: Iterable[Incident], *, live: bool = False) -> None:
        """Events and polls: small batches, applied at once."""
        mine = self._mine(incidents)
        if mine:
            apply_each(lambda batch: self.stores.incidents.upsert(batch, live=live), mine)

    async def load_incidents(self, incidents: list[Incident], *, live: bool = False) -> None:
        """A load (thousands): applied in slices, the GUI painting between them, so
        several connections loading at once never freeze the wall."""
        for start in range(0, len(incidents), SLICE):
            if start:
                await asyncio.sleep(SLICE_PAUSE_S)  # a timer, so Qt handles its events
            self.incidents(incidents[start : start + SLICE], live=live)

    def _mine(self, incidents: Iterable[Incident]) -> list[Incident]:
        if not self.wants("incidents"):
            return []
        wanted = self.incident_sources
        return [
            self.overlay(tagged(incident, self.connection))
            for incident in incidents
            if not wanted or incident.source in wanted
        ]

    def incident_cursor(self) -> int:
        return self.stores.incidents.cursor_of(self.connection)

    # -- KPIs ------------------------------------------------------------------
    def kpis(self, kpis: Iterable[Kpi]) -> None:
        if self.wants("kpis"):
            self.stores.kpis.replace(
                [tagged(kpi, self.connection) for kpi in kpis], self.connection
            )

    def kpi_series(self, local_id: str, samples: Iterable[KpiSample]) -> None:
        if self.wants("kpis"):
            self.stores.kpis.set_series(self.key(local_id), samples)

    def kpi_history(self, local_id: str, period: Period, samples: Iterable[KpiSample]) -> None:
        if self.wants("kpis"):
            self.stores.kpis.set_history(self.key(local_id), period, samples)

    def kpi_samples(self, samples: Iterable[KpiSampleEvent]) -> None:
        if not self.wants("kpis"):
            return
        mine = [sample.model_copy(update={"kpi_id": self.key(sample.kpi_id)}) for sample in samples]
        if mine:
            apply_each(self.stores.kpis.add_samples, mine)

    def own_kpis(self) -> list[Kpi]:
        return [kpi for kpi in self.stores.kpis.kpis() if kpi.connection == self.connection]

    # -- layers ----------------------------------------------------------------
    def layers(self, infos: Iterable[LayerInfo]) -> None:
        if self.wants("layers"):
            mine = [tagged(info, self.connection) for info in infos]
            self.stores.layers.replace(mine, self.connection)

    def layer_features(self, local_id: str, collection: GeoJson) -> None:
        if self.wants("layers"):
            self.stores.layers.set_features(self.key(local_id), collection)
