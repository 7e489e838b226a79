"""The `ogc-features` kind: every collection of an OGC API Features server as a map layer.

GIS data changes slowly and the standard has no push, so the link asks every poll,
with each collection's ETag where the server gives one (an unchanged collection is one
short 304, not a re-read); a collection that fails keeps its last good features.
"""

from __future__ import annotations

import logging

from console.domain.records import GeoJson, LayerInfo
from console.site.model import Connection
from console.sources.ioc.api import NotModified, Validator
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
        self._validators: dict[str, Validator] = {}  # per collection: its ETag
        self._features: dict[str, GeoJson] = {}  # the last good features of each

    async def aclose(self) -> None:
        await self.api.aclose()

    async def load(self) -> None:
        await self.follow()

    async def follow(self) -> None:
        infos: list[LayerInfo] = []
        loaded: dict[str, GeoJson] = {}
        for collection in await self.api.collections():
            held = self._features.get(collection.id)
            # A copy: the ETag is kept only once every page of the collection has come.
            validator = Validator(self._validators[collection.id].etag if held else None)
            try:
                features = await self.api.items(collection.id, validator=validator)
            except NotModified:  # the server says it has not changed: keep what is shown
                features = held or {"type": "FeatureCollection", "features": []}
            else:
                self._features[collection.id] = loaded[collection.id] = features
                self._validators[collection.id] = validator
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
