"""Map layers from standard APIs (OGC API Features, NGSI-LD) kept fresh in the LayerStore.

A layout's map lists `sources`; the console (not the page, whose request guard stays
closed) fetches each at start and every `refresh_min` minutes. A failure is logged and
shown in the layer's own name in the map's switcher ("not updated since 10:42: ..."),
and the last good features stay on the map until the source answers again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import httpx
from PySide6.QtCore import QCoreApplication

from console.domain import formatting
from console.domain.records import GeoJson, LayerInfo
from console.layout.model import Layout, Split
from console.layout.panel_kinds import LayerSource, MapConfig
from console.sources.clients import default_trust
from console.sources.ioc.api import DEFAULT_TIMEOUT, EXPECTED, describe
from console.sources.ngsi.kpis import NgsiLdApi
from console.sources.ngsi.points import point_layer
from console.sources.ogc import OgcFeaturesApi
from console.stores import LayerStore
from console.waiting import wait_set

log = logging.getLogger(__name__)


def sources_of(layout: Layout | None) -> list[LayerSource]:
    """Every map source of a preset, once per id (the first one wins)."""
    found: dict[str, LayerSource] = {}
    for screen in layout.screens if layout else []:
        specs = [*screen.cells, *(screen.split.panels() if isinstance(screen.split, Split) else [])]
        for spec in specs:
            if spec.kind != "map":
                continue
            try:
                config = spec.panel_config()
            except ValueError:
                continue  # the layout loader reports it
            if isinstance(config, MapConfig):
                for source in config.sources:
                    found.setdefault(source.id, source)
    return list(found.values())


async def fetch(source: LayerSource, client: httpx.AsyncClient, url: str) -> GeoJson:
    """One source's features, or a BackendError in plain words."""
    if source.kind == "ogc":
        return await OgcFeaturesApi(url, client).items(source.collection)
    return await point_layer(NgsiLdApi(url, client), source.type)


def geometry_of(collection: GeoJson) -> Literal["point", "line", "polygon"]:
    first = next(iter(collection["features"]), None)
    kind = str((first or {}).get("geometry", {}).get("type", "Point"))
    return "polygon" if "Polygon" in kind else "line" if "Line" in kind else "point"


@dataclass
class _State:
    source: LayerSource
    count: int = 0
    loaded_at: str = ""  # HH:mm of the last good load
    error: str = ""
    geometry: Literal["point", "line", "polygon"] = "point"
    due: float = 0.0  # loop time of the next load
    features: GeoJson | None = field(default=None, repr=False)


class LayerSources:
    """Loads the configured sources into a LayerStore, next to the backend's own layers."""

    def __init__(self, layers: LayerStore, backend: httpx.AsyncClient | None = None) -> None:
        """`backend`: the console's own client (with its auth), for sources without a url."""
        self.layers = layers
        self.backend = backend
        self._states: dict[str, _State] = {}
        self._changed = asyncio.Event()

    def configure(self, sources: Iterable[LayerSource]) -> None:
        """The preset changed: keep what is loaded for unchanged sources, load new ones now."""
        old, self._states = self._states, {}
        for source in sources:
            kept = old.get(source.id)
            self._states[source.id] = kept if kept and kept.source == source else _State(source)
        if old.keys() != self._states.keys() or any(s.due == 0 for s in self._states.values()):
            self._changed.set()
            self._publish_infos()

    def infos(self) -> list[LayerInfo]:
        return [self._info(state) for state in self._states.values()]

    def _info(self, state: _State) -> LayerInfo:
        name = state.source.name or state.source.id
        if state.error:
            since = state.loaded_at or QCoreApplication.translate("LayerSources", "start")
            name = QCoreApplication.translate(
                "LayerSources", "{name} (not updated since {time}: {error})"
            ).format(name=name, time=since, error=state.error)
        return LayerInfo(
            id=state.source.id, name=name, geometry=state.geometry, feature_count=state.count
        )

    def _publish_infos(self) -> None:
        mine = self.infos()
        ids = {info.id for info in mine}
        self.layers.replace([*(i for i in self.layers.infos() if i.id not in ids), *mine])

    async def load(self, state: _State, client: httpx.AsyncClient) -> None:
        source = state.source
        loop = asyncio.get_running_loop()
        state.due = loop.time() + source.refresh_min * 60
        try:
            if source.url or self.backend is None:
                collection = await fetch(source, client, source.url)
            else:
                collection = await fetch(source, self.backend, str(self.backend.base_url))
        except Exception as error:  # any fault: this layer keeps its last good features
            reason = describe(error)
            if reason != state.error:
                unexpected = None if isinstance(error, EXPECTED) else error
                log.warning(
                    "layer %s (%s %s): %s",
                    source.id,
                    source.kind,
                    source.url,
                    reason,
                    exc_info=unexpected,
                )
            state.error = reason
            return
        if state.error:
            log.info("layer %s loads again", source.id)
        state.error, state.count = "", len(collection["features"])
        state.loaded_at = formatting.clock(formatting.now())
        state.features = collection
        state.geometry = geometry_of(collection)
        self.layers.set_features(source.id, collection)

    async def refresh_due(self, client: httpx.AsyncClient) -> None:
        """Load every source whose time has come (all of them the first time), together."""
        now = asyncio.get_running_loop().time()
        due = [state for state in self._states.values() if state.due <= now]
        if not due:
            return
        before = [(s.error, s.count) for s in due]
        await asyncio.gather(*(self.load(state, client) for state in due))
        if before != [(s.error, s.count) for s in due]:
            self._publish_infos()

    async def run(self) -> None:
        """Until cancelled: load what is due, then wait for the next due time or a new preset."""
        async with httpx.AsyncClient(timeout=DEFAULT_TIMEOUT, verify=default_trust()) as client:
            while True:
                self._changed.clear()
                await self.refresh_due(client)
                now = asyncio.get_running_loop().time()
                wait = min((s.due - now for s in self._states.values()), default=3600.0)
                await wait_set(self._changed, max(1.0, wait))
