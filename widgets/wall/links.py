"""Links panels across the wall by the ports they declare (widgets/panel.py), never by kind.

- RAISES_ALARMS: SHOWS_ALARMS panels bring the incident into view, and the spot tiles
  (PLAYS_CAMERAS with `spot: true`) play the cameras nearest it.
- SELECTS_INCIDENT: every other panel that FOLLOWS_INCIDENT shows it (the queue's
  selection on the map, a click on a map incident in the queue).
- SELECTS_CAMERA: the first spot tile plays it.
- SELECTS_PLACE: the spot tiles play the cameras nearest the place, nearest first.
- REQUESTS_REVIEW: the spot tiles that REVIEWS_CAMERAS play the nearest cameras' past
  from the incident's time, together (a ReviewGroup).

Panels come and go with presets, so the links are made again after every switch.
"""

from __future__ import annotations

import logging
import weakref
from datetime import datetime, timedelta
from typing import Protocol

from PySide6.QtCore import QObject, SignalInstance

from console.domain.alarms import nearest_cameras
from console.stores import CameraStore
from widgets.panel import (
    FOLLOWS_INCIDENT,
    PLAYS_CAMERAS,
    RAISES_ALARMS,
    REQUESTS_REVIEW,
    REVIEWS_CAMERAS,
    SELECTS_CAMERA,
    SELECTS_INCIDENT,
    SELECTS_PLACE,
    SHOWS_ALARMS,
    Panel,
    PlaysCameras,
)

log = logging.getLogger(__name__)
PRE_ROLL = timedelta(seconds=10)  # a review starts a little before the incident was raised


class Wall(Protocol):
    """What the links need of a wall (a WallManager): its panels, and word of a switch."""

    @property
    def presetApplied(self) -> SignalInstance: ...

    def panels(self) -> list[Panel]: ...


class WallLinks(QObject):
    def __init__(self, wall: Wall, cameras: CameraStore) -> None:
        super().__init__()
        self.wall, self.cameras = wall, cameras
        self._linked: weakref.WeakSet[Panel] = weakref.WeakSet()
        self.review: QObject | None = None  # the cameras reviewing an incident together
        wall.presetApplied.connect(self.relink)
        self.relink()

    def spot_tiles(self) -> list[PlaysCameras]:
        return [tile for tile in PLAYS_CAMERAS.among(self.wall.panels()) if tile.config.spot]

    def relink(self, _preset: str = "") -> None:
        for panel in self.wall.panels():
            if panel in self._linked:
                continue
            if (alarms := RAISES_ALARMS.of(panel)) is not None:
                alarms.alarmRaised.connect(self.on_alarm)
            if (incidents := SELECTS_INCIDENT.of(panel)) is not None:
                incidents.incidentSelected.connect(self.on_incident_selected)
            if (cameras := SELECTS_CAMERA.of(panel)) is not None:
                cameras.cameraClicked.connect(self.on_camera_selected)
            if (places := SELECTS_PLACE.of(panel)) is not None:
                places.nearestCameras.connect(self.on_nearest_cameras)
            if (reviews := REQUESTS_REVIEW.of(panel)) is not None:
                reviews.reviewRequested.connect(self.on_review)
            self._linked.add(panel)

    def on_alarm(self, incident_id: str, lat: float, lon: float) -> None:
        for shows in SHOWS_ALARMS.among(self.wall.panels()):
            shows.follow_incident(incident_id)
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
        """Not back to the panel it came from: it shows its own selection already."""
        source = self.sender()
        for panel in self.wall.panels():
            follower = FOLLOWS_INCIDENT.of(panel)
            if follower is not None and panel is not source:
                follower.follow_incident(incident_id)

    def on_nearest_cameras(self, camera_ids: list[str]) -> None:
        """A click on the map (a place or an incident): its nearest cameras go live."""
        for tile, camera_id in zip(self.spot_tiles(), camera_ids, strict=False):
            tile.set_camera(camera_id)

    def on_review(self, incident_id: str, lat: float, lon: float, when: datetime) -> None:
        """The cameras nearest an incident, as they were at its time, in step."""
        from widgets.video.review_group import ReviewGroup

        tiles = [t for t in REVIEWS_CAMERAS.among(self.wall.panels()) if t.config.spot]
        nearest = nearest_cameras(self.cameras.cameras(), lat, lon, n=len(tiles))
        for tile, camera in zip(tiles, nearest, strict=False):
            tile.set_camera(camera.id)
        if self.review is not None:
            self.review.deleteLater()
        self.review = ReviewGroup([tile.playback for tile in tiles[: len(nearest)]], self)
        self.review.start(when - PRE_ROLL)
        log.info("review of %s: cameras %s", incident_id, [c.id for c in nearest] or "none")

    def on_camera_selected(self, camera_id: str) -> None:
        spots = self.spot_tiles()
        if spots:
            spots[0].set_camera(camera_id)
        else:
            log.info("camera %s clicked on the map; no spot tile in this preset", camera_id)
