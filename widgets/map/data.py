"""What the map page is sent: stores turned into compact JSON-ready payloads.

Incidents go as columns (one list per field, enums as small codes) because 50,000 of them
as objects would be several megabytes more to serialise and parse. Labels are translated
here, once: the page has no translator of its own.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from operator import attrgetter
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.domain.geo import NO_DATA, classify, feature_key
from console.domain.records import (
    Camera,
    CameraStatus,
    Category,
    Incident,
    IncidentStatus,
    Kpi,
    Priority,
)

PRIORITIES: tuple[Priority, ...] = tuple(Priority)  # index = rank, low .. critical
STATUSES: tuple[IncidentStatus, ...] = tuple(IncidentStatus)
CATEGORIES: tuple[Category, ...] = tuple(Category)
_RANK = {p: i for i, p in enumerate(PRIORITIES)}
_STATUS = {s: i for i, s in enumerate(STATUSES)}
_CATEGORY = {c: i for i, c in enumerate(CATEGORIES)}

CAMERA_FIELDS = ("id", "name", "district", "status", "lat", "lon")
_FIELDS = attrgetter("id", "lat", "lon", "priority", "status", "category", "title", "district")

# Popup labels: (group, translation context, values). lupdate finds the incident values in
# console/stores/incidents.py and the camera and asset states here.
CAMERA_STATES = (QT_TRANSLATE_NOOP("MapPanel", "online"), QT_TRANSLATE_NOOP("MapPanel", "offline"))
ASSET_STATES = {
    "on": QT_TRANSLATE_NOOP("MapPanel", "on"),
    "off": QT_TRANSLATE_NOOP("MapPanel", "off"),
    "ok": QT_TRANSLATE_NOOP("MapPanel", "working"),
    "fault": QT_TRANSLATE_NOOP("MapPanel", "fault"),
    "error": QT_TRANSLATE_NOOP("MapPanel", "fault"),
}
LAYER_NAMES = {
    "districts": QT_TRANSLATE_NOOP("MapPanel", "District boundaries"),
    "cameras": QT_TRANSLATE_NOOP("MapPanel", "Cameras"),
    "incidents": QT_TRANSLATE_NOOP("MapPanel", "Incidents"),
    "streetlights": QT_TRANSLATE_NOOP("MapPanel", "Street lights"),
}
LABELS: tuple[tuple[str, str, type[StrEnum]], ...] = (
    ("priority", "Incident", Priority),
    ("status", "Incident", IncidentStatus),
    ("category", "Incident", Category),
    ("camera", "MapPanel", CameraStatus),
)


def _tr(text: object) -> str:
    """Translate a QT_TRANSLATE_NOOP text (typed `object` in PySide6; it is the str)."""
    return QCoreApplication.translate("MapPanel", str(text))


def page_options(layers: Sequence[str], cluster_below_zoom: int, auto_fit: bool) -> dict[str, Any]:
    """The page's settings and every label it shows, sent once in the attach call."""
    labels = {
        group: {v.value: QCoreApplication.translate(context, v.value) for v in values}
        for group, context, values in LABELS
    }
    labels["asset"] = {state: _tr(text) for state, text in ASSET_STATES.items()}
    return {
        "autoFit": auto_fit,
        "fitTo": "districts" if "districts" in layers else "markers",
        "labels": labels,
        "codes": {
            "priority": [p.value for p in PRIORITIES],
            "status": [s.value for s in STATUSES],
            "category": [c.value for c in CATEGORIES],
        },
        "texts": {"cluster": _tr("{n} incidents")},
        "layers": [[layer, layer_name(layer)] for layer in layers],
        "clusterBelowZoom": cluster_below_zoom,
    }


def layer_name(layer_id: str, backend_name: str | None = None) -> str:
    """Our translated name for the layers we know; the backend's (untrusted) for others."""
    if layer_id in LAYER_NAMES:
        return _tr(LAYER_NAMES[layer_id])
    return backend_name or layer_id


def _placed(lat: float, lon: float) -> bool:
    """On the globe: NaN (unknown place) or a wild value stays off the map."""
    return -90 <= lat <= 90 and -180 <= lon <= 180  # false for NaN too


def camera_points(cameras: Iterable[Camera]) -> list[dict[str, Any]]:
    """Only what the page shows; a camera without a finite position stays off the map."""
    return [
        {field: getattr(camera, field) for field in CAMERA_FIELDS}
        for camera in cameras
        if _placed(camera.lat, camera.lon)
    ]


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic GC while building many small acyclic tuples: otherwise their
    allocation triggers full collections that walk every record (5× slower for 50,000)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def incident_columns(incidents: Iterable[Incident]) -> dict[str, list[Any]]:
    """Incidents as columns, built for speed (50,000 in about 0.1 s with the JSON):
    positions in microdegrees (integers serialise several times faster than floats, and
    0.1 m is plenty), and rank, resolved, status and category packed in one small integer
    `code` = rank | resolved << 2 | status << 3 | category << 5. `district` indexes the
    `districts` names, sent once per batch."""
    with _no_gc():
        return _columns([row for row in map(_FIELDS, incidents) if _placed(row[1], row[2])])


def _columns(rows: list[tuple[Any, ...]]) -> dict[str, list[Any]]:
    if not rows:
        return {
            "id": [],
            "lat": [],
            "lon": [],
            "code": [],
            "title": [],
            "district": [],
            "districts": [],
        }
    ids, lats, lons, priorities, statuses, categories, titles, names = zip(*rows, strict=True)
    districts: dict[str, int] = {}
    resolved = IncidentStatus.RESOLVED
    return {
        "id": list(ids),
        "lat": np.rint(np.asarray(lats) * 1e6).astype(np.int64).tolist(),
        "lon": np.rint(np.asarray(lons) * 1e6).astype(np.int64).tolist(),
        "code": [
            _RANK[p] | (s is resolved) << 2 | _STATUS[s] << 3 | _CATEGORY[c] << 5
            for p, s, c in zip(priorities, statuses, categories, strict=True)
        ],
        "title": list(titles),
        "district": [districts.setdefault(name, len(districts)) for name in names],
        "districts": list(districts),
    }


def _number(value: float, unit: str) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    return f"{text} {unit}".strip() if unit else text


def choropleth_spec(
    kpi_id: str, base: Kpi | None, districts: Any, lookup: dict[str, Kpi]
) -> dict[str, Any] | None:
    """Colours and legend for the districts from `<kpi_id>.<district id or name>` KPIs."""
    features = districts.get("features") if isinstance(districts, dict) else None
    if not isinstance(features, list):
        return None
    values: dict[str, float | None] = {}
    for feature in features:
        if not isinstance(feature, dict):
            continue
        key = feature_key(feature)
        name = (feature.get("properties") or {}).get("name")
        kpi = lookup.get(f"{kpi_id}.{key}") or lookup.get(f"{kpi_id}.{name}")
        values[key] = kpi.value if kpi is not None else None
    higher_is_better = base.higher_is_better if base is not None else True
    unit = base.unit if base is not None else ""
    classes = classify(values, higher_is_better)
    bounds = [low for _, low in classes.legend]
    present = [v for v in values.values() if v is not None and math.isfinite(v)]
    legend = []
    for index, (color, low) in enumerate(classes.legend):
        high = bounds[index + 1] if index + 1 < len(bounds) else max(present)
        legend.append([color, f"{_number(low, '')} – {_number(high, unit)}"])
    if any(v is None or not math.isfinite(v) for v in values.values()):
        legend.append([NO_DATA, _tr("no data")])
    return {
        "title": base.name if base is not None else kpi_id,
        "fill": classes.fill,
        "values": {
            k: _number(v, unit) for k, v in values.items() if v is not None and math.isfinite(v)
        },
        "legend": legend,
        "noDataColor": NO_DATA,
    }
