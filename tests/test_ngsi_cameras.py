"""NGSI-LD Camera entities (the published smart-data-models examples) as wall cameras."""

from __future__ import annotations

import json
import logging
import math

import pytest

from console.domain.records import CameraStatus
from console.sources.ngsi.cameras import to_camera, to_cameras
from tests.conftest import FIXTURES

EXAMPLES = FIXTURES / "smart-data-models" / "Camera"


def test_a_published_camera_has_its_place_stream_and_state() -> None:
    camera = to_camera(json.loads((EXAMPLES / "example.json").read_text(encoding="utf-8")))
    assert camera.id == "urn:ngsi-ld:Camera:Cam2" and camera.name == "Cam2"
    assert (round(camera.lat, 3), round(camera.lon, 3)) == (23.832, 91.281), "GeoJSON is lon, lat"
    assert camera.streams["main"].url.startswith("https://")
    assert camera.status is CameraStatus.ONLINE


def test_swapped_coordinates_leave_the_camera_off_the_map_not_in_the_wrong_place() -> None:
    """The published normalized example gives [lat, lon]: 91 is no latitude."""
    path = EXAMPLES / "example-normalized.json"
    camera = to_camera(json.loads(path.read_text(encoding="utf-8")))
    assert camera.name == "Cam2" and camera.streams["main"].url.startswith("https://")
    assert math.isnan(camera.lat) and math.isnan(camera.lon)


def test_a_camera_without_place_or_playable_stream_is_kept_and_others_skipped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    off_map = {
        "id": "urn:ngsi-ld:Camera:x",
        "type": "Camera",
        "on": False,
        "streamURL": "javascript:alert(1)",
        "location": {"type": "Point", "coordinates": [500, 500]},
    }
    with caplog.at_level(logging.WARNING):
        cameras = to_cameras([off_map, {"type": "Camera"}, {"id": "a", "type": "Streetlight"}])
    (camera,) = cameras
    assert math.isnan(camera.lat) and not camera.streams, "a place without video, off the map"
    assert camera.status is CameraStatus.OFFLINE
    assert caplog.text.count("skipped NGSI-LD camera") == 2
