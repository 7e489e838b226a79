"""GIS layers served by the backend as GeoJSON."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from console.domain.geo import drawable_features
from console.domain.records import GeoJson, LayerInfo

log = logging.getLogger(__name__)


class LayerStore(QObject):
    layersReset = Signal()
    layerLoaded = Signal(str)  # layer id

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._infos: dict[str, LayerInfo] = {}
        self._features: dict[str, GeoJson] = {}

    def replace(self, infos: Iterable[LayerInfo]) -> None:
        self._infos = {info.id: info for info in infos}
        self.layersReset.emit()

    def set_features(self, layer_id: str, collection: GeoJson) -> None:
        """Keep what the map can draw; features it cannot are dropped with one log line."""
        collection, dropped = drawable_features(collection)
        if dropped:
            log.warning(
                "layer %s: skipped %d feature(s) without usable coordinates", layer_id, dropped
            )
        self._features[layer_id] = collection
        self.layerLoaded.emit(layer_id)

    def infos(self) -> list[LayerInfo]:
        return list(self._infos.values())

    def features(self, layer_id: str) -> GeoJson | None:
        return self._features.get(layer_id)
