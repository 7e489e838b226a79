"""Pure map arithmetic: distances, nearest cameras, choropleth classes, feature keys."""

from __future__ import annotations

import math

import pytest

from console.domain.geo import NO_DATA, PALETTE, classify, distance_m, feature_key, nearest_cameras
from console.domain.records import Camera, CameraStatus


def cam(ident: str, lat: float, lon: float, online: bool = True) -> Camera:
    status = CameraStatus.ONLINE if online else CameraStatus.OFFLINE
    return Camera(id=ident, name=ident, district="", lat=lat, lon=lon, status=status, streams={})


def test_distance_matches_a_known_city_pair():
    # Đồng Xoài to Thủ Dầu Một, about 66 km as the crow flies.
    assert distance_m(11.5349, 106.8832, 10.9804, 106.6519) == pytest.approx(65_500, rel=0.05)
    assert distance_m(11.5, 106.9, 11.5, 106.9) == 0


def test_nearest_cameras_prefer_online_ones_and_skip_unplaced_ones():
    cameras = [
        cam("near-offline", 11.5001, 106.9, online=False),
        cam("second", 11.51, 106.9),
        cam("first", 11.505, 106.9),
        cam("nowhere", math.nan, 106.9),
        cam("far", 12.5, 106.9),
    ]
    found = nearest_cameras(cameras, 11.5, 106.9, count=3)
    assert [c.id for c, _ in found] == ["first", "second", "far"]
    assert found[0][1] == pytest.approx(556, abs=5)  # metres
    # Without enough online cameras an offline one still makes the list, by distance.
    found = nearest_cameras(cameras[:3], 11.5, 106.9, count=3)
    assert [c.id for c, _ in found] == ["near-offline", "first", "second"]
    within_1km = nearest_cameras(cameras, 11.5, 106.9, max_m=1_000)
    assert [c.id for c, _ in within_1km] == ["near-offline", "first"]  # nearest first
    assert nearest_cameras(cameras, math.nan, 106.9) == []


def test_classes_run_worst_to_best_and_keep_missing_values_apart():
    shades = classify({"a": 90.0, "b": 95.0, "c": 100.0, "d": None, "e": math.nan})
    assert shades.fill == {"a": PALETTE[0], "b": PALETTE[2], "c": PALETTE[-1]}
    assert [low for _, low in shades.legend] == pytest.approx([90, 93.33, 96.67], abs=0.01)
    assert classify({"a": 1.0, "b": 2.0}, higher_is_better=False).fill == {
        "a": PALETTE[-1],
        "b": PALETTE[0],
    }
    assert classify({"a": 5.0, "b": 5.0}).fill == {"a": PALETTE[-1], "b": PALETTE[-1]}
    assert classify({"a": None}).fill == {} and NO_DATA not in PALETTE


def test_feature_key_prefers_the_feature_id():
    assert feature_key({"id": 7, "properties": {"id": "x", "name": "n"}}) == "7"
    assert feature_key({"properties": {"id": "dx", "name": "n"}}) == "dx"
    assert feature_key({"properties": {"name": "Đồng Xoài"}}) == "Đồng Xoài"
