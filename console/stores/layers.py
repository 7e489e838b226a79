"""GIS layers of every connection, as GeoJSON.

A map asks for a layer by its name (`districts`); when several connections serve a
layer of that name (a province and a district IOC), the map draws all of them as one
layer. `province/districts` names one connection's layer only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from console.domain.geo import drawable_features
from console.domain.naming import Names, replaced
from console.domain.records import GeoJson, LayerInfo

log = logging.getLogger(__name__)


class LayerStore(QObject):
    layersReset = Signal()
    layerLoaded = Signal(str)  # the layer's local id (what a map's `layers:` names)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._infos: dict[str, LayerInfo] = {}
        self._features: dict[str, GeoJson] = {}
        self._names = Names()

    def replace(self, infos: Iterable[LayerInfo], connection: str | None = None) -> None:
        """The layers of `connection` (all of them when None) are now exactly these."""
        fresh = replaced(self._infos, infos, connection)
        if fresh == self._infos:
            return  # a poll found the same layers: no reset (a map would resend everything)
        self._infos = fresh
        self._names.reset(fresh.values())
        self.layersReset.emit()

    def set_features(self, layer_id: str, collection: GeoJson) -> None:
        """Keep what the map can draw; features it cannot are dropped with one log line."""
        collection, dropped = drawable_features(collection)
        if self._features.get(layer_id) == collection:
            return  # unchanged since the last poll: nothing for the maps to redraw
        if dropped:
            log.warning(
                "layer %s: skipped %d feature(s) without usable coordinates", layer_id, dropped
            )
        self._features[layer_id] = collection
        info = self._infos.get(layer_id)
        self.layerLoaded.emit(info.local_id if info else layer_id)

    def _owner(self, key: str) -> str:
        info = self._infos.get(key)
        return info.connection if info is not None else ""

    def infos(self) -> list[LayerInfo]:
        return list(self._infos.values())

    def features(self, ref: str, connections: Iterable[str] = ()) -> GeoJson | None:
        """The features of every layer `ref` names (of these connections, if given), as
        one collection (None: none loaded)."""
        keys = self._names.matches(ref) or [ref]
        only = set(connections)
        if only:
            keys = [key for key in keys if self._owner(key) in only | {""}]  # "": the map's own
        loaded = [self._features[key] for key in keys if key in self._features]
        if len(loaded) <= 1:
            return loaded[0] if loaded else None
        return {
            "type": "FeatureCollection",
            "features": [feature for layer in loaded for feature in layer["features"]],
        }
