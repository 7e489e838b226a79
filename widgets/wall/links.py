"""Links panels across the wall, the way an operator expects them to follow each other.

- An alarm from the queue centres the map on the incident and plays its nearest
  cameras on the "spot" camera tiles (`spot: true` in the layout).
- Selecting an incident in the queue highlights it on the map, and a click on a map
  incident selects its row; a click on a map camera plays it on the first spot tile,
  and a click on a place plays its nearest cameras on the spot tiles.

Panels come and go with presets, so the links are made again after every switch.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

from PySide6.QtCore import QObject

from console.stores import CameraStore
from console.domain.alarms import nearest_cameras
from widgets.wall.manager import WallManager

log = logging.getLogger(__name__)


class WallLinks(QObject):
    def __init__(self, wall: WallManager, cameras: CameraStore) -> None:
        super().__init__()
        self.wall, self.cameras = wall, cameras
        self._linked: weakref.WeakSet[Any] = weakref.WeakSet()
        wall.presetApplied.connect(self.relink)
        self.relink()

    def _panels(self, kind: str) -> list[Any]:
        return [panel for panel in self.wall.panels() if kind == panel.KIND]

    def spot_tiles(self) -> list[Any]:
        return [panel for panel in self._panels("camera") if panel.config.spot]

    def relink(self, _preset: str = "") -> None:
        for panel in self.wall.panels():
            if panel in self._linked:
                continue
            if panel.KIND == "incidents":
                panel.alarmRaised.connect(self.on_alarm)
                panel.incidentSelected.connect(self.on_incident_selected)
            elif panel.KIND == "map":
                panel.incidentClicked.connect(self.on_map_incident)
                panel.cameraClicked.connect(self.on_map_camera)
                panel.nearestCameras.connect(self.on_nearest_cameras)
            else:
                continue
            self._linked.add(panel)

    def on_alarm(self, incident_id: str, lat: float, lon: float) -> None:
        for map_panel in self._panels("map"):
            map_panel.select_incident(incident_id, pan=True)
        spots = self.spot_tiles()
        nearest = nearest_cameras(self.cameras.cameras(), lat, lon, n=len(spots))
        for tile, camera in zip(spots, nearest, strict=False):
            tile.set_camera(camera.id)
        log.info(
            "alarm %s: map centred, cameras %s on spot tiles",
            incident_id,
            ", ".join(camera.id for camera in nearest) or "none",
        )

    def on_incident_selected(self, incident_id: str) -> None:
        for map_panel in self._panels("map"):
            map_panel.select_incident(incident_id, pan=True)

    def on_map_incident(self, incident_id: str) -> None:
        for queue in self._panels("incidents"):
            queue.select(incident_id)

    def on_nearest_cameras(self, camera_ids: list[str]) -> None:
        """A click on the map (a place or an incident): its nearest cameras go live."""
        for tile, camera_id in zip(self.spot_tiles(), camera_ids, strict=False):
            tile.set_camera(camera_id)

    def on_map_camera(self, camera_id: str) -> None:
        spots = self.spot_tiles()
        if spots:
            spots[0].set_camera(camera_id)
        else:
            log.info("camera %s clicked on the map; no spot tile in this preset", camera_id)
