"""GIS layers served by the backend as GeoJSON."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from console.domain.records import GeoJson, LayerInfo


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
        self._features[layer_id] = collection
        self.layerLoaded.emit(layer_id)

    def infos(self) -> list[LayerInfo]:
        return list(self._infos.values())

    def features(self, layer_id: str) -> GeoJson | None:
        return self._features.get(layer_id)
