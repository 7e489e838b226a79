"""OGC API Features layers against a real pygeoapi serving a GeoJSON file we generate.

pygeoapi runs under uvicorn in a subprocess on a socket this test binds first (`--fd`),
so the first request simply waits in the listen backlog until the server is up: no
polling, no port race. Every wait is bounded by the client timeout.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from console.layout.panel_kinds import LayerSource
from console.sources.ioc.api import BackendError
from console.sources.layers import LayerSources
from console.sources.ogc import OgcFeaturesApi
from console.stores import LayerStore

LIGHTS = 300
FAULT_EVERY = 25
BROKEN = [
    {"type": "Feature", "id": "NO-GEOMETRY", "geometry": None, "properties": {"name": "x"}},
    {
        "type": "Feature",
        "id": "SWAPPED",
        "geometry": {"type": "Point", "coordinates": [11.5, 106.7]},  # lat, lon: lat > 90
        "properties": {"name": "swapped"},
    },
]


def _lights() -> dict[str, object]:
    features = [
        {
            "type": "Feature",
            "id": f"SL-{i:04d}",
            "geometry": {"type": "Point", "coordinates": [106.6 + i * 1e-3, 11.5 + i * 5e-4]},
            "properties": {
                "name": f"Đèn Hùng Vương số {i}",
                "status": "fault" if i % FAULT_EVERY == 0 else "on",
            },
        }
        for i in range(LIGHTS)
    ]
    return {"type": "FeatureCollection", "features": features[:150] + BROKEN + features[150:]}


def _config(url: str, data: Path) -> dict[str, object]:
    contact = {k: "IOC test" for k in ("name", "position", "address", "city", "stateorprovince")}
    contact |= {"postalcode": "0", "country": "VN", "phone": "0", "fax": "0", "hours": "0"}
    contact |= {
        "email": "ioc@example.org",
        "url": url,
        "instructions": "-",
        "role": "pointOfContact",
    }
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 0},
            "url": url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "language": "en-US",
            "limits": {"default_items": 10, "max_items": 100},
            "map": {"url": f"{url}/none/{{z}}/{{x}}/{{y}}.png", "attribution": "-"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "IOC test",
                "description": "street lights",
                "keywords": ["lights"],
                "keywords_type": "theme",
                "terms_of_service": "-",
                "url": url,
            },
            "license": {"name": "CC-BY 4.0", "url": url},
            "provider": {"name": "IOC test", "url": url},
            "contact": contact,
        },
        "resources": {
            "lights": {
                "type": "collection",
                "title": "Đèn chiếu sáng",
                "description": "street lights with status",
                "keywords": ["lights"],
                "extents": {
                    "spatial": {
                        "bbox": [-180, -90, 180, 90],
                        "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                    }
                },
                "providers": [
                    {"type": "feature", "name": "GeoJSON", "data": str(data), "id_field": "id"}
                ],
            }
        },
    }


@pytest.fixture(scope="module")
def pygeoapi_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("pygeoapi")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    data = root / "lights.geojson"
    data.write_text(json.dumps(_lights()), encoding="utf-8")
    config, openapi = root / "config.yml", root / "openapi.yml"
    config.write_text(yaml.safe_dump(_config(url, data), allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [
            str(bin_dir / "pygeoapi"),
            "openapi",
            "generate",
            str(config),
            "--output-file",
            str(openapi),
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "pygeoapi.starlette_app:APP", "--fd", str(sock.fileno())],
        env=env,
        pass_fds=(sock.fileno(),),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    sock.close()  # the server holds its own copy
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def _run(coro: object) -> object:
    return asyncio.run(asyncio.wait_for(coro, timeout=30))  # type: ignore[arg-type]


async def _items(url: str, **kwargs: int) -> dict[str, object]:
    async with httpx.AsyncClient(timeout=20) as client:
        return await OgcFeaturesApi(url, client).items("lights", **kwargs)


def test_every_light_with_its_status_page_by_page(
    pygeoapi_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """300 lights over several pages of 100, bad ones left out with their reason logged."""

    async def scenario() -> tuple[object, dict[str, object]]:
        async with httpx.AsyncClient(timeout=20) as client:
            api = OgcFeaturesApi(pygeoapi_url, client)
            return await api.collections(), await api.items("lights", limit=100)

    caplog.set_level(logging.WARNING, logger="console.sources.ogc")
    collections, layer = _run(scenario())  # type: ignore[misc]
    assert [(c.id, c.title) for c in collections] == [("lights", "Đèn chiếu sáng")]
    features = layer["features"]
    assert layer["type"] == "FeatureCollection"
    assert len(features) == LIGHTS
    assert len({f["id"] for f in features}) == LIGHTS
    assert sum(f["properties"]["status"] == "fault" for f in features) == LIGHTS // FAULT_EVERY
    first = next(f for f in features if f["id"] == "SL-0001")
    assert first["geometry"]["coordinates"] == pytest.approx([106.601, 11.5005])
    assert first["properties"]["name"] == "Đèn Hùng Vương số 1"
    log = caplog.text
    assert "NO-GEOMETRY: no geometry" in log
    assert "SWAPPED: coordinates missing or out of range" in log


def test_page_count_is_bounded(pygeoapi_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="console.sources.ogc")
    layer = _run(_items(pygeoapi_url, limit=50, max_pages=2))
    assert len(layer["features"]) == 100  # type: ignore[index]
    assert "stopped after 2 pages" in caplog.text


def test_missing_collection_and_dead_server_fail_in_plain_words(pygeoapi_url: str) -> None:
    async def missing() -> None:
        async with httpx.AsyncClient(timeout=20) as client:
            await OgcFeaturesApi(pygeoapi_url, client).items("parking")

    with pytest.raises(BackendError, match="answered 404"):
        _run(missing())
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{free.getsockname()[1]}"
    with pytest.raises(BackendError, match="cannot reach the server"):
        _run(_items(dead))


def test_a_layout_source_fills_the_layer_store_and_keeps_it_when_the_server_fails(
    pygeoapi_url: str, qapp: object
) -> None:
    """What the map shows: the layer's features and name; after a failure, the same
    features and a name saying since when they are not updated."""
    store = LayerStore()
    sources = LayerSources(store)
    source = LayerSource(
        id="ogc-lights", kind="ogc", url=pygeoapi_url, collection="lights", name="Đèn (OGC)"
    )
    sources.configure([source])

    def broken(_request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    async def scenario() -> None:
        async with httpx.AsyncClient(timeout=20) as client:
            await sources.refresh_due(client)
        for state in sources._states.values():
            state.due = 0.0  # as if refresh_min had passed
        async with httpx.AsyncClient(transport=httpx.MockTransport(broken)) as client:
            await sources.refresh_due(client)

    loaded: list[str] = []
    store.layerLoaded.connect(loaded.append)
    _run(scenario())
    assert loaded == ["ogc-lights"]  # loaded once; the failure did not clear it
    assert len(store.features("ogc-lights")["features"]) == LIGHTS  # type: ignore[index]
    (info,) = [i for i in store.infos() if i.id == "ogc-lights"]
    assert info.name.startswith("Đèn (OGC) (not updated since ")
    assert "cannot reach the server" in info.name
    assert info.feature_count == LIGHTS and info.geometry == "point"


def test_an_ogc_features_connection_of_a_site_shows_every_collection(
    pygeoapi_url: str, qapp: object
) -> None:
    """A site's `ogc-features` connection against a real pygeoapi: each collection a
    layer of the map, namespaced by the connection, named as the server names it."""
    from console.site.model import Connection
    from console.sources.federation import make_link
    from console.sources.sink import Sink, Stores
    from console.stores import CameraStore, IncidentTableModel, KpiStore

    stores = Stores(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    connection = Connection(name="planning", kind="ogc-features", url=pygeoapi_url)
    link = make_link(connection, Sink("planning", stores, connection.provides))

    async def scenario() -> None:
        try:
            await link.load()  # type: ignore[attr-defined]
        finally:
            await link.aclose()

    _run(scenario())
    (info,) = stores.layers.infos()
    assert info.id == "planning/lights" and info.connection == "planning"
    assert info.feature_count == LIGHTS and info.geometry == "point"
    assert len(stores.layers.features("lights")["features"]) == LIGHTS  # type: ignore[index]


def test_an_unchanged_collection_costs_one_short_answer(qapp: object) -> None:
    """With the ETag of the last read, a poll of an unchanged collection is a 304 (one
    adapter's unit test: the pygeoapi here sends no ETag); a changed one is read again."""
    from console.site.model import Connection
    from console.sources.federation import make_link
    from console.sources.sink import Sink, Stores
    from console.stores import CameraStore, IncidentTableModel, KpiStore

    version = {"etag": '"v1"', "lights": 2}
    asked: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if request.url.path.endswith("/collections"):
            return httpx.Response(200, json={"collections": [{"id": "lights", "title": "Đèn"}]})
        if request.headers.get("if-none-match") == version["etag"]:
            asked.append("304")
            return httpx.Response(304)
        features = [
            {
                "type": "Feature",
                "id": n,
                "geometry": {"type": "Point", "coordinates": [106.9, 11.5]},
                "properties": {},
            }
            for n in range(version["lights"])
        ]
        body = {"type": "FeatureCollection", "features": features}
        return httpx.Response(200, json=body, headers={"ETag": str(version["etag"])})

    stores = Stores(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    connection = Connection(name="planning", kind="ogc-features", url="http://gis.test/ogc")
    link = make_link(connection, Sink("planning", stores, connection.provides))
    link.api.client = httpx.AsyncClient(transport=httpx.MockTransport(server))  # type: ignore[attr-defined]

    async def poll() -> None:
        await link.follow()  # type: ignore[attr-defined]

    _run(poll())
    _run(poll())
    assert asked.count("/ogc/collections/lights/items") == 2 and asked.count("304") == 1, asked
    assert len(stores.layers.features("lights")["features"]) == 2  # type: ignore[index]
    version.update(etag='"v2"', lights=3)
    _run(poll())
    assert len(stores.layers.features("lights")["features"]) == 3  # type: ignore[index]
    _run(link.aclose())
