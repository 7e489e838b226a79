"""Ids go into URL paths as one escaped segment, for every source (issue 14).

A request id of "../services" once fetched `/services.json`. Each source is driven with
hostile ids through a recording transport, and the path that reaches the wire is checked
byte for byte: the id stays inside its own segment, or the request is not made at all.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.actions.delivery import IocDelivery
from console.actions.outbox import Outbox
from console.actions.sender import OutboxSender
from console.domain.records import ActionKind, IncidentAction
from console.sources.ioc.api import BackendError, IocApi, path_segment
from console.sources.ngsi.kpis import URN_PREFIX, NgsiLdApi
from console.sources.ogc import OgcFeaturesApi
from console.sources.open311.client import Open311Api

BASE = "http://backend.test"
CLIMB = "/".join(["..", "services"])  # joined: a literal would read as a path outside the repo
# id -> the segment that must reach the server; None: refused before any request
HOSTILE: dict[str, str | None] = {
    CLIMB: "..%2Fservices",
    "a/b": "a%2Fb",
    "x?y#z": "x%3Fy%23z",
    "%2F": "%252F",
    "..": None,
    "Đường Hùng Vương 1": "%C4%90%C6%B0%E1%BB%9Dng%20H%C3%B9ng%20V%C6%B0%C6%A1ng%201",
}
DAY = (datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, tzinfo=UTC))
Call = Callable[[httpx.AsyncClient, str, Path], Awaitable[Any]]


async def _outbox(client: httpx.AsyncClient, ident: str, folder: Path) -> None:
    """An operator action, delivered through the durable outbox until it is settled."""
    outbox = Outbox(folder / "outbox.sqlite")
    sender = OutboxSender(outbox, IocDelivery(client), retry_min_s=0.01)
    settled = asyncio.Event()
    sender.refused.connect(lambda *_: settled.set())
    sender.delivered.connect(lambda *_: settled.set())
    sender.submit(ident, IncidentAction(action=ActionKind.ACKNOWLEDGE))
    task = asyncio.create_task(sender.run())
    try:
        await asyncio.wait_for(settled.wait(), 10)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        outbox.close()


# source -> (how it is asked for one id, the path it must ask for, as a template)
SOURCES: dict[str, tuple[Call, str]] = {
    "ioc kpi series": (
        lambda c, i, _: IocApi(BASE, c).kpi_series(i, *DAY),
        "/api/v1/kpis/{}/series",
    ),
    "ioc layer": (lambda c, i, _: IocApi(BASE, c).layer(i), "/api/v1/layers/{}"),
    "ioc action": (
        lambda c, i, _: IocApi(BASE, c).act(i, IncidentAction(action=ActionKind.ACKNOWLEDGE)),
        "/api/v1/incidents/{}/actions",
    ),
    "outbox action": (_outbox, "/api/v1/incidents/{}/actions"),
    "open311 request": (
        lambda c, i, _: Open311Api(BASE, client=c).request(i),  # paths relative to the client
        "/requests/{}.json",
    ),
    "ngsi-ld history": (
        lambda c, i, _: NgsiLdApi(f"{BASE}/broker", c).kpi_history(i, *DAY),
        "/broker/ngsi-ld/v1/temporal/entities/{}",
    ),
    "ogc collection": (
        lambda c, i, _: OgcFeaturesApi(f"{BASE}/ogc", c).items(i),
        "/ogc/collections/{}/items",
    ),
}


@pytest.mark.parametrize("ident", list(HOSTILE))
@pytest.mark.parametrize("source", list(SOURCES))
def test_an_id_stays_inside_its_own_path_segment(source: str, ident: str, tmp_path: Path) -> None:
    call, template = SOURCES[source]
    seen: list[bytes] = []

    def not_found(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.split(b"?")[0])
        return httpx.Response(404, json={"detail": "no such thing"})

    async def scenario() -> None:
        transport = httpx.MockTransport(not_found)
        async with httpx.AsyncClient(base_url=BASE, transport=transport) as client:
            # 404, or the id was refused: which one is what `seen` tells
            with contextlib.suppress(BackendError):
                await call(client, ident, tmp_path)

    asyncio.run(scenario())
    expected = HOSTILE[ident]
    if source == "ngsi-ld history":  # a bare KPI id is made a URN first: no dot segment
        expected = quote(f"{URN_PREFIX}{ident}", safe="")
    if expected is None:
        assert seen == [], "a dot segment must never be asked for"
    else:
        assert seen == [template.format(expected).encode()]


def test_ngsi_ld_entity_ids_are_percent_encoded_urns() -> None:
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.split(b"?")[0])
        return httpx.Response(200, json={"id": "x", "kpiValue": []})

    async def scenario() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            api = NgsiLdApi("http://broker", client)
            await api.kpi_history("urn:ngsi-ld:KeyPerformanceIndicator:on-time/rate", *DAY)

    asyncio.run(scenario())
    assert seen == [
        b"/ngsi-ld/v1/temporal/entities/urn%3Angsi-ld%3AKeyPerformanceIndicator%3Aon-time%2Frate"
    ]


@pytest.mark.parametrize("ident", ["", ".", ".."])
def test_empty_and_dot_ids_are_refused_in_plain_words(ident: str) -> None:
    with pytest.raises(BackendError, match="cannot ask for an item with the id"):
        path_segment(ident)


def test_an_id_that_is_not_unicode_text_is_refused() -> None:
    with pytest.raises(BackendError, match="not valid Unicode"):
        path_segment("bad\ud800id")


@given(st.text().filter(lambda text: text not in ("", ".", "..")))
def test_a_path_segment_is_one_segment_that_decodes_back(ident: str) -> None:
    segment = path_segment(ident)
    assert not {"/", "?", "#"} & set(segment)
    assert segment.isascii() and segment not in (".", "..")
    assert unquote(segment, errors="strict") == ident
