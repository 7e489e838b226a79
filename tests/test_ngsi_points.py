"""NGSI-LD Streetlight / Camera / Device entities as map points: Smart Data Models
fixtures with their quirks, the demo broker, and a layout source reaching the map's store."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest
from PySide6.QtWidgets import QApplication

from console.sources.ngsi.kpis import NgsiLdApi
from console.sources.ngsi.points import point_collection, point_layer
from tests.conftest import FIXTURES
from tests.test_wall_integration import run_console, wait_for

MODELS = FIXTURES / "smart-data-models"
FORMS = ["example.json", "example-normalized.json", "example.jsonld", "example-normalized.jsonld"]


def _entities(kind: str, name: str) -> list[Any]:
    body = json.loads((MODELS / kind / name).read_text(encoding="utf-8"))
    return body if isinstance(body, list) else [body]


@pytest.mark.parametrize("name", FORMS)
def test_streetlight_fixture_is_one_switched_off_light(name: str) -> None:
    """Every form (keyValues, NGSI v2 `geo:json`, NGSI-LD GeoProperty) places the same light."""
    (feature,) = point_collection(_entities("Streetlight", name), "Streetlight")["features"]
    assert feature["geometry"] == {
        "type": "Point",
        "coordinates": [-3.164485591715449, 40.62785133667262],
    }
    properties = feature["properties"]
    assert properties["status"] == "off"  # status "ok", powerState "off": the lamp is off
    assert properties["name"] == "4567"  # no name attribute: the end of its id
    assert properties["district"] == "Roundabouts city entrance"


@pytest.mark.parametrize("name", ["example.json", "example.jsonld"])
def test_camera_key_values_is_a_working_camera(name: str) -> None:
    (feature,) = point_collection(_entities("Camera", name), "Camera")["features"]
    assert feature["geometry"]["coordinates"] == [91.28076, 23.831796]
    assert feature["properties"]["name"] == "Cam2"  # from cameraName
    assert feature["properties"]["status"] == "ok"  # on: true


def test_camera_with_latitude_and_longitude_swapped_is_left_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The normalized example gives [lat, lon]; latitude 91 is impossible: skipped, said why."""
    caplog.set_level(logging.WARNING, logger="console.sources.ngsi.kpis")
    layer = point_collection(_entities("Camera", "example-normalized.json"), "Camera")
    assert layer["features"] == []
    assert "Smart Data Models-Camera: coordinates out of range" in caplog.text


@pytest.mark.parametrize("name", FORMS)
def test_device_without_location_is_left_out(name: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="console.sources.ngsi.kpis")
    assert point_collection(_entities("Device", name), "Device")["features"] == []
    assert "device-9845A: no location" in caplog.text


def test_device_state_and_bad_entities() -> None:
    """A located Device gets its deviceState; junk around it does not stop the list."""
    device = {
        "id": "urn:ngsi-ld:Device:d1",
        "type": "Device",
        "deviceState": {"type": "Property", "value": "error"},
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [106, 11]}},
    }
    junk = [
        None,
        {"type": "Device"},
        {**device, "id": "urn:x:2", "location": {"type": "Polygon", "coordinates": []}},
        {**device, "id": "urn:x:3", "type": "Streetlight"},
        {**device, "id": "urn:x:4", "location": {"type": "Point", "coordinates": ["a", 1]}},
    ]
    (feature,) = point_collection([*junk, device], "Device")["features"]
    assert feature["properties"] == {
        "id": "urn:ngsi-ld:Device:d1",
        "name": "d1",
        "type": "Device",
        "status": "fault",
    }


def test_demo_broker_street_lights_match_its_geojson_layer(demo_url: str) -> None:
    """Both representations give every demo light at its place with its status."""

    async def scenario() -> tuple[Any, Any, Any, Any]:
        async with httpx.AsyncClient(timeout=20) as client:
            url = f"{demo_url}/api/v1/layers/streetlights"
            geojson = (await client.get(url)).json()
            api = NgsiLdApi(demo_url, client)
            return (
                geojson,
                await point_layer(api, "Streetlight"),
                await point_layer(api, "Streetlight", key_values=True),
                (await client.get(url)).json(),
            )

    # The demo faults and repairs lights as it runs: compare the lights that did not change
    # between a GeoJSON read before and one after the NGSI-LD reads.
    geojson, normalized, key_values, later = asyncio.run(asyncio.wait_for(scenario(), timeout=30))
    changed = {
        f"urn:ngsi-ld:Streetlight:{f['id']}"
        for f in geojson["features"]
        if f not in later["features"]
    }
    expected = {
        f"urn:ngsi-ld:Streetlight:{f['id']}": (
            f["geometry"]["coordinates"],
            f["properties"]["name"],
            "on" if f["properties"]["status"] == "on" else "fault",
        )
        for f in geojson["features"]
    }
    assert len(expected) > 100  # more than one page of the broker
    for layer in (normalized, key_values):
        got = {
            f["id"]: (
                f["geometry"]["coordinates"],
                f["properties"]["name"],
                f["properties"]["status"],
            )
            for f in layer["features"]
        }
        assert got.keys() == expected.keys()
        assert {k: v for k, v in got.items() if k not in changed} == {
            k: v for k, v in expected.items() if k not in changed
        }


def test_operator_wall_map_gets_the_ngsi_street_lights(qapp: QApplication, demo_url: str) -> None:
    """The operator layout's NGSI-LD source reaches the map: the page draws the lights."""

    async def scenario(console: Any) -> None:
        store = console.context.layers
        await wait_for(lambda: store.features("ngsi-streetlights"), lambda: store.infos())
        (panel,) = [p for p in console.panels() if type(p).__name__ == "MapPanel"]
        drawn = 0
        async with asyncio.timeout(30):
            while drawn < len(store.features("ngsi-streetlights")["features"]):
                drawn = (await _counts(panel))["layers"].get("ngsi-streetlights", 0)
        assert drawn > 100
        (info,) = [i for i in store.infos() if i.id == "ngsi-streetlights"]
        assert info.name == "Đèn chiếu sáng (NGSI-LD)"
        assert info.feature_count == len(store.features("ngsi-streetlights")["features"])

    run_console(qapp, demo_url, scenario)


async def _counts(panel: Any) -> dict[str, Any]:
    """What the page draws, read back from it after the pending batch is sent."""
    answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    panel.read_counts(lambda counts: answer.done() or answer.set_result(counts))
    return await asyncio.wait_for(answer, timeout=15)
