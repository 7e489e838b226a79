"""Map arithmetic the panels share: distances, nearest cameras, choropleth classes.

Pure functions on domain objects and GeoJSON, so they are tested without a web view and a
future alarm engine can ask "which cameras see this point" the same way the map does.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from console.domain.records import Camera

EARTH_RADIUS_M = 6_371_008.8
# ColorBrewer RdYlGn (5 classes), worst to best; readable on the dark map.
PALETTE = ("#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641")
NO_DATA = "#30363d"
NEAR_CAMERA_M = 300.0  # an incident this close to a camera is one of its (timeline, bookmark)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), good to 0.5 % at city scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def near_camera(camera: Camera, lat: float, lon: float) -> bool:
    return distance_m(camera.lat, camera.lon, lat, lon) <= NEAR_CAMERA_M


def nearest_cameras(
    cameras: Iterable[Camera],
    lat: float,
    lon: float,
    count: int = 3,
    max_m: float | None = None,
    online_first: bool = True,
) -> list[tuple[Camera, float]]:
    """The `count` cameras closest to a point, nearest first, with their distance in metres.

    Cameras without a finite position are skipped; with `online_first`, an offline camera
    only makes the list when there are not enough online ones (it cannot show anything)."""
    if not (math.isfinite(lat) and math.isfinite(lon)) or count <= 0:
        return []
    found: list[tuple[bool, float, str, Camera]] = []
    for camera in cameras:
        if not (math.isfinite(camera.lat) and math.isfinite(camera.lon)):
            continue
        metres = distance_m(lat, lon, camera.lat, camera.lon)
        if max_m is not None and metres > max_m:
            continue
        offline = online_first and camera.status.value != "online"
        found.append((offline, metres, camera.id, camera))
    best = heapq.nsmallest(count, found, key=lambda item: (item[0], item[1], item[2]))
    return sorted(((camera, metres) for _, metres, _, camera in best), key=lambda cm: cm[1])


def feature_key(feature: Mapping[str, Any]) -> str:
    """How a district is matched to its KPI: feature id, else properties.id, else name
    (the same rule as `featureKey` in resources/map/map.js)."""
    if feature.get("id") is not None:
        return str(feature["id"])
    properties = feature.get("properties") or {}
    key = properties.get("id")
    return str(key if key is not None else properties.get("name"))


@dataclass(frozen=True)
class Choropleth:
    """Colour per feature key and a legend (colour, lower bound) from worst to best."""

    fill: dict[str, str]
    legend: list[tuple[str, float]]


def classify(
    values: Mapping[str, float | None], higher_is_better: bool = True, classes: int = 5
) -> Choropleth:
    """Equal-interval classes over the values present, coloured worst (red) to best (green).

    Equal intervals rather than quantiles: an operator compares districts to each other
    and to a target, and a 0.3-point spread must not look like a 30-point one, so a
    nearly flat set collapses to fewer classes instead of being stretched."""
    present = {k: v for k, v in values.items() if v is not None and math.isfinite(v)}
    if not present:
        return Choropleth({}, [])
    low, high = min(present.values()), max(present.values())
    classes = max(1, min(classes, len(PALETTE), len(set(present.values()))))
    step = (high - low) / classes or 1.0
    palette: Sequence[str] = _palette(classes)
    if not higher_is_better:
        palette = palette[::-1]
    fill = {
        key: palette[min(classes - 1, int((value - low) / step))] for key, value in present.items()
    }
    legend = [(palette[k], low + k * step) for k in range(classes)]
    return Choropleth(fill, legend)


def _palette(classes: int) -> tuple[str, ...]:
    """`classes` colours spread over the full palette, so 2 classes are red and green."""
    if classes == 1:
        return (PALETTE[-1],)
    last = len(PALETTE) - 1
    return tuple(PALETTE[round(k * last / (classes - 1))] for k in range(classes))


GEOMETRIES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}
MAX_NESTING = 6  # a MultiPolygon nests positions 4 lists deep; anything far deeper is hostile


def _positions_ok(coordinates: Any, depth: int = 0) -> bool:
    """Nested lists (not absurdly deep) ending in [lon, lat, ...] numbers, lon/lat in range."""
    if depth > MAX_NESTING or not isinstance(coordinates, list) or not coordinates:
        return False
    if all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates):
        if len(coordinates) < 2 or not all(math.isfinite(c) for c in coordinates):
            return False
        return bool(-180 <= coordinates[0] <= 180 and -90 <= coordinates[1] <= 90)
    return all(_positions_ok(c, depth + 1) for c in coordinates)


def feature_problem(feature: Any) -> str | None:
    """Why a GeoJSON feature cannot be drawn (NaN, out of range, broken), or None."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return "not a GeoJSON Feature"
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        return "no geometry"
    kind = geometry.get("type")
    if kind not in GEOMETRIES:
        return f"unknown geometry type {str(kind)[:30]!r}"
    if kind == "GeometryCollection":
        parts = geometry.get("geometries")
        return None if isinstance(parts, list) and parts else "empty geometry collection"
    if not _positions_ok(geometry.get("coordinates")):
        return "coordinates missing or out of range"
    properties = feature.get("properties")
    if properties is not None and not isinstance(properties, dict):
        return "properties is not an object"
    return None


def drawable_features(collection: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    """The collection without the features the map cannot draw, and how many were dropped:
    one bad feature (NaN coordinates, say) never hides the layer."""
    features = collection.get("features")
    features = features if isinstance(features, list) else []
    kept = [feature for feature in features if feature_problem(feature) is None]
    return {**collection, "features": kept}, len(features) - len(kept)
