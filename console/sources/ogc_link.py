"""The `ogc-features` kind: every collection of an OGC API Features server as a map layer.

GIS data changes slowly and the standard has no push, so the link re-reads the
collections every poll; a collection that fails keeps its last good features.
"""

from __future__ import annotations

import logging

from console.domain.records import GeoJson, LayerInfo
from console.site.model import Connection
from console.sources.layers import geometry_of
from console.sources.link import PollingLink
from console.sources.ogc import OgcFeaturesApi
from console.sources.sink import Sink

log = logging.getLogger(__name__)


class OgcLink(PollingLink):
    read_only_reason = "a GIS server serves layers, not incidents"

    def __init__(self, connection: Connection, sink: Sink, api: OgcFeaturesApi) -> None:
        super().__init__(connection, sink)
        self.api = api

    async def aclose(self) -> None:
        await self.api.aclose()

    async def load(self) -> None:
        await self.follow()

    async def follow(self) -> None:
        infos: list[LayerInfo] = []
        loaded: dict[str, GeoJson] = {}
        for collection in await self.api.collections():
            features = await self.api.items(collection.id)
            loaded[collection.id] = features
            infos.append(
                LayerInfo(
                    id=collection.id,
                    name=collection.title,
                    geometry=geometry_of(features),
                    feature_count=len(features["features"]),
                )
            )
        self.sink.layers(infos)
        for layer, features in loaded.items():
            self.sink.layer_features(layer, features)
