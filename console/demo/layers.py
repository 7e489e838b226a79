"""Map layers as GeoJSON FeatureCollections: district boundaries, street lights, cameras.

Coordinates are [lon, lat] (RFC 7946), polygon rings are closed and counter-clockwise.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Literal

from console.demo import geo
from console.demo.catalog import STREETS
from console.domain.records import Camera, GeoJson, LayerInfo

LAYER_NAMES: dict[str, tuple[str, Literal["point", "line", "polygon"]]] = {
    "districts": ("Ranh giới huyện, thị xã, thành phố", "polygon"),
    "streetlights": ("Đèn chiếu sáng thông minh", "point"),
    "cameras": ("Camera giám sát", "point"),
}
LIGHT_SPACING = 0.0022  # degrees between lights along a street (~240 m)


@dataclass
class StreetLight:
    id: str
    name: str
    district: str
    lon: float
    lat: float
    power_w: int
    status: str  # "on" or "fault"


def make_streetlights(rng: random.Random, total: int = 320) -> list[StreetLight]:
    """Lights along a few straight streets through each district centre."""
    weights = sum(d.weight for d in geo.DISTRICTS)
    lights: list[StreetLight] = []
    for district in geo.DISTRICTS:
        ring = geo.polygon(district.id)
        wanted = round(total * district.weight / weights)
        streets = STREETS[district.id]
        per_street = math.ceil(wanted / len(streets))
        placed = 0
        for street in streets:
            angle = rng.uniform(0, math.pi)
            dx, dy = math.cos(angle), math.sin(angle)
            offset = (rng.uniform(-0.01, 0.01), rng.uniform(-0.01, 0.01))
            for k in range(per_street):
                if placed >= wanted:
                    break
                step = (k - per_street / 2) * LIGHT_SPACING
                point = (
                    round(district.lon + offset[0] + step * dx + rng.gauss(0, 0.0002), 6),
                    round(district.lat + offset[1] + step * dy + rng.gauss(0, 0.0002), 6),
                )
                if not geo.contains(ring, point):
                    continue
                placed += 1
                lights.append(
                    StreetLight(
                        id=f"SL-{len(lights) + 1:04d}",
                        name=f"Đèn {street} số {k + 1}",
                        district=district.name,
                        lon=point[0],
                        lat=point[1],
                        power_w=rng.choice((100, 120, 150)),
                        status="fault" if rng.random() < 0.016 else "on",
                    )
                )
    return lights


def _collection(features: list[dict[str, Any]]) -> GeoJson:
    return {"type": "FeatureCollection", "features": features}


def _point(feature_id: str, lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def districts_geojson() -> GeoJson:
    features = []
    for district in geo.DISTRICTS:
        ring = [[round(lon, 6), round(lat, 6)] for lon, lat in geo.polygon(district.id)]
        features.append(
            {
                "type": "Feature",
                "id": district.id,
                "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                "properties": {"id": district.id, "name": district.name, "kind": district.kind},
            }
        )
    return _collection(features)


def streetlights_geojson(lights: list[StreetLight]) -> GeoJson:
    return _collection(
        [
            _point(
                light.id,
                light.lon,
                light.lat,
                {
                    "id": light.id,
                    "name": light.name,
                    "district": light.district,
                    "status": light.status,
                    "power_w": light.power_w,
                },
            )
            for light in lights
        ]
    )


def cameras_geojson(cameras: list[Camera]) -> GeoJson:
    return _collection(
        [
            _point(
                camera.id,
                camera.lon,
                camera.lat,
                {
                    "id": camera.id,
                    "name": camera.name,
                    "district": camera.district,
                    "status": camera.status.value,
                },
            )
            for camera in cameras
        ]
    )


def layer_infos(light_count: int, camera_count: int) -> list[LayerInfo]:
    counts = {"districts": len(geo.DISTRICTS), "streetlights": light_count, "cameras": camera_count}
    return [
        LayerInfo(id=layer_id, name=name, geometry=kind, feature_count=counts[layer_id])
        for layer_id, (name, kind) in LAYER_NAMES.items()
    ]
