"""Districts of Bình Phước and plane geometry over them.

Boundaries are synthetic: the Voronoi cells of approximate real district centres,
clipped to a convex outline of the province. That keeps every district a convex
polygon, so containment and random placement stay simple and exact.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache

Point = tuple[float, float]  # (lon, lat), the GeoJSON order


@dataclass(frozen=True)
class District:
    id: str
    name: str
    kind: str  # "thành phố", "thị xã" or "huyện"
    lat: float
    lon: float
    weight: float  # share of incidents, lights and cameras: the provincial capital is busiest


DISTRICTS: tuple[District, ...] = (
    District("dong-xoai", "Đồng Xoài", "thành phố", 11.535, 106.883, 4.0),
    District("binh-long", "Bình Long", "thị xã", 11.650, 106.607, 1.5),
    District("phuoc-long", "Phước Long", "thị xã", 11.830, 106.987, 1.5),
    District("chon-thanh", "Chơn Thành", "thị xã", 11.430, 106.655, 1.5),
    District("dong-phu", "Đồng Phú", "huyện", 11.460, 107.030, 1.0),
    District("hon-quan", "Hớn Quản", "huyện", 11.560, 106.730, 1.0),
    District("loc-ninh", "Lộc Ninh", "huyện", 11.840, 106.590, 1.0),
    District("bu-dang", "Bù Đăng", "huyện", 11.790, 107.240, 1.0),
    District("bu-dop", "Bù Đốp", "huyện", 11.990, 106.810, 0.7),
    District("bu-gia-map", "Bù Gia Mập", "huyện", 12.000, 107.100, 0.7),
    District("phu-rieng", "Phú Riềng", "huyện", 11.700, 106.930, 1.0),
)

# A convex, counter-clockwise outline roughly covering the province.
OUTLINE: tuple[Point, ...] = (
    (106.50, 11.40),
    (106.62, 11.28),
    (106.95, 11.30),
    (107.20, 11.45),
    (107.45, 11.70),
    (107.42, 11.95),
    (107.20, 12.22),
    (106.90, 12.22),
    (106.60, 12.02),
    (106.42, 11.72),
)

# Longitude degrees are shorter than latitude degrees here; distances use this scale.
_KX = math.cos(math.radians(11.7))


def district(name_or_id: str) -> District:
    """Look a district up by id or by its Vietnamese name."""
    for item in DISTRICTS:
        if name_or_id in (item.id, item.name):
            return item
    raise KeyError(name_or_id)


def _clip(polygon: list[Point], a: Point, b: float) -> list[Point]:
    """Keep the part of a convex polygon where a·p <= b (one Sutherland–Hodgman step)."""

    def side(p: Point) -> float:
        return a[0] * p[0] + a[1] * p[1] - b

    result: list[Point] = []
    for i, p in enumerate(polygon):
        q = polygon[(i + 1) % len(polygon)]
        sp, sq = side(p), side(q)
        if sp <= 0:
            result.append(p)
        if (sp < 0 < sq) or (sq < 0 < sp):
            t = sp / (sp - sq)
            result.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return result


@cache
def polygon(district_id: str) -> tuple[Point, ...]:
    """The district's boundary ring (lon, lat), counter-clockwise, not closed."""
    me = district(district_id)
    cx, cy = me.lon * _KX, me.lat
    ring = [(lon * _KX, lat) for lon, lat in OUTLINE]
    for other in DISTRICTS:
        if other is me:
            continue
        ox, oy = other.lon * _KX, other.lat
        # Points nearer to `me` than to `other`: (o - c)·p <= (|o|² - |c|²) / 2.
        ring = _clip(ring, (ox - cx, oy - cy), (ox * ox + oy * oy - cx * cx - cy * cy) / 2)
    return tuple((x / _KX, y) for x, y in ring)


def contains(ring: tuple[Point, ...], point: Point) -> bool:
    """Whether a point lies inside a convex counter-clockwise ring."""
    for i, p in enumerate(ring):
        q = ring[(i + 1) % len(ring)]
        cross = (q[0] - p[0]) * (point[1] - p[1]) - (q[1] - p[1]) * (point[0] - p[0])
        if cross < 0:
            return False
    return True


def random_point(district_id: str, rng: random.Random, spread: float = 0.6) -> Point:
    """A random point inside the district, biased towards its centre (where people are)."""
    me = district(district_id)
    ring = polygon(district_id)
    for _ in range(1000):
        lon, lat = ring[rng.randrange(len(ring))]
        t = rng.random() * spread
        candidate = (me.lon + t * (lon - me.lon), me.lat + t * (lat - me.lat))
        jitter = (candidate[0] + rng.gauss(0, 0.004), candidate[1] + rng.gauss(0, 0.004))
        if contains(ring, jitter):
            return round(jitter[0], 6), round(jitter[1], 6)
    return me.lon, me.lat


def ring_area(ring: tuple[Point, ...]) -> float:
    """Signed shoelace area in square degrees: positive for counter-clockwise rings."""
    return 0.5 * sum(
        p[0] * q[1] - q[0] * p[1] for p, q in zip(ring, ring[1:] + ring[:1], strict=True)
    )
